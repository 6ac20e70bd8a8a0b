"""Writing EU ELM v3 JSON-LD that the official EDC SHACL profiles (EDC-generic, LOQ) accept.

What an ELM document said comes back as it said it: every triple of a document mcmap read as ELM
(its credential wrapper, learner, issuer, concepts with their schemes and labels, and anything
mcmap does not model) is written again, and mcmap's own reading of it is left out. A credential
read from another format is written as a learning achievement specification (or a qualification,
where its kind says so) published with its awarding opportunity and awarding body, using the EU
vocabularies' concepts. What the LOQ profile requires and the data does not hold is listed per
credential (`missing`), never invented.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import UsageError
from .contexts import CREDENTIALS_V1, EDC_CONTEXT, inline_contexts, load_context
from .jsonld_compact import Vocabulary, compact, context_terms
from .jsondoc import warn
from .provenance import MICRO_CREDENTIAL as _MC_TYPE
from .record import Credential, Text, exportable, is_qualification, kinds as kinds_of, record_quads, records_from_quads
from .vet_terms import add_elm, add_elm_organisation

ELM, DCT, SKOS = ns.ELM, ns.DCT, ns.SKOS
RDF_TYPE = ns.RDF + "type"
CRED = "https://www.w3.org/2018/credentials#"
EU_VOCAB = "http://data.europa.eu/snb/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
SCHEMES = {
    "language": AUTHORITY + "language",
    "country": AUTHORITY + "country",
    "eqf": EU_VOCAB + "eqf/25831c2",
    "mode": EU_VOCAB + "learning-assessment/25831c2",
    "credit": EU_VOCAB + "education-credit/25831c2",
}
ECTS_CONCEPT = EU_VOCAB + "education-credit/6fcec5c5af"
# mcmap delivery modes as concepts of the EU "mode of learning and assessment" vocabulary.
MODE_CONCEPTS = {"online": (EU_VOCAB + "learning-assessment/920fbb3cbe", "Online"),
                 "blended": (EU_VOCAB + "learning-assessment/e92d221e4d", "Blended"),
                 "onsite": (EU_VOCAB + "learning-assessment/9191af2ed9", "Presential")}
# mcmap jurisdiction -> the country (EU country authority code) a provider there is in.
COUNTRIES = {"AU": ("AUS", "Australia"), "NZ": ("NZL", "New Zealand"), "WS": ("WSM", "Samoa")}
# ISO 639-1 (mcmap, dct:language) -> EU language authority code (ISO 639-2/B)
LANGUAGES = {"en": "ENG", "mi": "MAO", "sm": "SMO", "fr": "FRE", "de": "GER", "es": "SPA", "it": "ITA",
             "nl": "DUT", "pt": "POR", "ga": "GLE", "pl": "POL", "el": "GRE", "sv": "SWE", "fi": "FIN",
             "da": "DAN", "cs": "CZE", "hu": "HUN", "ro": "RUM", "bg": "BUL", "hr": "HRV", "sk": "SLO",
             "sl": "SLV", "et": "EST", "lv": "LAV", "lt": "LIT", "mt": "MLT", "to": "TON", "fj": "FIJ"}


@dataclass(frozen=True)
class Missing:
    credential: str
    what: str            # plain words
    term: str            # the ELM property the LOQ profile requires


def vocabulary() -> Vocabulary:
    v1 = load_context(CREDENTIALS_V1)["@context"]
    vocab = Vocabulary(load_context(EDC_CONTEXT)["@context"], avoid=context_terms(v1))
    vocab.add_type_scoped(v1)
    return vocab


def _concept(iri: str, scheme: str, label: str | None = None) -> dict:
    c: dict = {"id": iri, "type": "Concept", "inScheme": {"id": scheme, "type": "ConceptScheme"}}
    if label:
        c["prefLabel"] = {"en": label}
    return c


def _lang_map(texts: list[Text], default: str) -> dict:
    out: dict = {}
    for t in texts:
        out.setdefault(t.lang or default, []).append(t.value)
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def _public(iri: str) -> str:
    return f"urn:mcmap:blank:{iri[2:]}" if iri.startswith("_:") else iri


def specification(rec: Credential, kind: str | None = None) -> dict:
    """One credential as an ELM specification with its awarding opportunity (LOQ)."""
    iri = _public(rec.iri)
    lang = rec.language[0] if rec.language else "en"
    qualification = is_qualification(kind)
    spec: dict = {"id": iri, "type": "Qualification" if qualification else "LearningAchievementSpecification"}
    if rec.title:
        spec["title"] = _lang_map(rec.title, lang)
    if rec.description:
        spec["description"] = _lang_map(rec.description, lang)
    if rec.identifier:
        spec["identifier"] = {"id": f"{iri}#identifier", "type": "Identifier", "notation": rec.identifier}
    if rec.learning_outcomes:
        spec["learningOutcome"] = [{"id": f"{iri}#outcome-{i}", "type": "LearningOutcome",
                                    "title": _lang_map([t], lang)}
                                   for i, t in enumerate(rec.learning_outcomes, start=1)]
    if rec.assessment:
        spec["provenBy"] = [{"id": f"{iri}#assessment-{i}", "type": "LearningAssessmentSpecification",
                             "title": _lang_map([t], lang)} for i, t in enumerate(rec.assessment, start=1)]
    if rec.credit_value is not None and rec.credit_system:
        framework = (_concept(ECTS_CONCEPT, SCHEMES["credit"], "European Credit Transfer System")
                     if rec.credit_system == "ects" else
                     {"id": ns.credit_system_iri(rec.credit_system), "type": "Concept"})
        spec["creditPoint"] = {"id": f"{iri}#credit", "type": "CreditPoint", "point": rec.credit_value,
                               "framework": framework}
    if rec.hours is not None:
        spec["volumeOfLearning"] = duration(rec.hours)
    if rec.level_framework == "eqf":
        spec["eqfLevel"] = _concept(f"{EU_VOCAB}eqf/{rec.level_number}", SCHEMES["eqf"])
    elif rec.level:
        spec["nqfLevel"] = {"id": rec.level, "type": "Concept",
                            "inScheme": {"id": ns.framework_iri(rec.level_framework), "type": "ConceptScheme"}}
    if rec.text.get("prerequisites"):
        spec["entryRequirement"] = [{"id": f"{iri}#entry-{i}", "type": "Note", "noteLiteral": _lang_map([t], lang)}
                                    for i, t in enumerate(rec.text["prerequisites"], start=1)]
    if rec.delivery_mode in MODE_CONCEPTS:
        mode, label = MODE_CONCEPTS[rec.delivery_mode]
        spec["mode"] = _concept(mode, SCHEMES["mode"], label)
    languages = [LANGUAGES[code] for code in rec.language if code in LANGUAGES]
    if languages:
        spec["language"] = [_concept(AUTHORITY + "language/" + code, SCHEMES["language"]) for code in languages]
    if rec.url:
        spec["homepage"] = {"id": f"{iri}#homepage", "type": "WebResource", "contentURL": rec.url}
    org = organisation(rec, lang)
    # Without a provider there is no awarding opportunity: the profiles require its awarding body.
    if org is not None:
        spec["awardingOpportunity"] = {"id": f"{iri}#awarding", "type": "AwardingOpportunity",
                                       "awardingBody": org, "learningAchievementSpecification": iri}
    add_elm(spec, rec, iri, lang)
    return spec


def organisation(rec: Credential, lang: str) -> dict | None:
    p = rec.provider
    if p is None or p.name is None:
        return None
    org: dict = {"id": _public(p.iri) if p.iri else f"{_public(rec.iri)}#provider", "type": "Organisation",
                 "legalName": _lang_map([p.name], lang)}
    country = COUNTRIES.get(rec.jurisdiction or "")
    if country:
        org["location"] = {"id": f"{org['id']}#location", "type": "Location",
                           "address": {"id": f"{org['id']}#address", "type": "Address",
                                       "countryCode": _concept(f"{AUTHORITY}country/{country[0]}",
                                                               SCHEMES["country"], country[1])}}
    add_elm_organisation(org, p.rto_code)
    return org


def missing(rec: Credential, own: set[str], qualification: bool) -> list[Missing]:
    """What the active shapes of the EDC-generic and LOQ profiles require of this credential's
    specification and awarding body that the data does not hold (`own`: the predicates of the
    ELM statements already made about it). LOQ's shape for learning achievement specifications
    is deactivated; its qualification shape is not."""
    out = []

    def need(ok: bool, what: str, term: str):
        if not ok:
            out.append(Missing(rec.iri, what, term))

    need(bool(rec.title), "a title", "dc:title")
    need(rec.credit_value is None or bool(rec.credit_system), "the credit system of its credit value",
         "elm:framework")
    need(rec.provider is None or rec.provider.name is not None, "its provider's name", "rov:legalName")
    need(rec.provider is None or rec.provider.name is None or (rec.jurisdiction or "") in COUNTRIES,
         "its provider's country (its jurisdiction is not one country)", "elm:location")
    if qualification:
        need(bool(rec.learning_outcomes) or ELM + "learningOutcome" in own, "learning outcomes",
             "elm:learningOutcome")
        need(ELM + "ISCEDFCode" in own, "an ISCED-F field of education (thematic area)", "elm:ISCEDFCode")
        need(rec.level_framework == "eqf" or ELM + "EQFLevel" in own, "an EQF level", "elm:EQFLevel")
        need((rec.level is not None and rec.level_framework != "eqf") or ELM + "NQFLevel" in own,
             "a national framework level", "elm:NQFLevel")
    return out


def duration(hours_text: str) -> str:
    from decimal import Decimal
    return f"PT{Decimal(hours_text).normalize():f}H"


# ------------------------------------------------------------------ the document

# Credentials whose specifications are made, read back as triples and compacted together: the
# EDC context is processed once per batch, and a batch is let go before the next.
BATCH = 500
_DATA = ox.NamedNode(ns.GRAPH_DATA)
_LINKS = (ns.MC + "provider", ns.MC + "level")
_STATED = (DCT + "title", DCT + "description")   # ELM states them itself: not mcmap's reading


@cache
def _inline_context() -> list:
    return inline_contexts({"@context": [CREDENTIALS_V1, EDC_CONTEXT]})["@context"]


def _dict_triples(nodes: list[dict]) -> list:
    """The triples of generated nodes (which name no context of their own)."""
    doc = json.dumps({"@context": _inline_context(), "@graph": nodes}).encode("utf-8")
    return [q.triple for q in ox.parse(doc, ox.RdfFormat.JSON_LD)]


def _is_elm_type(term) -> bool:
    return isinstance(term, ox.NamedNode) and (term.value.startswith(ELM) or term.value.startswith(CRED))


def _data_triples(quads) -> list:
    """The triples of the data graph among `quads` (a document's proof graph is not ELM's)."""
    return [q.triple for q in quads if q.graph_name == _DATA]


class _Store:
    """What the ELM writer reads from a store (mcmap.exported.Reader), a subject at a time."""

    def __init__(self, reader, *, mapped: bool):
        self.reader = reader
        self.related = reader.related(mapped=mapped)
        self.documents = {q.subject for q in reader.documents()}

    def record(self, subject, quads, *, quiet: bool = False) -> Credential | None:
        theirs = [rq for q in quads if q.predicate.value in _LINKS for rq in self.related.get(q.object, ())]
        key = subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        rec = next((r for r in records_from_quads(quads + theirs) if r.iri == key), None)
        return rec and exportable(rec, (lambda message: None) if quiet else
                                  (lambda message: warn("ELM export", message)))

    def reading(self, subject, quads) -> set:
        """mcmap's own reading of `subject`, which no ELM document holds: the triples its
        record gives it, or (a provider or a level) a credential's record that names it."""
        credentials = [subject] if any(q.predicate.value == RDF_TYPE and q.object == _MC_TYPE
                                       for q in quads) else []
        if subject in self.related:
            credentials += [q.subject for link in _LINKS for q in itertools.islice(
                self.reader.ox.quads_for_pattern(None, ox.NamedNode(link), subject, None), 1)]
        out = set()
        for c in credentials:
            rec = self.record(c, quads if c == subject else self.reader.quads_of(c), quiet=True)
            if rec is not None:
                out |= {q.triple for q in record_quads(rec) if q.subject == subject
                        and q.predicate.value not in _STATED}
        return out

    def source(self, subject) -> list:
        """What the documents said of `subject` (in the data graph), without mcmap's reading."""
        quads = self.reader.quads_of(subject)
        reading = self.reading(subject, quads)
        return [t for t in _data_triples(quads) if t not in reading and not t.predicate.value.startswith(ns.MC)
                and not (t.predicate.value == RDF_TYPE and t.object.value.startswith(ns.MC))]

    def elm_roots(self) -> set:
        return {s for (s,) in self.reader.ox.query(
            f"SELECT DISTINCT ?s WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s a ?t }} "
            f"FILTER(STRSTARTS(STR(?t), \"{ELM}\") || STRSTARTS(STR(?t), \"{CRED}\")) }}")} - self.documents


def write_document(reader, out, *, mapped: bool = False, strict: bool = False, report=None) -> None:
    """The ELM document for what `reader` (mcmap.exported.Reader) reads from a store, written
    to the binary stream `out` a batch of credentials at a time: a specification for each
    credential read from another format (with its own elm: statements), then the ELM documents
    read, as they said it. `report(Missing)` hears of every gap as it is found; with `strict`
    a gap is an error once the document is written (the caller keeps it from the user)."""
    store = _Store(reader, mapped=mapped)
    vocab = vocabulary()
    seen: dict = {}      # subject -> (predicate, object) pairs written: a shared node is written once
    roots = store.elm_roots()
    gaps: list[Missing] = []

    def batch_nodes(batch):
        triples = set(_dict_triples([spec for _, spec, _ in batch]))
        for _, _, own in batch:
            triples |= set(own)
        yield from compact(triples, vocab, first=[node for node, _, _ in batch], seen=seen)
        # what belongs to these credentials alone (their specification's parts) is not met again
        local = {spec["id"] for _, spec, _ in batch} | {node for node, _, _ in batch}
        for s in [s for s in seen if isinstance(s, ox.BlankNode) or s in local or s.value.split("#")[0] in local]:
            del seen[s]

    def generated():
        batch = []
        for subject in reader.subjects(credentials_only=True, leave_out=store.documents):
            if subject in roots:
                continue   # an ELM document's own credential: written with that document
            quads = reader.quads_of(subject)
            data = _data_triples(quads)
            if any(t.predicate.value == RDF_TYPE and _is_elm_type(t.object) for t in data):
                roots.add(subject)
                continue
            rec = store.record(subject, quads)
            # elm: statements about a credential read from elsewhere (a thematic area in Turtle) travel too.
            own = [t for t in data if t.predicate.value.startswith(ELM)]
            roots.update(t.object for t in own if not isinstance(t.object, ox.Literal))
            kind = kinds_of(quads).get(rec.iri)
            for gap in missing(rec, {t.predicate.value for t in own}, is_qualification(kind)):
                gaps.append(gap)
                if report and not strict:
                    report(gap)
            batch.append((subject, specification(rec, kind), own))
            if len(batch) == BATCH:
                yield from batch_nodes(batch)
                batch = []
        if batch:
            yield from batch_nodes(batch)

    def kept():   # once every specification is written: roots has grown by their elm: statements
        by_subject = _closure(roots - store.documents, store)
        first = sorted((r for r in roots if any(t.predicate.value == RDF_TYPE and t.object.value == CRED + "VerifiableCredential"
                                                for t in by_subject.get(r, []))), key=str)
        yield from compact([t for ts in by_subject.values() for t in ts], vocab, first=first, seen=seen)

    _write_nodes(out, itertools.chain(generated(), kept()))
    if strict and gaps:
        raise UsageError("ELM export refused (--strict): " + "; ".join(
            f"{g.credential} lacks {g.what} ({g.term})" for g in gaps))


def _write_nodes(out, nodes) -> None:
    """One node as the document itself, several as its @graph."""
    from .jsondoc import write_list

    context = [CREDENTIALS_V1, EDC_CONTEXT]
    first = next(nodes, None)
    if first is None:
        raise UsageError("there is nothing to export as ELM: no micro-credential and no ELM document")
    second = next(nodes, None)
    if second is None:
        out.write((json.dumps({"@context": context, **first}, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        return
    text = json.dumps({"@context": context, "@graph": []}, indent=2)
    write_list(out, itertools.chain((first, second), nodes), head=text[:text.rindex("[]")], tail="\n}\n", level=1)


def _closure(roots, store) -> dict:
    """What the documents said of `roots` and of every node they lead to, by subject."""
    by_subject, todo = {}, list(roots)
    while todo:
        s = todo.pop()
        if s in by_subject or s in store.documents:
            continue
        by_subject[s] = triples = store.source(s)
        todo += [t.object for t in triples if not isinstance(t.object, ox.Literal) and t.predicate.value != RDF_TYPE]
    return by_subject
