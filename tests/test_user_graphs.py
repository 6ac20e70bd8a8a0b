"""A submission writes only into user graphs: it cannot name mcmap's own graphs, nor define
framework terms (an AQF level 11) that later validation would take as shipped facts."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap.store import LocalStore

AU = Path(__file__).resolve().parents[1] / "examples" / "au-submission.csv"


def mcmap(*args):
    env = {**os.environ, "PYTHONPATH": str(AU.parents[1])}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


LEVEL_11 = f"{ns.ID}level/aqf/11"
AQF = f"{ns.ID}framework/aqf"
CREDENTIAL = """@prefix mc: <https://w3id.org/mcmap/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/c1> a mc:MicroCredential ; dct:title "Eleven" ;
    mc:level <https://w3id.org/mcmap/id/level/aqf/11> ;
    mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/AU> .
"""
LEVEL = (f"<{LEVEL_11}> a <http://www.w3.org/2004/02/skos/core#Concept> ; "
         f"<http://www.w3.org/2004/02/skos/core#inScheme> <{AQF}> ; "
         f"<http://www.w3.org/2004/02/skos/core#notation> \"11\" .\n")


def level_11_findings(run, *args):
    result = run("validate", *args, "--framework", "au", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    import json

    doc = json.loads(result.stdout)
    return sorted(f["rule_id"] for c in doc["credentials"] for f in c["findings"]
                  if "aqf/11" in str(f.get("value")) or "11" in str(f.get("message")))


@pytest.mark.parametrize("graph", ["ontology", "mappings", "shapes", "reports", "inferred"])
@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_files_naming_mcmaps_graphs_are_refused_and_the_store_is_unchanged(run, tmp_path, graph, fmt):
    store = tmp_path / "store"
    assert run("load", AU, "--store", store).exit_code == 0
    with LocalStore(store) as s:
        before = s.count()
    g = f"{ns.GRAPH}{graph}"
    path = tmp_path / f"own.{fmt}"
    if fmt == "trig":
        path.write_text(f"<{g}> {{ {LEVEL} }}\n")
    else:
        path.write_text(f"<{LEVEL_11}> <http://www.w3.org/2004/02/skos/core#inScheme> <{AQF}> <{g}> .\n")
    for flags in ((), ("--replace",)):
        result = run("load", path, "--store", store, *flags)
        assert result.exit_code == 2
        assert str(path) in result.stderr and f"<{g}>" in result.stderr
    with LocalStore(store) as s:
        assert s.count() == before
        assert not s.query(f"ASK {{ <{LEVEL_11}> ?p ?o }}")


def test_a_submission_cannot_define_a_level_for_itself(run, tmp_path):
    plain = tmp_path / "plain.ttl"
    plain.write_text(CREDENTIAL)
    assert "CORE-LEVEL" in level_11_findings(run, plain)
    for name, text in (("sneaky.ttl", CREDENTIAL + LEVEL),
                       ("sneaky.nq", f"<{LEVEL_11}> <http://www.w3.org/2004/02/skos/core#inScheme> <{AQF}> .\n")):
        sneaky = tmp_path / name
        sneaky.write_text(text)
        result = run("validate", sneaky, "--framework", "au")
        assert result.exit_code == 2
        assert str(sneaky) in result.stderr and f"<{LEVEL_11}>" in result.stderr
        assert "framework facts come only from the shipped ontology" in result.stderr


def test_a_defined_level_does_not_reach_a_store_for_later_submissions(run, tmp_path):
    store = tmp_path / "store"
    assert run("load", AU, "--store", store).exit_code == 0
    with LocalStore(store) as s:
        before = s.count()
    sneaky = tmp_path / "sneaky.ttl"
    sneaky.write_text(LEVEL)
    for flags in ((), ("--replace",)):
        assert run("load", sneaky, "--store", store, *flags).exit_code == 2
    with LocalStore(store) as s:
        assert s.count() == before
        assert not s.query(f"ASK {{ GRAPH ?g {{ <{LEVEL_11}> ?p ?o }} }}")
    plain = tmp_path / "plain.ttl"
    plain.write_text(CREDENTIAL)
    assert run("load", plain, "--store", store).exit_code == 0
    assert "CORE-LEVEL" in level_11_findings(run, "--store", store)


def test_statements_a_reader_builds_about_framework_terms_are_left_out(tmp_path):
    # A CSV row whose id is a level's IRI would describe that level.
    rows = AU.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "rows.csv"
    path.write_text("\n".join([rows[0], LEVEL_11 + rows[1][6:], rows[2]]) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    result = mcmap("load", path, "--store", store)
    assert result.returncode == 0, result.stderr
    assert "mcmap: warning:" in result.stderr and "framework facts come only from the shipped ontology" in result.stderr
    with LocalStore(store) as s:
        assert not s.query(f"ASK {{ GRAPH ?g {{ <{LEVEL_11}> ?p ?o }} }}")
        assert s.query("ASK { GRAPH ?g { <https://w3id.org/mcmap/data/credential/AU-002> ?p ?o } }")
