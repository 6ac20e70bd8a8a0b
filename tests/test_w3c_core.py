"""The W3C SHACL Core test suite, run through `mcmap validate --shapes` as a user would: every
sht:Validate test's data and shapes through the real CLI, the Turtle report compared with the
suite's expected sh:ValidationReport (conformance and every result, duplicates included)."""
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from conftest import shared_dir

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"


def suite_root() -> Path | None:
    root = shared_dir()
    return root / "w3c-shacl-core" if root and (root / "w3c-shacl-core" / "manifest.ttl").is_file() else None


def collect(manifest: Path, seen=None) -> list:
    seen = seen if seen is not None else set()
    if manifest in seen:
        return []
    seen.add(manifest)
    g = Graph().parse(manifest, format="turtle")
    tests = []
    for inc in g.objects(None, URIRef(MF + "include")):
        tests += collect(Path(str(inc).removeprefix("file://")), seen)
    for entries in g.objects(None, URIRef(MF + "entries")):
        for t in Collection(g, entries):
            if (t, RDF.type, URIRef(SHT + "Validate")) not in g:
                continue
            action = g.value(t, URIRef(MF + "action"))
            data = Path(str(g.value(action, URIRef(SHT + "dataGraph"))).removeprefix("file://"))
            shapes = Path(str(g.value(action, URIRef(SHT + "shapesGraph"))).removeprefix("file://"))
            name = f"{manifest.parent.name}/{str(t).rsplit('/', 1)[-1]}"
            tests.append((name, data, shapes, manifest))
    return tests


ROOT = suite_root()
# Known gaps, each with its cause; strict, so a test that starts passing must be taken off.
KNOWN: dict[str, str] = {}
TESTS = [pytest.param(*t, marks=pytest.mark.xfail(reason=KNOWN[t[0]], strict=True)) if t[0] in KNOWN else t
         for t in (collect(ROOT / "manifest.ttl") if ROOT else [])]


NUMERIC = {XSD[t] for t in ("decimal", "integer", "double", "float", "int", "long", "short", "byte",
                              "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger")}


def describe(g: Graph, node, depth=0) -> str:
    """A node as text; a blank node by what hangs off it (a path expression, a list). Numbers
    compare by value and datatype: the store keeps them in canonical form ("4.0" as "4")."""
    if isinstance(node, Literal):
        text = str(node)
        if node.datatype in NUMERIC:
            try:
                text = str(Decimal(text.strip()).normalize())
            except InvalidOperation:
                pass
        return repr((text, node.datatype, node.language))
    if not isinstance(node, BNode):
        return node.n3()
    if depth > 6:
        return "_:"
    return "[" + ";".join(sorted(f"{p.n3()} {describe(g, o, depth + 1)}" for p, o in g.predicate_objects(node)
                                 if p != SH.message)) + "]"


def shape_key(g: Graph, node) -> str:
    # A blank-node shape is named by its path alone: what a report copies of it.
    if isinstance(node, BNode):
        return "shape" + describe(g, g.value(node, SH.path)) if g.value(node, SH.path) is not None else "_:shape"
    return node.n3()


def results(g: Graph, report) -> Counter:
    keys = Counter()
    for r in g.objects(report, SH.result):
        focus, value = g.value(r, SH.focusNode), g.value(r, SH.value)
        keys[(
            "_:" if isinstance(focus, BNode) else describe(g, focus),
            describe(g, g.value(r, SH.resultPath)) if g.value(r, SH.resultPath) is not None else None,
            None if value is None else "_:" if isinstance(value, BNode) else describe(g, value),
            shape_key(g, g.value(r, SH.sourceShape)),
            g.value(r, SH.sourceConstraintComponent), g.value(r, SH.resultSeverity),
        )] += 1
    return keys


@pytest.mark.skipif(ROOT is None, reason="the W3C SHACL Core suite (../shared/w3c-shacl-core) is not beside this checkout")
@pytest.mark.parametrize("name, data, shapes, manifest", TESTS)
def test_w3c_core(run, name, data, shapes, manifest):
    expected_graph = Graph().parse(manifest, format="turtle")
    test = next(t for t in expected_graph.subjects(RDF.type, URIRef(SHT + "Validate"))
                if str(t).rsplit("/", 1)[-1] == name.split("/", 1)[1])
    expected = expected_graph.value(test, URIRef(MF + "result"))
    # SHACL judges ill-formed literals itself (sh:datatype), so they are kept, not refused.
    result = run("validate", data, "--shapes", shapes, "-F", "ttl", "--input-format", "ttl", "--keep-ill-formed")
    assert result.exit_code in (0, 1), result.output
    got = Graph().parse(data=result.stdout, format="turtle")
    report = next(got.subjects(RDF.type, SH.ValidationReport))
    conforms = expected_graph.value(expected, SH.conforms).toPython()
    assert got.value(report, SH.conforms).toPython() == conforms
    assert results(got, report) == results(expected_graph, expected)
