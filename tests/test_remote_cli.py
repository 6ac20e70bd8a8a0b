"""The commands a researcher runs against a SPARQL endpoint: load, validate and map work in
the remote store and answer as they do on files."""
import json
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap.store_remote import RemoteStore
from sparql_helpers import oxigraph_binary, oxigraph_server

REPO = Path(__file__).resolve().parents[1]
AU = REPO / "examples" / "au-submission.csv"

pytestmark = pytest.mark.skipif(oxigraph_binary() is None,
                                reason="the oxigraph server executable (PyPI package 'oxigraph') is not installed")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-cli")) as base:
        yield base + "/query"


def findings(result):
    doc = json.loads(result.stdout)
    return sorted((f["rule_id"], c["identifier"], c["source_row"], f.get("value"))
                  for c in doc["credentials"] for f in c["findings"])


def test_load_validate_and_map_in_a_remote_store(run, endpoint):
    assert run("load", AU, "--endpoint", endpoint).exit_code == 0

    here = run("validate", AU, "--framework", "au", "--format", "json")
    there = run("validate", "--framework", "au", "--format", "json", "--endpoint", endpoint)
    assert there.exit_code == here.exit_code == 1
    assert findings(there) == findings(here)
    assert ("AU-DEF-2", "AU-003", 4, 0.5) in findings(there)  # the row comes back from the remote store

    local = run("map", AU, "--to", "nz", "--format", "json")
    remote = run("map", "--to", "nz", "--format", "json", "--endpoint", endpoint)
    assert remote.exit_code == local.exit_code == 0, remote.output
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert "kept" in remote.stderr

    rows = RemoteStore(endpoint).select(
        f"SELECT (COUNT(?m) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_MAPPINGS}> {{ ?m <{ns.MC}eligibility> ?e }} }}")
    assert int(next(iter(rows))[0].value) == 12  # one kept result per AU credential
