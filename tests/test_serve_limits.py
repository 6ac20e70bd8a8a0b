"""mcmap serve under slow and greedy queries, and the protocol's edges: slow queries never
starve quick ones, one query's memory is bounded, a graph IRI that is not one is a 400, a
format the answer cannot take is a 406, and browsers get OPTIONS and (with --cors) CORS."""
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mcmap.store import LocalStore
from sparql_helpers import fixture_quads, free_port, wait_for

REPO = Path(__file__).resolve().parents[1]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
# Each row doubles a string 24 times (hundreds of megabytes), then GROUP_CONCAT joins them.
GREEDY = ("SELECT (GROUP_CONCAT(?x24) AS ?y) WHERE { ?s ?p ?o BIND(STR(?o) AS ?x0) "
          + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(24)) + " }")
FAST = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"

pytestmark = pytest.mark.slow


def start(store_dir, *options):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store_dir), "--port", str(port),
                             *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/", proc, seconds=30)
    return proc, base


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("limits") / "store"
    with LocalStore(store_dir) as s:
        s.add(fixture_quads())
    return store_dir


@pytest.fixture(scope="module")
def server(store_dir):
    proc, base = start(store_dir, "--timeout", "8", "--workers", "3", "--slow-after", "0.5",
                       "--cors", "https://yasgui.example")
    yield base
    proc.terminate()
    proc.communicate(timeout=20)


def ask(base, query, accept="application/sparql-results+json", extra="", method="GET", headers=None):
    url = f"{base}/query?query={urllib.parse.quote(query)}{extra}"
    req = urllib.request.Request(url, method=method, headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def test_slow_queries_never_starve_quick_ones(server):
    slow = []
    threads = [threading.Thread(target=lambda: slow.append(ask(server, SLOW))) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.5)  # both are now slow, holding the two slow slots
    quick = []
    started = time.monotonic()
    for _ in range(10):
        quick.append(ask(server, FAST)[0])
    quick_time = time.monotonic() - started
    still_slow = [t.is_alive() for t in threads]
    # A third slow query is stopped as soon as it turns slow, not after the time limit.
    third = ask(server, SLOW)
    for t in threads:
        t.join(30)
    assert quick == [200] * 10
    assert all(still_slow), "the quick queries were answered only after the slow ones ended"
    assert quick_time < 6  # well before the 8 s limit frees a slow worker
    assert third[0] == 503 and "slow queries were already running" in third[2]
    assert [s[0] for s in slow] == [503, 503] and all("time limit" in s[2] for s in slow)


def test_a_query_past_the_memory_limit_is_stopped_and_the_server_goes_on(store_dir):
    proc, base = start(store_dir, "--timeout", "60", "--slow-after", "60", "--memory", "300", "--workers", "1")
    try:
        status, _, body = ask(base, GREEDY)
        assert status == 503 and "memory limit of 300 MB" in body
        assert ask(base, FAST)[0] == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_a_graph_that_is_not_an_iri_is_400(server):
    for key in ("default-graph-uri", "named-graph-uri"):
        status, _, body = ask(server, FAST, extra=f"&{key}=" + urllib.parse.quote("not an iri"))
        assert status == 400 and key in body


@pytest.mark.parametrize("query,accept,extra", [
    (FAST, "image/png", ""),
    (FAST, "text/turtle", ""),  # a SELECT has no Turtle form
    ("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv", ""),
    (FAST, "application/sparql-results+json", "&format=pdf"),
])
def test_a_format_the_answer_cannot_take_is_406(server, query, accept, extra):
    status, _, body = ask(server, query, accept, extra)
    assert status == 406, body
    assert "it can answer as" in body


def test_browsers_wildcards_still_get_an_answer(server):
    status, headers, _ = ask(server, FAST, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")


def test_options_and_cors_for_browser_clients(server):
    status, headers, _ = ask(server, FAST, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "https://yasgui.example"
    assert "POST" in headers["access-control-allow-methods"]
    status, headers, _ = ask(server, FAST, headers={"Origin": "https://yasgui.example"})
    assert status == 200 and headers["access-control-allow-origin"] == "https://yasgui.example"
    status, headers, _ = ask(server, FAST, headers={"Origin": "https://elsewhere.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    status, headers, _ = ask(server, FAST, method="OPTIONS")
    assert status == 204 and "POST" in headers["allow"]
