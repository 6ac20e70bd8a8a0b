"""Eligibility checked where the credentials are, never through a copy of the data in Python.

The converted records live in a work graph: the data graph's triples with each credential's
jurisdiction, level and volume replaced by the converted ones. The target's rules run over that
graph, and only the findings and the few facts needed to read them come back.

- A remote store (`map --endpoint`) holds the work graphs itself, filled by updates inside
  the store: what is not a credential once, then for each part its credentials (named in
  VALUES batches, so each update is a small transaction that reads only those credentials) and
  their converted values; they are dropped afterwards. The data graph is never downloaded.
- An embedded store gets a scratch Oxigraph store beside it (in memory, or a temporary folder
  when what is not a credential is large; see Scratch), which holds one part of the credentials
  at a time and is thrown away afterwards: the user's folder is not written to, and neither
  memory nor any transaction has to hold a copy of the whole data graph.
"""
from __future__ import annotations

import contextlib
import itertools
import tempfile
import uuid

import pyoxigraph as ox

from .. import namespaces as ns
from ..graphs import in_graph
from ..sparql_text import values_groups
from ..staging import chunks
from .eligibility import REPLACED, Converted, Verdict, converted_quads, verdicts_from
from .records import node

WORK = ns.GRAPH + "mapping-work/"
_CHUNK = 100_000  # quads per write into the scratch store
COPY_CREDENTIALS = 1_000  # credentials copied (or deleted) by one update in a remote store
# What is not a credential (with the reference graphs), up to this many quads, is held in
# Python and written into a fresh in-memory scratch store for each part (the rules run about
# twice as fast there as in a folder); more goes to a scratch store in a temporary folder.
IN_MEMORY_QUADS = 200_000


def check_in_store(store, records: list[Converted], rule_set: str, as_of=None, scratch=None) -> dict[str, Verdict]:
    """Run `rule_set` over the converted records; a Verdict per credential IRI. For an embedded
    store, `scratch` (a Scratch over it) holds the records' credentials and is used again for
    the next records; without it a Scratch is made for this one call."""
    from ..store import LocalStore
    from ..validate import REFERENCE_GRAPHS, validate

    if scratch is None:
        with (Scratch if isinstance(store, LocalStore) else RemoteScratch)(store) as scratch:
            return check_in_store(store, records, rule_set, as_of, scratch)
    with scratch.converted(records) as (where, work):
        report = validate(where, rule_set, as_of=as_of, data_graphs=[*work, *REFERENCE_GRAPHS])
        iris = {r.iri for r in records}
        others = {_iri(r.focus_node) for r in report.results} - iris - {None}
        # only a result `validate` has not marked stated or not needs the converted data's facts
        paths = {_iri(r.result_path) for r in report.results
                 if (getattr(r, "details", None) or {}).get("stated") is None} - {None}
        return verdicts_from(report, records, _owners(where, work, others, iris), _stated(where, work, paths))


class Scratch:
    """A scratch Oxigraph store beside an embedded store, for the rules to run over converted
    credentials a part at a time: every quad of the data graph that is not about a credential
    (providers, outcomes and the like) and the reference graphs, read once; then, for each
    part, that part's credentials without their replaced values (`hold`), and for each check
    their converted values (`converted`). The scratch holds one part of the credentials at a
    time whatever the size of the store. The rules of every shipped rule set start at a
    credential and read what it points at (or what points at it), never another credential, so
    a part is judged as the whole would be. The user's store is not written to."""

    def __init__(self, store):
        self.source = store.ox
        self.base, self.part, self.conv = (f"{WORK}{uuid.uuid4().hex}" for _ in range(3))
        self.folder = None
        self.ox = None
        self.common: list = []  # the quads every part is judged with (in memory)
        self.iris: tuple[str, ...] = ()

    def __enter__(self):
        from ..validate import REFERENCE_GRAPHS

        base = ox.NamedNode(self.base)
        # MINUS: Oxigraph joins it once, where FILTER NOT EXISTS looks every triple's subject up
        # (0.9 s against 15.8 s for 100,000 credentials)
        rows = self.source.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o MINUS {{ ?s a <{ns.MC}MicroCredential> }} }}",
            default_graph=ox.NamedNode(ns.GRAPH_DATA))
        common = itertools.chain(in_graph(rows, base),
                                 *(self.source.quads_for_pattern(None, None, None, ox.NamedNode(g))
                                   for g in REFERENCE_GRAPHS))
        for q in common:
            self.common.append(q)
            if len(self.common) > IN_MEMORY_QUADS:
                # Many other nodes: they go to a temporary folder once, and the parts come
                # and go there (a folder gives back the space of what is removed).
                self.folder = tempfile.TemporaryDirectory(prefix="mcmap-map-")
                self.ox = ox.Store(self.folder.name)
                for chunk in chunks(itertools.chain(self.common, common), _CHUNK):
                    self.ox.bulk_extend(chunk)
                self.common = []
                self.ox.optimize()
                break
        return self

    def __exit__(self, *exc):
        self.ox = None
        self.common = []
        if self.folder is not None:
            self.folder.cleanup()

    def hold(self, own: dict[str, list]) -> None:
        """The scratch made to hold these credentials (IRI -> its quads in the data graph),
        without their replaced values, in place of the part before. In memory, a fresh store
        each time: Oxigraph's memory store keeps what is removed from it."""
        part = ox.NamedNode(self.part)
        if self.folder is None:
            self.ox = ox.Store()
            for chunk in chunks(self.common, _CHUNK):
                self.ox.extend(chunk)
        else:
            self.ox.clear_graph(part)
        replaced = {ox.NamedNode(p) for p in REPLACED}
        own_quads = in_graph((q for quads in own.values() for q in quads if q.predicate not in replaced), part)
        for chunk in chunks(own_quads, _CHUNK):
            self.ox.extend(chunk)
        self.iris = tuple(own)

    def _hold(self, iris: tuple[str, ...]) -> None:
        if iris != self.iris:
            data = ox.NamedNode(ns.GRAPH_DATA)
            self.hold({iri: list(self.source.quads_for_pattern(node(iri), None, None, data)) for iri in iris})

    @contextlib.contextmanager
    def converted(self, records: list[Converted]):
        """(a store to validate in, its work graphs) holding `records`' credentials restated."""
        from ..store import LocalStore

        self._hold(tuple(r.iri for r in records))
        for chunk in chunks(converted_quads(records, self.conv), _CHUNK):
            self.ox.extend(chunk)
        held = LocalStore()
        held.ox = self.ox
        try:
            yield held, [self.base, self.part, self.conv]
        finally:
            held.ox = None
            self.ox.clear_graph(ox.NamedNode(self.conv))


class RemoteScratch:
    """Scratch's counterpart in a remote store: work graphs inside the store, written by updates
    there, so the data never travels through mcmap. What is not a credential is copied once;
    each part's credentials (without their replaced values) are copied when the part comes
    (`hold`) and removed when the next one does, a batch of COPY_CREDENTIALS per update; each
    check adds the converted values and removes them afterwards. Every update reads only the
    credentials it names: no scan of the registry per part. The graphs go when the block ends."""

    def __init__(self, store):
        self.store = store
        self.base, self.part, self.conv = (f"{WORK}{uuid.uuid4().hex}" for _ in range(3))
        self.iris: tuple[str, ...] = ()

    def __enter__(self):
        data, mc = ns.GRAPH_DATA, ns.MC
        try:
            self.store.update(f"INSERT {{ GRAPH <{self.base}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{data}> {{ "
                              f"?s ?p ?o MINUS {{ ?s a <{mc}MicroCredential> }} }} }}")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        try:
            self._release()
        finally:
            for g in (self.conv, self.base):
                self.store.clear_graph(g)

    def _batches(self, iris):
        return values_groups([self.store.named(node(iri)) for iri in iris], "s", COPY_CREDENTIALS)

    def _release(self) -> None:
        for values in self._batches(self.iris):
            self.store.update(f"DELETE {{ GRAPH <{self.part}> {{ ?s ?p ?o }} }} WHERE {{ {values} "
                              f"GRAPH <{self.part}> {{ ?s ?p ?o }} }}")
        self.store.clear_graph(self.part)
        self.iris = ()

    def hold(self, iris) -> None:
        """The part graph made to hold the credentials `iris`, in place of the part before."""
        self._release()
        replaced = ", ".join(f"<{p}>" for p in sorted(REPLACED))
        self.iris = tuple(iris)
        for values in self._batches(self.iris):
            self.store.update(f"INSERT {{ GRAPH <{self.part}> {{ ?s ?p ?o }} }} WHERE {{ {values} "
                              f"GRAPH <{ns.GRAPH_DATA}> {{ ?s ?p ?o FILTER(?p NOT IN ({replaced})) }} }}")

    @contextlib.contextmanager
    def converted(self, records: list[Converted]):
        """(the store, its work graphs) holding `records`' credentials restated."""
        iris = tuple(r.iri for r in records)
        if iris != self.iris:
            self.hold(iris)
        try:
            # a private graph: no need to stage it for atomicity
            self.store.add_in_batches(converted_quads(records, self.conv))
            yield self.store, [self.base, self.part, self.conv]
        finally:
            self.store.clear_graph(self.conv)


def _iri(term) -> str | None:
    from rdflib import URIRef

    if isinstance(term, ox.NamedNode):  # a focus node, as the store gave it
        return term.value
    return str(term) if isinstance(term, URIRef) else None


def _owners(store, work: list[str], nodes: set[str], iris: set[str]) -> dict[str, set[str]]:
    """The credentials of this part pointing at each of `nodes` (providers and the like), found
    in the work graphs: the data graph would give every credential of the registry that points
    at a provider, part after part."""
    owners: dict[str, set[str]] = {}
    if not nodes:
        return owners
    values = " ".join(f"<{n}>" for n in sorted(nodes))
    rows = store.select(f"SELECT ?o ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o }}",
                        default_graphs=work, split_by="s")
    for o, s in rows:
        if s.value in iris:
            owners.setdefault(o.value, set()).add(s.value)
    return owners


def _stated(store, work: list[str], paths: set[str]) -> set[tuple[str, str]]:
    """The (subject, predicate) pairs of the converted data, for the predicates findings name."""
    if not paths:
        return set()
    values = " ".join(f"<{p}>" for p in sorted(paths))
    rows = store.select(f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
                        default_graphs=work, split_by="s")
    return {(s.value, p.value) for s, p in rows}
