"""mcmap XML: submissions and exports, checked against ontology/xml/mcmap.xsd.

The parser expands no entities, loads no DTD and touches no network; a document with a DOCTYPE
is refused before parsing, so neither an external entity (XXE) nor a nested-entity bomb
(billion laughs) is ever looked at.
"""
from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

from .. import namespaces as ns
from ..errors import InputError
from .nquads import QuadText, Writer
from .record import TEXT_FIELDS, Credential, Parts, Provider, Text, record_text, tail

XMLNS = "https://w3id.org/mcmap/xml/1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FRAMEWORKS = {"aqf": "AQF", "nzqcf": "NZQCF", "sqf": "SQF", "pqf": "PQF", "eqf": "EQF"}


def _q(name: str) -> str:
    return f"{{{XMLNS}}}{name}"


def safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, remove_comments=False)


@cache
def schema():
    from lxml import etree

    from ..resources import data_dir

    path = data_dir("ontology") / "xml" / "mcmap.xsd"
    return etree.XMLSchema(etree.parse(str(path), safe_parser()))


def parse_xml(path: Path):
    """The parsed tree of `path`, refusing DOCTYPEs and reporting syntax errors with their line."""
    from lxml import etree

    raw = path.read_bytes()
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        at = raw.find(marker)
        if at >= 0:
            raise InputError(str(path), "XML with a DOCTYPE or ENTITY declaration is refused: mcmap never "
                             "expands entities or loads DTDs (this blocks XXE and entity-expansion attacks)",
                             line=raw[:at].count(b"\n") + 1)
    try:
        tree = etree.fromstring(raw, safe_parser()).getroottree()
    except etree.XMLSyntaxError as e:
        raise InputError(str(path), f"XML syntax error: {e.msg}", line=e.lineno) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(str(path), "XML with a DOCTYPE is refused: mcmap never loads DTDs or expands entities")
    return tree


def read_xml(path: Path) -> QuadText:
    """Each <credential>'s triples as N-Quads text, written one credential at a time."""
    return QuadText(path, lambda out: _records(path, out))


def _records(path: Path, out: Writer):
    tree = parse_xml(path)
    root = tree.getroot()
    if root.tag != _q("credentials"):
        raise InputError(str(path), f"the root element is <{root.tag}>; mcmap XML has <credentials "
                         f"xmlns=\"{XMLNS}\">", line=root.sourceline)
    xsd = schema()
    if not xsd.validate(tree):
        err = xsd.error_log.filter_from_errors()[0] if xsd.error_log.filter_from_errors() else xsd.error_log[0]
        message = err.message.replace(f"{{{XMLNS}}}", "")
        raise InputError(str(path), f"does not match the mcmap XML schema: {message}", line=err.line)
    for number, el in enumerate(root.iter(_q("credential")), start=1):
        rec = _record(el, path, number)
        try:
            record_text(rec, out, str(path), line=el.sourceline)
        except ValueError as e:  # an id, level or mapping that is not an IRI
            raise InputError(str(path), f"credential {number}: {e}", line=el.sourceline) from None
        yield


def _texts(el, name) -> list[Text]:
    return [Text(c.text, c.get(XML_LANG)) for c in el.findall(_q(name))]


def _first(el, name) -> str | None:
    c = el.find(_q(name))
    return c.text if c is not None else None


def _record(el, path: Path, number: int) -> Credential:
    from .tabular import credential_iri, slug

    identifier = _first(el, "identifier")
    iri = el.get("id") or (credential_iri(identifier) if identifier
                           else f"{ns.DATA}credential/{slug(path.stem)}-{number}")
    rec = Credential(iri=iri, identifier=identifier)
    rec.title, rec.description = _texts(el, "title"), _texts(el, "description")
    prov = el.find(_q("provider"))
    if prov is not None:
        names = _texts(prov, "name")
        pid = prov.get("id") or (f"{ns.DATA}provider/{slug(names[0].value)}" if names else None)
        rec.provider = Provider(pid, names[0] if names else None, _first(prov, "regulator"))
    rec.jurisdiction = _first(el, "jurisdiction")
    level = el.find(_q("level"))
    if level is not None:
        rec.level = ns.level_iri(level.get("framework"), int(level.text))
    credits = el.find(_q("credits"))
    if credits is not None:
        rec.credit_value = credits.text.strip()
        if credits.get("system"):
            rec.credit_system = credits.get("system").lower()
    rec.hours = (_first(el, "volume") or "").strip() or None
    rec.learning_outcomes, rec.assessment = _texts(el, "learningOutcome"), _texts(el, "assessment")
    rec.delivery_mode, rec.status = _first(el, "deliveryMode"), _first(el, "status")
    rec.cost = (_first(el, "cost") or "").strip() or None
    rec.currency = _first(el, "currency")
    rec.review_period_years = _first(el, "reviewPeriodYears")
    rec.approved_on = _first(el, "approvedOn")
    rec.url = _first(el, "url")
    rec.language = [c.text for c in el.findall(_q("language"))]
    for key in TEXT_FIELDS:
        if el.find(_q(key)) is not None:
            rec.text[key] = _texts(el, key)
    rec.mappings = [(m.get("subject"), m.get("predicate"), m.get("object")) for m in el.findall(_q("mapping"))]
    return rec


# ------------------------------------------------------------------ writing

def write(parts: Parts, out, *, mapped: bool = False, strict: bool = False) -> None:
    """mcmap XML of the records, written to the binary stream `out` a credential at a time,
    laid out as lxml pretty-prints the whole document."""
    from lxml import etree

    from ..errors import UsageError
    from .jsondoc import warn
    from .record import exportable

    records = iter(parts.records)
    first = next(records, None)
    if first is None:
        raise UsageError("there are no micro-credentials (mc:MicroCredential) to export")
    root = etree.Element(_q("credentials"), nsmap={None: XMLNS})
    whole = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    head = whole[:-len(b"/>\n")] + b">\n"   # the root element opened
    out.write(head)
    for rec in itertools.chain((first,), records):
        rec = exportable(rec, lambda message: warn("XML export", message))
        try:
            el = _element(rec, mapped)
        except ValueError as e:
            # XML 1.0 cannot hold most control characters; say which credential has one.
            raise UsageError(f"credential {rec.iri} cannot be written as XML: {e}") from None
        root.append(el)
        text = etree.tostring(root, encoding="UTF-8", pretty_print=True)
        root.remove(el)
        # the credential as it stands inside the document: between the root's own lines
        out.write(text[text.index(b"\n") + 1:text.rindex(b"</")])
    out.write(b"</" + root.tag.split("}")[1].encode() + b">\n")


def _element(rec: Credential, mapped: bool):
    from lxml import etree

    el = etree.Element(_q("credential"))
    if not rec.iri.startswith("_:"):
        el.set("id", rec.iri)

    def sub(parent, name, text, **attrs):
        c = etree.SubElement(parent, _q(name))
        c.text = text
        for k, v in attrs.items():
            if v is not None:
                c.set(k, v)
        return c

    def texts(name, values):
        for t in values:
            c = sub(el, name, t.value)
            if t.lang:
                c.set(XML_LANG, t.lang)

    if rec.identifier:
        sub(el, "identifier", rec.identifier)
    texts("title", rec.title)
    texts("description", rec.description)
    if rec.provider:
        p = sub(el, "provider", None)
        if rec.provider.iri and not rec.provider.iri.startswith("_:"):
            p.set("id", rec.provider.iri)
        if rec.provider.name:
            n = sub(p, "name", rec.provider.name.value)
            if rec.provider.name.lang:
                n.set(XML_LANG, rec.provider.name.lang)
        if rec.provider.regulator:
            sub(p, "regulator", rec.provider.regulator)
    if rec.jurisdiction:
        sub(el, "jurisdiction", rec.jurisdiction)
    if rec.level_framework in _FRAMEWORKS:
        sub(el, "level", str(rec.level_number), framework=_FRAMEWORKS[rec.level_framework])
    if rec.credit_value is not None:
        sub(el, "credits", rec.credit_value, system=rec.credit_system.upper() if rec.credit_system else None)
    if rec.hours is not None:
        sub(el, "volume", rec.hours, unit="hours")
    texts("learningOutcome", rec.learning_outcomes)
    texts("assessment", rec.assessment)
    if rec.delivery_mode:
        sub(el, "deliveryMode", rec.delivery_mode)
    texts("location", rec.text.get("location", []))
    if rec.cost is not None:
        sub(el, "cost", rec.cost)
    if rec.currency:
        sub(el, "currency", rec.currency)
    for key in ("prerequisites", "creditRecognition", "industryRecognition", "nzscedCode", "developer"):
        texts(key, rec.text.get(key, []))
    if rec.review_period_years is not None:
        sub(el, "reviewPeriodYears", rec.review_period_years)
    for key in ("evidenceOfNeed", "purposeStatement", "qaStatement"):
        texts(key, rec.text.get(key, []))
    if rec.status:
        sub(el, "status", rec.status)
    if rec.approved_on:
        sub(el, "approvedOn", rec.approved_on)
    for lang in rec.language:
        sub(el, "language", lang)
    if rec.url:
        sub(el, "url", rec.url)
    if mapped:
        for s, p, o in rec.mappings:
            sub(el, "mapping", tail(o), subject=s, predicate=p, object=o)
    return el
