"""The streaming load path: RDF parsed by Oxigraph into the store, other readers' quads written
in chunks, and every failure (a bad file, a bad last row, a killed process) leaving the store
as it was before the load or as it is after it."""
import os
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from mcmap import namespaces as ns
from mcmap.errors import InputError
from mcmap.load import load_files
from mcmap.pending_load import GRAPH_LOADING, PENDING_FILE
from mcmap.staging import CHUNK
from mcmap.store import LocalStore

HEADER = "id,title,jurisdiction,hours\n"


def snapshot(store_dir):
    with LocalStore(store_dir) as s:
        return sorted(str(q) for q in s.ox)


def data_count(store_dir) -> int:
    with LocalStore(store_dir) as s:
        return s.count(ns.GRAPH_DATA)


def big_csv(path, rows: int, bad_last: bool = False):
    lines = [f"AU-{i},Credential {i},AU,{8 + i % 40}\n" for i in range(rows)]
    if bad_last:
        lines[-1] = f"AU-{rows - 1},Credential,AU,eight\n"
    path.write_text(HEADER + "".join(lines))
    return path


def test_a_bad_last_row_after_many_chunks_leaves_a_fresh_folder_empty(tmp_path, run):
    # Enough rows that several chunks reach the store before the bad row is read.
    rows = CHUNK // 4 + 10
    bad = big_csv(tmp_path / "many.csv", rows, bad_last=True)
    store = tmp_path / "store"
    result = run("load", bad, "--store", store)
    assert result.exit_code == 2
    assert f"row {rows + 1}, column 'hours'" in result.stderr
    with LocalStore(store) as s:
        assert s.count(ns.GRAPH_DATA) == 0
        assert s.count(ns.GRAPH_ONTOLOGY) > 100  # reference data stays usable
    good = big_csv(tmp_path / "good.csv", 10)
    assert run("load", good, "--store", store).exit_code == 0
    assert data_count(store) > 0


def test_a_bad_rdf_file_after_a_good_one_leaves_a_filled_folder_as_it_was(tmp_path, run):
    store = tmp_path / "store"
    first = tmp_path / "first.ttl"
    first.write_text('<http://example.org/c1> a <https://w3id.org/mcmap/ns#MicroCredential> .\n')
    assert run("load", first, "--store", store).exit_code == 0
    before = snapshot(store)
    second = tmp_path / "second.nt"
    second.write_text('<http://example.org/c2> <http://purl.org/dc/terms/title> "x" .\n')
    broken = tmp_path / "broken.ttl"
    broken.write_text('<http://example.org/c3> <http://purl.org/dc/terms/title> "y" .\n<a> <b> .\n')
    result = run("load", second, broken, "--store", store)
    assert result.exit_code == 2
    assert f"{broken}:2" in result.stderr
    assert snapshot(store) == before


def test_blank_nodes_of_different_files_stay_distinct(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text('_:x <http://purl.org/dc/terms/title> "A" .\n')
    b.write_text('_:x <http://purl.org/dc/terms/title> "B" .\n')
    for store_dir in (None, tmp_path / "store"):
        with LocalStore(store_dir) as store:
            load_files(store, [a, b])
            load_files(store, [a])  # into a store that already holds data
            subjects = {r[0] for r in store.select(
                f"SELECT ?s WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s <{ns.DCT}title> ?t }} }}")}
            assert len(subjects) == 3


def test_rdf_credentials_get_their_file_and_findings_their_line(tmp_path, run):
    data = tmp_path / "sub.ttl"
    data.write_text(
        "@prefix mc: <https://w3id.org/mcmap/ns#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<http://example.org/ok> a mc:MicroCredential ; dct:title \"Fine\" .\n"
        "\n"
        "<http://example.org/bad> a mc:MicroCredential .\n")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass <https://w3id.org/mcmap/ns#MicroCredential> ;\n"
        "  sh:property [ sh:path <http://purl.org/dc/terms/title> ; sh:minCount 1 ] .\n")
    store = tmp_path / "store"
    assert run("load", data, "--store", store).exit_code == 0
    with LocalStore(store) as s:
        files = {r[0].value for r in s.select(f"SELECT ?f WHERE {{ ?c <{ns.MC}sourceFile> ?f }}")}
    assert files == {str(data)}
    result = run("validate", "--store", store, "--shapes", shapes, "--format", "json")
    assert result.exit_code == 1
    import json

    doc = json.loads(result.stdout)
    assert [(c["focus_node"], c["source_line"]) for c in doc["credentials"]] == [("http://example.org/bad", 5)]
    assert doc["summary"]["credentials_checked"] == 2
    assert doc["summary"]["conforming"] == 1


def test_an_rdf_file_without_triples_is_refused(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing but a comment\n")
    with LocalStore() as store, pytest.raises(InputError, match="contains no Turtle triples"):
        load_files(store, [empty])


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("where", [None, "store"])
def test_quad_files_keep_their_graphs_and_blank_nodes_and_leave_no_stage(tmp_path, where):
    """N-Quads and TriG are parsed into a private store, checked, then moved in: their own
    graphs arrive whole, each file's blank nodes stay its own, and nothing else is written."""
    nq, trig = tmp_path / "a.nq", tmp_path / "b.trig"
    nq.write_text('_:x <http://purl.org/dc/terms/title> "A" .\n'
                  '<http://example.org/c1> <http://example.org/proof> _:x <http://example.org/g/proof> .\n')
    trig.write_text('_:x <http://purl.org/dc/terms/title> "B" .\n'
                    '<http://example.org/g/proof> { <http://example.org/c2> <http://example.org/proof> "p" }\n')
    with LocalStore(tmp_path / where if where else None) as store:
        load_files(store, [nq, trig])
        load_files(store, [nq])  # into a store that already holds data
        titles = {r[0] for r in store.select(
            f"SELECT ?s WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s <{ns.DCT}title> ?t }} }}")}
        assert len(titles) == 3
        proofs = sorted(str(r[0]) for r in store.select(
            "SELECT ?s WHERE { GRAPH <http://example.org/g/proof> { ?s <http://example.org/proof> ?o } }"))
        assert proofs == ["<http://example.org/c1>", "<http://example.org/c1>", "<http://example.org/c2>"]
        graphs = {g.value for g in store.ox.named_graphs()}
        assert not [g for g in graphs if "staging" in g or "loading" in g]


@pytest.mark.parametrize("fmt, text, line", [
    ("nq", f'<http://example.org/c1> <http://example.org/size> "300"^^<{XSD}byte> <http://example.org/g> .\n', 1),
    ("trig", f'@prefix xsd: <{XSD}> .\n<http://example.org/g> {{\n<http://example.org/c1>\n'
             f'  <http://example.org/size> "-3"^^xsd:positiveInteger }}\n', 4),
    ("nq", f'<http://example.org/c0> <http://example.org/when> "2022-02-28"^^<{XSD}date> .\n'
           f'<http://example.org/c1> <http://example.org/when> "2022-02-30"^^<{XSD}date> .\n', 2),
])
def test_an_ill_formed_literal_in_a_quad_file_is_refused_with_its_line(tmp_path, run, fmt, text, line):
    """The store keeps "300"^^xsd:byte as an xsd:integer, so the range is checked before."""
    path = tmp_path / f"bad.{fmt}"
    path.write_text(text)
    store = tmp_path / "store"
    result = run("load", path, "--store", store)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"mcmap: error: {path}:{line}: ")
    assert ("out of range" in result.stderr) or ("not a valid xsd:date" in result.stderr)
    assert data_count(store) == 0


KILLER = """
import sys
from mcmap.load import load_files
from mcmap.store import LocalStore
store = LocalStore(sys.argv[1])
print("loading", flush=True)
load_files(store, sys.argv[2:])
store.close()
print("done", flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("prefilled", [False, True])
def test_a_killed_load_leaves_the_folder_before_or_after(tmp_path, prefilled):
    store = tmp_path / "store"
    small = big_csv(tmp_path / "small.csv", 3)
    if prefilled:
        with LocalStore(store) as s:
            load_files(s, [small])
    before = data_count(store) if prefilled else 0
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    for k, delay in enumerate((0.3, 1.0, 2.5)):
        big = tmp_path / f"big{k}.nt"
        big.write_text("".join(f"<http://example.org/c{k}-{i}> <http://purl.org/dc/terms/title> \"t\" .\n"
                               for i in range(300_000)))
        proc = subprocess.Popen([sys.executable, str(script), str(store), str(big)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "loading"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        after = data_count(store)
        assert after in (before, before + 300_000), (delay, after)
        before = after
    with LocalStore(store) as s:
        assert not s.ox.contains_named_graph(ox.NamedNode(GRAPH_LOADING))
        assert not (store / PENDING_FILE).exists()


def ntriples_credentials(path, n: int, blank: bool = False):
    """`n` credentials as N-Triples; with `blank`, the first and the last share one blank node."""
    mc = ns.MC
    lines = []
    for i in range(n):
        c = f"<https://example.org/c/{i}>"
        lines += [f"{c} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{mc}MicroCredential> .\n",
                  f'{c} <{mc}title> "Credential {i}" .\n',
                  f'{c} <{mc}hours> "{8 + i % 40}"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n']
    if blank:
        lines.insert(0, f"<https://example.org/c/0> <{mc}provider> _:p .\n")
        lines.append(f'_:p <{mc}name> "One provider" .\n')
    path.write_text("".join(lines))
    return path


def data_quads(store_dir) -> list[str]:
    with LocalStore(store_dir) as s:
        return sorted(str(q) for q in s.ox.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_DATA))
                      if not str(q.predicate).startswith(f"<{ns.MC}source"))


@pytest.fixture(params=["in parts", "in one call"])
def small_parts(request, monkeypatch):
    """A small file loaded as a large one is: in parts of a few lines (many bulk-loader calls),
    or, over the size where one call reads the whole file, in that one call (on two cores, as
    in CI; in parts on more, see mcmap.rdf_source)."""
    from mcmap import rdf_source

    monkeypatch.setattr(rdf_source, "PART", 700)
    if request.param == "in one call":
        monkeypatch.setattr(rdf_source, "WHOLE", 1000)


def test_a_large_line_based_file_loaded_in_parts_is_stored_whole(tmp_path, run, small_parts):
    data = ntriples_credentials(tmp_path / "many.nt", 60)
    assert run("load", data, "--store", tmp_path / "parts").exit_code == 0
    whole = LocalStore()
    load_files(whole, [data])
    stored = data_quads(tmp_path / "parts")
    assert len(stored) == 180
    assert stored == sorted(str(q) for q in whole.ox.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_DATA))
                            if not str(q.predicate).startswith(f"<{ns.MC}source"))


def test_a_large_file_starting_with_a_byte_order_mark_is_stored_whole(tmp_path, run, small_parts):
    data = ntriples_credentials(tmp_path / "bom.nt", 60)
    data.write_bytes(b"\xef\xbb\xbf" + data.read_bytes())
    assert run("load", data, "--store", tmp_path / "store").exit_code == 0
    assert len(data_quads(tmp_path / "store")) == 180


def test_a_syntax_error_in_a_later_part_names_the_files_line_and_stores_nothing(tmp_path, run, small_parts):
    data = ntriples_credentials(tmp_path / "bad.nt", 60)
    lines = data.read_text().splitlines(keepends=True)
    lines[150] = "<https://example.org/c/50> <https://w3id.org/mcmap/ns#title> \"no end .\n"
    data.write_text("".join(lines))
    store = tmp_path / "store"
    result = run("load", data, "--store", store)
    assert result.exit_code == 2
    assert "bad.nt:151: N-Triples syntax error: Parser error at line 151 column" in result.stderr, result.stderr
    assert data_count(store) == 0


def test_a_blank_node_named_far_apart_stays_one_node_in_a_folder(tmp_path, run, small_parts):
    data = ntriples_credentials(tmp_path / "blank.nt", 60, blank=True)
    assert run("load", data, "--store", tmp_path / "store").exit_code == 0
    with LocalStore(tmp_path / "store") as s:
        rows = list(s.ox.query(f'SELECT ?name WHERE {{ GRAPH ?g {{ <https://example.org/c/0> <{ns.MC}provider> ?p . '
                               f'?p <{ns.MC}name> ?name }} }}'))
    assert [r[0].value for r in rows] == ["One provider"]


def test_a_value_refused_after_a_load_in_parts_leaves_a_fresh_folder_empty_and_usable(tmp_path, run, small_parts):
    # Every part is in the folder before the value check, run over the stored data, refuses it.
    data = ntriples_credentials(tmp_path / "bad-value.nt", 60)
    lines = data.read_text().splitlines(keepends=True)
    lines[-1] = lines[-1].replace('"27"', '"twenty-seven"')  # the last credential's hours
    data.write_text("".join(lines))
    store = tmp_path / "store"
    result = run("load", data, "--store", store)
    assert result.exit_code == 2
    assert "bad-value.nt:180" in result.stderr and "twenty-seven" in result.stderr, result.stderr
    assert data_count(store) == 0
    good = ntriples_credentials(tmp_path / "good.nt", 60)
    assert run("load", good, "--store", store).exit_code == 0
    assert len(data_quads(store)) == 180


@pytest.mark.parametrize("marker", ["file", "graph of an older mcmap"])
def test_a_folder_marked_as_loading_is_undone_when_opened(tmp_path, marker):
    store = tmp_path / "store"
    credential = ntriples_credentials(tmp_path / "one.nt", 1)
    with LocalStore(store) as s:
        load_files(s, [credential])
        assert s.count(ns.GRAPH_DATA) > 0
    if marker == "file":
        (store / PENDING_FILE).write_bytes(b"")
    else:
        raw = ox.Store(str(store))
        loading = ox.NamedNode(GRAPH_LOADING)
        raw.add(ox.Quad(loading, ox.NamedNode(ns.MC + "loadPending"), ox.Literal("true"), loading))
        raw.flush()
        del raw
    with LocalStore(store) as s:
        assert s.count(ns.GRAPH_DATA) == 0
        assert s.count(ns.GRAPH_ONTOLOGY) > 100
        assert not s.ox.contains_named_graph(ox.NamedNode(GRAPH_LOADING))
    assert not (store / PENDING_FILE).exists()
