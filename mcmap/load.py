"""Loading files into a store: every file is read before anything is written, and the
write is one transaction, so a bad file leaves the store exactly as it was."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .formats import read_file
from .store import Store
from .user_data import user_quads

_TYPE = ox.NamedNode(ns.RDF + "type")
_CREDENTIAL = ox.NamedNode(ns.MC + "MicroCredential")


@dataclass
class LoadSummary:
    files: int
    quads: int
    credentials: int


def load_files(store: Store, paths: list[str | Path], fmt: str | None = None, *,
               replace: bool = False) -> LoadSummary:
    """Read `paths` and add them to the store's data graph (or replace it, with `replace`)."""
    quads = [q for p in paths for q in user_quads(read_file(p, fmt), str(p))]
    ensure_reference_data(store)
    if replace:
        data = ox.NamedNode(ns.GRAPH_DATA)
        others = [q for q in quads if q.graph_name != data]
        store.replace_graph(ns.GRAPH_DATA, [q.triple for q in quads if q.graph_name == data])
        store.add(others)
    else:
        store.add(quads)
    credentials = sum(1 for q in quads if q.predicate == _TYPE and q.object == _CREDENTIAL)
    return LoadSummary(files=len(paths), quads=len(quads), credentials=credentials)


def store_with_files(paths: list[str | Path], fmt: str | None = None, *, store: Store | None = None) -> Store:
    """An in-memory store (or `store`) holding the ontology and the given files: what one-shot
    commands such as `mcmap query FILE...` and `mcmap validate FILE...` work on."""
    from .store import LocalStore

    store = store or LocalStore()
    if paths:
        load_files(store, paths, fmt)
    else:
        ensure_reference_data(store)
    return store


def ensure_reference_data(store: Store) -> None:
    """The shipped ontology and level correspondences, so queries over a store can use them."""
    from .formats.sssom import load_mappings
    from .ontology import ensure_ontology

    ensure_ontology(store)
    # Reloading replaces only the shipped sets (a few ms) and keeps them current when the
    # mapping files change without the ontology changing.
    load_mappings(store)
