"""Every SHACL Core constraint component, target kind and path kind, checked against pySHACL.

Each case has data with both conforming and violating focus nodes, so a case fails if mcmap
reports too much, too little, or the wrong focus/path/value/shape/component/severity.
"""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from mcmap import namespaces as ns
from test_shacl_oracle import PREFIXES, compare, mcmap_results, pyshacl_results, store_with, stored_graph

EX = "http://example.org/"

PEOPLE = """
ex:Person rdfs:subClassOf ex:Agent . ex:Student rdfs:subClassOf ex:Person .
ex:alice a ex:Person ; ex:name "Alice" ; ex:age 30 ; ex:email "alice@example.org" ;
  ex:knows ex:bob ; ex:label "Alice"@en, "Alicia"@es ; ex:start 1 ; ex:end 5 ; ex:nick "Al" ; ex:alias "Al" .
ex:bob a ex:Student ; ex:name "Bob", "Robert" ; ex:age "old" ; ex:email "bob_at_example" ;
  ex:knows ex:carol, "carol" ; ex:label "Bob"@en, "Bobby"@EN ; ex:start 7 ; ex:end 3 ; ex:nick "B" ; ex:alias "Bobby" .
ex:carol a ex:Person ; ex:age 200 ; ex:size 3, "2OO"^^xsd:integer, "1.5"^^xsd:integer ; ex:born "2001-02-30"^^xsd:date, "2001-02-03"^^xsd:date ; ex:knows _:x ; ex:parent ex:dave .
ex:dave ex:parent ex:erin . ex:erin ex:name "Erin" .
_:x ex:name "Anon" .
"""

CASES = {
    # targets
    "targetNode": ("ex:S a sh:NodeShape ; sh:targetNode ex:alice, ex:zed ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .", 1),
    "targetClass-subclass": ("ex:S a sh:NodeShape ; sh:targetClass ex:Agent ; sh:property [ sh:path ex:name ; sh:maxCount 1 ] .", 1),
    "implicit-class": ("ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:email ; sh:minCount 1 ] .", 1),
    "targetSubjectsOf": ("ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:parent ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .", 2),
    "targetObjectsOf": ("ex:S a sh:NodeShape ; sh:targetObjectsOf ex:parent ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .", 1),
    "property-shape-target": ("ex:P a sh:PropertyShape ; sh:targetClass ex:Person ; sh:path ex:age ; sh:datatype xsd:integer .", 1),
    # paths
    "path-sequence": ("ex:S sh:targetNode ex:carol ; sh:property [ sh:path ( ex:parent ex:parent ) ; sh:class ex:Person ] .", 1),
    "path-alternative": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path [ sh:alternativePath ( ex:name ex:nick ) ] ; sh:maxLength 4 ] .", 2),
    "path-inverse": ("ex:S sh:targetNode ex:dave, ex:erin ; sh:property [ sh:path [ sh:inversePath ex:parent ] ; sh:nodeKind sh:BlankNode ] .", 2),
    "path-zeroOrMore": ("ex:S sh:targetNode ex:carol ; sh:property [ sh:path [ sh:zeroOrMorePath ex:parent ] ; sh:class ex:Person ] .", 2),
    "path-oneOrMore": ("ex:S sh:targetNode ex:carol ; sh:property [ sh:path [ sh:oneOrMorePath ex:parent ] ; sh:maxCount 1 ] .", 1),
    "path-zeroOrOne": ("ex:S sh:targetNode ex:carol, ex:dave ; sh:property [ sh:path [ sh:zeroOrOnePath ex:parent ] ; sh:nodeKind sh:Literal ] .", 4),
    "path-nested": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ( ex:knows [ sh:alternativePath ( ex:name [ sh:inversePath ex:knows ] ) ] ) ; sh:datatype xsd:string ] .", 3),
    # value type
    "class": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:class ex:Agent ] .", 2),
    "datatype": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] .", 1),
    "datatype-ill-typed": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:born ; sh:datatype xsd:date ] .", 1),
    "datatype-ill-typed-integer": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] .", 2),
    "datatype-langString": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:datatype rdf:langString ] .", 3),
    "nodeKind": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:nodeKind sh:IRI ] .", 2),
    # cardinality
    "minCount": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:minCount 2 ] .", 2),
    "maxCount": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:maxCount 1 ] .", 1),
    # ranges
    "minExclusive": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:minExclusive 30 ] .", 2),
    "minInclusive": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:minInclusive 31 ] .", 2),
    "maxExclusive": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:maxExclusive 200 ] .", 2),
    "maxInclusive": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:maxInclusive 199.5 ] .", 2),
    # strings
    "minLength": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:minLength 22 ] .", 2),
    "maxLength": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:maxLength 4 ] .", 2),
    "pattern": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:email ; sh:pattern \"^[^@]+@[^@]+$\" ] .", 1),
    "pattern-flags": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:pattern \"^rob\" ; sh:flags \"i\" ] .", 2),
    "languageIn": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:label ; sh:languageIn ( \"en\" ) ] .", 1),
    "uniqueLang": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:label ; sh:uniqueLang true ] .", 1),
    # property pairs
    "equals": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:nick ; sh:equals ex:alias ] .", 2),
    "disjoint": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:nick ; sh:disjoint ex:alias ] .", 1),
    "lessThan": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:start ; sh:lessThan ex:end ] .", 1),
    "lessThanOrEquals": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:nick ; sh:lessThanOrEquals ex:alias ] .", 0),
    "node-equals": ("ex:S sh:targetNode ex:alice ; sh:equals ex:knows .", 2),
    # logic and shapes
    "not": ("ex:S sh:targetClass ex:Person ; sh:not [ sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] ] .", 2),
    "and": ("ex:S sh:targetClass ex:Person ; sh:and ( [ sh:property [ sh:path ex:name ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:email ; sh:minCount 1 ] ] ) .", 1),
    "or": ("ex:S sh:targetClass ex:Person ; sh:or ( [ sh:path ex:age ; sh:maxCount 0 ] [ sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxInclusive 100 ] ] ) .", 2),
    "xone": ("ex:S sh:targetClass ex:Person ; sh:xone ( [ sh:property [ sh:path ex:name ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:email ; sh:minCount 1 ] ] ) .", 3),
    "node": ("ex:Named sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] .\n"
             "ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:node ex:Named ] .", 2),
    "node-nested-blank": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:node [ sh:property [ sh:path ex:knows ; sh:node [ sh:property [ sh:path ex:name ; sh:minCount 1 ] ] ] ] ] .", 1),
    "qualified-min": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMinCount 1 ] .", 1),
    "qualified-max": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:nodeKind sh:IRI ] ; sh:qualifiedMaxCount 0 ] .", 2),
    "qualified-disjoint": ("ex:S sh:targetClass ex:Person ; "
                           "sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:nodeKind sh:IRI ] ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] ;"
                           "sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMaxCount 0 ; sh:qualifiedValueShapesDisjoint true ] .", 3),
    # other
    "closed": ("ex:S sh:targetClass ex:Student ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path ex:name ] , [ sh:path ex:age ] .", 9),
    "hasValue": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:hasValue ex:bob ] .", 2),
    "node-hasValue": ("ex:S sh:targetClass ex:Person ; sh:hasValue ex:alice .", 2),
    "in": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:in ( 30 200 \"young\" ) ] .", 1),
    "node-in": ("ex:S sh:targetClass ex:Person ; sh:in ( ex:alice ex:bob ) .", 1),
    # shape-level settings
    "deactivated": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:deactivated true ] , [ sh:path ex:age ; sh:maxInclusive 100 ] .", 2),
    "severity-message": ("ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:severity sh:Warning ; sh:message \"age must be a whole number\"@en ] .", 1),
    "property-on-property": ("ex:S sh:targetNode ex:carol ; sh:property [ sh:path ex:parent ; sh:property [ sh:path ex:parent ; sh:property [ sh:path ex:name ; sh:minCount 2 ] ] ] .", 1),
    # SHACL-SPARQL
    "sparql-node": ("""ex:S sh:targetClass ex:Person ; sh:sparql [ sh:message "{$this} is older than {?age}" ;
      sh:select "SELECT $this ?age WHERE { $this <http://example.org/age> ?age . FILTER(isNumeric(?age) && ?age > 100) }" ] .""", 1),
    "sparql-property-path-value": ("""ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ;
      sh:sparql [ sh:prefixes ex:decl ; sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER NOT EXISTS { ?value ex:age ?a } }" ] ] .
      ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .""", 2),
    "sparql-nested": ("""ex:Old sh:sparql [ sh:prefixes ex:decl ; sh:select '''
        SELECT $this ?age WHERE { $this ex:age ?age . FILTER(isNumeric(?age) && ?age > 100 && REGEX("x?age", "age")) }''' ] .
      ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
      ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:not ex:Old ] , [ sh:path ex:parent ; sh:node ex:Old ] .""", 3),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_component_matches_pyshacl(name):
    shapes, expected = CASES[name]
    results = compare(shapes, PEOPLE)
    assert len(results) == expected, sorted(results, key=str)


def test_messages_and_severity_come_from_the_shape():
    shapes = Graph().parse(data=PREFIXES + CASES["severity-message"][0], format="turtle")
    data = Graph().parse(data=PREFIXES + PEOPLE, format="turtle")
    from mcmap.shacl import run
    report = run(store_with(data), shapes)
    (r,) = report.results
    assert r.severity == SH.Warning and [str(m) for m in r.messages] == ["age must be a whole number"]
    assert r.value.value == "old"


def test_sparql_message_is_templated():
    shapes = Graph().parse(data=PREFIXES + CASES["sparql-node"][0], format="turtle")
    data = Graph().parse(data=PREFIXES + PEOPLE, format="turtle")
    from mcmap.shacl import run
    (r,) = run(store_with(data), shapes).results
    assert [str(m) for m in r.messages] == ["http://example.org/carol is older than 200"]


def test_data_graphs_restricts_what_is_validated():
    """Like a remote store holding several graphs: only the named data graph is validated,
    while the ontology graph still supplies the class hierarchy when it is included."""
    shapes = Graph().parse(data=PREFIXES + CASES["targetClass-subclass"][0], format="turtle")
    ontology = Graph().parse(data=PREFIXES + "ex:Person rdfs:subClassOf ex:Agent . ex:Student rdfs:subClassOf ex:Person .", format="turtle")
    data = Graph().parse(data=PREFIXES + PEOPLE, format="turtle")
    store = store_with(data)
    other = store_with(ontology, ns.GRAPH_ONTOLOGY)
    store.add(other.quads())
    stray = Graph().parse(data=PREFIXES + 'ex:zoe a ex:Person ; ex:name "Z1", "Z2" .', format="turtle")
    store.add(store_with(stray, "http://example.org/other-graph").quads())
    only_data = mcmap_results(store, shapes, data_graphs=[ns.GRAPH_DATA])
    with_ontology = mcmap_results(store, shapes, data_graphs=[ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY])
    everything = mcmap_results(store, shapes)
    focus = lambda rs: {r[0] for r in rs}
    assert focus(only_data) == focus(with_ontology) == {URIRef(EX + "bob")}
    assert focus(everything) == {URIRef(EX + "bob"), URIRef(EX + "zoe")}
    assert with_ontology == pyshacl_results(stored_graph(store, ns.GRAPH_DATA) + stored_graph(store, ns.GRAPH_ONTOLOGY), shapes)


def test_report_graph_is_a_standard_validation_report():
    """The report graph carries what SHACL tools expect, with blank-node paths copied over."""
    from rdflib import Literal
    from rdflib.namespace import RDF

    from mcmap.shacl import run
    shapes = Graph().parse(data=PREFIXES + CASES["path-inverse"][0], format="turtle")
    data = Graph().parse(data=PREFIXES + PEOPLE, format="turtle")
    report = run(store_with(data), shapes)
    g = report.to_graph()
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms) == Literal(False)
    results = list(g.objects(node, SH.result))
    assert len(results) == len(report.results) == 2
    for r in results:
        path = g.value(r, SH.resultPath)
        assert g.value(path, SH.inversePath) == URIRef(EX + "parent")
        assert g.value(r, SH.resultSeverity) == SH.Violation
        assert g.value(r, SH.sourceConstraintComponent) == SH.NodeKindConstraintComponent
        assert g.value(r, SH.resultMessage) is not None
