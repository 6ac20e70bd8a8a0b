"""EU ELM v3 / Europass: the Commission's micro-credential sample reads into a credential mcmap can
validate, its implausible volume of learning is reported, and exports round-trip what ELM holds."""
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from exchange_helpers import CSV, RICH, assert_round_trip, records
from mcmap.formats.elm import hours
from mcmap.formats.jsondoc import ReadWarning

ROOT = Path(__file__).parents[1]
LOST = {
    "regulator": "ELM organisations carry accreditations, not mcmap's regulator codes",
    "cost": "not written: ELM prices belong to learning opportunities, not specifications",
    "currency": "as cost",
    "approved_on": "no ELM term for a specification's approval date",
    "status": "no ELM term", "review_period_years": "no ELM term",
    "text.creditRecognition": "no ELM term", "text.nzscedCode": "ELM classifies by ISCED-F, not NZSCED",
    "text.developer": "no ELM term", "text.qaStatement": "no ELM term", "text.location": "no ELM term",
}
HELD = ["identifier", "title", "description", "provider_name", "level", "credit_value", "credit_system",
        "hours", "learning_outcomes", "assessment", "delivery_mode", "text.prerequisites", "language", "url"]


def annex1(shared):
    return shared / "realdata-examples/elm-v3/Sample-MC-Annex1-unsigned.jsonld"


def test_hours_from_durations():
    assert hours("PT60H") == Decimal(60)
    assert hours("P2DT12H") == Decimal(60)  # the canonical form of PT60H
    assert hours("PT90M") == Decimal("1.5")
    assert hours("P60M") is None and hours("P5Y") is None and hours("sixty") is None


def test_commission_sample_reads_as_a_micro_credential(shared):
    with pytest.warns(ReadWarning):
        recs = records(annex1(shared))
    rec = recs["urn:epass:qualification:1"]
    assert rec.title[0].value == "Digital micro-credential creation"
    assert rec.hours == "60"
    assert (rec.credit_value, rec.credit_system) == ("2", "ects")
    assert rec.level == "https://w3id.org/mcmap/id/level/eqf/6"
    assert rec.provider.name.value == "University of Zed"
    assert sorted(t.value for t in rec.learning_outcomes) == [
        "Communication, collaboration and creativity", "Developing digital content"]
    assert [t.value for t in rec.assessment] == ["Digital artefact assessment"]
    assert rec.delivery_mode == "blended" and rec.jurisdiction == "EU"


def test_sixty_months_beside_sixty_hours_is_reported_not_taken(shared):
    with pytest.warns(ReadWarning, match=r"implausible volume of learning P60M \(60 months\).*beside PT60H"):
        recs = records(annex1(shared))
    assert recs["urn:epass:qualification:1"].hours == "60"


def test_the_warning_reaches_the_user_on_stderr(shared):
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(annex1(shared)), "--format", "xml"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert "mcmap: warning:" in proc.stderr and "P60M (60 months)" in proc.stderr
    assert "<volume unit=\"hours\">60</volume>" in proc.stdout


def test_every_elm_sample_loads(shared):
    import warnings
    for path in sorted((shared / "realdata-examples/elm-v3").glob("*.jsonld")):
        if path.name == "edc-ap-context.jsonld":
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReadWarning)
            assert records(path) is not None


@pytest.mark.parametrize("source", [CSV, RICH])
def test_round_trip_keeps_what_elm_can_hold(run, tmp_path, source):
    out = tmp_path / "elm.jsonld"
    assert run("export", source, "--format", "elm", "--output", out).exit_code == 0
    # ELM texts are language maps: untagged text comes back tagged with the credential's language.
    before, after = records(source), records(out)
    assert_round_trip(before, after, HELD, LOST, drop_lang=True)
    # ELM states the issuer's country: a country comes back; "EU" as a whole is no country, so it
    # comes back unstated (and EU Annex I element 3 asks for it) rather than assumed.
    for iri, rec in before.items():
        expected = None if rec.jurisdiction == "EU" else rec.jurisdiction
        assert after[iri].jurisdiction == expected, iri


def test_export_uses_elm_terms(run):
    import json
    doc = json.loads(run("export", RICH, "--format", "elm").stdout)
    spec = doc["@graph"][0] if "@graph" in doc else doc
    assert spec["type"] == "LearningAchievementSpecification"
    assert spec["volumeOfLearning"] == "PT105H"
    assert spec["creditPoint"]["point"] == "10.5"
    assert spec["nqfLevel"]["id"] == "https://w3id.org/mcmap/id/level/sqf/7"


def test_onsite_is_the_eu_presential_concept(run, tmp_path):
    out = tmp_path / "nz.jsonld"
    assert run("export", ROOT / "examples/nz-submission.csv", "--format", "elm", "--output", out).exit_code == 0
    text = out.read_text()
    assert "http://data.europa.eu/snb/learning-assessment/9191af2ed9" in text
    assert {r.delivery_mode for r in records(out).values()} == {r.delivery_mode for r in
                                                               records(ROOT / "examples/nz-submission.csv").values()}
