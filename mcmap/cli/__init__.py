"""The mcmap command line: a thin face over the library.

Commands live in their own modules and are imported only when run, so `mcmap --help`
stays fast and heavy libraries (rdflib, pyoxigraph) load only when needed.
"""
import gc
import importlib
import os
import signal
import sys
import threading
import traceback

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
        # Errors become one line here, so every caller (the console script, `python -m mcmap`,
        # click's test runner) sees the same behaviour: exit 2 for what the user can fix, 3 for
        # a fault in mcmap (never 1, which a CI job reads as "violations found").
        from .. import errors

        debug = ctx.params.get("debug") or os.environ.get("MCMAP_DEBUG", "") not in ("", "0")
        previous = _stop_on_sigterm()
        try:
            return super().invoke(ctx)
        except errors.McmapError as e:
            if debug:
                traceback.print_exc()
            click.echo(f"mcmap: error: {one_line(str(e))}", err=True)
            ctx.exit(e.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, BrokenPipeError):
            raise
        except errors.Terminated:
            click.echo("mcmap: terminated", err=True)
            ctx.exit(errors.EXIT_TERMINATED)
        except KeyboardInterrupt:
            click.echo("mcmap: interrupted", err=True)
            ctx.exit(errors.EXIT_INTERRUPTED)
        except OSError as e:
            if e.filename is None:
                raise _internal(ctx, e, debug)
            if debug:
                traceback.print_exc()
            # A file or folder the system would not let mcmap use: the user can fix that.
            where = e.filename if e.filename2 is None else f"{e.filename} -> {e.filename2}"
            click.echo(f"mcmap: error: {one_line(str(where))}: {e.strerror or e}", err=True)
            ctx.exit(2)
        except Exception as e:  # noqa: BLE001 - the last line of defence: never a bare traceback
            raise _internal(ctx, e, debug)
        finally:
            if previous is not _UNSET:
                signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)

    def format_commands(self, ctx, formatter):
        # Listing commands must not import them: the one-line summaries live here.
        with formatter.section("Commands"):
            formatter.write_dl([(n, SUMMARIES.get(n, "")) for n in sorted(COMMANDS)])


_UNSET = object()


def _stop_on_sigterm():
    """Make SIGTERM stop a command the way Ctrl-C does; returns the handler to put back (_UNSET
    where signals cannot be set: outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return _UNSET
    from ..errors import Terminated

    def stop(signum, frame):
        raise Terminated

    return signal.signal(signal.SIGTERM, stop)


def one_line(text: str) -> str:
    """A message as one printable line: control characters from input never reach the terminal."""
    from ..text import printable

    return printable(" ".join(text.split()))


def _internal(ctx, error: BaseException, debug: bool):
    from .. import errors

    if debug:
        traceback.print_exc()
    name = type(error).__name__
    detail = one_line(str(error))[:300]
    click.echo(f"mcmap: internal error: {name}{': ' + detail if detail else ''} ({errors.REPORT_HINT})", err=True)
    return click.exceptions.Exit(errors.EXIT_INTERNAL)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mcmap")
@click.option("--debug", is_flag=True, help="On an unexpected error, show the Python traceback.")
def cli(debug):
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
    # A command over a large registry makes and drops millions of small objects. At the default
    # young-generation threshold (700) the collector also walks every long-lived object hundreds
    # of times: 19 s of a million credentials' validate, growing faster than the data. Young
    # objects are collected in batches of 100,000 instead (cyclic garbage waits a little longer).
    gc.set_threshold(100_000, 20, 10)
    try:
        cli.main(prog_name="mcmap")
    except BrokenPipeError:
        # A reader such as `head` closed the pipe: not an error of mcmap's.
        sys.exit(0)
