"""Mapping sets in a store's mappings graph: the shipped level correspondences, written as one
staged write, and the results `mcmap map` keeps, which can be as large as a registry and are
therefore written and removed a part at a time."""
from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from ..graphs import in_graph
from .sssom import SSSOM, MappingSet, iter_triples, read_sssom, shipped_mapping_files

# Rows of a kept set read, then removed, at a time; and rows named by one removing update (a
# VALUES list of this many IRIs is what every engine mcmap is tested on takes in one query).
_ROWS_READ = 10_000
_ROWS_PER_UPDATE = 500


def load_mappings(store, paths=None) -> int:
    """Put the shipped mapping sets (or `paths`) into GRAPH_MAPPINGS, replacing earlier copies of
    the same sets but leaving anything else there (e.g. stored `mcmap map` results). Returns the
    number of mapping rows loaded."""
    sets = [read_sssom(p) for p in (paths if paths is not None else shipped_mapping_files())]
    return store_mapping_sets(store, sets)


def store_mapping_sets(store, sets: list[MappingSet]) -> int:
    """Write mapping sets into GRAPH_MAPPINGS as one write, each replacing its earlier copy."""
    if sets:
        # in batches the store can take, with the deletes applied in the same final step
        store.add(_quads(sets), before=_deletes(sets))
    return sum(len(m.mappings) for m in sets)


def keep_mapping_sets(store, sets: list[MappingSet], more_triples=()) -> None:
    """store_mapping_sets for derived results too large to stage (`mcmap map` over a registry):
    each set's earlier copy is deleted, then its rows (and `more_triples` about them) are
    written batch by batch. If a batch fails, the rows already written are removed again and
    the error says so: the sets are then absent, and running the command again restores them."""
    if not sets:
        return
    with keeping(store, sets) as keep:
        keep(None, more_triples)


@contextlib.contextmanager
def keeping(store, sets: list[MappingSet]):
    """keep_mapping_sets for rows that come a part at a time: the sets' earlier copies are
    deleted and their own triples and rows written; the block is given `keep(part, more)`,
    which writes the rows of `part` (a MappingSet with the same metadata as one of `sets`) and
    `more` triples about them (a store folder writes them all when the block ends: see
    Store.adding_later). If anything fails inside the block, everything written is removed
    again (the error says so for a store error)."""
    from ..store import StoreError

    remove_sets(store, sets)
    try:
        store.add_in_batches(_quads(sets))
        with store.adding_later(ns.GRAPH_MAPPINGS) as add:
            def keep(part: MappingSet | None, more=()) -> None:
                add(itertools.chain(iter_triples(part, header=False) if part is not None else (), more))

            yield keep
    except StoreError as e:
        try:
            remove_sets(store, sets)
            undone = "the results written before it were removed; run the command again to keep them"
        except StoreError:
            undone = "the results written before it could not be removed: run the command again"
        raise StoreError(f"{e}; {undone}") from None
    except BaseException:
        with contextlib.suppress(StoreError):
            remove_sets(store, sets)
        raise


def remove_sets(store, sets: list[MappingSet]) -> None:
    """Each set's stored copy removed a few rows per update: one update removing a registry's
    kept results at once is one transaction holding all of them (2 GiB for the 1.2 million
    triples of 100,000 credentials' results, far more for a million)."""
    from ..answer_parts import PartialAnswer

    g = ns.GRAPH_MAPPINGS
    for mset in sets:
        set_id = _set_id(mset)
        ask, limit = f"SELECT ?m WHERE {{ GRAPH <{g}> {{ <{set_id}> <{SSSOM}mappings> ?m }} }} LIMIT ", _ROWS_READ
        while True:
            try:
                rows = [m for (m,) in store.select(ask + str(limit)) if isinstance(m, ox.NamedNode)]
            except PartialAnswer as e:
                if not e.cap or e.cap < 2 or e.cap > limit:
                    raise
                limit = e.cap // 2  # a store whose row cap is below a part: smaller parts
                continue
            if not rows:
                break
            for i in range(0, len(rows), _ROWS_PER_UPDATE):
                store.update(_row_deletes(set_id, rows[i:i + _ROWS_PER_UPDATE]))
        store.update(f"DELETE WHERE {{ GRAPH <{g}> {{ <{set_id}> ?p ?o }} }}")


def _row_deletes(set_id: str, rows: list) -> str:
    """An update removing these rows of a set: the plain `subject predicate object` triples first,
    while the rows still say what they are, then each row's own triples and its link from the set."""
    g, values = ns.GRAPH_MAPPINGS, " ".join(str(m) for m in rows)
    # VALUES in a group of its own (see docs/validation-engine.md on Virtuoso)
    return (f"DELETE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} WHERE {{ {{ VALUES ?m {{ {values} }} }} GRAPH <{g}> {{ "
            f"?m <{ns.OWL}annotatedSource> ?s ; <{ns.OWL}annotatedProperty> ?p ; <{ns.OWL}annotatedTarget> ?o }} }} ;\n"
            f"DELETE {{ GRAPH <{g}> {{ ?m ?x ?y }} }} WHERE {{ {{ VALUES ?m {{ {values} }} }} GRAPH <{g}> {{ ?m ?x ?y }} }} ;\n"
            f"DELETE {{ GRAPH <{g}> {{ <{set_id}> <{SSSOM}mappings> ?m }} }} WHERE {{ VALUES ?m {{ {values} }} }}")


def _quads(sets: list[MappingSet], *, header: bool = True):
    for mset in sets:
        yield from in_graph(iter_triples(mset, header=header), ns.GRAPH_MAPPINGS)


def _set_id(mset: MappingSet) -> str:
    return mset.metadata.get("mapping_set_id") or f"{ns.ID}mapping-set/{Path(mset.source).name}"


def _deletes(sets: list[MappingSet]) -> str:
    """An update deleting each set's stored copy (its rows' plain `subject predicate object`
    triples too), for sets small enough to remove in the write that replaces them."""
    g = ns.GRAPH_MAPPINGS
    out = []
    for mset in sets:
        set_id = _set_id(mset)
        # the plain triples first, while the rows still say what they are; then each row's
        # own triples (one delete joining both would repeat every row's triples per triple)
        out.append(
            f"DELETE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{g}> {{ "
            f"<{set_id}> <{SSSOM}mappings> ?m . ?m <{ns.OWL}annotatedSource> ?s ; "
            f"<{ns.OWL}annotatedProperty> ?p ; <{ns.OWL}annotatedTarget> ?o }} }} ;\n"
            f"DELETE {{ GRAPH <{g}> {{ ?m ?x ?y }} }} WHERE {{ GRAPH <{g}> {{ "
            f"<{set_id}> <{SSSOM}mappings> ?m . ?m ?x ?y }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{g}> {{ <{set_id}> ?p ?o }} }}")
    return " ;\n".join(out)
