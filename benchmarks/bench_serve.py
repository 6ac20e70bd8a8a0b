"""`mcmap serve` under load, on 127.0.0.1: quick queries from N clients, with and without slow
queries (a cartesian product) running beside them. Throughput and p50/p99 latency of the
quick queries, and how many of them were refused.

    python benchmarks/bench_serve.py [--credentials 2000] [--clients 16] [--slow 2] [--seconds 10]
                                     [--baseline /path/to/other/checkout]

With --baseline the same load also runs against that checkout's `mcmap serve` (e.g. an older
version), in the same run, so the figures compare on the same machine. Bounded: each scenario
runs --seconds, every query has a client-side timeout, servers are stopped by their PID.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

HERE = Path(__file__).resolve().parents[1]
QUICK = ("PREFIX mc: <https://w3id.org/mcmap/ns#> SELECT ?c WHERE { ?c a mc:MicroCredential ; "
         "mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/WS> } LIMIT 20")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(repo: Path, store: Path, timeout: float):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(repo)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store), "--port", str(port),
                             "--timeout", str(timeout)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    base = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).close()
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{repo}: mcmap serve did not start")


def ask(base: str, query: str, timeout: float) -> int:
    req = urllib.request.Request(base + "?query=" + urllib.parse.quote(query),
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0  # no answer within the client's timeout


def scenario(base: str, clients: int, slow: int, seconds: float, timeout: float) -> dict:
    stop = time.monotonic() + seconds
    quick: list[tuple[float, int]] = []
    slow_codes: list[int] = []
    lock = threading.Lock()

    def quick_client():
        while time.monotonic() < stop:
            t = time.monotonic()
            code = ask(base, QUICK, timeout + 5)
            with lock:
                quick.append((time.monotonic() - t, code))

    def slow_client():
        while time.monotonic() < stop:
            code = ask(base, SLOW, timeout + 5)
            with lock:
                slow_codes.append(code)

    threads = [threading.Thread(target=slow_client) for _ in range(slow)]
    for t in threads:
        t.start()
    if slow:
        time.sleep(2)  # let the slow queries take hold first
        stop += 2
    quick_threads = [threading.Thread(target=quick_client) for _ in range(clients)]
    started = time.monotonic()
    for t in quick_threads:
        t.start()
    for t in quick_threads + threads:
        t.join()
    elapsed = time.monotonic() - started
    ok = sorted(d for d, c in quick if c == 200)
    q = statistics.quantiles(ok, n=100) if len(ok) >= 2 else [float("nan")] * 99
    return {"answered": len(ok), "refused": sum(1 for _, c in quick if c != 200), "qps": len(ok) / elapsed,
            "p50": q[49] * 1000, "p99": q[98] * 1000, "max": (ok[-1] if ok else float("nan")) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--slow", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=30, help="the server's --timeout")
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    repos = [("this checkout", HERE)] + ([("baseline", args.baseline)] if args.baseline else [])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "creds.nt"
        synth.write(data, args.credentials)
        print(f"{args.credentials} credentials, {args.clients} quick clients, {args.seconds:g} s per scenario, "
              f"server --timeout {args.timeout:g}, default --workers\n")
        print("| server | slow queries running | quick answered | refused (503/timeout) | quick q/s | p50 | p99 | max |")
        print("|---|---|---|---|---|---|---|---|")
        for name, repo in repos:
            store = Path(tmp) / f"store-{name.replace(' ', '-')}"
            env = {**os.environ, "PYTHONPATH": str(repo)}
            subprocess.run([sys.executable, "-m", "mcmap", "load", str(data), "--store", str(store)],
                           check=True, env=env, stderr=subprocess.DEVNULL)
            for slow in (0, args.slow):
                proc, base = start(repo, store, args.timeout)
                try:
                    r = scenario(base, args.clients, slow, args.seconds, args.timeout)
                finally:
                    proc.terminate()
                    proc.wait(30)
                print(f"| {name} | {slow} | {r['answered']} | {r['refused']} | {r['qps']:.0f} | "
                      f"{r['p50']:.0f} ms | {r['p99']:.0f} ms | {r['max']:.0f} ms |", flush=True)


if __name__ == "__main__":
    main()
