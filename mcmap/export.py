"""Export credentials read from files: RDF (JSON-LD with mcmap's context, Turtle, N-Triples,
RDF/XML), mcmap XML, and the credential standards (Open Badges 3.0, ELM, CTDL).

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
                                        ns.GRAPH_REPORTS, ns.GRAPH_MAPPINGS, ns.GRAPH_WRITTEN)}
    keep = [q for q in quads if q.graph_name not in system and q.predicate.value not in _PROVENANCE]
    if mapped:
        keep += [q for q in quads if q.graph_name == mappings]
        keep += level_correspondences(keep)
    return keep


def level_correspondences(quads) -> list:
    """`level skos:*Match other-level` for every level the credentials use, from the level
    correspondence tables shipped in mappings/ (every *.sssom.tsv that is not a crosswalk)."""
    from .formats.crosswalk import read_sssom
    from .formats.sssom import shipped_mapping_files

    levels = {q.object.value for q in quads if q.predicate.value == ns.MC + "level"}
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
    if to == "xml":
        from .formats.xml import write_xml
        return write_xml(quads, mapped=mapped)
    module = {"ob3": "ob3", "elm": "elm", "ctdl": "ctdl"}[to]
    import importlib
    writer = importlib.import_module(f"mcmap.formats.{module}")
    return writer.write(quads, mapped=mapped, strict=strict)


def export_files(paths, to: str, *, fmt: str | None = None, mapped: bool = False, strict: bool = False) -> bytes:
    from .formats import read_files

    if to not in FORMATS:
        raise UsageError(f"unknown export format '{to}' (known: {', '.join(FORMATS)})")
    return export_quads(read_files(paths, fmt), to, mapped=mapped, strict=strict)


from ._callable import make_callable  # noqa: E402  (last: the module is complete)

make_callable(__name__)
