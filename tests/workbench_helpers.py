"""A real `mcmap serve` (workbench and endpoint) over a store of the example submissions, and
the command-line answers the workbench's pages are held to."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from sparql_helpers import free_port, wait_for

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# Every example submission, with the framework it is judged by.
SUBMISSIONS = [(p.name, p.name.split("-")[0]) for p in sorted(EXAMPLES.glob("*-submission.*"))]


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd or EXAMPLES, timeout=300)


def cli_report(name: str, framework: str, as_of: str) -> dict:
    """`mcmap validate FILE --framework F --as-of D --format json`, run in the file's folder."""
    done = cli("validate", name, "--framework", framework, "--as-of", as_of, "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def make_store(folder: Path) -> Path:
    store = folder / "store"
    done = cli("load", *sorted(EXAMPLES.glob("*-submission.csv")), "--store", store)
    assert done.returncode == 0, done.stderr
    return store


@contextlib.contextmanager
def running_server(store: Path, *extra: str):
    """`mcmap serve --store STORE` on a free 127.0.0.1 port; stopped (by its PID) afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store), "--port", str(port),
                             "--workers", "1", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", proc, seconds=60)
        log: list[str] = []
        # Drain the request log, so a long test never blocks the server on a full pipe.
        threading.Thread(target=lambda: log.extend(line.decode() for line in proc.stderr), daemon=True).start()
        yield base
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
