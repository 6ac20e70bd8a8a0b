"""A remote load whose final step fails leaves the store as it was, staging included.

A real failure, not a simulated one: Debian's Virtuoso with a low TransactionAfterImageLimit
(the most one transaction may write) takes the load's batches, each small, into the staging
graph, then refuses the one update that adds the staged data to the data graph.
"""

import pytest

from mcmap import namespaces as ns
from mcmap.store_remote import RemoteStore
from sparql_helpers import virtuoso_binary, virtuoso_server
from synth_data import synth
from test_engines import EXAMPLES, staging_graphs


pytestmark = [pytest.mark.slow, pytest.mark.virtuoso]


@pytest.fixture(scope="module")
def small_transactions(tmp_path_factory):
    if virtuoso_binary() is None:
        pytest.skip("virtuoso-t not found: install Debian's virtuoso-opensource (.ci/install-system-packages)")

    def tune(text: str) -> str:
        # 1 MB per transaction: a few thousand triples, less than the staged data below
        return text.replace("[Parameters]\n", "[Parameters]\nTransactionAfterImageLimit = 1000000\n", 1)

    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-small"), tune=tune) as base:
        yield base + "/sparql-auth"


@pytest.fixture(scope="module")
def many_credentials(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("synth"), 2000)


def test_a_load_refused_at_its_final_step_drops_its_staging(run, small_transactions, many_credentials,
                                                            monkeypatch):
    monkeypatch.setenv("MCMAP_ENDPOINT_USER", "dba")
    monkeypatch.setenv("MCMAP_ENDPOINT_PASSWORD", "dba")
    url = small_transactions
    assert run("load", *EXAMPLES, "--endpoint", url).exit_code == 0
    store = RemoteStore(url)
    before = store.count(ns.GRAPH_DATA)
    assert before > 0

    r = run("load", many_credentials, "--endpoint", url)

    assert r.exit_code == 2
    message = r.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in r.output
    assert "SR325" in message  # the server's own reason
    assert "the staged copy of the load was dropped" in message
    assert not staging_graphs(store)
    assert store.count(ns.GRAPH_DATA) == before
