"""RDF readers: Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, parsed by Oxigraph.

Each reader checks the file's text and returns an RdfSource. Triple-only formats (Turtle,
N-Triples, RDF/XML) are parsed by Oxigraph straight into the store's data graph (mcmap.load);
formats that can name graphs (N-Quads, TriG, JSON-LD) are parsed by Oxigraph into a private
in-memory store first (`staged`), checked there (`check_staged`: which graphs it names, its
typed literals, what it says about framework terms), and only then moved into the load, so no
quad reaches one of mcmap's own graphs. Either way no triple becomes a Python object on the
way: the checks ask the store for each graph name, distinct object and distinct subject once.
JSON-LD never reaches the network: known contexts are replaced by the copies shipped in
ontology/contexts/.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns, written
from ..errors import InputError
from ..graphs import in_graph
from ..rdf_source import RdfSource
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


def staged(source: RdfSource) -> ox.Store:
    """`source` parsed by Oxigraph into a private in-memory store, its triples (those in no
    named graph) in the data graph; each parse names the document's blank nodes afresh.
    Raises SyntaxError/ValueError/OSError as Oxigraph does."""
    stage = ox.Store()
    if not names_retyped(source):
        stage.load(**source.load_args())
        return stage
    # Oxigraph would store "12"^^xsd:byte as "12"^^xsd:integer: such literals are recorded as
    # written (mcmap.written), the document read quad by quad for them
    stage.extend(written.staged_records(in_graph(_parse(source), source.graph, keep_named=True)))
    return stage


def names_retyped(source: RdfSource) -> bool:
    """Whether a document's text names a datatype the store retypes (mcmap.written)."""
    if isinstance(source.data, Path):
        return written.file_names_retyped(source.data)
    return written.names_retyped(source.data)


class StageView:
    """A staged document as the checks after a load see a load: SELECTs over all its graphs."""

    def __init__(self, stage: ox.Store):
        self.stage = stage

    def select(self, sparql: str, graph=None, *, split_by: str | None = None):
        result = self.stage.query(sparql, use_default_graph_as_union=True)
        width = len(result.variables)
        return (tuple(row[i] for i in range(width)) for row in result)


def own_graphs(stage: ox.Store) -> list[str]:
    """The graphs of mcmap's own (ontology, reference data, shapes, mappings, reports) a staged
    document names: never user data. One look at each graph name, not at each quad."""
    return sorted(g.value for g in stage.named_graphs()
                  if isinstance(g, ox.NamedNode) and g.value.startswith(ns.GRAPH) and g != DATA_GRAPH)


def check_staged(path: Path, source: RdfSource, stage: ox.Store, strict: bool = True) -> None:
    """Refuse a staged document (InputError with its file and line) that holds no triple,
    writes into mcmap's own graphs or, if `strict`, holds a typed literal the strict value
    reader refuses."""
    if not len(stage):
        raise InputError(str(path), f"contains no {source.format.name} triples")
    own = own_graphs(stage)
    if own:
        raise InputError(str(path), f"writes into mcmap's own graph <{own[0]}>; a submission may only "
                         "use the data graph or graphs of its own", line=first_line_with(path, own[0]))
    if strict:
        # "300"^^xsd:byte reads back as a valid "300"^^xsd:integer: its record says otherwise
        bad = literal_problems(StageView(stage), None) or written.ill_formed(stage)
        if bad is not None:
            raise literal_error(path, *bad)


def staged_credentials(stage: ox.Store) -> list:
    """The credentials (rdf:type mc:MicroCredential, in any graph) of a staged document."""
    return [row[0] for row in stage.query(f"SELECT DISTINCT ?c WHERE {{ ?c a <{ns.MC}MicroCredential> }}",
                                          use_default_graph_as_union=True)]


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
    watch = getattr(load, "watch", None)
    if watch is not None and watch.covers(graph):  # a load into an endpoint saw each as it wrote it
        return watch.bad_literal
    for (o,) in load.select(OBJECTS, graph, split_by="o"):
        if isinstance(o, ox.Literal) and o.datatype != _XSD_STRING and o.datatype.value.startswith(values.XSD_PREFIX):
            problem = values.literal_problem(o.datatype.value, o.value)
            if problem:
                s, p = next(iter(load.select(f"SELECT ?s ?p WHERE {{ ?s ?p {o} }} LIMIT 1", graph)))
                return ox.Quad(s, p, o), problem
    return None


def _short(iri: str) -> str:
    return "mc:" + iri[len(ns.MC):] if iri.startswith(ns.MC) else f"<{iri}>"


def checked_stage(path: Path, source: RdfSource, stage: ox.Store | None = None, strict: bool = True) -> ox.Store:
    """`source` parsed into a private store (or `stage`, if already parsed there) and checked
    (`check_staged`), parse errors given as one-line InputErrors."""
    try:
        stage = staged(source) if stage is None else stage
        check_staged(path, source, stage, strict)
    except (SyntaxError, ValueError, OSError) as e:
        raise syntax_error(path, source, e) from None
    return stage


def materialise(path: Path, source: RdfSource) -> list:
    """The quads of `source` as a list, with every credential's file and line (small inputs)."""
    quads = list(written.without_records(checked_stage(path, source)))
    text = read_text(path, "RDF")
    prefixes = _jsonld_prefixes(path, text) if source.format == ox.RdfFormat.JSON_LD else None
    return with_provenance(quads, str(path), text, prefixes)


def write_document(path: Path, source: RdfSource, out, stage: ox.Store | None = None) -> None:
    """The document's own quads, written with `out` (an nquads.Writer) as one piece of N-Quads
    text that Oxigraph made, each credential with its file and line: what the JSON credential
    readers keep of the file beside their records. The document is parsed into a private store
    and checked there; a reader whose records name the document's blank nodes passes the
    `stage` it read them from (a second parse would name them afresh). Statements about
    framework terms the ontology does not make are left out, with a warning (mcmap.user_data)."""
    from ..user_data import framework_statements, is_new_framework_fact

    stage = checked_stage(path, source, stage)
    for s, p, o in framework_statements(StageView(stage), None):
        if is_new_framework_fact(s, p, o):
            for q in list(stage.quads_for_pattern(s, p, o)):
                stage.remove(q)
            out.ignored[s.value] = out.ignored.get(s.value, 0) + 1
    out.lines.append(written.published(stage.dump(format=ox.RdfFormat.N_QUADS)).decode("utf-8"))
    credentials = staged_credentials(stage)
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
