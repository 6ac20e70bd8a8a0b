"""Remote-store benchmark: `mcmap load`, `validate` and `map` with `--endpoint` on an Oxigraph
server and on Debian's Virtuoso, beside the embedded store in the same run, on the same
synthetic credentials (synth.py). Checks the findings and mapping results are the same as
embedded, and records per command: wall time, the client's peak memory, the number of HTTP
requests and the largest request and response body.

Each command runs in its own process (the real CLI, in-process there, with the HTTP traffic
counted), so peak memory belongs to one command.

    PYTHONPATH=. python benchmarks/bench_remote.py --sizes 10000 100000 --engines oxigraph virtuoso

Virtuoso runs with Debian's stock virtuoso.ini apart from folders and ports, and with its
result-size and time limits raised and more buffers (ResultSetMaxRows, MaxQueryExecutionTime,
NumberOfBuffers, MaxDirtyBuffers, TransactionAfterImageLimit): the stock limits cut answers at
10,000 rows, which mcmap refuses as incomplete, and refuse an update that writes more than 50 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))


# ---- the child: one CLI command with its traffic counted ----------------------------------

class _Counted:
    """A response whose bytes are counted as they are read."""

    def __init__(self, resp, stats):
        self._resp, self._stats, self.n = resp, stats, 0
        self.headers = resp.headers

    def read(self, size=-1):
        data = self._resp.read(size)
        self.n += len(data)
        self._stats["max_response"] = max(self._stats["max_response"], self.n)
        return data

    def close(self):
        self._resp.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def child(args: list[str]) -> None:
    from mcmap import store_remote
    from mcmap.cli import cli

    stats = {"requests": 0, "max_request": 0, "max_response": 0}
    make = store_remote._opener

    def counting_opener(urls):
        opener = make(urls)
        plain = opener.open

        def open_(req, *a, **kw):
            stats["requests"] += 1
            stats["max_request"] = max(stats["max_request"], len(req.data or b""))
            return _Counted(plain(req, *a, **kw), stats)
        opener.open = open_
        return opener
    store_remote._opener = counting_opener
    start = time.monotonic()
    code = 0
    try:
        cli.main(args, standalone_mode=False)
    except SystemExit as e:
        code = e.code or 0
    stats["seconds"] = round(time.monotonic() - start, 2)
    stats["exit"] = code
    stats["peak_mib"] = peak_mib()
    use = resource.getrusage(resource.RUSAGE_SELF)
    stats["cpu_s"] = round(use.ru_utime + use.ru_stime, 1)
    print("BENCH " + json.dumps(stats), file=sys.stderr)


def peak_mib() -> int:
    """This process's peak resident memory. Not ru_maxrss: Linux keeps that across exec, so a
    child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def server_pid() -> int | None:
    """The server this process started: its one child process that is not a command's."""
    me = os.getpid()
    for task in Path(f"/proc/{me}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"--child" in cmdline or b"VmHWM:" not in status.encode():
                continue
            return int(pid)
    return None


def server_peak_mib() -> int | None:
    """The peak resident memory so far of the server this process started, or None."""
    pid = server_pid()
    try:
        status = Path(f"/proc/{pid}/status").read_text() if pid else ""
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return None


def server_cpu_s() -> float | None:
    """Processor seconds (user + system) the server this process started has used so far."""
    pid = server_pid()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() if pid else None
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else None


def run(args: list[str], env=None) -> dict:
    server_before = server_cpu_s()
    proc = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})})
    line = [x for x in proc.stderr.splitlines() if x.startswith("BENCH ")]
    if not line:
        raise RuntimeError(f"{args}: {proc.stderr[-3000:]}")
    out = json.loads(line[-1][6:])
    if out["exit"] not in (0, 1):
        if args[0] == "load":
            raise RuntimeError(f"{args}: exit {out['exit']}: {proc.stderr[-3000:]}")
        # kept in the table: a stock server's limits may stop a command, and it must say so
        out["error"] = next((x for x in reversed(proc.stderr.splitlines()) if x.startswith("mcmap: error")),
                            proc.stderr[-300:])
    out["server_peak_mib"] = server_peak_mib()
    server_after = server_cpu_s()
    if server_before is not None and server_after is not None:
        out["server_cpu_s"] = round(server_after - server_before, 1)
    return out


# ---- the parent -------------------------------------------------------------------------------

def findings(path: Path) -> tuple[int, str]:
    """The report's findings as a multiset: how many, and the sum of their SHA-256 hashes (mod
    2**256), the same whatever order the credentials come in. The report is read a credential
    at a time (mcmap writes each element of "credentials" as its own indented block), so a
    report of a million credentials (gigabytes of JSON) is never held."""
    import hashlib

    count, total = 0, 0

    def add(credential):
        nonlocal count, total
        for f in credential["findings"]:
            key = json.dumps([credential["identifier"], f["rule_id"], f["severity"], f.get("value"), f["message"]])
            total += int.from_bytes(hashlib.sha256(key.encode()).digest(), "big")
            count += 1
    block: list[str] | None = None
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if block is None:
                if line == "    {\n":  # a credential starts
                    block = [line]
            else:
                block.append(line)
                if line.rstrip(",\n") == "    }":
                    add(json.loads("".join(block).rstrip().rstrip(",")))
                    block = None
    return count, f"{total % 2 ** 256:064x}"


def mapping(path: Path) -> tuple[int, str]:
    """The mapping document as (credentials, SHA-256 over each credential's canonical JSON, in
    order), read a credential at a time (each element is its own block indented by two spaces),
    so a million credentials' 3 GB document is never held."""
    import hashlib

    digest, count, block = hashlib.sha256(), 0, None
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if block is None:
                if line == "  {\n":
                    block = [line]
            else:
                block.append(line)
                if line.rstrip(",\n") == "  }":
                    item = json.loads("".join(block).rstrip().rstrip(","))
                    digest.update(json.dumps(item, sort_keys=True).encode())
                    count += 1
                    block = None
    return count, digest.hexdigest()


def virtuoso_tuned(folder: Path):
    from sparql_helpers import virtuoso_server

    def tune(text: str) -> str:
        for key, value in (("ResultSetMaxRows", "100000000"), ("MaxQueryExecutionTime", "0"),
                           ("MaxQueryCostEstimationTime", "0"), ("NumberOfBuffers", "170000"),
                           ("MaxDirtyBuffers", "130000")):
            text = re.sub(rf"(?m)^({key}\s*=\s*)\S+", rf"\g<1>{value}", text)
        # one update may write this much (default 50 MB): moving 1.75M staged triples needs more
        return text.replace("[Parameters]\n", "[Parameters]\nTransactionAfterImageLimit = 2000000000\n", 1)
    return virtuoso_server(folder, tune=tune)


def loaded(folder: Path) -> bool:
    return folder.with_name(folder.name + ".loaded").exists()


def mark_loaded(folder: Path, keep: bool) -> None:
    if keep:
        folder.with_name(folder.name + ".loaded").write_text("")


def bench(size: int, engines: list[str], framework: str, target: str, work: Path,
          commands=("validate", "map"), reuse: bool = False, reuse_stores: bool = False,
          with_embedded: bool = True, data: Path | None = None, expected: Path | None = None,
          expected_map_file: Path | None = None) -> list[dict]:
    import synth
    from sparql_helpers import oxigraph_server, virtuoso_server

    data = data or work / f"creds-{size}.nt"
    if not data.exists():
        synth.write(data, size)
    rows = []
    base = work / f"embedded-{size}"
    embedded = work / f"embedded-{size}-store"
    folder = embedded if reuse_stores or not with_embedded else Path(tempfile.mkdtemp(dir=work, prefix=f"embedded-{size}-"))
    if with_embedded and not loaded(folder):
        ld = run(["load", data, "--store", folder])
        rows.append(dict(size=size, engine="embedded", command="load", **ld))
        mark_loaded(folder, reuse_stores)
    if with_embedded and "validate" in commands and not (reuse and base.with_suffix(".validate.json").exists()):
        v = run(["validate", "-f", framework, "-F", "json", "--store", folder, "-o", base.with_suffix(".validate.json")])
        rows.append(dict(size=size, engine="embedded", command="validate", **v))
    for row in rows:
        print(json.dumps(row), flush=True)
    if with_embedded and "map" in commands:
        m = run(["map", "--to", target, "-F", "json", "--store", folder, "-o", base.with_suffix(".map.json")])
        rows.append(dict(size=size, engine="embedded", command="map", **m))
        print(json.dumps(rows[-1]), flush=True)
        expected_map = mapping(base.with_suffix(".map.json"))
    if with_embedded and "validate" in commands:
        expected_findings = findings(base.with_suffix(".validate.json"))
    else:
        expected_findings = None
    for engine in engines:
        if reuse_stores:
            # the server's database from an earlier run with the same data, loaded once
            folder = work / f"{engine}-{size}-store"
            if engine == "oxigraph" and not loaded(folder) and loaded(embedded):
                # `oxigraph serve` opens the folder `mcmap load --store` filled with the same data
                shutil.copytree(embedded, folder, dirs_exist_ok=True)
                mark_loaded(folder, True)
            folder.mkdir(exist_ok=True)
        else:
            folder = Path(tempfile.mkdtemp(dir=work, prefix=f"{engine}-{size}-"))
        if engine == "oxigraph":
            server, path, env = oxigraph_server(folder, wait=600), "/query", {}
        else:
            # virtuoso-stock: Debian's virtuoso.ini as shipped (10,000 rows, 60 s per query)
            server = virtuoso_tuned(folder) if engine == "virtuoso" else virtuoso_server(folder)
            path, env = "/sparql-auth", {"MCMAP_ENDPOINT_USER": "dba", "MCMAP_ENDPOINT_PASSWORD": "dba"}
        with server as url:
            url += path
            out = work / f"{engine}-{size}"
            if not loaded(folder):
                r = run(["load", data, "--endpoint", url, "--timeout", "3600"], env)
                rows.append(dict(size=size, engine=engine, command="load", **r))
                print(json.dumps(rows[-1]), flush=True)
                mark_loaded(folder, reuse_stores)
            if "validate" in commands:
                r = run(["validate", "-f", framework, "-F", "json", "--endpoint", url, "--timeout", "3600",
                         "-o", out.with_suffix(".validate.json")], env)
                if expected_findings is None and expected and expected.exists():
                    expected_findings = findings(expected)  # an embedded report made elsewhere
                if expected_findings is not None and r["exit"] in (0, 1):
                    got = findings(out.with_suffix(".validate.json"))
                    r["same"] = got == expected_findings
                    r["findings"] = got[0]
                rows.append(dict(size=size, engine=engine, command="validate", **r))
                print(json.dumps(rows[-1]), flush=True)
            if "map" in commands:
                r = run(["map", "--to", target, "-F", "json", "--endpoint", url, "--timeout", "3600",
                         "-o", out.with_suffix(".map.json")], env)
                if not with_embedded and expected_map_file and expected_map_file.exists():
                    expected_map = mapping(expected_map_file)  # an embedded document made elsewhere
                if (with_embedded or expected_map_file) and r["exit"] == 0:
                    r["same"] = mapping(out.with_suffix(".map.json")) == expected_map
                rows.append(dict(size=size, engine=engine, command="map", **r))
                print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[10000])
    ap.add_argument("--engines", nargs="+", default=["oxigraph", "virtuoso"],
                    choices=["oxigraph", "virtuoso", "virtuoso-stock"],
                    help="virtuoso: limits raised (see above); virtuoso-stock: Debian's stock "
                         "limits (ResultSetMaxRows 10,000, MaxQueryExecutionTime 60 s)")
    ap.add_argument("--framework", default="au")
    ap.add_argument("--to", default="nz")
    ap.add_argument("--commands", nargs="*", default=["validate", "map"], choices=["validate", "map"],
                    help="what to run after the load (map takes the longest; none: the load only)")
    ap.add_argument("--data", default=None,
                    help="the N-Triples credentials to load (one size), instead of synthesising them "
                         "into --work")
    ap.add_argument("--expected", default=None,
                    help="with --no-embedded: an embedded `validate -F json` report of the same data "
                         "and framework to compare the findings with")
    ap.add_argument("--expected-map", default=None,
                    help="with --no-embedded: an embedded `map -F json` document of the same data and "
                         "target to compare the mapping with")
    ap.add_argument("--work", default=None, help="folder for data and outputs (default: a temporary one)")
    ap.add_argument("--reuse-embedded", action="store_true",
                    help="compare with the embedded validation report already in --work")
    ap.add_argument("--reuse-stores", action="store_true",
                    help="keep each store's database in --work and load it only the first time "
                         "(later runs time validate and map on the same data without the load); "
                         "the Oxigraph server then opens a copy of the embedded store's folder")
    ap.add_argument("--no-embedded", action="store_true",
                    help="only the servers (no embedded rows to compare with: for sizes too large "
                         "to run twice)")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="mcmap-bench-remote-"))
    work.mkdir(parents=True, exist_ok=True)
    print("| credentials | store | command | s | client CPU s | server CPU s | client peak MiB "
          "| server peak MiB | requests | largest request MiB | largest response MiB | same as embedded |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for size in a.sizes:
        for r in bench(size, a.engines, a.framework, a.to, work, a.commands, a.reuse_embedded, a.reuse_stores,
                       not a.no_embedded, Path(a.data) if a.data else None,
                       Path(a.expected) if a.expected else None,
                       Path(a.expected_map) if a.expected_map else None):
            same = {True: f"yes ({r['findings']:,} findings)" if "findings" in r else "yes",
                    False: "NO"}.get(r.get("same"), "")
            if "error" in r:
                same = f"exit {r['exit']}: {r['error']}"
            print(f"| {r['size']:,} | {r['engine']} | {r['command']} | {r['seconds']} | {r.get('cpu_s', '-')} | "
                  f"{r.get('server_cpu_s', '-')} | {r['peak_mib']} | "
                  f"{r.get('server_peak_mib') or '-'} | "
                  f"{r['requests']} | {r['max_request'] / 2**20:.1f} | {r['max_response'] / 2**20:.1f} | {same} |",
                  flush=True)


if __name__ == "__main__":
    main()
