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
HELD = ["identifier", "provider_name", "level", "credit_value", "credit_system",
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
        # OB3 requires a description: one without is published with its purpose statement.
        expected = before.description or before.text.get("purposeStatement", [])
        assert [t.value for t in after.description][:1] == [t.value for t in expected][:1]


def test_what_open_badges_requires_and_the_data_lacks_is_said_and_strict_refuses(run, tmp_path):
    from mcmap.formats.jsondoc import ReadWarning

    bare = tmp_path / "bare.csv"
    bare.write_text("id,title\nX-1,Bare credential\n")
    with pytest.warns(ReadWarning) as caught:
        assert run("export", bare, "--format", "ob3").exit_code == 0
    said = "\n".join(str(w.message) for w in caught)
    for gap in ("a description or purpose", "learning outcomes or assessment", "a named provider", "an approval date"):
        assert f"X-1 lacks {gap}" in said
    strict = run("export", bare, "--format", "ob3", "--strict")
    assert strict.exit_code == 2 and strict.stdout == "" and "refused (--strict)" in strict.stderr


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


def _json_diff(a, b, path="$") -> list[str]:
    """Every JSON path where `b` differs from `a`: what a round trip lost, added or changed."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: lost" for k in a if k not in b] + [f"{path}.{k}: added" for k in b if k not in a]
        for k in a.keys() & b.keys():
            out += _json_diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _json_diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {json.dumps(a)[:60]} became {json.dumps(b)[:60]}"]


OFFICIAL = ["achievementAlignmentCase.json", "achievementAlignmentCe.json", "basicOpenBadgeCredential.json",
            "endorsement.json", "fullOpenBadge.json", "skillAssertionCase.json", "skillAssertionCtdl.json"]


@pytest.mark.parametrize("name", OFFICIAL)
def test_official_examples_come_back_whole(run, tmp_path, shared, name):
    source = shared / "realdata-examples/openbadges-3.0" / name
    out = tmp_path / "back.json"
    assert run("export", source, "--format", "ob3", "--output", out).exit_code == 0
    before, after = json.loads(source.read_text()), json.loads(out.read_text())
    assert _json_diff(before, after) == []
    # Still valid wherever the original was (the endorsement is not an achievement credential).
    validator = _validator(shared)
    assert [e.message for e in validator.iter_errors(after)] == [e.message for e in validator.iter_errors(before)]


def test_kept_badges_travel_beside_new_ones(run, tmp_path, shared):
    badge = shared / "realdata-examples/openbadges-3.0/fullOpenBadge.json"
    body = json.loads(run("export", badge, CSV, "--format", "ob3").stdout)
    assert body[0] == json.loads(badge.read_text())
    assert len(body) == 1 + len(records(CSV))
    assert all(not [e for e in _validator(shared).iter_errors(doc)] for doc in body)


def test_kept_documents_do_not_leak_into_other_formats(run, shared):
    out = run("export", shared / "realdata-examples/openbadges-3.0/fullOpenBadge.json", "--format", "ttl").stdout
    assert "documentText" not in out and "urn:mcmap:document:" not in out


def test_a_degree_read_from_ctdl_stays_a_degree(run, shared):
    source = shared / "realdata-examples/ctdl/ingest-examples/Credential-1.json"
    doc = json.loads(run("export", source, "--format", "ob3").stdout)
    assert doc["credentialSubject"]["achievement"]["achievementType"] == "BachelorDegree"
    assert [e.message for e in _validator(shared).iter_errors(doc)] == []
