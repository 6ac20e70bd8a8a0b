"""The floor for `mcmap validate FILE -f au`: Oxigraph loads the same triples (the data as
N-Triples, and the ontology and reference data mcmap adds, also as N-Triples) into an in-memory
store, and one hand-written SPARQL query states every check of the AU rule set
(shapes/core.ttl, au.ttl, au-vet.ttl, the rules in force today), each as directly as the store
can answer it. Prints the number of findings per rule id as JSON, for comparison with mcmap's
report; the query builds no messages.

    python benchmarks/floor_au.py DATA.nt REFERENCE.nt [OUT.json] [--store DIR]

With --store the triples go into a new store folder DIR by Oxigraph's bulk loader and the query
runs there (the floor for `mcmap validate --store DIR`), after Oxigraph's `optimize` merges
the loader's files, as its documentation advises after a bulk load and as `mcmap load` does.
The load (with the merge) and query times go to standard error.
"""
import json
import sys
import time
from collections import Counter

import pyoxigraph as ox

QUERY = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX reg: <https://w3id.org/mcmap/id/regulator/>
SELECT ?rule ?this ?value WHERE {
  { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this dct:title ?x } BIND ("CORE-TITLE" AS ?rule) }
  UNION { ?this dct:title ?value, ?other
          FILTER (isLiteral(?value) && isLiteral(?other) && LANG(?value) = LANG(?other) && STR(?value) < STR(?other))
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("CORE-TITLE-LANG" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:jurisdiction ?x } BIND ("CORE-JUR" AS ?rule) }
  UNION { ?this mc:jurisdiction ?value FILTER (!isIRI(?value) || EXISTS { ?this mc:jurisdiction ?v2 FILTER (?v2 != ?value) })
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("CORE-JUR" AS ?rule) }
  UNION { { ?this mc:creditValue ?value } UNION { ?this mc:volumeOfLearningHours ?value }
          UNION { ?this mc:cost ?value } UNION { ?this mc:reviewPeriodYears ?value }
          FILTER (!isLiteral(?value) || !regex(str(?value), "^[+-]?([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)([eE][+-]?[0-9]+)?$"))
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("CORE-NUM" AS ?rule) }
  UNION { { ?this mc:creditValue ?value } UNION { ?this mc:volumeOfLearningHours ?value }
          UNION { ?this mc:cost ?value } UNION { ?this mc:reviewPeriodYears ?value }
          FILTER (isNumeric(?value) && ?value < 0)
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("CORE-NONNEG" AS ?rule) }
  UNION { ?this mc:level ?value FILTER NOT EXISTS { ?value skos:inScheme ?s }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("CORE-LEVEL" AS ?rule) }
  UNION { ?this mc:creditValue ?value FILTER NOT EXISTS { ?this mc:creditSystem ?x }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("CORE-CREDITSYS" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:volumeOfLearningHours ?x } BIND ("AU-DEF-2" AS ?rule) }
  UNION { ?this mc:volumeOfLearningHours ?value FILTER (isNumeric(?value) && ?value < 1)
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-DEF-2" AS ?rule) }
  UNION { ?this mc:volumeOfLearningHours ?value FILTER (isNumeric(?value) && ?value >= 600)
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-DEF-3" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:learningOutcome ?x } BIND ("AU-MS-1" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:assessment ?x } BIND ("AU-MS-2" AS ?rule) }
  UNION { ?this mc:provider ?provider . ?provider mc:regulator ?value
          FILTER NOT EXISTS { ?provider mc:regulator ?r FILTER (?r IN (reg:TEQSA, reg:ASQA)) }
          FILTER NOT EXISTS { ?this mc:qaStatement ?x }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-MS-5" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:provider ?p FILTER EXISTS { ?p mc:regulator ?r } }
          FILTER NOT EXISTS { ?this mc:qaStatement ?x } BIND ("AU-MS-5-REG" AS ?rule) }
  UNION { ?this mc:deliveryMode ?value FILTER (?value NOT IN (mc:online, mc:onsite, mc:blended))
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-MCS-DM" AS ?rule) }
  UNION { ?this mc:deliveryMode mc:onsite FILTER NOT EXISTS { ?this mc:location ?x }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-MCS-LOC" AS ?rule) }
  UNION { ?this mc:level ?value . ?value skos:inScheme ?scheme FILTER (?scheme != <https://w3id.org/mcmap/id/framework/aqf>)
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-AQF-L" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:provider ?x } BIND ("AU-CIR-PROVIDER" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:cost ?x } BIND ("AU-CIR-COST" AS ?rule) }
  UNION { ?this a mc:MicroCredential FILTER NOT EXISTS { ?this mc:creditRecognition ?x } BIND ("AU-CIR-CREDIT" AS ?rule) }
  UNION { ?this mc:kind ?value FILTER NOT EXISTS { ?value skos:inScheme mc:CredentialKinds }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-KIND" AS ?rule) }
  UNION { VALUES ?kind { mc:VetSkillSet mc:VetUnitOfCompetency } ?this mc:kind ?kind
          FILTER NOT EXISTS { ?this mc:nationalCode ?x }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-CODE" AS ?rule) }
  UNION { ?this mc:kind mc:VetSkillSet ; mc:nationalCode ?value FILTER (!REGEX(STR(?value), "^[A-Z]{3}SS[0-9]{5}$"))
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-CODE" AS ?rule) }
  UNION { { ?this mc:kind mc:VetUnitOfCompetency ; mc:nationalCode ?value } UNION { ?this mc:unitCode ?value }
          FILTER (!REGEX(STR(?value), "^[A-Z]{3}[A-Z0-9]{2,6}[0-9]{3}[A-Z]?$"))
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-CODE" AS ?rule) }
  UNION { VALUES ?kind { mc:VetSkillSet mc:VetUnitOfCompetency } ?this mc:kind ?kind ; mc:provider ?provider .
          ?provider mc:regulator ?value FILTER (?value NOT IN (reg:ASQA, reg:VRQA, reg:TAC))
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-RTO" AS ?rule) }
  UNION { VALUES ?kind { mc:VetSkillSet mc:VetUnitOfCompetency } ?this mc:kind ?kind
          FILTER NOT EXISTS { ?this mc:provider/mc:rtoCode ?x }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-RTO-CODE" AS ?rule) }
  UNION { VALUES ?kind { mc:VetSkillSet mc:VetUnitOfCompetency } ?this mc:kind ?kind ; mc:level ?value
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-LVL" AS ?rule) }
  UNION { VALUES ?kind { mc:VetSkillSet mc:VetUnitOfCompetency } ?this mc:kind ?kind ; mc:volumeOfLearningHours ?value
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-HOURS" AS ?rule) }
  UNION { { ?this mc:nationalCode ?value } UNION { ?this mc:unitCode ?value }
          FILTER NOT EXISTS { ?known mc:nationalCode ?value . { ?known a mc:SkillSet } UNION { ?known a mc:UnitOfCompetency } }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-REGISTER" AS ?rule) }
  UNION { ?this mc:nationalCode ?code ; mc:unitCode ?value . ?set a mc:SkillSet ; mc:nationalCode ?code .
          FILTER EXISTS { ?set mc:unitCode ?any } FILTER NOT EXISTS { ?set mc:unitCode ?value }
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-REF" AS ?rule) }
  UNION { { ?this mc:nationalCode ?value } UNION { ?this mc:unitCode ?value }
          ?known mc:nationalCode ?value ; mc:usageRecommendation ?usage .
          { ?known a mc:SkillSet } UNION { ?known a mc:UnitOfCompetency }
          FILTER (LCASE(STR(?usage)) != "current")
          FILTER EXISTS { ?this a mc:MicroCredential } BIND ("AU-VET-REF" AS ?rule) }
}
"""


def main() -> None:
    args = sys.argv[1:]
    folder = None
    if "--store" in args:
        at = args.index("--store")
        folder = args[at + 1]
        del args[at:at + 2]
    t0 = time.perf_counter()
    if folder is None:
        store = ox.Store()
        for path in args[:2]:
            store.load(path=path, format=ox.RdfFormat.N_TRIPLES)
    else:
        store = ox.Store(folder)
        for path in args[:2]:
            store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        merge = time.perf_counter()
        store.optimize()
        print(f"optimize {time.perf_counter() - merge:.1f} s", file=sys.stderr)
    t1 = time.perf_counter()
    counts = Counter(row[0].value for row in store.query(QUERY))
    t2 = time.perf_counter()
    print(f"load {t1 - t0:.1f} s, query {t2 - t1:.1f} s", file=sys.stderr)
    text = json.dumps(dict(sorted(counts.items())))
    if len(args) > 2:
        with open(args[2], "w", encoding="utf-8") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
