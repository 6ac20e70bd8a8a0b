"""`mcmap stack` results as text for people, JSON for systems, and an HTML page to file or send."""
from __future__ import annotations

import html
import json
from fractions import Fraction

from .levels import level_label
from .stack_model import COUNTS, NO, POSSIBLE, StackResult, _num

_HEADINGS = {COUNTS: "Counts", POSSIBLE: "May count (uncertain)", NO: "Does not count"}


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.0f}%"


def summary_lines(r: StackResult) -> list[str]:
    q = r.qualification
    out = []
    if q.by_units:
        out.append(f"{r.units_counted} of {q.total_units} units achieved for certain ({_pct(r.share)})")
        out.append(f"core units: {len(r.core_done)} of {len(q.core)}"
                   + (f" ({', '.join(r.core_done)})" if r.core_done else "")
                   + (f"; still needed: {', '.join(r.core_remaining)}" if r.core_remaining else ""))
        line = (f"electives: {len(r.electives_counted)} of {q.electives or 0}"
                + (f" ({', '.join(r.electives_counted)})" if r.electives_counted else ""))
        if r.electives_possible:
            line += f"; {len(r.electives_possible)} possible ({', '.join(r.electives_possible)})"
        line += f"; {r.electives_remaining} still needed"
        if r.electives_possible:
            line += f" ({max(0, r.electives_remaining - len(r.electives_possible))} if the possible ones count)"
        out.append(line)
    else:
        unit = q.unit
        out.append(f"{_num(r.credits_counted)} of {_num(q.total_credits)} {unit} for certain ({_pct(r.share)}); "
                   f"{_num(r.credits_remaining)} still needed"
                   + (f" ({_num(max(Fraction(0), r.credits_remaining - r.credits_possible))} if the "
                      f"{_num(r.credits_possible)} possible count)" if r.credits_possible else ""))
        for req in r.requirements:
            out.append(f"at {level_label(req.level)} or above: {_num(req.counted)} of {_num(req.required)} {unit}; "
                       f"{_num(req.remaining)} still needed"
                       + (f" ({_num(max(Fraction(0), req.remaining - req.possible))} if the {_num(req.possible)} "
                          "possible count)" if req.possible else ""))
    return out


def render_text(r: StackResult) -> str:
    q = r.qualification
    lines = [f"Toward {q.code} {q.title}" + (f" ({q.jurisdiction}, {level_label(q.level)})" if q.level else ""),
             f"  requires {q.describe()}" + (f" [{q.status}]" if q.status else "")]
    lines += [f"  source: {s}" for s in q.sources]
    for outcome in (COUNTS, POSSIBLE, NO):
        group = [c for c in r.contributions if c.outcome == outcome]
        if not group:
            continue
        lines += ["", f"{_HEADINGS[outcome]}:"]
        for c in group:
            amount = ""
            if not q.by_units and (c.credits or c.credits_possible):
                amount = f"  {_num(c.credits)} {q.unit}" if c.credits else ""
                if c.credits_possible:
                    amount += f"  (+{_num(c.credits_possible)} possible)"
            lines.append(f"  {c.identifier} {c.title!r} ({c.where}){amount}")
            lines += [f"      - {why}" for why in c.reasons]
            lines += [f"      ? {u}" for u in c.uncertain]
    lines += ["", "Progress:"] + [f"  {s}" for s in summary_lines(r)]
    return "\n".join(lines) + "\n"


def to_json(r: StackResult) -> dict:
    q = r.qualification

    def num(x):
        return None if x is None else str(Fraction(x))

    doc = {
        "qualification": {"iri": q.iri, "code": q.code, "title": q.title, "jurisdiction": q.jurisdiction,
                          "level": q.level, "requires": q.describe(), "sources": q.sources,
                          "evidence_status": q.status},
        "credentials": [{
            "id": c.identifier, "title": c.title, "where": c.where, "outcome": c.outcome,
            "reasons": c.reasons, "uncertain": c.uncertain, "core_units": c.core,
            "elective_units": c.electives, "possible_elective_units": c.possible_electives,
            "credits": num(c.credits), "credits_possible": num(c.credits_possible),
            "levels_met": c.levels_met} for c in r.contributions],
        "progress": {"share": num(r.share), "summary": summary_lines(r)},
    }
    if q.by_units:
        doc["progress"].update({
            "total_units": q.total_units, "units_counted": r.units_counted,
            "core_done": r.core_done, "core_remaining": r.core_remaining,
            "electives_required": q.electives, "electives_counted": r.electives_counted,
            "electives_possible": r.electives_possible, "electives_remaining": r.electives_remaining})
    else:
        doc["progress"].update({
            "total_credits": num(q.total_credits), "credit_system": q.credit_system,
            "credits_counted": num(r.credits_counted), "credits_possible": num(r.credits_possible),
            "credits_remaining": num(r.credits_remaining),
            "level_requirements": [{"level": req.level, "required": num(req.required), "counted": num(req.counted),
                                    "possible": num(req.possible), "remaining": num(req.remaining)}
                                   for req in r.requirements]})
    return doc


def render_json(r: StackResult) -> str:
    return json.dumps(to_json(r), indent=2, ensure_ascii=False) + "\n"


def render_html(r: StackResult) -> str:
    q, e = r.qualification, html.escape
    rows = []
    for c in r.contributions:
        amount = "" if q.by_units else (_num(c.credits) + (f" (+{_num(c.credits_possible)} possible)"
                                                            if c.credits_possible else ""))
        why = "".join(f"<li>{e(x)}</li>" for x in c.reasons)
        unsure = "".join(f"<li class=unsure>{e(x)}</li>" for x in c.uncertain)
        rows.append(f"<tr class='{e(c.outcome.replace(' ', '-'))}'><td>{e(c.identifier)}</td><td>{e(c.title)}</td>"
                    f"<td>{e(c.outcome)}</td><td>{e(amount)}</td><td><ul>{why}{unsure}</ul></td></tr>")
    progress = "".join(f"<li>{e(s)}</li>" for s in summary_lines(r))
    sources = "".join(f"<li><a href='{e(s)}'>{e(s)}</a></li>" for s in q.sources)
    width = f"{float(r.share) * 100:.1f}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Toward {e(q.code)} {e(q.title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}}.counts td:nth-child(3){{color:#060}}
.possible td:nth-child(3){{color:#a60}}.does-not-count td:nth-child(3){{color:#900}}.unsure{{color:#a60}}
.bar{{background:#eee;height:1rem;width:100%}}.bar div{{background:#2a7;height:1rem}}</style></head><body>
<h1>Toward {e(q.code)} {e(q.title)}</h1>
<p>Requires {e(q.describe())}{' [' + e(q.status) + ']' if q.status else ''}.</p>
<div class="bar" role="img" aria-label="{width}% achieved for certain"><div style="width:{width}%"></div></div>
<h2>Progress</h2><ul>{progress}</ul>
<h2>Micro-credentials</h2>
<table><thead><tr><th>id</th><th>title</th><th>outcome</th><th>{'' if q.by_units else e(q.unit)}</th><th>why</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Sources</h2><ul>{sources}</ul>
</body></html>
"""
