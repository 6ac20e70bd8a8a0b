"""Validation reports for people (text, HTML) and for systems (JSON, Turtle, JSON-LD).

Every renderer takes the Report that `mcmap.validate.validate` returns: results carry their
rule id, citation and source row in `details`, and `report.context` says what was checked.
"""
from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH

from .. import namespaces as ns

FORMATS = ("text", "json", "ttl", "jsonld", "html", "xlsx")
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def render(report, fmt: str = "text") -> str | bytes:
    if fmt == "text":
        return to_text(report)
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


# ---------------------------------------------------------------- shared helpers

def severity_name(term) -> str:
    return SEVERITY.get(term, str(term).rsplit("#", 1)[-1])


def show_term(term) -> str | None:
    """A term as a person reads it: literals as written, mcmap IRIs by their tail."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term)
    for base in (ns.ID, ns.DATA, ns.MC):
        if text.startswith(base):
            return text[len(base):]
    return text


def path_name(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, base in ns.PREFIXES.items():
            if text.startswith(base) and "/" not in text[len(base):]:
                return f"{prefix}:{text[len(base):]}"
        return text
    return "(path expression)"


def shown_value(result) -> str | None:
    """The offending value, unless it is just the credential itself (a missing field)."""
    if result.value is None or result.value == result.focus_node:
        return None
    return show_term(result.value)


def where(details: dict) -> str:
    file = details.get("source_file")
    if not file:
        return ""
    if details.get("source_row") is not None:
        return f"{file}, row {details['source_row']}"
    if details.get("source_line") is not None:
        return f"{file}, line {details['source_line']}"
    return file


def grouped(report) -> "OrderedDict":
    """Results grouped by credential, in the order of the source files and rows."""
    groups: OrderedDict = OrderedDict()
    for r in report.results:
        groups.setdefault(r.focus_node, []).append(r)
    return groups


def summary(report) -> dict:
    context = getattr(report, "context", None)
    if context is None:
        focus = {r.focus_node for r in report.results}
        failing = {r.focus_node for r in report.results if r.severity == SH.Violation}
        breaking = {r.focus_node for r in report.results
                    if r.severity == SH.Violation and r.details.get("stated") is not False}
        counts = {"credentials_checked": len(focus), "conforming": len(focus) - len(failing),
                  "incomplete": len(failing - breaking), "breaking_rules": len(breaking)}
        for key, sev in (("violations", SH.Violation), ("warnings", SH.Warning), ("infos", SH.Info)):
            counts[key] = sum(1 for r in report.results if r.severity == sev)
        counts["not_stated"] = sum(1 for r in report.results if r.details.get("stated") is False)
        return counts
    return context.counts(report.results)


def heading(report) -> str:
    context = getattr(report, "context", None)
    if context is None:
        return "Validation report"
    by = f"framework {context.framework}" if context.framework else "the given shapes"
    return f"Validation by {by}, rules in force on {context.as_of.isoformat()}"


def credential_label(focus, results) -> tuple[str, str]:
    d = results[0].details
    ident = d.get("identifier") or show_term(focus)
    return ident, d.get("title") or "(no title)"


NOT_STATED = "[not stated]"


def stated_marker(result) -> str:
    """'[not stated] ' for a finding about information the credential does not give, else ''."""
    return f"{NOT_STATED} " if result.details.get("stated") is False else ""


def summary_line(counts: dict) -> str:
    """Conforming, incomplete (only information not stated is missing) and rule-breaking
    credentials are counted apart: a listing that omits fields is not a broken rule."""
    line = (f"{counts['credentials_checked']} credential(s) checked, {counts['conforming']} conforming; "
            f"{counts['violations']} violation(s), {counts['warnings']} warning(s), {counts['infos']} info(s)")
    if "incomplete" in counts and counts["conforming"] < counts["credentials_checked"]:
        line += (f"; {counts['incomplete']} incomplete (fail only on information not stated), "
                 f"{counts['breaking_rules']} breaking a rule")
    if counts.get("not_stated"):
        line += f"; {counts['not_stated']} finding(s) {NOT_STATED}"
    return line


# ---------------------------------------------------------------- text

def to_text(report) -> str:
    lines = [heading(report), ""]
    for focus, results in grouped(report).items():
        ident, title = credential_label(focus, results)
        lines.append(f"{ident}  {title}")
        place = where(results[0].details)
        if place:
            lines.append(f"  {place}")
        for r in results:
            d = r.details
            rule = d.get("rule_id") or show_term(r.source_shape)
            message = r.messages[0] if r.messages else ""
            lines.append(f"  {severity_name(r.severity).upper():<10} {stated_marker(r)}{rule}: {message}")
            extra = []
            value = shown_value(r)
            if value is not None:
                extra.append(f"value: {value}")
            if r.result_path is not None:
                extra.append(f"field: {path_name(r.result_path)}")
            if d.get("citation"):
                status = f" [{d['evidence_status']}]" if d.get("evidence_status") else ""
                extra.append(f"{d['citation']}{status}")
            if extra:
                lines.append(f"  {'':<10} " + "; ".join(extra))
        lines.append("")
    lines.append("Summary: " + summary_line(summary(report)))
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


def finding_fields(r) -> dict:
    """One result in the words of the reports: the fields of the library's Finding."""
    d = r.details
    return {
        "credential": d.get("identifier") or show_term(r.focus_node), "title": d.get("title"),
        "file": d.get("source_file"), "row": d.get("source_row"), "line": d.get("source_line"),
        "severity": severity_name(r.severity), "rule_id": d.get("rule_id"),
        "message": str(r.messages[0]) if r.messages else None,
        "field": path_name(r.result_path), "path": path_name(r.result_path),
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
                "path": str(r.result_path) if isinstance(r.result_path, URIRef) else None,
                "value": _json_term(r.value),
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
