"""mcmap query: named queries on hand-checked data, every output format, parameters bound as
RDF terms (and an injection attempt), and the errors a user sees."""
import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mcmap import query as q
from mcmap.cli import cli
from mcmap.store import LocalStore
from sparql_helpers import fixture_quads

REPO = Path(__file__).resolve().parents[1]
J = "https://w3id.org/mcmap/id/jurisdiction/"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "store"
    with LocalStore(path) as s:
        s.add(fixture_quads())
    return path


def mcmap(*args, cwd=None):
    """The real command line, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd)


def rows(store_dir, name, *params):
    """A named query's rows as dicts of plain strings, via the CLI's JSON output."""
    args = ["query", "--named", name, "--store", str(store_dir), "--format", "json"]
    for p in params:
        args += ["--param", p]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def test_list_shows_every_named_query_with_title_and_parameters():
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    for name, nq in q.catalogue().items():
        assert name in result.output and nq.title in result.output
    assert "--param jurisdiction=" in result.output


def test_every_named_query_has_a_header_and_runs_with_each_of_its_parameters(store_dir):
    values = {"jurisdiction": "NZ", "framework": "NZQCF", "target": "AU", "provider": "https://w3id.org/mcmap/data/provider/ara",
              "code": "HLTAID011"}
    catalogue = q.catalogue()
    assert len(catalogue) >= 7
    with LocalStore(store_dir) as store:
        for name, nq in catalogue.items():
            assert nq.title and nq.description, name
            q.run(store, nq.text, source=nq.source)
            for p in nq.params:
                bindings = q.bind_params(nq.text, {p.name: values[p.name]}, nq.params)
                # pyoxigraph refuses a binding for a variable the query does not project
                q.run(store, nq.text, source=nq.source, bindings=bindings)


def test_credentials_per_jurisdiction_and_level(store_dir):
    got = {(r["jurisdiction"].rsplit("/", 1)[1], r["level"].split("level/")[1], r["credentials"])
           for r in rows(store_dir, "credentials-by-level")}
    # AU-003 states no level, so it is not counted.
    assert got == {("AU", "aqf/4", "1"), ("AU", "aqf/5", "1"), ("NZ", "nzqcf/4", "2"),
                   ("NZ", "nzqcf/5", "2"), ("WS", "sqf/7", "1")}


def test_a_parameter_restricts_the_answer(store_dir):
    got = rows(store_dir, "credentials-by-level", "jurisdiction=NZ")
    assert {r["jurisdiction"] for r in got} == {J + "NZ"}
    assert sum(int(r["credentials"]) for r in got) == 4
    assert rows(store_dir, "credentials-by-level", "jurisdiction=NZ", "framework=AQF") == []


def test_volume_of_learning_min_median_max(store_dir):
    got = {r["jurisdiction"].rsplit("/", 1)[1]: r for r in rows(store_dir, "volume-of-learning")}
    # NZ: 50, 100, 150, 400 -> median (100 + 150) / 2; AU: 20, 20, 60 -> 20.
    assert float(got["NZ"]["medianHours"]) == 125
    assert (float(got["NZ"]["minHours"]), float(got["NZ"]["maxHours"]), got["NZ"]["credentials"]) == (50, 400, "4")
    assert float(got["AU"]["medianHours"]) == 20 and float(got["AU"]["maxHours"]) == 60
    assert float(got["WS"]["medianHours"]) == 80
    only = rows(store_dir, "volume-of-learning", "jurisdiction=AU")
    assert [r["jurisdiction"] for r in only] == [J + "AU"] and float(only[0]["medianHours"]) == 20


def test_level_equivalence_reads_mappings_both_ways(store_dir):
    got = {(r["framework"].rsplit("/", 1)[1], r["levelNumber"]): r for r in rows(store_dir, "level-equivalence")}
    nz4 = got[("nzqcf", "4")]
    assert nz4["AQF"] == "4" and nz4["EQF"] == "≈4" and nz4["SQF"] == ""
    assert got[("aqf", "5")]["NZQCF"] == "5"
    assert set(r["framework"] for r in rows(store_dir, "level-equivalence", "framework=eqf")) == {
        "https://w3id.org/mcmap/id/framework/eqf"}


def test_framework_definitions_side_by_side(store_dir):
    got = {r["jurisdiction"].rsplit("/", 1)[1]: r for r in rows(store_dir, "framework-definitions")}
    assert got["NZ"]["minCredits"] == "5" and got["NZ"]["maxCredits"] == "40"
    assert got["NZ"]["requiredElements"] == "creditValue, nzscedCode"
    assert got["AU"]["ruleSet"] == "au" and "maxCredits" not in got["AU"]


def test_rules_most_often_failed(store_dir):
    by_j = rows(store_dir, "rules-failed-by-jurisdiction")
    assert [(r["jurisdiction"].rsplit("/", 1)[1], r["ruleId"], r["credentials"]) for r in by_j] == [
        ("AU", "AU-LO", "1"), ("NZ", "NZ-L-6.1c", "3"), ("NZ", "NZ-VOL", "1")]
    by_p = rows(store_dir, "rules-failed-by-provider")
    assert (by_p[0]["providerName"], by_p[0]["ruleId"], by_p[0]["credentials"]) == ("Wintec", "NZ-L-6.1c", "2")
    ara = rows(store_dir, "rules-failed-by-provider", "provider=https://w3id.org/mcmap/data/provider/ara")
    assert [(r["ruleId"], r["credentials"]) for r in ara] == [("NZ-L-6.1c", "1")]


def test_stackable_credentials_leave_out_none(store_dir):
    got = [r["credential"].rsplit("/", 1)[1] for r in rows(store_dir, "stackable-credentials")]
    assert got == ["AU-001", "NZ-001"]


SELECT_RQ = """PREFIX mc: <https://w3id.org/mcmap/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?id ?title ?hours WHERE { ?c a mc:MicroCredential ; dct:title ?title ; mc:volumeOfLearningHours ?hours .
  BIND(STRAFTER(STR(?c), "credential/") AS ?id) } ORDER BY ?id
"""


@pytest.fixture
def select_rq(tmp_path):
    p = tmp_path / "select.rq"
    p.write_text(SELECT_RQ, encoding="utf-8")
    return p


def test_table_is_aligned_and_counts_rows(store_dir, select_rq):
    r = mcmap("query", select_rq, "--store", store_dir)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["id", "title", "hours"]
    title_col = lines[0].index("title")
    assert all(line[title_col - 1] == " " for line in lines[2:])  # columns line up
    assert "Te reo Māori for the workplace" in r.stdout
    assert r.stderr.strip() == "8 rows"


def test_csv_tsv_json_xml(store_dir, select_rq, tmp_path):
    out = {}
    for fmt in ("csv", "tsv", "json", "xml"):
        r = mcmap("query", select_rq, "--store", store_dir, "--format", fmt)
        assert r.returncode == 0, r.stderr
        out[fmt] = r.stdout
    table = list(csv.DictReader(io.StringIO(out["csv"])))
    assert len(table) == 8 and table[0] == {"id": "AU-001", "title": "Cyber security basics", "hours": "20"}
    tsv = out["tsv"].splitlines()
    assert tsv[0] == "?id\t?title\t?hours" and tsv[1].startswith('"AU-001"\t')
    doc = json.loads(out["json"])
    assert doc["head"]["vars"] == ["id", "title", "hours"]
    assert doc["results"]["bindings"][0]["hours"]["datatype"].endswith("#decimal")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(out["xml"]).findall(".//s:result", ns)
    assert len(results) == 8
    # --output picks the format from the extension and writes the file whole
    target = tmp_path / "out.csv"
    r = mcmap("query", select_rq, "--store", store_dir, "--output", target)
    assert r.returncode == 0 and target.read_text().splitlines()[0] == "id,title,hours"


def test_construct_as_turtle_and_jsonld(store_dir, tmp_path):
    rq = tmp_path / "c.rq"
    rq.write_text("PREFIX mc: <https://w3id.org/mcmap/ns#>\n"
                  "CONSTRUCT { ?c mc:jurisdiction ?j } WHERE { ?c a mc:MicroCredential ; mc:jurisdiction ?j }")
    ttl = mcmap("query", rq, "--store", store_dir)
    assert ttl.returncode == 0 and "@prefix mc:" in ttl.stdout
    assert len(list(ox.parse(ttl.stdout.encode(), ox.RdfFormat.TURTLE))) == 8
    jsonld = mcmap("query", rq, "--store", store_dir, "--format", "jsonld")
    assert jsonld.returncode == 0
    assert len(list(ox.parse(jsonld.stdout.encode(), ox.RdfFormat.JSON_LD))) == 8
    wrong = mcmap("query", rq, "--store", store_dir, "--format", "csv")
    assert wrong.returncode == 2 and "CONSTRUCT" in wrong.stderr and "Traceback" not in wrong.stderr


def test_malformed_query_names_the_file_and_line(store_dir, tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("PREFIX mc: <https://w3id.org/mcmap/ns#>\nSELECT ?c WHERE {\n  ?c a mc:MicroCredential .\n"
                  "  ?c mc:level ?l ?extra .\n}\n")
    r = mcmap("query", rq, "--store", store_dir)
    assert r.returncode == 2
    assert r.stderr.startswith(f"mcmap: error: {rq}:4: SPARQL syntax error")
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_injection_through_a_parameter_is_only_ever_a_value(store_dir, tmp_path):
    # A typed parameter refuses what is not an IRI.
    r = mcmap("query", "--named", "credentials-by-level", "--store", store_dir,
              "--param", "jurisdiction=NZ> } ; DROP ALL ; #")
    assert r.returncode == 2 and "not a valid jurisdiction" in r.stderr
    r = mcmap("query", "--named", "rules-failed-by-provider", "--store", store_dir,
              "--param", "provider=http://x/> } UNION { ?s ?p ?o } #")
    assert r.returncode == 2 and "not a valid iri" in r.stderr
    # An untyped one becomes a string literal: the would-be SPARQL matches nothing.
    rq = tmp_path / "by-title.rq"
    rq.write_text('PREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?c ?title WHERE { ?c dct:title ?title }')
    attack = 'x" } UNION { ?c ?p ?title } #'
    r = mcmap("query", rq, "--store", store_dir, "--param", f"title={attack}", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"]["bindings"] == []
    r = mcmap("query", rq, "--store", store_dir, "--param", "title=Site safety", "--format", "csv")
    assert r.stdout.splitlines()[1:] == ["https://w3id.org/mcmap/data/credential/NZ-002,Site safety"]
    with LocalStore(store_dir) as s:
        assert s.count() == len(fixture_quads())


def test_parameter_mistakes_are_clear(store_dir, select_rq):
    r = mcmap("query", "--named", "volume-of-learning", "--store", store_dir, "--param", "framework=AQF")
    assert r.returncode == 2 and "takes no such parameter" in r.stderr and "jurisdiction" in r.stderr
    r = mcmap("query", select_rq, "--store", store_dir, "--param", "nothere=1")
    assert r.returncode == 2 and "no variable ?nothere" in r.stderr
    r = mcmap("query", select_rq, "--store", store_dir, "--param", "oops")
    assert r.returncode == 2 and "NAME=VALUE" in r.stderr
    r = mcmap("query", "--named", "no-such-query")
    assert r.returncode == 2 and "credentials-by-level" in r.stderr
    r = mcmap("query")
    assert r.returncode == 2 and "--named" in r.stderr
    r = mcmap("query", select_rq, "--store", select_rq.parent / "no-such-store")
    assert r.returncode == 2 and "no such store folder" in r.stderr
    assert not (select_rq.parent / "no-such-store").exists()


def test_untyped_parameter_values_become_typed_literals():
    text = "SELECT ?a WHERE { ?x ?y ?a }"
    got = q.bind_params(text, {"a": "12"})["a"]
    assert got == ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert q.bind_params(text, {"a": "2024-03-01"})["a"].datatype.value.endswith("#date")
    assert q.bind_params(text, {"a": "<https://example.org/x>"})["a"] == ox.NamedNode("https://example.org/x")
    assert q.bind_params(text, {"a": "NZ"})["a"] == ox.Literal("NZ")


@pytest.mark.skipif(not (REPO / "examples" / "au-submission.csv").exists(), reason="examples/au-submission.csv is missing")
def test_eligible_elsewhere_agrees_with_mcmap_map(tmp_path):
    store = tmp_path / "store"
    example = REPO / "examples" / "au-submission.csv"
    assert mcmap("load", example, "--store", store).returncode == 0
    r = mcmap("map", "--store", store, "--to", "nz")
    assert r.returncode == 0, r.stderr
    r = mcmap("query", "--named", "eligible-elsewhere", "--store", store, "--format", "json",
              "--param", "target=NZ", "--param", "jurisdiction=AU")
    assert r.returncode == 0, r.stderr
    got = {(b["credential"]["value"], b["verdict"]["value"]) for b in json.loads(r.stdout)["results"]["bindings"]}
    mapped = json.loads(mcmap("map", example, "--to", "nz", "--format", "json").stdout)
    words = {"yes": "eligible", "needs info": "needs information"}
    expected = {(c["credential"], words[t["outcome"]]) for c in mapped for t in c["targets"]
                if t["jurisdiction"] == "NZ" and t["outcome"] in words}
    assert got == expected and expected


def test_eligible_elsewhere_on_kept_mapping_results(store_dir):
    got = [(r["credential"].rsplit("/", 1)[1], r["target"].rsplit("/", 1)[1], r["verdict"])
           for r in rows(store_dir, "eligible-elsewhere", "target=AU")]
    assert got == [("NZ-001", "AU", "eligible"), ("NZ-003", "AU", "needs information")]
    assert rows(store_dir, "eligible-elsewhere", "jurisdiction=AU") == []


@pytest.mark.skipif(not (REPO / "examples" / "nz-submission.csv").exists(), reason="examples/nz-submission.csv is missing")
def test_query_over_files_counts_what_the_file_holds():
    example = REPO / "examples" / "nz-submission.csv"
    with example.open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    r = mcmap("query", "--named", "volume-of-learning", example, "--format", "json")
    assert r.returncode == 0, r.stderr
    [row] = json.loads(r.stdout)["results"]["bindings"]
    hours = sorted(float(t["hours"]) for t in table if t["hours"].strip())
    assert int(row["credentials"]["value"]) == len(hours)
    assert float(row["minHours"]["value"]) == hours[0] and float(row["maxHours"]["value"]) == hours[-1]
    n = len(hours)
    assert float(row["medianHours"]["value"]) == (hours[(n - 1) // 2] + hours[n // 2]) / 2


def test_without_data_the_frameworks_and_level_mappings_answer():
    r = mcmap("query", "--named", "framework-definitions", "--format", "csv")
    assert r.returncode == 0, r.stderr
    jurisdictions = {line.split(",")[0].rsplit("/", 1)[1] for line in r.stdout.splitlines()[1:]}
    assert {"AU", "NZ", "EU"} <= jurisdictions
    r = mcmap("query", "--named", "level-equivalence", "--param", "framework=AQF", "--format", "csv")
    rows_ = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows_) == 10 and rows_[4]["levelNumber"] == "5" and rows_[4]["NZQCF"] == "5"


def test_table_on_a_terminal_folds_long_cells_to_the_screen():
    from mcmap.results import render_table

    long_title = "Te reo Māori for the workplace, with a very long title indeed " * 2
    text, n = render_table(["id", "title"], [(ox.Literal("NZ-001"), ox.Literal(long_title))], width=50)
    assert n == 1 and all(len(line) <= 50 for line in text.splitlines())
    assert "".join(text.split()).count("".join(long_title.split())) == 1  # folded, not cut
    plain, _ = render_table(["id", "title"], [(ox.Literal("NZ-001"), ox.Literal(long_title))])
    assert long_title.rstrip() in plain  # off a terminal: one whole line per row


@pytest.mark.skipif(not (REPO / "examples" / "nz-submission.csv").exists(), reason="examples/nz-submission.csv is missing")
def test_rules_failed_agree_with_mcmap_validate(tmp_path):
    from collections import defaultdict

    store = tmp_path / "store"
    example = REPO / "examples" / "nz-submission.csv"
    assert mcmap("load", example, "--store", store).returncode == 0
    r = mcmap("validate", "--store", store, "--framework", "nz", "--as-of", "2024-06-01", "--keep-report")
    assert r.returncode == 1, r.stderr  # the example breaks rules on purpose
    report = json.loads(mcmap("validate", example, "--framework", "nz", "--as-of", "2024-06-01",
                              "--format", "json").stdout)
    expected = defaultdict(set)
    for c in report["credentials"]:
        for f in c["findings"]:
            expected[f["rule_id"]].add(c["focus_node"])
    got = rows(store, "rules-failed-by-jurisdiction", "jurisdiction=NZ")
    assert {r["ruleId"]: int(r["credentials"]) for r in got} == {k: len(v) for k, v in expected.items()}
    assert {r["ruleSet"] for r in got} == {"nz"}
    counts = [int(r["credentials"]) for r in got]
    assert counts == sorted(counts, reverse=True)  # most often failed first


def test_sparql_text_on_the_command_line_and_from_standard_input():
    """Query text given with --sparql, or piped in as "-", answers as a query file would; text
    given where a file name belongs gets a hint instead of a bare "no such file"."""
    example = REPO / "examples" / "nz-submission.csv"
    with example.open(encoding="utf-8") as f:
        n = len(list(csv.DictReader(f)))
    text = ("PREFIX mc: <https://w3id.org/mcmap/ns#> "
            "SELECT (COUNT(*) AS ?n) WHERE { ?c a mc:MicroCredential }")
    r = mcmap("query", "--sparql", text, example, "-F", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1] == str(n)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    piped = subprocess.run([sys.executable, "-m", "mcmap", "query", "-", str(example), "-F", "csv"],
                           input=text, capture_output=True, text=True, env=env)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == r.stdout

    r = mcmap("query", text, example)
    assert r.returncode == 2 and "no such query file" in r.stderr and "--sparql" in r.stderr
    assert "Traceback" not in r.stderr
    r = mcmap("query", "-e", "SELEC", example)
    assert r.returncode == 2 and "--sparql:1: SPARQL syntax error" in r.stderr
    r = mcmap("query", "-e", "ASK {}", "--named", "volume-of-learning")
    assert r.returncode == 2 and "not both" in r.stderr
