"""mcmap export: every RDF format round-trips (load -> export -> load) to an isomorphic graph."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from mcmap.formats import read_files

DATA = Path(__file__).parent / "data" / "exchange"
CSV = DATA / "two-credentials.csv"
PROVENANCE = {rdflib.URIRef("https://w3id.org/mcmap/ns#" + p) for p in ("sourceFile", "sourceRow", "sourceLine")}
EXT = {"jsonld": ".jsonld", "ttl": ".ttl", "nt": ".nt", "rdfxml": ".rdf"}


def graph_of(path) -> rdflib.Graph:
    """The data a file holds, as mcmap reads it, without the provenance mcmap adds when reading
    (nor the verbatim copy it keeps of an Open Badges or CTDL document, which only those travel in)."""
    g = rdflib.Graph()
    for q in read_files([path]):
        if q.predicate.value in {str(p) for p in PROVENANCE} or q.subject.value.startswith("urn:mcmap:document:"):
            continue
        g.add(tuple(_term(t) for t in (q.subject, q.predicate, q.object)))
    return g


def _term(t):
    import pyoxigraph as ox
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


@pytest.mark.parametrize("to", ["jsonld", "ttl", "nt", "rdfxml"])
def test_round_trip_is_isomorphic(run, tmp_path, to):
    out = tmp_path / f"out{EXT[to]}"
    result = run("export", CSV, "--format", to, "--output", out)
    assert result.exit_code == 0, result.output
    original, again = graph_of(CSV), graph_of(out)
    assert len(original) > 30
    assert isomorphic(original, again)


@pytest.mark.parametrize("to", ["jsonld", "ttl", "nt", "rdfxml"])
def test_second_round_trip_from_each_format(run, tmp_path, to):
    first = tmp_path / f"first{EXT[to]}"
    run("export", CSV, "--format", to, "--output", first)
    for other in ["jsonld", "ttl", "nt", "rdfxml"]:
        second = tmp_path / f"second-{other}{EXT[other]}"
        assert run("export", first, "--format", other, "--output", second).exit_code == 0
        assert isomorphic(graph_of(first), graph_of(second)), (to, other)


def test_jsonld_is_compacted_with_mcmap_context(run):
    result = run("export", CSV, "--format", "jsonld")
    doc = json.loads(result.stdout)
    assert doc["@context"] == "https://w3id.org/mcmap/context.jsonld"
    nz = next(n for n in doc["@graph"] if n.get("identifier") == "NZ-001")
    assert nz["type"] == "MicroCredential"
    assert nz["deliveryMode"] == "online"
    assert nz["level"] == "mcid:level/nzqcf/4"
    assert sorted(nz["learningOutcome"]) == ["Greet people", "Use basic phrases"]


def test_export_leaves_out_read_provenance(run):
    text = run("export", CSV, "--format", "nt").stdout
    assert "sourceFile" not in text and "sourceRow" not in text
    assert "Te reo M" in text


def test_unknown_remote_context_is_refused_with_exit_2(tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text(json.dumps({"@context": "https://example.org/evil-context.jsonld",
                               "@id": "https://example.org/c1", "name": "x"}))
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(doc), "--format", "ttl"],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert proc.returncode == 2
    assert "unknown remote JSON-LD context https://example.org/evil-context.jsonld" in proc.stderr
    assert "never fetches" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_input_names_file_and_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,credits\nX-1,Thing,lots\n")
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(bad), "--format", "jsonld"],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert proc.returncode == 2
    assert "bad.csv: row 2, column 'credits'" in proc.stderr


@pytest.mark.parametrize("example", ["elm-v3/Sample-MC-Annex1-unsigned.jsonld", "openbadges-3.0/fullOpenBadge.json",
                                     "ctdl/ingest-examples/LearningProgram-1.json"])
def test_real_documents_round_trip_through_mcmap_jsonld(run, shared, tmp_path, example):
    import warnings
    source = shared / "realdata-examples" / example
    out = tmp_path / "out.jsonld"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert run("export", source, "--format", "jsonld", "--output", out).exit_code == 0
        assert isomorphic(graph_of(source), graph_of(out))


def test_jsonld_export_of_a_large_register_is_quick(tmp_path):
    # 2,000 credentials (about 30,000 triples): a general compaction algorithm takes minutes here.
    import time
    from mcmap.export import export_quads
    big = tmp_path / "big.csv"
    rows = ["id,title,provider,jurisdiction,level_framework,level,credits,credit_system,hours,learning_outcomes"]
    rows += [f"NZ-{i},Course {i},Ara Institute,NZ,NZQCF,{1 + i % 10},15,NZ,150,A|B" for i in range(2000)]
    big.write_text("\n".join(rows) + "\n")
    quads = read_files([big])
    start = time.perf_counter()
    doc = json.loads(export_quads(quads, "jsonld"))
    assert time.perf_counter() - start < 20
    assert sum(1 for n in doc["@graph"] if n.get("type") == "MicroCredential") == 2000


def test_export_of_quads_writes_each_graphs_triples_once_and_refuses_mcmaps_graphs(run, tmp_path):
    """Export reads as load reads: a document's own graph (a proof) is exported with the data,
    a triple stated in two graphs is written once, and a file writing into mcmap's graphs is refused."""
    doc = tmp_path / "signed.trig"
    doc.write_text(
        "@prefix mc: <https://w3id.org/mcmap/ns#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<http://example.org/c1> a mc:MicroCredential ; dct:title \"Signed\" .\n"
        "<http://example.org/proof> { <http://example.org/c1> dct:title \"Signed\" ; "
        "<http://example.org/signature> \"abc\" }\n")
    out = tmp_path / "out.nt"
    result = run("export", doc, "--format", "nt", "--output", out)
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert sorted(lines) == sorted([
        '<http://example.org/c1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/mcmap/ns#MicroCredential> .',
        '<http://example.org/c1> <http://purl.org/dc/terms/title> "Signed" .',
        '<http://example.org/c1> <http://example.org/signature> "abc" .'])
    own = tmp_path / "own.nq"
    own.write_text('<http://example.org/c1> <http://purl.org/dc/terms/title> "x" <https://w3id.org/mcmap/graph/shapes> .\n')
    result = run("export", own, "--format", "ttl")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"mcmap: error: {own}:1: writes into mcmap's own graph "
                                     "<https://w3id.org/mcmap/graph/shapes>; a submission may only use the data "
                                     "graph or graphs of its own")
