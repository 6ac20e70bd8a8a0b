"""Literals of integer-derived datatypes (xsd:byte, xsd:positiveInteger, ...), which the store
keeps as xsd:integer: `sh:datatype` judges them as written, with pySHACL (which keeps every
literal as written) as the referee, and the strict reader refuses one out of its range."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pyshacl
import pytest
import rdflib
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

DATA = PREFIXES + """
ex:a ex:byte "12"^^xsd:byte, "300"^^xsd:byte, "-129"^^xsd:byte, "55"^^xsd:integer, "c"^^xsd:byte,
             "+007"^^xsd:byte, "-128"^^xsd:byte ;
     ex:short "40000"^^xsd:short, "-5"^^xsd:short, "7"^^xsd:byte ;
     ex:int "2147483648"^^xsd:int, "1"^^xsd:int, "1"^^xsd:long, 4 ;
     ex:ubyte "256"^^xsd:unsignedByte, "0"^^xsd:unsignedByte, "-1"^^xsd:unsignedByte, "255"^^xsd:unsignedByte ;
     ex:positive "0"^^xsd:positiveInteger, "5"^^xsd:positiveInteger, "5"^^xsd:nonNegativeInteger ;
     ex:negative "-3"^^xsd:negativeInteger, "3"^^xsd:negativeInteger, "0"^^xsd:nonPositiveInteger ;
     ex:integer "12"^^xsd:byte, "0012"^^xsd:integer, "19"^^xsd:unsignedLong ;
     ex:either "1"^^xsd:byte, "70000"^^xsd:short, "2"^^xsd:integer, "3"^^xsd:unsignedShort .
ex:b ex:byte "5"^^xsd:byte ; ex:integer 5 ; ex:x "9"^^xsd:short, "9"^^xsd:int .
_:c ex:byte "99"^^xsd:byte, "-99"^^xsd:integer .
"""

SHAPES = PREFIXES + """
ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:b ; sh:targetSubjectsOf ex:byte ;
    sh:property [ sh:path ex:byte ; sh:datatype xsd:byte ] ,
        [ sh:path ex:short ; sh:datatype xsd:short ] ,
        [ sh:path ex:int ; sh:datatype xsd:int ] ,
        [ sh:path ex:ubyte ; sh:datatype xsd:unsignedByte ] ,
        [ sh:path ex:positive ; sh:datatype xsd:positiveInteger ] ,
        [ sh:path ex:negative ; sh:datatype xsd:negativeInteger ] ,
        [ sh:path ex:integer ; sh:datatype xsd:integer ] ,
        [ sh:path ex:either ; sh:or ( [ sh:datatype xsd:byte ] [ sh:datatype xsd:short ] ) ] ,
        [ sh:path [ sh:alternativePath ( ex:byte ex:nothing ) ] ; sh:datatype xsd:short ] .
ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:x ; sh:datatype xsd:short .
"""


def value_key(v):
    """A value as pySHACL and mcmap both report it: numbers by value and datatype (the store
    keeps "0012"^^xsd:integer as "12"), the rest as written."""
    if isinstance(v, Literal):
        try:
            return (format(Decimal(str(v)).normalize(), "f"), v.datatype)
        except InvalidOperation:
            return (str(v), v.datatype)
    return v


def results(g: Graph) -> list:
    report = g.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    out = []
    for r in g.objects(report, SH.result):
        focus = g.value(r, SH.focusNode)
        path = g.value(r, SH.resultPath)
        out.append(("_:" if isinstance(focus, rdflib.BNode) else focus,
                    path if isinstance(path, rdflib.URIRef) else "path",
                    value_key(g.value(r, SH.value)), g.value(r, SH.sourceConstraintComponent)))
    return sorted(out, key=repr)


def pyshacl_results(data_text: str) -> list:
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:  # pySHACL judges literals as written; rdflib would otherwise rewrite some
        data = Graph().parse(data=data_text, format="turtle")
        shapes = Graph().parse(data=SHAPES, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes)
    return results(report)


def mcmap_results(run, *args) -> list:
    got = run("validate", *args, "-F", "ttl")
    assert got.exit_code in (0, 1), got.output
    return results(Graph().parse(data=got.stdout, format="turtle"))


@pytest.fixture
def files(tmp_path):
    (tmp_path / "data.ttl").write_text(DATA)
    (tmp_path / "shapes.ttl").write_text(SHAPES)
    nt = Graph()
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        nt.parse(data=DATA, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    (tmp_path / "data.nt").write_text(nt.serialize(format="nt"))
    return tmp_path


def test_datatype_of_derived_integers_as_pyshacl(run, files):
    expected = pyshacl_results(DATA)
    got = mcmap_results(run, files / "data.ttl", "--shapes", files / "shapes.ttl", "--keep-ill-formed")
    assert got == expected
    # the referee's verdicts that matter here, so a change to both tools cannot pass unseen
    byte = rdflib.URIRef("http://example.org/byte")
    failing = {v for f, p, v, c in got if p == byte and c == SH.DatatypeConstraintComponent}
    xsd = rdflib.namespace.XSD
    assert ("300", xsd.byte) in failing and ("55", xsd.integer) in failing and ("-99", xsd.integer) in failing
    assert ("12", xsd.byte) not in failing and ("7", xsd.byte) not in failing


# Every literal valid for its datatype: what a store folder holds (its loads are strict).
VALID = PREFIXES + """
ex:a ex:byte "12"^^xsd:byte, "55"^^xsd:integer, "+007"^^xsd:byte, "-128"^^xsd:byte ;
     ex:short "-5"^^xsd:short, "7"^^xsd:byte ;
     ex:int "1"^^xsd:int, "1"^^xsd:long, 4 ;
     ex:ubyte "0"^^xsd:unsignedByte, "255"^^xsd:unsignedByte ;
     ex:positive "5"^^xsd:positiveInteger, "5"^^xsd:nonNegativeInteger ;
     ex:negative "-3"^^xsd:negativeInteger, "0"^^xsd:nonPositiveInteger ;
     ex:integer "12"^^xsd:byte, "0012"^^xsd:integer ;
     ex:either "1"^^xsd:byte, "2"^^xsd:integer, "3"^^xsd:unsignedShort .
_:c ex:byte "99"^^xsd:byte, "-99"^^xsd:integer .
"""


def test_the_same_from_n_triples_and_from_a_store_folder(run, files, tmp_path):
    expected = pyshacl_results(DATA)
    assert mcmap_results(run, files / "data.nt", "--shapes", files / "shapes.ttl", "--keep-ill-formed") == expected
    (tmp_path / "valid.ttl").write_text(VALID)
    store = tmp_path / "store"
    loaded = run("load", tmp_path / "valid.ttl", "--store", store)
    assert loaded.exit_code == 0, loaded.output
    expected = pyshacl_results(VALID)
    assert ("55", rdflib.namespace.XSD.integer) in {r[2] for r in expected}
    assert mcmap_results(run, "--store", store, "--shapes", files / "shapes.ttl") == expected


@pytest.mark.parametrize("text, line", [
    ('@prefix x: <http://www.w3.org/2001/XMLSchema#> .\n<http://example.org/a> <http://example.org/p>\n  "300"^^x:byte .\n', 3),
    ('<http://example.org/a> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
     '<http://example.org/a> <http://example.org/q> "-1"^^<http://www.w3.org/2001/XMLSchema#positiveInteger> .\n', 2),
])
def test_a_derived_integer_out_of_range_is_refused(run, tmp_path, text, line):
    path = tmp_path / ("data.ttl" if "@prefix" in text else "data.nt")
    path.write_text(text)
    (tmp_path / "shapes.ttl").write_text(SHAPES)
    got = run("validate", path, "--shapes", tmp_path / "shapes.ttl")
    assert got.exit_code == 2
    assert f"{path}:{line}" in got.output and "out of range" in got.output



@pytest.mark.parametrize("cut", [-100, 0, 1, 10, 13, 14, 200])
def test_a_file_read_in_windows_finds_a_datatype_named_across_a_window_end(run, tmp_path, monkeypatch, cut):
    """A large file's text is scanned for the retyped datatypes a window at a time (mapped, a
    whole file would count as memory): a name that crosses a window's end (`cut` of its bytes
    before it) is still found, and its literal still refused out of range."""
    from mcmap import written

    monkeypatch.setattr(written, "_WINDOW", 4096)
    path = tmp_path / "data.nt"
    filler = "<http://example.org/a> <http://example.org/q> \"x\" .\n"
    line = '<http://example.org/a> <http://example.org/p> "300"^^<http://www.w3.org/2001/XMLSchema#byte> .\n'
    start = 4096 - cut - line.index("XMLSchema#")  # where the line starts
    head = filler * (start // len(filler))
    head += "#" * (start - len(head) - 1) + "\n"  # a comment line fills the rest
    path.write_text(head + line + filler * 200)
    assert path.read_bytes().index(b"XMLSchema#byte") == 4096 - cut
    got = run("load", path, "--store", tmp_path / "store")
    assert got.exit_code == 2 and "out of range for xsd:byte" in got.output, got.output
