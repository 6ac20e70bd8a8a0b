"""`mcmap export` through the CLI, from files and from a store folder, for each format, beside
the raw floor (Oxigraph loading the same N-Triples and writing them with its own serialiser).

Every command runs in its own process under /usr/bin/time (wall time, peak resident memory).
With --before DIR (a checkout of an earlier mcmap) the same exports run with that code too,
one after the other, so both are measured on the same machine in the same minutes. The
documents written from the store are compared with those written from the files: the same
bytes (Turtle, N-Triples and RDF/XML: the same triples, as the order is the store's).

    python benchmarks/synth.py 20000 -o c20k.nt
    mcmap load c20k.nt --store s20k
    python benchmarks/bench_export.py c20k.nt --store s20k --before ../old-checkout
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import timed  # noqa: E402

FORMATS = ("ttl", "nt", "rdfxml", "jsonld", "xml", "ob3", "ctdl", "elm")
FLOOR = """
import sys, pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
with open(sys.argv[2], "wb") as f:
    ox.serialize(store.quads_for_pattern(None, None, None, None), f, ox.RdfFormat.N_QUADS)
"""


def same(a: Path, b: Path, fmt: str) -> str:
    if not a.exists() or not b.exists():
        return "-"
    if fmt in ("ttl", "nt", "rdfxml"):
        return "same triples" if _triples(a, fmt) == _triples(b, fmt) else "DIFFERENT"
    if fmt == "ob3":   # a credential without an approval date is valid from the time of export
        return "same bytes" if _lines(a, "validFrom") == _lines(b, "validFrom") else "DIFFERENT"
    return "same bytes" if a.read_bytes() == b.read_bytes() else "DIFFERENT"


def _triples(path: Path, fmt: str) -> set:
    """The triples as N-Triples lines (no blank nodes in these documents), hashed to save memory."""
    import pyoxigraph as ox

    form = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    return {hash(str(t)) for t in ox.parse(path=str(path), format=form)}


def _lines(path: Path, leave_out: str) -> list:
    with open(path, "rb") as f:
        return [line for line in f if leave_out.encode() not in line]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="N-Triples (or any file mcmap reads)")
    ap.add_argument("--store", type=Path, default=None, help="a store folder the same data was loaded into")
    ap.add_argument("--before", type=Path, default=None, help="a checkout of earlier mcmap code to run too")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-export-"))
    work.mkdir(parents=True, exist_ok=True)
    mcmap = [sys.executable, "-m", "mcmap"]
    floor = timed([sys.executable, "-c", FLOOR, str(args.data), str(work / "floor.nq")])
    print(f"floor (Oxigraph load + N-Quads serialiser): {floor[0]:.1f} s, {floor[1]} MiB")
    print("| format | before: files | after: files | after: --store | store = files |")
    print("|---|---:|---:|---:|---|")
    for fmt in args.formats.split(","):
        cells = []
        if args.before:
            env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
            t = timed([*mcmap, "export", str(args.data), "-F", fmt, "-o", str(work / f"before.{fmt}")], env=env)
            cells.append(f"{t[0]:.1f} s, {t[1]} MiB" if t[2] == 0 else f"exit {t[2]} after {t[0]:.1f} s")
        else:
            cells.append("")
        t = timed([*mcmap, "export", str(args.data), "-F", fmt, "-o", str(work / f"files.{fmt}")])
        cells.append(f"{t[0]:.1f} s, {t[1]} MiB" if t[2] == 0 else f"exit {t[2]}")
        if args.store:
            t = timed([*mcmap, "export", "--store", str(args.store), "-F", fmt, "-o", str(work / f"store.{fmt}")])
            cells.append(f"{t[0]:.1f} s, {t[1]} MiB" if t[2] == 0 else f"exit {t[2]}")
            cells.append(same(work / f"files.{fmt}", work / f"store.{fmt}", fmt))
        else:
            cells += ["", ""]
        for made in ("before", "files", "store"):   # large at scale: compared, then let go
            (work / f"{made}.{fmt}").unlink(missing_ok=True)
        print(f"| `{fmt}` | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
