"""A credential's Australian VET facts in CTDL and ELM: its national code, its units of
competency and its provider's RTO code, written so that reading the document back gives them again.

- CTDL: the national code is a `ceterms:IdentifierValue` of the credential, each unit a
  `ceterms:CredentialAlignmentObject` (`ceterms:codedNotation`, the unit's training.gov.au page as
  `ceterms:targetNode`) under a "Units of competency" `ceterms:ConditionProfile`, the RTO code an
  `IdentifierValue` of the organisation.
- ELM: the national code is an `Identifier` (`schemeName` "training.gov.au national code"), each
  unit a part (`hasPart`) of the specification: a `LearningAchievementSpecification` with the
  unit's code as its `Identifier`, the RTO code an `Identifier` of the awarding body.
"""
from __future__ import annotations

from .record import Credential

NATIONAL_CODE = "training.gov.au national code"
UNIT_CODE = "training.gov.au unit of competency"
RTO_CODE = "training.gov.au RTO code"
REGISTER = "https://training.gov.au/Training/Details/"
SCHEME_ID = "https://training.gov.au/"
UNITS_PROFILE = "Units of competency"
CAO = "ceterms:CredentialAlignmentObject"


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return next((v for v in value.values() if isinstance(v, str)), None)
    return None


# ------------------------------------------------------------------ CTDL

def ctdl_identifier(name: str, code: str) -> dict:
    return {"@type": "ceterms:IdentifierValue", "ceterms:identifierTypeName": name,
            "ceterms:identifierValueCode": code}


def add_ctdl(node: dict, rec: Credential) -> None:
    """Add the credential's national code and units to its CTDL node."""
    if rec.national_code:
        node.setdefault("ceterms:identifier", []).append(ctdl_identifier(NATIONAL_CODE, rec.national_code))
    if rec.unit_codes:
        node.setdefault("ceterms:requires", []).append({
            "@type": "ceterms:ConditionProfile", "ceterms:name": {"en": UNITS_PROFILE},
            "ceterms:targetCompetency": [
                {"@type": CAO, "ceterms:codedNotation": code, "ceterms:targetNode": REGISTER + code,
                 "ceterms:frameworkName": {"en": "training.gov.au"}} for code in rec.unit_codes]})


def add_ctdl_organisation(org: dict, rto_code: str | None) -> None:
    if rto_code:
        org.setdefault("ceterms:identifier", []).append(ctdl_identifier(RTO_CODE, rto_code))


def _identified(values, name: str) -> str | None:
    for v in _list(values):
        if isinstance(v, dict) and _text(v.get("ceterms:identifierTypeName")) == name:
            code = v.get("ceterms:identifierValueCode")
            if isinstance(code, str):
                return code
    return None


def read_ctdl(node: dict, rec: Credential) -> None:
    """The national code and units a CTDL credential node states (as add_ctdl writes them)."""
    rec.national_code = _identified(node.get("ceterms:identifier"), NATIONAL_CODE) or rec.national_code
    for cond in _list(node.get("ceterms:requires")):
        if not isinstance(cond, dict):
            continue
        for comp in _list(cond.get("ceterms:targetCompetency")):
            code = comp.get("ceterms:codedNotation") if isinstance(comp, dict) else None
            target = comp.get("ceterms:targetNode") if isinstance(comp, dict) else None
            if isinstance(code, str) and isinstance(target, str) and target.startswith(REGISTER):
                rec.unit_codes.append(code)
    rec.unit_codes = sorted(set(rec.unit_codes))


def read_ctdl_organisation(org: dict) -> str | None:
    return _identified(org.get("ceterms:identifier"), RTO_CODE)


def is_unit_alignment(comp) -> bool:
    """A unit written by add_ctdl, so a reader of learning outcomes can pass over it."""
    return isinstance(comp, dict) and str(comp.get("ceterms:targetNode", "")).startswith(REGISTER)


# ------------------------------------------------------------------ ELM

def elm_identifier(iri: str, suffix: str, name: str, code: str) -> dict:
    return {"id": f"{iri}#{suffix}", "type": "Identifier", "notation": code, "schemeName": name,
            "schemeId": SCHEME_ID}


def add_elm(spec: dict, rec: Credential, iri: str, lang: str = "en") -> None:
    """Add the credential's national code and units to its ELM specification."""
    if rec.national_code:
        ids = _list(spec.get("identifier"))
        ids.append(elm_identifier(iri, "national-code", NATIONAL_CODE, rec.national_code))
        spec["identifier"] = ids
    if rec.unit_codes:
        spec["hasPart"] = [{"id": f"{iri}#unit-{code}", "type": "LearningAchievementSpecification",
                            "title": {lang: code},
                            "identifier": elm_identifier(iri, f"unit-{code}-code", UNIT_CODE, code)}
                           for code in rec.unit_codes]


def add_elm_organisation(org: dict, rto_code: str | None) -> None:
    if rto_code:
        ids = _list(org.get("identifier"))
        ids.append(elm_identifier(org["id"], "rto-code", RTO_CODE, rto_code))
        org["identifier"] = ids
