"""Mapping outcomes a QA officer can trust: exact volume arithmetic (no "depends" from rounding),
"yes" only with something to recognise and a reliable level, on records shaped like real
NZQA-listed micro-credentials, AU university and RTO short courses and Pacific courses."""
import pytest

from mcmap.formats import read_files
from mcmap.mapping.crossmap import MIN_HOURS, RELIABLE_LEVEL, map_store
from mcmap.store import LocalStore

HEADER = ("id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,hours,"
          "learning_outcomes,assessment,delivery_mode,location,qa_statement")
ROWS = [
    # NZQA-listed micro-credentials: the smallest (1 credit) and the largest (40 credits).
    "NZ-1CR,Manaaki Tāpoi: Tourism Hosting Basics,Toi Ohomai Institute of Technology,NZQA,NZ,NZQCF,2,1,NZ,,"
    "Greet visitors using tikanga-based hosting practice,Observed role play,online,,",
    "NZ-40CR,Kaitiaki Whenua: Land Stewardship,Te Pūkenga Otago Polytechnic,NZQA,NZ,NZQCF,5,40,NZ,,"
    "Plan a restoration project|Monitor biodiversity outcomes,Portfolio|Field assessment,blended,Dunedin,",
    "NZ-15CR,Infant and toddler care,Open Polytechnic,NZQA,NZ,NZQCF,4,15,NZ,,"
    "Plan care routines for infants,Written assignments,online,,Open Polytechnic is an NZQA Category 1 provider; "
    "the micro-credential is moderated externally and reviewed every two years.",
    # AU: a one-hour university short course, one just under an hour, one of no hours at all.
    "AU-1H,Academic Integrity Essentials,University of Adelaide,TEQSA,AU,AQF,7,,,1,"
    "Explain academic integrity obligations,Online quiz,online,,",
    "AU-0.9H,Cyber Safety Awareness,Riverina TAFE,ASQA,AU,AQF,2,,,0.9,"
    "Recognise phishing emails,Online quiz,online,,",
    "AU-0H,Orientation to Campus Services,Coastal University,TEQSA,AU,AQF,5,,,0,"
    "Locate student support services,Attendance,online,,",
    # Pacific: a 30-minute toolbox talk and a zero-credit module on the PQF.
    "WS-30M,Toolbox talk: ladder safety,Samoa Skills Centre,SQA,WS,SQF,II,,,0.5,"
    "Set up a ladder safely,Practical observation,onsite,Apia,",
    "WS-0CR,Digital literacy module,National University of Samoa,SQA,WS,SQF,III,0,PQF,,"
    "Use email and shared documents,Practical task,onsite,Apia,",
    # EU: an EQF 1 course (no NZQCF level, so no AQF level can be derived).
    "EU-EQF1,Basic Literacy for Work,Centre de Formation Lyon,none,FR,EQF,1,2,ECTS,,"
    "Read workplace notices,Oral assessment,onsite,Lyon,The centre is accredited by the regional authority and reviews the course yearly.",
]


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    p = tmp_path_factory.mktemp("outcomes") / "listings.csv"
    p.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    store = LocalStore()
    store.add(read_files([p]))
    results = map_store(store, ["AU", "NZ", "WS", "EU"], as_of="2025-06-01")
    return {(cm.credential.identifier, t.jurisdiction): t for cm in results for t in cm.targets}


@pytest.mark.parametrize("cid", ["NZ-1CR", "NZ-40CR", "NZ-15CR"])
def test_nz_credits_in_ects_are_not_depends_from_rounding(mapped, cid):
    t = mapped[cid, "EU"]
    assert t.outcome != "depends", t.notes
    assert not any(f.rule_id == "EU-ECTS" for f in t.failures), t.failures


def test_1_and_40_nz_credits_meet_the_eu_definition(mapped):
    for cid in ("NZ-1CR", "NZ-40CR"):
        t = mapped[cid, "EU"]
        assert t.outcome in ("yes", "yes, level uncertain"), (cid, t.outcome, t.failures)
    assert str(mapped["NZ-1CR", "EU"].volume.amount) == "0.33-0.4"
    assert str(mapped["NZ-40CR", "EU"].volume.amount) == "13.33-16"


def test_one_hour_and_under_an_hour_are_judged_consistently(mapped):
    one, under = mapped["AU-1H", "EU"], mapped["AU-0.9H", "EU"]
    assert one.outcome == "yes", one.failures
    assert under.outcome == "no"
    assert [f.rule_id for f in under.failures if f.stated] == ["MCMAP-MAP-VOL"]
    assert "less than 1 hour" in under.failures[0].message


@pytest.mark.parametrize("cid,target", [("AU-0H", "EU"), ("AU-0H", "WS"), ("WS-0CR", "EU"), ("WS-0CR", "WS"),
                                        ("WS-30M", "WS"), ("WS-30M", "EU")])
def test_nothing_to_recognise_is_never_yes(mapped, cid, target):
    t = mapped[cid, target]
    assert not t.outcome.startswith("yes"), (cid, target, t.outcome)
    assert t.outcome == "no"


def test_a_level_that_cannot_be_placed_is_not_a_plain_yes(mapped):
    t = mapped["EU-EQF1", "AU"]
    assert t.level.confidence == 0.0 and t.level.target is None
    assert t.outcome == "yes, level uncertain"
    assert any("not reliable" in n for n in t.notes)


def test_a_weak_level_chain_is_its_own_outcome(mapped):
    t = mapped["AU-1H", "WS"]
    assert t.level.confidence < RELIABLE_LEVEL
    assert t.outcome == "yes, level uncertain"


def test_a_published_correspondence_is_a_plain_yes(mapped):
    t = mapped["NZ-15CR", "AU"]
    assert t.level.chain == "NZQCF 4 -> AQF 4" and t.level.confidence >= RELIABLE_LEVEL
    assert t.outcome == "yes"


def test_the_thresholds_are_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "mapping.md").read_text(encoding="utf-8")
    assert f"{RELIABLE_LEVEL}" in doc and "yes, level uncertain" in doc
    assert f"{MIN_HOURS} notional learning hour" in doc


def test_eu_ects_message_shows_a_rounded_ratio(tmp_path, run):
    p = tmp_path / "europass.csv"
    p.write_text("id,title,jurisdiction,credits,credit_system,hours\n"
                 "EU-X,Data skills,IE,0.13,ECTS,4\n", encoding="utf-8")
    res = run("validate", p, "-f", "eu")
    assert res.exit_code == 1
    assert "4 hours for 0.13 ECTS credits is 30.77 hours per credit" in res.output
    assert "30.769" not in res.output


def test_every_derived_chain_row_is_only_a_related_match():
    """FRAMEWORKS.md (Level correspondences, C and F): a chain is transitive inference, never an
    equivalence, so a semapv:MappingChaining row uses skos:relatedMatch (AQF 8 -> no EQF level too)."""
    from mcmap.formats.sssom import read_sssom, shipped_mapping_files

    chained = []
    for path in shipped_mapping_files():
        mset = read_sssom(path)
        for m in mset.mappings:
            if mset.expand(m["mapping_justification"]).endswith("MappingChaining"):
                chained.append((m["subject_id"], mset.expand(m["predicate_id"])))
    assert ("aqf:8", "http://www.w3.org/2004/02/skos/core#relatedMatch") in chained
    assert all(p.endswith("#relatedMatch") for _, p in chained), chained
