"""Validation reports for people (text, HTML) and for systems (JSON, Turtle, JSON-LD).

Every renderer takes the Report that `mcmap.validate.validate` returns: each result carries its
rule's id and citation (`rule`) and its credential's file and row (`credential`), results come
grouped by credential, and `report.context` says what was checked. Text, JSON and the RDF formats
are written as they are made (`write`), so a large report is never held twice.
"""
from __future__ import annotations

import io
from decimal import Decimal

import pyoxigraph as ox

from ..labels import label, term_text
from .words import (conforming, counts_text, credential_label, credentials, field_of, heading, path_of,
                    severity_name, shown_value, stated_marker, summary, summary_line, tabular, where)

FORMATS = ("text", "json", "ttl", "jsonld", "html", "xlsx")
STREAMED = ("text", "json", "ttl", "nt", "jsonld")  # written credential by credential (`write`)


def render(report, fmt: str = "text", *, width: int | None = None) -> str | bytes:
    if fmt in STREAMED or fmt == "turtle":
        out = io.BytesIO()
        write(report, fmt, out, width=width)
        return out.getvalue().decode("utf-8")
    if fmt == "html":
        from .render_html import to_html
        return to_html(report)
    if fmt == "xlsx":
        from .render_xlsx import to_xlsx
        return to_xlsx(report)
    raise ValueError(f"unknown report format '{fmt}' (known: {', '.join(FORMATS)})")


def write(report, fmt: str, out, *, width: int | None = None) -> None:
    """Write the report to `out` (a binary file) as it is made, one credential at a time, so
    no second whole copy of a large report is ever held: text, json, ttl, nt or jsonld."""
    if fmt == "text":
        for chunk in text_chunks(report, width):
            out.write(chunk.encode("utf-8"))
    elif fmt == "json":
        write_json(report, out)
    elif fmt in ("ttl", "turtle", "nt", "jsonld"):
        from .render_rdf import write_rdf
        write_rdf(report, fmt, out)
    elif fmt == "html":
        out.write(render(report, fmt).encode("utf-8"))
    elif fmt == "xlsx":
        out.write(render(report, fmt))
    else:
        raise ValueError(f"unknown report format '{fmt}' (known: {', '.join(FORMATS)})")


# ---------------------------------------------------------------- text

def to_text(report, width: int | None = None) -> str:
    """The report for a person: per credential, a line with its place and counts, then each
    finding folded to `width` columns (None: one line per finding part, never folded)."""
    return "".join(text_chunks(report, width))


def text_chunks(report, width: int | None = None):
    """The text report in pieces: the heading, one piece per credential, the summary."""
    import textwrap

    def fold(text: str, indent: int, first: str = "") -> list[str]:
        if width is None:
            return [" " * indent + first + text]
        lead = " " * indent
        return textwrap.wrap(first + text, width=max(width, indent + 20), initial_indent=lead,
                             subsequent_indent=lead + " " * len(first), break_on_hyphens=False)

    yield "\n".join([*fold(heading(report), 0), "", ""])
    for focus, results in credentials(report):
        ident, title = credential_label(focus, results)
        lines = fold(f"{ident}  {title}", 0)
        place = where(results[0].credential)
        lines += fold(f"{place + ': ' if place else ''}{counts_text(results)}", 2)
        for r in results:
            rule = r.rule.get("rule_id") or term_text(r.source_shape)
            message = str(r.messages[0]) if r.messages else "(no message)"
            lines += fold(f"{stated_marker(r)}{rule}: {message}", 2, f"{severity_name(r.severity).upper():<9} ")
            field, value = field_of(report, r), shown_value(r)
            said = ([f"{'column' if tabular(r.credential) else 'field'} {field}"] if field else []) + \
                ([f"value {value}"] if value is not None else [])
            if said:
                lines += fold(", ".join(said), 12)
            citation = r.rule.get("citation")
            if citation:
                status = r.rule.get("evidence_status")
                lines += fold(f"{citation}{f' [{status}]' if status else ''}", 12, "source: ")
        lines += ["", ""]
        yield "\n".join(lines)
    lines = []
    ok = conforming(report)
    if ok:
        lines += fold(f"Conforming: {', '.join(i for i, _, _ in ok)}", 0)
    lines += fold("Summary: " + summary_line(summary(report)), 0)
    yield "\n".join(lines) + "\n"


# ---------------------------------------------------------------- json

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                                "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + "double", _XSD + "float"}


def _json_term(term):
    """A value as JSON holds it: numbers and booleans typed (a whole decimal as an integer),
    everything else as its text (an IRI, a literal's lexical form)."""
    if term is None:
        return None
    if isinstance(term, str):  # an rdflib term
        from .terms import to_ox
        term = to_ox(term)
    if not isinstance(term, ox.Literal):
        return term.value
    datatype, text = term.datatype.value, term.value
    try:
        if datatype in _INTEGERS:
            number = int(text)
            return number if -2**63 <= number < 2**63 else text
        if datatype == _XSD + "decimal":
            number = Decimal(text)
            if number == number.to_integral_value():
                whole = int(number)
                return whole if -2**63 <= whole < 2**63 else text
            return float(number)
        if datatype in _FLOATS:
            return float(text)
        if datatype == _XSD + "boolean" and text in ("true", "1", "false", "0"):
            return text in ("true", "1")
    except (ValueError, ArithmeticError):
        pass  # not a valid lexical form: shown as written
    return text


def _text(term):
    return None if term is None else (str(term) if isinstance(term, str) else term.value)


def finding_fields(report, r) -> dict:
    """One result in the words of the reports: the fields of the library's Finding."""
    c, rule = r.credential, r.rule
    return {
        "credential": c.get("identifier") or term_text(r.focus_node), "title": c.get("title"),
        "file": c.get("source_file"), "row": c.get("source_row"), "line": c.get("source_line"),
        "severity": severity_name(r.severity), "rule_id": rule.get("rule_id"),
        "message": str(r.messages[0]) if r.messages else None,
        "field": field_of(report, r), "path": path_of(report, r),
        "value": _json_term(r.value) if shown_value(r) is not None else None,
        "citation": rule.get("citation"), "source": rule.get("source"),
        "evidence_status": rule.get("evidence_status"), "stated": r.stated,
    }


def to_json(report) -> str:
    out = io.BytesIO()
    write_json(report, out)
    return out.getvalue().decode("utf-8")


def write_json(report, out) -> None:
    """The JSON report (the document `report_dict` describes), written credential by credential
    with orjson: only one credential's findings are ever held as JSON at a time."""
    import orjson  # the standard library's encoder is pure Python once it indents

    head = orjson.dumps(_head(report), option=orjson.OPT_INDENT_2)
    out.write(head[:-2] + b',\n  "credentials": [')  # the head's closing "\n}" comes after the list
    first = True
    for focus, results in credentials(report):
        body = orjson.dumps(credential_dict(report, focus, results), option=orjson.OPT_INDENT_2)
        out.write((b"\n    " if first else b",\n    ") + body.replace(b"\n", b"\n    "))
        first = False
    out.write(b"]\n}\n" if first else b"\n  ]\n}\n")


def report_dict(report) -> dict:
    """The JSON report as data: what was checked, the summary, then each credential with its findings."""
    return {**_head(report), "credentials": [credential_dict(report, focus, results)
                                             for focus, results in credentials(report)]}


def _head(report) -> dict:
    context = getattr(report, "context", None)
    counts = summary(report)
    return {
        "framework": context.framework if context else None,
        "as_of": context.as_of.isoformat() if context else None,
        "shapes_files": context.shapes_files if context else None,
        "listing": context.listing if context else False,
        "conforms": counts["violations"] == 0,
        "summary": counts,
    }


def credential_dict(report, focus, results) -> dict:
    d = results[0].credential
    return {
        "focus_node": _text(focus),
        "identifier": d.get("identifier"),
        "title": d.get("title"),
        "source_file": d.get("source_file"),
        "source_row": d.get("source_row"),
        "source_line": d.get("source_line"),
        "findings": [_finding(report, r) for r in results],
    }


def _finding(report, r) -> dict:
    rule = r.rule
    value = _text(r.value)
    value_label = label(value) if value is not None else None
    return {
        "severity": severity_name(r.severity),
        "rule_id": rule.get("rule_id"),
        "message": str(r.messages[0]) if r.messages else None,
        "messages": [str(m) for m in r.messages],
        "field": field_of(report, r),
        "path": path_of(report, r),
        "value": _json_term(r.value),
        **({"value_label": value_label} if value_label else {}),
        "citation": rule.get("citation"),
        "source": rule.get("source"),
        "evidence_status": rule.get("evidence_status"),
        "stated": r.stated,
        **({"lowered_from": r.lowered_from} if r.lowered_from else {}),
        "source_shape": str(r.source_shape),
        "constraint_component": str(r.source_constraint_component),
    }
