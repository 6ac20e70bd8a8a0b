"""Synthetic but realistic micro-credentials for benchmarks: a mix of Australian, New Zealand
and Samoan submissions (about 17 triples each) in mcmap's vocabulary, some with the mistakes
reviewers meet in practice (no title, credits out of range, a level from another framework,
missing outcomes, a provider without a regulator).

    python benchmarks/synth.py 100000 -o creds.nt       # N-Triples, deterministic for a seed

or from Python: `synth.write(path, n)` / `synth.lines(n)`.
"""
from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

MC = "https://w3id.org/mcmap/ns#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/mcmap/id/"
DATA = "https://w3id.org/mcmap/data/"

JURISDICTIONS = {
    # code: (level framework, credit system, regulators, hours per credit, credit range)
    "NZ": ("nzqcf", "nz", ["NZQA", "UNIVERSITIESNZ"], 10, (5, 40)),
    "AU": ("aqf", "au-hours", ["TEQSA", "ASQA"], 1, (20, 150)),
    "WS": ("sqf", "pqf", ["SQA"], 10, (2, 30)),
}
TOPICS = ["Te reo Māori for the workplace", "Cyber security essentials", "Solar PV installation",
          "Aged care fundamentals", "Data analytics with Python", "Sustainable fisheries",
          "Leadership for supervisors", "Tourism and hospitality service", "Welding inspection",
          "First aid in remote settings", "Digital marketing", "Agribusiness finance"]
OUTCOMES = ["Apply the core techniques safely", "Explain the regulatory context",
            "Evaluate work against industry standards", "Communicate results to stakeholders"]
MODES = ["online", "onsite", "blended"]
PROVIDERS = 500


def _iri(x: str) -> str:
    return f"<{x}>"


def _lit(x: str) -> str:
    return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typed(x, dt: str) -> str:
    return f'"{x}"^^<{XSD}{dt}>'


def provider_lines(rng: random.Random) -> Iterator[str]:
    for i in range(PROVIDERS):
        code = list(JURISDICTIONS)[i % 3]
        p = _iri(f"{DATA}provider/p{i}")
        yield f"{p} {_iri(RDF_TYPE)} {_iri(MC + 'Provider')} ."
        yield f"{p} {_iri(SCHEMA + 'name')} {_lit(f'Provider {i} ({code})')} ."
        if i % 50 != 7:  # a few providers state no regulator
            reg = rng.choice(JURISDICTIONS[code][2])
            yield f"{p} {_iri(MC + 'regulator')} {_iri(ID + 'regulator/' + reg)} ."


def credential_lines(i: int, rng: random.Random, invalid_rate: float) -> Iterator[str]:
    code = ("NZ", "AU", "WS")[i % 3]
    framework, system, _, hours_per_credit, (lo, hi) = JURISDICTIONS[code]
    c = _iri(f"{DATA}credential/{code}-{i:07d}")
    p = lambda pred: _iri(pred)  # noqa: E731
    bad = rng.random() < invalid_rate
    mistake = rng.randrange(6) if bad else -1
    yield f"{c} {p(RDF_TYPE)} {_iri(MC + 'MicroCredential')} ."
    yield f"{c} {p(DCT + 'identifier')} {_lit(f'{code}-{i:07d}')} ."
    if mistake != 0:
        yield f"{c} {p(DCT + 'title')} {_lit(rng.choice(TOPICS))} ."
    provider = rng.randrange(PROVIDERS // 3) * 3 + ("NZ", "AU", "WS").index(code)
    yield f"{c} {p(MC + 'provider')} {_iri(f'{DATA}provider/p{provider}')} ."
    yield f"{c} {p(MC + 'jurisdiction')} {_iri(ID + 'jurisdiction/' + code)} ."
    level_fw = "eqf" if mistake == 2 else framework
    yield f"{c} {p(MC + 'level')} {_iri(f'{ID}level/{level_fw}/{rng.randint(2, 8)}')} ."
    credits = rng.randint(lo, hi) if mistake != 1 else hi * 3
    if code != "AU" or rng.random() < 0.3:
        yield f"{c} {p(MC + 'creditValue')} {_typed(f'{credits}.0', 'decimal')} ."
        yield f"{c} {p(MC + 'creditSystem')} {_iri(ID + 'credit-system/' + system)} ."
    yield f"{c} {p(MC + 'volumeOfLearningHours')} {_typed(f'{credits * hours_per_credit}.0', 'decimal')} ."
    if mistake != 3:
        for o in rng.sample(OUTCOMES, 2):
            yield f"{c} {p(MC + 'learningOutcome')} {_lit(o)} ."
    yield f"{c} {p(MC + 'assessment')} {_lit('Practical assessment')} ."
    yield f"{c} {p(MC + 'deliveryMode')} {_iri(MC + rng.choice(MODES))} ."
    yield f"{c} {p(MC + 'approvedOn')} {_typed(f'2024-{rng.randint(1, 12):02d}-01', 'date')} ."
    if mistake != 4:
        yield f"{c} {p(MC + 'evidenceOfNeed')} {_lit('Letter of support from industry')} ."
    if mistake == 5:
        yield f"{c} {p(MC + 'cost')} {_lit('about five hundred')} ."
    else:
        yield f"{c} {p(MC + 'cost')} {_typed(f'{rng.randint(0, 2000)}.0', 'decimal')} ."
    yield f"{c} {p(MC + 'sourceFile')} {_lit('synthetic.nt')} ."
    yield f"{c} {p(MC + 'sourceRow')} {_typed(i + 2, 'integer')} ."


def lines(n: int, seed: int = 1, invalid_rate: float = 0.1) -> Iterator[str]:
    rng = random.Random(seed)
    yield from provider_lines(rng)
    for i in range(n):
        yield from credential_lines(i, rng, invalid_rate)


def write(path: str | Path, n: int, seed: int = 1, invalid_rate: float = 0.1) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for line in lines(n, seed, invalid_rate):
            out.write(line + "\n")
            count += 1
    return count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--invalid-rate", type=float, default=0.1)
    args = ap.parse_args()
    print(write(args.output, args.n, args.seed, args.invalid_rate), "triples")


if __name__ == "__main__":
    main()
