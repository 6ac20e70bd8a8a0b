"""The report as RDF: a standard sh:ValidationReport, each result also carrying its mc:ruleId and
mc:citation, so systems can file it and SPARQL can ask which rules fail most often.

The report is built as Oxigraph triples and written by Oxigraph's serialisers; what each shape
contributes (its rule id and citation, its path's structure) is worked out once per shape, not
once per result.
"""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import SH

from .. import namespaces as ns
from .terms import to_ox

MC_RULE_ID = ox.NamedNode(ns.MC + "ruleId")
MC_CITATION = ox.NamedNode(ns.MC + "citation")
MC_RULE_SET = ox.NamedNode(ns.MC + "ruleSet")
MC_STATED = ox.NamedNode(ns.MC + "stated")  # false for information the credential does not state
_SH = ns.SH
RDF_TYPE = ox.NamedNode(ns.RDF + "type")
_P = {name: ox.NamedNode(_SH + name) for name in (
    "result", "focusNode", "resultPath", "value", "sourceShape", "sourceConstraintComponent",
    "resultSeverity", "resultMessage", "conforms")}
_REPORT, _RESULT = ox.NamedNode(_SH + "ValidationReport"), ox.NamedNode(_SH + "ValidationResult")
_XSD_BOOLEAN = ox.NamedNode(ns.XSD + "boolean")
PREFIXES = {"sh": _SH, "mc": ns.MC, "dct": ns.DCT, "rdfs": ns.RDFS, "xsd": ns.XSD}


def report_triples(report) -> list:
    """The report's triples: results, the structure of their paths, rule ids and citations."""
    shapes = report.shapes_graph
    node = ox.BlankNode()
    out = [ox.Triple(node, RDF_TYPE, _REPORT),
           ox.Triple(node, _P["conforms"], ox.Literal("true" if report.conforms else "false", datatype=_XSD_BOOLEAN))]
    per_shape: dict = {}
    per_path: dict = {}
    for r in report.results:
        res = ox.BlankNode()
        out += [ox.Triple(node, _P["result"], res), ox.Triple(res, RDF_TYPE, _RESULT),
                ox.Triple(res, _P["focusNode"], to_ox(r.focus_node))]
        if r.result_path is not None:
            out.append(ox.Triple(res, _P["resultPath"], to_ox(r.result_path)))
            if r.result_path not in per_path:
                per_path[r.result_path] = structure(shapes, r.result_path)
                out += per_path[r.result_path]  # a blank-node path is described once
        if r.value is not None:
            out.append(ox.Triple(res, _P["value"], to_ox(r.value)))
        out.append(ox.Triple(res, _P["sourceShape"], to_ox(r.source_shape)))
        if r.source_shape not in per_shape:
            per_shape[r.source_shape] = _rule_of(shapes, r.source_shape)
            out += structure(shapes, r.source_shape, shallow=True)
        out += [ox.Triple(res, _P["sourceConstraintComponent"], to_ox(r.source_constraint_component)),
                ox.Triple(res, _P["resultSeverity"], to_ox(r.severity))]
        out += [ox.Triple(res, _P["resultMessage"], to_ox(m)) for m in r.messages]
        out += [ox.Triple(res, p, o) for p, o in per_shape[r.source_shape]]
        stated = r.details.get("stated")
        if stated is not None:
            out.append(ox.Triple(res, MC_STATED, ox.Literal("true" if stated else "false", datatype=_XSD_BOOLEAN)))
    out.append(ox.Triple(node, ox.NamedNode(ns.DCT + "created"), ox.Literal(
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        datatype=ox.NamedNode(ns.XSD + "dateTime"))))
    context = getattr(report, "context", None)
    if context is not None:
        if context.framework:
            out.append(ox.Triple(node, MC_RULE_SET, ox.Literal(context.framework)))
        out.append(ox.Triple(node, ox.NamedNode(ns.RDFS + "comment"), ox.Literal(
            f"Judged by the rules in force on {context.as_of.isoformat()}; "
            f"{context.checked} focus node(s) checked.")))
    return out


def structure(shapes: Graph, node, shallow: bool = False, seen=None) -> list:
    """The triples hanging off a blank node (a path expression, an RDF list) so the report stays
    meaningful on its own. Blank-node shapes get only their path, not their body."""
    if not isinstance(node, BNode):
        return []
    seen = seen if seen is not None else set()
    if node in seen:
        return []
    seen.add(node)
    out = []
    from rdflib.namespace import RDF

    is_list = (node, RDF.first, None) in shapes
    for p, o in shapes.predicate_objects(node):
        if (shallow and p != SH.path) or (is_list and p not in (RDF.first, RDF.rest)):
            # a node that is a list is read as a sequence path: only its list structure counts
            continue
        out.append(ox.Triple(to_ox(node), to_ox(p), to_ox(o)))
        out += structure(shapes, o, seen=seen)
    return out


def _rule_of(shapes: Graph, shape) -> list:
    from rdflib import URIRef

    rule_id, citation = URIRef(MC_RULE_ID.value), URIRef(MC_CITATION.value)
    for s in (shape, *shapes.subjects(SH.property, shape), *shapes.subjects(SH.node, shape)):
        rid = shapes.value(s, rule_id)
        if rid is not None:
            cit = shapes.value(s, citation)
            return [(MC_RULE_ID, to_ox(rid))] + ([(MC_CITATION, to_ox(cit))] if cit is not None else [])
    return []


def to_turtle(report) -> str:
    return ox.serialize(report_triples(report), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")


def to_ntriples(report) -> str:
    return ox.serialize(report_triples(report), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def to_jsonld(report) -> str:
    return ox.serialize(report_triples(report), format=ox.RdfFormat.JSON_LD).decode("utf-8") + "\n"


def report_graph(report) -> Graph:
    """The report as an rdflib graph (for callers comparing it with pySHACL's)."""
    g = Graph()
    g.parse(data=to_ntriples(report), format="nt")
    return g


def store_report(store, report) -> None:
    """Add the report to the store's reports graph (reports accumulate, one per run)."""
    target = ox.NamedNode(ns.GRAPH_REPORTS)
    store.add(ox.Quad(t.subject, t.predicate, t.object, target) for t in report_triples(report))
