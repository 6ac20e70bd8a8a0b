"""Would a credential, restated in the target's terms, meet the target's definition?

The credential's own triples are copied into a work graph with its jurisdiction, level,
credits, credit system and hours replaced by the converted ones, and the target's rule set (the
definition in force on the chosen date) is run over it by `mcmap.validate` (see
eligibility_store for where that graph lives). Every Violation is a reason it would not be
eligible; Warnings are reported but do not block. All credentials are checked in one
validation run per target.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns
from .records import node

REPLACED = {ns.MC + p for p in ("jurisdiction", "level", "creditValue", "creditSystem",
                                "volumeOfLearningHours")}
_DEC = ox.NamedNode(ns.XSD + "decimal")
_JURISDICTION, _LEVEL, _CREDITS, _SYSTEM, _HOURS = (
    ox.NamedNode(ns.MC + p) for p in ("jurisdiction", "level", "creditValue", "creditSystem",
                                      "volumeOfLearningHours"))


@dataclass
class Finding:
    rule_id: str
    citation: str
    message: str
    severity: str          # "Violation", "Warning", "Info"
    path: str | None = None
    value: str | None = None
    stated: bool = True    # False: the rule is about a property the record does not state at all

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(slots=True)  # one per credential (and target): no dict each
class Converted:
    """The converted facts of one credential for one target."""

    iri: str
    jurisdiction: str
    level: str | None
    credits: str | None       # exact decimal as text; None where the target counts hours only
    credit_system: str | None
    hours: str | None


@dataclass(slots=True)  # one per credential (and target): no dict each
class Verdict:
    """`eligible`: no Violation at all. A Violation about a property the record does not state
    (no NZSCED code, no QA statement) is information the provider would have to add; one about a
    stated fact (0.3 credits, a level outside the framework) is a reason the credential, as it
    is, does not fit the target's definition."""

    eligible: bool | None                 # None: no rule set in force, nothing to check against
    failures: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    straddles: bool = False               # a volume range: one end passes where the other fails

    @property
    def meets_definition(self) -> bool | None:
        if self.eligible is None or self.straddles:
            return None
        return not any(f.stated for f in self.failures)

    @property
    def outcome(self) -> str:
        """'yes', 'no' (a stated fact fails), 'needs info' (only unstated items fail), 'unknown'."""
        if self.straddles:
            return "depends"
        if self.eligible is None:
            return "unknown"
        if self.eligible:
            return "yes"
        return "needs info" if self.meets_definition else "no"


def _term_value(x) -> str | None:
    if x is None:
        return None
    if isinstance(x, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return x.value
    return str(x)  # rdflib terms (the validation report's) are their own lexical form


def _severity(x) -> str:
    text = _term_value(x) or "Violation"
    return text.rsplit("#", 1)[-1]


def converted_quads(records: list[Converted], graph: str):
    """Each credential's converted jurisdiction, level and volume, as quads in `graph` (the
    credential's other triples are copied as they are; see eligibility_store)."""
    g = ox.NamedNode(graph)
    for r in records:
        s = node(r.iri)
        yield ox.Quad(s, _JURISDICTION, ox.NamedNode(ns.jurisdiction_iri(r.jurisdiction)), g)
        if r.level:
            yield ox.Quad(s, _LEVEL, ox.NamedNode(r.level), g)
        if r.credits is not None:
            yield ox.Quad(s, _CREDITS, ox.Literal(r.credits, datatype=_DEC), g)
        if r.credit_system:
            yield ox.Quad(s, _SYSTEM, ox.NamedNode(ns.credit_system_iri(r.credit_system)), g)
        if r.hours is not None:
            yield ox.Quad(s, _HOURS, ox.Literal(r.hours, datatype=_DEC), g)


def verdicts_from(report, records: list[Converted], owners: dict[str, set[str]],
                  stated: set[tuple[str, str]] = frozenset()) -> dict[str, Verdict]:
    """A Verdict per credential IRI from the validation report of the converted records.
    `owners`: the credentials pointing at each other node (a finding on a provider counts for
    them); `stated`: the (subject, predicate) pairs of the converted data, used only for a
    result `mcmap validate` has not marked stated or not."""
    from rdflib import URIRef

    from ..labels import sparql_path

    verdicts = {r.iri: Verdict(eligible=True) for r in records}
    # Thousands of credentials fail the same rule the same way: one Finding object for them
    # all (findings are never changed once made).
    shared: dict[tuple, Finding] = {}
    for res in report.results:
        focus = _term_value(res.focus_node)
        targets = [focus] if focus in verdicts else sorted(owners.get(focus, ()))
        details = getattr(res, "details", None) or {}
        messages = [str(_term_value(m)) for m in (getattr(res, "messages", None) or [])]
        # The path as SPARQL writes it (a sequence path is a blank node in the shapes graph).
        finding = Finding(
            rule_id=str(details.get("rule_id") or "?"), citation=str(details.get("citation") or ""),
            message=messages[0] if messages else "", severity=_severity(res.severity),
            path=sparql_path(getattr(report, "shapes_graph", None), res.result_path), value=_term_value(res.value))
        finding = shared.setdefault(tuple(finding.__dict__.values()), finding)
        predicate = str(res.result_path) if isinstance(res.result_path, URIRef) else None
        for iri in targets:
            marked = details.get("stated")  # as `mcmap validate` marks it
            if marked is False or (marked is None and finding.path and (predicate is None or (iri, predicate) not in stated)):
                unstated = Finding(**{**finding.__dict__, "stated": False})
                finding = shared.setdefault(tuple(unstated.__dict__.values()), unstated)
            v = verdicts[iri]
            if finding.severity == "Violation":
                v.eligible = False
                if finding not in v.failures:
                    v.failures.append(finding)
            elif finding not in v.warnings:
                v.warnings.append(finding)
    for v in verdicts.values():
        v.failures.sort(key=lambda f: f.rule_id)
        v.warnings.sort(key=lambda f: f.rule_id)
    return verdicts
