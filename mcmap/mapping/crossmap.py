"""What each credential is worth in another jurisdiction, and why.

For every credential and every target jurisdiction: its volume in the target's unit (through
hours), its level in the target's framework (the chain of published correspondences and its
confidence), and whether it would meet the target's definition in force on the chosen date
(the target's SHACL rule set run over the converted record), with the rules it would fail.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache, lru_cache

import pyoxigraph as ox

from .. import frameworks
from .. import namespaces as ns
from ..errors import UsageError
from ..validate import parse_date
from .eligibility import Converted, Finding, Verdict
from .levels import LevelGraph, LevelMapping, level_label, shipped_graph
from .records import Credential, credential_from, credentials_of, first_stateless, in_file_order, node
from decimal import ROUND_CEILING, ROUND_FLOOR

from .volume import Quantity, Volume, convert, fmt, lexical, source_hours


# A "yes" must rest on something to recognise and a level the user can rely on (docs/mapping.md):
# less than MIN_HOURS of learning is below the smallest volume any framework mcmap knows accepts
# as a micro-credential (the AU NMF's 1 hour), and a level chain below RELIABLE_LEVEL confidence
# (an unverified or long derived chain) makes the outcome "yes, level uncertain".
MIN_HOURS = Fraction(1)
RELIABLE_LEVEL = 0.5
RECOGNISE_RULE = "MCMAP-MAP-VOL"
RECOGNISE_CITATION = ("mcmap mapping rule: something to recognise (at least 1 notional learning hour, the "
                      "smallest minimum of the frameworks mcmap knows: AU NMF definition)")


@dataclass(slots=True)  # one per credential (and target): no dict each
class TargetResult:
    jurisdiction: str
    framework: str
    definition: str | None          # label of the definition in force
    definition_iri: str | None
    rule_set: str | None
    sources: tuple[str, ...]        # the definition's sources
    volume: Volume | None
    level: LevelMapping | None
    verdict: Verdict | None
    notes: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool | None:
        return None if self.verdict is None else self.verdict.eligible

    @property
    def failures(self) -> list[Finding]:
        return self.verdict.failures if self.verdict else []

    @property
    def level_uncertain(self) -> bool:
        """A level is stated but its place in the target framework rests on a weak chain."""
        return self.level is not None and self.level.confidence < RELIABLE_LEVEL

    @property
    def outcome(self) -> str:
        """The verdict's outcome; a 'yes' whose level mapping is not reliable says so."""
        outcome = self.verdict.outcome if self.verdict else "unknown"
        if outcome == "yes" and self.level_uncertain:
            return "yes, level uncertain"
        return outcome


@dataclass(slots=True)  # one per credential (and target): no dict each
class CredentialMapping:
    credential: Credential
    source: str                     # source jurisdiction code
    hours: Quantity | None
    hours_basis: str
    targets: list[TargetResult] = field(default_factory=list)


def _as_date(as_of) -> dt.date:
    return parse_date(as_of) or dt.date.today()


def _in_force(code: str, on: dt.date):
    """The jurisdiction's definition in force on a date (the latest, if several)."""
    defs = frameworks.definitions(code, on)
    return defs[-1] if defs else None


# A registry repeats a few volumes and levels many times: each is worked out once (the results
# are immutable, or never changed after they are made).
_source_hours = lru_cache(maxsize=65536)(source_hours)
_convert = lru_cache(maxsize=65536)(convert)


@cache
def _shipped_rule_sets() -> frozenset[str]:
    from ..validate import frameworks as rule_sets

    return frozenset(rule_sets())


# Credentials mapped (and their results handed on) at a time: what is held in Python, and in
# the scratch store or work graphs the rules run in, stays this size whatever the size of the
# registry.
PART = 10_000


def map_store(store, targets: list[str], *, source: str | None = None, as_of=None,
              check_eligibility: bool = True, extra_mappings=(), part: int | None = None) -> list[CredentialMapping]:
    """Map every credential in the store's data graph into each target jurisdiction.

    `extra_mappings`: SSSOM mapping sets of level correspondences to use besides the shipped
    ones (e.g. a newly published referencing result)."""
    return [cm for results in map_parts(store, targets, source=source, as_of=as_of, part=part,
                                        check_eligibility=check_eligibility, extra_mappings=extra_mappings)
            for cm in results]


def map_parts(store, targets: list[str], *, source: str | None = None, as_of=None,
              check_eligibility: bool = True, extra_mappings=(), part: int | None = None):
    """map_store a part of the credentials at a time (a list of `part` of them, in file order,
    each part complete with its verdicts), so a registry's results can be written out as they
    come. An embedded store's credentials are read from its indexes; a remote store's records
    are asked for a part at a time, and its rules run in work graphs inside it (see
    eligibility_store)."""
    from ..store import LocalStore
    from .eligibility_store import RemoteScratch, Scratch

    graph = LevelGraph(list(shipped_graph().sets) + list(extra_mappings)) if extra_mappings else shipped_graph()
    on = _as_date(as_of)
    target_codes = [frameworks.jurisdiction(t).code for t in targets]
    source_code = frameworks.jurisdiction(source).code if source else None

    def mapped(creds: list[Credential], scratch=None) -> list[CredentialMapping]:
        results = [_mapping(c, source_code, target_codes, on, graph) for c in creds]
        if check_eligibility:
            _eligibility(store, results, on, scratch)
        return results

    if source_code is None:
        # the first credential that states no jurisdiction is an error before any part is out
        c = first_stateless(store)
        if c is not None:
            _mapping(c, None, [], on, graph)
    order = in_file_order(store)
    part = part or PART
    if not order:
        return
    local = isinstance(store, LocalStore)
    data = ox.NamedNode(ns.GRAPH_DATA)
    with ((Scratch if local else RemoteScratch)(store) if check_eligibility else contextlib.nullcontext()) as scratch:
        for start in range(0, len(order), part):
            held = order[start:start + part]
            if local:
                # each credential's own quads read once: for its record, and for the rules
                held = {iri: list(store.ox.quads_for_pattern(node(iri), None, None, data)) for iri in held}
                creds = [credential_from(iri, quads) for iri, quads in held.items()]
            else:
                creds = credentials_of(store, held)
            if scratch is not None:
                scratch.hold(held)
            del held
            yield mapped(creds, scratch)


def _mapping(c: Credential, source_code: str | None, target_codes: list[str], on: dt.date,
             graph: LevelGraph) -> CredentialMapping:
    src = source_code or c.jurisdiction
    if src is None:
        raise UsageError(f"{c.where}: credential '{c.identifier}' states no jurisdiction; give --from")
    system = c.credit_system
    if system is None and c.credits is not None:
        system = frameworks.jurisdiction(src).credit_system
    hours, basis = _source_hours(c.hours, c.credits, system)
    if c.credit_system is None and c.credits is not None and c.hours is None and system:
        basis += f" (no credit system stated: {src}'s {system} credits assumed)"
    cm = CredentialMapping(credential=c, source=src, hours=hours, hours_basis=basis)
    for code in target_codes:
        cm.targets.append(_target(c, code, hours, basis, on, graph))
    return cm


def _target(c: Credential, code: str, hours: Quantity | None, basis: str, on: dt.date,
            graph: LevelGraph) -> TargetResult:
    j = frameworks.jurisdiction(code)
    definition = _in_force(code, on)
    volume = _convert(hours, j.credit_system) if hours is not None and j.credit_system else None
    if volume is not None and not basis.endswith(" h stated"):
        # Say where the hours came from (credits x hours per credit) before converting them.
        words = basis if volume.unit == "h" else f"{basis}; {volume.explanation}"
        volume = Volume(volume.amount, volume.unit, volume.system, words, volume.rounded)
    level = graph.cached_map(c.level, j.framework) if c.level else None
    notes = []
    if c.national_code and c.hours is not None:
        notes.append(f"the {fmt(c.hours)} h are the provider's own: training.gov.au gives no hours for "
                     f"{c.national_code}")
    if j.status_of("mc:usesCreditSystem") != "confirmed":
        notes.append(f"{code} credit unit ({j.credit_system}) is {j.status_of('mc:usesCreditSystem')}")
    rule_set = definition.rule_set if definition else None
    if definition is None:
        notes.append(f"{code} has no micro-credential definition in force on {on.isoformat()}")
    elif rule_set is None or rule_set not in _shipped_rule_sets():
        notes.append(f"no rule set encodes '{definition.label}' yet, so eligibility is not checked")
        rule_set = None
    return TargetResult(jurisdiction=code, framework=j.framework,
                        definition=definition.label if definition else None,
                        definition_iri=definition.iri if definition else None,
                        rule_set=rule_set,
                        sources=definition.sources if definition else j.sources,
                        volume=volume, level=level, verdict=None, notes=notes)


def _converted(cm: CredentialMapping, t: TargetResult, end: str) -> Converted:
    """The credential restated at one end of its volume range. Credits that have no finite decimal
    form (10 h = 1/3 ECTS credit at 30 h per credit) are written to 30 places, rounded towards the
    rate they were converted at, so the record keeps that rate: the low end (converted at the
    most hours per credit) rounds up, the high end down."""
    v = t.volume
    hours = None if cm.hours is None else lexical(getattr(cm.hours, end))
    credits = system = None
    if v is not None and v.unit != "h":
        credits = lexical(getattr(v.amount, end), ROUND_CEILING if end == "low" else ROUND_FLOOR)
        system = v.system
    return Converted(iri=cm.credential.iri, jurisdiction=t.jurisdiction,
                     level=t.level.target if t.level else None,
                     credits=credits, credit_system=system, hours=hours)


def _recognise(cm: CredentialMapping, t: TargetResult) -> None:
    """Add mcmap's own finding when there is nothing to recognise: no volume at all, or less
    than MIN_HOURS, unless the target's rules already said so about the volume."""
    v = t.verdict
    if v is None or v.eligible is None:
        return
    volume_paths = {ns.MC + "volumeOfLearningHours", ns.MC + "creditValue"}
    if any(f.path in volume_paths for f in v.failures):
        return
    if cm.hours is None:
        finding = Finding(RECOGNISE_RULE, RECOGNISE_CITATION, "no volume of learning is stated, so there is "
                          "nothing to say how much learning would be recognised", "Violation",
                          path=ns.MC + "volumeOfLearningHours", stated=False)
    elif cm.hours.low < MIN_HOURS:
        finding = Finding(RECOGNISE_RULE, RECOGNISE_CITATION, f"{cm.hours} h of learning is less than 1 hour: "
                          "below the smallest volume any framework mcmap knows recognises as a micro-credential",
                          "Violation", path=ns.MC + "volumeOfLearningHours", value=fmt(cm.hours.low))
    else:
        return
    v.eligible = False
    v.failures.append(finding)
    v.failures.sort(key=lambda f: f.rule_id)


def _eligibility(store, results: list[CredentialMapping], on: dt.date, scratch=None) -> None:
    """One validation run per target (two where a volume is a range: its low and high ends)."""
    if not results:
        return
    from .eligibility_store import check_in_store as check

    for k in range(len(results[0].targets)):
        rule_set = results[0].targets[k].rule_set
        if rule_set is None:
            continue
        ranged = any(cm.targets[k].volume and not cm.targets[k].volume.amount.is_exact for cm in results)
        low = check(store, [_converted(cm, cm.targets[k], "low") for cm in results], rule_set, on, scratch)
        high = check(store, [_converted(cm, cm.targets[k], "high") for cm in results], rule_set, on,
                     scratch) if ranged else low
        for cm in results:
            t = cm.targets[k]
            a, b = low[cm.credential.iri], high[cm.credential.iri]
            if a is b:
                t.verdict = a
                continue
            failures = a.failures + [f for f in b.failures if f not in a.failures]
            warnings = a.warnings + [f for f in b.warnings if f not in a.warnings]
            t.verdict = Verdict(eligible=a.eligible and b.eligible, failures=failures, warnings=warnings,
                                straddles=a.outcome != b.outcome)
            if t.verdict.straddles:
                t.notes.append(f"the volume is a range: at its low end the outcome is '{a.outcome}', "
                               f"at its high end '{b.outcome}'")
        for cm in results:
            _recognise(cm, cm.targets[k])
            if cm.targets[k].level_uncertain and cm.targets[k].outcome == "yes, level uncertain":
                lm = cm.targets[k].level
                cm.targets[k].notes.append(
                    f"the level mapping {lm.chain} has confidence {lm.confidence:.2g}, below {RELIABLE_LEVEL}: "
                    "the rules are met, but the level it would have there is not reliable")


def level_text(t: TargetResult) -> str:
    if t.level is None:
        return "level not stated"
    if t.level.target is None:
        return f"no {t.framework.upper()} level"
    return level_label(t.level.target)
