"""A credential as a plain record: the fields every exchange format (XML, ELM, OB3, CTDL) reads
and writes, taken from and turned back into the core vocabulary's triples.

Readers of those formats build records and call `record_quads`; writers call `records_from_quads`
and format each record. A property that is not a field here travels only in the RDF formats.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import InputError
from . import values
from .nquads import QuadText, Writer, iri, literal, name, node
from .provenance import MICRO_CREDENTIAL, RDF_TYPE

_XSD = ns.XSD


@dataclass(frozen=True)
class Text:
    value: str
    lang: str | None = None


@dataclass
class Provider:
    iri: str | None = None
    name: Text | None = None
    regulator: str | None = None        # code: TEQSA, NZQA, NONE, ...
    rto_code: str | None = None         # an Australian RTO's code on training.gov.au


@dataclass
class Credential:
    iri: str
    identifier: str | None = None
    title: list[Text] = field(default_factory=list)
    description: list[Text] = field(default_factory=list)
    provider: Provider | None = None
    jurisdiction: str | None = None     # code: AU, NZ, WS, PACIFIC, EU
    level: str | None = None            # level IRI (…/id/level/eqf/5)
    credit_value: str | None = None     # decimal, lexical
    credit_system: str | None = None    # code: nz, pqf, ects, au-hours
    hours: str | None = None            # decimal, lexical
    learning_outcomes: list[Text] = field(default_factory=list)
    assessment: list[Text] = field(default_factory=list)
    delivery_mode: str | None = None    # online, onsite, blended (or free text)
    status: str | None = None           # current, expiring, discontinued (or free text)
    cost: str | None = None
    currency: str | None = None
    review_period_years: str | None = None
    approved_on: str | None = None      # YYYY-MM-DD
    url: str | None = None
    language: list[str] = field(default_factory=list)
    text: dict[str, list[Text]] = field(default_factory=dict)  # plain text fields, by TEXT_FIELDS key
    kind: str | None = None             # AU-KIND concept (VetSkillSet, ...) or the text as given
    national_code: str | None = None    # a VET skill set's or unit's code (HLTSS00066)
    unit_codes: list[str] = field(default_factory=list)   # its units of competency
    # (subject, predicate, object) IRIs: correspondences of the credential or its level
    mappings: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def level_framework(self) -> str | None:
        m = _LEVEL.match(self.level or "")
        return m.group(1) if m else None

    @property
    def level_number(self) -> int | None:
        m = _LEVEL.match(self.level or "")
        return int(m.group(2)) if m else None


_LEVEL = re.compile(re.escape(ns.ID) + r"level/([a-z]+)/(\d+)$")

# Plain text properties carried by every exchange format that has a place for them.
TEXT_FIELDS = {
    "location": ns.MC + "location",
    "prerequisites": ns.MC + "prerequisites",
    "creditRecognition": ns.MC + "creditRecognition",
    "industryRecognition": ns.MC + "industryRecognition",
    "nzscedCode": ns.MC + "nzscedCode",
    "developer": ns.MC + "developer",
    "evidenceOfNeed": ns.MC + "evidenceOfNeed",
    "purposeStatement": ns.MC + "purposeStatement",
    "qaStatement": ns.MC + "qaStatement",
}

# Properties that link a credential to mapped terms (written by `mcmap map`, carried with --mapped).
MAPPING_PREDICATES = (ns.SKOS + "exactMatch", ns.SKOS + "closeMatch", ns.SKOS + "broadMatch",
                      ns.SKOS + "narrowMatch", ns.SKOS + "relatedMatch", ns.MC + "mappedLevel")

# The AU-KIND concepts of the core vocabulary (MicroCred Seeker's typology).
KINDS = ("VetSkillSet", "VetUnitOfCompetency", "HigherEducationModule", "IndustryAssessedLearning",
         "OtherAssessedLearning")

PROVENANCE = {ns.MC + "sourceFile", ns.MC + "sourceRow", ns.MC + "sourceLine"}


def tail(iri: str | None) -> str | None:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if iri else None


def _text(term) -> Text:
    return Text(term.value, term.language if isinstance(term, ox.Literal) else None)


def records_from_quads(quads) -> list[Credential]:
    """Every mc:MicroCredential among `quads`, in IRI order (blank-node credentials included)."""
    by_subject: dict = {}
    for q in quads:
        values = by_subject.setdefault(q.subject, {}).setdefault(q.predicate.value, [])
        if q.object not in values:
            values.append(q.object)
    subjects = sorted((s for s, props in by_subject.items()
                       if MICRO_CREDENTIAL in props.get(RDF_TYPE.value, [])), key=lambda s: str(s))
    return [_record(s, by_subject) for s in subjects]


def _record(subject, by_subject) -> Credential:
    p = by_subject[subject]

    def one(pred):
        values = p.get(pred, [])
        return sorted(values, key=str)[0] if values else None

    def val(pred):
        v = one(pred)
        return v.value if v is not None else None

    def texts(pred):
        return sorted((_text(t) for t in p.get(pred, []) if isinstance(t, ox.Literal)),
                      key=lambda t: (t.value, t.lang or ""))

    rec = Credential(iri=subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}")
    rec.identifier = val(ns.DCT + "identifier")
    rec.title = texts(ns.DCT + "title")
    rec.description = texts(ns.DCT + "description")
    prov = one(ns.MC + "provider")
    if prov is not None:
        pp = by_subject.get(prov, {})
        name = sorted(pp.get(ns.SCHEMA + "name", []), key=str)
        reg = sorted(pp.get(ns.MC + "regulator", []), key=str)
        rto = sorted(pp.get(ns.MC + "rtoCode", []), key=str)
        rec.provider = Provider(prov.value if isinstance(prov, ox.NamedNode) else None,
                                _text(name[0]) if name else None, tail(reg[0].value) if reg else None,
                                rto[0].value if rto else None)
    rec.jurisdiction = tail(val(ns.MC + "jurisdiction"))
    rec.level = val(ns.MC + "level")
    rec.credit_value = val(ns.MC + "creditValue")
    rec.credit_system = tail(val(ns.MC + "creditSystem"))
    rec.hours = val(ns.MC + "volumeOfLearningHours")
    rec.learning_outcomes = texts(ns.MC + "learningOutcome")
    rec.assessment = texts(ns.MC + "assessment")
    mode = one(ns.MC + "deliveryMode")
    rec.delivery_mode = tail(mode.value) if isinstance(mode, ox.NamedNode) else (mode.value if mode else None)
    status = one(ns.MC + "status")
    rec.status = tail(status.value) if isinstance(status, ox.NamedNode) else (status.value if status else None)
    rec.cost = val(ns.MC + "cost")
    rec.currency = val(ns.MC + "currency")
    rec.review_period_years = val(ns.MC + "reviewPeriodYears")
    rec.approved_on = val(ns.MC + "approvedOn")
    rec.url = val(ns.SCHEMA + "url")
    kind = one(ns.MC + "kind")
    rec.kind = (tail(kind.value) if isinstance(kind, ox.NamedNode) else kind.value) if kind is not None else None
    rec.national_code = val(ns.MC + "nationalCode")
    rec.unit_codes = sorted(t.value for t in p.get(ns.MC + "unitCode", []) if isinstance(t, ox.Literal))
    rec.language = sorted(t.value for t in p.get(ns.DCT + "language", []) if isinstance(t, ox.Literal))
    for key, pred in TEXT_FIELDS.items():
        if p.get(pred):
            rec.text[key] = texts(pred)
    for subj in (subject, one(ns.MC + "level")):
        for pred in MAPPING_PREDICATES:
            for o in sorted(by_subject.get(subj, {}).get(pred, []), key=str) if subj is not None else []:
                if isinstance(subj, ox.NamedNode) and isinstance(o, ox.NamedNode):
                    rec.mappings.append((subj.value, pred, o.value))
    return rec


# ------------------------------------------------------------------ record -> triples

def _lit(t: Text) -> str:
    return literal(t.value, lang=t.lang)


# Typed fields: record attribute -> (name in messages, parser of the values module, xsd type)
_TYPED = {"credit_value": ("credit value", values.decimal, "decimal"),
          "hours": ("volume of learning (hours)", values.decimal, "decimal"),
          "cost": ("cost", values.decimal, "decimal"),
          "review_period_years": ("review period (years)", values.integer, "integer"),
          "approved_on": ("approval date", values.date, "date")}


def _checked(rec: Credential, source: str | None, line: int | None) -> dict[str, str]:
    """The record's typed values as literals, or an InputError: nothing ill-formed is stored."""
    out = {}
    for attr, (label, parse, dtype) in _TYPED.items():
        raw = getattr(rec, attr)
        if raw is None or raw == "":
            continue
        try:
            out[attr] = literal(parse(raw), _XSD + dtype)
        except values.BadValue as e:
            raise InputError(source or rec.iri, f"{label} of {rec.iri}: {e}", line=line) from None
    return out


def record_text(rec: Credential, out: Writer, source: str | None = None, *, line: int | None = None) -> None:
    """Write the core vocabulary's triples for one record with `out` (mc:sourceFile and the
    line too, with `source`). ValueError for an IRI or language tag RDF cannot hold."""
    s = node(rec.iri, out)
    typed = _checked(rec, source, line)

    def add(subject, pred: str, obj):
        out.add(subject, name(pred), obj)

    if source is not None:
        out.credential(s, line=line)
    else:
        add(s, RDF_TYPE.value, name(MICRO_CREDENTIAL.value))
    if rec.identifier:
        add(s, ns.DCT + "identifier", literal(rec.identifier))
    for t in rec.title:
        add(s, ns.DCT + "title", _lit(t))
    for t in rec.description:
        add(s, ns.DCT + "description", _lit(t))
    if rec.provider:
        p = node(rec.provider.iri, out) if rec.provider.iri else out.blank()
        add(s, ns.MC + "provider", p)
        add(p, RDF_TYPE.value, name(ns.MC + "Provider"))
        if rec.provider.name:
            add(p, ns.SCHEMA + "name", _lit(rec.provider.name))
        if rec.provider.regulator:
            add(p, ns.MC + "regulator", iri(ns.regulator_iri(rec.provider.regulator)))
        if rec.provider.rto_code:
            add(p, ns.MC + "rtoCode", literal(rec.provider.rto_code))
    if rec.jurisdiction:
        add(s, ns.MC + "jurisdiction", iri(ns.jurisdiction_iri(rec.jurisdiction)))
    if rec.level:
        add(s, ns.MC + "level", iri(rec.level))
    if "credit_value" in typed:
        add(s, ns.MC + "creditValue", typed["credit_value"])
    if rec.credit_system:
        add(s, ns.MC + "creditSystem", iri(ns.credit_system_iri(rec.credit_system)))
    if "hours" in typed:
        add(s, ns.MC + "volumeOfLearningHours", typed["hours"])
    for t in rec.learning_outcomes:
        add(s, ns.MC + "learningOutcome", _lit(t))
    for t in rec.assessment:
        add(s, ns.MC + "assessment", _lit(t))
    for key, value, scheme in (("deliveryMode", rec.delivery_mode, ("online", "onsite", "blended")),
                               ("status", rec.status, ("current", "expiring", "discontinued"))):
        if value:
            add(s, ns.MC + key, name(ns.MC + value) if value in scheme else literal(value))
    if "cost" in typed:
        add(s, ns.MC + "cost", typed["cost"])
    if rec.currency:
        add(s, ns.MC + "currency", literal(rec.currency))
    if "review_period_years" in typed:
        add(s, ns.MC + "reviewPeriodYears", typed["review_period_years"])
    if "approved_on" in typed:
        add(s, ns.MC + "approvedOn", typed["approved_on"])
    if rec.url:
        add(s, ns.SCHEMA + "url", iri(rec.url))
    if rec.kind:
        add(s, ns.MC + "kind", name(ns.MC + rec.kind) if rec.kind in KINDS else literal(rec.kind))
    if rec.national_code:
        add(s, ns.MC + "nationalCode", literal(rec.national_code))
    for code in rec.unit_codes:
        add(s, ns.MC + "unitCode", literal(code))
    for lang in rec.language:
        add(s, ns.DCT + "language", literal(lang))
    for key, texts in rec.text.items():
        for t in texts:
            add(s, TEXT_FIELDS[key], _lit(t))
    for subj, pred, obj in rec.mappings:
        # the document's own claims: in the data graph, as every load puts them (user_data)
        out.add(iri(subj), iri(pred), iri(obj))


def record_quads(rec: Credential, source: str | None = None, *, line: int | None = None) -> list:
    """The core vocabulary's quads (in the data graph) for one record (what `record_text`
    writes, parsed: for writers that compare a document with what reading it gives)."""
    from pathlib import Path

    def one(out):
        record_text(rec, out, source, line=line)
        yield

    return list(QuadText(Path(source or rec.iri), one).quads())


# ------------------------------------------------------------------ kinds

OB_ACHIEVEMENT_TYPE = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType"


def kinds(quads) -> dict[str, str]:
    """Each credential's kind as the document it came from states it: its CTDL class
    (BachelorDegree), an ELM Qualification, or its Open Badges achievement type (Degree). The
    exporters keep it rather than calling everything a micro-credential."""
    out: dict[str, str] = {}
    for q in quads:
        key = q.subject.value if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject.value}"
        p, o = q.predicate.value, q.object
        if p == RDF_TYPE.value and isinstance(o, ox.NamedNode):
            if o.value.startswith(ns.CETERMS):
                out[key] = o.value[len(ns.CETERMS):]
            elif o.value == ns.ELM + "Qualification":
                out.setdefault(key, "Qualification")
        elif p == OB_ACHIEVEMENT_TYPE and isinstance(o, ox.Literal):
            out.setdefault(key, o.value)
    return out


def ctids(quads) -> dict[str, str]:
    """The CTIDs the data already gives its credentials and organisations."""
    return {(q.subject.value if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject.value}"): q.object.value
            for q in quads if q.predicate.value == ns.CETERMS + "ctid"}


DOCUMENT_PREDICATES = frozenset({ns.MC + "documentText", ns.MC + "documentFormat", ns.MC + "describes"})


@dataclass
class Parts:
    """What the record writers (XML, OB3, CTDL) take from the data: the credentials as records
    (in IRI order), each one's kind, the CTIDs the data gives, and the quads of the documents
    kept verbatim. Built from quads (`of`), or a credential at a time (`of_credentials`): then
    `records` is read once, and a record's kind and CTIDs are known once it has been read."""
    records: Iterable
    kinds: dict
    ctids: dict
    documents: list

    @classmethod
    def of(cls, quads) -> "Parts":
        quads = quads if isinstance(quads, list) else list(quads)
        return cls(records_from_quads(quads), kinds(quads), ctids(quads),
                   [q for q in quads if q.predicate.value in DOCUMENT_PREDICATES])

    @classmethod
    def of_credentials(cls, groups, related: dict, documents: list) -> "Parts":
        """`groups` yields each credential's quads, one credential after another in order;
        `related` maps each provider and level to its quads (a record names its provider's name,
        regulator and CTID, and its level's correspondences)."""
        parts = cls([], {}, {}, documents)
        links = (ns.MC + "provider", ns.MC + "level")

        def records():
            for quads in groups:
                theirs = [rq for q in quads if q.predicate.value in links for rq in related.get(q.object, ())]
                parts.kinds.update(kinds(quads))
                parts.ctids.update(ctids(quads + theirs))
                yield from records_from_quads(quads + theirs)

        parts.records = records()
        return parts


def exportable(rec: Credential, warn) -> Credential:
    """The record with each typed value that is not of its type (a cost of "about five
    hundred" in RDF data, which validation reports) left out, `warn(message)` told of each:
    the standards' number and date fields cannot hold it."""
    for attr, (label, parse, _) in _TYPED.items():
        raw = getattr(rec, attr)
        if raw is not None:
            try:
                parse(raw)
            except values.BadValue as e:
                warn(f"{rec.iri}: its {label} is left out: {e}")
                setattr(rec, attr, None)
    return rec


def is_qualification(kind: str | None) -> bool:
    return bool(kind) and (kind in ("Qualification", "Diploma") or kind.endswith("Degree") or kind == "Doctorate")
