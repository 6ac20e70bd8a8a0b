import sys

import click

from .common import endpoint_option, output_option, store_option
from .options import format_option, framework_option, input_format_option, text_width, wide_option

FORMATS = ("text", "json", "ttl", "jsonld", "html", "xlsx")


class Progress:
    """A spinner naming the current step on standard error, only when a person watches a terminal."""
    def __init__(self):
        self._status = None
        if sys.stderr.isatty():
            from rich.console import Console

            self._status = Console(stderr=True).status("starting")

    def __enter__(self):
        if self._status is not None:
            self._status.__enter__()
        return self

    def step(self, text: str) -> None:
        if self._status is not None:
            self._status.update(f"mcmap: {text}...")

    def __exit__(self, *exc):
        if self._status is not None:
            self._status.__exit__(*exc)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@framework_option(help="Judge by this framework's rules: au, nz, nz-2018, ws, eu (see mcmap rules NAME).")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(dir_okay=False),
              help="Also (or only) run this SHACL file; may be given more than once.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Apply the rules in force on DATE (YYYY-MM-DD). Default: today.")
@format_option(FORMATS, "text", "Report format.")
@input_format_option()
@click.option("--keep-report", is_flag=True,
              help="Also store the report (sh:ValidationReport) in the store's reports graph.")
@click.option("--keep-ill-formed", is_flag=True,
              help="Keep RDF values that are not valid for their datatype (\"ten\"^^xsd:integer) for "
                   "the shapes to judge, as SHACL does, instead of refusing the file.")
@click.option("--listing", is_flag=True,
              help="The records are public listings or register extracts, which show only part of a "
                   "submission: information they do not state is reported as a Warning marked "
                   "[not stated], not a Violation. Default: strict, as for a submission.")
@wide_option()
@output_option
@store_option
@endpoint_option
def validate(files, framework, shapes, as_of, fmt, input_format, keep_report, keep_ill_formed, listing, wide, output,
             store_dir, endpoint):
    """Check credentials in FILES against a framework's rules.

    Every finding names the credential, its file and row or line, the rule id, its citation,
    the severity and the offending value, and is marked [not stated] when the credential does
    not give the information at all (incomplete) rather than giving a value that breaks the rule. Exit status: 0 conforms (warnings and infos alone
    still conform), 1 violations found, 2 the input or the shapes could not be read.

    With --store or --endpoint, FILES (if any) are first added to that store's data, and
    everything in its data graph is checked.

    \b
    Examples:
      mcmap validate examples/nz-submission.csv --framework nz
      mcmap validate submission.csv --framework nz --as-of 2020-01-01
      mcmap validate submission.ttl -f au -F html -o report.html
      mcmap validate submission.csv --shapes my-rules.ttl
      mcmap validate nzqa-listing.csv -f nz --listing
    """
    from ..errors import UsageError
    from ..library import validate as run_validation
    from .common import store_or_endpoint

    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise UsageError("an .xlsx report is a binary file: give --output FILE.xlsx")
    if not framework and not shapes:
        raise UsageError("give --framework NAME (au, nz, nz-2018, ws, eu) or --shapes FILE")
    if not files and not (store_dir or endpoint):
        raise UsageError("give FILE(s) to check, or --store/--endpoint holding the data")
    with Progress() as progress:
        report = run_validation(list(files), framework, shapes=list(shapes), as_of=as_of,
                                input_format=input_format, store=store_or_endpoint(store_dir, endpoint), endpoint=endpoint,
                                keep_report=keep_report, progress=progress.step, listing=listing,
                                keep_ill_formed=keep_ill_formed)
        progress.step("writing the report")
        from .common import output_stream

        # written as it is made: a report of a million findings is never held twice
        with report, output_stream(output, fmt) as out:
            report.write(out, fmt, width=text_width(output, wide))
    sys.exit(0 if report.conforms else 1)
