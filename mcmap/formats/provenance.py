"""Give each credential read from a file the place it came from, so findings can cite it."""
from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from .. import namespaces as ns

MICRO_CREDENTIAL = ox.NamedNode(ns.MC + "MicroCredential")
RDF_TYPE = ox.NamedNode(ns.RDF + "type")
SOURCE_FILE = ox.NamedNode(ns.MC + "sourceFile")
SOURCE_ROW = ox.NamedNode(ns.MC + "sourceRow")
SOURCE_LINE = ox.NamedNode(ns.MC + "sourceLine")
DATA_GRAPH = ox.NamedNode(ns.GRAPH_DATA)

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def source_quads(subject, source: str, *, row: int | None = None, line: int | None = None) -> list:
    quads = [ox.Quad(subject, SOURCE_FILE, ox.Literal(source), DATA_GRAPH)]
    if row is not None:
        quads.append(ox.Quad(subject, SOURCE_ROW, ox.Literal(str(row), datatype=ox.NamedNode(ns.XSD + "integer")), DATA_GRAPH))
    if line is not None:
        quads.append(ox.Quad(subject, SOURCE_LINE, ox.Literal(str(line), datatype=ox.NamedNode(ns.XSD + "integer")), DATA_GRAPH))
    return quads


_ID_VALUE = re.compile(r'"(?:@id|id)"\s*:\s*"([^"]+)"')


def id_lines(text: str) -> dict[str, int]:
    """The first line on which each JSON "id"/"@id" value appears, in one pass over the text."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for iri in _ID_VALUE.findall(line):
            found.setdefault(iri, number)
    return found


def subject_lines(text: str | Iterable[str], iris: list[str], prefixes: dict[str, str] | None = None) -> dict[str, int]:
    """The first line on which each IRI is written as a subject (Turtle-like text) or an @id
    (JSON-LD, full or compacted with `prefixes`). Parsers do not report where a triple was, so
    the text is read once more, in one pass whatever the number of credentials: `text` is the
    text or its lines (an open file: a file of any size is read line by line, never held)."""
    wanted = set(iris)
    subjects = {f"<{iri}>": iri for iri in iris}

    def declare(prefix: str, base: str) -> None:
        if base:
            for iri in iris:
                if iri.startswith(base):
                    subjects.setdefault(f"{prefix}:{iri[len(base):]}", iri)

    for prefix, base in (prefixes or {}).items():
        declare(prefix, base)
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines() if isinstance(text, str) else text, start=1):
        declared = _PREFIX.match(line)
        if declared:
            declare(*declared.groups())
        if 'id"' in line:
            for value in _ID_VALUE.findall(line):
                iri = value if value in wanted else subjects.get(value)
                if iri is not None:
                    found.setdefault(iri, number)
        words = line.split(None, 1)
        iri = subjects.get(words[0]) if words else None
        if iri is not None:
            found.setdefault(iri, number)
    return found


def first_line_with(path, needle: str) -> int | None:
    """The first line of the file holding `needle`, read line by line (for an error's place)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                if needle in line:
                    return number
    except OSError:
        pass
    return None


def with_provenance(quads: list, source: str, text: str | None, prefixes: dict[str, str] | None = None) -> list:
    """Add mc:sourceFile (and mc:sourceLine where it can be found) to every credential."""
    credentials = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == MICRO_CREDENTIAL}
    named = [c.value for c in credentials if isinstance(c, ox.NamedNode)]
    lines = subject_lines(text, named, prefixes) if text else {}
    extra = []
    for c in credentials:
        extra += source_quads(c, source, line=lines.get(c.value) if isinstance(c, ox.NamedNode) else None)
    return quads + extra
