"""Instance matching between jurisdictions: right pairs, explained scores, blocking, SSSOM."""
from decimal import Decimal

import pytest

from mcmap.formats.sssom import read_sssom, write_sssom
from mcmap.mapping.match import match, to_mapping_set
from mcmap.mapping.records import Credential
from mcmap.namespaces import level_iri


def cred(code, i, title, outcomes, level=None, hours=None, fw=None):
    return Credential(iri=f"https://example.org/{code}/{i}", identifier=f"{code}-{i}", title=title,
                      jurisdiction=code, level=level_iri(fw, level) if level else None,
                      hours=Decimal(hours) if hours else None, outcomes=outcomes)


AU = [
    cred("AU", 1, "Forklift operation", ["Operate a forklift safely", "Load and unload pallets"], 2, 16, "aqf"),
    cred("AU", 2, "Barista coffee skills", ["Prepare espresso coffee", "Steam milk"], 3, 20, "aqf"),
    cred("AU", 3, "Quantum origami", ["Fold paper cranes"], 5, 10, "aqf"),
]
NZ = [
    cred("NZ", 1, "Forklift operator licence", ["Operate a forklift in a warehouse", "Stack pallets"], 2, 20, "nzqcf"),
    cred("NZ", 2, "Espresso coffee for baristas", ["Prepare espresso", "Clean the coffee machine"], 4, 40, "nzqcf"),
    cred("NZ", 3, "Warehouse safety", ["Store goods safely"], 3, 10, "nzqcf"),
    cred("NZ", 4, "Te reo Māori greetings", ["Use greetings"], None, None),
]


@pytest.fixture(scope="module")
def found():
    return match(AU, NZ, top=2)


def test_best_match_is_the_same_subject(found):
    best = {m.source.identifier: m for m in found if m is next(x for x in found if x.source is m.source)}
    assert best["AU-1"].target.identifier == "NZ-1"
    assert best["AU-2"].target.identifier == "NZ-2"


def test_score_is_the_stated_blend(found):
    m = next(m for m in found if (m.source.identifier, m.target.identifier) == ("AU-1", "NZ-1"))
    assert m.level == 1.0 and m.level_note == "AQF 2 -> NZQCF 2 vs NZQCF 2"
    assert m.volume == pytest.approx(0.8) and m.volume_note == "16 h vs 20 h"
    assert m.score == pytest.approx(0.6 * m.text + 0.2 * 1.0 + 0.2 * 0.8, abs=1e-4)
    assert "forklift" in m.shared_terms
    m2 = next(m for m in found if (m.source.identifier, m.target.identifier) == ("AU-2", "NZ-2"))
    assert m2.level == pytest.approx(2 / 3) and m2.volume == pytest.approx(0.5)
    assert "espresso" in m2.explain() and "AQF 3 -> NZQCF 3 vs NZQCF 4" in m2.explain()


def test_pairs_with_no_shared_word_are_never_compared(found):
    assert not any(m.source.identifier == "AU-3" for m in found)
    assert not any(m.target.identifier == "NZ-4" for m in found)


def test_top_limits_matches_per_credential(found):
    per = {}
    for m in found:
        per[m.source.identifier] = per.get(m.source.identifier, 0) + 1
    assert max(per.values()) <= 2


def test_sssom_output_round_trips(found, tmp_path):
    mset = to_mapping_set(found, "AU", "NZ")
    path = tmp_path / "m.sssom.tsv"
    path.write_text(write_sssom(mset))
    back = read_sssom(path)
    assert len(back.mappings) == len(found)
    first = back.mappings[0]
    assert first["mapping_justification"] == "semapv:CompositeMatching"
    assert first["confidence"] == pytest.approx(found[0].score)
    assert first["predicate_id"] in ("skos:closeMatch", "skos:relatedMatch")


def test_match_command(run, tmp_path):
    header = ("id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,hours,"
              "learning_outcomes\n")
    csv = tmp_path / "both.csv"
    csv.write_text(header
                   + "AU-1,Forklift operation,Acme,ASQA,AU,AQF,2,,,16,Operate a forklift safely|Load pallets\n"
                   + "NZ-1,Forklift operator licence,Kiwi,NZQA,NZ,NZQCF,2,2,NZ,20,Operate a forklift in a warehouse\n"
                   + "NZ-2,Barista basics,Kiwi,NZQA,NZ,NZQCF,3,2,NZ,20,Prepare espresso\n")
    r = run("match", csv, "--from", "au", "--to", "nz")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("AU-1  Forklift operation\n  -> NZ-1  Forklift operator licence  (score ")
    assert "1 match for 1 of 1 AU credential among 2 NZ credentials" in r.stdout
    r = run("match", csv, "--from", "au", "--to", "ws")
    assert r.exit_code == 2 and "no WS credentials" in r.stderr
