"""`mcmap frameworks`: what mcmap knows about each framework, and how well it is sourced."""
from __future__ import annotations

import json

import click

from .common import output_option, write_output
from .options import format_option

UNVERIFIED_MARK = "?"


@click.command("frameworks")
@click.argument("names", nargs=-1, metavar="[FRAMEWORK]...")
@click.option("--levels", is_flag=True, help="Show every level with its qualification types.")
@format_option(("text", "json"), "text", "A table for people, or JSON for programs.")
@output_option
def frameworks(names, levels, fmt, output):
    """List the frameworks, their jurisdictions, levels, credit systems and the
    versions of each jurisdiction's micro-credential definition with the dates
    they are in force.

    FRAMEWORK is a framework (aqf, nzqcf, sqf, pqf, eqf) or a jurisdiction code
    (au, nz, ws, pacific, eu); without one, all are listed. In the table, '?'
    marks a fact that is unverified and 'secondary' one taken from a third-party
    summary; the JSON gives every fact's evidence status and source URLs.

    \b
    Examples:
      mcmap frameworks
      mcmap frameworks nz --levels
      mcmap frameworks --format json -o frameworks.json
    """
    from .. import frameworks as registry

    chosen = [registry.framework(n) for n in names] if names else registry.frameworks()
    chosen = list(dict.fromkeys(chosen))  # "nz nzqcf" names one framework once
    if fmt == "json":
        doc = [to_json(fw) for fw in chosen]
        write_output(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output(render_text(chosen, levels), output, "text")


def to_json(fw) -> dict:
    """A framework as plain JSON-ready data (dates as ISO strings)."""
    import dataclasses

    def plain(obj):
        if dataclasses.is_dataclass(obj):
            return {k: plain(v) for k, v in dataclasses.asdict(obj).items()}
        if isinstance(obj, dict):
            return {k: plain(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [plain(v) for v in obj]
        if hasattr(obj, "isoformat"):
            return obj.isoformat()
        return obj

    return plain(fw)


def _num(x: float | None) -> str:
    return "" if x is None else (f"{x:g}")


def _mark(record, prop: str | None = None) -> str:
    status = record.status_of(prop) if prop else record.status
    return {"unverified": UNVERIFIED_MARK, "secondary": " (secondary)"}.get(status, "")


def credit_text(fw) -> str:
    cs = fw.credit_system
    if cs is None:
        return "—"
    rng = cs.hours_range()
    if cs.code == "au-hours":
        text = "hours (no credit unit)"
    elif rng is None:
        text = f"{cs.label}: hours not known"
    elif rng[0] == rng[1]:
        text = f"{cs.label} = {_num(rng[0])} h"
    else:
        text = f"{cs.label} = {_num(rng[0])}–{_num(rng[1])} h"
    if cs.credits_per_year:
        text += f", {_num(cs.credits_per_year)}/year"
    elif cs.hours_per_year:
        text += f", {_num(cs.hours_per_year)} h/year"
    if fw.credit_system_status == "unverified" or cs.status == "unverified":
        text += f" {UNVERIFIED_MARK}"
    return text


def definition_text(d) -> str:
    start = d.in_force_from.isoformat() + _mark(d, "mc:inForceFrom") if d.in_force_from else None
    if d.in_force_until:
        span = f"{start or 'date unknown'} to {d.in_force_until.isoformat()}{_mark(d, 'mc:inForceUntil')}"
    else:
        span = f"from {start}" if start else "dates unknown"
    bounds = []
    if d.min_credits is not None or d.max_credits is not None:
        bounds.append(f"{_num(d.min_credits) or '?'}–{_num(d.max_credits) or '?'} credits")
    if d.min_hours is not None or d.max_hours is not None:
        hi = _num(d.max_hours)
        hi += _mark(d, "mc:maxHours") if d.max_hours is not None else ""
        bounds.append(f"{_num(d.min_hours) or '?'}–{hi or '?'} h" if hi else f"≥ {_num(d.min_hours)} h")
    tail = f"; {', '.join(bounds)}" if bounds else ""
    return f"{d.label}{_mark(d)}: {span}{tail}"


def render_text(chosen, levels: bool) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(record=True, width=_width(), file=_Null(), color_system=None)
    table = Table(title="Qualifications frameworks", box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column("Framework", max_width=28, overflow="fold")
    table.add_column("Jurisdiction", no_wrap=True)
    table.add_column("Levels", no_wrap=True, justify="right")
    table.add_column("Credit", max_width=24, overflow="fold")
    table.add_column("Definitions, with dates in force", overflow="fold", ratio=1)
    for fw in chosen:
        table.add_row(
            f"{fw.notation}\n{fw.label}",
            ", ".join(fw.jurisdictions) or "—",
            f"{fw.level_count}{_mark(fw, 'mc:levelCount')}",
            credit_text(fw),
            "\n".join(definition_text(d) for d in fw.definitions) or "—",
        )
    console.print(table)
    if levels:
        for fw in chosen:
            lt = Table(title=f"{fw.notation} levels", box=box.SIMPLE_HEAD)
            for col in ("Level", "Label", "Indicative qualification types"):
                lt.add_column(col, overflow="fold")
            for lv in fw.levels:
                quals = ", ".join(lv.qualification_types) or "—"
                q_mark = _mark(lv, "mc:indicativeQualification") if lv.qualification_types else ""
                lt.add_row(f"{lv.notation}{_mark(lv)}", lv.label, quals + q_mark)
            console.print(lt)
    console.print("? = unverified (see the JSON output or docs/frameworks.md for sources)")
    return console.export_text()


def _width() -> int:
    import shutil
    import sys

    # A table written to a file or pipe keeps a stable width; a terminal gets its own.
    return shutil.get_terminal_size((120, 24)).columns if sys.stdout.isatty() else 120


class _Null:
    """Rich writes into its record buffer only; mcmap writes the text itself (stdout or --output)."""

    def write(self, _text):
        return 0

    def flush(self):
        pass
