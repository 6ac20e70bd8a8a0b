"""EU European Learning Model v3 (Europass, EDC) JSON-LD: micro-credentials as
LearningAchievementSpecifications, and ELM documents read into mcmap's vocabulary.

Reading keeps every triple of the document and adds, for each learning achievement specification
or qualification, an mc:MicroCredential on the same IRI. Volumes of learning are notional hours:
a duration in hours or days converts; one in months or years (P60M) is calendar time, so it is
reported as implausible and not taken.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import InputError
from . import values
from .elm_write import LANGUAGES, MODE_CONCEPTS, duration
from .jsondoc import as_list, context_urls, document_text, dump, json_path_of, load_json, warn
from .nquads import QuadText
from .record import Credential, Provider, Text, tail
from .vet_terms import NATIONAL_CODE, RTO_CODE, UNIT_CODE

ELM, DCT, SKOS = ns.ELM, ns.DCT, ns.SKOS
ECTS_CONCEPT = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
EQF_CONCEPT = "http://data.europa.eu/snb/eqf/"
# EU mode-of-learning concepts and the mcmap delivery modes they are.
MODES = {iri: mode for mode, (iri, _) in MODE_CONCEPTS.items()}
MODE_LABELS = {"online": "online", "blended": "blended", "face-to-face": "onsite", "in person": "onsite",
               "on-site": "onsite", "onsite": "onsite", "presential": "onsite"}
# The awarding body's country (EU country authority, ISO 3166 alpha-3) -> mcmap jurisdiction.
EU_MEMBERS = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT "
              "ROU SVK SVN ESP SWE").split()
PACIFIC = "COK FJI FSM KIR MHL NIU NRU PLW PNG SLB TKL TON TUV VUT".split()
JURISDICTIONS = {"AUS": "AU", "NZL": "NZ", "WSM": "WS", **{c: "EU" for c in EU_MEMBERS},
                 **{c: "PACIFIC" for c in PACIFIC}}
_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def hours(duration: str) -> Decimal | None:
    """Notional hours of an xsd:duration with only week, day and time parts (a day is 24 hours,
    as canonical xsd:duration writes PT60H as P2DT12H); None for months or years, or bad syntax."""
    m = _DURATION.match(duration.strip())
    if not m or duration.strip() in ("P", "PT"):
        return None
    y, mo, w, d, h, mi, s = (Decimal(g) if g else Decimal(0) for g in m.groups())
    if y or mo:
        return None
    total = w * 168 + d * 24 + h + mi / 60 + s / 3600
    return total.normalize() if total == total.to_integral() else total


# ------------------------------------------------------------------ writing

def write(reader, out, *, mapped: bool = False, strict: bool = False) -> None:
    """ELM JSON-LD (see elm_write) of what `reader` (mcmap.exported.Reader) reads from a store,
    written to the binary stream `out`: gaps the LOQ profile would reject are warned about, or
    refused with `strict`."""
    from .elm_write import write_document

    def report(gap):
        warn("ELM export", f"{gap.credential} lacks {gap.what} ({gap.term}), which the EDC profiles require")

    write_document(reader, out, mapped=mapped, strict=strict, report=report)


# ------------------------------------------------------------------ reading

def sniff(path: Path, doc) -> str | None:
    for d in as_list(doc):
        if isinstance(d, dict) and any("data.europa.eu/snb/model/context" in c for c in context_urls(d)):
            return "elm"
    return None


def _raw_volumes(doc, found: dict) -> dict:
    """Every volumeOfLearning as written (the RDF parser rewrites P60M as P5Y), by node id."""
    if isinstance(doc, dict):
        if isinstance(doc.get("volumeOfLearning"), str):
            found[doc.get("id") or doc.get("@id")] = doc["volumeOfLearning"]
        for v in doc.values():
            _raw_volumes(v, found)
    elif isinstance(doc, list):
        for v in doc:
            _raw_volumes(v, found)
    return found


def read(path: Path) -> QuadText:
    from .jsondoc import id_lines
    from .rdf import checked_stage, read_jsonld

    doc = load_json(path)
    raw = _raw_volumes(doc, {})
    source = read_jsonld(path)
    # One parse serves the queries below and the document's triples: a second parse would
    # name its blank nodes afresh.
    store = checked_stage(path, source)
    text = path.read_text(encoding="utf-8-sig")
    records, lines = [], id_lines(text)
    for spec in _specs(store):
        rec = _record(store, spec)
        if rec.credit_value is not None:
            try:
                rec.credit_value = values.decimal(rec.credit_value)
            except values.BadValue as e:
                where = json_path_of(doc, "point", rec.credit_value) or spec.value
                raise InputError(str(path), f"{where}: credit point {e}") from None
        _check_volumes(store, spec, rec, raw, str(path), lines)
        records.append(rec)
    return document_text(path, records, parsed=(source, store))


def _q(store, sparql: str, **bind):
    prefixes = (f"PREFIX elm: <{ELM}> PREFIX dct: <{DCT}> PREFIX skos: <{SKOS}> "
                "PREFIX adms: <http://www.w3.org/ns/adms#> ")
    return list(store.query(prefixes + f"SELECT * WHERE {{ {sparql} }}", use_default_graph_as_union=True,
                            substitutions={ox.Variable(k): v for k, v in bind.items()}))


def _specs(store) -> list:
    # A unit of competency written as a part of a VET skill set is not a credential of its own.
    rows = _q(store, "{ ?s a elm:LearningAchievementSpecification } UNION { ?s a elm:Qualification } "
                     f"FILTER NOT EXISTS {{ ?s adms:identifier/elm:schemeName \"{UNIT_CODE}\" }}")
    return sorted({r["s"] for r in rows}, key=str)


def _vet(store, s, rec: Credential, org) -> None:
    """The national code, units and RTO code written by vet_terms.add_elm."""
    codes = {r["name"].value: r["n"].value for r in _q(
        store, "?s adms:identifier ?i . ?i skos:notation ?n ; elm:schemeName ?name", s=s)}
    rec.national_code = codes.get(NATIONAL_CODE)
    rec.unit_codes = sorted({r["n"].value for r in _q(
        store, f"?s elm:hasPart/adms:identifier ?i . ?i skos:notation ?n ; elm:schemeName \"{UNIT_CODE}\"", s=s)})
    if org is not None and rec.provider is not None:
        rto = _q(store, f"?o adms:identifier ?i . ?i skos:notation ?n ; elm:schemeName \"{RTO_CODE}\"", o=org)
        rec.provider.rto_code = rto[0]["n"].value if rto else None


def _texts(store, s, pred: str) -> list[Text]:
    return sorted({Text(r["o"].value, r["o"].language) for r in _q(store, f"?s <{pred}> ?o", s=s)
                   if isinstance(r["o"], ox.Literal)}, key=lambda t: (t.value, t.lang or ""))


def _one_lang(texts: list[Text]) -> Text | None:
    for t in texts:
        if t.lang in (None, "en"):
            return t
    return texts[0] if texts else None


def _record(store, s) -> Credential:
    rec = Credential(iri=s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}")
    if rec.iri.startswith("urn:mcmap:blank:"):
        rec.iri = "_:" + rec.iri[len("urn:mcmap:blank:"):]
    rec.title = _texts(store, s, DCT + "title")
    rec.description = _texts(store, s, DCT + "description")
    ids = _q(store, "?s adms:identifier ?i . ?i skos:notation ?n "
                    f"FILTER NOT EXISTS {{ ?i elm:schemeName ?name FILTER (?name IN (\"{NATIONAL_CODE}\")) }}", s=s)
    rec.identifier = ids[0]["n"].value if ids else None
    for r in _q(store, "?s elm:learningOutcome ?o", s=s):
        t = _one_lang(_texts(store, r["o"], DCT + "title"))
        if t:
            rec.learning_outcomes.append(t)
    for r in _q(store, "{ ?s elm:provenBy ?a } UNION { ?ach elm:specifiedBy ?s ; elm:provenBy/elm:specifiedBy ?a }", s=s):
        t = _one_lang(_texts(store, r["a"], DCT + "title"))
        if t and t not in rec.assessment:
            rec.assessment.append(t)
    credit = _q(store, "?s elm:creditPoint ?c . ?c elm:point ?p OPTIONAL { ?c elm:framework ?f }", s=s)
    if credit:
        rec.credit_value = credit[0]["p"].value
        f = credit[0]["f"].value if credit[0]["f"] is not None else None
        rec.credit_system = "ects" if f == ECTS_CONCEPT else (
            tail(f) if f and f.startswith(ns.ID + "credit-system/") else None)
    for r in _q(store, "?s elm:EQFLevel ?l", s=s):
        m = re.match(re.escape(EQF_CONCEPT) + r"(\d+)$", r["l"].value)
        if m:
            rec.level = ns.level_iri("eqf", int(m.group(1)))
    if rec.level is None:
        for r in _q(store, "?s elm:NQFLevel ?l", s=s):
            if r["l"].value.startswith(ns.ID + "level/"):
                rec.level = r["l"].value
    orgs = _q(store, "{ ?s elm:awardingOpportunity/elm:awardingBody ?o } UNION "
                     "{ ?ach elm:specifiedBy ?s ; elm:awardedBy/elm:awardingBody ?o }", s=s)
    if orgs:
        org = orgs[0]["o"]
        name = _one_lang(_texts(store, org, "http://www.w3.org/ns/regorg#legalName")
                         or _texts(store, org, SKOS + "prefLabel"))
        rec.provider = Provider(org.value if isinstance(org, ox.NamedNode) and not org.value.endswith("#provider")
                                else None, name)
    rec.jurisdiction = _jurisdiction(store, [o["o"] for o in orgs], s)
    rec.text["prerequisites"] = [t for r in _q(store, "?s elm:entryRequirement ?n", s=s)
                                 for t in _texts(store, r["n"], ELM + "noteLiteral")]
    if not rec.text["prerequisites"]:
        del rec.text["prerequisites"]
    for r in _q(store, "?s elm:mode ?m", s=s):
        label = _one_lang(_texts(store, r["m"], SKOS + "prefLabel"))
        rec.delivery_mode = MODES.get(r["m"].value) or (MODE_LABELS.get(label.value.lower()) if label else None)
    codes = {v: k for k, v in LANGUAGES.items()}
    rec.language = sorted({codes[tail(r["l"].value)] for r in _q(store, "?s dct:language ?l", s=s)
                           if tail(r["l"].value) in codes})
    pages = _q(store, "?s <http://xmlns.com/foaf/0.1/homepage>/elm:contentUrl ?u", s=s)
    if pages:
        rec.url = pages[0]["u"].value
    _vet(store, s, rec, orgs[0]["o"] if orgs else None)
    return rec


def _jurisdiction(store, orgs, s) -> str | None:
    """The awarding body's country, as mcmap's jurisdiction: an EU member state is the EU, a
    Pacific country without its own framework in mcmap the Pacific region. A document that names
    no country gives no jurisdiction, so EU Annex I element 3 (country or region of the issuer)
    reports it; a country mcmap has no rules for gives none either (rather than a wrong one)."""
    countries = []
    for org in orgs:
        countries += [tail(r["c"].value) for r in _q(store, "?o elm:location/elm:address/elm:countryCode ?c", o=org)]
    countries += [tail(r["c"].value) for r in _q(store, "?s elm:awardingOpportunity/elm:location/"
                                                        "elm:address/elm:countryCode ?c", s=s)]
    if not countries:
        return None
    return JURISDICTIONS.get(sorted(countries)[0])


def _check_volumes(store, s, rec: Credential, raw: dict, source: str, lines: dict) -> None:
    """Take the specification's volume of learning as hours, and report volumes that are not
    plausible notional hours, its own or those of the activities it is made of."""
    own = _q(store, "?s elm:volumeOfLearning ?v", s=s)
    stated = raw.get(s.value, own[0]["v"].value if own else None)
    if stated is not None:
        h = hours(stated)
        if h is None:
            warn(source, f"volume of learning {stated} of {s.value} is not in hours or days "
                 "(months and years are calendar time, not notional learning hours): not taken", lines.get(s.value))
        else:
            rec.hours = f"{h:f}"
    parts = _q(store, "{ ?ach elm:specifiedBy ?s ; elm:influencedBy/elm:specifiedBy ?p } UNION "
                      "{ ?s elm:hasPart ?p } ?p elm:volumeOfLearning ?v", s=s)
    for r in parts:
        written = raw.get(r["p"].value, r["v"].value)
        if hours(written) is None or (rec.hours and hours(written) > Decimal(rec.hours)):
            beside = f" beside {stated} for the whole micro-credential" if stated else ""
            warn(source, f"implausible volume of learning {written} ({_describe(written)}) for "
                 f"{r['p'].value}, part of {s.value}{beside}: not taken", lines.get(r["p"].value))


def _describe(written: str) -> str:
    m = _DURATION.match(written)
    if not m:
        return "not an xsd:duration"
    y, mo = m.group(1), m.group(2)
    if mo and not y:
        return f"{mo} months"
    if y:
        return f"{y} years" + (f" {mo} months" if mo else "")
    return f"{hours(written)} hours"
