"""Readers and writers, one module per format. Formats never import shacl or mapping.

A reader takes one file's `Path` and returns either

- a `QuadText` (formats.nquads): the triples as N-Quads text, written record by record as the
  loader takes them in chunks for Oxigraph to parse (the non-RDF readers), each credential with
  its mc:sourceFile and mc:sourceRow/mc:sourceLine; or
- an iterable of pyoxigraph Quads in the data graph (best a generator yielding them as it reads:
  `mcmap.load` writes them to the store in chunks, so no list of every quad is ever built), each
  credential with its mc:sourceFile and mc:sourceRow/mc:sourceLine where the reader knows it; or
- an `RdfSource` (mcmap.rdf_source): RDF for Oxigraph to parse straight into the store. The loader
  then adds mc:sourceFile to each credential; lines are looked up only for credentials that
  have findings (`source_lines`).

A reader raises InputError naming the file and place; raised while its quads are being consumed,
the load is discarded and the store stays as it was.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError

# format name -> "module:function"; a reader takes (path: Path) and returns quads or an RdfSource.
READERS = {
    "ttl": "rdf:read_turtle",
    "nt": "rdf:read_ntriples",
    "nq": "rdf:read_nquads",
    "trig": "rdf:read_trig",
    "rdfxml": "rdf:read_rdfxml",
    "jsonld": "rdf:read_jsonld",
    "csv": "tabular:read_csv",
    "xlsx": "xlsx:read_xlsx",
    "xml": "xml:read_xml",
    "ob3": "ob3:read",
    "elm": "elm:read",
    "ctdl": "ctdl:read",
}

# file extension -> format name
EXTENSIONS = {
    ".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig",
    ".rdf": "rdfxml", ".owl": "rdfxml", ".jsonld": "jsonld", ".json": "jsonld",
    ".csv": "csv", ".xlsx": "xlsx",
    ".xml": "xml",
}

# Sniffers get a chance to claim a JSON(-LD) file for a more specific format (elm, ob3, ctdl):
# each is "module:function" taking (path, parsed_json) and returning a format name or None.
JSON_SNIFFERS: list[str] = [
    "ob3:sniff",
    "elm:sniff",
    "ctdl:sniff",
]


def _load(ref: str):
    module, attr = ref.split(":")
    return getattr(importlib.import_module(f"mcmap.formats.{module}"), attr)


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in READERS:
            raise InputError(str(path), f"unknown format '{fmt}' (known: {', '.join(sorted(READERS))})")
        return fmt
    name = EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise InputError(str(path), f"cannot tell the format from the extension '{path.suffix}'; "
                         f"give --input-format ({', '.join(sorted(READERS))})")
    if name == "jsonld" and JSON_SNIFFERS:
        import json

        try:
            doc = json.loads(read_text(path, "JSON"))
        except (ValueError, InputError, RecursionError):
            return name  # the JSON-LD reader reports the problem with its position
        for ref in JSON_SNIFFERS:
            claimed = _load(ref)(path, doc)
            if claimed:
                return claimed
    return name


def read_text(path: Path, kind: str) -> str:
    """A file's text, or an InputError saying it is binary or not UTF-8 (with the line)."""
    return _check_text(path, path.read_bytes(), kind)


def read_bytes(path: Path, kind: str) -> bytes:
    """A file's bytes (without a byte-order mark) once checked as `read_text` checks them."""
    raw = path.read_bytes()
    _check_text(path, raw, kind)
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


PIECE = 1 << 20  # bytes read at a time when a file is checked without being held


def check_text(path: Path, kind: str) -> bool:
    """Check a file as `read_text` does, a piece at a time (for files Oxigraph then reads from
    their path); True if it starts with a UTF-8 byte-order mark."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    with open(path, "rb") as f:
        first = True
        while piece := f.read(PIECE):
            if first and b"\x00" in piece[:8192]:
                raise InputError(str(path), f"is a binary file, not {kind} text")
            held = len(decoder.getstate()[0])  # the last piece's unfinished character
            try:
                decoder.decode(piece)
            except UnicodeDecodeError as e:
                at = e.start - held
                _bad_utf8(path, offset + at, lines + piece[: max(at, 0)].count(b"\n") + 1)
            offset += len(piece)
            lines += piece.count(b"\n")
            first = False
        held = len(decoder.getstate()[0])
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _bad_utf8(path, offset - held, lines + 1)
    with open(path, "rb") as f:
        return f.read(3) == b"\xef\xbb\xbf"


def open_text(path: Path, kind: str):
    """The file opened as UTF-8 text (past a byte-order mark, line ends as written), to be read
    as it is used; InputError if it is binary. A UnicodeDecodeError while reading it becomes
    `read_text`'s error, with the line, through `not_utf8`."""
    with open(path, "rb") as f:
        if b"\x00" in f.read(8192):
            raise InputError(str(path), f"is a binary file, not {kind} text")
    return open(path, encoding="utf-8-sig", newline="")


def not_utf8(path: Path, kind: str) -> InputError:
    """The error for a file that failed to decode while read (its line and offset)."""
    try:
        check_text(path, kind)
    except InputError as e:
        return e
    return InputError(str(path), "is not UTF-8 text; save it as UTF-8")


def _bad_utf8(path: Path, offset: int, line: int):
    raise InputError(str(path), f"is not UTF-8 text (bad byte at offset {offset}); save it as UTF-8",
                     line=line) from None


def _check_text(path: Path, raw: bytes, kind: str) -> str:
    if b"\x00" in raw[:8192]:
        raise InputError(str(path), f"is a binary file, not {kind} text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        _bad_utf8(path, e.start, raw[: e.start].count(b"\n") + 1)


def open_file(path: str | Path, fmt: str | None = None):
    """What the file's reader returns: quads (maybe a generator) or an RdfSource."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a folder, not a file")
    if path.stat().st_size == 0:
        raise InputError(str(path), "the file is empty")
    try:
        return _load(READERS[detect_format(path, fmt)])(path)
    except RecursionError:
        raise InputError(str(path), "nested too deeply to read (hundreds of levels of lists or "
                         "objects); no credential needs that") from None
    except MemoryError:
        raise InputError(str(path), "too large to read in memory (a single value or token of "
                         "many megabytes?)") from None


def read_file(path: str | Path, fmt: str | None = None) -> list:
    """One file's quads as a list, provenance (lines too) included: for small inputs and tests;
    `mcmap.load` streams files into a store instead."""
    from ..rdf_source import RdfSource

    got = open_file(path, fmt)
    if isinstance(got, RdfSource):
        from .rdf import materialise

        return materialise(Path(path), got)
    # a QuadText parsed by Oxigraph, or a reader's quads; not the records of how literals the
    # store retypes were written, which only a load into a store needs (mcmap.written)
    import pyoxigraph as ox

    from .. import namespaces as ns

    written = ns.GRAPH_WRITTEN
    return [q for q in got if q.graph_name.__class__ is ox.DefaultGraph or q.graph_name.value != written]


def read_files(paths, fmt: str | None = None) -> list:
    """All files' quads, or an InputError for the first bad one: callers store all or nothing."""
    quads: list = []
    for p in paths:
        quads.extend(read_file(p, fmt))
    return quads
