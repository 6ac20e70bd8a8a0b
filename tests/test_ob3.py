"""Open Badges 3.0: exports validate against 1EdTech's JSON Schema, round-trip the fields OB3 can
hold, and the official examples read."""
import json

import pytest

from exchange_helpers import CSV, RICH, assert_round_trip, records

# What an OB3 Achievement cannot hold, and why (docs/formats.md says the same).
LOST = {
    "regulator": "OB3 Profiles have no regulator",
    "jurisdiction": "OB3 has no jurisdiction; the issuer's address is not a regulatory jurisdiction",
    "hours": "OB3 has no volume of learning; creditsAvailable is credit, not hours",
    "delivery_mode": "no OB3 term",
    "cost": "no OB3 term", "currency": "no OB3 term",
    "status": "no OB3 term", "review_period_years": "no OB3 term", "url": "no Achievement URL in OB3",
    "text.prerequisites": "no OB3 term", "text.creditRecognition": "no OB3 term",
    "text.location": "no OB3 term", "text.developer": "no OB3 term", "text.qaStatement": "no OB3 term",
}
HELD = ["identifier", "description", "provider_name", "level", "credit_value", "credit_system",
        "learning_outcomes", "assessment", "text.nzscedCode", "approved_on", "language"]


def _validator(shared):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((shared / "realdata-examples/openbadges-3.0/schema/achievementcredential.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("source", [CSV, RICH])
def test_export_validates_against_the_official_schema(run, shared, source):
    result = run("export", source, "--format", "ob3")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    docs = body if isinstance(body, list) else [body]
    validator = _validator(shared)
    for doc in docs:
        errors = [e.message for e in validator.iter_errors(doc)]
        assert errors == []
        achievement = doc["credentialSubject"]["achievement"]
        assert achievement["achievementType"] == "MicroCredential"
        assert achievement["criteria"]["narrative"]


def test_credits_state_their_unit_and_level_alignment(run):
    doc = json.loads(run("export", RICH, "--format", "ob3").stdout)
    ach = doc["credentialSubject"]["achievement"]
    assert ach["creditsAvailable"] == 10.5
    assert ach["humanCode"] == "WS-7" and ach["fieldOfStudy"] == "091701"
    targets = {a["targetUrl"]: a for a in ach["alignment"]}
    assert targets["https://w3id.org/mcmap/id/credit-system/pqf"]["targetName"] == "PQF credits"
    assert targets["https://w3id.org/mcmap/id/level/sqf/7"]["targetFramework"] == "SQF"


@pytest.mark.parametrize("source", [CSV, RICH])
def test_round_trip_keeps_what_ob3_can_hold(run, tmp_path, source):
    out = tmp_path / "badges.json"
    assert run("export", source, "--format", "ob3", "--output", out).exit_code == 0
    # OB3 strings carry no language tag, so texts are compared without theirs.
    assert_round_trip(records(source), records(out), HELD, LOST, drop_lang=True)
    for before, after in zip(records(source).values(), records(out).values()):
        assert [t.value for t in after.title][:1] == [t.value for t in before.title][:1]


def test_official_examples_read(shared):
    folder = shared / "realdata-examples/openbadges-3.0"
    read = {p.name: records(p) for p in sorted(folder.glob("*.json"))}
    basic = read["basicOpenBadgeCredential.json"]["https://example.com/achievements/21st-century-skills/teamwork"]
    assert basic.title[0].value == "Teamwork"
    assert basic.provider.name.value == "Example Corp"
    full = next(iter(read["fullOpenBadge.json"].values()))
    assert full.title[0].value == "1EdTech University Degree"
    assert all(recs for name, recs in read.items() if name != "endorsement.json")


def test_official_example_exports_to_turtle_with_its_own_terms(run, shared):
    result = run("export", shared / "realdata-examples/openbadges-3.0/basicOpenBadgeCredential.json", "--format", "nt")
    assert result.exit_code == 0
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement" in result.stdout
    assert "https://w3id.org/mcmap/ns#MicroCredential" in result.stdout
