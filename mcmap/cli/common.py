"""Options and output helpers shared by the commands."""
import os
import sys
import tempfile
from pathlib import Path

import click

store_option = click.option(
    "--store", "store_dir", type=click.Path(file_okay=False), default=None,
    help="Oxigraph store folder (created if missing). Default: in memory for this command.")
_endpoint = click.option(
    "--endpoint", default=None, metavar="URL",
    help="A SPARQL 1.1 query endpoint to work in instead of an embedded store. A login comes "
         "from MCMAP_ENDPOINT_USER/MCMAP_ENDPOINT_PASSWORD or a netrc entry for the host.")


def _keep_timeout(ctx, param, value):
    ctx.meta["mcmap.timeout"] = value
    return value


_timeout = click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=300, show_default=True, metavar="SECONDS",
    expose_value=False, callback=_keep_timeout,
    help="With --endpoint: how long to wait for each answer from the store.")


def endpoint_option(f):
    """`--endpoint URL` and the `--timeout` that goes with it (read by endpoint_timeout())."""
    return _endpoint(_timeout(f))


def endpoint_timeout() -> float:
    return click.get_current_context().meta.get("mcmap.timeout", 300)


def store_or_endpoint(store_dir, endpoint):
    """What a command passes on as its store: the folder, or the endpoint opened with --timeout."""
    if not endpoint:
        return store_dir
    from ..store import open_store

    return open_store(store_dir, endpoint, timeout=endpoint_timeout())
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
