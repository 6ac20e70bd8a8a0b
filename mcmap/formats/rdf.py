"""RDF readers: Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, parsed by Oxigraph.

Each reader checks the file's text and returns an RdfSource. Triple-only formats (Turtle,
N-Triples, RDF/XML) are parsed by Oxigraph straight into the store's data graph (mcmap.load),
so no triple becomes a Python object on the way; formats that can name graphs (N-Quads, TriG,
JSON-LD) are streamed quad by quad so that no quad reaches one of mcmap's own graphs. Typed
literals are checked by the strict value reader either way (`literal_problems`). JSON-LD never
reaches the network: known contexts are replaced by the copies shipped in ontology/contexts/.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import InputError
from ..staging import RdfSource
from . import check_text, read_bytes, read_text, values
from .provenance import DATA_GRAPH, first_line_with, subject_lines, with_provenance

QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD)


def _source(path: Path, data, fmt: ox.RdfFormat, **kwargs) -> RdfSource:
    return RdfSource(data, fmt, base_iri=path.resolve().as_uri(), graph=ns.GRAPH_DATA, **kwargs)


def syntax_error(path: Path, source: RdfSource, e: Exception) -> InputError:
    """The one-line error for an Oxigraph parse failure of `source`."""
    name = source.format.name
    if isinstance(e, SyntaxError):
        message = str(e.msg if getattr(e, "msg", None) else e)
        # Positions in a re-serialised document (inlined JSON-LD contexts) would mislead.
        line = e.lineno if isinstance(e.lineno, int) and source.lines_meaningful else None
        return InputError(str(path), f"{name} syntax error: {message}", line=line)
    return InputError(str(path), f"cannot read as {name}: {e}")


def _parse(source: RdfSource):
    return ox.parse(format=source.format, base_iri=source.base_iri, rename_blank_nodes=True, **source.where())


def first_quad(source: RdfSource):
    """The document's first quad, or None if it has none (the parser stops there)."""
    return next(iter(_parse(source)), None)


def checked_quads(path: Path, source: RdfSource, strict: bool = True, parsed=None) -> Iterator[ox.Quad]:
    """The document's quads one by one (`parsed`, if the caller has parsed it already), triples
    in the data graph, each literal checked (unless not `strict`) and no quad in mcmap's own
    graphs. Parse errors are raised as Oxigraph raises them."""
    graph = ox.NamedNode(source.graph)
    for q in _parse(source) if parsed is None else parsed:
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph):
            q = ox.Quad(q.subject, q.predicate, q.object, graph)
        elif isinstance(g, ox.NamedNode) and g.value.startswith(ns.GRAPH) and g != DATA_GRAPH:
            # mcmap's own graphs (ontology, reference data, shapes, mappings, reports) are never user data.
            raise InputError(str(path), f"writes into mcmap's own graph <{g.value}>; a submission may only "
                             "use the data graph or graphs of its own")
        o = q.object
        if strict and isinstance(o, ox.Literal) and o.datatype.value.startswith(values.XSD_PREFIX):
            problem = values.literal_problem(o.datatype.value, o.value)
            if problem:
                raise literal_error(path, q, problem)
        yield q


def literal_error(path: Path, quad, problem: str) -> InputError:
    """Refuse an ill-formed typed literal ("1e3"^^xsd:decimal, "2022-02-30"^^xsd:date): stored,
    it would make every rule about it silently not fire. The line is found in the file's text."""
    line = first_line_with(path, quad.object.value)
    return InputError(str(path), f"{_short(quad.predicate.value)} of {_short(quad.subject.value)}: {problem}",
                      line=line)


# Each distinct object once: filtering them in Python is several times faster than asking
# Oxigraph to test every triple's datatype as text, and each value is checked once however
# many triples repeat it.
OBJECTS = "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"
_XSD_STRING = ox.NamedNode(values.XSD_PREFIX + "string")


def literal_problems(load, graph: str) -> tuple | None:
    """The first (quad, problem) whose typed literal (XSD datatype) the strict value reader
    refuses, among what `load` wrote to `graph`; None if every one reads."""
    for (o,) in load.select(OBJECTS, graph, split_by="o"):
        if isinstance(o, ox.Literal) and o.datatype != _XSD_STRING and o.datatype.value.startswith(values.XSD_PREFIX):
            problem = values.literal_problem(o.datatype.value, o.value)
            if problem:
                s, p = next(iter(load.select(f"SELECT ?s ?p WHERE {{ ?s ?p {o} }} LIMIT 1", graph)))
                return ox.Quad(s, p, o), problem
    return None


def _short(iri: str) -> str:
    return "mc:" + iri[len(ns.MC):] if iri.startswith(ns.MC) else f"<{iri}>"


def materialise(path: Path, source: RdfSource) -> list:
    """The quads of `source` as a list, with every credential's file and line (small inputs)."""
    try:
        quads = list(checked_quads(path, source))
    except (SyntaxError, ValueError, OSError) as e:
        raise syntax_error(path, source, e) from None
    if not quads:
        raise InputError(str(path), f"contains no {source.format.name} triples")
    text = read_text(path, "RDF")
    prefixes = _jsonld_prefixes(path, text) if source.format == ox.RdfFormat.JSON_LD else None
    return with_provenance(quads, str(path), text, prefixes)


def write_document(path: Path, source: RdfSource, out, parsed=None) -> None:
    """The document's own quads (checked as `checked_quads` does), written with `out` (an
    nquads.Writer), each credential with its file and line: what the JSON credential readers
    keep of the file beside their records. A reader whose records name the document's blank
    nodes passes the quads it parsed them from: a second parse would name them afresh."""
    from .nquads import DATA
    from .provenance import MICRO_CREDENTIAL, RDF_TYPE

    credentials: dict = {}
    try:
        for q in checked_quads(path, source, parsed=parsed):
            g = q.graph_name
            out.add(str(q.subject), str(q.predicate), str(q.object), DATA if g == DATA_GRAPH else str(g))
            if q.predicate == RDF_TYPE and q.object == MICRO_CREDENTIAL:
                credentials[q.subject] = None
    except (SyntaxError, ValueError, OSError) as e:
        raise syntax_error(path, source, e) from None
    if not out.lines:
        raise InputError(str(path), f"contains no {source.format.name} triples")
    text = read_text(path, "RDF")
    named = [c.value for c in credentials if isinstance(c, ox.NamedNode)]
    lines = subject_lines(text, named, _jsonld_prefixes(path, text)) if named else {}
    for c in credentials:
        out.credential(str(c), line=lines.get(c.value) if isinstance(c, ox.NamedNode) else None)


def _jsonld_prefixes(path: Path, text: str) -> dict[str, str] | None:
    from .contexts import inline_contexts

    try:
        return _context_prefixes(inline_contexts(json.loads(text), str(path)))
    except (ValueError, InputError):
        return None


def source_lines(path: Path, iris: list[str]) -> dict[str, int]:
    """The line each credential IRI is first written on in an RDF file (empty if unreadable):
    looked up when a report needs it, for the credentials that have findings. Files other than
    JSON-LD are read line by line, so a file of any size is never held."""
    try:
        if path.suffix.lower() in (".jsonld", ".json"):
            text = read_text(path, "RDF")
            return subject_lines(text, iris, _jsonld_prefixes(path, text))
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            return subject_lines(f, iris)
    except (InputError, OSError):
        return {}


def _checked_file(path: Path, fmt: ox.RdfFormat) -> RdfSource:
    """The file checked a piece at a time, for Oxigraph to read from its path: never held."""
    return _source(path, path, fmt, skip=3 if check_text(path, "RDF") else 0)


def read_turtle(path: Path) -> RdfSource:
    return _checked_file(path, ox.RdfFormat.TURTLE)


def read_ntriples(path: Path) -> RdfSource:
    return _checked_file(path, ox.RdfFormat.N_TRIPLES)


def read_nquads(path: Path) -> RdfSource:
    return _checked_file(path, ox.RdfFormat.N_QUADS)


def read_trig(path: Path) -> RdfSource:
    return _checked_file(path, ox.RdfFormat.TRIG)


def read_rdfxml(path: Path) -> RdfSource:
    data = read_bytes(path, "RDF")
    # Oxigraph's RDF/XML parser does not expand entities; refuse DTDs outright so no entity
    # declaration (XXE, billion laughs) is even looked at.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(str(path), "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entities are never expanded)")
    return _source(path, data, ox.RdfFormat.RDF_XML)


def parse_json(path: Path) -> tuple[str, object]:
    text = read_text(path, "RDF")
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"JSON syntax error: {e.msg} (column {e.colno})", line=e.lineno) from None


def read_jsonld(path: Path) -> RdfSource:
    text, doc = parse_json(path)
    from .contexts import inline_contexts

    inlined = inline_contexts(doc, str(path))
    return _source(path, json.dumps(inlined).encode("utf-8"), ox.RdfFormat.JSON_LD, lines_meaningful=False)


def _context_prefixes(doc) -> dict[str, str]:
    """Prefix definitions of a document's top-level context(s): term -> IRI ending in / or #."""
    ctx = doc.get("@context") if isinstance(doc, dict) else None
    found: dict[str, str] = {}
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if isinstance(c, dict):
            for term, value in c.items():
                iri = value.get("@id") if isinstance(value, dict) else value
                if isinstance(iri, str) and iri.endswith(("/", "#")) and not term.startswith("@"):
                    found[term] = iri
    return found
