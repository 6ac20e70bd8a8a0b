"""`mcmap export --store DIR`: a store folder exports as the files loaded into it do, the folder
is only read, and a wrong folder is a one-line error with exit 2. Exports are written as they
are made, to a file or to standard output."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

import mcmap
from test_export import graph_of

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "exchange"
EXT = {"jsonld": ".jsonld", "ttl": ".ttl", "nt": ".nt", "rdfxml": ".rdf", "xml": ".xml", "ob3": ".json",
       "elm": ".jsonld", "ctdl": ".json"}


def _cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A store folder made by `mcmap load --store` from CSV and Turtle files."""
    files = [REPO / "examples" / "au-submission.csv", REPO / "examples" / "nz-submission.ttl",
             REPO / "examples" / "ws-submission.csv", DATA / "rich.ttl"]
    folder = tmp_path_factory.mktemp("export") / "store"
    proc = _cli("load", *files, "--store", folder)
    assert proc.returncode == 0, proc.stderr
    return files, folder


def _listing(folder: Path) -> dict:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("to", sorted(EXT))
def test_a_store_folder_exports_as_the_files_loaded_into_it(loaded, tmp_path, to):
    files, folder = loaded
    before = _listing(folder)
    from_files, from_store = tmp_path / f"files{EXT[to]}", tmp_path / f"store{EXT[to]}"
    one = _cli("export", *files, "-F", to, "-o", from_files)
    two = _cli("export", "--store", folder, "-F", to, "-o", from_store)
    assert one.returncode == 0 and two.returncode == 0, (one.stderr, two.stderr)
    assert "Traceback" not in two.stderr
    assert _listing(folder) == before                     # read only: not a file of the store changed
    if to in ("ttl", "nt", "rdfxml"):                     # Oxigraph writes triples in the store's order
        assert len(graph_of(from_store)) > 100
        assert isomorphic(graph_of(from_files), graph_of(from_store))
    elif to == "ob3":                                     # a credential without an approval date is valid from now
        strip = lambda p: [line for line in p.read_text().splitlines() if '"validFrom"' not in line]  # noqa: E731
        assert strip(from_files) == strip(from_store)
    else:
        assert from_files.read_bytes() == from_store.read_bytes()


def test_export_to_standard_output_is_the_document_written_to_a_file(loaded, tmp_path):
    _, folder = loaded
    out = tmp_path / "out.jsonld"
    assert _cli("export", "--store", folder, "-F", "jsonld", "-o", out).returncode == 0
    proc = _cli("export", "--store", folder, "-F", "jsonld")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == out.read_text()
    doc = json.loads(proc.stdout)
    assert sum(1 for n in doc["@graph"] if n.get("type") == "MicroCredential") >= 14


def test_the_library_exports_a_store_folder_to_a_stream(loaded):
    files, folder = loaded
    stream = io.BytesIO()
    assert mcmap.export(store=str(folder), format="xml", output=stream) is None
    assert stream.getvalue() == mcmap.export(files, "xml")
    held = mcmap.load(files)
    assert mcmap.export(store=held, format="xml") == stream.getvalue()


def test_wrong_store_folders_are_one_line_errors(tmp_path):
    import pyoxigraph as ox

    not_a_store = tmp_path / "plain"
    not_a_store.mkdir()
    (not_a_store / "notes.txt").write_text("x")
    empty = tmp_path / "empty"
    store = ox.Store(str(empty))     # mcmap's reference data only: nothing a user loaded
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"),
                      ox.NamedNode("http://example.org/c"), ox.NamedNode("https://w3id.org/mcmap/graph/ontology")))
    store.flush()
    del store
    cases = {(tmp_path / "missing",): "no such store folder",
             (not_a_store,): "not a store folder",
             (empty,): "the store holds no data to export"}
    for (folder,), message in cases.items():
        proc = _cli("export", "--store", folder, "-F", "ttl")
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == proc.stderr.strip().splitlines()[0]
        assert message in proc.stderr and str(folder) in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "missing").exists()             # a mistyped folder is not created
    both = _cli("export", DATA / "two-credentials.csv", "--store", empty, "-F", "ttl")
    assert both.returncode == 2 and "not both" in both.stderr
    neither = _cli("export", "-F", "ttl")
    assert neither.returncode == 2 and "--store DIR" in neither.stderr


def test_help_names_the_store_option(run):
    text = run("export", "--help").stdout
    assert "--store DIR" in text and "mcmap export --store ./store" in text


def test_a_value_not_of_its_type_is_left_out_with_a_warning(tmp_path):
    """RDF data may say a cost is "about five hundred" (validation reports it); the standards'
    number fields cannot hold it, so each writer leaves it out and says so."""
    data = tmp_path / "odd.ttl"
    data.write_text('@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix dct: <http://purl.org/dc/terms/> .\n'
                    '<https://example.org/c1> a mc:MicroCredential ; dct:title "Welding" ; '
                    'mc:cost "about five hundred" ; mc:creditValue "lots" .\n')
    for to in ("xml", "ob3", "ctdl", "elm"):
        proc = _cli("export", data, "-F", to)
        assert proc.returncode == 0, proc.stderr
        assert "https://example.org/c1: its cost is left out: 'about five hundred' is not a number" in proc.stderr
        assert "its credit value is left out" in proc.stderr
        assert "about five hundred" not in proc.stdout and "Welding" in proc.stdout


def test_elm_written_in_batches_says_what_one_batch_says(loaded, monkeypatch):
    """ELM is made a batch of credentials at a time; a node the credentials share (a provider, a
    concept) is written in full once. However the register is cut into batches, the document
    read back is the same graph."""
    import rdflib
    from rdflib.compare import isomorphic

    from mcmap.formats import elm_write
    from mcmap.formats.contexts import inline_contexts

    files, folder = loaded

    def graph(batch: int):
        monkeypatch.setattr(elm_write, "BATCH", batch)
        doc = json.loads(mcmap.export(store=str(folder), format="elm"))
        g = rdflib.Graph()
        g.parse(data=json.dumps(inline_contexts(doc)), format="json-ld")
        return doc, g

    whole, one = graph(10_000)
    cut, many = graph(3)
    assert len(one) > 300 and isomorphic(one, many)

    def described(node, found):   # (id, type) of each node written with what it says, not as a reference
        if isinstance(node, dict):
            if "id" in node and len(node) > 1:
                found.append((node["id"], node.get("type")))
            for v in node.values():
                described(v, found)
        elif isinstance(node, list):
            for v in node:
                described(v, found)
        return found

    written = described(cut["@graph"], [])
    organisations = {i for i, t in written if t == "Organisation"}
    assert len(organisations) >= 3
    assert all(written.count((org, "Organisation")) == 1 for org in organisations)
    assert whole == cut                                     # the same document, whatever the batches
