"""Validation against a SPARQL endpoint (an Oxigraph server): the same compiled queries, sent
over the SPARQL protocol with the default graph restricted by `data_graphs`."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from mcmap import namespaces as ns
from mcmap.shacl.terms import to_rdflib
from mcmap.store_remote import RemoteStore
from test_shacl_components import CASES, PEOPLE
from test_shacl_oracle import PREFIXES, mcmap_results, pyshacl_results, store_with

SERVER = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


@pytest.fixture(scope="module")
def endpoint():
    if not Path(SERVER).exists():
        pytest.skip("the oxigraph server binary (pip package 'oxigraph') is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([SERVER, "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    store = RemoteStore(url + "/query", url + "/update")
    data = Graph().parse(data=PREFIXES + PEOPLE, format="turtle")
    store.add(store_with(data).quads())
    stray = Graph().parse(data=PREFIXES + 'ex:zoe a ex:Person ; ex:name "Z1", "Z2" .', format="turtle")
    store.add(store_with(stray, "http://example.org/other-graph").quads())
    yield store
    proc.terminate()
    proc.wait(timeout=10)


def remote_data(store) -> Graph:
    """The data graph as the endpoint holds it (blank nodes come back skolemised)."""
    g = Graph()
    for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[ns.GRAPH_DATA]):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


@pytest.mark.parametrize("name", ["targetClass-subclass", "node", "qualified-disjoint", "path-zeroOrMore",
                                  "closed", "sparql-node", "sparql-property-path-value", "minCount"])
def test_remote_endpoint_matches_pyshacl(endpoint, name):
    shapes = Graph().parse(data=PREFIXES + CASES[name][0], format="turtle")
    ours = mcmap_results(endpoint, shapes, data_graphs=[ns.GRAPH_DATA])
    assert ours == pyshacl_results(remote_data(endpoint), shapes)
    assert ours, "each case has violations"


def test_remote_default_graph_restriction(endpoint):
    shapes = Graph().parse(data=PREFIXES + CASES["targetClass-subclass"][0], format="turtle")
    only_data = {r[0] for r in mcmap_results(endpoint, shapes, data_graphs=[ns.GRAPH_DATA])}
    both = {r[0] for r in mcmap_results(endpoint, shapes, data_graphs=[ns.GRAPH_DATA, "http://example.org/other-graph"])}
    assert {str(f) for f in only_data} == {"http://example.org/bob"}
    assert {str(f) for f in both} == {"http://example.org/bob", "http://example.org/zoe"}
