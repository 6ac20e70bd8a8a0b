"""The raw Oxigraph floor for `mcmap load FILE --store DIR`: the same file into a fresh folder with
nothing but Oxigraph, given to the bulk loader as `load` gives a file over 1 GiB on two cores (one
call reading an open file, its triples into a named graph), then RocksDB's merge of the loader's
files, which `load` runs beside its checks. Prints the seconds of each step.

    python benchmarks/floor_load.py creds-N.nt DIR
"""
from __future__ import annotations

import sys
import time

import pyoxigraph as ox


def main() -> None:
    data, folder = sys.argv[1:3]
    start = time.perf_counter()
    store = ox.Store(folder)
    with open(data, "rb") as f:
        store.bulk_load(input=f, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("https://w3id.org/mcmap/graph/data"))
    loaded = time.perf_counter()
    store.optimize()
    store.flush()
    merged = time.perf_counter()
    print(f"bulk load {loaded - start:.1f} s, merge {merged - loaded:.1f} s, in all {merged - start:.1f} s, "
          f"{len(store)} quads", file=sys.stderr)


if __name__ == "__main__":
    main()
