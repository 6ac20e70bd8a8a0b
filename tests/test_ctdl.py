"""Credential Engine CTDL: exports carry credit value with unit, duration, owner and offerer and
learning outcomes, round-trip what CTDL holds, and Credential Engine's examples read."""
import json

import pytest

from exchange_helpers import CSV, RICH, assert_round_trip, records

LOST = {
    "jurisdiction": "CTDL jurisdictions are JurisdictionProfiles of places, not mcmap's framework jurisdictions",
    "review_period_years": "no CTDL term",
    "text.creditRecognition": "no single CTDL term", "text.nzscedCode": "CTDL codes fields by CIP, not NZSCED",
    "text.developer": "no CTDL term", "text.qaStatement": "no CTDL term", "text.location": "written only as Place nodes, not here",
}
HELD = ["identifier", "title", "status", "provider_name", "level", "credit_value", "credit_system", "hours",
        "learning_outcomes", "assessment", "delivery_mode", "cost", "currency", "text.prerequisites",
        "language", "url", "approved_on"]


@pytest.mark.parametrize("source", [CSV, RICH])
def test_round_trip_keeps_what_ctdl_can_hold(run, tmp_path, source):
    out = tmp_path / "ctdl.json"
    assert run("export", source, "--format", "ctdl", "--output", out).exit_code == 0
    # CTDL text is a language map: untagged text comes back tagged with the credential's language.
    assert_round_trip(records(source), records(out), HELD, LOST, drop_lang=True)
    # The registry requires a description: one without is published with its purpose statement.
    for iri, before in records(source).items():
        after = records(out)[iri]
        expected = before.description or before.text.get("purposeStatement", [])
        assert sorted(t.value for t in after.description) == sorted(t.value for t in expected)


def test_export_states_credit_unit_duration_owner_and_outcomes(run):
    doc = json.loads(run("export", RICH, "--format", "ctdl").stdout)
    cred = next(n for n in doc["@graph"] if n["@type"] == "ceterms:MicroCredential")
    assert doc["@context"] == "https://credreg.net/ctdl/schema/context/json"
    value = cred["ceterms:creditValue"][0]
    assert value["ceterms:value"] == 10.5
    assert value["ceterms:creditUnitTypeDescription"] == {"en": "PQF credits"}
    assert "ceterms:creditUnitType" not in value  # CTDL's creditUnit: scheme has no PQF credit
    assert cred["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "PT105H"
    assert cred["ceterms:ownedBy"] == ["https://w3id.org/mcmap/data/provider/nus"]
    assert "ceterms:offeredBy" not in cred  # the data does not say who offers it
    outcomes = cred["ceterms:requires"][0]["ceterms:targetCompetency"]
    assert {o["ceterms:targetNodeName"]["en"] for o in outcomes} == {
        "Explain the matai system", "Describe village governance"}
    assert cred["ceterms:ctid"].startswith("ce-")
    org = next(n for n in doc["@graph"] if n["@type"] == "ceterms:CredentialOrganization")
    assert org["ceterms:regulatedBy"] == [{"@id": "https://w3id.org/mcmap/id/regulator/SQA"}]


def test_regulator_travels_but_a_stated_none_cannot(run, tmp_path):
    # CTDL's ceterms:regulatedBy names a regulator; it has no way to say "unregulated".
    out = tmp_path / "ctdl.json"
    run("export", CSV, "--format", "ctdl", "--output", out)
    back = records(out)
    assert back["https://w3id.org/mcmap/data/credential/NZ-001"].provider.regulator == "NZQA"
    assert back["https://w3id.org/mcmap/data/credential/EU-1"].provider.regulator is None


def test_credential_engine_examples_read(shared):
    folder = shared / "realdata-examples/ctdl"
    read = {p.name: records(p) for p in sorted(folder.glob("*/*.json"))}
    cred = read["Credential-1.json"]
    rec = next(iter(cred.values()))
    assert rec.title[0].value == "Bachelor of Science in Cybersecurity"
    assert rec.provider.iri.endswith("Organization-1.json")
    assert read["Credential-1-graph.json"].keys() == cred.keys()
    registry = next(iter(read["ce_registry_credential_1_valid.json"].values()))
    assert registry.title[0].value == "A.S. in Diesel Technology"
    assert read["Course-1a.json"] == {}  # a course is not a credential


def test_unknown_context_in_ctdl_like_file_is_refused(tmp_path):
    import subprocess, sys
    from pathlib import Path
    doc = tmp_path / "x.json"
    doc.write_text(json.dumps({"@context": ["https://credreg.net/ctdl/schema/context/json",
                                            "https://evil.example/ctx.json"], "@type": "ceterms:Badge"}))
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(doc), "--format", "ttl"],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert proc.returncode == 2
    assert "unknown remote JSON-LD context https://evil.example/ctx.json" in proc.stderr


OFFICIAL = ["credentialregistry-fixtures/ce_registry_credential_1_valid.json",
            "credentialregistry-fixtures/ce_registry_learning_opportunity_profile_1_valid.json",
            "ingest-examples/Course-1a.json", "ingest-examples/Course-1b.json", "ingest-examples/Course-1c.json",
            "ingest-examples/Credential-1-graph.json", "ingest-examples/Credential-1.json",
            "ingest-examples/LearningProgram-1-graph.json", "ingest-examples/LearningProgram-1.json",
            "ingest-examples/LearningProgram-2.json", "ingest-examples/Organization-1.json"]


@pytest.mark.parametrize("name", OFFICIAL)
def test_official_examples_come_back_whole(run, tmp_path, shared, name):
    from test_ob3 import _json_diff

    source = shared / "realdata-examples/ctdl" / name
    out = tmp_path / "back.json"
    assert run("export", source, "--format", "ctdl", "--output", out).exit_code == 0
    assert _json_diff(json.loads(source.read_text()), json.loads(out.read_text())) == []


def test_kind_and_ctid_survive_other_formats(run, tmp_path, shared):
    # A bachelor degree read from CTDL, carried through Turtle, is still that degree with that CTID.
    source = shared / "realdata-examples/ctdl/ingest-examples/Credential-1.json"
    ttl = tmp_path / "c.ttl"
    run("export", source, "--format", "ttl", "--output", ttl)
    doc = json.loads(run("export", ttl, "--format", "ctdl").stdout)
    nodes = doc["@graph"] if "@graph" in doc else [doc]
    cred = next(n for n in nodes if n["@id"].endswith("Credential-1.json"))
    assert cred["@type"] == "ceterms:BachelorDegree"
    assert cred["ceterms:ctid"] == "ce-edc318c1-aa67-47e2-9638-a8529e6612d4"


def test_minimum_data_policy_gaps_are_named_and_strict_refuses(run):
    from mcmap.formats.jsondoc import ReadWarning

    with pytest.warns(ReadWarning) as caught:
        result = run("export", CSV, "--format", "ctdl")
    assert result.exit_code == 0
    said = "\n".join(str(w.message) for w in caught)
    assert "provider/" in said and "lacks" in said and "agentType" in said
    doc = json.loads(result.stdout)
    for cred in (n for n in doc["@graph"] if n["@type"] == "ceterms:MicroCredential"):
        for key in ("ceterms:ctid", "ceterms:name", "ceterms:ownedBy"):
            assert cred.get(key), (cred["@id"], key)
        gap = [k for k in ("ceterms:description", "ceterms:subjectWebpage", "ceterms:credentialStatusType",
                           "ceterms:inLanguage") if not cred.get(k)]
        assert not gap or cred["@id"] in said
    strict = run("export", CSV, "--format", "ctdl", "--strict")
    assert strict.exit_code == 2 and strict.stdout == ""
    assert "CTDL export refused (--strict)" in strict.stderr


def test_current_status_is_the_active_concept_and_purpose_describes(run):
    from pathlib import Path
    doc = json.loads(run("export", Path(__file__).parents[1] / "examples/nz-submission.csv", "--format", "ctdl").stdout)
    cred = next(n for n in doc["@graph"] if n["@id"].endswith("NZ-001"))
    assert cred["ceterms:credentialStatusType"]["ceterms:targetNode"] == "credentialStat:Active"
    assert cred["ceterms:description"]["en"].startswith("For people working in New Zealand")
    assert cred["ceterms:inLanguage"] == ["en"]
