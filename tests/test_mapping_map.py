"""`mcmap map`: what a credential is worth in another jurisdiction, on hand-made cases whose
answers follow from FRAMEWORKS.md (1 NZ/PQF credit = 10 h, 1 ECTS = 25-30 h, NZ 1-40 credits,
AQF n = NZQCF n, SQF/PQF correspondences unverified)."""
import json
from pathlib import Path

import pytest

from mcmap import namespaces as ns
from mcmap.formats import read_files
from mcmap.formats.sssom import read_sssom
from mcmap.mapping.crossmap import map_store
from mcmap.store import LocalStore

CASES = Path(__file__).parent / "data" / "mapping-cases.csv"
AS_OF = "2025-01-01"


@pytest.fixture(scope="module")
def mapped():
    store = LocalStore()
    store.add(read_files([CASES]))
    results = map_store(store, ["AU", "NZ", "WS"], as_of=AS_OF)
    return {(cm.credential.identifier, t.jurisdiction): t for cm in results for t in cm.targets}


def stated(t):
    return [f.rule_id for f in t.failures if f.stated]


def test_au_3_hours_is_0_3_nz_credits_below_the_minimum(mapped):
    t = mapped["AU-3H", "NZ"]
    assert (str(t.volume.amount), t.volume.unit) == ("0.3", "NZ credits")
    assert t.volume.explanation == "3 h / 10 h per credit = 0.3 NZ credits"
    assert t.outcome == "no" and stated(t) == ["NZ-L-6.1b-cr"]
    assert "credit value is 0.3" in t.failures[0].message


def test_au_600_hours_is_60_nz_credits_above_40(mapped):
    t = mapped["AU-600", "NZ"]
    assert str(t.volume.amount) == "60"
    assert t.outcome == "no" and stated(t) == ["NZ-L-6.1b-cr"]
    assert "credit value is 60" in next(f.message for f in t.failures if f.stated)


def test_nz_40_credits_level_4_is_400_hours_at_aqf_4_and_meets_the_au_definition(mapped):
    t = mapped["NZ-40", "AU"]
    assert (str(t.volume.amount), t.volume.unit) == ("400", "h")
    assert t.volume.explanation == "40 NZ credits x 10 h per credit = 400 h"
    assert t.level.target == ns.level_iri("AQF", 4) and t.level.chain == "NZQCF 4 -> AQF 4"
    assert t.level.confidence == pytest.approx(0.95)
    assert t.verdict.meets_definition is True and t.eligible is True and t.outcome == "yes"


def test_au_to_nz_a_complete_record_is_eligible(mapped):
    t = mapped["AU-150", "NZ"]
    assert str(t.volume.amount) == "15" and t.level.chain == "AQF 7 -> NZQCF 7"
    assert t.outcome == "yes" and t.failures == []


def test_au_to_ws_goes_through_the_unverified_pacific_chain(mapped):
    t = mapped["AU-3H", "WS"]
    assert (str(t.volume.amount), t.volume.unit) == ("0.3", "PQF credits")
    assert t.level.chain == "AQF 3 -> NZQCF 3 -> PQF 3 -> SQF III"
    assert t.level.confidence == pytest.approx(0.95 * 0.3 * 0.3 * 0.8 ** 2)
    assert t.level.predicate == ns.SKOS + "relatedMatch"
    assert any("credit unit (pqf) is unverified" in n for n in t.notes)


def test_nz_to_ws(mapped):
    t = mapped["NZ-40", "WS"]
    assert (str(t.volume.amount), t.volume.unit) == ("40", "PQF credits")
    assert t.level.chain == "NZQCF 4 -> PQF 4 -> SQF IV"
    assert t.level.confidence == pytest.approx(0.3 * 0.3 * 0.8)


def test_nz_to_au_an_nzqa_provider_needs_a_qa_statement(mapped):
    t = mapped["NZ-8", "AU"]
    assert (str(t.volume.amount), t.level.chain) == ("150", "NZQCF 8 -> AQF 8")
    assert t.outcome == "needs info"
    assert [(f.rule_id, f.stated) for f in t.failures] == [("AU-MS-5", False)]
    assert "regulated by UNIVERSITIESNZ" in t.failures[0].message


def test_ws_to_au(mapped):
    t = mapped["WS-10", "AU"]
    assert (str(t.volume.amount), t.volume.unit) == ("100", "h")
    assert t.volume.explanation == "10 PQF credits x 10 h per credit = 100 h"
    assert t.level.chain == "SQF V -> PQF 5 -> NZQCF 5 -> AQF 5"
    assert t.level.confidence == pytest.approx(0.3 * 0.3 * 0.95 * 0.8 ** 2)
    assert [f.rule_id for f in t.failures] == ["AU-MS-5"] and t.outcome == "needs info"


def test_ws_to_nz(mapped):
    small, big = mapped["WS-10", "NZ"], mapped["WS-50", "NZ"]
    assert (str(small.volume.amount), small.level.chain) == ("10", "SQF V -> PQF 5 -> NZQCF 5")
    assert small.outcome == "needs info" and stated(small) == []
    assert str(big.volume.amount) == "50" and stated(big) == ["NZ-L-6.1b-cr"] and big.outcome == "no"


def test_ects_stays_a_range_and_a_straddled_bound_says_depends(mapped):
    au = mapped["EU-4", "AU"]
    assert str(au.volume.amount) == "100-120" and au.outcome == "yes"
    nz = mapped["EU-14", "NZ"]
    assert str(nz.volume.amount) == "35-42"
    assert nz.outcome == "depends" and stated(nz) == ["NZ-L-6.1b-cr"]
    assert "credit value is 42" in next(f.message for f in nz.failures if f.stated)


def test_as_of_picks_the_regime_in_force():
    store = LocalStore()
    store.add(read_files([CASES]))
    (old,) = [t for cm in map_store(store, ["NZ"], as_of="2020-06-01")
              if cm.credential.identifier == "AU-3H" for t in cm.targets]
    assert old.rule_set == "nz-2018" and "NZ-2018-cr" in stated(old)
    (before,) = [t for cm in map_store(store, ["NZ"], as_of="2017-06-01")
                 if cm.credential.identifier == "AU-3H" for t in cm.targets]
    assert before.outcome == "unknown" and before.rule_set is None


# ---------------------------------------------------------------- the command


def test_map_prints_a_readable_table(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table fits the terminal; make it wide enough to read rows whole
    r = run("map", CASES, "--to", "nz", "ws", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["credential", "to", "volume", "level", "conf.", "eligible"]
    row = next(line for line in lines if line.startswith("AU-3H"))
    assert "0.3 NZ credits" in row and "NZQCF 3" in row and row.rstrip().endswith(" no")
    why = r.stdout.split("\nWhy:", 1)[1].split("\nAU-3H  ", 1)[1].split("\n\n", 1)[0]  # its own block
    assert "AQF 3 -> NZQCF 3" in why and "fails:" in why and "NZ-L-6.1b-cr" in why
    assert "Why:" in r.stdout and "3 h / 10 h per credit = 0.3 NZ credits" in r.stdout


@pytest.mark.parametrize("columns", ["60", "80"])
def test_map_table_folds_to_a_narrow_terminal(run, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    r = run("map", CASES, "--to", "nz", "ws", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    table = r.stdout.split("\nWhy:", 1)[0].splitlines()
    assert table[0].split() == ["credential", "to", "volume", "level", "conf.", "eligible"]
    assert max(len(line) for line in table) <= int(columns)
    assert {"AU-3H", "AU-600", "AU-150"} <= {line.split()[0] for line in table[1:] if line[:1].strip()}
    # a folded cell continues on the next lines, in its own column: nothing is cut off
    wide = run("map", CASES, "--to", "nz", "ws", "--as-of", AS_OF, "--wide").stdout.split("\nWhy:", 1)[0]
    letters = lambda text: sorted(text.replace(" ", "").replace("\n", ""))  # noqa: E731
    assert letters("\n".join(table)) == letters(wide)


def test_map_json_and_csv(run):
    r = run("map", CASES, "--to", "au,nz", "--as-of", AS_OF, "--format", "json")
    data = json.loads(r.stdout)
    nz40 = next(c for c in data if c["id"] == "NZ-40")
    au = next(t for t in nz40["targets"] if t["jurisdiction"] == "AU")
    assert au["volume"]["amount"] == "400" and au["level"]["label"] == "AQF 4" and au["eligible"] is True
    r = run("map", CASES, "--to", "nz", "--as-of", AS_OF, "--format", "csv")
    header, first = r.stdout.splitlines()[:2]
    assert header.startswith("id,title,from,to,volume,unit")
    assert first.startswith("AU-3H,Safe food handling basics,AU,NZ,0.3,NZ credits,")


def test_map_tsv_is_sssom_that_reads_back_and_meets_the_mapping_shape(run, tmp_path):
    import pyshacl
    import rdflib

    from mcmap.formats.sssom import to_triples

    out = tmp_path / "map.sssom.tsv"
    r = run("map", CASES, "--to", "nz", "--as-of", AS_OF, "--format", "tsv", "--output", out)
    assert r.exit_code == 0
    mset = read_sssom(out)
    rows = {m["subject_id"]: m for m in mset.mappings}
    assert len(mset.mappings) == 9
    assert rows["mccred:AU-3H"]["object_id"] == "nzqcf:3"
    assert rows["mccred:AU-3H"]["mapping_justification"] == "semapv:CompositeMatching"
    assert rows["mccred:AU-3H"]["confidence"] == pytest.approx(0.95)
    assert "NZ-L-6.1b-cr" in rows["mccred:AU-3H"]["comment"]
    data = rdflib.Graph().parse(data="\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in to_triples(mset)),
                                format="nt")
    shapes = rdflib.Graph().parse(Path(__file__).parents[1] / "shapes" / "mapping.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text


def test_map_keeps_rdf_in_the_store_mappings_graph(run, tmp_path):
    store_dir = tmp_path / "store"
    r = run("map", CASES, "--to", "nz", "--as-of", AS_OF, "--store", store_dir)
    assert r.exit_code == 0, r.output
    store = LocalStore(store_dir)
    rows = list(store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?o WHERE { ?m owl:annotatedSource "
        "<https://w3id.org/mcmap/data/credential/NZ-40> ; owl:annotatedTarget ?o }",
        default_graphs=[ns.GRAPH_MAPPINGS]))
    assert [x[0].value for x in rows] == [ns.level_iri("NZQCF", 4)]
    # the shipped level correspondences are there too, for queries that chain them
    assert store.query(f"ASK {{ GRAPH <{ns.GRAPH_MAPPINGS}> {{ <{ns.level_iri('AQF', 5)}> "
                       f"<http://www.w3.org/2004/02/skos/core#exactMatch> <{ns.level_iri('NZQCF', 5)}> }} }}")


def test_map_ttl_parses(run):
    import rdflib

    r = run("map", CASES, "--to", "ws", "--as-of", AS_OF, "--format", "ttl")
    g = rdflib.Graph().parse(data=r.stdout, format="turtle")
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/sssom/Mapping")))) == 9


@pytest.mark.parametrize("args, words", [
    (["--to", "mars"], "unknown framework 'mars'"),
    (["--to", "nz", "--as-of", "someday"], "not a date"),
])
def test_map_bad_arguments_exit_2_with_one_line(run, args, words):
    r = run("map", CASES, *args)
    assert r.exit_code == 2 and words in r.stderr and "Traceback" not in r.output


def test_map_bad_file_exit_2(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CASES.read_text().replace("AU-3H,Safe food handling basics,Harbour Training,ASQA,AU,AQF,3,,,3,",
                                             "AU-3H,Safe food handling basics,Harbour Training,ASQA,AU,AQF,3,,,three,"))
    r = run("map", bad, "--to", "nz")
    assert r.exit_code == 2 and f"{bad}" in r.stderr and "row 2" in r.stderr


def test_stored_results_answer_which_credentials_are_listable_in_nz(run, tmp_path):
    store_dir = tmp_path / "store"
    run("map", CASES, "--to", "nz", "ws", "--as-of", AS_OF, "--store", store_dir)
    store = LocalStore(store_dir)
    q = """PREFIX mc: <https://w3id.org/mcmap/ns#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
    SELECT ?c ?credits WHERE { ?m owl:annotatedSource ?c ; mc:eligibility "yes" ; mc:creditValue ?credits ;
      mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/NZ> } ORDER BY ?c"""
    found = [(c.value.rsplit("/", 1)[-1], credits.value) for c, credits in store.select(q)]
    assert found == [("AU-150", "15"), ("NZ-40", "40"), ("NZ-8", "15")]


def test_map_reads_the_shipped_examples(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    examples = Path(__file__).parents[1] / "examples"
    r = run("map", examples / "au-submission.csv", examples / "nz-submission.csv", examples / "ws-submission.csv",
            "--to", "au", "nz", "ws", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    table = r.stdout.split("\nWhy:", 1)[0]
    ids = [line.split()[0] for line in table.splitlines() if line[:3] in ("AU-", "NZ-", "WS-")]
    assert len(ids) == 36 and ids[0] == "AU-001"
    # every credential gets one row per target, in a table a person can read
    assert r.stdout.count("\n") > 3 * 36
