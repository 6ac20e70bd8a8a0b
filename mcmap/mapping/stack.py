"""How far a set of micro-credentials takes a learner toward a qualification (`mcmap stack`).

Qualifications are data (ontology/reference/qualifications.ttl, or any Turtle file given with the
credentials): a VET qualification by its packaging rules (core units, a number of electives), a
credit-based one by its total credits and level requirements (NZ: 40 credits at or above level 3).

Each micro-credential counts, possibly counts, or does not count, and says why:

- VET: its units of competency (the `units` column; for a unit, its own code; for a skill set in
  the reference data, the register's units) are matched with the core and listed elective units.
  A unit from elsewhere is only a possible elective (packaging rules often, not always, admit
  them). A unit counts once.
- Credits: its volume goes through `map`'s conversions (hours, then the qualification's credit
  system) and its level through the published level correspondences. It counts when the
  provider's credit recognition names the qualification; otherwise it is only possible (credit
  is the awarding body's decision). A range (ECTS), an unconfirmed credit system or a level mapped
  at less than full confidence makes its part uncertain.

Arithmetic is exact (fractions); only the rendering rounds.
"""
from __future__ import annotations

import re
from fractions import Fraction

from .. import namespaces as ns
from ..errors import UsageError
from .levels import level_label, map_level, parse_level
from .records import credentials as read_credentials
from .stack_model import COUNTS, NO, POSSIBLE, Contribution, Qualification, Requirement, StackResult, _num
from .volume import convert, credit_systems, source_hours

CERTAIN_CONFIDENCE = 1.0

_QUALIFICATION = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?q ?p ?o WHERE {
  VALUES ?wanted { %s }
  ?q a mc:Qualification ; ?p ?o .
  FILTER (STR(?q) = ?wanted || EXISTS { ?q mc:nationalCode ?code FILTER (UCASE(STR(?code)) = UCASE(?wanted)) })
}"""

_REQUIREMENTS = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
SELECT ?credits ?level WHERE { %s mc:levelRequirement ?r . ?r mc:creditsRequired ?credits ; mc:atOrAboveLevel ?level }"""

_VET = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
SELECT ?c ?p ?o WHERE {
  ?c a mc:MicroCredential ; ?p ?o .
  FILTER (?p IN (mc:kind, mc:nationalCode, mc:unitCode, mc:creditRecognition))
}"""

_REFERENCE = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
SELECT ?code ?type ?unit ?usage WHERE {
  ?x mc:nationalCode ?code ; a ?type .
  FILTER (?type IN (mc:SkillSet, mc:UnitOfCompetency))
  OPTIONAL { ?x mc:unitCode ?unit }
  OPTIONAL { ?x mc:usageRecommendation ?usage }
}"""


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def qualification(store, wanted: str) -> Qualification:
    """The qualification with national code (or IRI) `wanted`, from the reference data or the files."""
    import pyoxigraph as ox

    rows = store.select(_QUALIFICATION % ox.Literal(wanted))
    props: dict[str, list] = {}
    iri = None
    for q, p, o in rows:
        iri = q.value
        props.setdefault(p.value, []).append(o)
    if iri is None:
        known = sorted({r[0].value for r in store.select(
            "PREFIX mc: <https://w3id.org/mcmap/ns#> SELECT ?c WHERE { ?q a mc:Qualification ; mc:nationalCode ?c }")})
        raise UsageError(f"--toward: no qualification '{wanted}' in the reference data or the files "
                         f"(known: {', '.join(known) or 'none'})")

    def one(name):
        values = props.get(ns.MC + name) or props.get(ns.DCT + name) or []
        return sorted(values, key=str)[0].value if values else None

    def many(name):
        return sorted(v.value for v in props.get(ns.MC + name, []))

    q = Qualification(iri=iri, code=one("nationalCode") or _tail(iri), title=one("title") or _tail(iri))
    q.jurisdiction = _tail(one("jurisdiction")) if one("jurisdiction") else None
    q.level = one("level")
    q.total_units = int(one("totalUnits")) if one("totalUnits") else None
    q.core = many("coreUnit")
    q.electives = int(one("electiveUnits")) if one("electiveUnits") else None
    q.listed_electives = set(many("listedElective"))
    q.total_credits = Fraction(one("totalCredits")) if one("totalCredits") else None
    q.credit_system = _tail(one("creditSystem")) if one("creditSystem") else None
    q.sources = sorted(v.value for v in props.get(ns.DCT + "source", []))
    q.status = _tail(one("evidenceStatus")).lower() if one("evidenceStatus") else None
    q.comment = (props.get(ns.RDFS + "comment") or [None])[0]
    q.comment = q.comment.value if q.comment is not None else None
    for credits, level in store.select(_REQUIREMENTS % ox.NamedNode(iri)):
        q.requirements.append((Fraction(credits.value), level.value))
    if not q.by_units and q.total_credits is None:
        raise UsageError(f"--toward: qualification {q.code} states neither units (mc:totalUnits) nor credits "
                         "(mc:totalCredits)")
    return q


def _names(q: Qualification) -> list[str]:
    """What a provider's credit recognition may call the qualification: its code, its title, and
    its title without parenthesised parts ('New Zealand Certificate in Te Reo')."""
    plain = re.sub(r"\s*\([^)]*\)", "", q.title).strip()
    return [n.lower() for n in {q.code, q.title, plain} if n and len(n) > 3]


def _recognised(texts: list[str], q: Qualification) -> str | None:
    for t in texts:
        low = " ".join(t.lower().split())
        if any(n in low for n in _names(q)):
            return t
    return None


def stack(store, toward: str) -> StackResult:
    """Which of the store's micro-credentials count toward qualification `toward`, and why."""
    from ..ontology import ensure_ontology

    ensure_ontology(store)
    q = qualification(store, toward)
    extra: dict[str, dict[str, list]] = {}
    for c, p, o in store.select(_VET, default_graphs=[ns.GRAPH_DATA]):
        extra.setdefault(c.value, {}).setdefault(_tail(p.value), []).append(o.value)
    reference: dict[str, dict] = {}
    for code, typ, unit, usage in store.select(_REFERENCE, default_graphs=[ns.GRAPH_REFERENCE]):
        ref = reference.setdefault(code.value, {"type": _tail(typ.value), "units": set(), "usage": None})
        if unit is not None:
            ref["units"].add(unit.value)
        if usage is not None:
            ref["usage"] = usage.value
    creds = read_credentials(store)
    result = StackResult(q, [], requirements=[Requirement(lv, c, Fraction(0), Fraction(0)) for c, lv in q.requirements])
    seen_units: set[str] = set()
    for c in creds:
        info = extra.get(c.iri, {})
        contrib = Contribution(c.identifier, c.title, c.where, NO)
        if q.by_units:
            _by_units(contrib, info, q, reference, seen_units, result)
        else:
            _by_credits(contrib, c, info, q, result)
        result.contributions.append(contrib)
    result.core_remaining = [u for u in q.core if u not in result.core_done]
    return result


def _units_of(info: dict, reference: dict) -> tuple[list[str], str]:
    units = sorted(set(info.get("unitCode", [])))
    if units:
        return units, "units stated"
    kind = _tail(info.get("kind", [""])[0]) if info.get("kind") else ""
    codes = info.get("nationalCode", [])
    for code in codes:
        ref = reference.get(code)
        if ref and ref["type"] == "UnitOfCompetency" or kind == "VetUnitOfCompetency":
            return [code], "a unit of competency"
        if ref and ref["units"]:
            return sorted(ref["units"]), f"the units of skill set {code} in mcmap's reference data"
    return [], ""


def _by_units(contrib: Contribution, info: dict, q: Qualification, reference: dict,
              seen: set[str], result: StackResult) -> None:
    units, how = _units_of(info, reference)
    if not units:
        named = _recognised(info.get("creditRecognition", []), q)
        if named:
            contrib.outcome = POSSIBLE
            contrib.reasons.append(f"no unit of competency stated; the provider states credit recognition "
                                   f"'{named}', which an RTO may grant as credit")
            contrib.uncertain.append("credit without units is the RTO's decision")
        else:
            contrib.reasons.append(f"no unit of competency stated: {q.code} is achieved by units, not hours")
        return
    for unit in units:
        ref = reference.get(unit)
        if unit in seen:
            contrib.reasons.append(f"{unit} is already counted for another micro-credential")
            continue
        if ref and ref.get("usage") and ref["usage"].lower() != "current":
            contrib.uncertain.append(f"{unit} is {ref['usage'].lower()} on the national register: it counts "
                                     "only where an equivalent unit is accepted")
        if unit in q.core:
            seen.add(unit)
            contrib.core.append(unit)
            result.core_done.append(unit)
            contrib.reasons.append(f"{unit} is a core unit ({how}); an RTO must give credit for a unit achieved "
                                   "at any RTO (Standards for RTOs 2015, clause 3.5)")
        elif unit in q.listed_electives:
            seen.add(unit)
            if len(result.electives_counted) < (q.electives or 0):
                contrib.electives.append(unit)
                result.electives_counted.append(unit)
                contrib.reasons.append(f"{unit} is a listed elective ({how}); an RTO must give credit for a unit "
                                       "achieved at any RTO (Standards for RTOs 2015, clause 3.5)")
            else:
                contrib.reasons.append(f"{unit} is a listed elective, but the {q.electives} electives are already met")
        else:
            seen.add(unit)
            contrib.possible_electives.append(unit)
            result.electives_possible.append(unit)
            contrib.reasons.append(f"{unit} is neither core nor a listed elective ({how})")
            contrib.uncertain.append(f"{unit} may count as an elective from another training package if "
                                     f"{q.code}'s packaging rules allow it (check training.gov.au)")
    if contrib.core or contrib.electives:
        contrib.outcome = COUNTS
    elif contrib.possible_electives:
        contrib.outcome = POSSIBLE


def _by_credits(contrib: Contribution, c, info: dict, q: Qualification, result: StackResult) -> None:
    hours, how = source_hours(c.hours, c.credits, c.credit_system)
    if hours is None:
        contrib.reasons.append(f"{how}: it adds no credits")
        return
    volume = convert(hours, q.credit_system)
    low, high = Fraction(volume.amount.low), Fraction(volume.amount.high)
    contrib.reasons.append(f"{how}; {volume.explanation}")
    if low != high:
        contrib.uncertain.append(f"its volume is a range ({volume}): only {_num(low)} counts for certain")
    named = _recognised(info.get("creditRecognition", []), q)
    system = credit_systems().get(c.credit_system or "")
    soft_system = c.hours is None and system is not None and system.status != "confirmed"
    if soft_system:
        contrib.uncertain.append(f"the {system.label} conversion is {system.status}")
    if named:
        contrib.reasons.append(f"the provider states credit recognition: '{named}'")
    else:
        contrib.uncertain.append(f"no credit recognition into {q.title} is stated: it counts only if the "
                                 "awarding body grants credit for it")
    if named and not soft_system:
        contrib.outcome, contrib.credits, contrib.credits_possible = COUNTS, low, high - low
    else:
        contrib.outcome, contrib.credits_possible = POSSIBLE, high
    result.credits_counted += contrib.credits
    result.credits_possible += contrib.credits_possible
    for required, level in q.requirements:
        met, sure, words = _level_meets(c.level, level)
        contrib.reasons.append(words)
        req = next((r for r in result.requirements if r.level == level), None)
        if req is None:
            req = Requirement(level, required, Fraction(0), Fraction(0))
            result.requirements.append(req)
        if not met:
            continue
        contrib.levels_met.append(level)
        if sure:
            req.counted += contrib.credits
            req.possible += contrib.credits_possible
        else:
            contrib.uncertain.append(f"its level is placed by a published correspondence, not stated on the "
                                     f"{level_label(level).split()[0]}: {words}, so it counts there only possibly")
            req.possible += contrib.credits + contrib.credits_possible


def _level_meets(level: str | None, required: str) -> tuple[bool, bool, str]:
    """(is at or above, is that certain, in words)."""
    want = parse_level(required)
    if not level or want is None:
        return False, False, f"no level stated, so it does not count toward {level_label(required)} or above"
    mine = parse_level(level)
    if mine and mine[0] == want[0]:
        ok = mine[1] >= want[1]
        return ok, True, f"{level_label(level)} is {'at or above' if ok else 'below'} {level_label(required)}"
    m = map_level(level, want[0])
    if not m.found:
        return False, False, f"{level_label(level)} has no {want[0].upper()} level ({m.explain()})"
    number = parse_level(m.target)[1]
    ok = number >= want[1]
    sure = m.confidence >= CERTAIN_CONFIDENCE and m.predicate == ns.SKOS + "exactMatch"
    words = (f"{m.chain} ({'confidence ' + format(m.confidence, '.3g')}) is {'at or above' if ok else 'below'} "
             f"{level_label(required)}")
    return ok, sure, words


def stack_files(paths, toward: str, fmt: str | None = None) -> StackResult:
    """Read files into an in-memory store and stack their micro-credentials toward `toward`."""
    from ..load import store_with_files

    return stack(store_with_files(list(paths), fmt), toward)
