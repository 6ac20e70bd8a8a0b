"""Loading files into a store: every file goes through one Load (mcmap.staging), so a bad file,
found wherever in the input it is, leaves the store exactly as it was.

RDF files are parsed by Oxigraph straight into the store; other readers' quads are written in
chunks as they are read. No step holds every quad as Python objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from . import namespaces as ns
from .errors import InputError
from .formats import open_file
from .formats.provenance import source_quads
from .staging import RdfSource
from .store import Store

_CREDENTIALS = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{ns.MC}MicroCredential> }}"
# Credentials of the file just parsed: those not yet given a source file by an earlier one.
_UNSOURCED = (f"SELECT DISTINCT ?c WHERE {{ ?c a <{ns.MC}MicroCredential> "
              f"FILTER NOT EXISTS {{ ?c <{ns.MC}sourceFile> ?f }} }}")


@dataclass
class LoadSummary:
    files: int
    quads: int
    credentials: int


def load_files(store: Store, paths: list[str | Path], fmt: str | None = None, *,
               replace: bool = False, count: bool = True) -> LoadSummary | None:
    """Read `paths` and add them to the store's data graph (or replace it, with `replace`).
    Returns what was loaded (with `count`: a pass over the loaded data that callers that do
    not show it skip)."""
    ensure_reference_data(store)
    summary = None
    with store.loading(replace=[ns.GRAPH_DATA] if replace else []) as load:
        for path in paths:
            add_file(load, Path(path), fmt)
        if count:
            credentials = int(next(iter(load.select(_CREDENTIALS, ns.GRAPH_DATA)))[0].value)
            summary = LoadSummary(files=len(paths), quads=load.count(ns.GRAPH_DATA), credentials=credentials)
    return summary


def add_file(load, path: Path, fmt: str | None = None) -> None:
    """One file into `load`: an InputError naming the file if it cannot be read."""
    got = open_file(path, fmt)
    if not isinstance(got, RdfSource):
        load.add(got)
        return
    from .formats.rdf import first_quad, syntax_error

    try:
        if first_quad(got) is None:
            raise InputError(str(path), f"contains no {got.format.name} triples")
        load.add_rdf(got)
    except (SyntaxError, ValueError, OSError) as e:
        raise syntax_error(path, got, e) from None
    found = [row[0] for row in load.select(_UNSOURCED, got.graph)]
    load.add(q for c in found for q in source_quads(c, str(path)))


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
