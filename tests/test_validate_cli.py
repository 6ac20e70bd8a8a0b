"""`mcmap validate` and `mcmap rules` as a user runs them: exit codes, formats, own shapes, errors."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from mcmap import namespaces as ns
from mcmap.resources import data_dir
from mcmap.store import LocalStore
from mcmap.rule_catalogue import rules
from mcmap.validate import validate_files

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = data_dir("examples")
NZ_CSV = EXAMPLES / "nz-submission.csv"

OWN_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mc: <https://w3id.org/mcmap/ns#> .
@prefix ex: <https://example.org/qa#> .
ex:CostCap a sh:PropertyShape ;
    sh:targetClass mc:MicroCredential ;
    sh:path mc:cost ;
    sh:maxInclusive 1000 ;
    sh:severity sh:Violation ;
    sh:message "Our agency funds courses up to 1000 only" ;
    mc:ruleId "AGENCY-COST" .
"""


def mcmap(*args, cwd=REPO):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_exit_codes_violations_and_unreadable_input(tmp_path):
    assert mcmap("validate", NZ_CSV, "--framework", "nz").returncode == 1
    broken = tmp_path / "broken.csv"
    broken.write_text(NZ_CSV.read_text(encoding="utf-8").replace("NZ-002,", "NZ-002,\"unclosed", 1),
                      encoding="utf-8")
    bad = mcmap("validate", broken, "--framework", "nz")
    assert bad.returncode == 2
    assert bad.stderr.startswith(f"mcmap: error: {broken}") and "row 3" in bad.stderr
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    words = tmp_path / "words.csv"
    words.write_text(NZ_CSV.read_text(encoding="utf-8").replace(",15,NZ,150,", ",fifteen,NZ,150,", 1),
                     encoding="utf-8")
    bad = mcmap("validate", words, "--framework", "nz")
    assert bad.returncode == 2 and "row 2" in bad.stderr and "credits" in bad.stderr


def test_a_bad_shapes_file_names_its_line(tmp_path):
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(OWN_SHAPES.replace("sh:maxInclusive 1000 ;", "sh:maxInclusive 1000 ;;] ;"),
                      encoding="utf-8")
    result = mcmap("validate", NZ_CSV, "--shapes", shapes)
    assert result.returncode == 2
    line = next(i for i, text in enumerate(shapes.read_text().splitlines(), 1) if "1000" in text)
    assert result.stderr.startswith(f"mcmap: error: {shapes}:{line}: not valid Turtle")
    empty = tmp_path / "none.ttl"
    empty.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    result = mcmap("validate", NZ_CSV, "--shapes", empty)
    assert result.returncode == 2 and "contains no SHACL shapes" in result.stderr


def test_unknown_framework_and_bad_date_are_usage_errors():
    result = mcmap("validate", NZ_CSV, "--framework", "xx")
    assert result.returncode == 2 and "unknown framework 'xx'" in result.stderr
    result = mcmap("validate", NZ_CSV, "--framework", "nz", "--as-of", "2020-13-01")
    assert result.returncode == 2 and "--as-of" in result.stderr


def test_own_shapes_run_alone_or_with_a_framework(run, tmp_path):
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(OWN_SHAPES, encoding="utf-8")
    alone = json.loads(run("validate", NZ_CSV, "--shapes", shapes, "--format", "json").stdout)
    findings = [(c["identifier"], f["rule_id"], f["value"]) for c in alone["credentials"] for f in c["findings"]]
    assert sorted(findings) == [("NZ-002", "AGENCY-COST", 1400), ("NZ-003", "AGENCY-COST", 3200),
                                ("NZ-009", "AGENCY-COST", 1100)]
    both = json.loads(run("validate", NZ_CSV, "--framework", "nz", "--shapes", shapes, "--format", "json").stdout)
    rule_ids = {f["rule_id"] for c in both["credentials"] for f in c["findings"]}
    assert {"AGENCY-COST", "NZ-L-6.1b-cr"} <= rule_ids


@pytest.mark.parametrize("fmt", ["json", "ttl", "jsonld", "html", "text"])
def test_every_output_format_is_complete_and_parses(run, fmt, tmp_path):
    out = tmp_path / f"report.{fmt}"
    result = run("validate", EXAMPLES / "au-submission.csv", "--framework", "au", "--format", fmt, "-o", out)
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    expected = json.loads(run("validate", EXAMPLES / "au-submission.csv", "--framework", "au",
                              "--format", "json").stdout)
    findings = [(c["identifier"], f["rule_id"], f["message"]) for c in expected["credentials"] for f in c["findings"]]
    assert len(findings) == 9
    if fmt == "json":
        assert json.loads(text) == expected
    elif fmt in ("ttl", "jsonld"):
        g = rdflib.Graph().parse(data=text, format="turtle" if fmt == "ttl" else "json-ld")
        results = list(g.subjects(rdflib.RDF.type, SH.ValidationResult))
        assert len(results) == len(findings)
        assert (None, SH.conforms, rdflib.Literal(False)) in g
        got = {(str(g.value(r, SH.focusNode)).rsplit("/", 1)[1], str(g.value(r, rdflib.URIRef(ns.MC + "ruleId"))))
               for r in results}
        assert got == {(i, rid) for i, rid, _ in findings}
    else:
        from html import escape
        for ident, rid, message in findings:
            assert ident in text and rid in text
            assert (escape(message) if fmt == "html" else message) in text
        if fmt == "html":
            assert text.startswith("<!DOCTYPE html>") and "<script" not in text


def test_html_escapes_what_the_submission_says(run, tmp_path):
    rows = NZ_CSV.read_text(encoding="utf-8").splitlines()
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(rows[0] + "\n" + rows[4].replace("Barista Diploma Essentials",
                                                       "<script>alert(1)</script> Diploma") + "\n", encoding="utf-8")
    html = run("validate", hostile, "--framework", "nz", "--format", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Diploma" in html


def test_keep_report_stores_a_queryable_report():
    store = LocalStore()
    report = validate_files([NZ_CSV], "nz", store=store, keep_report=True)
    validate_files([], "nz", store=store, keep_report=True)  # a second run over the same data
    rows = list(store.select(ns.sparql_prefixes() + f"""
        SELECT ?rule (COUNT(?r) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_REPORTS}> {{
            ?report a sh:ValidationReport ; sh:result ?r . ?r mc:ruleId ?rule }} }}
        GROUP BY ?rule ORDER BY DESC(?n) ?rule"""))
    counts = {r[0].value: int(r[1].value) for r in rows}
    assert counts == {rid: 2 * n for rid, n in _count(report).items()}
    reports = list(store.select(f"SELECT ?x WHERE {{ GRAPH <{ns.GRAPH_REPORTS}> {{ ?x a <{SH.ValidationReport}> }} }}"))
    assert len(reports) == 2


def _count(report):
    out = {}
    for r in report.results:
        out[r.details["rule_id"]] = out.get(r.details["rule_id"], 0) + 1
    return out


def test_store_option_validates_what_was_loaded(tmp_path):
    store = tmp_path / "store"
    assert mcmap("load", NZ_CSV, "--store", store).returncode == 0
    result = mcmap("validate", "--framework", "nz", "--store", store, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["credentials_checked"] == 12
    assert result.stderr == ""  # no progress display when standard error is not a terminal


def test_rules_lists_every_rule_with_citation_and_dates(run):
    out = run("rules", "nz").stdout
    for rule in rules("nz"):
        assert rule["rule_id"] in out and rule["citation"] in out
    assert "NZ-2018-cr" in out and "2018-08-22 to 2023-01-16" in out
    assert "NZ-L-6.1b-cr" in out and "2023-01-16? to now" in out  # "mid-January 2023": an unverified day
    current = run("rules", "nz", "--as-of", "2020-01-01", "--format", "json").stdout
    ids = {r["rule_id"] for r in json.loads(current)["rules"]}
    assert "NZ-2018-cr" in ids and "NZ-L-6.1b-cr" not in ids


def test_rules_for_samoa_say_little_is_published(run):
    out = run("rules", "ws").stdout
    assert "Little is published" in out
    assert "unverified" in out


def test_commands_are_listed_in_help():
    result = mcmap("--help")
    assert "validate" in result.stdout and "rules" in result.stdout


def test_the_documented_example_of_own_shapes_works(run, tmp_path):
    doc = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    turtle = doc.split("```turtle\n", 1)[1].split("```", 1)[0]
    shapes = tmp_path / "agency.ttl"
    shapes.write_text(turtle, encoding="utf-8")
    out = json.loads(run("validate", NZ_CSV, "--shapes", shapes, "--format", "json").stdout)
    found = sorted((c["identifier"], f["rule_id"], f["severity"], f["message"])
                   for c in out["credentials"] for f in c["findings"])
    assert found[0] == ("NZ-002", "AGENCY-4", "Warning",
                        "Agency funding rule 4: cost is 1400; funded courses cost at most 1000")
    assert len(found) == 3
