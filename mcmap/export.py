"""Export credentials: RDF (JSON-LD with mcmap's context, Turtle, N-Triples, RDF/XML), mcmap
XML, and the credential standards (Open Badges 3.0, ELM, CTDL).

Files are read into a store as `mcmap load` reads them (`export_files`); a store folder is
opened read-only (`export_folder`); a store is written out from its user graphs
(`export_store`, reading through mcmap.exported) to a stream as the document is made. Turtle,
N-Triples and RDF/XML are written by Oxigraph's own serialisers from one query; JSON-LD a
subject at a time; the other formats a credential at a time. No list of the data's quads is
built in Python.
"""
from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError

FORMATS = ("jsonld", "ttl", "nt", "rdfxml", "xml", "ob3", "elm", "ctdl")

# mcid: is left out: its local names hold "/", which Turtle would escape.
_PREFIXES = {k: v for k, v in ns.PREFIXES.items() if k not in ("sh", "semapv", "owl", "mcid")}


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


def _check(to: str) -> None:
    if to not in FORMATS:
        raise UsageError(f"unknown export format '{to}' (known: {', '.join(FORMATS)})")


def export_quads(quads, to: str, *, mapped: bool = False, strict: bool = False) -> bytes:
    """Quads as mcmap reads them (the default graph taken as the data graph) in format `to`,
    through an in-memory store (see `export_store`)."""
    from .store import LocalStore

    _check(to)
    from .graphs import in_graph

    with LocalStore() as store:
        store.ox.extend(in_graph(quads, ns.GRAPH_DATA, keep_named=True))
        return export_store(store, to, mapped=mapped, strict=strict)


def export_files(paths, to: str, *, fmt: str | None = None, mapped: bool = False, strict: bool = False,
                 out=None) -> bytes | None:
    """The files (paths, or `(name, bytes)` documents) read into an in-memory store as `mcmap
    load` reads them, exported: written to the binary stream `out`, or returned."""
    from .load import load_files
    from .store import LocalStore

    _check(to)
    with LocalStore() as store:
        load_files(store, paths, fmt, count=False)
        return export_store(store, to, mapped=mapped, strict=strict, out=out)


def export_folder(folder, to: str, *, mapped: bool = False, strict: bool = False, out=None) -> bytes | None:
    """What the store folder `folder` (made by `mcmap load --store`) holds, exported as the
    files loaded into it would be; the folder is opened read-only."""
    from pathlib import Path

    from .store import LocalStore

    _check(to)
    path = Path(folder)
    if not path.is_dir():
        raise UsageError(f"{folder}: no such store folder (make one with mcmap load FILE... --store {folder})")
    if not (path / "CURRENT").is_file():
        raise UsageError(f"{folder}: not a store folder (make one with mcmap load FILE... --store {folder})")
    with LocalStore(path, read_only=True) as store:
        return export_store(store, to, mapped=mapped, strict=strict, out=out, name=str(folder))


def export_store(store, to: str, *, mapped: bool = False, strict: bool = False, out=None,
                 name: str | None = None) -> bytes | None:
    """The credentials of `store`'s user graphs (an embedded store) in format `to`: written to
    the binary stream `out` as they are made, or returned. The credential standards (ob3, elm,
    ctdl) warn about each credential that lacks something the standard requires; with `strict`
    they refuse instead, and then nothing is written."""
    import io

    _check(to)
    if not hasattr(store, "ox"):
        raise UsageError("export reads an embedded store or a store folder, not a SPARQL endpoint")
    from .exported import Reader

    reader = Reader(store)
    if not reader.has_data():
        where = f"{name}: the store" if name else "the store"
        raise UsageError(f"{where} holds no data to export (load some with mcmap load FILE... --store DIR)")
    if out is None or (strict and to in ("ob3", "elm", "ctdl")):
        # --strict refuses the whole document if one credential lacks something: made first.
        buffer = io.BytesIO()
        _write(reader, to, buffer, mapped=mapped, strict=strict)
        if out is None:
            return buffer.getvalue()
        out.write(buffer.getvalue())
        return None
    _write(reader, to, out, mapped=mapped, strict=strict)
    return None


def _write(reader, to: str, out, *, mapped: bool, strict: bool) -> None:
    if to in ("ttl", "nt", "rdfxml"):
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[to]
        triples = iter(reader.ox.query(_triples_query(reader)))
        if mapped:
            from itertools import chain

            triples = chain(triples, (q.triple for q in reader.correspondences()))
        ox.serialize(triples, output=out, format=fmt, prefixes=None if to == "nt" else _PREFIXES)
        return
    documents = reader.documents()
    if to == "jsonld":
        from .formats.jsonld_out import write_jsonld

        write_jsonld(_subject_triples(reader, {q.subject for q in documents}, mapped), out)
        return
    if to == "elm":
        from .formats.elm import write

        write(reader, out, mapped=mapped, strict=strict)
        return
    import importlib

    from .formats.record import Parts

    # Records, not quads: each credential's quads are read, made into a record and let go.
    parts = Parts.of_credentials(map(reader.quads_of, reader.subjects(credentials_only=True)),
                                 reader.related(mapped=mapped), documents)
    writer = importlib.import_module(f"mcmap.formats.{to}")
    writer.write(parts, out, mapped=mapped, strict=strict)


def _subject_triples(reader, documents: set, mapped: bool):
    """(subject, its triples) of every exported subject but the documents kept verbatim, in
    order; with `mapped`, the levels' correspondences are their levels' triples too."""
    extra: dict = {}
    for q in reader.correspondences() if mapped else ():
        extra.setdefault(q.subject, []).append(q.triple)
    subjects = reader.subjects(leave_out=documents)
    if extra:
        subjects = sorted(set(subjects) | set(extra), key=str)
    for s in subjects:
        yield s, [q.triple for q in reader.quads_of(s)] + extra.get(s, [])


def _triples_query(reader) -> str:
    """One query for the triples of the exported graphs, without read provenance or the
    documents kept verbatim (which only OB3 and CTDL carry). The documents are looked up first
    (a few nodes, or none) so that each triple is not tested against them."""
    from .exported import EXPORTED, PROVENANCE

    provenance = ", ".join(f"<{p}>" for p in sorted(PROVENANCE))
    graphs = reader.graphs
    if len(graphs) == 1 and isinstance(graphs[0], ox.NamedNode):   # read through the graph's own index
        where = f"GRAPH <{graphs[0].value}> {{ ?s ?p ?o }} FILTER(?p NOT IN ({provenance}))"
    else:
        where = f"GRAPH ?g {{ ?s ?p ?o }} {EXPORTED} FILTER(?p NOT IN ({provenance}))"
    documents = {str(q.subject) for q in reader.documents()}
    if documents:  # mcmap names them with IRIs (urn:mcmap:document:...)
        where += f" FILTER(?s NOT IN ({', '.join(sorted(documents))}))"
    # DISTINCT only where one triple can be stated in two graphs: it holds every triple
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT {'DISTINCT ' if len(graphs) > 1 else ''}?s ?p ?o WHERE {{ {where} }} }}"


from ._callable import make_callable  # noqa: E402  (last: the module is complete)

make_callable(__name__)
