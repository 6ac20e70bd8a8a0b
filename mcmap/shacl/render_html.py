"""One self-contained HTML page a QA officer can open, print or e-mail back to a provider.

No scripts, no external links to load: styles are inline and every piece of text from the
submission or the shapes is escaped.
"""
from __future__ import annotations

from html import escape

from .render import (NOT_STATED, credential_label, grouped, heading, path_name, severity_name, shown_value,
                     summary, summary_line, where)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 72em;
       color: #1b1b1b; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin: 1.6em 0 0.2em; }
.where { color: #555; margin: 0 0 0.5em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #ddd; padding: 0.35em 0.5em; }
th { background: #f3f3f3; }
.sev { font-weight: bold; white-space: nowrap; }
.Violation { color: #a40000; } .Warning { color: #8a5a00; } .Info { color: #1f4e8a; }
.summary { background: #f7f7f7; border: 1px solid #ddd; padding: 0.6em 1em; }
code { font-size: 0.92em; word-break: break-all; }
.cite { color: #444; font-size: 0.92em; }
.missing { font-size: 0.85em; border: 1px solid #888; border-radius: 3px; padding: 0 0.3em; color: #444;
           white-space: nowrap; }
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
    parts = []
    if context is not None and context.shapes_files:
        parts.append(f"<p class=\"where\">Rules from: {_e(', '.join(context.shapes_files))}</p>")
    verdict = "conforms" if counts["violations"] == 0 else "does not conform"
    parts.append(f'<p class="summary"><strong>The submission {verdict}.</strong> {_e(summary_line(counts))}.</p>')
    for focus, results in grouped(report).items():
        ident, name = credential_label(focus, results)
        parts.append(f"<h2>{_e(ident)} &mdash; {_e(name)}</h2>")
        place = where(results[0].details)
        if place:
            parts.append(f'<p class="where">{_e(place)}</p>')
        parts.append("<table><thead><tr><th>Severity</th><th>Rule</th><th>Finding</th>"
                     "<th>Field</th><th>Value</th></tr></thead><tbody>")
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
            parts.append(
                f'<tr class="{_e(sev)}"><td class="sev {_e(sev)}">{_e(sev)}</td><td><code>{rule}</code></td>'
                f"<td>{missing}{_e(message)}{cite}</td><td><code>{_e(path_name(r.result_path))}</code></td>"
                f"<td>{'<code>' + _e(value) + '</code>' if value is not None else ''}</td></tr>")
        parts.append("</tbody></table>")
    if not report.results:
        parts.append("<p>No findings.</p>")
    return "\n".join(parts)
