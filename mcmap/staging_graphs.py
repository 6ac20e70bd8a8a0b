"""A load into a store that speaks SPARQL Update (remote endpoints): see mcmap.staging.

No server transaction ever holds the whole load:

- The data graph empty at the start (a first load): its quads are written in place, batch by
  batch, after a "load pending" marker in mcmap's loading graph; committing removes the
  marker. A failed load drops what it wrote; a load killed from outside leaves the marker,
  and every later mcmap command on the store refuses it, saying what to drop
  (`check_no_pending_load`), so part of a load is never taken for all of it.
- A graph that already holds data: quads go to private staging graphs of at most
  MOVE_PART triples each. A load of one part is moved into place by one update (one
  transaction where the server gives it). A larger one is moved part by part, each part first
  losing the triples the target already holds, so that if a later part fails the parts
  already moved are taken out again exactly, and the error says the store is as it was.
"""
from __future__ import annotations

import secrets
import urllib.parse

import pyoxigraph as ox

from . import namespaces as ns
from .graphs import in_graph
from .load_watch import Watch
from .pending_load import GRAPH_LOADING
from .rdf_source import RdfSource
from .staging import Load
from .store import StoreError

# Triples per staging graph, each moved by one update: an Oxigraph server holds several KiB
# per triple in one transaction, and stock Virtuoso refuses one that writes over 50 MB.
MOVE_PART = 50_000
PENDING = f"<{GRAPH_LOADING}> <{ns.MC}loadPending> true"


def check_no_pending_load(store) -> None:
    """Refuse a store whose data graph may hold part of a load (one running, or killed)."""
    if store.query(f"ASK {{ ?s <{ns.MC}loadPending> ?o }}", default_graphs=[GRAPH_LOADING]):
        raise StoreError(
            f"{store.endpoint}: a load into this store is running or was stopped before it ended, so "
            f"its data graph may hold part of it: wait for it to end; if it was stopped, drop graphs "
            f"<{ns.GRAPH_DATA}> and <{GRAPH_LOADING}> (DROP GRAPH <...>) and load again")


def is_empty(store, graph: str) -> bool:
    return not store.query("ASK { ?s ?p ?o }", default_graphs=[graph])


class GraphStagedLoad(Load):
    """Any store speaking SPARQL Update; see the module docstring."""

    def __init__(self, store, replace: list[str] = ()):
        super().__init__(store)
        self.token = secrets.token_hex(8)
        self.replace = list(replace)
        self.staged: dict[str, list[str]] = {}  # target -> its staging graphs, in order
        self.filled: dict[str, int] = {}  # staging graph -> triples written to it
        self.emptied = False  # the graphs in `replace` were dropped ahead of a move in parts
        self.direct = is_empty(store, ns.GRAPH_DATA)
        # the checks after the load look at the data graph's quads here (mcmap.load_watch)
        self.watch = Watch(ns.GRAPH_DATA)
        if self.direct:
            store.update(f"INSERT DATA {{ GRAPH <{GRAPH_LOADING}> {{ {PENDING} }} }}")

    def _in_place(self, graph: str) -> bool:
        return self.direct and graph == ns.GRAPH_DATA

    def staging_graph(self, graph: str) -> str:
        """Where quads for `graph` go now: the graph itself, or its staging graph being filled."""
        if self._in_place(graph):
            return graph
        parts = self.staged.setdefault(graph, [])
        if not parts or self.filled[parts[-1]] >= MOVE_PART:
            parts.append(f"{ns.GRAPH}staging/{self.token}/{urllib.parse.quote(graph, safe='')}/{len(parts)}")
            self.filled[parts[-1]] = 0
        return parts[-1]

    def _target(self, quad: ox.Quad) -> ox.Quad:
        g = quad.graph_name
        staging = self.staging_graph(ns.GRAPH_DATA if isinstance(g, ox.DefaultGraph) else g.value)
        if staging in self.filled:
            self.filled[staging] += 1
        return ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(staging))

    def add_rdf(self, source: RdfSource) -> None:
        kwargs = {"format": source.format, "base_iri": source.base_iri, "rename_blank_nodes": True,
                  **source.where()}
        self.add(in_graph(ox.parse(**kwargs), source.graph, keep_named=True))

    def select(self, sparql, graph, *, split_by=None):
        graphs = [graph] if self._in_place(graph) else self.staged.get(graph) or [self.staging_graph(graph)]
        return self.store.select(sparql, default_graphs=graphs, split_by=split_by)

    def _write(self, chunk):
        self.watch.see(chunk)
        # straight into the staging graphs (or the empty data graph): this load is the unit
        self.store.add_in_batches(self._target(q) for q in chunk)

    def commit(self):
        moves = [(t, s) for t, parts in self.staged.items() for s in parts if self.filled[s]]
        drops = [f"DROP SILENT GRAPH <{g}>" for g in self.replace if not self._in_place(g)]
        done = [f"DROP SILENT GRAPH <{GRAPH_LOADING}>"] if self.direct else []
        if len(moves) > 1:
            self._move_in_parts(moves, drops)
            moves, drops = [], []
        # not ADD SILENT: a store that fails to add (Virtuoso, past its transaction limits)
        # would then drop the staged data and report success
        ops = drops + [f"ADD <{s}> TO <{t}>" for t, s in moves]
        ops += [f"DROP SILENT GRAPH <{s}>" for s in self.filled] + done
        if not ops:
            return
        try:
            self.store.update(" ;\n".join(ops))
        except StoreError as e:
            # The final step failed (a server's transaction limit, a lost connection): the
            # staged copy must not stay behind in the store, using its space.
            raise StoreError(f"{e}; {self._undo()}") from None

    def _move_in_parts(self, moves, drops) -> None:
        """Each staging graph into its target by its own update (see the module docstring)."""
        if drops:
            self.store.update(" ;\n".join(drops))
            self.emptied = True
        fresh = {t for t, _ in moves if t in self.replace or is_empty(self.store, t)}
        moved: list[tuple[str, str]] = []
        for target, staging in moves:
            try:
                if target not in fresh:
                    self.store.update(f"DELETE {{ GRAPH <{staging}> {{ ?s ?p ?o }} }} WHERE "
                                      f"{{ GRAPH <{staging}> {{ ?s ?p ?o }} GRAPH <{target}> {{ ?s ?p ?o }} }}")
                self.store.update(f"ADD <{staging}> TO <{target}>")
            except StoreError as e:
                raise StoreError(f"{e}; moving the load into place stopped at part {len(moved) + 1} "
                                 f"of {len(moves)}: {self._undo(moved)}") from None
            moved.append((target, staging))
        for staging in self.filled:
            self.store.update(f"DROP SILENT GRAPH <{staging}>")
        self.filled = {}

    def abort(self):
        self._undo()

    def _undo(self, moved=()) -> str:
        """Take out what the load wrote, each graph on its own (one big update can fail where
        small ones pass); what happened, in words for the error message."""
        left = []
        for target, staging in moved:
            try:
                self.store.update(f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE "
                                  f"{{ GRAPH <{staging}> {{ ?s ?p ?o }} }}")
            except StoreError:
                left.append(f"<{target}> holds the triples of <{staging}>, delete them")
        if self.direct:
            try:
                self.store.update(f"DROP SILENT GRAPH <{ns.GRAPH_DATA}> ;\n"
                                  f"DROP SILENT GRAPH <{GRAPH_LOADING}>")
            except StoreError:
                left.append(f"drop graphs <{ns.GRAPH_DATA}> (it was empty before the load) and <{GRAPH_LOADING}>")
        for staging in self.filled:
            try:
                self.store.update(f"DROP SILENT GRAPH <{staging}>")
            except StoreError:
                left.append(f"drop graph <{staging}>")
        self.filled = {}
        emptied = [g for g in self.replace if not self._in_place(g)] if self.emptied else []
        if left:
            return ("the load could not be taken out again; on the server: " + "; ".join(left[:3])
                    + (f" and {len(left) - 3} more" if len(left) > 3 else ""))
        if emptied:
            return f"the load was taken out again; --replace had already emptied <{emptied[0]}>"
        return "nothing of the load is left in the store" if moved or self.direct else \
            "the staged copy of the load was dropped"
