"""One self-contained HTML page a QA officer can open, print (A4) or e-mail back to a provider.

No scripts and nothing to load: styles are inline, the severity filter is plain CSS, and every
piece of text from the submission or the shapes is escaped. `report_body` gives the same
report as a fragment, for a page that embeds it (the workbench)."""
from __future__ import annotations

from html import escape

from ..words import plural
from .words import (NOT_STATED, conforming, counts_text, credential_label, field_of, grouped, heading,
                    path_of, severity_name, shown_value, summary, summary_line, where)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 72em;
       color: #1b1b1b; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; }
.where { color: #555; margin: 0 0 0.5em; }
.mcmap-report table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; }
.mcmap-report th, .mcmap-report td { text-align: left; vertical-align: top; border-bottom: 1px solid #ddd;
       padding: 0.35em 0.5em; }
.mcmap-report th { background: #f3f3f3; }
.mcmap-report .sev { font-weight: bold; white-space: nowrap; }
.mcmap-report .Violation { color: #a40000; } .mcmap-report .Warning { color: #8a5a00; }
.mcmap-report .Info { color: #1f4e8a; }
.mcmap-report .summary { background: #f7f7f7; border: 1px solid #ddd; padding: 0.6em 1em; }
/* identifiers, rule ids and field names never break inside a token */
.mcmap-report .token { white-space: nowrap; font-family: ui-monospace, monospace; font-size: 0.92em; }
.mcmap-report .value { overflow-wrap: break-word; font-family: ui-monospace, monospace; font-size: 0.92em; }
.mcmap-report .cite { color: #444; font-size: 0.92em; }
.mcmap-report .missing { font-size: 0.85em; border: 1px solid #888; border-radius: 3px; padding: 0 0.3em;
       color: #444; white-space: nowrap; }
.mcmap-report details.credential { border-top: 1px solid #ccc; padding-top: 0.3em; }
.mcmap-report summary { cursor: pointer; padding: 0.2em 0; }
.mcmap-report summary .id { font-weight: bold; white-space: nowrap; }
.mcmap-report summary .counts { color: #555; }
.mcmap-report .filter { margin: 0.8em 0; }
.mcmap-report .filter label { margin-right: 1em; cursor: pointer; text-decoration: underline dotted; }
.mcmap-report input[name=mcmap-severity] { display: none; }
#sev-all:checked ~ .filter label[for=sev-all], #sev-warning:checked ~ .filter label[for=sev-warning],
#sev-violation:checked ~ .filter label[for=sev-violation] { font-weight: bold; text-decoration: none; }
#sev-violation:checked ~ .findings tr.Warning, #sev-violation:checked ~ .findings tr.Info,
#sev-warning:checked ~ .findings tr.Info { display: none; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .mcmap-report .filter, .mcmap-report input[type=radio] { display: none; }
  .mcmap-report tr { break-inside: avoid; }
  .mcmap-report summary { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


def to_html(report) -> str:
    """The report as one standalone page (what `mcmap validate --format html` writes)."""
    title = heading(report)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        report_body(report),
        "</body></html>",
    ]) + "\n"


def report_body(report, rule_href=None) -> str:
    """The report's summary and findings as an HTML fragment, for the standalone page and for
    the workbench's page alike. `rule_href(rule_id)` gives a link for a rule id, or None."""
    counts = summary(report)
    context = getattr(report, "context", None)
    parts = ['<div class="mcmap-report">']
    if context is not None and context.shapes_files:
        parts.append(f'<p class="where">Rules from: {_e(", ".join(context.shapes_files))}</p>')
    verdict = "conforms" if counts["violations"] == 0 else "does not conform"
    parts.append(f'<p class="summary"><strong>The submission {verdict}.</strong> {_e(summary_line(counts))}.</p>')
    if report.results:
        parts.append(
            '<input type="radio" name="mcmap-severity" id="sev-all" checked>'
            '<input type="radio" name="mcmap-severity" id="sev-warning">'
            '<input type="radio" name="mcmap-severity" id="sev-violation">'
            '<p class="filter">Show: <label for="sev-all">all findings</label>'
            '<label for="sev-warning">violations and warnings</label>'
            '<label for="sev-violation">violations only</label></p>')
        parts.append('<div class="findings">')
        for focus, results in grouped(report).items():
            parts.append(_credential(report, focus, results, rule_href))
        parts.append("</div>")
    else:
        parts.append("<p>No findings.</p>")
    ok = conforming(report)
    if ok is None and counts["conforming"]:
        parts.append(f'<p class="where">{_e(plural(counts["conforming"], "conforming credential"))} '
                     "(too many to list here).</p>")
    if ok:
        items = "".join(f'<li><span class="token">{_e(i)}</span> {_e(t)}'
                        f'{" <span class=where>(" + _e(w) + ")</span>" if w else ""}</li>' for i, t, w in ok)
        parts.append(f'<details class="conforming"><summary>{_e(plural(len(ok), "conforming credential"))}'
                     f"</summary><ul>{items}</ul></details>")
    parts.append("</div>")
    return "\n".join(parts)


def _credential(report, focus, results, rule_href) -> str:
    ident, name = credential_label(focus, results)
    place = where(results[0].details)
    overview = (f'<summary><span class="id">{_e(ident)}</span> {_e(name)}'
                f'{" &middot; " + _e(place) if place else ""} &middot; '
                f'<span class="counts">{_e(counts_text(results))}</span></summary>')
    rows = []
    for r in results:
        d = r.details
        sev = severity_name(r.severity)
        message = r.messages[0] if r.messages else ""
        cite = ""
        if d.get("citation"):
            status = f" ({d['evidence_status']})" if d.get("evidence_status") else ""
            text = _e(d["citation"] + status)
            src = d.get("source")
            cite = (f'<br><span class="cite"><a href="{_e(src)}">{text}</a></span>' if src and
                    str(src).startswith(("http://", "https://")) else f'<br><span class="cite">{text}</span>')
        value = shown_value(r)
        missing = (f'<span class="missing" title="the credential does not state this information">'
                   f'{_e(NOT_STATED)}</span> ') if d.get("stated") is False else ""
        rule = _e(d.get("rule_id") or r.source_shape)
        href = rule_href(d["rule_id"]) if rule_href and d.get("rule_id") else None
        if href:
            rule = f'<a href="{_e(href)}">{rule}</a>'
        field = field_of(report, r)
        path = path_of(report, r)
        field_cell = f'<span class="token" title="{_e(path)}">{_e(field)}</span>' if field else ""
        rows.append(
            f'<tr class="{_e(sev)}"><td class="sev {_e(sev)}">{_e(sev)}</td><td><span class="token">{rule}</span></td>'
            f"<td>{missing}{_e(message)}{cite}</td><td>{field_cell}</td>"
            f"<td>{'<span class=value>' + _e(value) + '</span>' if value is not None else ''}</td></tr>")
    return (f'<details class="credential" open>{overview}'
            "<table><thead><tr><th>Severity</th><th>Rule</th><th>Finding</th>"
            f"<th>Field</th><th>Value</th></tr></thead><tbody>{''.join(rows)}</tbody></table></details>")
