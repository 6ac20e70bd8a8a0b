"""What the library reads: files on disk, or documents held in memory (an upload in a web
handler) given as `(filename, bytes)`. Readers work on files, so a document in memory is
written to a private temporary folder under its own name; what is read, and every error, then
names the document as the caller called it, never the temporary file."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Document:
    """A document held in memory: its file name (which tells its format) and its content."""
    name: str
    data: bytes | str


def as_document(source) -> Document | None:
    """A Document for an in-memory source, None for a path."""
    if isinstance(source, Document):
        return source
    if isinstance(source, tuple) and len(source) == 2 and isinstance(source[1], (bytes, bytearray, str)):
        return Document(str(source[0]), source[1])
    return None


@contextmanager
def on_disk(sources):
    """Yield (paths, shown): a path for every source, and the name to show for each temporary one."""
    if isinstance(sources, (str, os.PathLike, Document)) or as_document(sources) is not None:
        sources = [sources]
    docs = [(i, as_document(s)) for i, s in enumerate(sources)]
    if not any(d for _, d in docs):
        yield [Path(s) for s in sources], {}
        return
    with tempfile.TemporaryDirectory(prefix="mcmap-") as folder:
        paths, shown = [], {}
        for i, doc in docs:
            if doc is None:
                paths.append(Path(sources[i]))
                continue
            # Only the last part of the name: a document cannot write outside the folder.
            name = Path(doc.name.replace("\\", "/")).name or "document"
            target = Path(folder) / str(i) / name
            target.parent.mkdir()
            data = doc.data.encode("utf-8") if isinstance(doc.data, str) else bytes(doc.data)
            target.write_bytes(data)
            paths.append(target)
            shown[str(target)] = doc.name
        yield paths, shown


def read_sources(sources, fmt: str | None = None) -> list:
    """Every source's quads (as `mcmap.formats.read_files`), with documents named as given."""
    from .formats import read_files

    with on_disk(sources) as (paths, shown):
        try:
            quads = read_files(paths, fmt)
        except InputError as e:
            if e.source in shown:
                raise renamed_error(e, shown[e.source]) from None
            raise
    return rename_sources(quads, shown)


def renamed_error(e: InputError, name: str) -> InputError:
    return InputError(name, e.detail, line=e.line, row=e.row, column=e.column)


def rename_sources(quads: list, shown: dict) -> list:
    if not shown:
        return quads
    import pyoxigraph as ox

    from .formats.provenance import SOURCE_FILE

    out = []
    for q in quads:
        if q.predicate == SOURCE_FILE and q.object.value in shown:
            q = ox.Quad(q.subject, q.predicate, ox.Literal(shown[q.object.value]), q.graph_name)
        out.append(q)
    return out
