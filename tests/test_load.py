"""Loading into a store: one transaction, all files or none, through the real CLI."""
import subprocess
import sys

import pytest

from mcmap import namespaces as ns
from mcmap.store import LocalStore

GOOD = "id,title,jurisdiction,hours\nAU-1,Workplace first aid,AU,8\nAU-2,Forklift basics,AU,16\n"
MORE = "id,title,jurisdiction,credits,credit_system\nNZ-1,Kaitiakitanga,NZ,5,NZ\n"
BAD = "id,title,jurisdiction,credits\nNZ-2,Te reo,NZ,five\n"


def snapshot(store_dir):
    with LocalStore(store_dir) as s:
        return sorted(str(q) for q in s.ox)


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in {"good.csv": GOOD, "more.csv": MORE, "bad.csv": BAD}.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text)
    return paths


def test_load_keeps_data_and_ontology_in_separate_graphs(run, files, tmp_path):
    store = tmp_path / "store"
    result = run("load", files["good.csv"], "--store", store)
    assert result.exit_code == 0, result.output
    assert "loaded 2 credentials" in result.stderr
    with LocalStore(store) as s:
        graphs = set(s.named_graphs())
        assert {ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY} <= graphs
        titles = {r[0].value for r in s.select(
            f"SELECT ?t WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?c <{ns.DCT}title> ?t }} }}")}
    assert titles == {"Workplace first aid", "Forklift basics"}


def test_a_bad_file_leaves_the_store_exactly_as_it_was(run, files, tmp_path):
    store = tmp_path / "store"
    assert run("load", files["good.csv"], "--store", store).exit_code == 0
    before = snapshot(store)
    result = run("load", files["more.csv"], files["bad.csv"], "--store", store)
    assert result.exit_code == 2
    assert f"{files['bad.csv']}: row 2, column 'credits': 'five' is not a number" in result.stderr
    assert snapshot(store) == before


def test_replace_swaps_the_data_but_keeps_the_ontology(run, files, tmp_path):
    store = tmp_path / "store"
    run("load", files["good.csv"], "--store", store)
    assert run("load", files["more.csv"], "--store", store, "--replace").exit_code == 0
    with LocalStore(store) as s:
        ids = {r[0].value for r in s.select(f"SELECT ?i WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?c <{ns.DCT}identifier> ?i }} }}")}
        assert ids == {"NZ-1"}
        assert s.count(ns.GRAPH_ONTOLOGY) > 100


def test_load_without_a_store_only_checks(run, files):
    result = run("load", files["good.csv"])
    assert result.exit_code == 0 and "checked only" in result.stderr


@pytest.mark.parametrize("name, content", [
    ("empty.ttl", b""),
    ("binary.csv", b"\x00\x01\x02\x03"),
    ("broken.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b .\n"),
    ("broken.jsonld", b"{ not json"),
])
def test_bad_input_is_one_line_on_stderr_with_exit_2_and_no_traceback(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "mcmap", "load", str(p), "--store", str(tmp_path / "s")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mcmap: error: {p}"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_is_named(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mcmap", "load", str(tmp_path / "nope.csv")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "nope.csv" in proc.stderr and "Traceback" not in proc.stderr
