"""A provider CSV of several chunks into a store folder: the same quads as the same file read
into memory, the summary's counts those of the store, and a bad last row leaving a folder that
already holds data exactly as it was."""
import csv

import pyoxigraph as ox
import pytest

import mcmap
from mcmap import namespaces as ns
from mcmap.formats.nquads import CHUNK
from mcmap.pending_load import GRAPH_LOADING, PENDING_FILE
from mcmap.store import LocalStore

HEADER = ["id", "title", "provider", "provider_regulator", "rto_code", "jurisdiction", "level_framework",
          "level", "hours", "learning_outcomes", "cost", "approved_on", "url"]
# About 20 lines of text a row: enough rows for several chunks, so writes are under way in
# other threads when the last row is read.
ROWS = 3 * CHUNK // 20 + 50


def provider_csv(path, rows: int = ROWS, bad_last: bool = False):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            # 30 providers named by many rows each; one name also under a second regulator
            # (a provider node of its own), some with an RTO code, a repeated outcome
            regulator = "TEQSA" if i % 97 else "ASQA"
            w.writerow([f"AU-{i:05d}", f"Course \"{i}\"\tline", f"Provider {i % 30}",
                        regulator if i % 30 else "ASQA", f"{1000 + i % 30}" if i % 3 == 0 else "",
                        "AU", "AQF", 1 + i % 10, "eight" if bad_last and i == rows - 1 else 10 + i % 500,
                        "Apply it|Apply it|Explain it", f"${i % 900}.50", f"2024-0{1 + i % 9}-1{i % 10}",
                        f"https://example.edu.au/c/{i}"])
    return path


def data_quads(store) -> list[str]:
    return sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_DATA)))


@pytest.mark.slow
def test_a_folder_holds_the_quads_the_file_gives_in_memory(tmp_path, run):
    data = provider_csv(tmp_path / "providers.csv")
    in_memory = mcmap.load([data])
    folder = tmp_path / "store"
    result = run("load", data, "--store", folder)
    assert result.exit_code == 0, result.stderr
    with LocalStore(folder) as s:
        stored = data_quads(s)
        assert stored == data_quads(in_memory.store)
        # the summary's figures are the folder's own
        assert f"loaded {ROWS} credentials ({len(stored)} triples)" in result.stderr
        assert in_memory.triples == len(stored)
        # no load left behind
        assert not s.ox.contains_named_graph(ox.NamedNode(GRAPH_LOADING))
        assert not (folder / PENDING_FILE).exists()


@pytest.mark.slow
def test_a_bad_last_row_after_many_chunks_leaves_a_filled_folder_as_it_was(tmp_path, run):
    folder = tmp_path / "store"
    first = provider_csv(tmp_path / "first.csv", rows=20)
    assert run("load", first, "--store", folder).exit_code == 0
    with LocalStore(folder) as s:
        before = sorted(str(q) for q in s.ox)
    bad = provider_csv(tmp_path / "bad.csv", bad_last=True)
    # other ids than the first file's, so the only fault is the last row's
    bad.write_text(bad.read_text().replace("AU-", "NZ-"))
    result = run("load", bad, "--store", folder)
    assert result.exit_code == 2
    assert f"{bad}: row {ROWS + 1}, column 'hours'" in result.stderr
    assert "Traceback" not in result.stderr
    with LocalStore(folder) as s:
        assert sorted(str(q) for q in s.ox) == before


def test_the_triple_count_of_a_fresh_folder_leaves_out_other_graphs(tmp_path, run):
    # A TriG file's own named graph and the data graph go into the same fresh folder: the
    # summary counts the data graph's triples only, as a query over that graph does.
    doc = tmp_path / "two.trig"
    doc.write_text(f'<http://example.org/c1> a <{ns.MC}MicroCredential> ; <http://purl.org/dc/terms/title> "t" .\n'
                   '<http://example.org/g> { <http://example.org/a> <http://example.org/b> "1", "2", "3" . }\n')
    folder = tmp_path / "store"
    result = run("load", doc, "--store", folder)
    assert result.exit_code == 0, result.stderr
    with LocalStore(folder) as s:
        n = s.count(ns.GRAPH_DATA)
    assert n >= 2
    assert f"loaded 1 credential ({n} triples)" in result.stderr
