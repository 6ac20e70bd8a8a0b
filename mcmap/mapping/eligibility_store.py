"""Eligibility checked where the credentials are, never through a copy of the data in Python.

The converted records live in a work graph: the data graph's triples with each credential's
jurisdiction, level and volume replaced by the converted ones. The target's rules run over that
graph, and only the findings and the few facts needed to read them come back.

- A remote store (`map --endpoint`) holds the work graph itself: the data graph is copied into
  it by one update inside the store, the converted values are written in batches, and the graph
  is dropped afterwards. The data graph is never downloaded.
- An embedded store gets a scratch Oxigraph store beside it (in memory, or a temporary folder
  for a store folder), filled by Oxigraph quad by quad, in chunks, and thrown away afterwards:
  the user's folder is not written to, and no single transaction has to hold a copy of the data.
"""
from __future__ import annotations

import contextlib
import tempfile
import uuid

import pyoxigraph as ox

from .. import namespaces as ns
from .eligibility import REPLACED, Converted, Verdict, converted_quads, verdicts_from

WORK = ns.GRAPH + "mapping-work/"
_CHUNK = 100_000  # quads per write into the scratch store


def check_in_store(store, records: list[Converted], rule_set: str, as_of=None) -> dict[str, Verdict]:
    """Run `rule_set` over the converted records; a Verdict per credential IRI."""
    from ..validate import REFERENCE_GRAPHS, validate

    with _work_graph(store, records) as (where, work):
        report = validate(where, rule_set, as_of=as_of, data_graphs=[work, *REFERENCE_GRAPHS])
        iris = {r.iri for r in records}
        others = {_iri(r.focus_node) for r in report.results} - iris - {None}
        paths = {_iri(r.result_path) for r in report.results} - {None}
        return verdicts_from(report, records, _owners(store, others, iris), _stated(where, work, paths))


@contextlib.contextmanager
def _work_graph(store, records: list[Converted]):
    """(the store to validate in, the work graph's name), removed when the block ends."""
    from ..store import LocalStore

    work = f"{WORK}{uuid.uuid4().hex}"
    if not isinstance(store, LocalStore):
        try:
            _copy_in_store(store, work)
            store.add(converted_quads(records, work))
            yield store, work
        finally:
            store.clear_graph(work)
        return
    with (tempfile.TemporaryDirectory(prefix="mcmap-map-") if store.path else contextlib.nullcontext()) as folder:
        scratch = ox.Store(folder) if folder else ox.Store()
        write = scratch.bulk_extend if folder else scratch.extend
        for chunk in _chunks(_converted_copy(store.ox, records, work)):
            write(chunk)
        held = LocalStore()
        held.ox = scratch
        try:
            yield held, work
        finally:
            held.ox = None
            del scratch


def _copy_in_store(store, work: str) -> None:
    data = ns.GRAPH_DATA
    replaced = ", ".join(f"<{p}>" for p in sorted(REPLACED))
    store.update(
        f"INSERT {{ GRAPH <{work}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{data}> {{ ?s ?p ?o }} "
        f"FILTER(?p NOT IN ({replaced}) || NOT EXISTS {{ GRAPH <{data}> "
        f"{{ ?s a <{ns.MC}MicroCredential> }} }}) }}")


def _converted_copy(source: ox.Store, records: list[Converted], work: str):
    """The data graph's quads moved to `work` (the converted credentials' replaced values left
    out, their converted ones added), and the reference graphs as they are."""
    from ..validate import REFERENCE_GRAPHS

    graph = ox.NamedNode(work)
    iris = {ox.NamedNode(r.iri) for r in records}
    replaced = {ox.NamedNode(p) for p in REPLACED}
    for q in source.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_DATA)):
        if not (q.predicate in replaced and q.subject in iris):
            yield ox.Quad(q.subject, q.predicate, q.object, graph)
    yield from converted_quads(records, work)
    for g in REFERENCE_GRAPHS:
        yield from source.quads_for_pattern(None, None, None, ox.NamedNode(g))


def _chunks(quads):
    chunk = []
    for q in quads:
        chunk.append(q)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _iri(term) -> str | None:
    from rdflib import URIRef

    if isinstance(term, ox.NamedNode):  # a focus node, as the store gave it
        return term.value
    return str(term) if isinstance(term, URIRef) else None


def _owners(store, nodes: set[str], iris: set[str]) -> dict[str, set[str]]:
    """The credentials pointing at each of `nodes` (providers and the like)."""
    owners: dict[str, set[str]] = {}
    if not nodes:
        return owners
    values = " ".join(f"<{n}>" for n in sorted(nodes))
    rows = store.select(f"SELECT ?o ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o }}",
                        default_graphs=[ns.GRAPH_DATA])
    for o, s in rows:
        if s.value in iris:
            owners.setdefault(o.value, set()).add(s.value)
    return owners


def _stated(store, work: str, paths: set[str]) -> set[tuple[str, str]]:
    """The (subject, predicate) pairs of the converted data, for the predicates findings name."""
    if not paths:
        return set()
    values = " ".join(f"<{p}>" for p in sorted(paths))
    rows = store.select(f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
                        default_graphs=[work])
    return {(s.value, p.value) for s, p in rows}
