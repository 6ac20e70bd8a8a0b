"""The mcmap command line: a thin face over the library.

Commands live in their own modules and are imported only when run, so `mcmap --help`
stays fast and heavy libraries (rdflib, pyoxigraph) load only when needed.
"""
import importlib
import sys

import click

# command name -> "module:function" (relative to mcmap.cli); each area owns one line here.
COMMANDS = {
    "export": "export:export",
    "frameworks": "frameworks:frameworks",
    "load": "load:load",
    "map": "map:map_command",
    "match": "match:match",
    "compare": "compare:compare",
    "query": "query:query",
    "serve": "serve:serve",
    "stack": "stack:stack",
    "rules": "rules:rules",
    "validate": "validate:validate",
}

SUMMARIES = {
    "export": "Export credentials as JSON-LD, Turtle, RDF/XML, XML, Open Badges 3.0, ELM or CTDL.",
    "frameworks": "List the frameworks, their levels, credit systems and dates in force.",
    "load": "Read files into a store, all in one transaction.",
    "map": "What each credential is worth in another jurisdiction: volume, level, eligibility, why.",
    "match": "For each credential of one jurisdiction, the most similar credentials of another.",
    "compare": "Frameworks' micro-credential definitions side by side (text, JSON or HTML with a chart).",
    "query": "Run SPARQL over files or a store.",
    "serve": "Serve a store as a read-only SPARQL endpoint, with a web workbench for browsers.",
    "stack": "How far micro-credentials take a learner toward a qualification, and why.",
    "rules": "List a framework's rules: ids, severities, citations, evidence, dates in force.",
    "validate": "Check credentials against a framework's rules; exit 1 on violations.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"mcmap.cli.{module}"), attr)

    def invoke(self, ctx):
        # User errors become one line and exit 2 here, so every caller (the console script,
        # `python -m mcmap`, click's test runner) sees the same behaviour.
        from ..errors import McmapError

        try:
            return super().invoke(ctx)
        except McmapError as e:
            click.echo(f"mcmap: error: {e}", err=True)
            ctx.exit(e.exit_code)

    def format_commands(self, ctx, formatter):
        # Listing commands must not import them: the one-line summaries live here.
        with formatter.section("Commands"):
            formatter.write_dl([(n, SUMMARIES.get(n, "")) for n in sorted(COMMANDS)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mcmap")
def cli():
    """mcmap: check and compare micro-credentials across jurisdictions.

    \b
    Examples:
      mcmap frameworks
      mcmap load examples/*.csv --store ./store
      mcmap validate examples/nz-submission.csv -f nz
      mcmap query --named credentials-by-level --store ./store
      mcmap export examples/nz-submission.csv -F ob3 -o badges.json

    \b
    Options mean the same in every command: --format/-F is what is written,
    --input-format what is read, -f the framework.
    """


def main():
    try:
        cli.main(prog_name="mcmap")
    except BrokenPipeError:
        # A reader such as `head` closed the pipe: not an error of mcmap's.
        sys.exit(0)
