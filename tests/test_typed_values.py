"""Typed values are read strictly by every reader: an impossible date, a number in a form that
could be misread, a word or a JSON true where a number belongs stops the load with one line naming
the file and the row and column or JSON path, exit 2, and nothing ill-formed is ever stored."""
import copy
import json

import pyoxigraph as ox
import pytest

from mcmap.formats import values

NZ_HEADER = ("id,title,provider,provider_regulator,jurisdiction,level_framework,level,credits,credit_system,"
             "hours,learning_outcomes,delivery_mode,status,approved_on,review_period_years,cost,currency")
# Shaped like an NZQA-listed micro-credential (Te Pūkenga-style 5-credit course).
NZ_ROW = dict(id="NZ-MC-1012", title="Kaitiakitanga in Horticulture", provider="Te Whare Wānanga o Mahi",
              provider_regulator="NZQA", jurisdiction="NZ", level_framework="NZQCF", level="3", credits="5",
              credit_system="NZ", hours="50", learning_outcomes="Describe kaitiakitanga in orchard practice",
              delivery_mode="blended", status="current", approved_on="2022-02-28", review_period_years="2",
              cost="450", currency="NZD")


def nz_csv(tmp_path, **changes):
    cells = {**NZ_ROW, **changes}
    p = tmp_path / "nzqa-listing.csv"
    p.write_text(NZ_HEADER + "\n" + ",".join(f'"{cells[c]}"' for c in NZ_HEADER.split(",")) + "\n", encoding="utf-8")
    return p


def refused(run, path, *words, framework="nz"):
    res = run("validate", path, "-f", framework)
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert str(path) in err
    for w in words:
        assert w in err, err
    return err


@pytest.mark.parametrize("column,value,words", [
    ("approved_on", "2022-02-30", ["row 2", "column 'approved_on'", "February 2022 has 28 days"]),
    ("approved_on", "2022-13-01", ["row 2", "column 'approved_on'", "no month 13"]),
    ("approved_on", "28/02/2022", ["column 'approved_on'", "YYYY-MM-DD"]),
    ("hours", "1e3", ["column 'hours'", "'1e3' is not a number", "exponent"]),
    ("credits", "1,5", ["column 'credits'", "'1,5' is not a number", "thousands separator"]),
    ("credits", "ten", ["column 'credits'", "'ten' is not a number"]),
    ("credits", "NaN", ["column 'credits'", "'NaN' is not a number"]),
    ("hours", "Infinity", ["column 'hours'"]),
    ("review_period_years", "2.5", ["column 'review_period_years'", "whole number"]),
    ("cost", "$1,200", ["column 'cost'", "'$1,200' is not a number"]),
])
def test_csv_refuses_values_it_could_misread(tmp_path, run, column, value, words):
    refused(run, nz_csv(tmp_path, **{column: value}), *words)


def test_csv_reads_valid_edge_values_exactly(tmp_path):
    from mcmap.formats import read_file

    p = nz_csv(tmp_path, approved_on="2024-02-29", credits="7.5", hours=".5", cost="$450")
    got = {q.predicate.value.rsplit("#", 1)[-1]: q.object for q in read_file(p)}
    assert got["approvedOn"].value == "2024-02-29"
    assert got["creditValue"].value == "7.5"
    assert got["volumeOfLearningHours"].value == "0.5"
    assert got["cost"].value == "450"


def test_csv_sqf_level_beyond_x_is_kept_for_validation_to_name(tmp_path, run):
    p = tmp_path / "ws.csv"
    p.write_text("id,title,jurisdiction,level_framework,level\nWS-9,Solar PV install,WS,SQF,XI\n", encoding="utf-8")
    res = run("validate", p, "-f", "ws")
    assert "not a whole number" not in res.output + res.stderr
    assert "SQF has levels I-X" in res.output


def test_a_failed_load_leaves_the_store_as_it_was(tmp_path, run):
    store = tmp_path / "store"
    good = nz_csv(tmp_path)
    assert run("load", good, "--store", store).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(nz_csv(tmp_path, id="NZ-2", hours="1e3").read_text(encoding="utf-8"), encoding="utf-8")
    res = run("load", bad, "--store", store)
    assert res.exit_code == 2
    from mcmap.store import LocalStore

    with LocalStore(store) as st:
        hours = [q.object.value for q in st.quads() if q.predicate.value.endswith("#volumeOfLearningHours")]
    assert hours == ["50"]


# ------------------------------------------------------------------ XML

XML = """<?xml version="1.0" encoding="UTF-8"?>
<credentials xmlns="https://w3id.org/mcmap/xml/1">
  <credential>
    <identifier>NZ-MC-1012</identifier>
    <title xml:lang="en">Kaitiakitanga in Horticulture</title>
    <title xml:lang="mi">Kaitiakitanga i te Ahuwhenua</title>
    <jurisdiction>NZ</jurisdiction>
    <credits system="NZ">{credits}</credits>
    <approvedOn>{date}</approvedOn>
  </credential>
</credentials>
"""


@pytest.mark.parametrize("credits,date,words", [
    ("5", "2022-02-30", [":9:", "approvedOn"]),
    ("1e3", "2022-02-28", [":8:", "credits"]),
    ("1,5", "2022-02-28", [":8:", "credits"]),
])
def test_xml_refuses_ill_formed_values(tmp_path, run, credits, date, words):
    p = tmp_path / "listing.xml"
    p.write_text(XML.format(credits=credits, date=date), encoding="utf-8")
    refused(run, p, *words)


# ------------------------------------------------------------------ RDF

TTL = """@prefix mc: <https://w3id.org/mcmap/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.ac.nz/mc/hort-3> a mc:MicroCredential ;
    dct:title "Kaitiakitanga in Horticulture"@en ;
    mc:creditValue "5"^^xsd:decimal ;
    mc:volumeOfLearningHours {hours} ;
    mc:approvedOn {date} .
"""


@pytest.mark.parametrize("hours,date,words", [
    ('"1e3"^^xsd:decimal', '"2022-02-28"^^xsd:date', [":7:", "mc:volumeOfLearningHours", "'1e3' is not a valid xsd:decimal"]),
    ('"50"^^xsd:decimal', '"2022-02-30"^^xsd:date', [":8:", "mc:approvedOn", "February 2022 has 28 days"]),
    ('"fifty"^^xsd:integer', '"2022-02-28"^^xsd:date', ["'fifty' is not a valid xsd:integer"]),
])
def test_rdf_reader_refuses_ill_formed_typed_literals(tmp_path, run, hours, date, words):
    p = tmp_path / "listing.ttl"
    p.write_text(TTL.replace("{hours}", hours).replace("{date}", date), encoding="utf-8")
    refused(run, p, *words)


def test_literal_check_accepts_what_xsd_accepts():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for dtype, lexical in [("decimal", "-1.50"), ("decimal", ".5"), ("integer", "+7"), ("date", "2024-02-29"),
                           ("date", "2022-02-28Z"), ("dateTime", "2010-01-01T00:00:00Z"),
                           ("dateTime", "2021-06-01T09:30:00.5+12:00"), ("double", "1e3"), ("double", "NaN"),
                           ("boolean", "true"), ("nonNegativeInteger", "0"), ("string", "anything")]:
        assert values.literal_problem(xsd + dtype, lexical) is None, (dtype, lexical)
    for dtype, lexical in [("decimal", "1e3"), ("decimal", "NaN"), ("integer", "1.0"), ("date", "2023-02-29"),
                           ("dateTime", "2010-01-01"), ("boolean", "yes"), ("positiveInteger", "0")]:
        assert values.literal_problem(xsd + dtype, lexical), (dtype, lexical)


def test_pyshacl_agrees_the_literals_refused_are_ill_formed():
    """rdflib (pySHACL's parser) marks the same literals ill-formed (it is laxer on exponents in
    xsd:decimal, which XML Schema does not allow)."""
    rdflib = pytest.importorskip("rdflib")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for dtype, lexical in [("decimal", "1,5"), ("date", "2022-02-30"), ("date", "2022-13-01"),
                           ("integer", "ten")]:
        assert values.literal_problem(xsd + dtype, lexical)
        assert rdflib.Literal(lexical, datatype=rdflib.URIRef(xsd + dtype)).ill_typed, (dtype, lexical)


# ------------------------------------------------------------------ JSON formats

def _ob3(shared):
    return json.loads((shared / "realdata-examples/openbadges-3.0/basicOpenBadgeCredential.json").read_text())


@pytest.mark.parametrize("credits,words", [
    (True, ["$.credentialSubject.achievement.creditsAvailable", "true is not a number"]),
    ("ten", ["$.credentialSubject.achievement.creditsAvailable", "'ten' is not a number"]),
    ("1,5", ["creditsAvailable", "'1,5' is not a number"]),
    ({"value": 5}, ["creditsAvailable", "an object is not a number"]),
])
def test_ob3_refuses_non_numbers(tmp_path, run, shared, credits, words):
    doc = _ob3(shared)
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = credits
    p = tmp_path / "badge.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    refused(run, p, *words, framework="eu")


def test_ob3_refuses_nan_written_as_a_json_token(tmp_path, run, shared):
    doc = _ob3(shared)
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = 12345.5
    p = tmp_path / "badge.json"
    p.write_text(json.dumps(doc).replace("12345.5", "NaN"), encoding="utf-8")
    refused(run, p, "creditsAvailable", "nan is not a number", framework="eu")


def test_ob3_reads_numbers_exactly(tmp_path, run, shared):
    from mcmap.formats import read_file

    doc = _ob3(shared)
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = 0.1
    p = tmp_path / "badge.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    credits = [q.object for q in read_file(p) if q.predicate.value.endswith("#creditValue")]
    assert [c.value for c in credits] == ["0.1"]


def _ctdl_credential(shared):
    return json.loads((shared / "realdata-examples/ctdl/ingest-examples/Credential-1-graph.json").read_text())


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _ctdl_micro_credential(shared, cost, date, credits):
    """The real CTDL credential example restated as a micro-credential with a price (the real
    course example's CostProfile), an effective date and a credit value."""
    root = shared / "realdata-examples/ctdl/ingest-examples"
    doc = json.loads((root / "Credential-1-graph.json").read_text())
    course = json.loads((root / "Course-1a.json").read_text())
    node = next(n for n in doc["@graph"] if n.get("@type") == "ceterms:BachelorDegree")
    node["@type"] = "ceterms:MicroCredential"
    node["ceterms:estimatedCost"] = [{**course["ceterms:estimatedCost"][0], "ceterms:price": cost}]
    node["ceterms:dateEffective"] = date
    node["ceterms:creditValue"] = [{"@type": "ceterms:QuantitativeValue", "ceterms:value": credits}]
    return doc


@pytest.mark.parametrize("cost,date,credits,words", [
    ("ten", "2022-04-14", 5, ['["ceterms:estimatedCost"][0]["ceterms:price"]', "'ten' is not a number"]),
    (True, "2022-04-14", 5, ["ceterms:price", "true is not a number"]),
    (995.0, "2022-02-30", 5, ['["ceterms:dateEffective"]', "February 2022 has 28 days"]),
    (995.0, "2022-04-14", "NaN", ['["ceterms:value"]', "'NaN' is not a number"]),
])
def test_ctdl_refuses_ill_formed_values(tmp_path, run, shared, cost, date, credits, words):
    p = tmp_path / "ctdl.json"
    p.write_text(json.dumps(_ctdl_micro_credential(shared, cost, date, credits)), encoding="utf-8")
    err = refused(run, p, *words, framework="eu")
    assert '$["@graph"][' in err  # a JSON path


def test_ctdl_reads_the_well_formed_values(tmp_path, shared):
    from mcmap.formats import read_file

    p = tmp_path / "ctdl.json"
    p.write_text(json.dumps(_ctdl_micro_credential(shared, 995.5, "2022-04-14", 7.5)), encoding="utf-8")
    got = {q.predicate.value.rsplit("#", 1)[-1]: q.object.value for q in read_file(p)
           if q.predicate.value.startswith("https://w3id.org/mcmap/ns#")}
    assert (got["cost"], got["approvedOn"], got["creditValue"]) == ("995.5", "2022-04-14", "7.5")


def test_elm_refuses_a_credit_point_that_is_not_a_number(tmp_path, run, shared):
    doc = json.loads((shared / "realdata-examples/elm-v3/Sample-MC-Annex1-unsigned.jsonld").read_text())
    points = [n for n in _walk(doc) if "point" in n]
    assert points, "the real ELM example has a credit point"
    bad = copy.deepcopy(doc)
    [n for n in _walk(bad) if "point" in n][0]["point"] = "ten"
    p = tmp_path / "europass.jsonld"
    p.write_text(json.dumps(bad), encoding="utf-8")
    refused(run, p, "point", "'ten' is not a number", framework="eu")


def test_the_real_examples_still_read(shared):
    from mcmap.formats import read_file

    root = shared / "realdata-examples"
    files = [*root.glob("elm-v3/*.jsonld"), *root.glob("openbadges-3.0/*.json"), *root.glob("ctdl/*/*.json"),
             root / "elm-v3/credential-sample-turtle.ttl"]
    for f in files:
        if f.name == "edc-ap-context.jsonld":
            continue
        for q in read_file(f):
            if isinstance(q.object, ox.Literal):
                assert values.literal_problem(q.object.datatype.value, q.object.value) is None, (f, q)
