"""Give each credential read from a file the place it came from, so findings can cite it."""
from __future__ import annotations

import re

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


def subject_lines(text: str, iris: list[str]) -> dict[str, int]:
    """The first line on which each IRI is written as a subject or an @id, in Turtle-like or JSON
    text. Parsers do not report positions of triples, so this reads the text once more."""
    prefixes = {p: base for p, base in _PREFIX.findall(text)}
    lines = text.splitlines()
    found: dict[str, int] = {}
    for iri in iris:
        tokens = [f"<{iri}>", f'"{iri}"']
        tokens += [f"{p}:{iri[len(base):]}" for p, base in prefixes.items() if base and iri.startswith(base)]
        for number, content in enumerate(lines, start=1):
            stripped = content.lstrip()
            if any(stripped.startswith(t) for t in tokens[:1] + tokens[2:]) or \
                    re.search(r'"(?:@id|id)"\s*:\s*' + re.escape(tokens[1]), content):
                found[iri] = number
                break
    return found


def with_provenance(quads: list, source: str, text: str | None) -> list:
    """Add mc:sourceFile (and mc:sourceLine where it can be found) to every credential."""
    credentials = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == MICRO_CREDENTIAL}
    lines = subject_lines(text, [c.value for c in credentials if isinstance(c, ox.NamedNode)]) if text else {}
    extra = []
    for c in credentials:
        extra += source_quads(c, source, line=lines.get(c.value) if isinstance(c, ox.NamedNode) else None)
    return quads + extra
