"""How long `mcmap --help` (and each command's --help) takes, as a user's shell sees it.

    python benchmarks/bench_startup.py [--runs 20]

Target (DESIGN.md): `mcmap --help` under 0.3 s. Heavy libraries load only when a command runs.
"""
import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = ["", "frameworks", "rules", "validate", "map", "match", "compare", "load", "query", "serve", "export"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print("| command | median | max |\n|---|---|---|")
    for command in COMMANDS:
        args = [sys.executable, "-m", "mcmap", *([command] if command else []), "--help"]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        print(f"| `mcmap {command + ' ' if command else ''}--help` | {statistics.median(times):.3f} s | {max(times):.3f} s |")


if __name__ == "__main__":
    main()
