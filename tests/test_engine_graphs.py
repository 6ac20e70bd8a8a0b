"""The engine judges exactly the graphs it is given, whether it asks the store for them by name
or (when they are all the store holds) as the store's union graph."""
import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from mcmap import shacl
from mcmap.shacl.engine import covers_store
from mcmap.store import LocalStore

EX = "http://example.org/"
SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] .
"""


def _store(*graphs: str) -> LocalStore:
    store = LocalStore()
    for i, g in enumerate(graphs):
        node = ox.NamedNode(EX + g)
        # one credential per graph, each without a name
        store.ox.add(ox.Quad(ox.NamedNode(f"{EX}c{i}"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             ox.NamedNode(EX + "C"), node))
    return store


def _focus_nodes(store, graphs):
    report = shacl.run(store, Graph().parse(data=SHAPES, format="turtle"), data_graphs=graphs)
    assert all(r.source_constraint_component == SH.MinCountConstraintComponent for r in report.results)
    return sorted(r.focus_node.value for r in report.results)


def test_a_graph_not_named_is_not_judged():
    store = _store("data", "other")
    assert not covers_store(store, [EX + "data"])
    assert _focus_nodes(store, [EX + "data"]) == [EX + "c0"]


def test_named_graphs_that_are_the_whole_store_give_the_same_findings():
    store = _store("data", "other")
    assert covers_store(store, [EX + "data", EX + "other"])
    assert _focus_nodes(store, [EX + "data", EX + "other"]) == [EX + "c0", EX + "c1"]


def test_the_default_graph_counts_as_a_graph_of_the_store():
    store = _store("data")
    store.ox.add(ox.Quad(ox.NamedNode(EX + "c9"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                         ox.NamedNode(EX + "C"), ox.DefaultGraph()))
    assert not covers_store(store, [EX + "data"])
    assert _focus_nodes(store, [EX + "data"]) == [EX + "c0"]


def test_max_count_found_on_the_value_scan():
    store = _store("data")
    for name in ("a", "b"):
        store.ox.add(ox.Quad(ox.NamedNode(EX + "c0"), ox.NamedNode(EX + "name"), ox.Literal(name), ox.NamedNode(EX + "data")))
    report = shacl.run(store, Graph().parse(data=SHAPES, format="turtle"), data_graphs=[EX + "data"])
    assert [(r.focus_node.value, r.source_constraint_component, r.value) for r in report.results] == [
        (EX + "c0", SH.MaxCountConstraintComponent, None)]


# ---- the union graph when the store's other graphs cannot take part ----------------------

RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _with_other(*triples) -> LocalStore:
    """c0 (a C without a name) in the data graph, and `triples` in another graph."""
    store = _store("data")
    for s, p, o in triples:
        store.ox.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.NamedNode(EX + "other")))
    return store


def _covers(store) -> bool:
    return covers_store(store, [EX + "data"], Graph().parse(data=SHAPES, format="turtle"))


def test_another_graph_no_focus_node_reaches_is_left_in_the_union():
    # a name, but of a node the data never mentions: no path from a focus node gets there
    store = _with_other((EX + "m", EX + "name", ox.Literal("a list of mappings")))
    assert _covers(store)
    assert _focus_nodes(store, [EX + "data"]) == [EX + "c0"]


def test_another_graph_that_could_change_a_finding_is_left_out():
    name = (EX + "c0", EX + "name", ox.Literal("named elsewhere"))  # would satisfy minCount
    typed = (EX + "c5", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(EX + "C"))  # a focus node
    sub = (EX + "D", RDFS_SUBCLASS, ox.NamedNode(EX + "C"))  # a class hierarchy
    inverse = (EX + "m", EX + "name", ox.NamedNode(EX + "c0"))  # reaches c0 by ^ex:name
    for triple in (name, typed, sub, inverse):
        store = _with_other(triple)
        assert not _covers(store), triple
        assert _focus_nodes(store, [EX + "data"]) == [EX + "c0"]
