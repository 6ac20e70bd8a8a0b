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
from .contexts import CREDENTIALS_V1, EDC_CONTEXT
from .crosswalk import key
from .jsondoc import as_list, context_urls, document_quads, dump, json_path_of, load_json, warn
from .record import Credential, Provider, Text, records_from_quads, tail

ELM, DCT, SKOS = ns.ELM, ns.DCT, ns.SKOS
ECTS_CONCEPT = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
EQF_CONCEPT = "http://data.europa.eu/snb/eqf/"
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
# EU learning-assessment mode concepts (the ones ELM's examples use) and their mcmap delivery modes.
MODES = {"http://data.europa.eu/snb/learning-assessment/920fbb3cbe": "online",
         "http://data.europa.eu/snb/learning-assessment/e92d221e4d": "blended"}
MODE_LABELS = {"online": "online", "blended": "blended", "face-to-face": "onsite", "in person": "onsite",
               "on-site": "onsite", "onsite": "onsite", "presential": "onsite"}
# ISO 639-1 (mcmap, dct:language) -> EU language authority code (ISO 639-2/B)
LANGUAGES = {"en": "ENG", "mi": "MAO", "sm": "SMO", "fr": "FRE", "de": "GER", "es": "SPA", "it": "ITA",
             "nl": "DUT", "pt": "POR", "ga": "GLE", "pl": "POL", "el": "GRE", "sv": "SWE", "fi": "FIN",
             "da": "DAN", "cs": "CZE", "hu": "HUN", "ro": "RUM", "bg": "BUL", "hr": "HRV", "sk": "SLO",
             "sl": "SLV", "et": "EST", "lv": "LAV", "lt": "LIT", "mt": "MLT", "to": "TON", "fj": "FIJ"}
_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def _k(prop: str) -> str:
    return key("elm", prop)


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


def duration(hours_text: str) -> str:
    value = Decimal(hours_text)
    return f"PT{value.normalize():f}H"


# ------------------------------------------------------------------ writing

def _lang_map_in(texts: list[Text], default: str = "en") -> dict:
    # ELM's texts are language maps: untagged text is written in the credential's language.
    out: dict = {}
    for t in texts:
        out.setdefault(t.lang or default, []).append(t.value)
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def specification(rec: Credential) -> dict:
    iri = rec.iri if not rec.iri.startswith("_:") else f"urn:mcmap:blank:{rec.iri[2:]}"
    spec: dict = {"id": iri, "type": "LearningAchievementSpecification"}
    lang = rec.language[0] if rec.language else "en"

    def _lang_map(texts):
        return _lang_map_in(texts, lang)

    if rec.title:
        spec[_k(DCT + "title")] = _lang_map(rec.title)
    if rec.description:
        spec[_k(DCT + "description")] = _lang_map(rec.description)
    if rec.identifier:
        spec[_k(DCT + "identifier")] = {"id": f"{iri}#identifier", "type": "Identifier", "notation": rec.identifier}
    if rec.learning_outcomes:
        spec[_k(ns.MC + "learningOutcome")] = [
            {"id": f"{iri}#outcome-{i}", "type": "LearningOutcome", "title": _lang_map([t])}
            for i, t in enumerate(rec.learning_outcomes, start=1)]
    if rec.assessment:
        spec["provenBy"] = [{"id": f"{iri}#assessment-{i}", "type": "LearningAssessmentSpecification",
                             "title": _lang_map([t])} for i, t in enumerate(rec.assessment, start=1)]
    if rec.credit_value is not None:
        framework = ECTS_CONCEPT if rec.credit_system == "ects" else (
            ns.credit_system_iri(rec.credit_system) if rec.credit_system else None)
        point = {"id": f"{iri}#credit", "type": "CreditPoint", "point": rec.credit_value}
        if framework:
            point["framework"] = {"id": framework, "type": "Concept"}
        spec[_k(ns.MC + "creditValue")] = point
    if rec.hours is not None:
        spec[_k(ns.MC + "volumeOfLearningHours")] = duration(rec.hours)
    if rec.level_framework == "eqf":
        spec[_k(ns.MC + "level")] = {"id": f"{EQF_CONCEPT}{rec.level_number}", "type": "Concept"}
    elif rec.level:
        spec["nqfLevel"] = {"id": rec.level, "type": "Concept"}
    if rec.provider:
        body: dict = {"id": rec.provider.iri or f"{iri}#provider", "type": "Organisation"}
        if rec.provider.name:
            body["legalName"] = _lang_map([rec.provider.name])
        spec["awardingOpportunity"] = {"id": f"{iri}#awarding", "type": "AwardingOpportunity",
                                       _k(ns.MC + "provider"): body}
    if rec.text.get("prerequisites"):
        spec[_k(ns.MC + "prerequisites")] = [
            {"id": f"{iri}#entry-{i}", "type": "Note", "noteLiteral": _lang_map([t])}
            for i, t in enumerate(rec.text["prerequisites"], start=1)]
    if rec.delivery_mode in ("online", "blended", "onsite"):
        mode = next((iri_ for iri_, m in MODES.items() if m == rec.delivery_mode), None)
        spec[_k(ns.MC + "deliveryMode")] = (
            {"id": mode, "type": "Concept"} if mode else
            {"id": f"{iri}#mode", "type": "Concept", "prefLabel": {"en": "Face-to-face"}})
    languages = [LANGUAGES[lang] for lang in rec.language if lang in LANGUAGES]
    if languages:
        spec[_k(DCT + "language")] = [{"id": LANGUAGE_AUTHORITY + code, "type": "Concept"} for code in languages]
    if rec.url:
        spec["homepage"] = {"id": f"{iri}#homepage", "type": "WebResource", "contentURL": rec.url}
    return spec


def write(quads, *, mapped: bool = False) -> bytes:
    specs = [specification(r) for r in records_from_quads(quads)]
    if not specs:
        return dump([])
    return dump([{"@context": [CREDENTIALS_V1, EDC_CONTEXT], "@graph": specs}])


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


def read(path: Path) -> list:
    from .jsondoc import id_lines
    from .rdf import read_jsonld_quads as read_jsonld

    doc = load_json(path)
    raw = _raw_volumes(doc, {})
    store = ox.Store()
    store.extend(read_jsonld(path))
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
    return document_quads(path, records)


def _q(store, sparql: str, **bind):
    prefixes = (f"PREFIX elm: <{ELM}> PREFIX dct: <{DCT}> PREFIX skos: <{SKOS}> "
                "PREFIX adms: <http://www.w3.org/ns/adms#> ")
    return list(store.query(prefixes + f"SELECT * WHERE {{ {sparql} }}", use_default_graph_as_union=True,
                            substitutions={ox.Variable(k): v for k, v in bind.items()}))


def _specs(store) -> list:
    rows = _q(store, "{ ?s a elm:LearningAchievementSpecification } UNION { ?s a elm:Qualification }")
    return sorted({r["s"] for r in rows}, key=str)


def _texts(store, s, pred: str) -> list[Text]:
    return sorted({Text(r["o"].value, r["o"].language) for r in _q(store, f"?s <{pred}> ?o", s=s)
                   if isinstance(r["o"], ox.Literal)}, key=lambda t: (t.value, t.lang or ""))


def _one_lang(texts: list[Text]) -> Text | None:
    for t in texts:
        if t.lang in (None, "en"):
            return t
    return texts[0] if texts else None


def _record(store, s) -> Credential:
    rec = Credential(iri=s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}", jurisdiction="EU")
    if rec.iri.startswith("urn:mcmap:blank:"):
        rec.iri = "_:" + rec.iri[len("urn:mcmap:blank:"):]
    rec.title = _texts(store, s, DCT + "title")
    rec.description = _texts(store, s, DCT + "description")
    ids = _q(store, "?s adms:identifier ?i . ?i skos:notation ?n", s=s)
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
    return rec


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
