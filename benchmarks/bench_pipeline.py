"""One store folder through a reviewer's day at growing sizes, through the CLI: `mcmap load`
of synthetic credentials (synth.py) into a fresh folder, `mcmap validate --store DIR -f au`,
then `mcmap map --store DIR --to nz`, each in its own process under /usr/bin/time (wall time,
peak resident memory, processor time). Each step's growth is shown per 10x data, scaled from the sizes run.

    PYTHONPATH=. python benchmarks/bench_pipeline.py --sizes 100000 1000000 --work /path/with/space

The data file (about 2.3 KB per credential) is kept in --work and reused; the folder is made
afresh for every size and removed afterwards unless --keep is given.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_core import timed  # noqa: E402


def steps(data: Path, folder: Path, out: Path, framework: str, target: str) -> list[tuple[str, list[str]]]:
    return [
        ("load", ["mcmap", "load", str(data), "--store", str(folder)]),
        (f"validate -f {framework}", ["mcmap", "validate", "--store", str(folder), "-f", framework,
                                      "-F", "json", "-o", str(out / f"validate-{framework}.json")]),
        (f"map --to {target}", ["mcmap", "map", "--store", str(folder), "--to", target,
                                "-F", "json", "-o", str(out / f"map-{target}.json")]),
    ]


def summary(out: Path, framework: str, target: str) -> str:
    """What the run produced, so runs at different sizes can be told apart from failures."""
    parts = []
    report = out / f"validate-{framework}.json"
    if report.exists():
        # the summary comes before the credentials; at a million the whole report is 3 GB
        with report.open(encoding="utf-8") as fh:
            head = fh.read(1 << 16)
        start = head.index('"summary":') + len('"summary":')
        counts, _ = json.JSONDecoder().raw_decode(head[start:].lstrip())
        parts.append(f"checked {counts['credentials_checked']}, violations {counts['violations']}")
    mapped = out / f"map-{target}.json"
    if mapped.exists():
        parts.append(f"map output {mapped.stat().st_size / 2**20:.0f} MiB")
    return "; ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[10000, 100000])
    ap.add_argument("--work", type=Path, required=True, help="folder for the data, stores and outputs")
    ap.add_argument("--framework", default="au")
    ap.add_argument("--to", default="nz")
    ap.add_argument("--keep", action="store_true", help="keep each size's store folder and outputs")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows: dict[tuple[int, str], tuple[float, int, int, float]] = {}
    for n in args.sizes:
        data = args.work / f"creds-{n}.nt"
        if not data.exists():
            subprocess.run([sys.executable, str(HERE / "synth.py"), str(n), "-o", str(data)], check=True)
        folder, out = args.work / f"store-{n}", args.work / f"out-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        out.mkdir(exist_ok=True)
        for name, cmd in steps(data, folder, out, args.framework, args.to):
            rows[n, name] = seconds, mib, rc, cpu = timed(cmd, cpu=True)
            print(f"{n:>9,} {name:<16} {seconds:8.1f} s {mib:6,} MiB  cpu {cpu:8.1f} s  exit {rc}", flush=True)
            if rc not in (0, 1):
                sys.exit(f"{' '.join(cmd)} failed with exit {rc}")
        print(f"{n:>9,} {summary(out, args.framework, args.to)}", flush=True)
        if not args.keep:
            shutil.rmtree(folder)
            shutil.rmtree(out)
    print("\n| step | " + " | ".join(f"{n:,}" for n in args.sizes) + " | growth per 10x data |")
    print("|---|" + "---:|" * (len(args.sizes) + 1))
    names = [name for name, _ in steps(Path(), Path(), Path(), args.framework, args.to)]
    for name in names:
        cells = [f"{rows[n, name][0]:.1f} s ({rows[n, name][3]:.1f} s cpu), {rows[n, name][1]:,} MiB"
                 for n in args.sizes]
        small, large = args.sizes[0], args.sizes[-1]
        growth = ""
        if large > small:
            # ratios scaled to a tenfold step: (t_large / t_small) ** (1 / log10(n_large / n_small))
            step = 1 / math.log10(large / small)
            wall, cpu = (rows[large, name][i] / rows[small, name][i] for i in (0, 3))
            growth = f"{wall ** step:.2f}x ({cpu ** step:.2f}x cpu)"
        print(f"| {name} | " + " | ".join(cells) + f" | {growth} |")


if __name__ == "__main__":
    main()
