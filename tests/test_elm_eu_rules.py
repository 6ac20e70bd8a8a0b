"""shapes/eu.ttl, the EU rule set (Council Recommendation 2022/C 243/02 Annex I, ECTS, EQF),
checked with pySHACL as the oracle on mcmap's own reading of ELM and CSV data."""
import warnings

import pyoxigraph as ox
import pytest
import rdflib

from exchange_helpers import CSV
from mcmap.formats import read_files
from mcmap.resources import data_dir

pyshacl = pytest.importorskip("pyshacl")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
MC = rdflib.Namespace("https://w3id.org/mcmap/ns#")


def findings(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quads = read_files([path])
    data = rdflib.Graph().parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode(),
                                format="nt")
    shapes = rdflib.Graph().parse(data_dir("shapes") / "eu.ttl")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    out = set()
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        rule = shapes.value(shape, MC.ruleId)
        out.add((str(report.value(r, SH.focusNode)), str(rule), str(report.value(r, SH.resultSeverity)).split("#")[1]))
    return out


def test_every_shape_carries_the_metadata_conventions():
    shapes = rdflib.Graph().parse(data_dir("shapes") / "eu.ttl")
    rules = {s for s in shapes.subjects(MC.ruleId, None) if (s, rdflib.RDF.type, MC.UncheckedRule) not in shapes}
    assert {str(shapes.value(s, MC.ruleId)) for s in rules} >= {f"EU-M-{i}" for i in range(1, 12)} | {"EU-ECTS", "EU-EQF"}
    for s in rules:
        for prop in (MC.citation, rdflib.URIRef("http://purl.org/dc/terms/source"), SH.severity,
                     MC.evidenceStatus, MC.inForceFrom):
            assert shapes.value(s, prop) is not None, (s, prop)
        assert shapes.value(s, SH.message) is not None or shapes.value(shapes.value(s, SH.sparql), SH.message) is not None


def test_commission_sample_satisfies_annex_i_but_for_qa_and_the_p60m_volume(shared):
    found = findings(shared / "realdata-examples/elm-v3/Sample-MC-Annex1-unsigned.jsonld")
    spec = "urn:epass:qualification:1"
    assert (spec, "EU-VOL", "Warning") in found
    assert (spec, "EU-M-11", "Violation") in found  # the sample states no quality assurance
    assert not {f for f in found if f[1] in {f"EU-M-{i}" for i in range(1, 11)}}
    assert not {f for f in found if f[1] in ("EU-ECTS", "EU-EQF")}  # 60 h for 2 ECTS, EQF 6


def test_ects_hours_and_eqf_level_bounds(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,jurisdiction,level_framework,level,credits,credit_system,hours,learning_outcomes,"
                   "assessment,delivery_mode,qa_statement,provider\n"
                   "E-1,Too light,EU,EQF,9,5,ECTS,100,Do things,Exam,online,Internal QA,Uni\n"
                   "E-2,Just right,EU,EQF,4,2,ECTS,55,Do things,Exam,online,Internal QA,Uni\n")
    found = findings(bad)
    e1, e2 = "https://w3id.org/mcmap/data/credential/E-1", "https://w3id.org/mcmap/data/credential/E-2"
    assert (e1, "EU-ECTS", "Violation") in found and (e1, "EU-EQF", "Violation") in found
    assert not {f for f in found if f[0] == e2 and f[2] == "Violation"}


def test_missing_mandatory_elements_are_violations(tmp_path):
    bare = tmp_path / "bare.csv"
    bare.write_text("id,title\nB-1,Bare\n")
    rules = {f[1] for f in findings(bare) if f[2] == "Violation"}
    assert rules == {"EU-M-3", "EU-M-4", "EU-M-6", "EU-M-7", "EU-M-9", "EU-M-10", "EU-M-11"}


def _validate_json(path):
    import json
    import subprocess
    import sys
    from pathlib import Path
    proc = subprocess.run([sys.executable, "-m", "mcmap", "validate", str(path), "--framework", "eu", "--format", "json"],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    return proc.returncode, {(c["focus_node"], f["rule_id"], f["severity"]) for c in doc["credentials"] for f in c["findings"]}


def _pyshacl_with_core(path):
    from mcmap.resources import ontology_files
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quads = read_files([path])
    data = rdflib.Graph().parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode(),
                                format="nt")
    for f in ontology_files():
        data.parse(f)
    shapes = rdflib.Graph()
    for name in ("core.ttl", "eu.ttl"):
        shapes.parse(data_dir("shapes") / name)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    return {(str(report.value(r, SH.focusNode)), str(shapes.value(report.value(r, SH.sourceShape), MC.ruleId)),
             str(report.value(r, SH.resultSeverity)).split("#")[1])
            for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}


def test_mcmap_validate_framework_eu_reads_elm_and_agrees_with_pyshacl(shared):
    sample = shared / "realdata-examples/elm-v3/Sample-MC-Annex1-unsigned.jsonld"
    code, found = _validate_json(sample)
    assert code == 1
    assert ("urn:epass:qualification:1", "EU-VOL", "Warning") in found
    assert found == _pyshacl_with_core(sample)


def test_mcmap_validate_framework_eu_on_a_submission_agrees_with_pyshacl():
    code, found = _validate_json(CSV)
    assert found == _pyshacl_with_core(CSV)
