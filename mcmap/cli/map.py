import sys

import click

from .common import endpoint_option, output_option, store_option, write_output
from .options import format_option, input_format_option, text_width, wide_option

FORMATS = ("table", "tsv", "ttl", "json", "csv", "xlsx")


@click.command(name="map")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--from", "source", default=None, metavar="A",
              help="Treat every credential as from jurisdiction A (AU, NZ, WS, ...). "
                   "Default: each credential's own jurisdiction.")
@click.option("--to", "targets", multiple=True, required=True, metavar="B",
              help="Target jurisdiction(s): --to nz ws, --to nz,ws or --to nz --to ws.")
@click.option("--as-of", default=None, metavar="DATE",
              help="Judge eligibility by the definitions in force on DATE (YYYY-MM-DD). Default: today.")
@format_option(FORMATS, "table", "table for people; tsv (SSSOM), ttl (SSSOM as RDF), json or csv for systems; "
              "xlsx (a workbook: one sheet of mappings, one of findings; needs --output).")
@input_format_option()
@click.option("--mappings", "mapping_files", multiple=True, type=click.Path(dir_okay=False), metavar="SSSOM",
              help="Extra level correspondences (an SSSOM TSV file) to use besides the shipped ones.")
@wide_option()
@output_option
@store_option
@endpoint_option
def map_command(files, source, targets, as_of, fmt, input_format, mapping_files, wide, output, store_dir, endpoint):
    """What each credential in FILES is worth in jurisdiction B, and why.

    For every credential and target: its volume in B's unit (converted through notional hours),
    its level in B's framework with the chain of published correspondences and a confidence,
    and whether it would meet B's definition, with every rule it would fail. With --store DIR
    (or --endpoint URL) the results are also kept in the store's mappings graph (and, without
    FILES, the credentials are read from that store).

    \b
    Examples:
      mcmap map examples/au-submission.csv --to nz ws
      mcmap map nz.csv --to au --as-of 2022-06-01 -F json
      mcmap map au.csv --to nz --format tsv --output au-in-nz.sssom.tsv
      mcmap map ws.csv --to au --mappings sqf-pqf-referencing.sssom.tsv
    """
    from pathlib import Path

    from .. import frameworks
    from ..library import map_credentials
    from .common import store_or_endpoint

    # `--to nz ws`: click reads "ws" as a FILE; a word that is no file but a jurisdiction is a target.
    known = {j.code.lower() for j in frameworks.jurisdictions()}
    files = list(files)
    extra = [f for f in files if not Path(f).exists() and f.lower() in known]
    files = [f for f in files if f not in extra]
    keep = store_dir or endpoint
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        from ..errors import UsageError

        raise UsageError("an .xlsx workbook is a binary file: give --output FILE.xlsx")
    if not files and not keep:
        from ..errors import UsageError

        raise UsageError("give FILE(s) to map, or --store DIR (or --endpoint URL) holding loaded credentials")
    if fmt == "json" and keep and not files:
        _json_in_parts(store_or_endpoint(store_dir, endpoint), keep, [*targets, *extra], source, as_of,
                       list(mapping_files), output)
        return
    results = map_credentials(files, [*targets, *extra], source=source, as_of=as_of, mappings=list(mapping_files),
                              input_format=input_format, store=store_or_endpoint(store_dir, endpoint),
                              endpoint=endpoint, keep=bool(keep))
    if keep:
        click.echo(f"kept {len(results.mapping_set.mappings)} mapping rows in {keep}", err=True)
    if fmt == "json":  # a credential at a time: a registry's results are never one string
        from ..mapping.render import json_chunks
        from .common import output_stream

        with output_stream(output, fmt) as out:
            for piece in json_chunks(results.results):
                out.write(piece.encode("utf-8"))
        return
    write_output(results.render(fmt, width=text_width(output, wide)), output, fmt)


def _json_in_parts(store, where, targets, source, as_of, mapping_files, output) -> None:
    """A store's credentials (a folder's or an endpoint's) mapped, kept and written a part at a
    time."""
    import itertools

    from ..library import map_store_parts
    from ..mapping.render import json_chunks
    from .common import output_stream

    rows = 0

    def counted(parts):
        nonlocal rows
        for part in parts:
            rows += sum(len(cm.targets) for cm in part)
            yield from part

    parts = map_store_parts([*targets], store=store, source=source, as_of=as_of, mappings=mapping_files,
                            keep=True)
    first = next(parts)  # a wrong store or target is an error before any output is made
    with output_stream(output, "json") as out:
        for piece in json_chunks(counted(itertools.chain([first], parts))):
            out.write(piece.encode("utf-8"))
        click.echo(f"kept {rows} mapping rows in {where}", err=True)
