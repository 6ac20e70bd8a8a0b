"""An RDF file or text as Oxigraph's bulk loader is given it (mcmap.staging loads it): whole or in
parts, through a file object or as bytes, so that every machine stores the same quads and names
the same line for an error."""
from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns

PART = 64 * 2 ** 20  # bytes of a line-based RDF file per call of Oxigraph's bulk loader (two at once)
WHOLE = 2 ** 30  # bytes of an RDF file above which it goes to the bulk loader in one call


@dataclass
class RdfSource:
    """An RDF document for Oxigraph to parse straight into the store.

    `data` is the file's path (read by Oxigraph, never held: `skip` is the length of a
    byte-order mark it would not take) or its bytes; triples go to `graph`, quads keep their
    own graph."""
    data: Path | bytes
    format: ox.RdfFormat
    base_iri: str | None = None
    graph: str = ns.GRAPH_DATA
    lines_meaningful: bool = True  # False where `data` is not the user's text (inlined JSON-LD)
    skip: int = 0

    def where(self) -> dict:
        """Oxigraph's argument saying where to read: the path, an open file past the mark, or bytes."""
        if not isinstance(self.data, Path):
            return {"input": self.data}
        return {"input": self._opened()} if self.skip else {"path": str(self.data)}

    def _opened(self):
        """The file, open past its byte-order mark: closed when Oxigraph's reader (or a `with`) drops it."""
        f = open(self.data, "rb")
        f.seek(self.skip)
        return f

    def load_args(self) -> dict:
        """Keyword arguments for Oxigraph's load and bulk_load."""
        return {**self._parsing(), **self.where()}

    def _parsing(self) -> dict:
        """How to parse and where the triples go: load_args without where to read."""
        return {"format": self.format, "base_iri": self.base_iri, "to_graph": ox.NamedNode(self.graph)}

    def parts(self) -> Iterator[tuple[dict, int]]:
        """(load_args, lines before) for each call of Oxigraph's bulk loader, in order.

        A call's memory grows with the quads it has in hand, and each call ends by handing its
        files to RocksDB unmerged. A mid-sized N-Triples or N-Quads file, whose records are
        lines, goes in parts of about PART bytes cut at line ends, two at once (each call
        parses on one thread). A file over WHOLE bytes goes in one call that reads it as it
        goes: in parts, RocksDB kept merging the growing pile while later parts loaded (a
        million credentials, 2.3 GB, median of five runs: 167 s and 302 s of processor time in
        parts, 141 s and 250 s in one call, whose batches peak at 1.75 GiB against 1.3 GiB).
        That is on two cores: one call writes as many batches at once as the machine has cores
        (the same million seen with eight cores peaked at 3.4 GiB), so on more it goes in parts,
        whose memory is bounded by theirs. A file naming a blank node is given whole: each call
        names blank nodes afresh, which would split one node in two.

        A file given whole is read as a file object. Given a path or bytes, the bulk loader of
        a machine of four cores or more parses N-Triples and N-Quads in pieces at once, each
        naming blank nodes afresh and counting lines from its own start: a blank node named far
        apart became two nodes, and a syntax error on line 4001 was reported on line 245. Parts
        name no blank node and stay bytes, parsed in pieces there (see first_error)."""
        size = self.data.stat().st_size - self.skip if isinstance(self.data, Path) else 0
        if size > WHOLE and cores() <= 2 or size <= PART \
                or self.format not in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) or names_blank_node(self.data):
            read = self._opened() if isinstance(self.data, Path) else io.BytesIO(self.data)
            yield {**self._parsing(), "input": read}, 0
            return
        base = self._parsing()
        with self._opened() as f:
            lines = 0
            for part in line_parts(f, PART):
                yield {**base, "input": part}, lines
                lines += part.count(b"\n")


def cores() -> int:
    """The processors this process may run on, as Oxigraph's bulk loader counts them."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def line_parts(f, size: int) -> Iterator[bytes]:
    """The rest of binary file `f` in parts of about `size` bytes, each ending at a line end:
    whole records of a line-based format (N-Triples, N-Quads) for one bulk-loader call."""
    while part := f.read(size):
        yield part + f.readline()


def names_blank_node(path: Path) -> bool:
    """Whether the file's text has "_:" anywhere (a blank node label, or text that looks like one).
    Read in blocks, not mapped: a mapped file's pages would count as the load's memory."""
    watch = NotingBlankNodes()
    with open(path, "rb") as f:
        while block := f.read(16 * 2 ** 20):
            if watch.note(block):
                return True
    return False


class NotingBlankNodes:
    """Notes whether "_:" went by in text seen a block at a time, a "_" ending one block and a
    ":" starting the next included; given a binary file `f`, a file to write line-based RDF
    into that notes it as the text is written: no second pass over a text of gigabytes."""

    def __init__(self, f=None):
        self.f = f
        self.seen = False
        self._last = b""

    def note(self, data: bytes) -> bool:
        if not self.seen and (b"_:" in data or (self._last == b"_" and data[:1] == b":")):
            self.seen = True
        self._last = data[-1:]
        return self.seen

    def write(self, data: bytes) -> int:
        self.note(data)
        return self.f.write(data)

    def flush(self) -> None:
        self.f.flush()


def first_error(args: dict, error: SyntaxError) -> SyntaxError:
    """The first syntax error of bytes the bulk loader refused, found by parsing them in order:
    a machine of many cores parses bytes in pieces, whose errors count lines from the piece's
    start (`error`, kept if parsing in order finds none)."""
    if not isinstance(args.get("input"), bytes):
        return error
    try:
        for _ in ox.parse(input=args["input"], format=args["format"], base_iri=args.get("base_iri")):
            pass
    except SyntaxError as in_order:
        return in_order
    return error


def blank_nodes_kept(text: bytes):
    """mcmap's own N-Quads `text` for a bulk-loader call: a file object where it names a blank
    node, so that it is parsed in order (see RdfSource.parts); otherwise the bytes, which a
    machine of many cores parses in pieces at once. Its lines are not the user's: no error in
    it has a line to report."""
    return io.BytesIO(text) if b"_:" in text else text
