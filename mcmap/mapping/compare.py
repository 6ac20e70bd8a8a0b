"""Jurisdictions' micro-credential definitions side by side, read from the framework ontology.

Volume bounds are shown in hours for every jurisdiction (credits x hours per credit), so they
can be read on one axis; a bound the ontology marks as unverified says so.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math

from .. import frameworks
from .. import namespaces as ns
from ..labels import label


def _element_label(curie: str) -> str:
    """'mc:learningOutcome' -> 'learning outcome' (the ontology's label)."""
    prefix, _, local = curie.partition(":")
    base = ns.PREFIXES.get(prefix)
    return (label(base + local) if base else None) or curie


def _hours_bounds(d, cs) -> tuple[float | None, float | None, str]:
    """A definition's (min, max) in hours and how they were reached."""
    lo, hi = d.min_hours, d.max_hours
    words = []
    if lo is None and d.min_credits is not None and cs and cs.hours_range():
        lo = d.min_credits * cs.hours_range()[0]
        words.append(f"min {d.min_credits:g} credits x {cs.hours_range()[0]:g} h")
    if hi is None and d.max_credits is not None and cs and cs.hours_range():
        hi = d.max_credits * cs.hours_range()[1]
        words.append(f"max {d.max_credits:g} credits x {cs.hours_range()[1]:g} h")
    return lo, hi, "; ".join(words)


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def compare(codes: list[str], as_of=None) -> list[dict]:
    """One dict per jurisdiction: its framework, credit system and definitions (all, or those in
    force on `as_of`), each fact with its sources and evidence status."""
    out = []
    for code in codes:
        j = frameworks.jurisdiction(code)
        fw = frameworks.framework(j.framework)
        cs = frameworks.credit_system(j.credit_system) if j.credit_system else None
        defs = frameworks.definitions(j.code, as_of) if as_of else list(j.definitions)
        out.append({
            "jurisdiction": j.code, "label": j.label,
            "framework": {"name": fw.notation, "label": fw.label, "levels": fw.level_count,
                          "level_notation": f"{fw.levels[0].notation}-{fw.levels[-1].notation}" if fw.levels else "",
                          "status": fw.status, "sources": list(fw.sources)},
            "credit_system": None if cs is None else {
                "code": cs.code, "label": cs.label, "hours_per_credit": cs.hours_range(),
                "credits_per_year": cs.credits_per_year, "hours_per_year": cs.hours_per_year,
                "status": j.status_of("mc:usesCreditSystem"), "sources": list(cs.sources)},
            "definitions": [_definition(d, cs) for d in defs],
        })
    return out


def _definition(d, cs) -> dict:
    lo, hi, how = _hours_bounds(d, cs)
    return {
        "label": d.label, "text": d.text, "status": d.status,
        "in_force_from": _date(d.in_force_from), "in_force_until": _date(d.in_force_until),
        "min_hours": lo, "max_hours": hi, "bounds_from": how,
        "min_hours_status": d.status_of("mc:minHours") if d.min_hours is not None else d.status_of("mc:minCredits"),
        "max_hours_status": d.status_of("mc:maxHours") if d.max_hours is not None else d.status_of("mc:maxCredits"),
        "min_credits": d.min_credits, "max_credits": d.max_credits,
        "required": [{"element": e, "label": _element_label(e), "status": d.status_of("mc:requiredElement", e)}
                     for e in d.required_elements],
        "recommended": [{"element": e, "label": _element_label(e), "status": d.status_of("mc:recommendedElement", e)}
                        for e in d.recommended_elements],
        "in_force_from_status": d.status_of("mc:inForceFrom") if d.in_force_from else None,
        "in_force_until_status": d.status_of("mc:inForceUntil") if d.in_force_until else None,
        "review_rule": d.review_rule, "approved_by": list(d.approved_by),
        "approved_by_labels": [label(ns.regulator_iri(r)) or r for r in d.approved_by],
        "approved_by_status": d.status_of("mc:approvedBy") if d.approved_by else None,
        "rule_set": d.rule_set, "rules": _rule_counts(d.rule_set),
        "sources": list(d.sources),
        "notes": [{"property": n.property, "status": n.status, "comment": n.comment} for n in d.notes],
    }


def _rule_counts(rule_set: str | None) -> dict | None:
    """How many rules the rule set checks, by evidence status, and how many it does not check."""
    if not rule_set:
        return None
    from ..rule_catalogue import rules
    from ..validate import frameworks as rule_sets

    if rule_set not in rule_sets():
        return None
    counts: dict = {}
    for r in rules(rule_set):
        key = "not checked" if r["severity"] == "not checked" else (r["evidence_status"] or "unverified")
        counts[key] = counts.get(key, 0) + 1
    return counts


def _rules_text(d: dict) -> str:
    c = d["rules"]
    if not c:
        return d["rule_set"] or "-"
    checked = sum(v for k, v in c.items() if k != "not checked")
    parts = [f"{c[k]} {k}" + ("s" if k == "mcmap data rule" and c[k] > 1 else "")
             for k in ("confirmed", "secondary", "unverified", "mcmap data rule") if c.get(k)]
    text = f"{d['rule_set']}: {checked} rules checked ({', '.join(parts)})"
    return text + (f"; {c['not checked']} not checked (see mcmap rules {d['rule_set']})" if c.get("not checked") else "")


def _marked(value: str | None, status: str | None, empty: str) -> str:
    if value is None:
        return empty
    return value + ("" if status in (None, "confirmed") else f" ({status})")


def _range(d: dict) -> str:
    lo, hi = d["min_hours"], d["max_hours"]
    if lo is None and hi is None:
        return "no published bounds"
    text = f"{'-' if lo is None else f'{lo:g}'} to {'no maximum' if hi is None else f'{hi:g}'} h"
    flags = [f"{k} {d[k + '_hours_status']}" for k in ("min", "max")
             if d[k + "_hours"] is not None and d[k + "_hours_status"] != "confirmed"]
    return text + (f" ({', '.join(flags)})" if flags else "")


def _elements(items: list[dict]) -> str:
    return "; ".join(e.get("label", e["element"]) + ("" if e["status"] == "confirmed" else f" ({e['status']})")
                     for e in items) or "-"


def rows(data: list[dict]) -> list[tuple[str, list[list[tuple[str | None, str]]]]]:
    """(aspect, one cell per jurisdiction) for the text and HTML tables; a cell is a list of
    (regime label or None, text): a jurisdiction with several definitions gives one per regime."""
    def per_def(fn):
        return [[(d["label"] if len(j["definitions"]) > 1 else None, fn(d)) for d in j["definitions"]]
                or [(None, "-")] for j in data]

    def one(texts):
        return [[(None, t)] for t in texts]

    def cs_text(j):
        cs = j["credit_system"]
        if cs is None:
            return "-"
        lo, hi = cs["hours_per_credit"] or (None, None)
        per = f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
        text = f"{cs['label']}: {per} h per credit"
        if cs["credits_per_year"]:
            text += f", {cs['credits_per_year']:g} a full-time year"
        return text + ("" if cs["status"] == "confirmed" else f" ({cs['status']})")

    return [
        ("definition", per_def(lambda d: f"{d['text'] or '-'} [{d['status']}]")),
        ("in force", per_def(lambda d: f"{_marked(d['in_force_from'], d['in_force_from_status'], '?')} to "
                                       f"{_marked(d['in_force_until'], d['in_force_until_status'], 'now')}")),
        ("volume (hours)", per_def(lambda d: _range(d) + "".join(
            f"\n{n['comment']}" for n in d["notes"] if n["property"] == "mc:volumeOfLearningHours"))),
        ("credit unit", one(cs_text(j) for j in data)),
        ("level scheme", one(f"{j['framework']['name']}: {j['framework']['levels']} levels "
                             f"({j['framework']['level_notation']})" for j in data)),
        ("required information", per_def(lambda d: _elements(d["required"]))),
        ("recommended information", per_def(lambda d: _elements(d["recommended"]))),
        ("review", per_def(lambda d: d["review_rule"] or "-")),
        ("approved by", per_def(lambda d: _marked("; ".join(d["approved_by_labels"]) or None, d["approved_by_status"],
                                                  "no approving body"))),
        ("rule set", per_def(_rules_text)),
        ("sources", per_def(lambda d: "\n".join(d["sources"]))),
    ]


def _cell_text(cell: list[tuple[str | None, str]]) -> str:
    return "\n".join(f"[{regime}]\n{text}" if regime else text for regime, text in cell)


def to_text(data: list[dict], width: int | None = 160) -> str:
    """Side by side where the screen is wide enough (about 30 columns a jurisdiction), else
    one aspect after another with each jurisdiction (and regime) beneath it."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if width is not None and width < 30 * len(data) + 26:
        return _stacked(data, width)
    table = Table(show_lines=True, header_style="bold")
    table.add_column("", style="bold", no_wrap=True)
    for j in data:
        table.add_column(f"{j['jurisdiction']} ({j['label']})", overflow="fold")
    for aspect, cells in rows(data):
        table.add_row(aspect, *(Text(_cell_text(c)) for c in cells))  # Text: "[confirmed]" is not markup
    buf = io.StringIO()
    Console(file=buf, width=width or 400, no_color=True, highlight=False).print(table)
    return buf.getvalue()


def _stacked(data: list[dict], width: int) -> str:
    import textwrap

    def fold(text: str, indent: int) -> list[str]:
        lead = " " * indent
        return [line for part in text.split("\n") for line in
                textwrap.wrap(part, width=max(width, indent + 20), initial_indent=lead,
                              subsequent_indent=lead, break_on_hyphens=False, break_long_words=True)]

    lines = [f"Micro-credential definitions: {', '.join(j['jurisdiction'] for j in data)}"]
    for aspect, cells in rows(data):
        lines += ["", aspect.upper()]
        for j, cell in zip(data, cells):
            lines += fold(f"{j['jurisdiction']} ({j['label']})", 2)
            for regime, text in cell:
                if regime:
                    lines += fold(regime, 4)
                lines += fold(text, 6 if regime else 4)
    return "\n".join(lines) + "\n"


def to_json(data: list[dict]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- HTML with an inline SVG chart

def _bars(data: list[dict]) -> list[tuple[str, float | None, float | None, bool]]:
    out = []
    for j in data:
        for d in j["definitions"]:
            unverified = any(d[k + "_hours_status"] != "confirmed" for k in ("min", "max") if d[k + "_hours"] is not None)
            out.append((f"{j['jurisdiction']}: {d['label']}", d["min_hours"], d["max_hours"], unverified))
    return out


def svg_chart(data: list[dict]) -> str:
    """Each definition's volume range on one logarithmic hours axis (0.5 h to 2000 h)."""
    bars = _bars(data)
    left, right, top, row = 330, 40, 30, 34
    width, lo_h, hi_h = 900, 0.5, 2000.0
    height = top + row * len(bars) + 50

    def x(h):
        return left + (math.log10(h) - math.log10(lo_h)) / (math.log10(hi_h) - math.log10(lo_h)) * (width - left - right)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Volume of learning per jurisdiction, in hours">',
             '<title>Volume of learning per jurisdiction (hours, log scale)</title>']
    for tick in (1, 10, 100, 1000):
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 10}" x2="{x(tick):.1f}" y2="{height - 40}" stroke="#ccc"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 22}" text-anchor="middle" font-size="14" fill="#222">{tick} h</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 5}" text-anchor="middle" font-size="14" fill="#222">'
                 'notional learning hours (log scale)</text>')
    for i, (label, lo, hi, unverified) in enumerate(bars):
        y = top + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="14" fill="#222">{html.escape(label)}</text>')
        if lo is None and hi is None:
            parts.append(f'<text x="{left + 4}" y="{y + 15}" font-size="14" fill="#555">no published bounds</text>')
            continue
        x0, x1 = x(lo if lo else lo_h), x(hi if hi else hi_h)
        dash = ' stroke-dasharray="5,3"' if unverified else ""
        parts.append(f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 2):.1f}" height="18" fill="#4a7ebb" '
                     f'fill-opacity="{0.45 if unverified else 0.85}" stroke="#1f4e8c"{dash}>'
                     f'<title>{html.escape(label)}: {lo if lo is not None else "?"} to {hi if hi is not None else "no maximum"} h'
                     f'{" (a bound is unverified)" if unverified else ""}</title></rect>')
        ends = f"{lo:g}" if lo is not None else "?"
        ends += f"-{hi:g} h" if hi is not None else " h, no maximum"
        parts.append(f'<text x="{x1 + 4:.1f}" y="{y + 15}" font-size="13" fill="#222">{ends}{" *" if unverified else ""}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _cell_html(aspect: str, cell: list[tuple[str | None, str]]) -> str:
    esc = html.escape
    out = []
    for regime, text in cell:
        if regime:
            out.append(f'<h4 class="regime">{esc(regime)}</h4>')
        if aspect == "sources":
            urls = [u for u in text.split("\n") if u.startswith(("http://", "https://"))]
            out.append("<ol>" + "".join(f'<li><a href="{esc(u)}">{esc(u)}</a></li>' for u in urls) + "</ol>"
                       if urls else f"<p>{esc(text)}</p>")
        elif aspect in ("required information", "recommended information") and text != "-":
            out.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in text.split("; ")) + "</ul>")
        else:
            out.append(f"<p>{esc(text)}</p>")
    return "".join(out)


def html_body(data: list[dict]) -> str:
    """The chart and the side-by-side table as an HTML fragment (the page, or the workbench's)."""
    esc = html.escape
    head = "".join(f"<th>{esc(j['jurisdiction'])} ({esc(j['label'])})</th>" for j in data)
    body = [f"<tr><th>{esc(aspect)}</th>{''.join(f'<td>{_cell_html(aspect, c)}</td>' for c in cells)}</tr>"
            for aspect, cells in rows(data)]
    return f"""<h2>Volume of learning</h2>
<div class="chart">{svg_chart(data)}</div>
<p class="note">Bounds are in notional learning hours (credits x hours per credit). A dashed, paler bar
(marked *) has a bound whose evidence is not confirmed; see the notes in the table.</p>
<h2>Side by side</h2>
<div class="wide"><table class="compare"><thead><tr><th></th>{head}</tr></thead><tbody>
{chr(10).join(body)}
</tbody></table></div>
<p class="note">Evidence status in brackets: confirmed (read in the cited source), secondary
(third-party summary) or unverified. Generated by mcmap from its framework ontology.</p>"""


def to_html(data: list[dict]) -> str:
    esc = html.escape
    codes = ", ".join(j["jurisdiction"] for j in data)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>mcmap compare: {esc(codes)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: 6px 8px; vertical-align: top; text-align: left; font-size: 14px; }}
thead th {{ background: #eef3fa; }}
tbody th {{ background: #f7f7f7; white-space: nowrap; }}
a {{ overflow-wrap: anywhere; }}
td p, td ul, td ol {{ margin: 0 0 0.4em; }} td ul, td ol {{ padding-left: 1.3em; }}
h4.regime {{ margin: 0.6em 0 0.2em; font-size: 14px; }} td h4.regime:first-child {{ margin-top: 0; }}
.chart svg {{ max-width: 100%; height: auto; }}
.note {{ color: #555; font-size: 13px; }}
</style></head>
<body>
<h1>Micro-credential definitions: {esc(codes)}</h1>
{html_body(data)}
</body></html>
"""
