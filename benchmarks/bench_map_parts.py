"""Processor time of each part of `mcmap map --store` (the library call the CLI makes), to tell a
cost that grows with the folder from one that stays per part. Keeps the results as `map` does,
and removes them again when it stops early.

    python benchmarks/bench_map_parts.py STORE_FOLDER --to nz --parts 7
    python benchmarks/bench_map_parts.py STORE_FOLDER --profile 2 3   # cProfile of parts 2-4

Part 0's time includes the start (file order, the scratch store, the jurisdiction check).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import time


def main() -> None:
    from mcmap.library import map_store_parts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--to", nargs="+", default=["nz"])
    ap.add_argument("--parts", type=int, default=7, help="stop after this many parts")
    ap.add_argument("--profile", nargs=2, type=int, metavar=("FIRST", "COUNT"), help="profile these parts")
    a = ap.parse_args()
    first, count = a.profile or (-1, 0)
    prof = cProfile.Profile()
    cpu, wall = time.process_time(), time.time()
    for i, part in enumerate(map_store_parts(a.to, store=a.store, keep=True)):
        now = time.process_time()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"part {i}: {len(part):,} credentials, {now - cpu:.1f} s cpu, {time.time() - wall:.1f} s, "
              f"peak {peak:,} MiB", flush=True)
        cpu, wall = now, time.time()
        if i == first:
            prof.enable()
        if i == first + count:
            prof.disable()
        if i + 1 >= max(a.parts, first + count + 1):
            break
    if a.profile:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
