"""The raw Oxigraph floor for the Core-shapes benchmark: what the same check costs with nothing
but Oxigraph. Load the N-Triples file, run one hand-written SPARQL query stating the same
constraints as core_data.SHAPES, write the rows with Oxigraph's own SPARQL JSON serialiser.

    python benchmarks/floor.py core-100k.nt -o floor.json [--store DIR]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
QUERY = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX ex: <http://example.org/bench/>
SELECT ?focus ?path ?component ?value WHERE {
  { ?focus a ex:Credential FILTER NOT EXISTS { ?focus dct:title ?t } BIND(dct:title AS ?path) BIND(sh:MinCountConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . FILTER EXISTS { ?focus dct:title ?a, ?b FILTER(?a != ?b) } BIND(dct:title AS ?path) BIND(sh:MaxCountConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . ?focus dct:title ?value FILTER(!isLiteral(?value) || DATATYPE(?value) != xsd:string)
          BIND(dct:title AS ?path) BIND(sh:DatatypeConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . FILTER NOT EXISTS { ?focus ex:hours ?h } BIND(ex:hours AS ?path) BIND(sh:MinCountConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . ?focus ex:hours ?value
          VALUES (?component ?ok) { (sh:DatatypeConstraintComponent 0) (sh:MinInclusiveConstraintComponent 1)
                                    (sh:MaxInclusiveConstraintComponent 2) }
          FILTER((?ok = 0 && (!isLiteral(?value) || DATATYPE(?value) != xsd:decimal))
                 || (?ok = 1 && !COALESCE(?value >= 1, false)) || (?ok = 2 && !COALESCE(?value <= 2000, false)))
          BIND(ex:hours AS ?path) }
  UNION { ?focus a ex:Credential . ?focus ex:level ?value FILTER(!COALESCE(?value IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10), false))
          BIND(ex:level AS ?path) BIND(sh:InConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . FILTER NOT EXISTS { ?focus ex:provider ?p } BIND(ex:provider AS ?path) BIND(sh:MinCountConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . ?focus ex:provider ?value FILTER(!isIRI(?value)) BIND(ex:provider AS ?path) BIND(sh:NodeKindConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . ?focus ex:code ?value FILTER(isBlank(?value) || !REGEX(STR(?value), "^[A-Z]{2}-[0-9]+$"))
          BIND(ex:code AS ?path) BIND(sh:PatternConstraintComponent AS ?component) }
  UNION { ?focus a ex:Credential . ?focus ex:approved ?value FILTER(!isLiteral(?value) || DATATYPE(?value) != xsd:date)
          BIND(ex:approved AS ?path) BIND(sh:DatatypeConstraintComponent AS ?component) }
}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--store", type=Path, help="a store folder, filled by the bulk loader")
    a = ap.parse_args()
    store = ox.Store(str(a.store)) if a.store else ox.Store()
    (store.bulk_load if a.store else store.load)(path=str(a.data), format=ox.RdfFormat.N_TRIPLES)
    result = store.query(QUERY)
    result.serialize(str(a.output), ox.QueryResultsFormat.JSON)
    print("floor done", file=sys.stderr)


if __name__ == "__main__":
    main()
