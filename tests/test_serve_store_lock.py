"""`mcmap load` into a store that `mcmap serve` is serving is refused with a message (the
server would otherwise go on answering from the old data), and serve refuses a store that
another command is writing. Queries still read a served store."""
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mcmap.store import LocalStore
from sparql_helpers import free_port, wait_for

REPO = Path(__file__).resolve().parents[1]
AU = REPO / "examples" / "au-submission.csv"
NZ = REPO / "examples" / "nz-submission.csv"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/mcmap/ns#MicroCredential> }"


def mcmap(*args, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120, **kw)


def served_count(base: str) -> int:
    url = f"{base}/query?query={urllib.parse.quote(COUNT)}"
    req = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return int(r.read().decode().splitlines()[1])


@pytest.mark.slow
def test_load_into_a_served_store_is_refused_and_the_server_keeps_answering(tmp_path):
    store = tmp_path / "store"
    assert mcmap("load", AU, "--store", store).returncode == 0
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store), "--port", str(port),
                             "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", proc, seconds=30)
        before = served_count(base)
        for args in (("load", NZ), ("load", NZ, "--replace"), ("validate", "-f", "nz", "--keep-report")):
            result = mcmap(*args, "--store", store)
            assert result.returncode == 2, result.stderr
            assert "mcmap serve is serving this store" in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
        assert served_count(base) == before
        # Reading the served store from the command line still works.
        assert mcmap("query", "--named", "credentials-by-level", "--store", store).returncode == 0
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    loaded = mcmap("load", NZ, "--store", store)
    assert loaded.returncode == 0, loaded.stderr


@pytest.mark.slow
def test_serve_refuses_a_store_being_written(tmp_path):
    store = tmp_path / "store"
    with LocalStore(store) as writer:
        writer.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        result = mcmap("serve", "--store", store, "--port", free_port())
        assert result.returncode == 2
        assert "another mcmap command is writing this store" in result.stderr
