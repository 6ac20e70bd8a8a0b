"""The framework data shipped in ontology/, the registry read from it, and `mcmap frameworks`."""
import datetime as dt
import doctest
import gc
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import DCTERMS, RDF, SKOS

from mcmap import frameworks as fw
from mcmap import namespaces as ns
from mcmap import ontology
from mcmap.cli import cli
from mcmap.errors import McmapError, UsageError
from mcmap.resources import data_dir, ontology_files
from mcmap.store import LocalStore

MC = rdflib.Namespace(ns.MC)
FRAMEWORK_FILES = sorted((data_dir("ontology") / "frameworks").glob("*.ttl"))
SHAPES = data_dir("ontology") / "shapes" / "frameworks.ttl"


def shipped_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


# ---------------------------------------------------------------- the Turtle itself

def test_every_shipped_ontology_file_parses_with_both_parsers():
    names = {p.name for p in FRAMEWORK_FILES}
    assert {"aqf.ttl", "nzqcf.ttl", "sqf.ttl", "pqf.ttl", "eqf.ttl",
            "jurisdictions.ttl", "credit-systems.ttl"} <= names
    assert len(ontology.ontology_triples()) == len(shipped_graph())


@pytest.mark.parametrize("name,count", [("aqf", 10), ("nzqcf", 10), ("sqf", 10), ("pqf", 10), ("eqf", 8)])
def test_each_level_scheme_has_its_number_of_levels(name, count):
    g = shipped_graph()
    scheme = rdflib.URIRef(ns.framework_iri(name))
    levels = set(g.subjects(SKOS.inScheme, scheme))
    assert len(levels) == count
    assert {int(g.value(lv, MC.levelNumber)) for lv in levels} == set(range(1, count + 1))
    assert all((lv, SKOS.topConceptOf, scheme) in g for lv in levels)
    assert int(g.value(scheme, MC.levelCount)) == count
    assert {str(lv) for lv in levels} == {ns.level_iri(name, n) for n in range(1, count + 1)}


def test_sqf_notations_are_roman_and_iris_are_numbers():
    g = shipped_graph()
    assert str(g.value(rdflib.URIRef(ns.level_iri("sqf", 7)), SKOS.notation)) == "VII"
    assert str(g.value(rdflib.URIRef(ns.level_iri("sqf", 10)), SKOS.notation)) == "X"


@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.name)
def test_every_resource_in_framework_files_has_source_and_evidence_status(path):
    g = rdflib.Graph().parse(path, format="turtle")
    subjects = {s for s in g.subjects() if isinstance(s, rdflib.URIRef)}
    assert subjects
    for s in subjects:
        assert list(g.objects(s, DCTERMS.source)), f"{path.name}: {s} cites no source"
        statuses = list(g.objects(s, MC.evidenceStatus))
        assert len(statuses) == 1 and statuses[0] in (MC.Confirmed, MC.Secondary, MC.Unverified), s
    for e in g.subjects(RDF.type, MC.Evidence):
        assert g.value(e, MC.property) is not None and g.value(e, MC.evidenceStatus) is not None


def test_shipped_framework_data_conforms_to_its_shapes():
    pyshacl = pytest.importorskip("pyshacl")
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(shipped_graph(), shacl_graph=shapes, advanced=True)
    assert conforms, text


@pytest.mark.parametrize("breakage,expected", [
    # a level that cites nothing
    (lambda g: g.remove((rdflib.URIRef(ns.level_iri("aqf", 3)), DCTERMS.source, None)), "cites no source"),
    # a framework whose stated count disagrees with its levels
    (lambda g: g.set((rdflib.URIRef(ns.framework_iri("eqf")), MC.levelCount, rdflib.Literal(9))),
     "different number of levels"),
    # hours per credit given both as a figure and as a range
    (lambda g: g.add((rdflib.URIRef(ns.credit_system_iri("ects")), MC.hoursPerCredit,
                      rdflib.Literal("27", datatype=rdflib.XSD.decimal))), "Xone"),
    # a regime that ends before it starts
    (lambda g: g.set((rdflib.URIRef(ns.ID + "definition/nz-2018"), MC.inForceUntil,
                      rdflib.Literal("2017-01-01", datatype=rdflib.XSD.date))), "LessThan"),
])
def test_shapes_catch_broken_framework_data(breakage, expected):
    pyshacl = pytest.importorskip("pyshacl")
    g = shipped_graph()
    breakage(g)
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, advanced=True)
    assert not conforms
    assert expected in text


# ---------------------------------------------------------------- what FRAMEWORKS.md leaves open stays marked

def test_sqf_credit_is_unverified():
    ws = fw.jurisdiction("WS")
    assert ws.status_of("mc:usesCreditSystem") == "unverified"
    assert fw.framework("sqf").credit_system_status == "unverified"
    assert fw.framework("pqf").credit_system_status == "confirmed"


def test_pqf_level_count_is_unverified_and_every_pqf_level_too():
    pqf = fw.framework("pqf")
    assert pqf.status == "confirmed"
    assert pqf.status_of("mc:levelCount") == "unverified"
    assert {lv.status for lv in pqf.levels} == {"unverified"}
    assert fw.framework("eqf").status_of("mc:levelCount") == "confirmed"


def test_aqf_to_eqf_is_unverified_except_the_three_secondary_points():
    g = shipped_graph()
    aqf = fw.framework("aqf")
    for lv in aqf.levels:
        matches = {str(o) for o in g.objects(rdflib.URIRef(lv.iri), SKOS.closeMatch)}
        if lv.number in (7, 9, 10):
            assert lv.status_of("skos:closeMatch") == "secondary"
            assert matches == {ns.level_iri("eqf", {7: 6, 9: 7, 10: 8}[lv.number])}
        else:
            assert lv.status_of("skos:closeMatch") == "unverified"
            assert matches == set()  # unknown stays absent


def test_au_inferred_ceiling_and_candidate_elements_are_unverified():
    au = fw.definitions("au")[0]
    assert au.min_hours == 1 and au.status_of("mc:minHours") == "confirmed"
    assert au.max_hours == 600 and au.status_of("mc:maxHours") == "unverified"
    assert au.status_of("mc:requiredElement", "mc:learningOutcome") == "confirmed"
    assert au.status_of("mc:requiredElement", "dct:title") == "unverified"
    assert au.status_of("mc:recommendedElement", "mc:level") == "unverified"


def test_samoa_definition_is_unverified_and_sqf_doctorate_too():
    assert [d.status for d in fw.definitions("ws")] == ["unverified"]
    sqf = fw.framework("ws")
    assert sqf.level("X").status_of("mc:indicativeQualification") == "unverified"
    assert sqf.level("VIII").status_of("mc:indicativeQualification") == "secondary"
    assert sqf.level("VII").status_of("mc:indicativeQualification") == "confirmed"


# ---------------------------------------------------------------- the registry

def test_framework_lookup_by_name_notation_and_jurisdiction():
    assert fw.framework("AU").name == "aqf"
    assert fw.framework("nz").name == "nzqcf"
    assert fw.framework("WS").name == "sqf"
    assert fw.framework("eu").name == "eqf"
    assert fw.framework("Pacific").name == "pqf"
    assert fw.framework("NZQCF").jurisdictions == ("NZ",)
    assert fw.framework("sqf").level("vii").number == 7
    assert fw.framework("sqf").level(7).notation == "VII"
    with pytest.raises(UsageError, match="unknown framework 'mqf'"):
        fw.framework("mqf")
    with pytest.raises(UsageError, match="no level '11'"):
        fw.framework("aqf").level(11)
    assert fw.level(ns.level_iri("pqf", 4)).framework == "pqf"
    with pytest.raises(UsageError, match="not a level"):
        fw.level(ns.level_iri("eqf", 9))


def test_nz_definitions_switch_regime_in_january_2023():
    assert [d.rule_set for d in fw.definitions("NZ")] == ["nz-2018", "nz"]
    assert [d.rule_set for d in fw.definitions("nz", as_of="2020-06-01")] == ["nz-2018"]
    assert [d.rule_set for d in fw.definitions("nz", as_of=dt.date(2023, 1, 15))] == ["nz-2018"]
    assert [d.rule_set for d in fw.definitions("nzqcf", as_of="2023-01-16")] == ["nz"]
    assert fw.definitions("nz", as_of="2018-01-01") == []
    old, new = fw.definitions("nz")
    assert (old.min_credits, old.max_credits, new.min_credits, new.max_credits) == (5, 40, 1, 40)
    assert new.approved_by == ("NZQA", "UNIVERSITIESNZ")
    with pytest.raises(UsageError, match="not a date"):
        fw.definitions("nz", as_of="last year")


def test_credit_systems_give_hours_per_credit_or_a_range():
    systems = {c.code: c for c in fw.credit_systems()}
    assert set(systems) == {"au-hours", "ects", "nz", "pqf"}
    assert systems["nz"].hours_range() == (10, 10) and systems["nz"].credits_per_year == 120
    assert systems["pqf"].hours_per_credit == 10 and systems["pqf"].credits_per_year == 120
    assert systems["ects"].hours_per_credit is None and systems["ects"].hours_range() == (25, 30)
    assert systems["ects"].credits_per_year == 60
    assert systems["au-hours"].hours_per_year == 1200
    assert fw.credit_system("ECTS") is systems["ects"]


def test_every_rule_set_named_by_a_definition():
    assert {d.rule_set for j in fw.jurisdictions() for d in j.definitions} - {None} == \
        {"au", "nz", "nz-2018", "ws", "eu"}


def test_module_examples_hold():
    failures, tried = doctest.testmod(fw)
    assert tried >= 4 and failures == 0


def test_a_jurisdiction_is_added_with_turtle_only(tmp_path, monkeypatch):
    extra = tmp_path / "xx.ttl"
    extra.write_text("""
@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/mcmap/id/jurisdiction/XX> a mc:Jurisdiction ; skos:notation "XX" ;
  skos:prefLabel "Example"@en ; mc:framework <https://w3id.org/mcmap/id/framework/eqf> ;
  mc:usesCreditSystem <https://w3id.org/mcmap/id/credit-system/ects> ;
  mc:definition <https://w3id.org/mcmap/id/definition/xx-2024> ;
  dct:source <https://example.org/xx> ; mc:evidenceStatus mc:Secondary .
<https://w3id.org/mcmap/id/definition/xx-2024> a mc:MicroCredentialDefinition ;
  skos:prefLabel "XX 2024"@en ; mc:definitionText "Example."@en ; mc:minCredits 1.0 ;
  mc:inForceFrom "2024-01-01"^^xsd:date ; mc:ruleSet "xx" ;
  dct:source <https://example.org/xx> ; mc:evidenceStatus mc:Secondary .
""", encoding="utf-8")
    shipped = ontology_files()
    monkeypatch.setattr(ontology, "ontology_files", lambda: [*shipped, extra])
    for cached in (ontology.ontology_triples, ontology.ontology_hash, fw._registry):
        cached.cache_clear()
    try:
        assert fw.jurisdiction("xx").status == "secondary"
        assert fw.framework("xx").name == "eqf"
        assert fw.framework("eqf").jurisdictions == ("EU", "XX")
        assert [d.rule_set for d in fw.definitions("XX", as_of="2024-06-01")] == ["xx"]
    finally:
        monkeypatch.undo()
        for cached in (ontology.ontology_triples, ontology.ontology_hash, fw._registry):
            cached.cache_clear()


def test_a_broken_framework_file_is_reported_with_its_name(tmp_path, monkeypatch):
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    monkeypatch.setattr(ontology, "ontology_files", lambda: [bad])
    ontology.ontology_triples.cache_clear()
    try:
        with pytest.raises(Exception) as err:
            ontology.ontology_triples()
        assert "broken.ttl" in str(err.value) and "not valid Turtle" in str(err.value)
    finally:
        monkeypatch.undo()
        ontology.ontology_triples.cache_clear()



def test_a_dangling_reference_in_framework_data_is_a_clear_error(tmp_path, monkeypatch):
    extra = tmp_path / "yy.ttl"
    extra.write_text("""
@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/mcmap/id/jurisdiction/YY> a mc:Jurisdiction ; skos:notation "YY" ;
  mc:usesCreditSystem <https://w3id.org/mcmap/id/credit-system/nowhere> .
""", encoding="utf-8")
    shipped = ontology_files()
    monkeypatch.setattr(ontology, "ontology_files", lambda: [*shipped, extra])
    for cached in (ontology.ontology_triples, fw._registry):
        cached.cache_clear()
    try:
        with pytest.raises(McmapError, match="credit-system/nowhere, which is not defined"):
            fw.frameworks()
    finally:
        monkeypatch.undo()
        for cached in (ontology.ontology_triples, fw._registry):
            cached.cache_clear()

# ---------------------------------------------------------------- keeping a store's ontology current

def _hash_in(store):
    return ontology.stored_hash(store)


def test_ensure_ontology_loads_once_and_is_idempotent():
    store = LocalStore()
    assert ontology.ensure_ontology(store) is True
    loaded = store.count(ns.GRAPH_ONTOLOGY)
    assert loaded == len(ontology.ontology_triples()) + 1  # the shipped triples plus the hash
    assert _hash_in(store) == ontology.ontology_hash()
    assert ontology.ensure_ontology(store) is False
    assert store.count(ns.GRAPH_ONTOLOGY) == loaded
    levels = list(store.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT (COUNT(?l) AS ?n) WHERE { ?l skos:inScheme <https://w3id.org/mcmap/id/framework/sqf> }",
        default_graphs=[ns.GRAPH_ONTOLOGY]))
    assert int(levels[0][0].value) == 10


def test_ensure_ontology_replaces_a_stale_graph_and_leaves_other_graphs(tmp_path):
    path = tmp_path / "store"
    store = LocalStore(path)
    g = ox.NamedNode(ns.GRAPH_ONTOLOGY)
    stale = [ox.Quad(ox.NamedNode(ns.ID + "framework/old"), ox.NamedNode(ns.RDFS + "label"), ox.Literal("old"), g),
             ox.Quad(g, ontology.CONTENT_HASH, ox.Literal("0" * 64), g)]
    data = ox.Quad(ox.NamedNode(ns.DATA + "credential/X"), ox.NamedNode(ns.DCT + "title"),
                   ox.Literal("kept"), ox.NamedNode(ns.GRAPH_DATA))
    store.add([*stale, data])
    store.close()
    del store  # the Oxigraph folder lock is released when the store object goes
    gc.collect()

    store = LocalStore(path)
    assert ontology.ensure_ontology(store) is True
    assert _hash_in(store) == ontology.ontology_hash()
    assert store.count(ns.GRAPH_ONTOLOGY) == len(ontology.ontology_triples()) + 1
    assert not store.query(f"ASK {{ GRAPH <{ns.GRAPH_ONTOLOGY}> {{ <{ns.ID}framework/old> ?p ?o }} }}")
    assert store.count(ns.GRAPH_DATA) == 1
    assert ontology.ensure_ontology(store) is False


def test_ensure_ontology_fills_a_graph_that_has_no_hash():
    store = LocalStore()
    store.add([ox.Quad(ox.NamedNode(ns.ID + "x"), ox.NamedNode(ns.RDFS + "label"), ox.Literal("x"),
                       ox.NamedNode(ns.GRAPH_ONTOLOGY))])
    assert ontology.ensure_ontology(store) is True
    assert store.count(ns.GRAPH_ONTOLOGY) == len(ontology.ontology_triples()) + 1


# ---------------------------------------------------------------- the command

def run(*args):
    return CliRunner().invoke(cli, ["frameworks", *args])


def test_cli_lists_every_framework_and_jurisdiction():
    result = run()
    assert result.exit_code == 0, result.output
    for word in ("AQF", "NZQCF", "SQF", "PQF", "EQF", "AU", "NZ", "WS", "PACIFIC", "EU",
                 "2018-08-22", "2022-03-22", "25–30 h"):
        assert word in result.output
    assert "10?" in result.output  # the PQF level count is shown as unverified


def test_cli_levels_show_qualification_types():
    result = run("ws", "--levels")
    assert result.exit_code == 0, result.output
    assert "SQF levels" in result.output and "VII" in result.output
    assert "Graduate Certificate" in result.output and "Doctorate?" in result.output
    assert "NZQCF" not in result.output


def test_cli_json_parses_and_carries_evidence():
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    by_name = {f["name"]: f for f in doc}
    assert set(by_name) == {"aqf", "nzqcf", "sqf", "pqf", "eqf"}
    assert len(by_name["eqf"]["levels"]) == 8
    assert by_name["sqf"]["credit_system_status"] == "unverified"
    assert by_name["nzqcf"]["definitions"][0]["in_force_from"] == "2018-08-22"
    assert by_name["eqf"]["credit_system"]["hours_per_credit_min"] == 25
    assert all(f["sources"] for f in doc)


def test_cli_writes_json_to_a_file(tmp_path):
    target = tmp_path / "fw.json"
    result = run("aqf", "--format", "json", "-o", str(target))
    assert result.exit_code == 0
    assert [f["name"] for f in json.loads(target.read_text(encoding="utf-8"))] == ["aqf"]


def test_cli_unknown_framework_is_one_line_and_exit_2():
    proc = subprocess.run([sys.executable, "-m", "mcmap", "frameworks", "mqf"],
                          capture_output=True, text=True, cwd=data_dir("ontology").parent)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "mcmap: error: unknown framework 'mqf' (known: aqf, eqf, nzqcf, pqf, sqf, au, eu, nz, pacific, ws)"]
    assert "Traceback" not in proc.stderr


def test_cli_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0 and "mcmap frameworks nz --levels" in result.output
