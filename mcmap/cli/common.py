"""Options and output helpers shared by the commands."""
import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import UsageError

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


def _check_output(ctx, param, value):
    # Checked before any work is done, so a long validation never ends in "cannot write".
    if value is not None:
        output_path(value)
    return value


output_option = click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=None, callback=_check_output,
    help="Write the document to FILE (atomically) instead of standard output.")


HUMAN_FORMATS = ("text", "table")


def write_output(text: str | bytes, output: str | None, fmt: str | None = None) -> None:
    """Write to stdout, or atomically to a file: a reader never sees half a file.

    `fmt` says what the document is: text and tables get control characters made visible,
    CSV and TSV cells that a spreadsheet would run as formulas get a leading apostrophe."""
    from .. import text as safe

    if fmt in HUMAN_FORMATS or fmt in ("csv", "tsv"):
        doc = text.decode("utf-8") if isinstance(text, bytes) else text
        if fmt == "csv":
            doc = safe.neutralise_csv(doc)
        elif fmt == "tsv":
            doc = safe.neutralise_tsv(doc)
        text = safe.printable(doc, keep_newlines=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None:
        if sys.stdout.isatty():
            # Whatever the format, a terminal shows escape sequences instead of obeying them.
            try:
                data = safe.printable(data.decode("utf-8"), keep_newlines=True).encode("utf-8")
            except UnicodeDecodeError:
                pass
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with output_stream(output) as f:  # made safe above: written as it is
        f.write(data)


@contextmanager
def output_stream(output: str | None, fmt: str | None = None):
    """A binary file to write a document to while it is being made: standard output, or a
    temporary file beside --output renamed into place once the document is complete (a reader
    never sees half a file, and a failure leaves the old file as it was). Text made for people,
    and anything written to a terminal, get control characters made visible as they pass."""
    if output is None:
        sink = _Printable(sys.stdout.buffer, strict=fmt in HUMAN_FORMATS) \
            if fmt in HUMAN_FORMATS or sys.stdout.isatty() else sys.stdout.buffer
        yield sink
        if isinstance(sink, _Printable):
            sink.flush()
        sys.stdout.flush()
        return
    target = output_path(output)
    tmp, fd = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as f:
            sink = _Printable(f, strict=True) if fmt in HUMAN_FORMATS else f
            yield sink
            if sink is not f:
                sink.flush()
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"--output {output}: cannot write: {e.strerror or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    click.echo(f"wrote {target}", err=True)


class _Printable:
    """A binary writer passing UTF-8 text through `text.printable` piece by piece. `strict`:
    the document is text; otherwise bytes that are not UTF-8 (a workbook) pass unchanged."""

    def __init__(self, raw, strict: bool):
        import codecs

        self.raw, self.strict, self.binary = raw, strict, False
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.pending = ""  # a final CR, which may be half of a CRLF

    def write(self, data: bytes) -> int:
        from .. import text as safe

        if self.binary:
            return self.raw.write(data)
        try:
            text = self.pending + self.decoder.decode(data)
        except UnicodeDecodeError:
            if self.strict:
                raise
            self.binary = True
            return self.raw.write(data)
        self.pending = "\r" if text.endswith("\r") else ""
        if self.pending:
            text = text[:-1]
        self.raw.write(safe.printable(text, keep_newlines=True).encode("utf-8"))
        return len(data)

    def flush(self) -> None:
        from .. import text as safe

        if not self.binary and self.pending:
            self.raw.write(safe.printable(self.pending, keep_newlines=True).encode("utf-8"))
            self.pending = ""
        self.raw.flush()


def output_path(output: str) -> Path:
    """The --output file, or a UsageError saying why it cannot be written there."""
    if not output.strip():
        raise UsageError("--output '': give a file name (or leave --output out for standard output)")
    target = Path(output)
    folder = target.parent
    if target.is_dir():
        raise UsageError(f"--output {output}: is a folder; give a file name")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"--output {output}: {folder} {what}")
    return target


def _temp_beside(target: Path) -> tuple[Path, int]:
    """A new temporary file in the target's folder (the rename is then atomic), created with the
    mode an ordinary write gives: the overwritten file's mode, or 0666 less the umask."""
    mode = 0o666
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        pass
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        except FileExistsError:
            continue
        except OSError as e:
            raise UsageError(f"--output {target}: cannot write in {target.parent}: {e.strerror or e}") from None
        if mode != 0o666:
            os.chmod(tmp, mode)  # os.open applied the umask; an overwritten file keeps its own mode
        return tmp, fd
    raise UsageError(f"--output {target}: cannot create a temporary file in {target.parent}")
