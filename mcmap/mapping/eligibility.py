"""Would a credential, restated in the target's terms, meet the target's definition?

The credential's own triples are copied into a fresh in-memory store with its jurisdiction,
level, credits, credit system and hours replaced by the converted ones, and the target's rule
set (the definition in force on the chosen date) is run over it by `mcmap.validate`. Every
Violation is a reason it would not be eligible; Warnings are reported but do not block.
All credentials are checked in one validation run per target.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns

REPLACED = {ns.MC + p for p in ("jurisdiction", "level", "creditValue", "creditSystem",
                                "volumeOfLearningHours")}
_DEC = ox.NamedNode(ns.XSD + "decimal")


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


@dataclass
class Converted:
    """The converted facts of one credential for one target."""

    iri: str
    jurisdiction: str
    level: str | None
    credits: str | None       # exact decimal as text; None where the target counts hours only
    credit_system: str | None
    hours: str | None


@dataclass
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


def converted_quads(source_quads: list, records: list[Converted]) -> list:
    """The data quads with each credential's jurisdiction, level and volume replaced."""
    by_iri = {r.iri: r for r in records}
    graph = ox.NamedNode(ns.GRAPH_DATA)
    out = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in source_quads
           if not (q.subject.value in by_iri and q.predicate.value in REPLACED)]
    for r in records:
        s = ox.NamedNode(r.iri)

        def add(p, o):
            out.append(ox.Quad(s, ox.NamedNode(ns.MC + p), o, graph))

        add("jurisdiction", ox.NamedNode(ns.jurisdiction_iri(r.jurisdiction)))
        if r.level:
            add("level", ox.NamedNode(r.level))
        if r.credits is not None:
            add("creditValue", ox.Literal(r.credits, datatype=_DEC))
        if r.credit_system:
            add("creditSystem", ox.NamedNode(ns.credit_system_iri(r.credit_system)))
        if r.hours is not None:
            add("volumeOfLearningHours", ox.Literal(r.hours, datatype=_DEC))
    return out


def check(source_quads: list, records: list[Converted], rule_set: str, as_of=None) -> dict[str, Verdict]:
    """Run `rule_set` over the converted records; a Verdict per credential IRI."""
    from ..store import LocalStore
    from ..validate import validate

    store = LocalStore()
    store.add(converted_quads(source_quads, records))
    report = validate(store, rule_set, as_of=as_of)
    # Findings on a credential's provider (or another node it points to) count for it.
    owners: dict[str, set[str]] = {}
    iris = {r.iri for r in records}
    for q in source_quads:
        if q.subject.value in iris and isinstance(q.object, ox.NamedNode):
            owners.setdefault(q.object.value, set()).add(q.subject.value)
    stated = {(q.subject.value, q.predicate.value) for q in store.quads(ns.GRAPH_DATA)}
    return verdicts_from(report, records, owners, stated)


def verdicts_from(report, records: list[Converted], owners: dict[str, set[str]],
                  stated: set[tuple[str, str]] = frozenset()) -> dict[str, Verdict]:
    """A Verdict per credential IRI from the validation report of the converted records.
    `owners`: the credentials pointing at each other node (a finding on a provider counts for
    them); `stated`: the (subject, predicate) pairs of the converted data, used only for a
    result `mcmap validate` has not marked stated or not."""
    from rdflib import URIRef

    from ..labels import sparql_path

    verdicts = {r.iri: Verdict(eligible=True) for r in records}
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
        predicate = str(res.result_path) if isinstance(res.result_path, URIRef) else None
        for iri in targets:
            marked = details.get("stated")  # as `mcmap validate` marks it
            if marked is False or (marked is None and finding.path and (predicate is None or (iri, predicate) not in stated)):
                finding = Finding(**{**finding.__dict__, "stated": False})
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
