"""1EdTech Open Badges 3.0: each micro-credential as an OpenBadgeCredential whose Achievement
(achievementType MicroCredential) defines it; and OB3 credentials read back into mcmap's vocabulary.

Which Achievement key carries which mcmap property comes from mappings/crosswalk-ob3.sssom.tsv.
"""
from __future__ import annotations

import itertools
import re
from datetime import datetime, timezone
from pathlib import Path

from .. import namespaces as ns
from ..errors import InputError, UsageError
from . import values
from .contexts import CREDENTIALS_V2, OB3_CONTEXT
from .crosswalk import key
from .jsondoc import (as_list, context_urls, document_text, kept_documents, lang_values, load_json, types_of, warn,
                      write_documents)
from .nquads import QuadText
from .record import Credential, Parts, Provider, Text, tail

MC, DCT = ns.MC, ns.DCT
CREDENTIAL_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
_FRAMEWORKS = {"aqf": "AQF", "nzqcf": "NZQCF", "sqf": "SQF", "pqf": "PQF", "eqf": "EQF"}
UNITS = {
    "nz": "NZQCF credits (1 credit = 10 notional learning hours)",
    "ects": "ECTS credits (1 credit = 25-30 hours of learning)",
    "pqf": "PQF credits",
    "au-hours": "notional learning hours",
}
_OUTCOMES, _ASSESSMENT = "Learning outcomes:", "Assessment:"
# OB3's achievement types (its JSON Schema's enumeration); any other kind is written as an
# extension value, ext:Kind, as the standard allows.
ACHIEVEMENT_TYPES = set("""Achievement ApprenticeshipCertificate Assessment Assignment AssociateDegree Award Badge
    BachelorDegree Certificate CertificateOfCompletion Certification CommunityService Competency Course CoCurricular
    Degree Diploma DoctoralDegree Fieldwork GeneralEducationDevelopment JourneymanCertificate LearningProgram License
    Membership ProfessionalDoctorate QualityAssuranceCredential MasterCertificate MasterDegree MicroCredential
    ResearchDoctorate SecondarySchoolDiploma""".split())


def _k(prop: str) -> str:
    found = key("ob3", prop)
    if found is None:
        raise KeyError(f"mappings/crosswalk-ob3.sssom.tsv has no row for {prop}")
    return found


def _first(texts: list[Text]) -> str | None:
    for t in texts:
        if t.lang in (None, "en") or t.lang.startswith("en-"):
            return t.value
    return texts[0].value if texts else None


def achievement_type(kind: str | None) -> str:
    if not kind:
        return "MicroCredential"
    if kind in ACHIEVEMENT_TYPES or kind.startswith("ext:"):
        return kind
    return "ext:" + re.sub(r"[^A-Za-z0-9._-]", "", kind)


def achievement(rec: Credential, kind: str | None = None) -> dict:
    title = _first(rec.title) or rec.identifier or rec.iri
    ach: dict = {"id": _iri(rec.iri), "type": ["Achievement"], "achievementType": achievement_type(kind),
                 _k(DCT + "title"): title,
                 _k(DCT + "description"): (_first(rec.description) or _first(rec.text.get("purposeStatement", []))
                                           or title),
                 "criteria": {"narrative": narrative(rec)}}
    if rec.identifier:
        ach[_k(DCT + "identifier")] = rec.identifier
    alignment = []
    if rec.level_framework:
        fw = _FRAMEWORKS.get(rec.level_framework, rec.level_framework.upper())
        alignment.append({"type": ["Alignment"], "targetName": f"{fw} level {rec.level_number}",
                          "targetUrl": rec.level, "targetFramework": fw, "targetCode": str(rec.level_number)})
    if rec.credit_value is not None:
        ach[_k(MC + "creditValue")] = float(rec.credit_value)
        if rec.credit_system:
            alignment.append({"type": ["Alignment"], "targetName": UNITS.get(rec.credit_system, rec.credit_system),
                              "targetUrl": ns.credit_system_iri(rec.credit_system),
                              "targetFramework": "Credit system", "targetCode": rec.credit_system})
    if alignment:
        ach[_k(MC + "level")] = alignment
    if rec.text.get("nzscedCode"):
        ach[_k(MC + "nzscedCode")] = rec.text["nzscedCode"][0].value
    if rec.language:
        ach[_k(DCT + "language")] = rec.language[0]
    if rec.provider:
        ach[_k(MC + "provider")] = _profile(rec)
    return ach


def narrative(rec: Credential) -> str:
    parts = []
    if rec.learning_outcomes:
        parts.append(_OUTCOMES + "\n" + "\n".join(f"- {t.value}" for t in rec.learning_outcomes))
    if rec.assessment:
        parts.append(_ASSESSMENT + "\n" + "\n".join(f"- {t.value}" for t in rec.assessment))
    return "\n\n".join(parts) or "Completion of the micro-credential as its provider defines it."


def _iri(iri: str) -> str:
    return f"urn:mcmap:blank:{iri[2:]}" if iri.startswith("_:") else iri


def _profile(rec: Credential) -> dict:
    p = rec.provider
    profile = {"id": _iri(p.iri) if p.iri else _iri(rec.iri) + "#provider", "type": ["Profile"]}
    if p.name:
        profile["name"] = p.name.value
    return profile


def credential(rec: Credential, kind: str | None = None) -> dict:
    issuer = _profile(rec) if rec.provider else {"id": _iri(rec.iri) + "#issuer", "type": ["Profile"]}
    valid_from = (f"{rec.approved_on}T00:00:00Z" if rec.approved_on
                  else datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return {"@context": [CREDENTIALS_V2, OB3_CONTEXT],
            "id": _iri(rec.iri) + "#ob3",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": _first(rec.title) or rec.identifier or rec.iri,
            "issuer": issuer, "validFrom": valid_from,
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": achievement(rec, kind)}}


def write(parts: Parts, out, *, mapped: bool = False, strict: bool = False) -> None:
    """One OpenBadgeCredential, or a JSON array of them when there are several credentials,
    written to the binary stream `out` a credential at a time. Credentials read from Open
    Badges documents are those documents, as they were written. With `strict`, a credential
    that lacks what Open Badges requires is an error once the document is written (the caller
    keeps what was written from the user)."""
    from .record import exportable

    kept, covered = kept_documents(parts.documents, "ob3")
    gaps = []

    def credentials():
        for r in parts.records:
            if r.iri in covered:
                continue
            r = exportable(r, lambda message: warn("Open Badges export", message))
            for what in gaps_of(r):
                if strict:
                    gaps.append((r.iri, what))
                else:
                    warn("Open Badges export", f"{r.iri} lacks {what}")
            yield credential(r, parts.kinds.get(r.iri))

    write_documents(out, itertools.chain(kept, credentials()))
    if gaps:
        raise UsageError("Open Badges export refused (--strict): " + "; ".join(f"{who} lacks {what}" for who, what in gaps))


def gaps_of(rec: Credential) -> list[str]:
    """What Open Badges requires of a credential and this one lacks, with what is written instead."""
    out = []
    if not rec.title:
        out.append("a name, which Open Badges requires (its identifier is written instead)")
    if not rec.description and not rec.text.get("purposeStatement"):
        out.append("a description or purpose, which Open Badges requires (its title is written instead)")
    if not rec.learning_outcomes and not rec.assessment:
        out.append("learning outcomes or assessment for the required criteria (a general statement is written)")
    if not (rec.provider and rec.provider.name):
        out.append("a named provider to be the issuer, which Open Badges requires")
    if not rec.approved_on:
        out.append("an approval date for the required validFrom (the time of export is written)")
    return out


# ------------------------------------------------------------------ reading

def sniff(path: Path, doc) -> str | None:
    for d in as_list(doc):
        if isinstance(d, dict) and (types_of(d) & CREDENTIAL_TYPES or
                                    any("/spec/ob/v3p0/" in c for c in context_urls(d))):
            return "ob3"
    return None


def read(path: Path) -> QuadText:
    """The credentials' triples and mcmap records, and each credential's JSON kept verbatim so
    an export to Open Badges gives it back whole (ids, earner, proof, everything)."""
    doc = load_json(path)
    records, kept = [], []
    for i, d in enumerate(as_list(doc)):
        if not isinstance(d, dict):
            continue
        base = f"$[{i}]" if isinstance(doc, list) else "$"
        subjects = d.get("credentialSubject")
        mine = []
        for j, subject in enumerate(as_list(subjects)):
            at = f"{base}.credentialSubject" + (f"[{j}]" if isinstance(subjects, list) else "")
            achievements = subject.get("achievement") if isinstance(subject, dict) else None
            for k, ach in enumerate(as_list(achievements)):
                if isinstance(ach, dict):
                    where = f"{at}.achievement" + (f"[{k}]" if isinstance(achievements, list) else "")
                    mine.append(record(ach, d, source=str(path), path=where, vc_path=base))
        records += mine
        kept.append((d, [r.iri for r in mine]))
    return document_text(path, records, keep=("ob3", kept))


def record(ach: dict, vc: dict, *, source: str = "OB3", path: str = "$.credentialSubject.achievement",
           vc_path: str = "$") -> Credential:
    """The mcmap record of one Achievement; a value of the wrong type stops the read, naming its
    JSON path (`path` is the Achievement's, `vc_path` the credential's)."""
    iri = ach.get("id") or (vc.get("id", "urn:mcmap:ob3") + "#achievement")
    if iri.startswith("urn:mcmap:blank:"):
        iri = "_:" + iri[len("urn:mcmap:blank:"):]
    rec = Credential(iri=iri)
    rec.title = [Text(v, lang) for v, lang in lang_values(ach.get(_k(DCT + "title")))]
    description = [Text(v, lang) for v, lang in lang_values(ach.get(_k(DCT + "description")))]
    if [t.value for t in description] != [t.value for t in rec.title]:
        rec.description = description  # the writer repeats the title when there is no description
    code = ach.get(_k(DCT + "identifier"))
    rec.identifier = str(code) if code else None
    credits_key = _k(MC + "creditValue")
    if ach.get(credits_key) is not None:
        try:
            rec.credit_value = values.json_number(ach[credits_key])
        except values.BadValue as e:
            raise InputError(source, f"{path}.{credits_key}: {e}") from None
    for al in as_list(ach.get(_k(MC + "level"))):
        url = al.get("targetUrl", "") if isinstance(al, dict) else ""
        if re.match(re.escape(ns.ID) + r"level/[a-z]+/\d+$", url):
            rec.level = url
        elif url.startswith(ns.ID + "credit-system/"):
            rec.credit_system = tail(url)
    criteria = ach.get("criteria") or {}
    _read_narrative(rec, criteria.get("narrative", "") if isinstance(criteria, dict) else "")
    field = ach.get(_k(MC + "nzscedCode"))
    if isinstance(field, str) and re.fullmatch(r"\d{6}", field):
        rec.text["nzscedCode"] = [Text(field)]
    lang = ach.get(_k(DCT + "language"))
    if isinstance(lang, str):
        rec.language = [lang]
    creator = ach.get(_k(MC + "provider")) or vc.get("issuer")
    if isinstance(creator, str):
        creator = {"id": creator}
    if isinstance(creator, dict):
        pid = creator.get("id")
        names = lang_values(creator.get("name"))
        rec.provider = Provider(None if not pid or pid.endswith("#provider") and pid.startswith(iri)
                                else ("_:" + pid[16:] if pid.startswith("urn:mcmap:blank:") else pid),
                                Text(*names[0]) if names else None)
    valid = vc.get("validFrom")
    if isinstance(valid, str) and valid.endswith("T00:00:00Z"):
        try:
            rec.approved_on = values.date(valid[:10])
        except values.BadValue as e:
            raise InputError(source, f"{vc_path}.validFrom: {e}") from None
    return rec


def _read_narrative(rec: Credential, text: str) -> None:
    if not text.strip() or text.startswith("Completion of the micro-credential as its provider"):
        return
    if _OUTCOMES not in text and _ASSESSMENT not in text:
        rec.learning_outcomes = [Text(text.strip())]
        return
    current = None
    for line in text.splitlines():
        if line.strip() == _OUTCOMES:
            current = rec.learning_outcomes
        elif line.strip() == _ASSESSMENT:
            current = rec.assessment
        elif line.startswith("- ") and current is not None:
            current.append(Text(line[2:].strip()))
