"""RDF readers: Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, parsed by Oxigraph.

Triples land in the data graph; quads keep their own named graph. JSON-LD never reaches the
network: known contexts are replaced by the copies shipped in ontology/contexts/.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import InputError
from . import read_text, values
from .provenance import DATA_GRAPH, with_provenance


def _parse(path: Path, text: str, fmt: ox.RdfFormat, *, line_text: str | None = None,
           prefixes: dict[str, str] | None = None) -> list:
    """Parse `text`; credentials' lines are looked up in `line_text` (default: `text`)."""
    try:
        parsed = list(ox.parse(text.encode("utf-8"), fmt, base_iri=path.resolve().as_uri(),
                               rename_blank_nodes=True))
    except SyntaxError as e:
        message = str(e.msg if hasattr(e, "msg") and e.msg else e)
        # Positions in a re-serialised document (inlined JSON-LD contexts) would mislead.
        line = e.lineno if isinstance(e.lineno, int) and line_text is None else None
        raise InputError(str(path), f"{fmt.name} syntax error: {message}", line=line) from None
    except (ValueError, OSError) as e:
        raise InputError(str(path), f"cannot read as {fmt.name}: {e}") from None
    if not parsed:
        raise InputError(str(path), f"contains no {fmt.name} triples")
    _refuse_own_graphs(path, parsed, line_text if line_text is not None else text)
    _check_literals(path, parsed, line_text if line_text is not None else text)
    quads = [q if not isinstance(q.graph_name, ox.DefaultGraph)
             else ox.Quad(q.subject, q.predicate, q.object, DATA_GRAPH) for q in parsed]
    return with_provenance(quads, str(path), line_text if line_text is not None else text, prefixes)


def _refuse_own_graphs(path: Path, quads: list, text: str) -> None:
    """A user file may name graphs of its own, but never one of mcmap's (the ontology, shapes,
    mappings, reports...): triples there would pass for shipped framework facts."""
    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.NamedNode) and g.value.startswith(ns.GRAPH) and g.value != ns.GRAPH_DATA:
            at = text.find(g.value)
            raise InputError(str(path), f"writes into the graph <{g.value}>, which is mcmap's own; "
                             "a file's named graphs must have IRIs of their own",
                             line=text.count("\n", 0, at) + 1 if at >= 0 else None)


def _check_literals(path: Path, quads, text: str) -> None:
    """Refuse an ill-formed typed literal ("1e3"^^xsd:decimal, "2022-02-30"^^xsd:date): stored,
    it would make every rule about it silently not fire."""
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal) and o.datatype.value.startswith(values.XSD_PREFIX):
            problem = values.literal_problem(o.datatype.value, o.value)
            if problem:
                at = text.find(o.value)
                line = text.count("\n", 0, at) + 1 if at >= 0 else None
                raise InputError(str(path), f"{_short(q.predicate.value)} of {_short(q.subject.value)}: {problem}",
                                 line=line)


def _short(iri: str) -> str:
    from .. import namespaces as ns

    return "mc:" + iri[len(ns.MC):] if iri.startswith(ns.MC) else f"<{iri}>"


def read_turtle(path: Path) -> list:
    return _parse(path, read_text(path, "RDF"), ox.RdfFormat.TURTLE)


def read_ntriples(path: Path) -> list:
    return _parse(path, read_text(path, "RDF"), ox.RdfFormat.N_TRIPLES)


def read_nquads(path: Path) -> list:
    return _parse(path, read_text(path, "RDF"), ox.RdfFormat.N_QUADS)


def read_trig(path: Path) -> list:
    return _parse(path, read_text(path, "RDF"), ox.RdfFormat.TRIG)


def read_rdfxml(path: Path) -> list:
    text = read_text(path, "RDF")
    # Oxigraph's RDF/XML parser does not expand entities; refuse DTDs outright so no entity
    # declaration (XXE, billion laughs) is even looked at.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InputError(str(path), "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entities are never expanded)")
    return _parse(path, text, ox.RdfFormat.RDF_XML)


def parse_json(path: Path) -> tuple[str, object]:
    text = read_text(path, "RDF")
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"JSON syntax error: {e.msg} (column {e.colno})", line=e.lineno) from None


def read_jsonld(path: Path) -> list:
    text, doc = parse_json(path)
    from .contexts import inline_contexts

    inlined = inline_contexts(doc, str(path))
    # Lines are looked up in the user's own text, where ids may be compacted with the context's prefixes.
    return _parse(path, json.dumps(inlined), ox.RdfFormat.JSON_LD, line_text=text,
                  prefixes=_context_prefixes(inlined))


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
