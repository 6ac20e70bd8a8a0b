"""Triples written as N-Quads text, for Oxigraph to parse: how the non-RDF readers (CSV, XLSX,
XML, ELM, OB3, CTDL) hand what they read to the store.

Making a pyoxigraph object per term costs several times what Oxigraph takes to parse the same
triple from text, so a reader writes each record's triples as lines (`Writer`) and returns a
`QuadText`: the loader takes it in chunks of whole records (`chunks`), each parsed by Oxigraph
straight into the store, and nothing holds every triple at once.

Text is escaped here, once: literals escape quotes, backslashes and every control character
(N-Triples' ECHAR/UCHAR), so any cell round-trips exactly; IRIs are checked by Oxigraph's own
IRI parser before they are written (`iri`), so a reader can refuse a bad one with its place.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import InputError

CHUNK = 50_000  # lines per chunk handed to Oxigraph: bounded memory, few calls
ONCE = 100_000  # statements Writer.once remembers
FORMAT = ox.RdfFormat.N_QUADS
DATA = f"<{ns.GRAPH_DATA}>"

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            **{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F) if c not in (9, 10, 13)}}
_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\]')
_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)$")
# Subjects a file may not describe (user_data): only their triples take the slow, checked path.
_FRAMEWORK = tuple(f"<{t}" for t in (ns.ID, ns.MC))


@lru_cache(maxsize=1024)
def name(iri: str) -> str:
    """A constant IRI (a property, a class) as N-Triples text, unchecked."""
    return f"<{iri}>"


def iri(value: str) -> str:
    """`value` as an IRI in N-Triples text, or ValueError (Oxigraph's reason) if it is not one."""
    ox.NamedNode(value)
    return f"<{value}>"


@lru_cache(maxsize=4096)
def known_iri(value: str) -> str:
    """`iri` for the few IRIs that recur in every record (levels, jurisdictions, providers)."""
    return iri(value)


@lru_cache(maxsize=1024)
def language(tag: str) -> str:
    """`tag` if Oxigraph accepts it as a BCP 47 language tag, else ValueError with its reason:
    the text written here is parsed by Oxigraph, so a looser check would fail there instead."""
    try:
        ox.Literal("", language=tag)
    except ValueError as e:
        raise ValueError(f"'{tag}' is not a language tag ({e})") from None
    return tag


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal in N-Triples text (a plain string, typed with `datatype` or tagged with `lang`)."""
    text = value.translate(_ESCAPES) if _SPECIAL.search(value) else value
    if lang:
        return f'"{text}"@{language(lang)}'
    return f'"{text}"^^<{datatype}>' if datatype else f'"{text}"'


def node(value: str, writer: "Writer") -> str:
    """An IRI, or a "_:label" blank node of the record being written, as N-Triples text."""
    return writer.blank(value[2:]) if value.startswith("_:") else iri(value)


class Writer:
    """The lines of the record being written; a record's lines always travel in one chunk
    (Oxigraph gives each chunk's blank nodes fresh names as it loads it)."""

    def __init__(self, text: "QuadText"):
        self.text = text
        self.lines: list[str] = []
        self.source = literal(text.name)
        self._token = secrets.token_hex(6)
        self._fresh = 0
        self.ignored: dict[str, int] = {}  # framework terms whose statements were left out
        self._once: set[tuple[str, str, str]] = set()

    def add(self, s: str, p: str, o: str, g: str = DATA) -> None:
        if s.startswith(_FRAMEWORK) and self._framework_fact(s, p, o):
            return
        self.lines.append(f"{s} {p} {o} {g} .\n")

    def statements(self, s: str, pairs: list[tuple[str, str]]) -> None:
        """`add(s, p, o)` for each (p, o) of `pairs`, in the data graph."""
        if s.startswith(_FRAMEWORK):
            for p, o in pairs:
                self.add(s, p, o)
        else:
            self.lines.extend([f"{s} {p} {o} {DATA} .\n" for p, o in pairs])

    def once(self, s: str, p: str, o: str) -> None:
        """A statement that many records repeat (about a provider all its rows name), written
        the first time only: Oxigraph would index each copy before finding it a duplicate.
        Not for blank nodes, which name one node within a chunk only. Past ONCE distinct
        statements (a file of that many providers) copies are written again, memory bounded."""
        key = (s, p, o)
        if key not in self._once:
            if len(self._once) < ONCE:
                self._once.add(key)
            self.add(s, p, o)

    def blank(self, label: str | None = None) -> str:
        """A fresh blank node, or the one labelled `label` (as Oxigraph labelled it when it
        parsed the document the record was read from: the record's lines travel in the same
        chunk as the document's, so they name the same node)."""
        if label is None:
            self._fresh += 1
            return f"_:b{self._token}n{self._fresh}"
        if not _LABEL.match(label):
            raise ValueError(f"'_:{label}' is not a blank node label")
        return f"_:{label}"

    def credential(self, s: str, *, row: int | None = None, line: int | None = None) -> None:
        """The credential's type and where it was read (mc:sourceFile, mc:sourceRow/Line)."""
        self.add(s, _TYPE, _MICRO_CREDENTIAL)
        self.add(s, _SOURCE_FILE, self.source)
        if row is not None:
            self.add(s, _SOURCE_ROW, f'"{row}"^^<{ns.XSD}integer>')
        if line is not None:
            self.add(s, _SOURCE_LINE, f'"{line}"^^<{ns.XSD}integer>')
        if self.text.credentials is not None and s.startswith("<"):
            self.text.credentials.setdefault(s[1:-1], (row, line))

    def _framework_fact(self, s: str, p: str, o: str) -> bool:
        """A statement about a framework term the ontology does not make: left out, with a
        warning at the end of the file (mcmap.user_data says why)."""
        from ..user_data import is_new_framework_fact

        q = next(iter(ox.parse(input=f"{s} {p} {o} .\n", format=ox.RdfFormat.N_TRIPLES)))
        if not is_new_framework_fact(q.subject, q.predicate, q.object):
            return False
        self.ignored[s[1:-1]] = self.ignored.get(s[1:-1], 0) + 1
        return True


_TYPE = name(ns.RDF + "type")
_MICRO_CREDENTIAL = name(ns.MC + "MicroCredential")
_SOURCE_FILE = name(ns.MC + "sourceFile")
_SOURCE_ROW = name(ns.MC + "sourceRow")
_SOURCE_LINE = name(ns.MC + "sourceLine")


class QuadText:
    """What a non-RDF reader returns: `records(writer)`, a generator that writes one record's
    triples with `writer` and yields, then the next. Nothing is read until the loader asks.

    `name` is the file as findings cite it (the loader renames documents read from temporary
    files); `credentials`, set to a dict before reading, collects each credential's IRI and
    (row, line), for a load of several files to find one credential defined twice."""

    format = FORMAT

    def __init__(self, path: Path, records: Callable[[Writer], Iterator]):
        self.path = path
        self.name = str(path)
        self.credentials: dict | None = None
        self._records = records

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The text in chunks of whole records, each about `size` lines, UTF-8 encoded."""
        w = Writer(self)
        for _ in self._records(w):  # each record's lines end in the chunk they start in
            if len(w.lines) >= size:
                yield self._encode(w.lines)
                w.lines = []
        if w.lines:
            yield self._encode(w.lines)
        if w.ignored:
            from ..user_data import warn_ignored

            warn_ignored(self.name, w.ignored)

    def _encode(self, parts: list[str]) -> bytes:
        text = "".join(parts)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as e:
            bad = text[max(0, e.start - 30): e.start]
            raise InputError(self.name, "holds text that is not Unicode (an unpaired surrogate such "
                             f"as \\ud800, after '{bad.rsplit(chr(34), 1)[-1]}')") from None

    def quads(self) -> Iterator[ox.Quad]:
        """The same triples as pyoxigraph quads (small inputs, tests, remote stores)."""
        for chunk in self.chunks():
            yield from ox.parse(input=chunk, format=FORMAT)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads()

