"""Remote loads that no server transaction has to hold whole, on real servers.

A first load is written in place behind a "load pending" marker; a load into a graph that
already holds data is staged and moved in bounded parts, each part undone exactly if a later
one fails. The checks after a load that read answers from the server (the credentials still
without a source file) read them in parts, so a server that cuts answers at a row limit
(Virtuoso's ResultSetMaxRows) still takes loads larger than it.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap import staging_graphs
from mcmap.pending_load import GRAPH_LOADING
from mcmap.store import LocalStore
from mcmap.store_remote import RemoteStore
from sparql_helpers import virtuoso_binary, virtuoso_server
from synth_data import synth
from test_engines import EXAMPLES, endpoint, findings, oxigraph_url, staging_graphs as left_staging, virtuoso_url  # noqa: F401

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def creds(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("synth"), 300)


def embedded_count(run, tmp_path, *paths) -> int:
    folder = tmp_path / "embedded"
    for p in paths:
        assert run("load", *p, "--store", folder).exit_code == 0
    store = LocalStore(folder)
    try:
        return store.count(ns.GRAPH_DATA)
    finally:
        store.close()


def test_a_first_load_leaves_no_marker_and_holds_what_the_embedded_store_holds(run, endpoint, creds, tmp_path):
    r = run("load", creds, *EXAMPLES, "--endpoint", endpoint)
    assert r.exit_code == 0, r.output
    store = RemoteStore(endpoint)
    assert store.count(ns.GRAPH_DATA) == embedded_count(run, tmp_path, [creds, *EXAMPLES])
    assert not list(store.quads(GRAPH_LOADING)) and not left_staging(store)


def test_a_first_load_that_fails_leaves_the_store_empty(run, endpoint, creds, tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text('<urn:x:a> <urn:x:b> "12" .\n<urn:x:a> <urn:x:c> .\n')
    r = run("load", creds, bad, "--endpoint", endpoint)  # the credentials are written first
    assert r.exit_code == 2 and "bad.nt" in r.stderr and "Traceback" not in r.output
    store = RemoteStore(endpoint)
    assert store.count(ns.GRAPH_DATA) == 0 and not list(store.quads(GRAPH_LOADING))
    assert not left_staging(store)


def test_a_load_into_a_full_graph_moves_in_parts_and_arrives_whole(run, endpoint, creds, tmp_path, monkeypatch):
    assert run("load", *EXAMPLES, "--endpoint", endpoint).exit_code == 0
    monkeypatch.setattr(staging_graphs, "MOVE_PART", 1000)  # about 5,000 triples: several parts
    updates = []
    plain = RemoteStore.update

    def counted(self, sparql):
        updates.append(sparql)
        return plain(self, sparql)
    monkeypatch.setattr(RemoteStore, "update", counted)
    r = run("load", creds, "--endpoint", endpoint)
    assert r.exit_code == 0, r.output
    assert len([u for u in updates if u.startswith("ADD ")]) >= 5
    store = RemoteStore(endpoint)
    assert store.count(ns.GRAPH_DATA) == embedded_count(run, tmp_path, EXAMPLES, [creds])
    assert not left_staging(store)
    # the same credentials again: nothing new, nothing lost
    assert run("load", creds, "--endpoint", endpoint).exit_code == 0
    assert store.count(ns.GRAPH_DATA) == embedded_count(run, tmp_path / "again", EXAMPLES, [creds])


def test_a_load_stopped_from_outside_is_not_taken_for_a_whole_one(endpoint, tmp_path):
    """The client killed mid-load: every later command refuses the store, saying what to drop."""
    big = synth(tmp_path, 20000)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "load", str(big), "--endpoint", endpoint],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = RemoteStore(endpoint)
    try:
        deadline = time.monotonic() + 120
        while store.count(ns.GRAPH_DATA) == 0:  # the marker is written before the first quad
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    r = subprocess.run([sys.executable, "-m", "mcmap", "validate", "-f", "au", "--endpoint", endpoint],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "a load into this store is running or was stopped" in r.stderr
    assert GRAPH_LOADING in r.stderr and ns.GRAPH_DATA in r.stderr
    store.update(f"DROP SILENT GRAPH <{GRAPH_LOADING}>")


# ---- Debian's Virtuoso with its limits lowered ------------------------------------------------

def tuned_virtuoso(folder, rows=None, after_image=None):
    if virtuoso_binary() is None:
        pytest.skip("virtuoso-t not found: install Debian's virtuoso-opensource (.ci/install-system-packages)")

    def tune(text: str) -> str:
        import re

        if rows:
            text = re.sub(r"(?m)^(ResultSetMaxRows\s*=\s*)\S+", rf"\g<1>{rows}", text)
        if after_image:
            text = text.replace("[Parameters]\n", f"[Parameters]\nTransactionAfterImageLimit = {after_image}\n", 1)
        return text
    folder.mkdir()
    return virtuoso_server(folder, tune=tune)


@pytest.fixture
def login(monkeypatch):
    monkeypatch.setenv("MCMAP_ENDPOINT_USER", "dba")
    monkeypatch.setenv("MCMAP_ENDPOINT_PASSWORD", "dba")


@pytest.mark.virtuoso
def test_a_load_larger_than_the_row_limit_is_checked_in_parts(run, tmp_path, creds, login):
    """ResultSetMaxRows 200 (stock: 10,000): 300 credentials that name no source file, so the
    load asks which credentials need one: 300 rows, past the cap."""
    unsourced = tmp_path / "unsourced.nt"
    unsourced.write_text("".join(x for x in creds.read_text().splitlines(keepends=True)
                                 if f"<{ns.MC}source" not in x))
    with tuned_virtuoso(tmp_path / "v", rows=200) as base:
        url = base + "/sparql-auth"
        r = run("load", unsourced, "--endpoint", url)
        assert r.exit_code == 0, r.output
        store = RemoteStore(url)
        assert store.count(ns.GRAPH_DATA) == embedded_count(run, tmp_path, [unsourced])
        sourced = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c <{ns.MC}sourceFile> ?f }}"
        assert int(next(iter(store.select(sourced)))[0].value) == 300
        # a credential with a value its datatype refuses is still found, past the cap
        bad = tmp_path / "bad.nt"
        bad.write_text(creds.read_text() + '<urn:x:a> <urn:x:c> "twelve"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
        r = run("load", bad, "--endpoint", url)
        assert r.exit_code == 2 and "twelve" in r.stderr and "Traceback" not in r.output
        # an answer that cannot be split under the cap is still refused, not cut
        q = tmp_path / "all.rq"
        q.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        r = run("query", q, "--endpoint", url)
        assert r.exit_code == 2 and "cut the answer at 200" in r.stderr


def test_a_move_stopped_half_way_says_what_the_store_holds(run, tmp_path, creds, monkeypatch):
    """The Oxigraph server stops after two parts of a load have moved into the data graph: the
    error names what to delete, and the store restarted holds exactly that."""
    from sparql_helpers import free_port, oxigraph_binary, wait_for

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server executable (PyPI package 'oxigraph') is not installed")
    folder, port = tmp_path / "oxi", free_port()

    def serve():
        proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(folder), "--bind",
                                 f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        return proc
    url = f"http://127.0.0.1:{port}/query"
    server = serve()
    try:
        assert run("load", *EXAMPLES, "--endpoint", url).exit_code == 0
        before = RemoteStore(url).count(ns.GRAPH_DATA)
        monkeypatch.setattr(staging_graphs, "MOVE_PART", 1000)
        plain = RemoteStore.update
        adds = []

        def update(self, sparql):
            plain(self, sparql)
            if sparql.startswith("ADD "):
                adds.append(sparql)
                if len(adds) == 2:
                    server.terminate()
                    server.wait(10)
        monkeypatch.setattr(RemoteStore, "update", update)
        r = run("load", creds, "--endpoint", url)
        monkeypatch.setattr(RemoteStore, "update", plain)
    finally:
        server.terminate()
        server.wait(10)
    assert r.exit_code == 2 and "Traceback" not in r.output
    message = r.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "cannot reach" in message and "stopped at part 3 of" in message
    assert "could not be taken out again" in message
    server = serve()
    try:
        store = RemoteStore(url)
        parts = [a.split("<")[1].split(">")[0] for a in adds]
        for part in parts:
            assert f"<{ns.GRAPH_DATA}> holds the triples of <{part}>" in message
        def size(graph):
            rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[graph])
            return int(next(iter(rows))[0].value)
        assert store.count(ns.GRAPH_DATA) == before + sum(size(p) for p in parts) == before + 2000
        # doing what the message says puts the store back as it was
        for part in parts:
            store.update(f"DELETE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{part}> {{ ?s ?p ?o }} }}")
        assert store.count(ns.GRAPH_DATA) == before
    finally:
        server.terminate()
        server.wait(10)
