"""mcmap serve end to end over HTTP with SPARQLWrapper: answers, content negotiation, named
queries, the refused update, malformed queries, the time limit, the result limit, the log."""
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from mcmap.store import LocalStore
from sparql_helpers import fixture_quads, free_port, wait_for

REPO = Path(__file__).resolve().parents[1]
LIMIT = 5
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("serve") / "store"
    with LocalStore(store_dir) as s:
        s.add(fixture_quads())
    del s  # let go of the folder's lock
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store_dir), "--port", str(port),
                             "--timeout", "1", "--limit", str(LIMIT), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/", proc, seconds=30)
    yield {"base": base, "endpoint": base + "/query", "store": store_dir, "proc": proc}
    if proc.poll() is None:
        proc.terminate()
        proc.communicate(timeout=20)


def client(server, query, fmt=JSON, method=None):
    w = SPARQLWrapper(server["endpoint"])
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method:
        w.setMethod(method)
    return w


def get(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, dict(r.headers), r.read().decode()


def test_select_answers_like_the_embedded_store(server):
    text = ("PREFIX mc: <https://w3id.org/mcmap/ns#>\n"
            "SELECT ?c ?h WHERE { ?c mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/NZ> ; "
            "mc:volumeOfLearningHours ?h } ORDER BY ?c")
    for method in ("GET", POST):
        got = client(server, text, method=method).query().convert()
        rows = [(b["c"]["value"], float(b["h"]["value"])) for b in got["results"]["bindings"]]
        assert rows == [(f"https://w3id.org/mcmap/data/credential/NZ-00{i}", h)
                        for i, h in zip((1, 2, 3, 4), (150, 50, 100, 400))]


def test_content_negotiation_for_results(server):
    text = "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?t WHERE { ?c dct:title ?t } ORDER BY ?t LIMIT 2"
    csv_text = client(server, text, CSV).query().convert().decode()
    assert csv_text.splitlines() == ["t", "Cyber security basics", "Data literacy"]
    xml = client(server, text, XML).query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["Cyber security basics", "Data literacy"]
    q = urllib.parse.quote(text)
    status, headers, body = get(f"{server['endpoint']}?query={q}", "text/tab-separated-values")
    assert headers["content-type"].startswith("text/tab-separated-values") and body.splitlines()[0] == "?t"


def test_construct_gives_rdf(server):
    text = ("PREFIX mc: <https://w3id.org/mcmap/ns#>\n"
            "CONSTRUCT { ?c mc:jurisdiction ?j } WHERE { ?c a mc:MicroCredential ; mc:jurisdiction ?j FILTER(STRENDS(STR(?j), \"AU\")) }")
    turtle = client(server, text, TURTLE).query().convert()
    triples = list(ox.parse(turtle, ox.RdfFormat.TURTLE))
    assert sorted(t.subject.value.rsplit("/", 1)[1] for t in triples) == ["AU-001", "AU-002", "AU-003"]
    status, headers, body = get(f"{server['endpoint']}?query={urllib.parse.quote(text)}", "application/ld+json")
    assert headers["content-type"].startswith("application/ld+json")
    assert len(list(ox.parse(body.encode(), ox.RdfFormat.JSON_LD))) == 3


def test_post_bodies_and_refusals(server):
    req = urllib.request.Request(server["endpoint"], data=b"ASK { ?s a ?o }", method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.headers["content-type"].startswith("application/sparql-results+xml")
        assert b"<boolean>true</boolean>" in r.read()
    # An update sent as a query is still an update.
    with pytest.raises(urllib.error.HTTPError) as e:
        get(f"{server['endpoint']}?query={urllib.parse.quote('DELETE WHERE { ?s ?p ?o }')}")
    assert e.value.code == 403
    req = urllib.request.Request(server["endpoint"], data=b"query=ASK{}", method="POST",
                                 headers={"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 415


def test_update_is_refused(server):
    w = client(server, "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }", method=POST)
    with pytest.raises(urllib.error.HTTPError) as e:
        w.query()
    assert e.value.code == 403 and "read-only" in e.value.read().decode()
    req = urllib.request.Request(server["endpoint"], data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 403
    count = client(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").query().convert()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == len(fixture_quads())


def test_malformed_query_is_400_with_the_parsers_message(server):
    with pytest.raises(QueryBadFormed) as e:
        client(server, "SELECT ?s WHERE { ?s ?p }").query()
    assert "SPARQL syntax error: error at 1:" in str(e.value)


def test_time_limit_stops_the_query_and_the_server_goes_on(server):
    with pytest.raises(urllib.error.HTTPError) as e:
        client(server, SLOW).query()
    assert e.value.code == 503 and "time limit of 1 s" in e.value.read().decode()
    got = client(server, "ASK { ?s ?p ?o }").query().convert()
    assert got["boolean"] is True


def test_result_limit(server):
    w = client(server, "SELECT * WHERE { ?s ?p ?o }")
    response = w.query()
    assert response.response.headers["Mcmap-Truncated"] == "true"
    assert len(response.convert()["results"]["bindings"]) == LIMIT


def test_named_queries_with_parameters(server):
    status, headers, body = get(server["base"] + "/named/volume-of-learning?jurisdiction=NZ", "text/csv")
    assert status == 200 and body.splitlines() == [
        "jurisdiction,credentials,minHours,medianHours,maxHours",
        "https://w3id.org/mcmap/id/jurisdiction/NZ,4,50,125,400"]
    listing = json.loads(get(server["base"] + "/named")[2])
    assert "volume-of-learning" in {n["name"] for n in listing}
    bad = urllib.parse.quote("NZ> } ; DROP ALL ; #")
    with pytest.raises(urllib.error.HTTPError) as e:
        get(server["base"] + f"/named/volume-of-learning?jurisdiction={bad}")
    assert e.value.code == 400 and "not a valid jurisdiction" in e.value.read().decode()
    with pytest.raises(urllib.error.HTTPError) as e:
        get(server["base"] + "/named/nothing-like-this")
    assert e.value.code == 404


def test_one_log_line_per_request_on_stderr(server):
    # Last in this module: stop the server and read what it logged for all of the above.
    proc = server["proc"]
    proc.terminate()
    log = proc.communicate(timeout=20)[1].decode()
    lines = [line for line in log.splitlines() if line]
    assert lines[0].startswith("mcmap serve: SPARQL endpoint http://127.0.0.1:")
    requests = [line for line in lines[1:] if re.match(r'127\.0\.0\.1 "(GET|POST) /', line)]
    assert len(requests) == len(lines) - 1 >= 15, log
    assert any(" 503 the query ran past the time limit" in line for line in requests)
    assert any(re.search(r'"GET /query\?query=SELECT \* WHERE \{ \?s \?p \?o \}[^"]*" 200 5 results, cut at the result '
                         r"limit of 5", line) for line in requests), log


def test_serve_without_a_store_folder_is_one_clear_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-m", "mcmap", "serve", "--store", str(tmp_path / "nothing")],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 2 and "no such store folder" in r.stderr and "Traceback" not in r.stderr


def test_slow_queries_do_not_block_the_server_forever(tmp_path):
    # One worker, a 1 s limit: a second query waiting behind a slow one gets a clear 503 too,
    # and the server answers again once the slow one is stopped.
    import threading

    store_dir = tmp_path / "store"
    with LocalStore(store_dir) as s:
        s.add(fixture_quads())
    del s
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mcmap", "serve", "--store", str(store_dir), "--port", str(port),
                             "--timeout", "1", "--workers", "1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", proc, seconds=30)
        codes = []

        def ask(query):
            try:
                get(f"{base}/query?query={urllib.parse.quote(query)}")
                codes.append(200)
            except urllib.error.HTTPError as e:
                codes.append((e.code, e.read().decode()))

        threads = [threading.Thread(target=ask, args=(SLOW,)) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(codes) == 3 and all(c[0] == 503 for c in codes), codes
        assert any("time limit" in c[1] for c in codes)
        assert get(f"{base}/query?query={urllib.parse.quote('ASK {}')}")[0] == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
