"""Each checked rule fires on a record shaped like a real one that breaks it, at its severity, and
says whether the information was not stated or contradicts the rule. (Rules with their own tests
elsewhere: see the table in the report of each rule set's tests.)"""
import json

import pytest

CSV_HEADER = ("id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,"
              "hours,learning_outcomes,assessment,delivery_mode,status,credit_recognition,cost,currency")

CASES = [
    # (framework, as_of, CSV row, rule, severity, stated)
    ("au", None, "AU-J,Workplace First Aid,Riverina TAFE,ASQA,,AQF,2,,,8,Apply first aid,Practical,onsite,,none,150,AUD",
     "CORE-JUR", "Violation", False),
    ("au", None, "AU-P,Excel for Analysts,,,AU,,,,,12,Build pivot tables,Quiz,online,,none,300,AUD",
     "AU-CIR-PROVIDER", "Info", False),
    ("au", None, "AU-C,Excel for Analysts,Coastal University,TEQSA,AU,,,,,12,Build pivot tables,Quiz,online,,,300,AUD",
     "AU-CIR-CREDIT", "Info", False),
    ("eu", None, "EU-1,Green Skills for Facilities,Dublin Skills Hub,none,IE,,,,,25,Sort waste,Quiz,online,,,,",
     "EU-M-1", "Warning", False),
    ("eu", None, "EU-2,,Dublin Skills Hub,none,IE,,,,,25,Sort waste,Quiz,online,,,,", "EU-M-2", "Violation", False),
    ("eu", None, "EU-5,Green Skills for Facilities,Dublin Skills Hub,none,IE,,,,,25,Sort waste,Quiz,online,,,,",
     "EU-M-5", "Warning", False),
    ("eu", None, "EU-7,Green Skills for Facilities,Dublin Skills Hub,none,IE,,,,,25,Sort waste,Quiz,online,,,,",
     "EU-M-7-ECTS", "Info", False),
    ("eu", None, "EU-8,Green Skills for Facilities,Dublin Skills Hub,none,IE,,,,,25,Sort waste,Quiz,online,,,,",
     "EU-M-8", "Warning", False),
    ("nz", "2020-06-01", "NZ-18,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,NZQCF,3,10,NZ,100,,Practical,onsite,,,,",
     "NZ-2018-lo", "Violation", False),
    ("nz", "2020-06-01", "NZ-18,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,NZQCF,3,10,NZ,100,,Practical,onsite,,,,",
     "NZ-2018-need", "Violation", False),
    ("nz", "2020-06-01", "NZ-18,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,NZQCF,3,10,NZ,100,,Practical,onsite,,,,",
     "NZ-2018-purpose", "Violation", False),
    ("nz", None, "NZ-T,,Primary ITO,NZQA,NZ,NZQCF,3,10,NZ,100,Clean a shed,Practical,onsite,current,,,",
     "NZ-L-6.1a", "Violation", False),
    ("nz", None, "NZ-L,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,,,10,NZ,100,Clean a shed,Practical,onsite,current,,,",
     "NZ-L-6.1b-lvl", "Violation", False),
    ("nz", None, "NZ-A,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,AQF,3,10,NZ,100,Clean a shed,Practical,onsite,current,,,",
     "NZ-L-6.1b-lvl", "Violation", True),
    ("nz", None, "NZ-S,Dairy Shed Hygiene,Primary ITO,NZQA,NZ,NZQCF,3,10,NZ,100,Clean a shed,Practical,onsite,withdrawn,,,",
     "NZ-STATUS", "Violation", True),
]


@pytest.mark.parametrize("framework,as_of,row,rule,severity,stated", CASES,
                         ids=[f"{c[3]}-{c[2].split(',')[0]}" for c in CASES])
def test_rule_fires(run, tmp_path, framework, as_of, row, rule, severity, stated):
    p = tmp_path / "records.csv"
    p.write_text(CSV_HEADER + "\n" + row + "\n", encoding="utf-8")
    args = ["validate", p, "-f", framework, "-F", "json"] + (["--as-of", as_of] if as_of else [])
    doc = json.loads(run(*args).output)
    hits = [f for c in doc["credentials"] for f in c["findings"] if f["rule_id"] == rule]
    assert hits, f"{rule} did not fire"
    assert {(f["severity"], f["stated"]) for f in hits} == {(severity, stated)}


def test_a_record_typed_as_a_qualification_breaks_nz_notqual(run, tmp_path):
    p = tmp_path / "nz.ttl"
    p.write_text("""@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://example.ac.nz/q/1> a mc:MicroCredential , mc:Qualification ; dct:title "New Zealand Certificate in Dairy Farming"@en ;
    mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/NZ> .
""", encoding="utf-8")
    doc = json.loads(run("validate", p, "-f", "nz", "-F", "json").output)
    hits = [f for c in doc["credentials"] for f in c["findings"] if f["rule_id"] == "NZ-NOTQUAL"]
    assert [(f["severity"], f["stated"]) for f in hits] == [("Violation", True)]
