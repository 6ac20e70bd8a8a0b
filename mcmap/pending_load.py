"""A load writing straight into a store folder: the mark that says one is under way, and undoing
one that was killed before it committed (see mcmap.staging)."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .written import GRAPH_WRITTEN

PENDING_FILE = "mcmap-load-pending"  # in a store folder while a load writes straight into it
# A remote store's "load pending" marker (mcmap.staging_graphs), and a folder's before PENDING_FILE
GRAPH_LOADING = ns.GRAPH + "loading"
# mcmap's graphs that hold what users load or what is derived from it; its other graphs hold
# shipped reference data (ontology, level mappings, reference sets), which a load never writes.
USER_DATA_GRAPHS = frozenset({ns.GRAPH_DATA, ns.GRAPH_INFERRED, ns.GRAPH_REPORTS, GRAPH_WRITTEN})


def user_graphs(ox_store: ox.Store) -> list:
    """Every graph holding user data: the default graph (if not empty) and the named graphs
    other than mcmap's reference data."""
    graphs = [g for g in ox_store.named_graphs()
              if not (isinstance(g, ox.NamedNode) and g.value.startswith(ns.GRAPH)
                      and g.value not in USER_DATA_GRAPHS)]
    if next(ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        graphs.append(ox.DefaultGraph())
    return graphs


def drop(ox_store: ox.Store, graph) -> None:
    if isinstance(graph, ox.DefaultGraph):
        ox_store.clear_graph(graph)
    else:
        ox_store.remove_graph(graph)


def pending(folder, ox_store: ox.Store) -> bool:
    """Whether the last load into store folder `folder` was killed before it committed."""
    return (Path(folder) / PENDING_FILE).exists() or ox_store.contains_named_graph(ox.NamedNode(GRAPH_LOADING))


def recover(folder, ox_store: ox.Store) -> None:
    """A folder whose last load was killed: drop what that load wrote (see mcmap.staging)."""
    if not pending(folder, ox_store):
        return
    for g in user_graphs(ox_store):
        drop(ox_store, g)
    ox_store.remove_graph(ox.NamedNode(GRAPH_LOADING))
    ox_store.flush()
    mark_pending(folder, False)


def mark_pending(folder, on: bool) -> None:
    """Writes or removes the folder's PENDING_FILE, durably: on disk before the load's first
    write, and its removal (the commit) on disk before the command says it is done."""
    marker = Path(folder) / PENDING_FILE
    if on:
        with open(marker, "wb") as f:
            os.fsync(f.fileno())
    else:
        marker.unlink(missing_ok=True)
    where = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(where)
    finally:
        os.close(where)
