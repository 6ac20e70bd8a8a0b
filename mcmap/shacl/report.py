"""The validation report: what every renderer, the CLI and the Python API receive.

All terms are rdflib terms so a report can be turned into a standard sh:ValidationReport
graph without translation, and compared with pySHACL's reports term for term.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH


@dataclass(slots=True)
class Result:
    focus_node: object
    result_path: object  # the predicate IRI, or the path's node in the shapes graph; None for node shapes
    value: object
    source_shape: object
    source_constraint_component: URIRef
    severity: URIRef  # sh:Violation, sh:Warning or sh:Info
    messages: tuple = ()
    details: dict = field(default_factory=dict)  # filled by the validation layer: rule_id, citation, source row...

    def key(self) -> tuple:
        """What identifies a result independently of its messages and details."""
        return (self.focus_node, self.result_path, self.value, self.source_shape,
                self.source_constraint_component, self.severity)


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    shapes_graph: Graph
    focus_count: int = 0  # distinct focus nodes of the active shapes' targets: what was checked

    def to_graph(self) -> Graph:
        """A standard sh:ValidationReport graph, with result paths copied from the shapes graph."""
        g = Graph()
        g.bind("sh", SH)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, r.focus_node))
            if r.result_path is not None:
                g.add((node, SH.resultPath, r.result_path))
                _copy_structure(self.shapes_graph, g, r.result_path)
            if r.value is not None:
                g.add((node, SH.value, r.value))
            g.add((node, SH.sourceShape, r.source_shape))
            _copy_structure(self.shapes_graph, g, r.source_shape, shallow=True)
            g.add((node, SH.sourceConstraintComponent, r.source_constraint_component))
            g.add((node, SH.resultSeverity, r.severity))
            for m in r.messages:
                g.add((node, SH.resultMessage, m))
        return g


def _copy_structure(src: Graph, dst: Graph, node, shallow: bool = False, seen=None) -> None:
    """Copy the triples hanging off a blank node (a path expression, an RDF list) so the
    report stays meaningful on its own. Blank-node shapes get only their path, not their body."""
    if not isinstance(node, BNode):
        return
    seen = seen if seen is not None else set()
    if node in seen:
        return
    seen.add(node)
    for p, o in src.predicate_objects(node):
        if shallow and p != SH.path:
            continue
        dst.add((node, p, o))
        _copy_structure(src, dst, o, seen=seen)
