"""The report as RDF: a standard sh:ValidationReport, each result also carrying its mc:ruleId and
mc:citation, so systems can file it and SPARQL can ask which rules fail most often."""
from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD

from .. import namespaces as ns

MC_RULE_ID = URIRef(ns.MC + "ruleId")
MC_CITATION = URIRef(ns.MC + "citation")
MC_RULE_SET = URIRef(ns.MC + "ruleSet")
MC_STATED = URIRef(ns.MC + "stated")


def report_graph(report) -> Graph:
    g = report.to_graph()
    g.bind("mc", ns.MC)
    g.bind("dct", DCTERMS)
    shapes = report.shapes_graph
    for node in g.objects(None, SH.result):
        shape = g.value(node, SH.sourceShape)
        rule = _rule_of(shapes, shape)
        if rule is not None:
            g.add((node, MC_RULE_ID, shapes.value(rule, MC_RULE_ID)))
            citation = shapes.value(rule, MC_CITATION)
            if citation is not None:
                g.add((node, MC_CITATION, citation))
    _add_stated(g, report)
    context = getattr(report, "context", None)
    for rep in g.subjects(RDF.type, SH.ValidationReport):
        g.add((rep, DCTERMS.created, Literal(dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
                                             datatype=XSD.dateTime)))
        if context is not None:
            if context.framework:
                g.add((rep, MC_RULE_SET, Literal(context.framework)))
            g.add((rep, RDFS.comment, Literal(
                f"Judged by the rules in force on {context.as_of.isoformat()}; "
                f"{context.checked} credential(s) checked.")))
    return g


def _add_stated(g: Graph, report) -> None:
    """mc:stated on each result: false for information the credential does not state."""
    nodes = {}
    for node in g.objects(None, SH.result):
        key = tuple(g.value(node, p) for p in (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape,
                                               SH.sourceConstraintComponent, SH.resultSeverity))
        nodes.setdefault(key, []).append(node)
    for r in report.results:
        stated = r.details.get("stated")
        if stated is not None:
            for node in nodes.get(r.key(), []):
                g.set((node, MC_STATED, Literal(stated)))


def _rule_of(shapes: Graph, shape):
    for s in (shape, *shapes.subjects(SH.property, shape), *shapes.subjects(SH.node, shape)):
        if shapes.value(s, MC_RULE_ID) is not None:
            return s
    return None


def to_turtle(report) -> str:
    return report_graph(report).serialize(format="turtle")


def to_jsonld(report) -> str:
    g = report_graph(report)
    context = {"sh": str(SH), "mc": ns.MC, "dct": str(DCTERMS), "rdfs": str(RDFS), "xsd": str(XSD)}
    return g.serialize(format="json-ld", context=context, indent=2)


def store_report(store, graph: Graph) -> None:
    """Add the report to the store's reports graph (reports accumulate, one per run)."""
    import pyoxigraph as ox

    data = graph.serialize(format="nt", encoding="utf-8")
    target = ox.NamedNode(ns.GRAPH_REPORTS)
    quads = [ox.Quad(t.subject, t.predicate, t.object, target)
             for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    store.add(quads)
