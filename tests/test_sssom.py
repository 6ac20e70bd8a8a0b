"""SSSOM reading, writing and RDF: the shipped level mappings and hand-made bad tables."""
import subprocess
import sys
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap.errors import InputError
from mcmap.formats.sssom import NO_TERM_FOUND, read_sssom, shipped_mapping_files, to_triples, write_sssom
from mcmap.formats.sssom_store import load_mappings
from mcmap.store import LocalStore

REPO = Path(__file__).resolve().parents[1]

HEADER = """#mapping_set_id: https://example.org/test.sssom.tsv
#license: https://creativecommons.org/licenses/by/4.0/
#curie_map:
#  aqf: https://w3id.org/mcmap/id/level/aqf/
#  nzqcf: https://w3id.org/mcmap/id/level/nzqcf/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tcreator_id\tsee_also\tcomment
"""
GOOD = "aqf:5\tskos:exactMatch\tnzqcf:5\tsemapv:ManualMappingCuration\t0.95\tmcagent:x\thttps://example.org\tok\n"


def _write(tmp_path, body, header=HEADER, name="m.sssom.tsv"):
    header = header.replace("#curie_map:", "#curie_map:\n#  mcagent: https://w3id.org/mcmap/id/agent/")
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def _level_files():
    return [p for p in shipped_mapping_files() if not p.name.startswith("crosswalk-")]


def test_shipped_level_mappings_read_and_hold_the_published_facts():
    rows = {}
    for path in _level_files():
        mset = read_sssom(path)
        assert mset.metadata["license"].startswith("https://")
        for m in mset.mappings:
            rows[(m["subject_id"], m["object_id"])] = m
            assert m["confidence"] is not None and m.get("see_also") and m.get("comment")
            assert m.get("author_id") or m.get("creator_id")
    # AQF <-> NZQCF one to one, official
    for n in range(1, 11):
        m = rows[(f"aqf:{n}", f"nzqcf:{n}")]
        assert (m["predicate_id"], m["mapping_justification"]) == ("skos:exactMatch", "semapv:ManualMappingCuration")
    # NZQCF -> EQF: exact one to one, close for many to one, NZQCF 8 has no EQF level
    assert rows[("nzqcf:7", "eqf:6")]["predicate_id"] == "skos:exactMatch"
    for n, e in ((3, 4), (4, 4), (5, 5), (6, 5)):
        assert rows[(f"nzqcf:{n}", f"eqf:{e}")]["predicate_id"] == "skos:closeMatch"
    assert ("nzqcf:8", "sssom:NoTermFound") in rows
    assert ("eqf:1", "sssom:NoTermFound") in rows
    # AQF -> EQF: secondary points are closeMatch at lower confidence; the rest chained, never exact
    assert rows[("aqf:7", "eqf:6")]["predicate_id"] == "skos:closeMatch"
    assert rows[("aqf:7", "eqf:6")]["confidence"] < rows[("aqf:7", "nzqcf:7")]["confidence"]
    chained = [m for (s, _), m in rows.items() if s.startswith("aqf:") and m["mapping_justification"] == "semapv:MappingChaining"]
    assert len(chained) == 7 and all(m["predicate_id"] != "skos:exactMatch" for m in chained)
    assert rows[("aqf:5", "eqf:5")]["predicate_id"] == "skos:relatedMatch"
    # SQF/PQF rows are flagged UNVERIFIED at low confidence
    for key in (("sqf:7", "pqf:7"), ("pqf:4", "nzqcf:4")):
        assert "UNVERIFIED" in rows[key]["comment"] and rows[key]["confidence"] <= 0.3
        assert rows[key]["predicate_id"] == "skos:relatedMatch"


def test_round_trip_keeps_every_cell(tmp_path):
    for path in _level_files():
        first = read_sssom(path)
        again = read_sssom(_write(tmp_path, "", header="") if False else path.name, text=write_sssom(first))
        assert again.metadata == first.metadata
        assert [m.cells for m in again.mappings] == [m.cells for m in first.mappings]


@pytest.mark.parametrize("row, line, words", [
    ("aqf:5\tskos:sameish\tnzqcf:5\tsemapv:ManualMappingCuration\t0.9\tmcagent:x\thttps://e.org\tc\n", 9, "unknown mapping predicate 'skos:sameish'"),
    ("aqf:5\tskos:exactMatch\tnzqcf:5\tsemapv:ManualMappingCuration\t1.5\tmcagent:x\thttps://e.org\tc\n", 9, "confidence 1.5 is outside [0, 1]"),
    ("aqf:5\tskos:exactMatch\tnzqcf:5\tsemapv:ManualMappingCuration\t-0.1\tmcagent:x\thttps://e.org\tc\n", 9, "outside [0, 1]"),
    ("aqf:5\tskos:exactMatch\tnzqcf:5\tsemapv:Guessing\t0.5\tmcagent:x\thttps://e.org\tc\n", 9, "not a semapv mapping justification"),
    ("aqf:5\tskos:exactMatch\tfoo:5\tsemapv:ManualMappingCuration\t0.5\tmcagent:x\thttps://e.org\tc\n", 9, "prefix that is not in the curie_map"),
    ("aqf:5\tskos:exactMatch\tnzqcf:5\n", 9, "3 cells but the header has 8 columns"),
])
def test_bad_rows_name_the_line(tmp_path, row, line, words):
    path = _write(tmp_path, GOOD + row)
    with pytest.raises(InputError) as e:
        read_sssom(path)
    assert str(e.value).startswith(f"{path}:{line}") and words in str(e.value)


def test_missing_column_is_reported_on_the_header_line(tmp_path):
    header = HEADER.replace("\tmapping_justification", "")
    path = _write(tmp_path, "aqf:5\tskos:exactMatch\tnzqcf:5\t0.9\tmcagent:x\thttps://e.org\tc\n", header=header)
    with pytest.raises(InputError, match=r":7: missing column\(s\) mapping_justification"):
        read_sssom(path)


def test_rdf_form_is_queryable_and_skips_no_match_triples():
    store = LocalStore()
    n = load_mappings(store)
    assert n >= 51
    rows = list(store.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?o WHERE { "
        "<https://w3id.org/mcmap/id/level/aqf/5> skos:exactMatch ?o }",
        default_graphs=[ns.GRAPH_MAPPINGS]))
    assert [r[0].value for r in rows] == [ns.level_iri("NZQCF", 5)]
    assert not store.query(f"ASK {{ ?s ?p <{NO_TERM_FOUND}> FILTER(?p != <http://www.w3.org/2002/07/owl#annotatedTarget>) }}")
    before = store.count(ns.GRAPH_MAPPINGS)
    load_mappings(store)  # loading again replaces, it does not duplicate
    assert store.count(ns.GRAPH_MAPPINGS) == before


def test_shipped_mappings_conform_to_the_mapping_shape():
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    for path in _level_files():
        data.parse(data="\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in to_triples(read_sssom(path))),
                   format="nt")
    shapes = rdflib.Graph().parse(REPO / "shapes" / "mapping.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text


def test_mapping_shape_catches_a_bad_row(tmp_path):
    """The shape itself can fail: a row with no source and an out-of-range confidence."""
    import pyshacl
    import rdflib

    mset = read_sssom(_write(tmp_path, GOOD))
    mset.mappings[0].cells["see_also"] = []
    mset.mappings[0].cells["confidence"] = 0.5
    nt = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in to_triples(mset))
    nt = nt.replace('"0.5"^^<http://www.w3.org/2001/XMLSchema#double>', '"1.5"^^<http://www.w3.org/2001/XMLSchema#double>')
    data = rdflib.Graph().parse(data=nt, format="nt")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(REPO / "shapes" / "mapping.ttl"))
    assert not conforms
    paths = {str(o) for o in report.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#resultPath"))}
    assert paths == {"http://www.w3.org/2000/01/rdf-schema#seeAlso", "https://w3id.org/sssom/confidence"}


def test_cli_bad_mapping_row_exits_2_with_the_line(run, tmp_path):
    path = _write(tmp_path, GOOD + GOOD.replace("0.95", "1.7"))
    csv = REPO / "tests" / "data" / "mapping-cases.csv"
    r = run("map", csv, "--to", "nz", "--mappings", path)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"mcmap: error: {path}:9, column 'confidence': confidence 1.7 is outside [0, 1]"


def test_cli_extra_mappings_are_used_in_the_chain(run, tmp_path):
    """A user's own (e.g. newly published) SQF -> AQF correspondence beats the unverified chain."""
    header = HEADER.replace("#  nzqcf: https://w3id.org/mcmap/id/level/nzqcf/",
                            "#  sqf: https://w3id.org/mcmap/id/level/sqf/")
    path = _write(tmp_path, "sqf:5\tskos:exactMatch\taqf:5\tsemapv:ManualMappingCuration\t0.9\tmcagent:x\t"
                  "https://example.org/referencing\tnew\n", header=header)
    csv = REPO / "tests" / "data" / "mapping-cases.csv"
    r = run("map", csv, "--to", "au", "--mappings", path, "--format", "csv", "--as-of", "2025-01-01")
    row = next(line for line in r.stdout.splitlines() if line.startswith("WS-10,"))
    assert ",AQF 5,SQF V -> AQF 5,exactMatch,0.9," in row


def test_mcmap_engine_agrees_on_the_mapping_shape():
    """The same shape run by mcmap's own engine over the mappings graph of a store."""
    from mcmap.validate import validate

    store = LocalStore()
    load_mappings(store)
    report = validate(store, shapes_path=REPO / "shapes" / "mapping.ttl", data_graphs=[ns.GRAPH_MAPPINGS])
    assert report.conforms and report.results == []
    store.update(f"DELETE WHERE {{ GRAPH <{ns.GRAPH_MAPPINGS}> {{ ?m <https://w3id.org/sssom/confidence> ?c }} }}")
    report = validate(store, shapes_path=REPO / "shapes" / "mapping.ttl", data_graphs=[ns.GRAPH_MAPPINGS])
    assert {r.details["rule_id"] for r in report.results} == {"MAP-CONFIDENCE"}
    assert len(report.results) == 51
