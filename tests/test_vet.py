"""Australian VET skill sets and units: template columns, reference data, rules, same-code offerings."""
import csv
import datetime as dt
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from mcmap import namespaces as ns
from mcmap.formats.tabular import COLUMNS
from mcmap.load import load_files, store_with_files
from mcmap.mapping.offerings import offerings
from mcmap.resources import data_dir
from mcmap.shacl import run as run_shapes
from mcmap.shacl.terms import to_rdflib
from mcmap.store import LocalStore
from mcmap.validate import apply_dates, framework_files, load_shapes

EXAMPLES = data_dir("examples")
VET = EXAMPLES / "vet-offerings.csv"
MC = ns.MC


def _objects(store, subject, prop, graph=ns.GRAPH_DATA):
    return sorted(q.object.value for q in store.quads(graph)
                  if q.subject.value == subject and q.predicate.value == MC + prop)


def test_new_columns_are_in_the_template_and_old_files_still_load():
    header = (EXAMPLES / "submission-template.csv").read_text(encoding="utf-8").strip().split(",")
    assert header == list(COLUMNS)
    assert {"kind", "national_code", "units", "rto_code"} <= set(header)
    old = store_with_files([EXAMPLES / "au-submission.csv"])
    assert not _objects(old, ns.DATA + "credential/AU-001", "kind")
    assert _objects(old, ns.DATA + "credential/AU-001", "volumeOfLearningHours") == ["60"]


def test_kind_codes_units_and_rto_code_are_kept():
    store = store_with_files([VET])
    vet5 = ns.DATA + "credential/VET-005"
    assert _objects(store, vet5, "kind") == [MC + "VetSkillSet"]
    assert _objects(store, vet5, "nationalCode") == ["HLTSS00067"]
    assert _objects(store, vet5, "unitCode") == ["HLTINF001"]
    assert _objects(store, ns.DATA + "credential/VET-006", "kind") == [MC + "VetUnitOfCompetency"]
    assert _objects(store, ns.DATA + "provider/southern-cross-skills", "rtoCode") == ["90001"]
    # A kind outside the typology is kept as written, for AU-KIND to report.
    assert _objects(store, ns.DATA + "credential/VET-008", "kind") == ["badge"]


def test_an_rto_code_without_a_provider_is_refused_with_row_and_column(tmp_path, run):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,rto_code\nX-1,Something,1234\n", encoding="utf-8")
    result = run("validate", bad, "--framework", "au")
    assert result.exit_code == 2
    assert "row 2" in result.stderr and "rto_code" in result.stderr and "provider is blank" in result.stderr


def test_reference_data_lives_in_its_own_graph_with_sources():
    store = store_with_files([VET])
    ref = [q for q in store.quads(ns.GRAPH_REFERENCE)]
    codes = {q.object.value for q in ref if q.predicate.value == MC + "nationalCode"}
    assert {"HLTSS00064", "HLTSS00065", "HLTSS00066", "HLTSS00067", "BSBSS00095", "HLTINFCOV001"} <= codes
    sources = {q.object.value for q in ref if q.subject.value == ns.ID + "vet/HLTSS00066"
               and q.predicate.value == ns.DCT + "source"}
    assert sources == {"https://training.gov.au/Training/Details/HLTSS00066"}
    # User data and reference data never mix.
    assert not any(q.subject.value.startswith(ns.ID + "vet/") for q in store.quads(ns.GRAPH_DATA))
    assert not any(q.subject.value.startswith(ns.DATA) for q in ref)


def test_a_submission_cannot_write_into_the_reference_graph(tmp_path):
    sneaky = tmp_path / "sneaky.trig"
    sneaky.write_text(f"<{ns.GRAPH_REFERENCE}> {{ <{ns.ID}vet/HLTAID011> a <{MC}SkillSet> ; "
                      f"<{MC}nationalCode> \"HLTAID011\" . }}\n", encoding="utf-8")
    store = LocalStore()
    try:
        load_files(store, [sneaky])
    except Exception:
        pass  # refusing the file is as good as containing it
    ref_codes = {q.object.value for q in store.quads(ns.GRAPH_REFERENCE) if q.predicate.value == MC + "nationalCode"}
    assert "HLTAID011" not in ref_codes


EXPECTED = {  # (credential, rule) pairs from the VET rules, as examples/README.md lists them
    ("VET-004", "AU-MS-5"), ("VET-005", "AU-VET-LVL"), ("VET-005", "AU-VET-REF"),
    ("VET-006", "AU-VET-REGISTER"), ("VET-007", "AU-VET-RTO"), ("VET-007", "AU-VET-CODE"),
    ("VET-007", "AU-VET-REGISTER"), ("VET-007", "AU-VET-RTO-CODE"), ("VET-008", "AU-KIND"),
}


def test_validate_reports_the_deliberate_vet_mistakes(run):
    result = run("validate", VET, "--framework", "au", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    results = [{**f, "identifier": c["identifier"]} for c in doc["credentials"] for f in c["findings"]]
    found = {(r["identifier"], r["rule_id"]) for r in results
             if r["rule_id"].startswith(("AU-VET", "AU-KIND")) or r["rule_id"] == "AU-MS-5"}
    assert {f for f in found if f[1] != "AU-VET-HOURS"} == EXPECTED
    by = {(r["identifier"], r["rule_id"]): r for r in results}
    assert "not checked against the national register" in by[("VET-006", "AU-VET-REGISTER")]["message"]
    assert by[("VET-008", "AU-KIND")]["severity"] == "Violation"
    assert by[("VET-005", "AU-VET-LVL")]["severity"] == "Warning"
    # Every offering that states hours is told those hours are the provider's own.
    hours = {r["identifier"] for r in results if r["rule_id"] == "AU-VET-HOURS"}
    assert hours == {f"VET-00{i}" for i in range(1, 8)}


def test_the_vet_rules_are_part_of_the_au_rule_set():
    assert "au-vet.ttl" in [p.name for p in framework_files("au")]


def _graph_of(store) -> rdflib.Graph:
    g = rdflib.Graph()
    for graph in (ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY, ns.GRAPH_REFERENCE):
        triples = [q.triple for q in store.quads(graph)]
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def test_engine_and_pyshacl_agree_on_the_vet_rules():
    pyshacl = pytest.importorskip("pyshacl")
    store = store_with_files([VET])
    shapes = rdflib.Graph().parse(data_dir("shapes") / "au-vet.ttl")
    apply_dates(shapes, dt.date.today())
    graphs = [ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY, ns.GRAPH_REFERENCE]
    ours = {tuple(map(to_rdflib, r.key())) for r in run_shapes(store, shapes, data_graphs=graphs).results}
    _, report, _ = pyshacl.validate(_graph_of(store), shacl_graph=shapes, advanced=True)
    theirs = {(report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.value),
               report.value(r, SH.sourceShape), report.value(r, SH.sourceConstraintComponent),
               report.value(r, SH.resultSeverity)) for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}
    assert ours == theirs
    assert len(ours) >= 15


def test_offerings_of_one_code_are_grouped_across_providers():
    groups = {g.code: g for g in offerings(store_with_files([VET]))}
    food = groups["HLTSS00066"]
    assert food.checked and food.register_title == "Infection control Skill Set (Food Handling)"
    assert sorted((o.identifier, o.provider, str(o.hours), str(o.cost)) for o in food.offerings) == [
        ("VET-001", "Harbour City Training", "8", "95"), ("VET-002", "Southern Cross Skills", "25", "0")]
    assert "hours 8 to 25" in food.explain() and "price 0 to 95 AUD" in food.explain()
    assert not groups["HLTAID011"].checked
    assert "not checked against the national register" in groups["HLTAID011"].explain()


def test_match_by_code_and_the_named_query_agree(run):
    text = run("match", VET, "--from", "au", "--to", "au", "--by-code").stdout
    assert "HLTSS00066 Infection control Skill Set (Food Handling) (in mcmap's reference data): 2 offerings" in text
    assert "VET-002 'Infection Control Skill Set (Food Handling)': Southern Cross Skills (RTO 90001); 25 h; 0 AUD" in text
    table = run("match", VET, "--from", "au", "--to", "au", "--by-code", "--format", "csv").stdout
    rows = list(csv.DictReader(table.splitlines()))
    queried = run("query", "--named", "same-credential-offerings", VET, "--format", "csv").stdout
    qrows = list(csv.DictReader(queried.splitlines()))
    assert sorted((r["national_code"], r["hours"]) for r in rows) == \
        sorted((r["code"], r["hours"]) for r in qrows)
    assert {r["national_code"] for r in rows if r["in_reference_data"] == "no"} == {"HLTAID011", "HLT-SS-66"}
    nz = run("match", EXAMPLES / "nz-submission.csv", "--from", "nz", "--to", "nz", "--by-code")
    assert nz.exit_code == 2 and "national code" in nz.stderr


def test_map_says_the_hours_of_a_skill_set_are_the_providers_own(run):
    doc = json.loads(run("map", VET, "--to", "nz", "--format", "json").stdout)
    notes = {c["id"]: n for c in doc for t in c["targets"] for n in t["notes"]}
    assert notes["VET-002"] == "the 25 h are the provider's own: training.gov.au gives no hours for HLTSS00066"
    assert "VET-008" not in notes  # no national code: nothing to say


def test_compare_says_vet_hours_are_the_rtos_own(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    text = run("compare", "au", "nz").stdout
    assert "the hours of an offering are its RTO's own" in " ".join(text.split())


def _vet_facts(store):
    """(credential or provider IRI, property, value) for the VET facts in a store's data graph."""
    props = {MC + p for p in ("nationalCode", "unitCode", "rtoCode")}
    return sorted((q.subject.value, q.predicate.value, q.object.value) for q in store.quads(ns.GRAPH_DATA)
                  if q.predicate.value in props)


@pytest.mark.parametrize("fmt", ["ctdl", "elm"])
def test_codes_survive_ctdl_and_elm_export(run, tmp_path, fmt):
    out = tmp_path / f"vet.{fmt}.json"
    assert run("export", VET, "--format", fmt, "--output", out).exit_code == 0
    before = _vet_facts(store_with_files([VET]))
    after = _vet_facts(store_with_files([out]))
    assert after == before
    assert ("https://w3id.org/mcmap/data/credential/VET-005", MC + "unitCode", "HLTINF001") in after
    # Units written as parts of a skill set do not come back as credentials of their own.
    creds = {q.subject.value for q in store_with_files([out]).quads(ns.GRAPH_DATA)
             if q.predicate.value == ns.RDF + "type" and q.object.value == MC + "MicroCredential"}
    assert len(creds) == 8


def test_codes_survive_the_xlsx_template(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(EXAMPLES / "submission-template.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert {"kind", "national_code", "units", "rto_code"} <= set(header)
    with open(VET, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sheet.append([row.get(h, "") or None for h in header])
    filled = tmp_path / "vet.xlsx"
    book.save(filled)
    assert _vet_facts(store_with_files([filled])) == _vet_facts(store_with_files([VET]))


def test_elm_export_of_skill_sets_passes_the_official_profiles(run, tmp_path, shared):
    from edc_shapes import pyshacl_violations, write_shapes

    out = tmp_path / "vet.jsonld"
    assert run("export", VET, "--format", "elm", "--output", out).exit_code == 0
    for profile in ("edc-generic", "loq"):
        shapes = write_shapes(shared, profile, tmp_path, for_pyshacl=True)
        assert pyshacl_violations(out, shapes) == [], profile
