"""Credential Engine CTDL: exports carry credit value with unit, duration, owner and offerer and
learning outcomes, round-trip what CTDL holds, and Credential Engine's examples read."""
import json

import pytest

from exchange_helpers import CSV, RICH, assert_round_trip, records

LOST = {
    "jurisdiction": "CTDL jurisdictions are JurisdictionProfiles of places, not mcmap's framework jurisdictions",
    "status": "CTDL lifeCycleStatusType has other values", "review_period_years": "no CTDL term",
    "text.creditRecognition": "no single CTDL term", "text.nzscedCode": "CTDL codes fields by CIP, not NZSCED",
    "text.developer": "no CTDL term", "text.qaStatement": "no CTDL term", "text.location": "written only as Place nodes, not here",
}
HELD = ["identifier", "title", "description", "provider_name", "level", "credit_value", "credit_system", "hours",
        "learning_outcomes", "assessment", "delivery_mode", "cost", "currency", "text.prerequisites",
        "language", "url", "approved_on"]


@pytest.mark.parametrize("source", [CSV, RICH])
def test_round_trip_keeps_what_ctdl_can_hold(run, tmp_path, source):
    out = tmp_path / "ctdl.json"
    assert run("export", source, "--format", "ctdl", "--output", out).exit_code == 0
    # CTDL text is a language map: untagged text comes back tagged with the credential's language.
    assert_round_trip(records(source), records(out), HELD, LOST, drop_lang=True)


def test_export_states_credit_unit_duration_owner_and_outcomes(run):
    doc = json.loads(run("export", RICH, "--format", "ctdl").stdout)
    cred = next(n for n in doc["@graph"] if n["@type"] == "ceterms:MicroCredential")
    assert doc["@context"] == "https://credreg.net/ctdl/schema/context/json"
    value = cred["ceterms:creditValue"][0]
    assert value["ceterms:value"] == 10.5
    assert value["ceterms:creditUnitTypeDescription"] == {"en": "PQF credits"}
    assert cred["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "PT105H"
    assert cred["ceterms:ownedBy"] == cred["ceterms:offeredBy"] == ["https://w3id.org/mcmap/data/provider/nus"]
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
