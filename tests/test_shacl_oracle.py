"""Comparing mcmap's validation with pySHACL's on the same shapes and data.

Both validators see exactly the triples the store holds (Oxigraph keeps literals in canonical
form), and results are compared as sets of (focus, path, value, source shape, component,
severity). Blank-node shapes and paths are compared by a description of their structure, so
the comparison does not depend on blank-node labels.
"""
from __future__ import annotations

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from mcmap import namespaces as ns
from mcmap.shacl import run
from mcmap.shacl.terms import to_ox, to_rdflib
from mcmap.store import LocalStore

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""


def store_with(data: Graph, graph: str = ns.GRAPH_DATA) -> LocalStore:
    store = LocalStore()
    g = ox.NamedNode(graph)
    store.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in data)
    return store


def stored_graph(store: LocalStore, graph: str | None = None) -> Graph:
    out = Graph()
    for q in store.quads(graph):
        out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return out


def describe(g: Graph, node, depth: int = 0):
    """A label-free description of a blank node (shape or path) in the shapes graph."""
    if not isinstance(node, BNode) or depth > 6:
        return node
    return tuple(sorted(((p, describe(g, o, depth + 1)) for p, o in g.predicate_objects(node)
                         if p not in (SH.property,)), key=repr))


def key(shapes: Graph, focus, path, value, shape, component, severity):
    return (focus, describe(shapes, path), value, describe(shapes, shape), component, severity)


def mcmap_results(store, shapes: Graph, data_graphs=None) -> set:
    report = run(store, shapes, data_graphs=data_graphs)
    keys = {key(shapes, *map(to_rdflib, r.key())) for r in report.results}
    assert report.conforms == (not keys)
    return keys


def pyshacl_results(data: Graph, shapes: Graph) -> set:
    conforms, rg, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    out = set()
    report = rg.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    for r in rg.objects(report, SH.result):  # not the nested sh:detail results
        path = rg.value(r, SH.resultPath)
        out.add(key(shapes, rg.value(r, SH.focusNode), path, rg.value(r, SH.value),
                    rg.value(r, SH.sourceShape), rg.value(r, SH.sourceConstraintComponent),
                    rg.value(r, SH.resultSeverity)))
    assert conforms == (not out)
    return out


def compare(shapes_ttl: str, data_ttl: str) -> set:
    """Validate with both tools; assert identical results; return them."""
    shapes = Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    data = Graph().parse(data=PREFIXES + data_ttl, format="turtle")
    store = store_with(data)
    ours = mcmap_results(store, shapes)
    theirs = pyshacl_results(stored_graph(store), shapes)
    assert ours == theirs, f"\nonly mcmap: {ours - theirs}\nonly pySHACL: {theirs - ours}"
    return ours


def test_the_comparison_sees_a_difference():
    shapes = Graph().parse(data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
                                           "sh:property [ sh:path ex:p ; sh:minCount 1 ] .", format="turtle")
    data = Graph().parse(data=PREFIXES + "ex:a ex:q 1 .", format="turtle")
    ours = mcmap_results(store_with(data), shapes)
    assert len(ours) == 1
    (focus, path, value, _, component, severity), = ours
    assert (focus, path, value) == (URIRef("http://example.org/a"), URIRef("http://example.org/p"), None)
    assert component == SH.MinCountConstraintComponent and severity == SH.Violation
    # the same data with the property present conforms in both
    data.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(1)))
    assert mcmap_results(store_with(data), shapes) == pyshacl_results(data, shapes) == set()
