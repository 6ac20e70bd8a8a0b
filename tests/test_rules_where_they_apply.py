"""Rules applied where their source applies them, with the status their source gives them, on
records shaped like real ones (AU university and RTO short courses, NZQA listings, Samoan and
EQAP courses, Europass credentials), and every encodable rule of FRAMEWORKS.md accounted for."""
import json
import re

import pytest

from mcmap.rule_catalogue import rules

AU_HEADER = ("id,title,provider,provider_regulator,jurisdiction,hours,learning_outcomes,assessment,"
             "delivery_mode,location,qa_statement,cost,currency,credit_recognition")


def findings(run, path, framework, *extra):
    res = run("validate", path, "-f", framework, "-F", "json", *extra)
    assert res.exit_code in (0, 1), res.output + res.stderr
    doc = json.loads(res.output)
    return {(c["identifier"], f["rule_id"]): f for c in doc["credentials"] for f in c["findings"]}


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- AU

def test_location_is_asked_only_for_onsite_delivery(run, tmp_path):
    p = write(tmp_path, "au.csv", AU_HEADER + "\n"
              "AU-B,Leading Hybrid Teams,University of Newcastle,TEQSA,AU,30,Lead a hybrid team,Case study,blended,,,450,AUD,none\n"
              "AU-O,Forklift Safety Refresher,Riverina TAFE,ASQA,AU,8,Operate a forklift safely,Practical test,onsite,,,180,AUD,none\n"
              "AU-L,Barista Basics,Riverina TAFE,ASQA,AU,6,Pull a shot,Practical test,onsite,Wagga Wagga,,90,AUD,none\n")
    got = findings(run, p, "au")
    assert ("AU-B", "AU-MCS-LOC") not in got
    assert got[("AU-O", "AU-MCS-LOC")]["severity"] == "Violation"
    assert ("AU-L", "AU-MCS-LOC") not in got


def test_a_provider_name_with_two_regulators_is_two_providers(run, tmp_path):
    """A university's regulated award courses and its unregulated short-course arm may share a
    name in one file; merging them would hide the missing QA statement (AU-MS-5)."""
    p = write(tmp_path, "au.csv", AU_HEADER + "\n"
              "AU-1,Data Analytics Foundations,Harbourside University,TEQSA,AU,60,Clean data,Portfolio,online,,,1200,AUD,none\n"
              "AU-2,Mindful Leadership,Harbourside University,none,AU,6,Practise mindfulness,Reflection,online,,,0,AUD,none\n")
    got = findings(run, p, "au")
    assert got[("AU-2", "AU-MS-5")]["severity"] == "Violation"
    assert ("AU-1", "AU-MS-5") not in got


# ---------------------------------------------------------------- core: titles

def test_one_title_per_language_is_fine_two_in_one_language_are_not(run, tmp_path):
    p = write(tmp_path, "nz.ttl", """@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://example.ac.nz/mc/1> a mc:MicroCredential ; dct:title "Te Reo Māori for the Workplace"@en , "Te Reo Māori mō te Wāhi Mahi"@mi ;
    mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/NZ> .
<https://example.ac.nz/mc/2> a mc:MicroCredential ; dct:title "Solar basics"@en , "Solar fundamentals"@en ;
    mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/NZ> .
""")
    res = json.loads(run("validate", p, "-f", "nz", "-F", "json").output)
    by = {(c["focus_node"].rsplit("/", 1)[1], f["rule_id"]) for c in res["credentials"] for f in c["findings"]}
    assert not {r for c, r in by if c == "1" and r.startswith("CORE-TITLE")}
    assert ("2", "CORE-TITLE-LANG") in by


# ---------------------------------------------------------------- Samoa and the Pacific

WS_HEADER = "id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,hours,learning_outcomes,assessment"


def test_eqap_assessment_rule_binds_eqap_micro_qualifications_only(run, tmp_path):
    p = write(tmp_path, "ws.csv", WS_HEADER + "\n"
              "WS-1,Fale Construction Techniques,Don Bosco Technical Centre,SQA,WS,SQF,III,12,PQF,120,Build a fale frame,\n"
              "WS-2,Regional Tourism Hosting,USP Pacific TAFE,EQAP,WS,SQF,III,12,PQF,120,Host visitors,\n"
              "WS-3,Solar PV Maintenance,Samoa Skills Centre,SQA,WS,SQF,IV,6,PQF,60,Maintain a PV system,Practical test\n")
    got = findings(run, p, "ws")
    assert ("WS-1", "WS-PQF-MQ-1") not in got
    assert got[("WS-1", "WS-ASSESS")]["severity"] == "Info"
    assert got[("WS-1", "WS-ASSESS")]["evidence_status"] == "unverified"
    assert got[("WS-2", "WS-PQF-MQ-1")]["severity"] == "Violation"
    assert not {r for c, r in got if c == "WS-3" and r in ("WS-PQF-MQ-1", "WS-ASSESS")}


def test_sqf_level_beyond_x_says_sqf_has_levels_i_to_x(run, tmp_path):
    p = write(tmp_path, "ws.csv", WS_HEADER + "\nWS-9,Solar PV Install,Samoa Skills Centre,SQA,WS,SQF,XI,,,,,\n")
    got = findings(run, p, "ws")
    assert "SQF has levels I-X" in got[("WS-9", "CORE-LEVEL")]["message"]


# ---------------------------------------------------------------- EU

def _europass(shared):
    return json.loads((shared / "realdata-examples/elm-v3/Sample-MC-Annex1-unsigned.jsonld").read_text())


def _strip_country(node):
    if isinstance(node, dict):
        node.pop("countryCode", None)
        for v in node.values():
            _strip_country(v)
    elif isinstance(node, list):
        for v in node:
            _strip_country(v)


def test_elm_issuer_country_comes_from_the_data(run, tmp_path, shared):
    from mcmap.formats import read_file

    doc = _europass(shared)
    p = write(tmp_path, "europass.jsonld", json.dumps(doc))
    juris = {q.object.value for q in read_file(p) if q.predicate.value.endswith("#jurisdiction")}
    assert juris == {"https://w3id.org/mcmap/id/jurisdiction/EU"}  # Ireland is a member state
    assert not {r for (_, r) in findings(run, p, "eu") if r == "EU-M-3"}
    _strip_country(doc)
    p = write(tmp_path, "no-country.jsonld", json.dumps(doc))
    assert not {q for q in read_file(p) if q.predicate.value.endswith("#jurisdiction")}
    got = findings(run, p, "eu")
    assert any(r == "EU-M-3" and f["severity"] == "Violation" for (_, r), f in got.items())


def test_an_unregulated_provider_is_not_a_type_of_quality_assurance(run, tmp_path):
    p = write(tmp_path, "eu.csv", "id,title,provider,provider_regulator,jurisdiction,learning_outcomes,hours,"
              "assessment,delivery_mode,qa_statement\n"
              "EU-1,Circular Economy Basics,Dublin Skills Hub,none,IE,Sort waste streams,25,Quiz,online,\n"
              "EU-2,Circular Economy Basics II,Dublin Skills Hub Ltd,none,IE,Sort waste streams,25,Quiz,online,"
              "Internal QA reviewed by the board each year\n")
    got = findings(run, p, "eu")
    assert got[("EU-1", "EU-M-11")]["severity"] == "Violation"
    assert "stated as unregulated" in got[("EU-1", "EU-M-11")]["message"]
    assert ("EU-2", "EU-M-11") not in got


# ---------------------------------------------------------------- NZ

NZ_HEADER = "id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,hours"


def test_credit_hours_mismatch_is_a_warning_with_one_status_in_both_regimes(run, tmp_path):
    p = write(tmp_path, "nz.csv", NZ_HEADER + "\nNZ-7,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,NZQCF,3,15,NZ,120\n")
    now = findings(run, p, "nz", "--as-of", "2024-01-01")[("NZ-7", "NZ-CR-HRS")]
    then = findings(run, p, "nz", "--as-of", "2020-01-01")[("NZ-7", "NZ-2018-hrs")]
    assert now["severity"] == then["severity"] == "Warning"
    assert now["evidence_status"] == then["evidence_status"]


def test_a_title_naming_the_provider_needs_justification(run, tmp_path):
    p = write(tmp_path, "nz.csv", NZ_HEADER + "\nNZ-8,Fonterra Milk Quality Basics,Fonterra,NZQA,NZ,NZQCF,3,5,NZ,50\n")
    assert findings(run, p, "nz")[("NZ-8", "NZ-L-6.2b")]["severity"] == "Warning"


def test_no_rules_in_force_is_not_conforming(run, tmp_path):
    p = write(tmp_path, "nz.csv", NZ_HEADER + "\nNZ-9,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,NZQCF,3,5,NZ,50\n")
    res = run("validate", p, "-f", "nz", "--as-of", "2017-06-01")
    assert res.exit_code == 2 and "conform" not in res.output
    assert "no rule of framework nz was in force" in res.stderr and len(res.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- statuses and dates

MCMAP_RULES = {"au": ["CORE-TITLE", "CORE-NUM"], "nz": ["NZ-CR-SYS", "NZ-PROV"], "ws": ["WS-SQA-PROV", "WS-PQF-LO"],
               "eu": ["EU-VOL"]}


@pytest.mark.parametrize("framework", sorted(MCMAP_RULES))
def test_mcmap_own_checks_are_not_labelled_as_law(framework):
    by_id = {r["rule_id"]: r for r in rules(framework)}
    for rid in MCMAP_RULES[framework] + [r for r in by_id if r.startswith("CORE-")]:
        assert by_id[rid]["evidence_status"] == "mcmap data rule", rid


def test_statuses_in_reports_rules_and_compare(run, tmp_path):
    p = write(tmp_path, "nz.csv", NZ_HEADER + "\nNZ-1,,Primary ITO,NZQA,NZ,NZQCF,3,5,NZ,50\n")
    assert findings(run, p, "nz")[("NZ-1", "CORE-TITLE")]["evidence_status"] == "mcmap data rule"
    out = run("rules", "nz").output
    assert re.search(r"CORE-TITLE\s+Violation\s+mcmap data rule", out)
    assert "mcmap data rule" in run("compare", "nz", "ws").output


def test_unverified_dates_in_force_are_marked(run):
    nz = {r["rule_id"]: r for r in rules("nz")}
    assert nz["NZ-L-6.1b-cr"]["in_force_from"] == "2023-01-16"
    assert nz["NZ-L-6.1b-cr"]["in_force_from_status"] == "unverified"
    assert nz["NZ-2018-cr"]["in_force_until_status"] == "unverified"
    assert nz["NZ-2018-cr"]["in_force_from_status"] is None  # 22 August 2018 is a published date
    assert "2023-01-16? to now" in run("rules", "nz").output
    assert "2023-01-16 (unverified)" in run("compare", "nz").output


def test_compare_does_not_claim_samoan_approval_rules():
    from mcmap.mapping.compare import compare, rows

    cells = dict(rows(compare(["ws"])))
    assert cells["approved by"] == [[(None, "Samoa Qualifications Authority (unverified)")]]


# ---------------------------------------------------------------- unencoded rules

def test_unchecked_rules_are_listed_with_the_reason(run):
    out = run("rules", "nz").output
    assert "Not checked" in out and "NZ-L-6.2b-person" in out and "not checked, because" in out
    doc = json.loads(run("rules", "au", "-F", "json").output)
    unchecked = {r["rule_id"]: r for r in doc["rules"] if r["severity"] == "not checked"}
    assert "AU-PILOT-1" in unchecked and unchecked["AU-PILOT-1"]["not_checked_because"]


def _frameworks_rule_ids(shared) -> set[str]:
    text = (shared / "FRAMEWORKS.md").read_text(encoding="utf-8")
    table = text.split("## Encodable rules", 1)[1].split("\n## ", 1)[0]
    ids = set()
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] not in ("AU", "NZ", "WS", "PAC", "EU"):
            continue
        m = re.fullmatch(r"(EU-[MO])-1\.\.(\d+)", cells[1])
        ids |= {f"{m.group(1)}-{i}" for i in range(1, int(m.group(2)) + 1)} if m else {cells[1]}
    return ids


def test_every_encodable_rule_of_frameworks_md_is_checked_or_says_why_not(shared):
    known = {r["rule_id"] for fw in ("au", "nz", "ws", "eu") for r in rules(fw)}
    # The Pacific rules are checked in the Samoa rule set, which Samoan providers work under.
    aliases = {"PQF-CR": "WS-PQF-CR", "PQF-MQ-1": "WS-PQF-MQ-1", "AU-MCS-DM": "AU-MCS-DM"}
    wanted = _frameworks_rule_ids(shared)
    assert len(wanted) > 40
    missing = sorted(r for r in wanted if aliases.get(r, r) not in known)
    assert not missing, f"rules in FRAMEWORKS.md that mcmap neither checks nor lists as not checked: {missing}"


def test_derivations_of_hours_from_credits_are_warnings_in_every_rule_set():
    """NZ-CR-HRS, NZ-2018-hrs and WS-PQF-CR restate a credit's definition (10 notional hours): a
    mismatch makes the record inconsistent, it breaks no listing rule."""
    by_id = {r["rule_id"]: r for fw in ("nz", "ws") for r in rules(fw)}
    assert {by_id[r]["severity"] for r in ("NZ-CR-HRS", "NZ-2018-hrs", "WS-PQF-CR")} == {"Warning"}


def test_dates_given_only_as_a_month_or_year_are_marked():
    au = {r["rule_id"]: r for r in rules("au")}
    assert au["AU-MCS-DM"]["in_force_from_status"] == "unverified" and "December 2022" in au["AU-MCS-DM"]["in_force_from_note"]
    assert au["AU-MS-1"]["in_force_from_status"] is None  # released 22 March 2022
    ws = {r["rule_id"]: r for r in rules("ws")}
    assert all(r["in_force_from_status"] == "unverified" for r in ws.values() if not r["rule_id"].startswith("CORE-"))
    assert ws["WS-ROA"]["evidence_status"] == "unverified"  # applying SQA's ROA to micro-credentials is inference
