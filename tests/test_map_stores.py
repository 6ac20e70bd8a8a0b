"""`mcmap map` gives the same results wherever the credentials are: files read into memory, a
store folder, an Oxigraph server; mapping again replaces what the first run kept.

The credentials are the benchmarks' synthetic ones (AU, NZ and WS, a tenth of them with a
mistake), so eligibility, volume ranges and level chains all vary; the results are compared
whole, credential by credential.
"""
import json

import pytest

from mcmap import namespaces as ns
from mcmap.formats import sssom_store
from mcmap.store import LocalStore
from mcmap.store_remote import RemoteStore
from synth_data import synth
from test_engines import endpoint, oxigraph_url, virtuoso_url  # noqa: F401  (the servers)


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def credentials(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("synth"), 300)


def mapped(result) -> list:
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc) == 300
    return doc


def work_graphs(store) -> list[str]:
    return [g for g in store.named_graphs() if "mapping-work" in g]


@pytest.fixture(scope="module")
def expected(credentials):
    from click.testing import CliRunner

    from mcmap.cli import cli

    return mapped(CliRunner().invoke(cli, ["map", str(credentials), "--to", "nz", "ws", "-F", "json"],
                                     catch_exceptions=False))


def test_files_and_a_store_folder_map_alike(run, credentials, expected, tmp_path, monkeypatch):
    from mcmap.mapping import eligibility_store

    outcomes = {t["outcome"] for c in expected for t in c["targets"]}
    assert {"yes", "no", "needs info"} <= outcomes  # the data exercises the rules

    folder = tmp_path / "store"
    assert run("load", credentials, "--store", folder).exit_code == 0
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--store", folder)) == expected
    with LocalStore(folder) as store:
        kept = {str(q) for q in store.quads(ns.GRAPH_MAPPINGS)}
        assert not work_graphs(store)  # the check ran beside the folder, not in it
    # mapping again replaces the kept results rather than adding to them; this time the
    # rules run in a scratch store in a temporary folder, as they do for a large store, and
    # the 600 rows kept before are removed 50 at a time, 7 per update
    monkeypatch.setattr(eligibility_store, "IN_MEMORY_QUADS", 0)
    monkeypatch.setattr(sssom_store, "_ROWS_READ", 50)
    monkeypatch.setattr(sssom_store, "_ROWS_PER_UPDATE", 7)
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--store", folder)) == expected
    with LocalStore(folder) as store:
        assert {str(q) for q in store.quads(ns.GRAPH_MAPPINGS)} == kept


def test_a_server_maps_as_the_embedded_store_part_by_part(run, credentials, expected, endpoint, monkeypatch):
    from mcmap import answer_parts
    from mcmap.mapping import crossmap, eligibility_store

    # mapped in parts of 100 credentials (three here), each part's credentials copied into the
    # work graph and removed again 40 per update
    monkeypatch.setattr(crossmap, "PART", 100)
    monkeypatch.setattr(eligibility_store, "COPY_CREDENTIALS", 40)
    # and the answers, the credentials' facts among them, come in parts of a few kilobytes
    monkeypatch.setattr(answer_parts, "FIRST_BYTES", 2000)
    monkeypatch.setattr(answer_parts, "PART_BYTES", 4000)
    assert run("load", credentials, "--endpoint", endpoint).exit_code == 0
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--endpoint", endpoint)) == expected
    remote = RemoteStore(endpoint)
    kept = remote.count(ns.GRAPH_MAPPINGS)
    # the rows kept before are removed in parts of 50, 7 per update
    monkeypatch.setattr(sssom_store, "_ROWS_READ", 50)
    monkeypatch.setattr(sssom_store, "_ROWS_PER_UPDATE", 7)
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--endpoint", endpoint)) == expected
    assert remote.count(ns.GRAPH_MAPPINGS) == kept
    assert not work_graphs(remote)


def test_a_store_folder_maps_part_by_part(run, credentials, expected, tmp_path, monkeypatch):
    """A registry in a store folder is mapped, written out and kept a part of the credentials
    at a time (eight parts here): the document is the one the whole gives, and the folder keeps
    the same results as when they are kept all at once. The parts' results wait in a file until
    the last part is out, then go into the folder by bulk writes (here of 64 KiB of N-Quads:
    a few dozen)."""
    from mcmap import store as store_module
    from mcmap.mapping import crossmap

    def kept(folder) -> set[str]:
        with LocalStore(folder) as store:
            return {str(q) for q in store.quads(ns.GRAPH_MAPPINGS)}

    monkeypatch.setattr(crossmap, "PART", 40)
    monkeypatch.setattr(store_module, "LATER_BYTES", 64 * 1024)
    parts, whole = tmp_path / "parts", tmp_path / "whole"
    for folder in (parts, whole):
        assert run("load", credentials, "--store", folder).exit_code == 0
    assert mapped(run("map", "--to", "nz", "ws", "-F", "json", "--store", parts)) == expected
    # -F csv keeps the results in one write, after mapping them all
    result = run("map", "--to", "nz", "ws", "-F", "csv", "--store", whole)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1 + 600
    assert kept(parts) == kept(whole) and len(kept(parts)) > 600 * 20
    with LocalStore(parts) as store:
        assert not work_graphs(store)


def test_a_credential_without_a_jurisdiction_stops_a_store_s_map_before_anything_is_written(
        run, credentials, tmp_path, monkeypatch):
    from mcmap.mapping import crossmap

    monkeypatch.setattr(crossmap, "PART", 40)
    folder, out = tmp_path / "store", tmp_path / "out.json"
    assert run("load", credentials, "--store", folder).exit_code == 0
    assert run("map", "--to", "nz", "-F", "json", "--store", folder, "-o", out).exit_code == 0
    with LocalStore(folder) as store:
        before = {str(q) for q in store.quads(ns.GRAPH_MAPPINGS)}
    out.unlink()
    extra = tmp_path / "late.ttl"
    extra.write_text("@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
                     "<https://w3id.org/mcmap/data/credential/ZZ-LATE> a mc:MicroCredential ; "
                     'dct:identifier "ZZ-LATE" ; dct:title "Placeless" .\n')
    assert run("load", extra, "--store", folder).exit_code == 0
    result = run("map", "--to", "nz", "-F", "json", "--store", folder, "-o", out)
    assert result.exit_code == 2
    assert "late.ttl: credential 'ZZ-LATE' states no jurisdiction; give --from" in result.stderr
    assert not out.exists()
    with LocalStore(folder) as store:
        assert {str(q) for q in store.quads(ns.GRAPH_MAPPINGS)} == before
