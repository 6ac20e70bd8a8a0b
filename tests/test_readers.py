"""Every reader: what it reads, and what it refuses (one line naming file and place)."""
import pyoxigraph as ox
import pytest

from mcmap import namespaces as ns
from mcmap.errors import InputError
from mcmap.formats import read_file
from mcmap.formats.tabular import COLUMNS

HEADER = ",".join(COLUMNS)
MC = ns.MC


def row(**cells):
    return ",".join(f'"{cells.get(c, "")}"' for c in COLUMNS)


def csv_file(tmp_path, *rows, header=HEADER, name="sub.csv"):
    p = tmp_path / name
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def values(quads, subject, prop):
    return sorted(q.object.value for q in quads if q.subject.value.endswith(subject) and q.predicate.value == prop)


def test_csv_row_maps_to_the_core_vocabulary(tmp_path):
    p = csv_file(tmp_path, row(id="NZ-1", title="Te reo Māori at work", provider="Ara Institute",
                               provider_regulator="NZQA", jurisdiction="NZ", level_framework="NZQCF",
                               level="4", credits="15", credit_system="NZ", hours="150",
                               learning_outcomes="Greet in te reo|Use workplace phrases",
                               delivery_mode="Online", approved_on="2024-03-01", nzsced="091701"))
    quads = read_file(p)
    s = "credential/NZ-1"
    assert values(quads, s, ns.DCT + "title") == ["Te reo Māori at work"]
    assert values(quads, s, MC + "level") == [ns.level_iri("nzqcf", 4)]
    assert values(quads, s, MC + "creditValue") == ["15"]
    assert values(quads, s, MC + "volumeOfLearningHours") == ["150"]
    assert values(quads, s, MC + "learningOutcome") == ["Greet in te reo", "Use workplace phrases"]
    assert values(quads, s, MC + "deliveryMode") == [MC + "online"]
    assert values(quads, s, MC + "nzscedCode") == ["091701"]  # leading zero kept
    assert values(quads, s, MC + "sourceRow") == ["2"]
    assert values(quads, s, MC + "sourceFile") == [str(p)]
    assert values(quads, "provider/ara-institute", MC + "regulator") == [ns.regulator_iri("NZQA")]
    assert all(q.graph_name == ox.NamedNode(ns.GRAPH_DATA) for q in quads)


def test_csv_blank_cells_add_nothing_and_sqf_roman_levels_read(tmp_path):
    p = csv_file(tmp_path, row(id="WS-1", title="Solar basics", jurisdiction="WS", level_framework="SQF", level="VII"))
    quads = read_file(p)
    assert values(quads, "credential/WS-1", MC + "level") == [ns.level_iri("sqf", 7)]
    assert values(quads, "credential/WS-1", MC + "creditValue") == []


def test_csv_keeps_out_of_vocabulary_values_for_validation(tmp_path):
    p = csv_file(tmp_path, row(id="A", title="t", delivery_mode="carrier pigeon", level_framework="AQF", level="11"))
    quads = read_file(p)
    assert values(quads, "credential/A", MC + "deliveryMode") == ["carrier pigeon"]
    assert values(quads, "credential/A", MC + "level") == [ns.level_iri("aqf", 11)]


@pytest.mark.parametrize("cells, column, words", [
    ({"credits": "fifteen"}, "credits", "'fifteen' is not a number"),
    ({"hours": "10h"}, "hours", "not a number"),
    ({"level_framework": "AQF", "level": "five"}, "level", "not a whole number"),
    ({"level": "5"}, "level", "without a level_framework"),
    ({"approved_on": "01/03/2024"}, "approved_on", "YYYY-MM-DD"),
    ({"provider": "X", "provider_regulator": "ACME"}, "provider_regulator", "unknown regulator"),
    ({"jurisdiction": "Atlantis"}, "jurisdiction", "ISO 3166"),
    ({"credit_system": "CATS"}, "credit_system", "unknown credit system"),
    ({"review_period_years": "two"}, "review_period_years", "not a whole number"),
])
def test_csv_unreadable_value_names_row_and_column(tmp_path, cells, column, words):
    p = csv_file(tmp_path, row(id="ok", title="fine"), row(id="bad", title="t", **cells))
    with pytest.raises(InputError) as e:
        read_file(p)
    assert e.value.row == 3 and e.value.column == column
    assert words in str(e.value) and str(p) in str(e.value)


def test_csv_unknown_column_duplicate_id_and_ragged_row(tmp_path):
    with pytest.raises(InputError, match=r"row 1, column 'colour': unknown column"):
        read_file(csv_file(tmp_path, "x,y", header="id,colour"))
    with pytest.raises(InputError, match=r"row 3, column 'id': duplicate id 'A' \(first at row 2\)"):
        read_file(csv_file(tmp_path, "A,one", "A,two", header="id,title"))
    with pytest.raises(InputError, match=r"row 2: has 3 cells; the header has 2"):
        read_file(csv_file(tmp_path, "A,one,extra", header="id,title"))
    assert read_file(csv_file(tmp_path, header="id,title")) == []  # the blank template is an empty submission


@pytest.mark.parametrize("content, words", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"id,title\nA,caf\xe9\n", "not UTF-8"),
])
def test_unusable_files(tmp_path, content, words):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=words):
        read_file(p)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.ttl")
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    with pytest.raises(InputError, match="cannot tell the format"):
        read_file(odd)


TURTLE = """@prefix mc: <https://w3id.org/mcmap/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/> .

ex:c1 a mc:MicroCredential ;
    dct:title "Welding safety" ;
    mc:volumeOfLearningHours 12 ;
    mc:provider [ a mc:Provider ; mc:regulator <https://w3id.org/mcmap/id/regulator/ASQA> ] .

<https://example.org/c2> a mc:MicroCredential ; dct:title "Second" .
"""


def test_turtle_lands_in_data_graph_with_source_lines(tmp_path):
    p = tmp_path / "sub.ttl"
    p.write_text(TURTLE)
    quads = read_file(p)
    assert values(quads, "example.org/c1", MC + "sourceLine") == ["5"]
    assert values(quads, "example.org/c2", MC + "sourceLine") == ["10"]
    assert {q.graph_name for q in quads} == {ox.NamedNode(ns.GRAPH_DATA)}


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text("_:x <http://e/p> 1 .")
    b.write_text("_:x <http://e/p> 2 .")
    assert read_file(a)[0].subject != read_file(b)[0].subject


@pytest.mark.parametrize("name, text, line", [
    ("bad.ttl", "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", 3),
    ("bad.nt", "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n", 2),
    ("bad.trig", "<http://e/g> { <http://e/a> <http://e/b> }\n", 1),
    ("bad.jsonld", '{\n  "@id": "http://e/a",\n  "http://e/b": \n}\n', 4),
])
def test_malformed_rdf_names_the_line(tmp_path, name, text, line):
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(InputError) as e:
        read_file(p)
    assert e.value.line == line, str(e.value)
    assert str(e.value).startswith(f"{p}:{line}: ")


def test_rdfxml_reads_and_refuses_entities(tmp_path):
    good = tmp_path / "g.rdf"
    good.write_text('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="http://e/a">'
                    '<dct:title>A</dct:title></rdf:Description></rdf:RDF>')
    assert values(read_file(good), "e/a", ns.DCT + "title") == ["A"]
    evil = tmp_path / "xxe.rdf"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    with pytest.raises(InputError, match="refused"):
        read_file(evil)


def test_nquads_keep_their_graphs(tmp_path):
    p = tmp_path / "d.nq"
    p.write_text("<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n<http://e/a> <http://e/b> <http://e/d> .\n")
    graphs = {q.graph_name.value for q in read_file(p)}
    assert graphs == {"http://e/g", ns.GRAPH_DATA}


def test_jsonld_with_inline_context_and_source_line(tmp_path):
    p = tmp_path / "c.jsonld"
    p.write_text('{\n "@context": {"mc": "https://w3id.org/mcmap/ns#", "title": "http://purl.org/dc/terms/title"},\n'
                 ' "@id": "https://example.org/c9",\n "@type": "mc:MicroCredential",\n "title": "Nine"\n}\n')
    quads = read_file(p)
    assert values(quads, "example.org/c9", ns.DCT + "title") == ["Nine"]
    assert values(quads, "example.org/c9", MC + "sourceLine") == ["3"]


def test_jsonld_unknown_remote_context_is_refused(tmp_path):
    p = tmp_path / "r.jsonld"
    p.write_text('{"@context": "https://contexts.example.org/unknown.jsonld", "@id": "http://e/a", "name": "x"}')
    with pytest.raises(InputError, match=r"unknown remote JSON-LD context .*unknown\.jsonld"):
        read_file(p)


def test_compacted_jsonld_ids_get_their_lines(tmp_path):
    p = tmp_path / "c.jsonld"
    p.write_text('{\n "@context": {"mc": "https://w3id.org/mcmap/ns#", "ex": "https://example.org/"},\n'
                 ' "@graph": [\n  {"@id": "ex:a", "@type": "mc:MicroCredential"},\n'
                 '  {"@id": "ex:b", "@type": "mc:MicroCredential"}\n ]\n}\n')
    quads = read_file(p)
    assert values(quads, "example.org/a", MC + "sourceLine") == ["4"]
    assert values(quads, "example.org/b", MC + "sourceLine") == ["5"]
