import click

from .options import format_option, framework_option, text_width, wide_option


@click.command()
@click.argument("name", required=False, metavar="FRAMEWORK")
@framework_option(help="The framework (as FRAMEWORK): au, nz, nz-2018, ws, eu.")
@format_option(("text", "json", "tsv"), "text", "Table for people, JSON or TSV for programs.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Only the rules in force on DATE (YYYY-MM-DD). Default: every rule, past and present.")
@wide_option()
def rules(name, framework, fmt, as_of, wide):
    """List FRAMEWORK's rules: id, severity, evidence status, dates in force and citation,
    then the source's rules that mcmap does not check, each with the reason.

    Evidence status: confirmed (read in the cited source), secondary (a third-party summary),
    unverified, or mcmap data rule (mcmap's own check that a record can be judged, not law).

    The list includes the core data rules checked under every framework and the framework's
    earlier regimes (nz lists the 2018-2022 rules too, with the dates each was in force).

    \b
    Examples:
      mcmap rules nz
      mcmap rules ws
      mcmap rules -f au --format json
    """
    from ..errors import UsageError

    if name and framework and name != framework:
        raise UsageError(f"two frameworks given ({name} and {framework}); give one")
    framework = framework or name
    if not framework:
        raise UsageError("give a FRAMEWORK: au, nz, nz-2018, ws, eu (see mcmap frameworks)")
    import json

    from ..rule_catalogue import framework_notes, rules as list_rules
    from ..validate import parse_date

    items = list_rules(framework)
    day = parse_date(as_of)
    if day is not None:
        items = [r for r in items if (r["in_force_from"] or "0000") <= day.isoformat()
                 and (r["in_force_until"] is None or day.isoformat() < r["in_force_until"])]
    if fmt == "json":
        click.echo(json.dumps({"framework": framework, "notes": framework_notes(framework), "rules": items},
                              indent=2, ensure_ascii=False))
        return
    columns = ("rule_id", "severity", "evidence_status", "in_force_from", "in_force_from_status",
               "in_force_until", "in_force_until_status", "citation", "not_checked_because")
    if fmt == "tsv":
        click.echo("\t".join(columns))
        for r in items:
            click.echo("\t".join(str(r[c] or "") for c in columns))
        return
    width = text_width(None, wide)
    checked = [r for r in items if r["severity"] != "not checked"]
    unchecked = [r for r in items if r["severity"] == "not checked"]
    click.echo(rules_table(checked, width), nl=False)
    from ..words import fold, plural

    unverified = sum(1 for r in checked if r["evidence_status"] == "unverified")
    own = sum(1 for r in checked if r["evidence_status"] == "mcmap data rule")
    click.echo(fold(f"\n{plural(len(checked), 'rule')} checked; {unverified} rest on unverified sources and report "
                    f"at most Info; {own} are mcmap data rules (mcmap's own checks that a record can be judged, "
                    "not law).", width))
    if any(r.get("in_force_from_status") or r.get("in_force_until_status") for r in checked):
        click.echo(fold("? after a date: the source gives no exact day (NZQA's 'mid-January 2023', or only a month or "
                        "a year); the date is unverified.", width))
    if unchecked:
        click.echo(f"\nNot checked ({len(unchecked)}):")
        for r in unchecked:
            click.echo(fold(f"{r['rule_id']}  {r['citation']}", width))
            click.echo(fold(f"    not checked, because {r['not_checked_because']}.", width or 10_000))
    for note in framework_notes(framework):
        click.echo("\n" + (click.wrap_text(note, width=width) if width else note))


def rules_table(items, width: int | None) -> str:
    """Rule, severity, evidence, dates and citation; the citation folds to fit `width`."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("RULE", no_wrap=True)
    table.add_column("SEVERITY", no_wrap=True)
    table.add_column("EVIDENCE", no_wrap=True)
    table.add_column("IN FORCE", overflow="fold", min_width=10)
    table.add_column("CITATION", overflow="fold", no_wrap=width is None, ratio=1)
    for r in items:
        table.add_row(*(Text(c) for c in (r["rule_id"], r["severity"], r["evidence_status"] or "",
                                          f"{_day(r, 'in_force_from', '...')} to {_day(r, 'in_force_until', 'now')}",
                                          r["citation"] or "")))
    buf = io.StringIO()
    Console(file=buf, width=width or 10_000, no_color=True, highlight=False).print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def _day(r, key: str, empty: str) -> str:
    """A date in force; '?' after one the source gives no exact day for."""
    return (r[key] or empty) + ("?" if r.get(key + "_status") == "unverified" else "")
