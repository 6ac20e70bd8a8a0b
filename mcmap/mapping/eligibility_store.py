"""Eligibility checked where the credentials are, never through a copy of the data in Python.

The converted records live in a work graph: the data graph's triples with each credential's
jurisdiction, level and volume replaced by the converted ones. The target's rules run over that
graph, and only the findings and the few facts needed to read them come back.

- A remote store (`map --endpoint`) holds the work graph itself: the data graph is copied into
  it by updates inside the store (a part of the credentials each, so no transaction is large),
  the converted values are written in batches, and the graph is dropped afterwards, part by
  part. The data graph is never downloaded.
- An embedded store gets a scratch Oxigraph store beside it (in memory, or a temporary folder
  for a large store folder), filled by Oxigraph quad by quad, in chunks, and thrown away afterwards:
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
PART_CREDENTIALS = 10_000  # credentials copied (or deleted) by one update in a remote store
# A store folder whose data graph is larger than this gets its scratch store in a temporary
# folder beside it; a smaller one, in memory (the rules run about twice as fast there; 2
# million quads, about 115,000 credentials, take about 1 GiB).
IN_MEMORY_QUADS = 2_000_000


def check_in_store(store, records: list[Converted], rule_set: str, as_of=None) -> dict[str, Verdict]:
    """Run `rule_set` over the converted records; a Verdict per credential IRI."""
    from ..validate import REFERENCE_GRAPHS, validate

    with _work_graph(store, records) as (where, work):
        report = validate(where, rule_set, as_of=as_of, data_graphs=[work, *REFERENCE_GRAPHS])
        iris = {r.iri for r in records}
        others = {_iri(r.focus_node) for r in report.results} - iris - {None}
        # only a result `validate` has not marked stated or not needs the converted data's facts
        paths = {_iri(r.result_path) for r in report.results
                 if (getattr(r, "details", None) or {}).get("stated") is None} - {None}
        return verdicts_from(report, records, _owners(store, others, iris), _stated(where, work, paths))


@contextlib.contextmanager
def _work_graph(store, records: list[Converted]):
    """(the store to validate in, the work graph's name), removed when the block ends."""
    from ..store import LocalStore

    work = f"{WORK}{uuid.uuid4().hex}"
    if not isinstance(store, LocalStore):
        parts = _parts(len(records))
        try:
            _copy_in_store(store, work, parts)
            # a private graph: no need to stage it for atomicity
            store.add_in_batches(converted_quads(records, work))
            yield store, work
        finally:
            _drop_in_store(store, work, parts)
        return
    on_disk = store.path is not None and store.count(ns.GRAPH_DATA) > IN_MEMORY_QUADS
    with (tempfile.TemporaryDirectory(prefix="mcmap-map-") if on_disk else contextlib.nullcontext()) as folder:
        scratch = ox.Store(folder) if folder else ox.Store()
        _fill(scratch.bulk_extend if folder else scratch.extend, _converted_copy(store.ox, records, work))
        if folder:
            scratch.optimize()  # the bulk writer's many small files, merged: the rules read faster
        held = LocalStore()
        held.ox = scratch
        try:
            yield held, work
        finally:
            held.ox = None
            del scratch


def _parts(credentials: int) -> list[str]:
    """FILTERs splitting the credentials into parts of about PART_CREDENTIALS each, by a hash
    of their IRI: each update copying or deleting one part is a small transaction (a server
    holds a whole transaction in memory: one copy of 1.75 million triples took an Oxigraph
    server 6.5 GiB and ten minutes)."""
    from ..store_remote import partition

    n = max(1, -(-credentials // PART_CREDENTIALS))
    bounds = [0x10000 * i // n for i in range(n)] + [None]
    return [partition("s", lo, hi) for lo, hi in zip(bounds, bounds[1:])]


def _copy_in_store(store, work: str, parts: list[str]) -> None:
    """The data graph into `work` by updates inside the store, without the credentials'
    replaced values: the credentials part by part, then every other subject."""
    data, mc = ns.GRAPH_DATA, ns.MC
    replaced = ", ".join(f"<{p}>" for p in sorted(REPLACED))
    for part in parts:
        store.update(f"INSERT {{ GRAPH <{work}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{data}> {{ "
                     f"?s a <{mc}MicroCredential> . FILTER({part}) ?s ?p ?o FILTER(?p NOT IN ({replaced})) }} }}")
    store.update(f"INSERT {{ GRAPH <{work}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{data}> {{ ?s ?p ?o "
                 f"FILTER NOT EXISTS {{ ?s a <{mc}MicroCredential> }} }} }}")


def _drop_in_store(store, work: str, parts: list[str]) -> None:
    """`work` removed in the same small transactions it was written in."""
    for part in parts:
        store.update(f"DELETE {{ GRAPH <{work}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{work}> {{ "
                     f"?s a <{ns.MC}MicroCredential> . FILTER({part}) ?s ?p ?o }} }}")
    store.clear_graph(work)


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


def _fill(write, quads) -> None:
    """`quads` written in chunks (a function, so no chunk outlives it while the rules run)."""
    for chunk in _chunks(quads):
        write(chunk)


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
                        default_graphs=[ns.GRAPH_DATA], split_by="s")
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
                        default_graphs=[work], split_by="s")
    return {(s.value, p.value) for s, p in rows}
