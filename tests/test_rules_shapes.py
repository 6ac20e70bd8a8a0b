"""The shipped rule sets: every shape is documented, and mcmap's engine and pySHACL agree on them."""
import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from mcmap import namespaces as ns
from mcmap.load import store_with_files
from mcmap.resources import data_dir
from mcmap.shacl import run
from mcmap.shacl.terms import to_rdflib
from mcmap.validate import (MC_CITATION, MC_EVIDENCE, MC_FROM, MC_RULE_ID, MC_UNTIL, DCT_SOURCE,
                            apply_dates, framework_files, frameworks, load_shapes)

pyshacl = pytest.importorskip("pyshacl")

SHIPPED = ["core", "au", "au-vet", "nz", "nz-2018", "ws"]
EVIDENCE = {rdflib.URIRef(ns.MC + s) for s in ("Confirmed", "Secondary", "Unverified", "McmapDataRule")}
EXAMPLES = data_dir("examples")


def shape_nodes(g):
    return {s for t in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(rdflib.RDF.type, t)}


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shape_documents_its_rule(name):
    g = rdflib.Graph().parse(data_dir("shapes") / f"{name}.ttl")
    shapes = shape_nodes(g)
    assert shapes, f"{name}.ttl has no shapes"
    for s in shapes:
        rid = g.value(s, MC_RULE_ID)
        assert rid is not None, f"{s} has no mc:ruleId"
        assert str(g.value(s, DCT_SOURCE)).startswith(("http://", "https://")), rid
        assert g.value(s, MC_CITATION), rid
        assert g.value(s, MC_EVIDENCE) in EVIDENCE, rid
        assert g.value(s, SH.severity) in (SH.Violation, SH.Warning, SH.Info), rid
        assert isinstance(g.value(s, MC_FROM).toPython(), dt.date), rid
        until = g.value(s, MC_UNTIL)
        assert until is None or until.toPython() > g.value(s, MC_FROM).toPython(), rid
        messages = list(g.objects(s, SH.message)) + [m for c in g.objects(s, SH.sparql)
                                                     for m in g.objects(c, SH.message)]
        assert messages and all(len(str(m)) > 30 for m in messages), rid
        if g.value(s, MC_EVIDENCE) == rdflib.URIRef(ns.MC + "Unverified"):
            assert g.value(s, SH.severity) == SH.Info, f"{rid}: an unverified rule can only inform"


def test_rule_ids_and_shape_iris_are_unique_across_rule_sets():
    seen_ids, seen_shapes = {}, {}
    for name in SHIPPED:
        g = rdflib.Graph().parse(data_dir("shapes") / f"{name}.ttl")
        for s in shape_nodes(g):
            rid = str(g.value(s, MC_RULE_ID))
            assert rid not in seen_ids, f"{rid} in {name} and {seen_ids[rid]}"
            assert s not in seen_shapes, f"{s} in {name} and {seen_shapes[s]}"
            seen_ids[rid], seen_shapes[s] = name, name


def test_frameworks_are_found_from_the_shape_files():
    assert {"au", "nz", "nz-2018", "ws"} <= set(frameworks())
    assert [p.name for p in framework_files("nz")] == ["core.ttl", "nz.ttl", "nz-2018.ttl"]
    assert [p.name for p in framework_files("nz-2018")] == ["core.ttl", "nz-2018.ttl"]


def _graph_of(store) -> rdflib.Graph:
    """The data and ontology graphs of a store as one rdflib graph, for pySHACL."""
    g = rdflib.Graph()
    for graph in (ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY):
        triples = [q.triple for q in store.quads(graph)]
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def _pyshacl_keys(data: rdflib.Graph, shapes: rdflib.Graph) -> set:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    keys = set()
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        keys.add((report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.value),
                  report.value(r, SH.sourceShape), report.value(r, SH.sourceConstraintComponent),
                  report.value(r, SH.resultSeverity)))
    return keys


CASES = [(j, ext, as_of) for j in ("au", "nz", "ws") for ext in ("csv", "ttl") for as_of in (None,)]
CASES += [("nz", "csv", "2020-01-01"), ("nz", "ttl", "2020-01-01")]


@pytest.mark.parametrize("jurisdiction,ext,as_of", CASES)
def test_engine_and_pyshacl_agree_on_the_examples(jurisdiction, ext, as_of):
    store = store_with_files([EXAMPLES / f"{jurisdiction}-submission.{ext}"])
    shapes, _ = load_shapes(jurisdiction)
    apply_dates(shapes, dt.date.fromisoformat(as_of) if as_of else dt.date.today())
    ours = {tuple(map(to_rdflib, r.key())) for r in run(store, shapes, data_graphs=[ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY]).results}
    theirs = _pyshacl_keys(_graph_of(store), shapes)
    assert ours == theirs
    assert len(ours) >= 8  # the examples' deliberate mistakes, not an empty agreement


@pytest.mark.parametrize("jurisdiction", ["au", "nz", "ws"])
def test_other_frameworks_judge_a_foreign_submission_the_same_way_in_both_engines(jurisdiction):
    # An AU submission judged by NZ rules and so on: the rules fire on every credential.
    other = {"au": "nz", "nz": "ws", "ws": "au"}[jurisdiction]
    store = store_with_files([EXAMPLES / f"{jurisdiction}-submission.csv"])
    shapes, _ = load_shapes(other)
    apply_dates(shapes, dt.date.today())
    ours = {tuple(map(to_rdflib, r.key())) for r in run(store, shapes, data_graphs=[ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY]).results}
    assert ours == _pyshacl_keys(_graph_of(store), shapes)
    assert len({k[0] for k in ours}) == 12


def test_core_rules_catch_numbers_that_are_not_numbers_and_unknown_levels(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""
@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/mcmap/data/credential/X1> a mc:MicroCredential ; dct:title "One", "Two" ;
  mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/AU> ;
  mc:volumeOfLearningHours "fifteen" ; mc:cost -5.0 ;
  mc:level <https://w3id.org/mcmap/id/level/aqf/11> .
""", encoding="utf-8")
    store = store_with_files([bad])
    shapes, _ = load_shapes("au")
    apply_dates(shapes, dt.date.today())
    rules = {}
    for r in run(store, shapes, data_graphs=[ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY]).results:
        rules.setdefault(str(shapes.value(r.source_shape, MC_RULE_ID)), []).append(r)
    assert {"CORE-TITLE-LANG", "CORE-NUM", "CORE-NONNEG", "CORE-LEVEL"} <= set(rules)
    assert rules["CORE-NUM"][0].value.value == "fifteen"
    assert "AQF 11" in rules["CORE-LEVEL"][0].messages[0]


def test_nz_title_words_are_whole_words_and_all_named(run, tmp_path):
    csv = tmp_path / "titles.csv"
    csv.write_text("id,title,jurisdiction\n"
                   "X1,National Diploma in New Zealand Masterclass for Post Graduate Doctors,NZ\n"
                   "X2,International Standards Masterclass,NZ\n"
                   "X3,Undergraduate Bachelor's Bridging,NZ\n", encoding="utf-8")
    import json
    doc = json.loads(run("validate", csv, "--framework", "nz", "--format", "json").stdout)
    words = {c["identifier"]: [f["message"] for f in c["findings"] if f["rule_id"] == "NZ-L-6.2a"]
             for c in doc["credentials"]}
    assert 'contains "New Zealand", "national", "diploma", "doctor", "post-graduate",' in words["X1"][0]
    assert 'contains "bachelor", "under-graduate",' in words["X3"][0]
    assert not words.get("X2")
    severities = {f["severity"] for c in doc["credentials"] for f in c["findings"] if f["rule_id"] == "NZ-L-6.2a"}
    assert severities == {"Warning"}
