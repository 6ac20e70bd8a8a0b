"""The remote store against a real Oxigraph server: the same answers as the embedded store,
blank nodes that survive the trip, parameters pre-bound correctly, loads all or nothing."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcmap import namespaces as ns
from mcmap import query as q
from mcmap.store import LocalStore, StoreError
from mcmap.store_remote import RemoteStore
from sparql_helpers import fixture_quads, oxigraph_binary, oxigraph_server

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(oxigraph_binary() is None,
                                reason="the oxigraph server executable (PyPI package 'oxigraph') is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def stores(server):
    """The fixture data in an embedded store and, through RemoteStore.add, in the server."""
    quads = fixture_quads()  # parsed once: both stores hold the same blank nodes
    local = LocalStore()
    local.add(quads)
    remote = RemoteStore(server + "/query")
    remote.update("DROP SILENT ALL")
    remote.add(quads)
    return local, remote


def as_rows(result):
    if isinstance(result, (bool, list)):
        return sorted(map(str, result)) if isinstance(result, list) else result
    # As multisets: a query's ORDER BY may leave ties, which stores may break differently.
    return result.variables, sorted(list(result), key=str)


def test_named_queries_answer_the_same_remotely(stores):
    local, remote = stores
    values = {"jurisdiction": "NZ", "framework": "AQF", "target": "AU", "provider": "https://w3id.org/mcmap/data/provider/wintec",
              "code": "HLTAID011"}
    for name, nq in q.catalogue().items():
        assert as_rows(remote.query(nq.text)) == as_rows(local.query(nq.text)), name
        for p in nq.params:
            b = q.bind_params(nq.text, {p.name: values[p.name]}, nq.params)
            here, there = as_rows(local.query(nq.text, bindings=b)), as_rows(remote.query(nq.text, bindings=b))
            assert there == here, (name, p.name)
            assert here[1] or name in ("level-equivalence",), (name, p.name)  # not trivially empty


def test_counts_and_graphs_match(stores):
    local, remote = stores
    assert remote.count() == local.count() == len(fixture_quads())
    for g in (ns.GRAPH_DATA, ns.GRAPH_REPORTS, ns.GRAPH_MAPPINGS, ns.GRAPH_ONTOLOGY):
        assert remote.count(g) == local.count(g), g
    assert sorted(remote.named_graphs()) == sorted(local.named_graphs())


def test_blank_nodes_survive_the_trip(stores):
    local, remote = stores
    text = ("PREFIX mc: <https://w3id.org/mcmap/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?o ?label WHERE { <https://w3id.org/mcmap/data/credential/WS-001> mc:learningOutcome ?o . ?o rdfs:label ?label }")
    here, there = list(local.query(text)), list(remote.query(text))
    assert isinstance(there[0][0], ox.BlankNode) and there == here
    # ... and can be used again as a parameter
    again = list(remote.query("SELECT ?o ?p ?v WHERE { ?o ?p ?v }", bindings={"o": there[0][0]}))
    assert [(r[1].value, r[2].value) for r in again] == [(ns.RDFS + "label", "a blank-node outcome")]
    construct = "CONSTRUCT { ?r ?p ?o } WHERE { GRAPH <https://w3id.org/mcmap/graph/reports> { ?r ?p ?o } }"
    assert sorted(map(str, remote.query(construct))) == sorted(map(str, local.query(construct)))


def test_parameters_bind_in_a_query_that_has_its_own_values_clause(stores):
    # Appending a second VALUES clause would not parse; joining at the start of WHERE does.
    local, remote = stores
    text = ("PREFIX mc: <https://w3id.org/mcmap/ns#>\nSELECT ?c ?j WHERE { ?c mc:jurisdiction ?j } "
            "ORDER BY ?c LIMIT 3\nVALUES ?c { <https://w3id.org/mcmap/data/credential/NZ-001> "
            "<https://w3id.org/mcmap/data/credential/AU-001> }")
    bindings = {"j": ox.NamedNode(ns.jurisdiction_iri("NZ"))}
    got = list(remote.query(text, bindings=bindings))
    assert [r[0].value for r in got] == ["https://w3id.org/mcmap/data/credential/NZ-001"]
    assert got == list(local.query(text, bindings=bindings))


def test_injection_attempt_is_a_literal_remotely(stores):
    _, remote = stores
    text = "PREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?c ?title WHERE { ?c dct:title ?title }"
    attack = q.bind_params(text, {"title": 'x") } } ; DROP ALL ; SELECT * { { ("'})
    assert list(remote.query(text, bindings=attack)) == []
    assert remote.count() == len(fixture_quads())


def mcmap(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True, text=True, env=env)


def test_cli_query_and_load_against_the_server(tmp_path, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("fresh")) as base:
        endpoint = base + "/query"
        good = tmp_path / "good.ttl"
        good.write_text("@prefix mc: <https://w3id.org/mcmap/ns#> .\n"
                        "<https://w3id.org/mcmap/data/credential/X-1> a mc:MicroCredential ;\n"
                        "  mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/NZ> ;\n"
                        "  mc:volumeOfLearningHours 40.0 .\n")
        r = mcmap("load", good, "--endpoint", endpoint)
        assert r.returncode == 0, r.stderr
        store = RemoteStore(endpoint)
        before = store.count()
        assert store.count(ns.GRAPH_ONTOLOGY) > 100  # the ontology came along

        bad = tmp_path / "bad.ttl"
        bad.write_text("@prefix mc: <https://w3id.org/mcmap/ns#> .\n<https://w3id.org/x> mc:p \"unterminated .\n")
        again = tmp_path / "again.ttl"
        again.write_text(good.read_text().replace("X-1", "X-2"))
        r = mcmap("load", again, bad, "--endpoint", endpoint)
        assert r.returncode == 2 and str(bad) in r.stderr and "Traceback" not in r.stderr
        assert store.count() == before  # nothing of again.ttl arrived

        r = mcmap("query", "--named", "volume-of-learning", "--endpoint", endpoint, "--format", "json",
                  "--param", "jurisdiction=NZ")
        assert r.returncode == 0, r.stderr
        [row] = json.loads(r.stdout)["results"]["bindings"]
        assert float(row["medianHours"]["value"]) == 40

        broken = tmp_path / "broken.rq"
        broken.write_text("PREFIX mc: <https://w3id.org/mcmap/ns#>\nSELECT ?c WHERE {\n  ?c a mc:MicroCredential .\n"
                          "  ?c mc:level ?l ?extra .\n}\n")
        r = mcmap("query", broken, "--endpoint", endpoint)
        assert r.returncode == 2 and r.stderr.startswith(f"mcmap: error: {broken}:4: SPARQL syntax error")


def test_unreachable_endpoint_is_one_clear_line():
    r = mcmap("query", "--named", "credentials-by-level", "--endpoint", "http://127.0.0.1:9/query")
    assert r.returncode == 2 and "cannot reach the SPARQL endpoint" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_refused_update_changes_nothing_and_says_why(stores, server):
    _, remote = stores
    wrong = RemoteStore(server + "/query", update_endpoint=server + "/query")
    with pytest.raises(StoreError, match="HTTP 4"):
        wrong.add([ox.Quad(ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p"),
                           ox.Literal("x"), ox.NamedNode(ns.GRAPH_DATA))])
    assert remote.count() == len(fixture_quads())


def _examples():
    return sorted((REPO / "examples").glob("*-submission.csv"))


@pytest.mark.skipif(not _examples(), reason="the example submissions (examples/*-submission.csv) are missing")
def test_validation_in_the_remote_store_equals_the_embedded_one(tmp_path_factory):
    from mcmap.load import load_files
    from mcmap.validate import validate

    files = _examples()
    local = LocalStore()
    load_files(local, files)
    with oxigraph_server(tmp_path_factory.mktemp("validate")) as base:
        remote = RemoteStore(base + "/query")
        load_files(remote, files)
        for framework in ("nz", "au"):
            here = validate(local, framework, as_of="2024-06-01", keep_report=True)
            there = validate(remote, framework, as_of="2024-06-01", keep_report=True)
            key = lambda r: tuple(map(str, r.key())) + (r.details.get("rule_id"),)  # noqa: E731
            assert sorted(map(key, there.results)) == sorted(map(key, here.results)), framework
            assert here.results, framework  # the examples break rules on purpose
        # The kept reports answer the same "most often failed" questions in both stores.
        for name in ("rules-failed-by-jurisdiction", "rules-failed-by-provider"):
            nq = q.named_query(name)
            assert as_rows(remote.query(nq.text)) == as_rows(local.query(nq.text)), name
            assert as_rows(local.query(nq.text))[1], name


@pytest.mark.parametrize("query_url, update_url", [
    ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update"),            # Oxigraph server
    ("http://localhost:3030/ds/query", "http://localhost:3030/ds/update"),      # Fuseki
    ("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/update"),     # Fuseki
    ("http://localhost:7200/repositories/mc", "http://localhost:7200/repositories/mc/statements"),  # GraphDB
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql"),           # Virtuoso
    ("http://localhost:7878/query?x=1", "http://localhost:7878/update?x=1"),
])
def test_update_endpoint_is_found_from_the_query_endpoint(query_url, update_url, monkeypatch):
    from mcmap.store_remote import guess_update_endpoint

    monkeypatch.delenv("MCMAP_UPDATE_ENDPOINT", raising=False)
    assert RemoteStore(query_url).update_endpoint == update_url == guess_update_endpoint(query_url)
    monkeypatch.setenv("MCMAP_UPDATE_ENDPOINT", "http://elsewhere/update")
    assert RemoteStore(query_url).update_endpoint == "http://elsewhere/update"


@pytest.mark.skipif(not _examples(), reason="the example submissions (examples/*-submission.csv) are missing")
def test_mapping_in_the_remote_store_equals_the_embedded_one(tmp_path_factory):
    from mcmap.load import load_files
    from mcmap.mapping import render
    from mcmap.mapping.crossmap import map_store

    files = _examples()
    local = LocalStore()
    load_files(local, files)
    with oxigraph_server(tmp_path_factory.mktemp("map")) as base:
        remote = RemoteStore(base + "/query")
        load_files(remote, files)
        here = json.loads(render.to_json(map_store(local, ["NZ", "AU"], as_of="2024-06-01")))
        there = json.loads(render.to_json(map_store(remote, ["NZ", "AU"], as_of="2024-06-01")))
        assert there == here and len(here) == 36
