"""Missing information is not a broken rule: every finding says whether the credential states the
information or contradicts the rule, in every report format, the summary counts incomplete
credentials apart, and --listing lowers missing information for register analysis.

The records are shaped like public NZQA listings of micro-credentials: a listing page shows the
title, provider, level, credits and status, but not the developer, the review period, the
purpose statement or the evidence of need."""
import json

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import SH

MC = Namespace("https://w3id.org/mcmap/ns#")
HEADER = ("id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,"
          "learning_outcomes,delivery_mode,status,nzsced")
LISTINGS = [
    "NZ-4567,Kaitiakitanga in Horticulture,Te Pūkenga,NZQA,NZ,NZQCF,3,5,NZ,Describe kaitiakitanga practice,"
    "blended,current,050101",
    "NZ-4590,Fundamentals of Te Reo Māori in the Workplace,Te Wānanga o Aotearoa,NZQA,NZ,NZQCF,2,10,NZ,"
    "Use greetings at work,online,current,091501",
    "NZ-4621,Heavy Vehicle Safety Inspection,Otago Polytechnic,NZQA,NZ,NZQCF,4,15,NZ,Inspect brakes,onsite,current,030501",
    # A listing that also breaks a rule: 50 credits is above NZQA's 40.
    "NZ-4702,Advanced Dairy Herd Management,Primary ITO,NZQA,NZ,NZQCF,5,50,NZ,Plan herd health,blended,current,050105",
]


@pytest.fixture
def listings(tmp_path):
    p = tmp_path / "nzqa-listings.csv"
    p.write_text(HEADER + "\n" + "\n".join(LISTINGS) + "\n", encoding="utf-8")
    return p


def findings(doc):
    return [(c["identifier"], f) for c in doc["credentials"] for f in c["findings"]]


def test_json_says_stated_or_not_for_every_finding(run, listings):
    res = run("validate", listings, "-f", "nz", "--as-of", "2025-01-01", "-F", "json")
    assert res.exit_code == 1
    doc = json.loads(res.output)
    got = findings(doc)
    assert got and all(isinstance(f["stated"], bool) for _, f in got)
    missing = {(c, f["rule_id"]) for c, f in got if f["stated"] is False}
    contradicted = {(c, f["rule_id"]) for c, f in got if f["stated"] is True and f["severity"] == "Violation"}
    assert {("NZ-4567", "NZ-L-6.1e"), ("NZ-4567", "NZ-L-6.1g"), ("NZ-4567", "NZ-NEED"),
            ("NZ-4567", "NZ-L-6.1d")} <= missing
    assert contradicted == {("NZ-4702", "NZ-L-6.1b-cr")}
    s = doc["summary"]
    assert (s["credentials_checked"], s["conforming"], s["incomplete"], s["breaking_rules"]) == (4, 0, 3, 1)
    assert s["not_stated"] == sum(1 for _, f in got if f["stated"] is False)


def test_text_marks_missing_information_and_counts_it_apart(run, listings):
    res = run("validate", listings, "-f", "nz", "--as-of", "2025-01-01")
    lines = res.output.splitlines()
    developer = next(line for line in lines if "NZ-L-6.1e" in line and "VIOLATION" in line)
    credits = next(line for line in lines if "NZ-L-6.1b-cr" in line)
    assert "[not stated]" in developer and "[not stated]" not in credits
    summary = lines[-1]
    assert "3 incomplete" in summary and "1 breaking a rule" in summary and "[not stated]" in summary


def test_html_marks_missing_information(run, listings):
    res = run("validate", listings, "-f", "nz", "--as-of", "2025-01-01", "-F", "html")
    page = res.output
    assert page.count('class="missing"') == json.loads(
        run("validate", listings, "-f", "nz", "--as-of", "2025-01-01", "-F", "json").output)["summary"]["not_stated"]
    assert "3 incomplete" in page


def test_shacl_report_carries_mc_stated(run, listings):
    res = run("validate", listings, "-f", "nz", "--as-of", "2025-01-01", "-F", "ttl")
    g = Graph().parse(data=res.output, format="turtle")
    results = list(g.subjects(SH.resultSeverity, None))
    assert results and all(g.value(r, MC.stated) is not None for r in results)
    over = [r for r in results if isinstance(g.value(r, SH.value), Literal) and g.value(r, SH.value).toPython() == 50]
    assert over and all(g.value(r, MC.stated) == Literal(True) for r in over)
    developer = [r for r in results if g.value(r, SH.resultPath) == MC.developer]
    assert developer and all(g.value(r, MC.stated) == Literal(False) for r in developer)


def test_listing_option_lowers_only_missing_information(run, listings):
    strict = json.loads(run("validate", listings, "-f", "nz", "--as-of", "2025-01-01", "-F", "json").output)
    res = run("validate", listings, "-f", "nz", "--as-of", "2025-01-01", "-F", "json", "--listing")
    assert res.exit_code == 1  # NZ-4702's 50 credits still breaks the rule
    doc = json.loads(res.output)
    violations = [(c, f["rule_id"]) for c, f in findings(doc) if f["severity"] == "Violation"]
    assert violations == [("NZ-4702", "NZ-L-6.1b-cr")]
    lowered = [f for _, f in findings(doc) if f.get("lowered_from") == "Violation"]
    assert lowered and all(f["stated"] is False and f["severity"] == "Warning" for f in lowered)
    assert len(findings(doc)) == len(findings(strict))
    assert doc["listing"] is True and doc["summary"]["conforming"] == 3


def test_listing_option_conforms_when_only_information_is_missing(run, tmp_path):
    p = tmp_path / "one.csv"
    p.write_text(HEADER + "\n" + LISTINGS[0] + "\n", encoding="utf-8")
    assert run("validate", p, "-f", "nz", "--as-of", "2025-01-01").exit_code == 1
    assert run("validate", p, "-f", "nz", "--as-of", "2025-01-01", "--listing").exit_code == 0


def test_eu_alternative_paths_missing_are_not_stated(run, tmp_path):
    """EU Annex I elements accept several properties (sh:alternativePath): missing all of them
    is missing information."""
    p = tmp_path / "eu.csv"
    p.write_text("id,title,jurisdiction,learning_outcomes,hours\nEU-1,Green skills,IE,Sort waste,25\n",
                 encoding="utf-8")
    doc = json.loads(run("validate", p, "-f", "eu", "-F", "json").output)
    by_rule = {f["rule_id"]: f for _, f in findings(doc)}
    for rule in ("EU-M-4", "EU-M-9", "EU-M-10", "EU-M-11"):
        assert by_rule[rule]["stated"] is False, rule
