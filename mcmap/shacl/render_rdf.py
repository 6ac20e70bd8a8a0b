"""The report as RDF: a standard sh:ValidationReport, each result also carrying its mc:ruleId and
mc:citation, so systems can file it and SPARQL can ask which rules fail most often.

The report is built as Oxigraph triples and written by Oxigraph's serialisers; what each shape
contributes (its rule id and citation, its path's structure) is worked out once per shape, not
once per result.
"""
from __future__ import annotations

import datetime as dt
import io

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


def report_triples(report):
    """The report's triples, made as they are consumed: results, the structure of their paths,
    rule ids and citations."""
    shapes = report.shapes_graph
    node = ox.BlankNode()
    yield ox.Triple(node, RDF_TYPE, _REPORT)
    yield ox.Triple(node, _P["conforms"], ox.Literal("true" if report.conforms else "false", datatype=_XSD_BOOLEAN))
    per_shape: dict = {}
    seen_paths: set = set()
    focus_p, path_p, value_p, shape_p = _P["focusNode"], _P["resultPath"], _P["value"], _P["sourceShape"]
    component_p, severity_p, message_p, result_p = (_P["sourceConstraintComponent"], _P["resultSeverity"],
                                                    _P["resultMessage"], _P["result"])
    stated_terms = {True: ox.Literal("true", datatype=_XSD_BOOLEAN), False: ox.Literal("false", datatype=_XSD_BOOLEAN)}
    for r in report.results:
        res = ox.BlankNode()
        shape = per_shape.get(r.source_shape)
        if shape is None:
            # once per shape: its node and rule, and the structure of a blank-node shape's path
            shape = per_shape[r.source_shape] = (to_ox(r.source_shape), _rule_of(shapes, r.source_shape))
            yield from structure(shapes, r.source_shape, shallow=True)
        yield ox.Triple(node, result_p, res)
        yield ox.Triple(res, RDF_TYPE, _RESULT)
        yield ox.Triple(res, focus_p, r.focus_node)
        if r.result_path is not None:
            yield ox.Triple(res, path_p, to_ox(r.result_path))
            if r.result_path not in seen_paths:
                seen_paths.add(r.result_path)
                yield from structure(shapes, r.result_path)  # a blank-node path is described once
        if r.value is not None:
            yield ox.Triple(res, value_p, r.value)
        yield ox.Triple(res, shape_p, shape[0])
        yield ox.Triple(res, component_p, to_ox(r.source_constraint_component))
        yield ox.Triple(res, severity_p, to_ox(r.severity))
        for m in r.messages:
            yield ox.Triple(res, message_p, to_ox(m))
        for p, o in shape[1]:
            yield ox.Triple(res, p, o)
        if r.stated is not None:
            yield ox.Triple(res, MC_STATED, stated_terms[r.stated])
    yield ox.Triple(node, ox.NamedNode(ns.DCT + "created"), ox.Literal(
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        datatype=ox.NamedNode(ns.XSD + "dateTime")))
    context = getattr(report, "context", None)
    if context is not None:
        if context.framework:
            yield ox.Triple(node, MC_RULE_SET, ox.Literal(context.framework))
        yield ox.Triple(node, ox.NamedNode(ns.RDFS + "comment"), ox.Literal(
            f"Judged by the rules in force on {context.as_of.isoformat()}; "
            f"{context.checked} focus node(s) checked."))


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


_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
            "jsonld": ox.RdfFormat.JSON_LD}


def write_rdf(report, fmt: str, out) -> None:
    """The report written by Oxigraph's serialiser to `out` (a binary file) as its triples are made."""
    rdf_format = _FORMATS[fmt]
    ox.serialize(report_triples(report), out, rdf_format,
                 prefixes=PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None)
    if rdf_format == ox.RdfFormat.JSON_LD:
        out.write(b"\n")


def _text(report, fmt: str) -> str:
    out = io.BytesIO()
    write_rdf(report, fmt, out)
    return out.getvalue().decode("utf-8")


def to_turtle(report) -> str:
    return _text(report, "ttl")


def to_ntriples(report) -> str:
    return _text(report, "nt")


def to_jsonld(report) -> str:
    return _text(report, "jsonld")


def report_graph(report) -> Graph:
    """The report as an rdflib graph (for callers comparing it with pySHACL's)."""
    g = Graph()
    g.parse(data=to_ntriples(report), format="nt")
    return g


def store_report(store, report) -> None:
    """Add the report to the store's reports graph (reports accumulate, one per run)."""
    from ..graphs import in_graph

    store.add(in_graph(report_triples(report), ns.GRAPH_REPORTS))
