import click

from .common import endpoint_option, store_option
from .options import input_format_option, renamed


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@store_option
@endpoint_option
@input_format_option()
@click.option("--replace", is_flag=True, help="Replace the store's data instead of adding to it.")
@renamed("--format", to="input_format", new="--input-format")
def load(files, store_dir, endpoint, input_format, replace):
    """Read FILES into a store, in one transaction.

    Every file is read and checked before anything is written: if one file is bad, the store
    is left exactly as it was and the error names the file and its line or row. Without
    --store or --endpoint the files are only checked.

    \b
    Examples:
      mcmap load examples/*.csv --store ./store
      mcmap load registry.ttl --endpoint http://127.0.0.1:7878/query
    """
    from ..library import load as load_sources
    from .common import store_or_endpoint

    summary = load_sources(list(files), store_or_endpoint(store_dir, endpoint), endpoint=endpoint, input_format=input_format,
                           replace=replace)
    where = store_dir or endpoint
    target = f"into {where}" if where else "(checked only: give --store DIR to keep them)"
    from ..words import plural

    click.echo(f"loaded {plural(summary.credentials, 'credential')} ({plural(summary.triples, 'triple')}) "
               f"from {plural(summary.files, 'file')} {target}", err=True)
