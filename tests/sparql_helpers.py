"""Shared pieces of the query, remote-store and serve tests: the fixture data and a real
Oxigraph server on a free local port."""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "query-fixture.trig"


def fixture_quads() -> list[ox.Quad]:
    """The hand-checked fixture, graphs kept (ontology, data, mappings, reports)."""
    return list(ox.parse(path=str(FIXTURE)))


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def oxigraph_server(location: Path, wait: float = 15):
    """`oxigraph serve` on a free 127.0.0.1 port; yields its base URL, stops it after. `wait`:
    seconds to let it start (opening a large existing store takes longer)."""
    binary = oxigraph_binary()
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D", proc, wait)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


VIRTUOSO_INI = (Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
                Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"))
VIRTUOSO_DB = "/var/lib/virtuoso-opensource-7/db"


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def virtuoso_ini(folder: Path, sql_port: int, http_port: int, tune=None) -> Path:
    """Debian's stock virtuoso.ini with only the folders and ports changed (bound to 127.0.0.1)."""
    import re

    source = next((p for p in VIRTUOSO_INI if p.exists()), None)
    if source is None:
        raise FileNotFoundError("virtuoso.ini of Debian's virtuoso-opensource-7 not found")
    text = source.read_text().replace(VIRTUOSO_DB, str(folder))
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>127.0.0.1:{http_port}", text)
    text = re.sub(r"(?m)^(DefaultHost\s*=\s*)localhost:8890\b", rf"\g<1>127.0.0.1:{http_port}", text)
    ini = folder / "virtuoso.ini"
    ini.write_text(tune(text) if tune else text)
    return ini


@contextlib.contextmanager
def virtuoso_server(folder: Path, tune=None):
    """Debian's Virtuoso on free 127.0.0.1 ports, a new database in `folder`; yields its base
    URL (user dba, password dba: a new database's defaults); stopped by its PID after.
    `tune(text)` may change the configuration further (benchmarks raise its limits)."""
    http_port = free_port()
    ini = virtuoso_ini(folder, free_port(), http_port, tune)
    log = open(folder / "console.log", "wb")
    proc = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", str(ini)],
                            cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {proc.returncode}: "
                                   f"{(folder / 'console.log').read_text(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("Virtuoso did not answer within 120 s")
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
