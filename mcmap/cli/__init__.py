"""The mcmap command line: a thin face over the library.

Commands live in their own modules and are imported only when run, so `mcmap --help`
stays fast and heavy libraries (rdflib, pyoxigraph) load only when needed.
"""
import importlib
import sys

import click

# command name -> "module:function" (relative to mcmap.cli); each area owns one line here.
COMMANDS = {
    "frameworks": "frameworks:frameworks",
    "load": "load:load",
    "query": "query:query",
}

SUMMARIES = {
    "frameworks": "List the frameworks, their levels, credit systems and dates in force.",
    "load": "Read files into a store, all in one transaction.",
    "query": "Run SPARQL over files or a store.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"mcmap.cli.{module}"), attr)

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
      mcmap query counts.rq --store ./store
    """


def main():
    from ..errors import McmapError

    try:
        cli.main(standalone_mode=False)
    except McmapError as e:
        click.echo(f"mcmap: error: {e}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("mcmap: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(2 if e.exit_code in (1, 2) else e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(0)
