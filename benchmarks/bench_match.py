"""How long `mcmap match` takes to find the 3 best NZ matches of every AU credential.

    PYTHONPATH=. python benchmarks/bench_match.py [N]        (default N = 10000 per side)
    PYTHONPATH=. python benchmarks/bench_match.py --map [N]  (mcmap map of N AU credentials to NZ and WS)

Credentials are synthetic but shaped like real ones: a title of 3-5 words drawn from one of
80 subject areas, 2-5 learning outcomes of 6-10 words (verbs, area terms and common words),
a level and a volume. Matching time covers vectorising, blocking and scoring; generating the
credentials is not counted.
"""
from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcmap.mapping.match import match  # noqa: E402
from mcmap.mapping.records import Credential  # noqa: E402
from mcmap.namespaces import level_iri  # noqa: E402

VERBS = "apply analyse assess build calculate communicate configure demonstrate design develop document evaluate explain identify implement install interpret maintain manage monitor operate plan prepare present produce record repair report review select test use".split()
COMMON = "safely effectively workplace team client customer procedures standards requirements information records equipment tools systems practice problems tasks project data quality risk skills knowledge".split()
AREAS = [f"{a} {b}" for a, b in zip(
    "food welding carpentry plumbing electrical nursing aged disability childhood hospitality tourism retail "
    "accounting payroll marketing sales logistics warehousing forklift driving aviation maritime fisheries "
    "horticulture agriculture viticulture forestry mining drilling surveying construction roofing painting "
    "tiling glazing cabinetmaking automotive diesel motorcycle refrigeration solar wind battery networking "
    "cybersecurity cloud python database analytics spreadsheet design animation photography journalism "
    "translation reo samoan pacific counselling coaching leadership governance procurement contracts "
    "biosecurity laboratory pharmacy dental radiography first-aid firefighting security policing "
    "corrections teaching tutoring literacy numeracy languages music theatre fitness massage beauty".split(),
    "hygiene fabrication joinery drainage wiring care support services education service operations "
    "sales bookkeeping processing campaigns management operations dispatch handling licensing safety "
    "navigation harvesting production cropping cellar harvesting extraction blasting measurement sites "
    "installation finishing setting cutting assembly servicing engines repair systems installation "
    "turbines storage administration defence platforms programming administration reporting modelling "
    "fundamentals media storytelling reporting interpreting language culture studies practice skills "
    "development essentials frameworks sourcing law controls testing dispensing assisting imaging "
    "response suppression operations practice custody practice support foundations foundations skills "
    "production performance training therapy therapy".split())]


def synthetic(n: int, jurisdiction: str, framework: str, seed: int) -> list[Credential]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        area = rng.choice(AREAS)
        words = area.split()
        title = " ".join([rng.choice(["Introduction to", "Applied", "Advanced", "Foundations of", "Workplace"]), *words,
                          rng.choice(["skills", "practice", "basics", "for supervisors", "essentials"])])
        outcomes = []
        for _ in range(rng.randint(2, 5)):
            body = [rng.choice(VERBS), *rng.sample(words + COMMON, k=min(len(words + COMMON), rng.randint(5, 9)))]
            outcomes.append(" ".join(body))
        level = rng.randint(2, 7)
        hours = Decimal(rng.choice([5, 10, 20, 40, 50, 80, 100, 150, 200, 300, 400]))
        out.append(Credential(iri=f"https://example.org/{jurisdiction}/{i}", identifier=f"{jurisdiction}-{i}",
                              title=title, jurisdiction=jurisdiction, level=level_iri(framework, level),
                              hours=hours, outcomes=outcomes))
    return out


def bench_map(n: int) -> None:
    """Read N AU credentials from a CSV and map them to NZ and WS, eligibility included."""
    import csv
    import tempfile

    from mcmap.formats import read_files
    from mcmap.formats.tabular import COLUMNS
    from mcmap.mapping.crossmap import map_store
    from mcmap.store import LocalStore

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "au.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writeheader()
            for c in synthetic(n, "AU", "aqf", 3):
                w.writerow({"id": c.identifier, "title": c.title, "provider": "Harbour Training",
                            "provider_regulator": "ASQA", "jurisdiction": "AU", "level_framework": "AQF",
                            "level": c.level.rsplit("/", 1)[-1], "hours": str(c.hours),
                            "learning_outcomes": "|".join(c.outcomes), "assessment": "Practical",
                            "delivery_mode": "online", "status": "current", "language": "en"})
        store = LocalStore()
        t0 = time.perf_counter()
        store.add(read_files([path]))
        t1 = time.perf_counter()
        results = map_store(store, ["NZ", "WS"], as_of="2025-01-01")
        t2 = time.perf_counter()
    eligible = sum(1 for cm in results for t in cm.targets if t.eligible)
    print(f"map: {n} AU credentials to NZ and WS: read {t1 - t0:.1f} s, map with eligibility {t2 - t1:.1f} s "
          f"({eligible} of {2 * n} eligible)")


def main() -> None:
    if sys.argv[1:2] == ["--map"]:
        bench_map(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    au = synthetic(n, "AU", "aqf", 1)
    nz = synthetic(n, "NZ", "nzqcf", 2)
    t0 = time.perf_counter()
    found = match(au, nz, top=3)
    elapsed = time.perf_counter() - t0
    print(f"match: {n} AU x {n} NZ credentials, top 3 each: {len(found)} matches in {elapsed:.1f} s")
    print(f"example: {found[0].source.title!r} -> {found[0].target.title!r}: {found[0].explain()}")


if __name__ == "__main__":
    main()
