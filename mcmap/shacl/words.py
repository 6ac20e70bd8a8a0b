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
    return SEVERITY.get(term) or str(term).rsplit("#", 1)[-1]


def shapes_of(report):
    return getattr(report, "shapes_graph", None)


def tabular(details: dict) -> bool:
    """Read from a CSV or spreadsheet: findings name its columns."""
    return details.get("source_row") is not None


def field_of(report, r) -> str | None:
    key = (r.result_path, tabular(r.credential))
    cache = _words(report)
    if key not in cache:
        cache[key] = field_name(shapes_of(report), r.result_path, tabular=key[1])
    return cache[key]


def path_of(report, r) -> str | None:
    key = (r.result_path, "path")
    cache = _words(report)
    if key not in cache:
        cache[key] = sparql_path(shapes_of(report), r.result_path)
    return cache[key]


def _words(report) -> dict:
    """What a report's few distinct paths are in words, worked out once per path."""
    cache = getattr(report, "_words", None)
    if cache is None:
        cache = {}
        try:
            report._words = cache
        except AttributeError:
            pass
    return cache


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
    for focus, results in by_credential(report.results):
        groups[focus] = groups[focus] + results if focus in groups else results
    return groups


def credentials(report):
    """(focus node, its results) per credential, in the report's order, without copying a
    report that `mcmap.validate` ordered (one whose results are grouped by credential)."""
    if getattr(report, "context", None) is not None:
        return by_credential(report.results)
    return grouped(report).items()


def by_credential(results):
    """(focus node, its results) for each run of results on one credential: a validation
    report holds its results grouped by credential, so this needs no second copy of them."""
    run: list = []
    for r in results:
        if run and r.focus_node != run[0].focus_node:
            yield run[0].focus_node, run
            run = []
        run.append(r)
    if run:
        yield run[0].focus_node, run


def summary(report) -> dict:
    context = getattr(report, "context", None)
    if context is None:
        focus = {r.focus_node for r in report.results}
        failing = {r.focus_node for r in report.results if r.severity == SH.Violation}
        breaking = {r.focus_node for r in report.results
                    if r.severity == SH.Violation and r.stated is not False}
        counts = {"credentials_checked": len(focus), "conforming": len(focus) - len(failing),
                  "incomplete": len(failing - breaking), "breaking_rules": len(breaking)}
        for key, sev in (("violations", SH.Violation), ("warnings", SH.Warning), ("infos", SH.Info)):
            counts[key] = sum(1 for r in report.results if r.severity == sev)
        counts["not_stated"] = sum(1 for r in report.results if r.stated is False)
        return counts
    return context.counts(report.results)


def heading(report) -> str:
    context = getattr(report, "context", None)
    if context is None:
        return "Validation report"
    by = f"framework {context.framework}" if context.framework else "the given shapes"
    return f"Validation by {by}, rules in force on {context.as_of.isoformat()}"


def credential_label(focus, results) -> tuple[str, str]:
    d = results[0].credential
    return d.get("identifier") or term_text(focus), d.get("title") or "(no title)"


def counts_text(results) -> str:
    """`2 violations, 1 warning` for one credential's findings."""
    by = {"Violation": 0, "Warning": 0, "Info": 0}
    for r in results:
        by[severity_name(r.severity)] = by.get(severity_name(r.severity), 0) + 1
    parts = [plural(n, word.lower()) for word, n in by.items() if n]
    return ", ".join(parts) or "no findings"


NOT_STATED = "[not stated]"


def stated_marker(result) -> str:
    """'[not stated] ' for a finding about information the credential does not give, else ''."""
    return f"{NOT_STATED} " if result.stated is False else ""


def summary_line(counts: dict) -> str:
    """Conforming, incomplete (only information not stated is missing) and rule-breaking
    credentials are counted apart: a listing that omits fields is not a broken rule."""
    line = (f"{plural(counts['credentials_checked'], 'credential')} checked, "
            f"{counts['conforming']} conforming; {plural(counts['violations'], 'violation')}, "
            f"{plural(counts['warnings'], 'warning')}, {plural(counts['infos'], 'info')}")
    if "incomplete" in counts and counts["conforming"] < counts["credentials_checked"]:
        line += (f"; {counts['incomplete']} incomplete (fail only on information not stated), "
                 f"{counts['breaking_rules']} breaking a rule")
    if counts.get("not_stated"):
        line += f"; {plural(counts['not_stated'], 'finding')} {NOT_STATED}"
    return line


def conforming(report) -> list[tuple[str, str, str]] | None:
    """(identifier, title, where) of every checked credential without a Violation, in file
    order; None where they were not listed (a store too large to list them all)."""
    context = getattr(report, "context", None)
    listed = getattr(context, "conforming_credentials", None)
    if listed is None:
        return None
    failing = {r.focus_node for r in report.results if r.severity == SH.Violation}
    out = []
    for focus, d in listed.items():
        if focus not in failing:
            key = (d.get("source_file") or "", d.get("source_row") or d.get("source_line") or 0)
            out.append((key, d.get("identifier") or term_text(focus), d.get("title") or "(no title)", where(d)))
    return [c[1:] for c in sorted(out, key=lambda c: (c[0], c[1]))]
