"""The registry of frameworks, jurisdictions, credit systems and definitions, read from the ontology.

Everything here comes from `ontology/frameworks/*.ttl`; adding a jurisdiction there adds it here.

    >>> from mcmap import frameworks as fw
    >>> fw.framework("nz").name                  # a framework name, notation or jurisdiction code
    'nzqcf'
    >>> fw.framework("sqf").level("VII").number  # levels by number, "7" or notation
    7
    >>> [d.label for d in fw.definitions("NZ", as_of="2020-01-01")]
    ['NZQA micro-credentials (2018 regime)']
    >>> fw.credit_system("ects").hours_range()
    (25.0, 30.0)
    >>> fw.level("https://w3id.org/mcmap/id/level/sqf/7").notation
    'VII'

Every record carries `status` ("confirmed", "secondary" or "unverified") and `sources` (URLs), and
`notes`: one `Evidence` per property whose standing differs from the record's own. Ask
`record.status_of("mc:maxHours")` for the standing of one fact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from . import namespaces as ns
from .errors import McmapError, UsageError

STATUSES = ("confirmed", "secondary", "unverified")


def curie(iri: str) -> str:
    """A compact name for an IRI (mc:maxHours, dct:title), or the IRI itself."""
    for prefix, base in ns.PREFIXES.items():
        if iri.startswith(base) and prefix != "mcid":
            return f"{prefix}:{iri[len(base):]}"
    return iri


@dataclass(frozen=True)
class Evidence:
    """The standing of one property (optionally of some of its values) of a record."""
    property: str                    # CURIE, e.g. "mc:maxHours"
    status: str
    sources: tuple[str, ...] = ()
    values: tuple[str, ...] = ()     # CURIEs of the values it speaks about; () means all of them
    comment: str | None = None


@dataclass(frozen=True)
class _Sourced:
    iri: str
    status: str
    sources: tuple[str, ...]
    notes: tuple[Evidence, ...]

    def status_of(self, prop: str, value: str | None = None) -> str:
        """The evidence status of one property (CURIE), or of one of its values."""
        for note in self.notes:
            if note.property == prop and (not note.values or value in note.values):
                return note.status
        return self.status


@dataclass(frozen=True)
class Level(_Sourced):
    framework: str                   # framework name, e.g. "sqf"
    number: int                      # 1..10, for arithmetic
    notation: str                    # as published: "7", "VII"
    label: str
    qualification_types: tuple[str, ...]


@dataclass(frozen=True)
class CreditSystem(_Sourced):
    code: str                        # "nz", "pqf", "ects", "au-hours"
    label: str
    hours_per_credit: float | None   # None where it is a range (ECTS)
    hours_per_credit_min: float | None
    hours_per_credit_max: float | None
    credits_per_year: float | None
    hours_per_year: float | None

    def hours_range(self) -> tuple[float, float] | None:
        """Notional hours per credit as (low, high); equal ends where it is a single figure."""
        if self.hours_per_credit is not None:
            return (self.hours_per_credit, self.hours_per_credit)
        if self.hours_per_credit_min is not None and self.hours_per_credit_max is not None:
            return (self.hours_per_credit_min, self.hours_per_credit_max)
        return None


@dataclass(frozen=True)
class Definition(_Sourced):
    jurisdiction: str                # "NZ"
    label: str
    text: str | None
    min_hours: float | None
    max_hours: float | None
    min_credits: float | None
    max_credits: float | None
    in_force_from: dt.date | None
    in_force_until: dt.date | None   # exclusive: the first day it no longer applies
    approved_by: tuple[str, ...]     # regulator codes
    review_rule: str | None
    required_elements: tuple[str, ...]     # CURIEs of properties, e.g. "mc:learningOutcome"
    recommended_elements: tuple[str, ...]
    rule_set: str | None             # name of the SHACL rule set in shapes/

    def in_force(self, on: dt.date) -> bool:
        """Whether it applies on a date; an unknown start or end does not rule a date out."""
        return ((self.in_force_from is None or self.in_force_from <= on)
                and (self.in_force_until is None or on < self.in_force_until))


@dataclass(frozen=True)
class Jurisdiction(_Sourced):
    code: str                        # "AU", "NZ", "WS", "PACIFIC", "EU"
    label: str
    framework: str                   # framework name
    credit_system: str | None        # credit system code
    definitions: tuple[Definition, ...]
    regulators: tuple[str, ...]      # regulator codes


@dataclass(frozen=True)
class Framework(_Sourced):
    name: str                        # "aqf", "nzqcf", "sqf", "pqf", "eqf"
    notation: str                    # "AQF"
    label: str
    level_count: int
    levels: tuple[Level, ...]
    jurisdictions: tuple[str, ...]   # codes of the jurisdictions whose framework it is
    credit_system: CreditSystem | None
    credit_system_status: str | None # standing of the link to the credit system (SQF: unverified)
    definitions: tuple[Definition, ...] = field(default=())

    def level(self, key: int | str) -> Level:
        """A level by number (7, "7") or published notation ("VII"); UsageError if none."""
        text = str(key).strip()
        for lvl in self.levels:
            if text == str(lvl.number) or text.upper() == lvl.notation.upper():
                return lvl
        raise UsageError(f"{self.notation} has no level '{key}' (levels: "
                         f"{', '.join(lvl.notation for lvl in self.levels)})")


# ---------------------------------------------------------------- reading the ontology

class _Graph:
    """Subject -> predicate -> objects, over the cached ontology triples."""

    def __init__(self, triples):
        self.index: dict = {}
        for t in triples:
            self.index.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def objects(self, s, p: str) -> list:
        return self.index.get(s, {}).get(p, [])

    def one(self, s, p: str):
        values = self.objects(s, p)
        return values[0] if values else None

    def text(self, s, p: str) -> str | None:
        value = self.one(s, p)
        return None if value is None else value.value

    def number(self, s, p: str) -> float | None:
        value = self.one(s, p)
        return None if value is None else float(value.value)

    def date(self, s, p: str) -> dt.date | None:
        value = self.one(s, p)
        return None if value is None else dt.date.fromisoformat(value.value)

    def iris(self, s, p: str) -> tuple[str, ...]:
        return tuple(sorted(o.value for o in self.objects(s, p)))

    def of_type(self, cls: str) -> list:
        rdf_type = ns.RDF + "type"
        return [s for s, po in self.index.items()
                if any(o.value == cls for o in po.get(rdf_type, []))]

    def sourced(self, s) -> dict:
        status = self.one(s, ns.MC + "evidenceStatus")
        notes = tuple(sorted(
            (Evidence(property=curie(self.one(e, ns.MC + "property").value),
                      status=_status(self.one(e, ns.MC + "evidenceStatus")),
                      sources=self.iris(e, ns.DCT + "source"),
                      values=tuple(sorted(curie(v) for v in self.iris(e, ns.MC + "aboutValue"))),
                      comment=self.text(e, ns.RDFS + "comment"))
             for e in self.objects(s, ns.MC + "evidence")),
            key=lambda n: (n.property, n.values)))
        return {"iri": s.value, "status": _status(status),
                "sources": self.iris(s, ns.DCT + "source"), "notes": notes}


def _known(table: dict, term, subject):
    if term.value not in table:
        raise KeyError(f"{subject.value} refers to {term.value}, which is not defined")
    return table[term.value]


def _status(term) -> str:
    # A fact with no stated standing is treated as unverified: unsourced is never confirmed.
    return term.value.rsplit("#", 1)[-1].lower() if term is not None else "unverified"


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


@cache
def _registry() -> dict:
    from .ontology import ontology_triples

    try:
        return _build(_Graph(ontology_triples()))
    except (KeyError, ValueError, TypeError, AttributeError) as e:
        # Someone adding a jurisdiction in Turtle gets a pointer, not a traceback.
        raise McmapError(
            f"ontology/frameworks: inconsistent framework data ({type(e).__name__}: {e}); "
            "check the files against ontology/shapes/frameworks.ttl") from None


def _build(g: _Graph) -> dict:
    mc = ns.MC
    label = ns.SKOS + "prefLabel"

    credit = {}
    for s in g.of_type(mc + "CreditSystem"):
        cs = CreditSystem(**g.sourced(s), code=g.text(s, ns.SKOS + "notation") or _tail(s.value),
                          label=g.text(s, label) or _tail(s.value),
                          hours_per_credit=g.number(s, mc + "hoursPerCredit"),
                          hours_per_credit_min=g.number(s, mc + "hoursPerCreditMin"),
                          hours_per_credit_max=g.number(s, mc + "hoursPerCreditMax"),
                          credits_per_year=g.number(s, mc + "creditsPerFullTimeYear"),
                          hours_per_year=g.number(s, mc + "hoursPerFullTimeYear"))
        credit[cs.code] = cs
    credit_by_iri = {c.iri: c for c in credit.values()}

    regulators = {s.value: g.text(s, ns.SKOS + "notation") or _tail(s.value)
                  for s in g.of_type(mc + "Regulator")}
    regulated = {}  # jurisdiction IRI -> codes of its regulators
    for s in g.of_type(mc + "Regulator"):
        for j in g.objects(s, mc + "jurisdiction"):
            regulated.setdefault(j.value, []).append(regulators[s.value])

    jurisdictions = {}
    for s in g.of_type(mc + "Jurisdiction"):
        code = g.text(s, ns.SKOS + "notation") or _tail(s.value)
        defs = []
        for d in g.objects(s, mc + "definition"):
            defs.append(Definition(
                **g.sourced(d), jurisdiction=code, label=g.text(d, label) or _tail(d.value),
                text=g.text(d, mc + "definitionText"),
                min_hours=g.number(d, mc + "minHours"), max_hours=g.number(d, mc + "maxHours"),
                min_credits=g.number(d, mc + "minCredits"), max_credits=g.number(d, mc + "maxCredits"),
                in_force_from=g.date(d, mc + "inForceFrom"), in_force_until=g.date(d, mc + "inForceUntil"),
                approved_by=tuple(regulators.get(r, _tail(r)) for r in g.iris(d, mc + "approvedBy")),
                review_rule=g.text(d, mc + "reviewRule"),
                required_elements=tuple(curie(p) for p in g.iris(d, mc + "requiredElement")),
                recommended_elements=tuple(curie(p) for p in g.iris(d, mc + "recommendedElement")),
                rule_set=g.text(d, mc + "ruleSet")))
        defs.sort(key=lambda d: (d.in_force_from or dt.date.min, d.label))
        credit_iri = g.one(s, mc + "usesCreditSystem")
        framework_iri = g.one(s, mc + "framework")
        jurisdictions[code] = Jurisdiction(
            **g.sourced(s), code=code, label=g.text(s, label) or code,
            framework=_tail(framework_iri.value) if framework_iri else "",
            credit_system=_known(credit_by_iri, credit_iri, s).code if credit_iri else None,
            definitions=tuple(defs),
            regulators=tuple(sorted(regulated.get(s.value, []))))

    frameworks = {}
    for s in g.of_type(mc + "QualificationsFramework"):
        name = _tail(s.value)
        levels = []
        for lv in g.index:
            if any(o == s for o in g.objects(lv, ns.SKOS + "inScheme")):
                levels.append(Level(
                    **g.sourced(lv), framework=name, number=int(g.text(lv, mc + "levelNumber")),
                    notation=g.text(lv, ns.SKOS + "notation"), label=g.text(lv, label),
                    qualification_types=tuple(o.value for o in g.objects(lv, mc + "indicativeQualification"))))
        levels.sort(key=lambda lv: lv.number)
        owners = [j for j in jurisdictions.values() if j.framework == name]
        owners.sort(key=lambda j: j.code)
        cs = cs_status = None
        for j in owners:
            if j.credit_system:
                cs = credit[j.credit_system]
                cs_status = j.status_of("mc:usesCreditSystem")
                break
        count = g.text(s, mc + "levelCount")
        frameworks[name] = Framework(
            **g.sourced(s), name=name, notation=g.text(s, ns.SKOS + "notation") or name.upper(),
            label=g.text(s, label) or name.upper(),
            level_count=int(count) if count is not None else len(levels), levels=tuple(levels),
            jurisdictions=tuple(j.code for j in owners), credit_system=cs, credit_system_status=cs_status,
            definitions=tuple(d for j in owners for d in j.definitions))

    return {"frameworks": dict(sorted(frameworks.items())),
            "levels": {lv.iri: lv for f in frameworks.values() for lv in f.levels},
            "jurisdictions": dict(sorted(jurisdictions.items())),
            "credit": dict(sorted(credit.items()))}


# ---------------------------------------------------------------- the API

def frameworks() -> list[Framework]:
    """Every framework, by name (aqf, eqf, nzqcf, pqf, sqf)."""
    return list(_registry()["frameworks"].values())


def framework(name: str) -> Framework:
    """A framework by name or notation ("nzqcf", "SQF"), or by the code of the jurisdiction
    whose framework it is ("au", "nz", "ws", "pacific", "eu"); case-insensitive."""
    reg = _registry()
    key = name.strip().lower()
    for fw in reg["frameworks"].values():
        if key in (fw.name, fw.notation.lower()):
            return fw
    j = reg["jurisdictions"].get(key.upper())
    if j is not None and j.framework in reg["frameworks"]:
        return reg["frameworks"][j.framework]
    known = sorted(reg["frameworks"]) + sorted(c.lower() for c in reg["jurisdictions"])
    raise UsageError(f"unknown framework '{name}' (known: {', '.join(known)})")


def level(iri: str) -> Level:
    """The level with this IRI (as found in a credential's mc:level); UsageError if none."""
    levels = _registry()["levels"]
    if iri not in levels:
        raise UsageError(f"<{iri}> is not a level of any framework mcmap knows")
    return levels[iri]


def jurisdictions() -> list[Jurisdiction]:
    return list(_registry()["jurisdictions"].values())


def jurisdiction(code: str) -> Jurisdiction:
    """A jurisdiction by code ("nz"), or the first jurisdiction of a framework name ("nzqcf")."""
    reg = _registry()
    j = reg["jurisdictions"].get(code.strip().upper())
    if j is not None:
        return j
    fw = framework(code)
    if not fw.jurisdictions:
        raise UsageError(f"framework '{code}' belongs to no jurisdiction")
    return reg["jurisdictions"][fw.jurisdictions[0]]


def definitions(jurisdiction_code: str, as_of: dt.date | str | None = None) -> list[Definition]:
    """A jurisdiction's definitions, oldest first; with `as_of` (a date or "YYYY-MM-DD"), only
    those in force on that date. Accepts framework names too ("nzqcf" -> NZ)."""
    defs = list(jurisdiction(jurisdiction_code).definitions)
    if as_of is None:
        return defs
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise UsageError(f"'{as_of}' is not a date (YYYY-MM-DD)") from None
    return [d for d in defs if d.in_force(as_of)]


def credit_systems() -> list[CreditSystem]:
    """Every credit system (au-hours, ects, nz, pqf)."""
    return list(_registry()["credit"].values())


def credit_system(code: str) -> CreditSystem:
    """A credit system by code, case-insensitive ("NZ", "ects", "au-hours")."""
    cs = _registry()["credit"].get(code.strip().lower())
    if cs is None:
        raise UsageError(f"unknown credit system '{code}' (known: {', '.join(_registry()['credit'])})")
    return cs
