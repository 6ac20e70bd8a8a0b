"""The last step of `mcmap map --store DIR` alone: the results file it keeps until the end
(N-Triples, one line per triple) going into a copy of the folder by Oxigraph's bulk loader, as
`LocalStore.adding_later` does, in parts of a given size or in one call. Prints the time of
the load and of the flush after it (which waits for RocksDB's merges) to standard error.

    python benchmarks/later_parts.py PARTS FOLDER RESULTS.nt

PARTS is a part size in MiB (mcmap's: store.LATER_BYTES) or `one` for one call reading the
file as it goes. FOLDER is written to: give it a copy. Run it under /usr/bin/time for the
peak memory. A results file like the one `map` keeps in its temporary `later.nt` is the
mappings graph of a folder `map` ran on:

    python benchmarks/later_parts.py dump MAPPED_FOLDER RESULTS.nt
"""
import sys
import time

import pyoxigraph as ox

from mcmap import namespaces as ns
from mcmap.rdf_source import line_parts


def main() -> None:
    parts, folder, path = sys.argv[1:4]
    graph = ox.NamedNode(ns.GRAPH_MAPPINGS)
    if parts == "dump":
        ox.Store.read_only(folder).dump(path, ox.RdfFormat.N_TRIPLES, from_graph=graph)
        return
    store = ox.Store(folder)
    start = time.perf_counter()
    with open(path, "rb") as f:
        if parts == "one":
            store.bulk_load(input=f, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        else:
            for part in line_parts(f, int(parts) * 2 ** 20):
                store.bulk_load(input=part, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    loaded = time.perf_counter()
    store.flush()
    print(f"parts {parts}: load {loaded - start:.1f} s, flush {time.perf_counter() - loaded:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
