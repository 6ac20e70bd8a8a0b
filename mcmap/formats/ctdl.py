"""Credential Engine CTDL JSON-LD (`ceterms:`): micro-credentials as ceterms:MicroCredential with
their credit value and unit, estimated duration, owner and offerer, and learning outcomes; and
CTDL credentials read back into mcmap's vocabulary.

The keys come from mappings/crosswalk-ctdl.sssom.tsv. Courses, programmes and organisations in a
CTDL file are kept as RDF but are not micro-credentials, so they make no mcmap record.
"""
from __future__ import annotations

import itertools
import re
import uuid
from pathlib import Path

from .. import namespaces as ns
from ..errors import InputError
from . import values
from .contexts import CTDL_CONTEXT
from .crosswalk import key
from .elm import duration, hours
from .jsondoc import (as_list, context_urls, document_text, json_path, kept_documents, lang_values, load_json,
                      warn)
from .nquads import QuadText
from .record import Credential, Parts, Provider, Text, tail
from .vet_terms import add_ctdl, add_ctdl_organisation, read_ctdl, read_ctdl_organisation

MC, DCT = ns.MC, ns.DCT
CAO = "ceterms:CredentialAlignmentObject"
DELIVERY = {"online": "deliveryType:OnlineOnly", "onsite": "deliveryType:InPerson",
            "blended": "deliveryType:BlendedDelivery"}
UNITS = {"nz": "NZQCF credits (1 credit = 10 notional learning hours)",
         "ects": "ECTS credits (1 credit = 25-30 hours of learning)",
         "pqf": "PQF credits", "au-hours": "notional learning hours"}
_FRAMEWORKS = {"aqf": "AQF", "nzqcf": "NZQCF", "sqf": "SQF", "pqf": "PQF", "eqf": "EQF"}
# CTDL credential classes (ceterms:Credential's subclasses end in these words).
_CREDENTIAL_TYPE = re.compile(r"^ceterms:(\w*(Credential|Degree|Certificate|Certification|Badge|Diploma|"
                              r"License|Doctorate|Award))$")
_OUTCOMES = "Learning outcomes"
# mcmap listing status -> the CTDL CredentialStatus concept.
STATUS = {"current": "Active", "expiring": "TeachOut", "discontinued": "Deprecated"}
COUNTRIES = {"AU": "Australia", "NZ": "New Zealand", "WS": "Samoa"}
CREDENTIAL_CLASSES = {
    "ApprenticeshipCertificate", "AssociateDegree", "BachelorDegree", "Badge", "Certificate",
    "CertificateOfCompletion", "Certification", "Credential", "Degree", "DigitalBadge", "Diploma", "DoctoralDegree",
    "GeneralEducationDevelopment", "JourneymanCertificate", "License", "MasterCertificate", "MasterDegree",
    "MicroCredential", "OpenBadge", "ProfessionalDoctorate", "QualityAssuranceCredential", "ResearchDoctorate",
    "SecondarySchoolDiploma", "AcademicCertificate", "BasicTechnicalCertificate", "ProfessionalCertificate",
    "PostBaccalaureateCertificate", "PostMasterCertificate", "SpecialistDegree", "AssociateOfArtsDegree"}



def _k(prop: str) -> str:
    return key("ctdl", prop)


def _lang_map(texts: list[Text], default: str) -> dict:
    out: dict = {}
    for t in texts:
        out.setdefault(t.lang or default, []).append(t.value)
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def ctid(iri: str) -> str:
    """A stable CTID for an mcmap credential: the same IRI always gets the same one."""
    return f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, iri)}"


def credential_node(rec: Credential, *, known_ctid: str | None = None, kind: str | None = None) -> dict:
    """A credential for the Credential Registry. Its CTID is the one it already has, or one
    derived from its IRI (the same every time); its class is its kind where CTDL has it."""
    lang = rec.language[0] if rec.language else "en"
    iri = rec.iri if not rec.iri.startswith("_:") else f"urn:mcmap:blank:{rec.iri[2:]}"
    node: dict = {"@id": iri, "@type": f"ceterms:{kind if kind in CREDENTIAL_CLASSES else 'MicroCredential'}",
                  "ceterms:ctid": known_ctid or ctid(iri)}
    if rec.title:
        node[_k(DCT + "title")] = _lang_map(rec.title, lang)
    # The registry requires a description; a stated purpose is the credential's own description.
    described = rec.description or rec.text.get("purposeStatement", [])
    if described:
        node[_k(DCT + "description")] = _lang_map(described, lang)
    if rec.status in STATUS:
        node["ceterms:credentialStatusType"] = {"@type": CAO, "ceterms:framework": "CredentialStatus",
                                                "ceterms:targetNode": f"credentialStat:{STATUS[rec.status]}",
                                                "ceterms:targetNodeName": {"en": STATUS[rec.status]}}
    if rec.identifier:
        node[_k(DCT + "identifier")] = rec.identifier
    if rec.provider and rec.provider.iri:
        node[_k(MC + "provider")] = [rec.provider.iri]
    if rec.credit_value is not None:
        value: dict = {"@type": "ceterms:QuantitativeValue", "ceterms:value": float(rec.credit_value)}
        if rec.credit_system:
            # CTDL's creditUnit: scheme has no NZQCF, PQF or ECTS credit: the unit is said in words.
            value["ceterms:creditUnitTypeDescription"] = {"en": UNITS.get(rec.credit_system, rec.credit_system)}
        node[_k(MC + "creditValue")] = [value]
    if rec.hours is not None:
        node[_k(MC + "volumeOfLearningHours")] = [{"@type": "ceterms:DurationProfile",
                                                  "ceterms:exactDuration": duration(rec.hours)}]
    if rec.level_framework:
        fw = _FRAMEWORKS.get(rec.level_framework, rec.level_framework.upper())
        node[_k(MC + "level")] = [{"@type": CAO, "ceterms:framework": ns.framework_iri(rec.level_framework),
                                   "ceterms:frameworkName": {"en": fw}, "ceterms:targetNode": rec.level,
                                   "ceterms:targetNodeName": {"en": f"{fw} level {rec.level_number}"}}]
    if rec.learning_outcomes:
        node["ceterms:requires"] = [{"@type": "ceterms:ConditionProfile", "ceterms:name": {"en": _OUTCOMES},
                                     _k(MC + "learningOutcome"): [
                                         {"@type": CAO, "ceterms:targetNodeName": _lang_map([t], lang)}
                                         for t in rec.learning_outcomes]}]
    if rec.assessment:
        node[_k(MC + "assessment")] = _lang_map(rec.assessment, lang)
    if rec.delivery_mode in DELIVERY:
        node[_k(MC + "deliveryMode")] = [{"@type": CAO, "ceterms:targetNode": DELIVERY[rec.delivery_mode]}]
    if rec.text.get("prerequisites"):
        node[_k(MC + "prerequisites")] = [{"@type": "ceterms:ConditionProfile",
                                           "ceterms:description": _lang_map([t], lang)}
                                          for t in rec.text["prerequisites"]]
    if rec.cost is not None:
        cost: dict = {"@type": "ceterms:CostProfile", "ceterms:price": float(rec.cost)}
        if rec.currency:
            cost["ceterms:currency"] = rec.currency
        node[_k(MC + "cost")] = [cost]
    if rec.url:
        node[_k(ns.SCHEMA + "url")] = rec.url
    if rec.language:
        node[_k(DCT + "language")] = rec.language
    if rec.approved_on:
        node[_k(MC + "approvedOn")] = rec.approved_on
    add_ctdl(node, rec)
    return node


def organisation_node(p: Provider, jurisdiction: str | None = None, known_ctid: str | None = None) -> dict:
    org: dict = {"@id": p.iri, "@type": "ceterms:CredentialOrganization", "ceterms:ctid": known_ctid or ctid(p.iri)}
    if p.name:
        org["ceterms:name"] = _lang_map([p.name], "en")
    if jurisdiction in COUNTRIES:
        org["ceterms:address"] = [{"@type": "ceterms:Place", "ceterms:addressCountry": {"en": COUNTRIES[jurisdiction]}}]
    if p.regulator and p.regulator != "NONE":
        org["ceterms:regulatedBy"] = [{"@id": ns.regulator_iri(p.regulator)}]
    add_ctdl_organisation(org, p.rto_code)
    return org


# The Credential Registry's minimum data policy (its registry profile of CTDL): what a published
# credential and a credential organisation must carry. key -> what a person calls it.
REQUIRED_CREDENTIAL = {"ceterms:ctid": "a CTID", "ceterms:name": "a name", "ceterms:description": "a description",
                       "ceterms:subjectWebpage": "a web page (subjectWebpage)",
                       "ceterms:credentialStatusType": "a status (credentialStatusType)",
                       "ceterms:inLanguage": "a language", "ceterms:ownedBy": "an owning organisation (ownedBy)"}
REQUIRED_ORGANISATION = {"ceterms:ctid": "a CTID", "ceterms:name": "a name", "ceterms:description": "a description",
                         "ceterms:subjectWebpage": "a web page (subjectWebpage)",
                         "ceterms:agentType": "an organisation type (agentType)",
                         "ceterms:agentSectorType": "a sector (agentSectorType)",
                         "ceterms:address": "an address", "ceterms:email": "an email address"}


def _gaps(node: dict, required: dict) -> list[str]:
    return [what for key, what in required.items() if not node.get(key)]


def write(parts: Parts, out, *, mapped: bool = False, strict: bool = False) -> None:
    """The kept CTDL documents as they were read, and every other credential (with its owning
    organisation) written for the Credential Registry, to the binary stream `out` a credential
    at a time; what its minimum data policy requires and the data lacks is warned about, or
    with `strict` an error once the document is written (the caller keeps it from the user)."""
    import json

    from ..errors import UsageError
    from .jsondoc import write_documents, write_list
    from .record import exportable

    kept, covered = kept_documents(parts.documents, "ctdl")
    records = (exportable(r, lambda message: warn("CTDL export", message))
               for r in parts.records if r.iri not in covered)
    first = next(records, None)
    if first is None and len(kept) <= 1:
        write_documents(out, kept)   # the one document as it was read, or "nothing to export"
        return
    orgs: dict = {}
    refused = []

    def gaps(node, required):
        what = _gaps(node, required)
        if what and strict:
            refused.append((node["@id"], what))
        elif what:
            warn("CTDL export", f"{node['@id']} lacks {', '.join(what)}, which the Credential Registry's "
                                "minimum data policy requires")
        return node

    def credential_nodes():
        for r in itertools.chain((first,) if first is not None else (), records):
            kind = parts.kinds.get(r.iri)
            yield gaps(credential_node(r, known_ctid=parts.ctids.get(r.iri),
                                       kind=kind if kind in CREDENTIAL_CLASSES else None), REQUIRED_CREDENTIAL)
            if r.provider and r.provider.iri:   # written with the last credential's jurisdiction
                orgs[r.provider.iri] = (r.provider, r.jurisdiction)

    def organisation_nodes():   # once every credential has been written
        for iri, (provider, jurisdiction) in orgs.items():
            yield gaps(organisation_node(provider, jurisdiction, parts.ctids.get(iri)), REQUIRED_ORGANISATION)

    head = "{\n  \"@context\": " + json.dumps(CTDL_CONTEXT) + ",\n  \"@graph\": "
    write_list(out, itertools.chain((n for doc in kept for n in _nodes_of(doc)), credential_nodes(),
                                    organisation_nodes()), head=head, tail="\n}\n", level=1)
    if refused:
        raise UsageError("CTDL export refused (--strict): " + "; ".join(
            f"{who} lacks {', '.join(what)}" for who, what in refused))


def _nodes_of(doc) -> list[dict]:
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        return [n for n in doc["@graph"] if isinstance(n, dict)]
    return [{k: v for k, v in d.items() if k != "@context"} for d in as_list(doc) if isinstance(d, dict)]


# ------------------------------------------------------------------ reading

def sniff(path: Path, doc) -> str | None:
    for d in as_list(doc):
        if isinstance(d, dict) and any("credreg.net/ctdl" in c for c in context_urls(d)):
            return "ctdl"
    return None


def _nodes(doc) -> list[dict]:
    out = []
    for d in as_list(doc):
        if isinstance(d, dict):
            out.append(d)
            out += _nodes(d.get("@graph"))
    return out


def _iri(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id")
    return value if isinstance(value, str) else None


def read(path: Path) -> QuadText:
    """The document's triples and mcmap records, and the document kept verbatim, so an export
    to CTDL gives it back with its CTIDs, classes and every property."""
    doc = load_json(path)
    nodes = _nodes(doc)
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    records = [_record(n, by_id, str(path), doc) for n in nodes
               if any(_CREDENTIAL_TYPE.match(t) for t in as_list(n.get("@type")) if isinstance(t, str))]
    return document_text(path, records, keep=("ctdl", [(doc, [r.iri for r in records])]))


def _texts(value) -> list[Text]:
    return [Text(v, lang) for v, lang in lang_values(value)]


def _typed(parse, value, source: str, doc, node: dict, key_: str) -> str:
    try:
        return parse(value)
    except values.BadValue as e:
        raise InputError(source, f"{json_path(doc, node, key_)}: {e}") from None


def _record(n: dict, by_id: dict, source: str, doc=None) -> Credential:
    iri = n.get("@id") or f"urn:ctid:{n.get('ceterms:ctid', 'unknown')}"
    if iri.startswith("urn:mcmap:blank:"):
        iri = "_:" + iri[len("urn:mcmap:blank:"):]
    rec = Credential(iri=iri)
    rec.title = _texts(n.get(_k(DCT + "title")))
    rec.description = _texts(n.get(_k(DCT + "description")))
    code = n.get(_k(DCT + "identifier"))
    rec.identifier = str(code) if isinstance(code, (str, int)) else None
    owners = [_iri(o) for o in as_list(n.get(_k(MC + "provider"))) + as_list(n.get("ceterms:offeredBy"))]
    owners = [o for o in owners if o]
    if owners:
        org = by_id.get(owners[0], {})
        names = _texts(org.get("ceterms:name"))
        regs = [_iri(r) for r in as_list(org.get("ceterms:regulatedBy"))]
        reg = next((tail(r) for r in regs if r and r.startswith(ns.ID + "regulator/")), None)
        rec.provider = Provider(owners[0], names[0] if names else None, reg, read_ctdl_organisation(org))
    for value in as_list(n.get(_k(MC + "creditValue")))[:1]:
        if isinstance(value, dict) and value.get("ceterms:value") is not None:
            rec.credit_value = _typed(values.json_number, value["ceterms:value"], source, doc, value, "ceterms:value")
            for unit in as_list(value.get("ceterms:creditUnitType")):
                target = _iri(unit.get("ceterms:targetNode")) if isinstance(unit, dict) else None
                if target and target.startswith(ns.ID + "credit-system/"):
                    rec.credit_system = tail(target)
            words = [t.value for t in _texts(value.get("ceterms:creditUnitTypeDescription"))]
            rec.credit_system = rec.credit_system or next((k for k, v in UNITS.items() if v in words), None)
    for d in as_list(n.get(_k(MC + "volumeOfLearningHours"))):
        exact = d.get("ceterms:exactDuration") if isinstance(d, dict) else None
        if isinstance(exact, str):
            h = hours(exact)
            if h is None:
                warn(source, f"estimated duration {exact} of {iri} is not in hours or days "
                     "(months and years are calendar time, not notional learning hours): not taken")
            else:
                rec.hours = f"{h:f}"
            break
    for a in as_list(n.get(_k(MC + "level"))):
        target = _iri(a.get("ceterms:targetNode")) if isinstance(a, dict) else None
        if target and re.match(re.escape(ns.ID) + r"level/[a-z]+/\d+$", target):
            rec.level = target
    for cond in as_list(n.get("ceterms:requires")):
        if isinstance(cond, dict):
            for comp in as_list(cond.get(_k(MC + "learningOutcome"))):
                if isinstance(comp, dict):
                    rec.learning_outcomes += _texts(comp.get("ceterms:targetNodeName"))
    rec.assessment = _texts(n.get(_k(MC + "assessment")))
    for st in as_list(n.get("ceterms:credentialStatusType")):
        target = _iri(st.get("ceterms:targetNode")) if isinstance(st, dict) else None
        rec.status = next((k for k, v in STATUS.items() if target == f"credentialStat:{v}"), rec.status)
    for d in as_list(n.get(_k(MC + "deliveryMode"))):
        target = _iri(d.get("ceterms:targetNode")) if isinstance(d, dict) else None
        rec.delivery_mode = next((m for m, t in DELIVERY.items() if t == target), rec.delivery_mode)
    prereq = [t for c in as_list(n.get(_k(MC + "prerequisites"))) if isinstance(c, dict)
              for t in _texts(c.get("ceterms:description"))]
    if prereq:
        rec.text["prerequisites"] = prereq
    for c in as_list(n.get(_k(MC + "cost")))[:1]:
        if isinstance(c, dict) and c.get("ceterms:price") is not None:
            rec.cost = _typed(values.json_number, c["ceterms:price"], source, doc, c, "ceterms:price")
            rec.currency = c.get("ceterms:currency") if isinstance(c.get("ceterms:currency"), str) else None
    url = _iri(n.get(_k(ns.SCHEMA + "url")))
    rec.url = url
    rec.language = [x for x in as_list(n.get(_k(DCT + "language"))) if isinstance(x, str)]
    date = n.get(_k(MC + "approvedOn"))
    if date is not None:
        rec.approved_on = _typed(values.date, date, source, doc, n, _k(MC + "approvedOn"))
    read_ctdl(n, rec)
    return rec
