"""Validation reports for people (text, HTML) and for systems (JSON, Turtle, JSON-LD).

Every renderer takes the Report that `mcmap.validate.validate` returns: results carry their
rule id, citation and source row in `details`, and `report.context` says what was checked.
"""
from __future__ import annotations

import json
from decimal import Decimal

from rdflib import Literal

from ..labels import label, term_text
from .words import (conforming, counts_text, credential_label, field_of, grouped, heading, path_of,
                    severity_name, shown_value, stated_marker, summary, summary_line, tabular, where)

FORMATS = ("text", "json", "ttl", "jsonld", "html", "xlsx")


def render(report, fmt: str = "text", *, width: int | None = None) -> str | bytes:
    if fmt == "text":
        return to_text(report, width)
    if fmt == "json":
        return to_json(report)
    if fmt == "html":
        from .render_html import to_html
        return to_html(report)
    if fmt in ("ttl", "turtle"):
        from .render_rdf import to_turtle
        return to_turtle(report)
    if fmt == "jsonld":
        from .render_rdf import to_jsonld
        return to_jsonld(report)
    if fmt == "xlsx":
        from .render_xlsx import to_xlsx
        return to_xlsx(report)
    raise ValueError(f"unknown report format '{fmt}' (known: {', '.join(FORMATS)})")


# ---------------------------------------------------------------- text

def to_text(report, width: int | None = None) -> str:
    """The report for a person: per credential, a line with its place and counts, then each
    finding folded to `width` columns (None: one line per finding part, never folded)."""
    import textwrap

    def fold(text: str, indent: int, first: str = "") -> list[str]:
        if width is None:
            return [" " * indent + first + text]
        lead = " " * indent
        return textwrap.wrap(first + text, width=max(width, indent + 20), initial_indent=lead,
                             subsequent_indent=lead + " " * len(first), break_on_hyphens=False)

    lines = [*fold(heading(report), 0), ""]
    for focus, results in grouped(report).items():
        ident, title = credential_label(focus, results)
        lines += fold(f"{ident}  {title}", 0)
        place = where(results[0].details)
        lines += fold(f"{place + ': ' if place else ''}{counts_text(results)}", 2)
        for r in results:
            d = r.details
            rule = d.get("rule_id") or term_text(r.source_shape)
            message = str(r.messages[0]) if r.messages else "(no message)"
            lines += fold(f"{stated_marker(r)}{rule}: {message}", 2, f"{severity_name(r.severity).upper():<9} ")
            field, value = field_of(report, r), shown_value(r)
            said = ([f"{'column' if tabular(d) else 'field'} {field}"] if field else []) + \
                ([f"value {value}"] if value is not None else [])
            if said:
                lines += fold(", ".join(said), 12)
            if d.get("citation"):
                status = f" [{d['evidence_status']}]" if d.get("evidence_status") else ""
                lines += fold(f"{d['citation']}{status}", 12, "source: ")
        lines.append("")
    ok = conforming(report)
    if ok:
        lines += fold(f"Conforming: {', '.join(i for i, _, _ in ok)}", 0)
    lines += fold("Summary: " + summary_line(summary(report)), 0)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- json

def _json_term(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, (bool, int, float, str)):
            return value
        return str(term)
    return str(term)


def finding_fields(report, r) -> dict:
    """One result in the words of the reports: the fields of the library's Finding."""
    d = r.details
    return {
        "credential": d.get("identifier") or term_text(r.focus_node), "title": d.get("title"),
        "file": d.get("source_file"), "row": d.get("source_row"), "line": d.get("source_line"),
        "severity": severity_name(r.severity), "rule_id": d.get("rule_id"),
        "message": str(r.messages[0]) if r.messages else None,
        "field": field_of(report, r), "path": path_of(report, r),
        "value": _json_term(r.value) if shown_value(r) is not None else None,
        "citation": d.get("citation"), "source": d.get("source"), "evidence_status": d.get("evidence_status"),
        "stated": d.get("stated"),
    }


def to_json(report) -> str:
    import orjson  # the standard library's encoder is pure Python once it indents

    return orjson.dumps(report_dict(report), option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def report_dict(report) -> dict:
    context = getattr(report, "context", None)
    credentials = []
    for focus, results in grouped(report).items():
        d = results[0].details
        credentials.append({
            "focus_node": str(focus),
            "identifier": d.get("identifier"),
            "title": d.get("title"),
            "source_file": d.get("source_file"),
            "source_row": d.get("source_row"),
            "source_line": d.get("source_line"),
            "findings": [{
                "severity": severity_name(r.severity),
                "rule_id": r.details.get("rule_id"),
                "message": str(r.messages[0]) if r.messages else None,
                "messages": [str(m) for m in r.messages],
                "field": field_of(report, r),
                "path": path_of(report, r),
                "value": _json_term(r.value),
                **({"value_label": label(str(r.value))} if label(str(r.value)) else {}),
                "citation": r.details.get("citation"),
                "source": r.details.get("source"),
                "evidence_status": r.details.get("evidence_status"),
                "stated": r.details.get("stated"),
                **({"lowered_from": r.details["lowered_from"]} if r.details.get("lowered_from") else {}),
                "source_shape": str(r.source_shape),
                "constraint_component": str(r.source_constraint_component),
            } for r in results],
        })
    counts = summary(report)
    doc = {
        "framework": context.framework if context else None,
        "as_of": context.as_of.isoformat() if context else None,
        "shapes_files": context.shapes_files if context else None,
        "listing": context.listing if context else False,
        "conforms": counts["violations"] == 0,
        "summary": counts,
        "credentials": credentials,
    }
    return doc
