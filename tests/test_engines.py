"""The same answers from every store: the embedded one, an Oxigraph server and Debian's Virtuoso.

Each test runs the real CLI against a server started here, on the shipped examples, and
compares with the embedded store finding by finding, row by row. Virtuoso evaluates several
SPARQL forms differently from Oxigraph; these tests are the referee for mcmap's portable forms.
"""
import json
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap.pending_load import GRAPH_LOADING
from mcmap.store import ALL_GRAPHS, LocalStore
from mcmap import answer_parts
from mcmap.answer_parts import PartialAnswer
from mcmap.store_remote import RemoteStore, STAGING
from sparql_helpers import oxigraph_binary, oxigraph_server, virtuoso_binary, virtuoso_server

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.csv"))
QUERIES = sorted(p.stem for p in (REPO / "mcmap" / "queries").glob("*.rq"))
FRAMEWORKS = ["au", "nz", "nz-2018", "ws", "eu"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory):
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server executable (PyPI package 'oxigraph') is not installed")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-engines")) as base:
        yield base + "/query"


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory):
    if virtuoso_binary() is None:
        pytest.skip("virtuoso-t not found: install Debian's virtuoso-opensource (.ci/install-system-packages)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        # /sparql-auth takes updates from a user with a login (digest); a new database has dba/dba.
        yield base + "/sparql-auth"


@pytest.fixture(params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)])
def endpoint(request, monkeypatch):
    """An empty (of mcmap's graphs) remote store; the login comes from the environment."""
    url = request.getfixturevalue(f"{request.param}_url")
    monkeypatch.setenv("MCMAP_ENDPOINT_USER", "dba")
    monkeypatch.setenv("MCMAP_ENDPOINT_PASSWORD", "dba")
    monkeypatch.delenv("MCMAP_UPDATE_ENDPOINT", raising=False)
    store = RemoteStore(url)
    for g in (*ALL_GRAPHS, GRAPH_LOADING):
        store.clear_graph(g)
    return url


@pytest.fixture
def local(tmp_path, run):
    """The same examples in an embedded store folder."""
    folder = tmp_path / "store"
    assert run("load", *EXAMPLES, "--store", folder).exit_code == 0
    return folder


def staging_graphs(store: RemoteStore) -> list[str]:
    """Every graph of the store whose name marks it as staging, asked without naming a dataset."""
    _, raw = store._post(store.endpoint, {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                         "application/sparql-results+json")
    names = [b["g"]["value"] for b in json.loads(raw)["results"]["bindings"]]
    return [g for g in names if g.startswith(STAGING)]


def loaded(run, endpoint):
    r = run("load", *EXAMPLES, "--endpoint", endpoint)
    assert r.exit_code == 0, r.output
    return endpoint


def findings(result):
    doc = json.loads(result.stdout)
    return doc["summary"], sorted(
        (c["identifier"], c["source_file"], c["source_row"], f["rule_id"], f["severity"],
         json.dumps(f.get("value")), f["message"])
        for c in doc["credentials"] for f in c["findings"])


def test_load_holds_what_the_embedded_store_holds(run, endpoint, local):
    loaded(run, endpoint)
    here, there = LocalStore(local), RemoteStore(endpoint)
    try:
        for g in (ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY, ns.GRAPH_MAPPINGS):
            assert there.count(g) == here.count(g), g
        # the ontology (over a thousand triples) went in more than one batch on Virtuoso;
        # nothing of the staging is left behind
        assert not staging_graphs(there)
    finally:
        here.close()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_validate_finds_what_the_embedded_store_finds(run, endpoint, local, framework):
    loaded(run, endpoint)
    here = run("validate", "-f", framework, "-F", "json", "--store", local)
    there = run("validate", "-f", framework, "-F", "json", "--endpoint", endpoint)
    assert there.exit_code == here.exit_code, there.output
    assert findings(there) == findings(here)


def test_derived_integer_datatypes_are_judged_as_written_everywhere(run, endpoint, tmp_path):
    """xsd:byte and its kin, which Oxigraph keeps as xsd:integer: `sh:datatype` answers as
    pySHACL does on the file, in the embedded store and on each server."""
    from test_written_literals import SHAPES, VALID, pyshacl_results, results
    from rdflib import Graph

    (tmp_path / "valid.ttl").write_text(VALID)
    (tmp_path / "shapes.ttl").write_text(SHAPES)
    assert run("load", tmp_path / "valid.ttl", "--endpoint", endpoint).exit_code == 0
    got = run("validate", "--shapes", tmp_path / "shapes.ttl", "-F", "ttl", "--endpoint", endpoint)
    assert got.exit_code == 1, got.output
    assert results(Graph().parse(data=got.stdout, format="turtle")) == pyshacl_results(VALID)


def test_map_and_every_named_query_answer_as_the_embedded_store(run, endpoint, local):
    loaded(run, endpoint)
    for where in (("--store", local), ("--endpoint", endpoint)):
        assert run("validate", "-f", "nz", "--keep-report", *where).exit_code == 1
        assert run("validate", "-f", "au", "--keep-report", *where).exit_code == 1
    here = run("map", "--to", "nz", "--to", "au", "-F", "json", "--store", local)
    there = run("map", "--to", "nz", "--to", "au", "-F", "json", "--endpoint", endpoint)
    assert there.exit_code == here.exit_code == 0, there.output
    assert json.loads(there.stdout) == json.loads(here.stdout)
    for name in QUERIES:
        a = run("query", "--named", name, "-F", "csv", "--store", local)
        b = run("query", "--named", name, "-F", "csv", "--endpoint", endpoint)
        assert b.exit_code == a.exit_code == 0, (name, b.output)
        head_a, *rows_a = a.stdout.splitlines()
        head_b, *rows_b = b.stdout.splitlines()
        assert head_b == head_a, name
        # rows that tie on the query's ORDER BY keys may come in either order
        assert sorted(rows_b) == sorted(rows_a), name
        assert rows_a, name  # every named query has an answer on the examples


def test_kept_reports_hold_the_same_results(run, endpoint, local):
    loaded(run, endpoint)
    run("validate", "-f", "ws", "--keep-report", "--store", local)
    run("validate", "-f", "ws", "--keep-report", "--endpoint", endpoint)
    count = (f"SELECT (COUNT(?r) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_REPORTS}> "
             "{ ?r a <http://www.w3.org/ns/shacl#ValidationResult> } }")
    here = LocalStore(local)
    try:
        expected = int(next(iter(here.select(count)))[0].value)
    finally:
        here.close()
    assert expected > 0
    assert int(next(iter(RemoteStore(endpoint).select(count)))[0].value) == expected


def test_a_write_of_many_batches_arrives_whole(endpoint):
    import pyoxigraph as ox

    store = RemoteStore(endpoint)
    g = ox.NamedNode(ns.GRAPH_DATA)
    quads = [ox.Quad(ox.NamedNode(f"{ns.DATA}x/{i}"), ox.NamedNode(ns.MC + "n"),
                     ox.Literal(str(i), datatype=ox.NamedNode(ns.XSD + "integer")), g) for i in range(3000)]
    store.add(quads)
    assert store.count(ns.GRAPH_DATA) == 3000
    assert not staging_graphs(store)
    store.replace_graph(ns.GRAPH_DATA, [q.triple for q in quads[:1500]])
    assert store.count(ns.GRAPH_DATA) == 1500


@pytest.mark.parametrize("framework", ["au", "ws"])
def test_answers_asked_for_in_small_parts_give_the_same_findings(run, endpoint, local, monkeypatch, framework):
    """A large answer is asked for in parts split by a hash of the focus node. With parts of a
    few hundred bytes the result queries of the examples are split, into parts that stay near
    that size, and the findings are still the embedded store's, finding by finding."""
    loaded(run, endpoint)
    answers = []
    plain = RemoteStore._query

    def counted(self, sparql, default_graphs, bindings):
        answer = plain(self, sparql, default_graphs, bindings)
        answers.append((sparql, answer[1]))
        return answer
    monkeypatch.setattr(RemoteStore, "_query", counted)
    here = run("validate", "-f", framework, "-F", "json", "--store", local)
    whole = run("validate", "-f", framework, "-F", "json", "--endpoint", endpoint)
    whole_requests = len(answers)
    monkeypatch.setattr(answer_parts, "PART_BYTES", 600)
    monkeypatch.setattr(answer_parts, "FIRST_BYTES", 600)
    answers.clear()
    parts = run("validate", "-f", framework, "-F", "json", "--endpoint", endpoint)
    assert parts.exit_code == whole.exit_code == here.exit_code == 1, parts.output
    assert findings(parts) == findings(whole) == findings(here)
    split = [n.n for q, n in answers if "MD5(STR(?this))" in q]
    assert len(answers) > whole_requests and len(split) > 20
    # a part is at most a few times the size asked for (the examples are too few for an even split)
    assert max(split) < 8 * 600, sorted(split)[-5:]


def test_a_query_splits_by_any_projected_variable_and_loses_no_row(endpoint, monkeypatch):
    """Rows of every hash range, blank nodes and rows without the variable included, each once."""
    import pyoxigraph as ox

    store = RemoteStore(endpoint)
    g = ox.NamedNode(ns.GRAPH_DATA)
    p = ox.NamedNode(ns.MC + "n")
    quads = [ox.Quad(ox.NamedNode(f"{ns.DATA}x/{i}"), p, ox.Literal(str(i), datatype=ox.NamedNode(ns.XSD + "integer")), g)
             for i in range(2000)]
    store.add(quads)
    monkeypatch.setattr(answer_parts, "PART_BYTES", 4000)
    monkeypatch.setattr(answer_parts, "FIRST_BYTES", 4000)
    query = (f"SELECT ?s ?n (EXISTS {{ ?s <{p.value}> 7 }} AS ?seven) WHERE {{ "
             f"{{ ?s <{p.value}> ?n }} UNION {{ BIND(\"{{no subject}}\" AS ?n) }} }}")
    whole = sorted(map(str, store.select(query, default_graphs=[ns.GRAPH_DATA])))
    parts = sorted(map(str, store.select(query, default_graphs=[ns.GRAPH_DATA], split_by="s")))
    assert parts == whole and len(whole) == 2001


@pytest.mark.virtuoso
def test_a_part_cut_at_the_servers_row_limit_is_refused(virtuoso_url, monkeypatch):
    monkeypatch.setenv("MCMAP_ENDPOINT_USER", "dba")
    monkeypatch.setenv("MCMAP_ENDPOINT_PASSWORD", "dba")
    store = RemoteStore(virtuoso_url)
    ten = "{ 0 1 2 3 4 5 6 7 8 9 }"
    query = (f"SELECT ?a ?b ?c ?d ?e WHERE {{ VALUES ?a {ten} VALUES ?b {ten} VALUES ?c {ten} "
             f"VALUES ?d {ten} VALUES ?e {ten} }}")
    # whole, the answer is cut at the stock cap of 10,000 rows
    with pytest.raises(PartialAnswer, match="10000"):
        list(store.select(query, split_by="a"))
    # split (a first answer over FIRST_BYTES is dropped): the first part is small, and the rest
    # (under PART_BYTES) comes as one part, past the cap
    monkeypatch.setattr(answer_parts, "FIRST_BYTES", 10_000)
    with pytest.raises(PartialAnswer, match="10000"):
        list(store.select(query, split_by="a"))


@pytest.mark.virtuoso
def test_an_answer_cut_at_the_servers_row_limit_is_refused(virtuoso_url, monkeypatch):
    monkeypatch.setenv("MCMAP_ENDPOINT_USER", "dba")
    monkeypatch.setenv("MCMAP_ENDPOINT_PASSWORD", "dba")
    store = RemoteStore(virtuoso_url)
    ten = "{ 0 1 2 3 4 5 6 7 8 9 }"
    query = f"SELECT * WHERE {{ VALUES ?a {ten} VALUES ?b {ten} VALUES ?c {ten} VALUES ?d {ten} VALUES ?e {ten} }}"
    # Debian's stock configuration returns at most 10,000 rows (ResultSetMaxRows)
    with pytest.raises(PartialAnswer, match="10000"):
        list(store.select(query))
    # an answer under the cap is whole
    assert len(list(store.select(query.replace("SELECT *", "SELECT *") + " LIMIT 9999"))) == 9999


@pytest.mark.virtuoso
def test_a_login_comes_from_the_environment_or_netrc_and_a_refusal_is_one_line(
        virtuoso_url, run, tmp_path, monkeypatch):
    monkeypatch.delenv("MCMAP_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("MCMAP_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
    r = run("load", EXAMPLES[0], "--endpoint", virtuoso_url)
    assert r.exit_code == 2 and "MCMAP_ENDPOINT_USER" in r.stderr and "Traceback" not in r.output
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login dba password dba\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    r = run("load", EXAMPLES[0], "--endpoint", virtuoso_url)
    assert r.exit_code == 0, r.output


def test_timeout_stops_waiting_for_a_silent_server(run):
    import socket

    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        r = run("query", "--named", "volume-of-learning", "--endpoint", url, "--timeout", "0.5")
    assert r.exit_code == 2
    assert "no answer within 0.5 s" in r.stderr and "Traceback" not in r.output


def test_a_failed_update_is_reported_honestly(endpoint):
    """An update of several operations whose last one fails: Oxigraph applies none of it and
    mcmap says so; Virtuoso keeps the first operations, and mcmap says they may be there."""
    from mcmap.store import StoreError

    store = RemoteStore(endpoint)
    existing, victim = ns.GRAPH_DATA, ns.GRAPH_REPORTS
    store.update(f"INSERT DATA {{ GRAPH <{existing}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}")
    with pytest.raises(StoreError) as failed:
        store.update(f"INSERT DATA {{ GRAPH <{victim}> {{ <urn:x:a> <urn:x:b> <urn:x:d> }} }} ;\n"
                     f"CREATE GRAPH <{existing}>")
    applied = store.count(victim) > 0
    if store.dialect.atomic_updates:
        assert not applied and "left as it was" in str(failed.value)
    else:
        assert "may have been applied" in str(failed.value)
    assert applied == ("virtuoso" in store.dialect.server.lower())


def test_blank_node_credentials_answer_as_in_the_embedded_store(run, endpoint, tmp_path):
    """A server holds blank nodes under IRIs of its own: a credential without an IRI still gets
    its identifier and title, whether each finding's information is stated, and its mapping."""
    from test_blank_node_credentials import blank_node_copy, findings as described, mapped

    blank = blank_node_copy(tmp_path)
    assert run("load", blank, "--endpoint", endpoint).exit_code == 0
    here = json.loads(run("validate", blank, "-f", "au", "-F", "json").stdout)
    there = run("validate", "-f", "au", "-F", "json", "--endpoint", endpoint)
    assert there.exit_code == 1, there.output
    assert described(json.loads(there.stdout)) == described(here)
    assert json.loads(there.stdout)["summary"] == here["summary"]
    here = run("map", blank, "--to", "nz", "-F", "json")
    there = run("map", "--to", "nz", "-F", "json", "--endpoint", endpoint)
    assert there.exit_code == here.exit_code == 0, there.output
    assert mapped(json.loads(there.stdout)) == mapped(json.loads(here.stdout))
