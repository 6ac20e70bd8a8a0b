"""SPARQL SERVICE (federation) is refused on every path a query takes: a query file, a
named query's parameters, SHACL-SPARQL shapes, --endpoint and mcmap serve. A listening socket
on 127.0.0.1 records whether mcmap ever connects to the address a query names."""
import contextlib
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mcmap.store import LocalStore
from sparql_helpers import fixture_quads, free_port, wait_for

REPO = Path(__file__).resolve().parents[1]
AU = REPO / "examples" / "au-submission.csv"


@contextlib.contextmanager
def canary():
    """A TCP listener that counts connections; yields (url, connections list)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            with contextlib.suppress(OSError):
                seen.append(conn.recv(65536))
            conn.close()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", seen
    finally:
        stop.set()
        t.join(2)
        sock.close()


QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * {{ ?x ?y ?z . service silent <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX r: <{url}#>\nSELECT * WHERE {{ SeRvIcE r:x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE # a comment\n<{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ ?s ?p \"x\"SERVICE<{url}>{{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", QUERIES)
def test_query_file_with_service_is_refused_without_a_connection(run, tmp_path, template):
    with canary() as (url, seen):
        q = tmp_path / "fed.rq"
        q.write_text(template.format(url=url))
        result = run("query", q, AU)
    assert result.exit_code == 2, result.output
    assert "SERVICE" in result.stderr and "refused" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert seen == []


def test_honest_queries_that_mention_service_still_run(run, tmp_path):
    q = tmp_path / "ok.rq"
    q.write_text('PREFIX service: <http://example.org/service/>\n'
                 'SELECT ?service WHERE { ?service ?p "customer service" . ?service service:x ?y }')
    result = run("query", q, AU)
    assert result.exit_code == 0, result.output


def test_named_query_parameter_cannot_smuggle_service(run):
    with canary() as (url, seen):
        result = run("query", "--named", "volume-of-learning", "-p",
                     f"jurisdiction=<{url}> }} SERVICE <{url}> {{ ?a ?b ?c", AU)
    assert result.exit_code == 2  # not a jurisdiction code or IRI
    assert seen == []


def test_endpoint_is_never_sent_a_federated_query(run, tmp_path):
    # Sent to the endpoint, the SERVICE call would be made by the store on mcmap's behalf.
    with canary() as (url, seen):
        q = tmp_path / "fed.rq"
        q.write_text(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        result = run("query", q, "--endpoint", url)
    assert result.exit_code == 2, result.output
    assert "refused" in result.stderr
    assert seen == []


def test_shacl_sparql_shape_with_service_is_refused(run, tmp_path):
    with canary() as (url, seen):
        shapes = tmp_path / "fed-shapes.ttl"
        shapes.write_text(f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mc: <https://w3id.org/mcmap/ns#> .
<urn:s> a sh:NodeShape ; sh:targetClass mc:MicroCredential ;
  sh:sparql [ sh:message "x" ; sh:select "SELECT $this WHERE {{ SERVICE <{url}> {{ $this ?p ?o }} }}" ] .
""")
        result = run("validate", AU, "--shapes", shapes)
    assert result.exit_code == 2, result.output
    assert "refused" in result.stderr
    assert seen == []


@pytest.mark.slow
def test_serve_refuses_service_with_400_and_never_connects(tmp_path):
    store_dir = tmp_path / "store"
    with LocalStore(store_dir) as s:
        s.add(fixture_quads())
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store_dir),
                             "--port", str(port), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", proc, seconds=30)
        with canary() as (url, seen):
            for template in QUERIES:
                query = urllib.parse.quote(template.format(url=url))
                with pytest.raises(urllib.error.HTTPError) as e:
                    urllib.request.urlopen(f"{base}/query?query={query}", timeout=30)
                assert e.value.code == 400
                assert b"refused" in e.value.read()
        assert seen == []
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
