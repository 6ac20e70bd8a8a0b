import click

from .common import endpoint_option, store_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@store_option
@endpoint_option
@click.option("--format", "fmt", default=None,
              help="Read every file as this format (csv, ttl, nt, nq, trig, rdfxml, jsonld, ...). "
                   "Default: from each file's extension.")
@click.option("--replace", is_flag=True, help="Replace the store's data instead of adding to it.")
def load(files, store_dir, endpoint, fmt, replace):
    """Read FILES into a store, in one transaction.

    Every file is read and checked before anything is written: if one file is bad, the store
    is left exactly as it was and the error names the file and its line or row. Without
    --store or --endpoint the files are only checked.

    \b
    Examples:
      mcmap load examples/*.csv --store ./store
      mcmap load registry.ttl --endpoint http://127.0.0.1:7878/query
    """
    from ..load import load_files
    from ..store import open_store

    with open_store(store_dir, endpoint) as store:
        summary = load_files(store, list(files), fmt, replace=replace)
        where = store_dir or endpoint
    target = f"into {where}" if where else "(checked only: give --store DIR to keep them)"
    click.echo(f"loaded {summary.credentials} credentials ({summary.quads} triples) from "
               f"{summary.files} file{'s' if summary.files != 1 else ''} {target}", err=True)
