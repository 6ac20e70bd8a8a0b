"""`mcmap map` gives the same results wherever the credentials are: files read into memory, a
store folder, an Oxigraph server; mapping again replaces what the first run kept.

The credentials are the benchmarks' synthetic ones (AU, NZ and WS, a tenth of them with a
mistake), so eligibility, volume ranges and level chains all vary; the results are compared
whole, credential by credential.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap.store import LocalStore
from mcmap.store_remote import RemoteStore
from sparql_helpers import oxigraph_binary, oxigraph_server

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def credentials(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "creds.nt"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synth.py"), "300", "-o", str(path)],
                   check=True, capture_output=True)
    return path


def mapped(result) -> list:
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc) == 300
    return doc


def work_graphs(store) -> list[str]:
    return [g for g in store.named_graphs() if "mapping-work" in g]


def test_files_a_store_folder_and_a_server_map_alike(run, credentials, tmp_path):
    expected = mapped(run("map", credentials, "--to", "nz", "ws", "-F", "json"))
    outcomes = {t["outcome"] for c in expected for t in c["targets"]}
    assert {"yes", "no", "needs info"} <= outcomes  # the data exercises the rules

    folder = tmp_path / "store"
    assert run("load", credentials, "--store", folder).exit_code == 0
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--store", folder)) == expected
    with LocalStore(folder) as store:
        kept = store.count(ns.GRAPH_MAPPINGS)
        assert not work_graphs(store)  # the check ran beside the folder, not in it
    # mapping again replaces the kept results rather than adding to them
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--store", folder)) == expected
    with LocalStore(folder) as store:
        assert store.count(ns.GRAPH_MAPPINGS) == kept

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server executable (PyPI package 'oxigraph') is not installed")
    with oxigraph_server(tmp_path / "server") as base:
        url = base + "/query"
        assert run("load", credentials, "--endpoint", url).exit_code == 0
        assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--endpoint", url)) == expected
        assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--endpoint", url)) == expected
        remote = RemoteStore(url)
        assert remote.count(ns.GRAPH_MAPPINGS) == kept
        assert not work_graphs(remote)
