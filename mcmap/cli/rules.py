import click

from .options import format_option, framework_option


@click.command()
@click.argument("name", required=False, metavar="FRAMEWORK")
@framework_option(help="The framework (as FRAMEWORK): au, nz, nz-2018, ws, eu.")
@format_option(("text", "json", "tsv"), "text", "Table for people, JSON or TSV for programs.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Only the rules in force on DATE (YYYY-MM-DD). Default: every rule, past and present.")
def rules(name, framework, fmt, as_of):
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

    from ..validate import framework_notes, parse_date, rules as list_rules

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
    checked = [r for r in items if r["severity"] != "not checked"]
    unchecked = [r for r in items if r["severity"] == "not checked"]

    def day(r, key, empty):
        value = r[key] or empty
        return value + ("?" if r.get(key + "_status") == "unverified" else "")

    header = ("RULE", "SEVERITY", "EVIDENCE", "IN FORCE", "CITATION")
    rows = [(r["rule_id"], r["severity"], r["evidence_status"] or "",
             f"{day(r, 'in_force_from', '...')} to {day(r, 'in_force_until', 'now')}", r["citation"] or "")
            for r in checked]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)]
    fmt_row = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    click.echo(fmt_row.format(*header))
    for row in rows:
        click.echo(fmt_row.format(*row))
    unverified = sum(1 for r in checked if r["evidence_status"] == "unverified")
    own = sum(1 for r in checked if r["evidence_status"] == "mcmap data rule")
    click.echo(f"\n{len(checked)} rules checked; {unverified} rest on unverified sources and report at most Info; "
               f"{own} are mcmap data rules (mcmap's own checks that a record can be judged, not law).")
    if any(r.get("in_force_from_status") or r.get("in_force_until_status") for r in checked):
        click.echo("? after a date: the source gives no exact day (NZQA's 'mid-January 2023', or only a month or "
                   "a year); the date is unverified.")
    if unchecked:
        click.echo(f"\nNot checked ({len(unchecked)}):")
        for r in unchecked:
            click.echo(f"{r['rule_id']}  {r['citation']}")
            click.echo(click.wrap_text(f"not checked, because {r['not_checked_because']}.", width=100,
                                       initial_indent="    ", subsequent_indent="    "))
    for note in framework_notes(framework):
        click.echo("\n" + click.wrap_text(note, width=100))
