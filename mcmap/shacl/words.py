"""A validation result in a person's words, shared by every renderer (text, HTML, JSON) and by
the library's Finding: where it is, which field (the submission's own column for a CSV or
spreadsheet, the field's label otherwise), the value by its label, the path in SPARQL syntax."""
from __future__ import annotations

from collections import OrderedDict

from rdflib.namespace import SH

from ..labels import field_name, sparql_path, term_text
from ..words import plural

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def severity_name(term) -> str:
    return SEVERITY.get(term, str(term).rsplit("#", 1)[-1])


def shapes_of(report):
    return getattr(report, "shapes_graph", None)


def tabular(details: dict) -> bool:
    """Read from a CSV or spreadsheet: findings name its columns."""
    return details.get("source_row") is not None


def field_of(report, r) -> str | None:
    return field_name(shapes_of(report), r.result_path, tabular=tabular(r.details))


def path_of(report, r) -> str | None:
    return sparql_path(shapes_of(report), r.result_path)


def shown_value(result) -> str | None:
    """The offending value in words, unless it is the credential itself (a missing field)."""
    if result.value is None or result.value == result.focus_node:
        return None
    return term_text(result.value)


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
        counts = {"credentials_checked": len(focus), "conforming": len(focus) - len(failing)}
        for key, sev in (("violations", SH.Violation), ("warnings", SH.Warning), ("infos", SH.Info)):
            counts[key] = sum(1 for r in report.results if r.severity == sev)
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
    return d.get("identifier") or term_text(focus), d.get("title") or "(no title)"


def counts_text(results) -> str:
    """`2 violations, 1 warning` for one credential's findings."""
    by = {"Violation": 0, "Warning": 0, "Info": 0}
    for r in results:
        by[severity_name(r.severity)] = by.get(severity_name(r.severity), 0) + 1
    parts = [plural(n, word.lower()) for word, n in by.items() if n]
    return ", ".join(parts) or "no findings"


def summary_line(counts: dict) -> str:
    return (f"{plural(counts['credentials_checked'], 'credential')} checked, "
            f"{counts['conforming']} conforming; {plural(counts['violations'], 'violation')}, "
            f"{plural(counts['warnings'], 'warning')}, {plural(counts['infos'], 'info')}")


def conforming(report) -> list[tuple[str, str, str]]:
    """(identifier, title, where) of every checked credential without a Violation."""
    context = getattr(report, "context", None)
    if context is None:
        return []
    failing = {r.focus_node for r in report.results if r.severity == SH.Violation}
    out = []
    for focus, d in context.credentials.items():
        if focus not in failing:
            key = (d.get("source_file") or "", d.get("source_row") or d.get("source_line") or 0)
            out.append((key, d.get("identifier") or term_text(focus), d.get("title") or "(no title)", where(d)))
    return [c[1:] for c in sorted(out, key=lambda c: (c[0], c[1]))]
