"""`mcmap stack`: how far micro-credentials take a learner toward a qualification, and why."""
import csv
import json
from fractions import Fraction
from html.parser import HTMLParser

from mcmap.mapping.stack import stack_files
from mcmap.resources import data_dir

EXAMPLES = data_dir("examples")
AU = EXAMPLES / "stack" / "au-workplace-skills.csv"
NZ = EXAMPLES / "stack" / "nz-te-reo.csv"


def _by_id(doc):
    return {c["id"]: c for c in doc["credentials"]}


def test_au_vet_qualification_counts_units_by_packaging_rules(run):
    result = run("stack", AU, "--toward", "BSB20120", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    p = doc["progress"]
    assert doc["qualification"]["title"] == "Certificate II in Workplace Skills"
    assert p["total_units"] == 10 and p["electives_required"] == 5
    assert p["core_done"] == ["BSBCMM211"]
    assert p["core_remaining"] == ["BSBOPS201", "BSBPEF202", "BSBSUS211", "BSBWHS211"]
    assert p["electives_counted"] == ["BSBTEC201"]
    assert sorted(p["electives_possible"]) == ["BSBWHS332X", "HLTINF001"]
    assert p["units_counted"] == 2 and p["electives_remaining"] == 4 and p["share"] == "1/5"
    creds = _by_id(doc)
    assert creds["WS-U1"]["outcome"] == "counts" and creds["WS-U1"]["core_units"] == ["BSBCMM211"]
    assert creds["WS-U2"]["elective_units"] == ["BSBTEC201"]
    # A skill set with no units stated takes its units from the reference data, and says so.
    s2 = creds["WS-S2"]
    assert s2["outcome"] == "possible" and s2["possible_elective_units"] == ["HLTINF001"]
    assert any("units of skill set HLTSS00064 in mcmap's reference data" in r for r in s2["reasons"])
    assert any("superseded" in u for u in s2["uncertain"])
    # A higher-education module has no units: a VET qualification counts units, not hours.
    assert creds["WS-H1"]["outcome"] == "does not count"
    assert any("units, not hours" in r for r in creds["WS-H1"]["reasons"])


def _nz_rows():
    with open(NZ, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_nz_qualification_credits_and_level_requirement_add_up(run):
    doc = json.loads(run("stack", NZ, "--toward", "NZ-TE-REO-L3", "-F", "json").stdout)
    p = doc["progress"]
    rows = _nz_rows()
    # Worked from the file itself: NZ credits as stated, AU hours / 10 (NZ: 10 h per credit).
    credits = {r["id"]: Fraction(r["credits"]) if r["credits"] else Fraction(r["hours"]) / 10 for r in rows}
    assert Fraction(p["credits_counted"]) == sum(credits.values()) == 49
    assert Fraction(p["credits_remaining"]) == 60 - 49
    level3 = p["level_requirements"][0]
    assert level3["level"].endswith("/level/nzqcf/3") and Fraction(level3["required"]) == 40
    # Stated NZQCF levels at 3 or above count for certain; the AQF 3 one only through a mapping.
    sure = sum(credits[r["id"]] for r in rows if r["level_framework"] == "NZQCF" and int(r["level"]) >= 3)
    assert Fraction(level3["counted"]) == sure == 35
    assert Fraction(level3["possible"]) == credits["TR-4"] == 4
    assert Fraction(level3["remaining"]) == 5
    creds = _by_id(doc)
    assert creds["TR-2"]["outcome"] == "counts" and creds["TR-2"]["levels_met"] == []
    assert any("NZQCF 2 is below NZQCF 3" in r for r in creds["TR-2"]["reasons"])
    tr4 = creds["TR-4"]
    assert any("40 h / 10 h per credit = 4 NZ credits" in r for r in tr4["reasons"])
    assert any("AQF 3 -> NZQCF 3" in u and "confidence" in u for u in tr4["uncertain"])


def test_text_and_html_say_the_same(run):
    text = run("stack", AU, "--toward", "bsb20120").stdout
    assert "2 of 10 units achieved for certain (20%)" in text
    assert "still needed: BSBOPS201, BSBPEF202, BSBSUS211, BSBWHS211" in text
    assert "4 still needed (2 if the possible ones count)" in text
    nz = run("stack", NZ, "--toward", "NZ-TE-REO-L3").stdout
    assert "49 of 60 NZ credits for certain (82%); 11 still needed" in nz
    assert "at NZQCF 3 or above: 35 of 40 NZ credits; 5 still needed (1 if the 4 possible count)" in nz
    page = run("stack", NZ, "--toward", "NZ-TE-REO-L3", "-F", "html").stdout

    class Cells(HTMLParser):
        rows = 0

        def handle_starttag(self, tag, attrs):
            self.rows += tag == "tr"

    parser = Cells()
    parser.feed(page)
    assert parser.rows == 1 + 4 and "81.7% achieved for certain" in page


def test_unknown_qualification_is_a_one_line_error(run):
    result = run("stack", AU, "--toward", "NOPE123")
    assert result.exit_code == 2
    assert "no qualification 'NOPE123'" in result.stderr and "BSB20120" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_qualification_given_as_data_with_a_credit_range(tmp_path):
    # A qualification in ECTS written by a user, with no code change: 25-30 h per credit is a range.
    qual = tmp_path / "qual.ttl"
    qual.write_text("""
@prefix mc: <https://w3id.org/mcmap/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/q/data-cert> a mc:Qualification ; mc:nationalCode "EX-DATA" ;
    dct:title "Example Certificate in Data" ; mc:totalCredits 10 ;
    mc:creditSystem <https://w3id.org/mcmap/id/credit-system/ects> .
""", encoding="utf-8")
    creds = tmp_path / "creds.csv"
    creds.write_text("id,title,jurisdiction,hours,credit_recognition\n"
                     "D1,Data basics,AU,60,Credit towards the Example Certificate in Data\n"
                     "D2,Data more,AU,60,\n", encoding="utf-8")
    r = stack_files([qual, creds], "ex-data")
    d1, d2 = r.contributions
    # 60 h / 25-30 h per credit = 2 to 2.4 ECTS: 2 for certain, 0.4 possible.
    assert (d1.outcome, d1.credits, d1.credits_possible) == ("counts", 2, Fraction(2, 5))
    assert any("range" in u for u in d1.uncertain)
    # No credit recognition stated: all of it only possible.
    assert (d2.outcome, d2.credits, d2.credits_possible) == ("possible", 0, Fraction(12, 5))
    assert r.credits_counted == 2 and r.credits_remaining == 8


def test_a_unit_counts_once(tmp_path):
    creds = tmp_path / "twice.csv"
    creds.write_text("id,title,jurisdiction,kind,national_code\n"
                     "A,Communication,AU,unit,BSBCMM211\nB,Communication again,AU,unit,BSBCMM211\n",
                     encoding="utf-8")
    r = stack_files([creds], "BSB20120")
    a, b = r.contributions
    assert a.outcome == "counts" and b.outcome == "does not count"
    assert any("already counted" in x for x in b.reasons)
    assert r.units_counted == 1


def test_the_library_answers_as_the_cli_does(run):
    import mcmap

    data = AU.read_bytes()
    result = mcmap.stack([("units.csv", data)], toward="BSB20120")
    assert result.units_counted == 2 and result.core_done == ["BSBCMM211"]
    cli = run("stack", AU, "--toward", "BSB20120", "-F", "json").stdout
    # The same answer, apart from where each credential was read from.
    ours = result.to_dict()
    theirs = json.loads(cli)
    assert ours["progress"] == theirs["progress"]
    assert [c["outcome"] for c in ours["credentials"]] == [c["outcome"] for c in theirs["credentials"]]
