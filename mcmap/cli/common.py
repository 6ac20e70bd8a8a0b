"""Options and output helpers shared by the commands."""
import os
import sys
import tempfile
from pathlib import Path

import click

store_option = click.option(
    "--store", "store_dir", type=click.Path(file_okay=False), default=None,
    help="Oxigraph store folder (created if missing). Default: in memory for this command.")
endpoint_option = click.option(
    "--endpoint", default=None, metavar="URL",
    help="A SPARQL 1.1 query endpoint to work in instead of an embedded store.")
output_option = click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=None,
    help="Write the document to FILE (atomically) instead of standard output.")


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to a file: a reader never sees half a file."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = Path(output)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    click.echo(f"wrote {target}", err=True)
