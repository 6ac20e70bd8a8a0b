"""The validation report: what every renderer, the CLI and the Python API receive.

A result is small: the focus node and the value are the store's own (pyoxigraph) terms, the
path, the source shape, the constraint component and the severity are the shapes graph's nodes,
shared by every result of a shape, and what the validation layer adds (the rule's id and
citation, the credential's file and row) is one dict per rule and one per credential, shared by
reference. A report of 300,000 results is then tens of megabytes, not gigabytes. Compare results
with rdflib's (pySHACL's) by converting them: `mcmap.shacl.terms.to_rdflib`.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

NO_DETAILS: dict = {}


class Result:
    __slots__ = ("focus_node", "result_path", "value", "source_shape", "source_constraint_component",
                 "severity", "messages", "stated", "lowered_from", "rule", "credential")

    def __init__(self, focus_node, result_path, value, source_shape, source_constraint_component: URIRef,
                 severity: URIRef, messages: tuple = ()):
        self.focus_node = focus_node  # a pyoxigraph term
        self.result_path = result_path  # the predicate IRI, or the path's node in the shapes graph; None for node shapes
        self.value = value  # a pyoxigraph term, or None
        self.source_shape = source_shape
        self.source_constraint_component = source_constraint_component
        self.severity = severity  # sh:Violation, sh:Warning or sh:Info
        self.messages = messages
        self.stated: bool | None = None  # False: the rule is about information the credential does not state
        self.lowered_from: str | None = None  # "Violation" when a listing's missing field became a Warning
        self.rule: dict = NO_DETAILS  # rule_id, citation, source, evidence_status, in force from/until
        self.credential: dict = NO_DETAILS  # identifier, title, source_file, source_row, source_line

    def key(self) -> tuple:
        """What identifies a result independently of its messages and details."""
        return (self.focus_node, self.result_path, self.value, self.source_shape,
                self.source_constraint_component, self.severity)

    def detail(self, name: str):
        """One of the details (see `details`), without building the dict."""
        if name == "stated":
            return self.stated
        if name == "lowered_from":
            return self.lowered_from
        value = self.credential.get(name)
        return self.rule.get(name) if value is None else value

    @property
    def details(self) -> dict:
        """rule_id, citation, source, evidence_status, source_file, source_row/source_line,
        title, identifier, stated (and lowered_from where a Violation was lowered), as one dict."""
        out = {**self.rule, **self.credential, "stated": self.stated}
        if self.lowered_from:
            out["lowered_from"] = self.lowered_from
        return out

    def __repr__(self) -> str:
        return (f"Result({self.focus_node}, {self.result_path}, {self.value}, "
                f"{str(self.source_constraint_component).rsplit('#', 1)[-1]})")


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    shapes_graph: Graph
    focus_count: int = 0  # distinct focus nodes of the active shapes' targets: what was checked
    as_written: object = None  # gives results taken to disk their values as written (see engine.run)

    def to_graph(self) -> Graph:
        """A standard sh:ValidationReport graph (rdflib), with result paths copied from the shapes graph."""
        from .render_rdf import report_graph

        return report_graph(self)
