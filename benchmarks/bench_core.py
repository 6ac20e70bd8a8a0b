"""Core-shapes benchmark: `mcmap validate` through the CLI, in every report format, beside the
raw Oxigraph floor (floor.py) and pySHACL, on the same data (core_data.py) in the same run,
with the result sets checked equal.

Every command runs in its own process under /usr/bin/time, so its wall time and peak memory
(maximum resident set) are its own.

    PYTHONPATH=. python benchmarks/bench_core.py --sizes 20000 100000 --pyshacl-max 100000
    PYTHONPATH=. python benchmarks/bench_core.py --sizes 1000000 --formats json --pyshacl-max 0
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FORMATS = ("text", "json", "ttl", "jsonld")


def timed(cmd: list[str], cpu: bool = False, env=None) -> tuple:
    """(wall seconds, peak RSS MiB, exit code) of one command in its own process, and with `cpu`
    its processor seconds (user + system), which other work on a shared machine changes less."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", *cmd], capture_output=True, text=True, env=env)
    last = out.stderr.strip().splitlines()[-1].split()
    got = (float(last[0]), int(last[1]) // 1024, out.returncode)
    return (*got, float(last[2]) + float(last[3])) if cpu else got


def mcmap_keys(path: Path) -> set:
    doc = json.loads(path.read_text())
    return {(c["focus_node"], iri(f["path"]), f["constraint_component"].rsplit("#", 1)[-1])
            for c in doc["credentials"] for f in c["findings"]}


def iri(path: str) -> str:
    """A report's path (SPARQL syntax: `<iri>` or `dct:title`) as the floor's IRI."""
    from mcmap.namespaces import PREFIXES

    if path.startswith("<") and path.endswith(">"):
        return path[1:-1]
    prefix, _, local = path.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else path


def floor_keys(path: Path) -> set:
    doc = json.loads(path.read_text())
    return {(b["focus"]["value"], b["path"]["value"], b["component"]["value"].rsplit("#", 1)[-1])
            for b in doc["results"]["bindings"]}


def run_pyshacl(data: str, shapes: str, out: str) -> None:
    """In a child process: pySHACL on the same file, its results as (focus, path, component)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    g = Graph().parse(data, format="nt")
    s = Graph().parse(shapes, format="turtle")
    _, report, _ = pyshacl.validate(g, shacl_graph=s, inference="none")
    keys = [[str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
             str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]]
            for r in report.objects(None, SH.result)]
    Path(out).write_text(json.dumps(keys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    ap.add_argument("--formats", nargs="+", default=list(FORMATS))
    ap.add_argument("--pyshacl-max", type=int, default=100000, help="largest size pySHACL runs at")
    ap.add_argument("--work", type=Path, default=None, help="folder for data and outputs")
    a = ap.parse_args()
    import core_data

    work = a.work or Path(tempfile.mkdtemp(prefix="mcmap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print("| credentials | triples | tool | s | peak MiB | x floor time | x floor memory | same results |")
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for n in a.sizes:
        data = work / f"core-{n}.nt"
        if not data.exists():
            core_data.write(data, n)
        shapes = work / "core-shapes.ttl"
        triples = sum(1 for _ in open(data, encoding="utf-8"))
        floor_out = work / f"floor-{n}.json"
        ft, fm, _ = timed([sys.executable, str(HERE / "floor.py"), str(data), "-o", str(floor_out)])
        expected = floor_keys(floor_out)
        print(f"| {n:,} | {triples:,} | floor | {ft:.1f} | {fm} | 1.0 | 1.0 | {len(expected):,} results |", flush=True)
        for fmt in a.formats:
            out = work / f"mcmap-{n}.{fmt}"
            cmd = [sys.executable, "-m", "mcmap", "validate", str(data), "--shapes", str(shapes), "-F", fmt, "-o", str(out)]
            t, m, code = timed(cmd)
            same = ""
            if fmt == "json":
                same = "yes" if mcmap_keys(out) == expected else "NO"
            print(f"| {n:,} | {triples:,} | mcmap {fmt} | {t:.1f} | {m} | {t / ft:.2f} | {m / fm:.2f} | {same} |", flush=True)
            assert code == (1 if expected else 0), f"mcmap exited {code}"
        if n <= a.pyshacl_max:
            out = work / f"pyshacl-{n}.json"
            t, m, _ = timed([sys.executable, str(Path(__file__).resolve()), "--pyshacl", str(data), str(shapes), str(out)])
            got = {tuple(k) for k in json.loads(out.read_text())} if out.exists() else None
            same = "yes" if got == expected else "NO"
            print(f"| {n:,} | {triples:,} | pySHACL | {t:.1f} | {m} | {t / ft:.2f} | {m / fm:.2f} | {same} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--pyshacl":
        run_pyshacl(*sys.argv[2:])
    else:
        main()
