"""Plain SHACL Core benchmark data: credentials of about 12 triples each, a few percent of them
breaking one rule, and shapes that use only SHACL Core (no SHACL-SPARQL, no ontology).

    python benchmarks/core_data.py 100000 -o core-100k.nt     # also writes core-shapes.ttl beside it

Deterministic for a seed. The shapes (SHAPES below) and the floor's hand-written query
(floor.py) state the same nine constraints.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

EX = "http://example.org/bench/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

SHAPES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <{XSD}> .
@prefix dct: <{DCT}> .
@prefix ex: <{EX}> .

ex:CredentialShape a sh:NodeShape ;
    sh:targetClass ex:Credential ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ,
        [ sh:path ex:hours ; sh:minCount 1 ; sh:datatype xsd:decimal ; sh:minInclusive 1 ; sh:maxInclusive 2000 ] ,
        [ sh:path ex:level ; sh:in ( 1 2 3 4 5 6 7 8 9 10 ) ] ,
        [ sh:path ex:provider ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ,
        [ sh:path ex:code ; sh:pattern "^[A-Z]{{2}}-[0-9]+$" ] ,
        [ sh:path ex:approved ; sh:datatype xsd:date ] .
"""

LEVELS = list(range(1, 11))


def lines(n: int, seed: int = 7):
    rnd = random.Random(seed)
    for i in range(n):
        c = f"<{EX}c/{i}>"
        bad = rnd.random() < 0.04
        kind = rnd.randrange(6) if bad else -1
        out = [f"{c} <{TYPE}> <{EX}Credential> ."]
        if kind != 0:
            out.append(f'{c} <{DCT}title> "Credential number {i}" .')
        out.append(f'{c} <{DCT}description> "A short course in topic {i % 997}" .')
        hours = rnd.randrange(5, 600) if kind != 1 else 5000
        out.append(f'{c} <{EX}hours> "{hours}"^^<{XSD}decimal> .')
        level = rnd.choice(LEVELS) if kind != 2 else 12
        out.append(f'{c} <{EX}level> "{level}"^^<{XSD}integer> .')
        if kind != 3:
            out.append(f"{c} <{EX}provider> <{EX}p/{i % 500}> .")
        code = f"AU-{i}" if kind != 4 else f"au {i}"
        out.append(f'{c} <{EX}code> "{code}" .')
        day = 1 + i % 28
        approved = f'"2024-03-{day:02d}"^^<{XSD}date>' if kind != 5 else f'"2024-03-{day:02d}"'
        out.append(f"{c} <{EX}approved> {approved} .")
        out.append(f'{c} <{EX}language> "en" .')
        out.append(f'{c} <{EX}mode> <{EX}mode/{("online", "onsite", "blended")[i % 3]}> .')
        out.append(f'{c} <{EX}credits> "{rnd.randrange(1, 40)}"^^<{XSD}integer> .')
        out.append(f'{c} <{EX}status> "current" .')
        yield "\n".join(out) + "\n"


def write(path: Path, n: int, seed: int = 7) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for chunk in lines(n, seed):
            f.write(chunk)
    (path.parent / "core-shapes.ttl").write_text(SHAPES, encoding="utf-8")
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    write(a.output, a.n, a.seed)
