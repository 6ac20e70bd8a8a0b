"""A validation report as an Excel workbook for QA officers: one sheet with a row per
credential with findings (its file and row, counts, whether it conforms), one with a row per
finding, and one saying what was checked (with the count of every credential checked). Cells are text, never formulas (see mcmap.formats.xlsx)."""
from __future__ import annotations

from rdflib.namespace import SH

from ..labels import term_text as show_term
from .words import field_of, grouped, heading, severity_name, shown_value, summary

CREDENTIAL_COLUMNS = ["file", "row or line", "id", "title", "conforms", "violations", "warnings", "infos"]
FINDING_COLUMNS = ["file", "row or line", "id", "title", "severity", "rule", "message", "field", "value",
                   "citation", "evidence"]


def _place(d: dict):
    return d.get("source_row") if d.get("source_row") is not None else d.get("source_line")


def to_xlsx(report) -> bytes:
    from ..formats.xlsx import workbook

    context = getattr(report, "context", None)
    groups = grouped(report)
    known = dict(context.credentials) if context is not None else {}
    for focus, results in groups.items():
        known.setdefault(focus, results[0].details)
    credentials, findings = [], []
    for focus, d in known.items():
        results = groups.get(focus, [])
        count = {sev: sum(1 for r in results if r.severity == sev) for sev in (SH.Violation, SH.Warning, SH.Info)}
        credentials.append([d.get("source_file"), _place(d), d.get("identifier") or show_term(focus),
                            d.get("title"), "no" if count[SH.Violation] else "yes",
                            count[SH.Violation], count[SH.Warning], count[SH.Info]])
    credentials.sort(key=lambda r: (r[0] or "", r[1] or 0, str(r[2])))
    for focus, results in groups.items():
        for r in results:
            d = r.details
            findings.append([d.get("source_file"), _place(d), d.get("identifier") or show_term(focus),
                             d.get("title"), severity_name(r.severity),
                             d.get("rule_id") or show_term(r.source_shape),
                             str(r.messages[0]) if r.messages else "",
                             field_of(report, r),
                             shown_value(r), d.get("citation"), d.get("evidence_status")])
    counts = summary(report)
    about = [["report", heading(report)]]
    if context is not None:
        about += [["framework", context.framework or "(the given shapes)"], ["rules in force on", context.as_of.isoformat()],
                  ["shapes files", ", ".join(context.shapes_files or [])]]
    about += [[k.replace("_", " "), v] for k, v in counts.items()]
    about.append(["conforms", "yes" if counts["violations"] == 0 else "no"])
    return workbook([("Credentials", CREDENTIAL_COLUMNS, credentials), ("Findings", FINDING_COLUMNS, findings),
                     ("About", ["", ""], about)])
