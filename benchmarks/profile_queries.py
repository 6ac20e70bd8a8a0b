"""Where validation's time goes, query by query: read FILE into an in-memory store as
`mcmap validate FILE` does, run a framework's rules, and time every query sent to the store
(the engine's, and the validation layer's look-ups of the credentials with findings).

    PYTHONPATH=. python benchmarks/profile_queries.py big.csv -f au --top 15
    PYTHONPATH=. python benchmarks/profile_queries.py --store DIR --shapes core-shapes.ttl
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from mcmap import namespaces as ns
    from mcmap.load import load_files
    from mcmap.store import LocalStore, Rows
    from mcmap.validate import validate

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("-f", "--framework", default=None)
    ap.add_argument("--shapes", help="a shapes file instead of a framework's rules")
    ap.add_argument("--store", help="validate a store folder (as `validate --store`) instead of FILE")
    ap.add_argument("--top", type=int, default=15, help="show the slowest N queries")
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.store:
        store = LocalStore(a.store)
    else:
        store = LocalStore()
        load_files(store, [a.file], None, count=False)
        store.clear_graph(ns.GRAPH_MAPPINGS)  # as `mcmap validate FILE` does with its own store
    print(f"read {time.perf_counter() - t0:.1f} s", flush=True)
    timings = []
    select = store.select

    def timed(query, **kw):
        start = time.perf_counter()
        rows = select(query, **kw)
        got = list(rows)
        timings.append((time.perf_counter() - start, len(got), query))
        return Rows(rows.variables, got)
    store.select = timed
    t0 = time.perf_counter()
    framework = a.framework or (None if a.shapes else "au")
    report = validate(store, framework, shapes_path=a.shapes)
    total = time.perf_counter() - t0
    lookups = sum(t for t, _, q in timings if "SAMPLE(?f)" in q)
    print(f"validate {total:.1f} s, {len(report.results)} results, {len(timings)} queries: "
          f"{sum(t for t, _, _ in timings) - lookups:.1f} s in the rules' queries, "
          f"{lookups:.1f} s looking up credentials with findings", flush=True)
    for seconds, rows, query in sorted(timings, key=lambda x: -x[0])[:a.top]:
        body = " ".join(line.strip() for line in query.splitlines() if not line.startswith("PREFIX"))
        print(f"{seconds:6.2f} s {rows:7d} rows  {body[:160]}")


if __name__ == "__main__":
    main()
