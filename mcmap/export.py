"""Export credentials read from files: RDF (JSON-LD with mcmap's context, Turtle, N-Triples,
RDF/XML), mcmap XML, and the credential standards (Open Badges 3.0, ELM, CTDL).

Files are read into a store as `mcmap load` reads them (`export_files`), and a store is written
out from its user graphs (`export_store`): Turtle, N-Triples and RDF/XML by Oxigraph's own
serialisers from one query, so no list of the data's triples is built in Python.

The provenance mcmap adds when reading (mc:sourceFile, mc:sourceLine, mc:sourceRow) describes
the file that was read, not the exported document, so it is left out.
"""
from __future__ import annotations

import json

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError

FORMATS = ("jsonld", "ttl", "nt", "rdfxml", "xml", "ob3", "elm", "ctdl")

_PROVENANCE = {ns.MC + "sourceFile", ns.MC + "sourceRow", ns.MC + "sourceLine"}
# Documents kept verbatim (mcmap.formats.jsondoc) travel only to the standard they are written in.
_DOCUMENTS = {ns.MC + "documentText", ns.MC + "documentFormat", ns.MC + "describes"}
# mcid: is left out: its local names hold "/", which Turtle would escape.
_PREFIXES = {k: v for k, v in ns.PREFIXES.items() if k not in ("sh", "semapv", "owl", "mcid")}


def exported_quads(quads, *, mapped: bool = False) -> list:
    """The quads an export carries: the data read (the data graph and any named graph a document
    brought, such as a credential's proof graph) without read provenance, and with `mapped` the
    mappings graph plus the level correspondences of the levels the credentials use."""
    mappings = ox.NamedNode(ns.GRAPH_MAPPINGS)
    system = {ox.NamedNode(g) for g in (ns.GRAPH_ONTOLOGY, ns.GRAPH_SHAPES, ns.GRAPH_INFERRED,
                                        ns.GRAPH_REPORTS, ns.GRAPH_MAPPINGS)}
    keep = [q for q in quads if q.graph_name not in system and q.predicate.value not in _PROVENANCE]
    if mapped:
        keep += [q for q in quads if q.graph_name == mappings]
        keep += level_correspondences(keep)
    return keep


def level_correspondences(quads) -> list:
    """`level skos:*Match other-level` for every level the credentials use, from the level
    correspondence tables shipped in mappings/ (every *.sssom.tsv that is not a crosswalk)."""
    return correspondences_of({q.object.value for q in quads if q.predicate.value == ns.MC + "level"})


def correspondences_of(levels: set[str]) -> list:
    """The shipped level correspondences (in the mappings graph) of the given level IRIs."""
    from .formats.crosswalk import read_sssom
    from .formats.sssom import shipped_mapping_files

    if not levels:
        return []
    out, graph = [], ox.NamedNode(ns.GRAPH_MAPPINGS)
    for path in shipped_mapping_files():
        for m in read_sssom(path):
            if m.subject_id in levels:
                out.append(ox.Quad(ox.NamedNode(m.subject_id), ox.NamedNode(m.predicate_id),
                                   ox.NamedNode(m.object_id), graph))
    return out


def export_quads(quads, to: str, *, mapped: bool = False, strict: bool = False) -> bytes:
    """The document in format `to`. The credential standards (ob3, elm, ctdl) warn about each
    credential that lacks something the standard requires; with `strict` they refuse instead."""
    if to not in FORMATS:
        raise UsageError(f"unknown export format '{to}' (known: {', '.join(FORMATS)})")
    quads = exported_quads(quads, mapped=mapped)
    if to not in ("ob3", "ctdl"):
        documents = {q.subject for q in quads if q.predicate.value in _DOCUMENTS}
        quads = [q for q in quads if q.subject not in documents]
    if to in ("ttl", "nt", "rdfxml"):
        # Sorted so each subject's triples are written together and output is stable.
        triples = sorted(set(q.triple for q in quads), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[to]
        return ox.serialize(triples, format=fmt, prefixes=None if to == "nt" else _PREFIXES)
    if to == "jsonld":  # the writer groups by subject and orders nodes, keys and values itself
        from .formats.jsonld_out import to_jsonld
        return to_jsonld(set(q.triple for q in quads)).encode("utf-8")
    return _write(quads, to, mapped=mapped, strict=strict)


def _write(quads, to: str, *, mapped: bool, strict: bool) -> bytes:
    """The credential formats' writers; xml, ob3 and ctdl also take the writers' Parts."""
    if to == "xml":
        from .formats.xml import write_xml
        return write_xml(quads, mapped=mapped)
    import importlib
    writer = importlib.import_module(f"mcmap.formats.{to}")
    return writer.write(quads, mapped=mapped, strict=strict)


def export_files(paths, to: str, *, fmt: str | None = None, mapped: bool = False, strict: bool = False) -> bytes:
    """The files (paths, or `(name, bytes)` documents) read into an in-memory store, exported."""
    from .load import load_files
    from .store import LocalStore

    if to not in FORMATS:
        raise UsageError(f"unknown export format '{to}' (known: {', '.join(FORMATS)})")
    with LocalStore() as store:
        load_files(store, paths, fmt, count=False)
        return export_store(store, to, mapped=mapped, strict=strict)


# The graphs an export reads: the data graph and graphs a document brought (a proof graph, which
# may be a blank node); not mcmap's reference graphs nor what it derived (inferred, reports).
_EXPORTED = (f"FILTER(isBlank(?g) || ?g = <{ns.GRAPH_DATA}> || !STRSTARTS(STR(?g), \"{ns.GRAPH}\"))")


def _triples_query(store) -> str:
    """One query for the triples of the exported graphs, without read provenance or the
    documents kept verbatim (which only OB3 and CTDL carry). The documents are looked up first
    (a few nodes, or none) so that each triple is not tested against them."""
    provenance = ", ".join(f"<{p}>" for p in sorted(_PROVENANCE))
    where = f"GRAPH ?g {{ ?s ?p ?o }} {_EXPORTED} FILTER(?p NOT IN ({provenance}))"
    kept = ", ".join(f"<{p}>" for p in sorted(_DOCUMENTS))
    documents = {str(s) for (s,) in store.ox.query(
        f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_EXPORTED} FILTER(?p IN ({kept})) }}")}
    if documents:  # mcmap names them with IRIs (urn:mcmap:document:...)
        where += f" FILTER(?s NOT IN ({', '.join(sorted(documents))}))"
    graphs = [g for g in store.ox.named_graphs() if isinstance(g, ox.BlankNode) or g.value == ns.GRAPH_DATA
              or not g.value.startswith(ns.GRAPH)]
    # DISTINCT only where one triple can be stated in two graphs: it holds every triple
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT {'DISTINCT ' if len(graphs) > 1 else ''}?s ?p ?o WHERE {{ {where} }} }}"


def _exported_rows(store, *, by_subject: bool = False):
    """(s, p, o, g) of `store`'s exported graphs, without read provenance; with `by_subject`,
    sorted by subject."""
    provenance = ", ".join(f"<{p}>" for p in sorted(_PROVENANCE))
    return store.ox.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_EXPORTED} "
                          f"FILTER(?p NOT IN ({provenance})) }}" + (" ORDER BY ?s" if by_subject else ""))


def store_quads(store):
    """The quads of `store`'s exported graphs, without read provenance (a generator)."""
    for s, p, o, g in _exported_rows(store):
        yield ox.Quad(s, p, o, g)


def subject_groups(store):
    """Each subject's exported quads whole, one subject after another: a writer of records
    holds one subject's quads at a time. The store sorts them by subject, in Rust (an in-memory
    store's own order does not keep a subject's quads together)."""
    group, current = [], None
    for s, p, o, g in _exported_rows(store, by_subject=True):
        if s != current and group:
            yield group
            group = []
        current = s
        group.append(ox.Quad(s, p, o, g))
    if group:
        yield group


def related_quads(store, *, mapped: bool) -> dict:
    """The quads of each provider and level a credential names (a record carries its provider's
    name and regulator, and with `mapped` its level's correspondences), by subject."""
    out: dict = {}
    for s, p, o, g in store.ox.query(
            f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ GRAPH ?cg {{ ?c ?link ?s }} "
            f"FILTER(?link IN (<{ns.MC}provider>, <{ns.MC}level>)) GRAPH ?g {{ ?s ?p ?o }} {_EXPORTED} }}"):
        out.setdefault(s, []).append(ox.Quad(s, p, o, g))
    for q in _store_correspondences(store) if mapped else ():
        out.setdefault(q.subject, []).append(q)
    return out


def _store_correspondences(store) -> list:
    levels = {r[0].value for r in store.ox.query(
        f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?c <{ns.MC}level> ?l }} {_EXPORTED} }}")}
    return correspondences_of(levels)


def export_store(store, to: str, *, mapped: bool = False, strict: bool = False) -> bytes:
    """The credentials of `store`'s user graphs in format `to` (see `export_quads`)."""
    if to not in FORMATS:
        raise UsageError(f"unknown export format '{to}' (known: {', '.join(FORMATS)})")
    if to in ("ttl", "nt", "rdfxml"):
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[to]
        triples = iter(store.ox.query(_triples_query(store)))
        if mapped:
            from itertools import chain

            triples = chain(triples, (q.triple for q in _store_correspondences(store)))
        return ox.serialize(triples, format=fmt, prefixes=None if to == "nt" else _PREFIXES)
    if to in ("xml", "ob3", "ctdl"):
        from .formats.record import Parts

        # Records, not quads: each subject's quads are read, made into a record and let go.
        return _write(Parts.of_subjects(subject_groups(store), related_quads(store, mapped=mapped)), to,
                      mapped=mapped, strict=strict)
    return export_quads(store_quads(store), to, mapped=mapped, strict=strict)


from ._callable import make_callable  # noqa: E402  (last: the module is complete)

make_callable(__name__)
