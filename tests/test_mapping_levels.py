"""Level chains over the shipped SSSOM rows, with the confidence rule of mcmap/mapping/levels.py."""
import pytest

from mcmap.formats.sssom import read_sssom, shipped_mapping_files
from mcmap.mapping.levels import map_level
from mcmap.namespaces import SKOS, level_iri


@pytest.mark.parametrize("src, fw, target, chain, predicate, confidence", [
    (("AQF", 5), "nzqcf", ("NZQCF", 5), "AQF 5 -> NZQCF 5", "exactMatch", 0.95),
    (("NZQCF", 4), "aqf", ("AQF", 4), "NZQCF 4 -> AQF 4", "exactMatch", 0.95),
    (("AQF", 5), "eqf", ("EQF", 5), "AQF 5 -> NZQCF 5 -> EQF 5", "relatedMatch", 0.646),
    (("AQF", 1), "eqf", ("EQF", 2), "AQF 1 -> NZQCF 1 -> EQF 2", "relatedMatch", 0.722),
    (("NZQCF", 6), "eqf", ("EQF", 5), "NZQCF 6 -> EQF 5", "closeMatch", 0.85),
    (("AQF", 5), "sqf", ("SQF", 5), "AQF 5 -> NZQCF 5 -> PQF 5 -> SQF V", "relatedMatch", 0.05472),
    (("SQF", 7), "nzqcf", ("NZQCF", 7), "SQF VII -> PQF 7 -> NZQCF 7", "relatedMatch", 0.072),
    (("SQF", 3), "aqf", ("AQF", 3), "SQF III -> PQF 3 -> NZQCF 3 -> AQF 3", "relatedMatch", 0.05472),
])
def test_chains_and_confidence(src, fw, target, chain, predicate, confidence):
    m = map_level(level_iri(*src), fw)
    assert m.target == level_iri(*target)
    assert m.chain == chain
    assert m.predicate == SKOS + predicate
    assert m.confidence == pytest.approx(confidence)


def test_confidence_falls_as_the_chain_lengthens():
    one = map_level(level_iri("AQF", 5), "nzqcf").confidence
    two = map_level(level_iri("AQF", 5), "eqf").confidence
    three = map_level(level_iri("AQF", 5), "sqf").confidence
    assert one > two > three


def test_nzqcf_8_has_no_eqf_level_and_says_why():
    m = map_level(level_iri("AQF", 8), "eqf")
    assert m.target is None and not m.found
    assert m.chain == "AQF 8 -> NZQCF 8 -> no EQF level"
    assert "no EQF level" in m.explain()


def test_many_to_one_read_backwards_names_both_candidates():
    m = map_level(level_iri("EQF", 4), "nzqcf")
    assert m.target == level_iri("NZQCF", 3)
    assert [a.target for a in m.alternatives] == [level_iri("NZQCF", 4)]
    assert "other candidates: EQF 4 -> NZQCF 4" in m.explain()


def test_secondary_direct_row_is_shown_as_agreeing():
    m = map_level(level_iri("AQF", 7), "eqf")
    assert m.target == level_iri("EQF", 6)
    assert "also supported by AQF 7 -> EQF 6 (0.6)" in m.explain()


def test_same_framework_is_identity():
    m = map_level(level_iri("NZQCF", 4), "nzqcf")
    assert (m.target, m.confidence, m.steps) == (level_iri("NZQCF", 4), 1.0, [])


def test_shipped_derived_rows_agree_with_the_runtime_chain():
    """Every MappingChaining row in aqf-eqf.sssom.tsv is what the chain rule computes."""
    path = next(p for p in shipped_mapping_files() if p.name == "aqf-eqf.sssom.tsv")
    mset = read_sssom(path)
    checked = 0
    for row in mset.mappings:
        if row["mapping_justification"] != "semapv:MappingChaining":
            continue
        m = map_level(mset.expand(row["subject_id"]), "eqf")
        expected = None if row["object_id"] == "sssom:NoTermFound" else mset.expand(row["object_id"])
        assert m.target == expected
        assert m.confidence == pytest.approx(row["confidence"])
        checked += 1
    assert checked == 7
