"""A provider submission CSV at scale, through the CLI: `mcmap validate big.csv -f au` and
`mcmap load big.csv --store DIR`, and `mcmap load big.csv` (the same reading into memory as
validate does, without the rules), beside the floor for the same triples (Oxigraph loading the
N-Triples mcmap's CSV reader makes of the file, in memory and into a store folder). The floor
for `validate` also runs one hand-written query for the AU rules (floor_au.py), and its
findings per rule are checked against mcmap's report.

Every command runs in its own process under /usr/bin/time (wall time, peak resident memory).

    PYTHONPATH=. python benchmarks/bench_csv.py --rows 100000
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_core import timed  # noqa: E402

HEADER = ["id", "title", "provider", "provider_regulator", "jurisdiction", "level_framework", "level",
          "hours", "learning_outcomes", "assessment", "delivery_mode", "cost", "currency", "status",
          "approved_on", "language", "url"]
FLOOR = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2]) if len(sys.argv) > 2 else ox.Store()
graph = {"to_graph": ox.NamedNode(sys.argv[3])} if len(sys.argv) > 3 else {}
(store.bulk_load if len(sys.argv) > 2 else store.load)(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES, **graph)
"""


def write_csv(path: Path, rows: int, seed: int = 11) -> None:
    rnd = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            bad = rnd.random() < 0.05
            w.writerow([f"AU-{i:06d}", f"Short course {i}" if not (bad and i % 2) else "",
                        f"Provider {i % 400}", rnd.choice(["TEQSA", "ASQA"]), "AU", "AQF", rnd.randrange(1, 11),
                        rnd.randrange(1, 600) if not bad else 2000,
                        "Apply the skill|Explain the idea", "Portfolio|Quiz",
                        rnd.choice(["online", "onsite", "blended"]), rnd.randrange(0, 3000), "AUD",
                        "current", f"2024-0{1 + i % 9}-1{i % 10}", "en", f"https://example.edu.au/c/{i}"])


def write_reference(path: Path) -> None:
    """The ontology and reference data mcmap adds to every store, as N-Triples for the floor."""
    import pyoxigraph as ox

    from mcmap import namespaces as ns
    from mcmap.ontology import ensure_ontology
    from mcmap.store import LocalStore
    store = LocalStore()
    ensure_ontology(store)
    with open(path, "wb") as f:
        ox.serialize((q.triple for g in (ns.GRAPH_ONTOLOGY, ns.GRAPH_REFERENCE)
                      for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(g))), f, ox.RdfFormat.N_TRIPLES)


def findings_per_rule(report: Path) -> dict:
    doc = json.loads(report.read_text())
    return dict(sorted(Counter(f["rule_id"] for c in doc["credentials"] for f in c["findings"]).items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--work", type=Path, default=None)
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="mcmap-csv-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"au-{a.rows}.csv"
    write_csv(data, a.rows)
    # The same triples as N-Triples, for the floor (made once, not timed).
    import pyoxigraph as ox

    from mcmap.formats import open_file
    nt = work / f"au-{a.rows}.nt"
    with open(nt, "wb") as f:
        ox.serialize((q.triple for q in open_file(data)), f, ox.RdfFormat.N_TRIPLES)
    triples = sum(1 for _ in open(nt, encoding="utf-8"))
    reference = work / "reference.nt"
    write_reference(reference)
    floor = work / "floor.py"
    floor.write_text(FLOOR)
    print("| rows | triples | command | s | peak MiB | x floor time | x floor memory |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    ft, fm, _ = timed([sys.executable, str(floor), str(nt)])
    print(f"| {a.rows:,} | {triples:,} | floor: Oxigraph load in memory | {ft:.1f} | {fm} | 1.0 | 1.0 |", flush=True)
    # `load` without --store reads the file into memory as `validate` does, and stops there:
    # validate's time less this is the rules' and the report's.
    t, m, code = timed([sys.executable, "-m", "mcmap", "load", str(data)])
    assert code == 0, code
    print(f"| {a.rows:,} | {triples:,} | mcmap load (in memory: validate's reading) | {t:.1f} | {m} | {t / ft:.2f} | {m / fm:.2f} |", flush=True)
    t, m, code = timed([sys.executable, "-m", "mcmap", "validate", str(data), "-f", "au", "-F", "json",
                        "-o", str(work / "report.json")])
    print(f"| {a.rows:,} | {triples:,} | mcmap validate -f au -F json | {t:.1f} | {m} | {t / ft:.2f} | {m / fm:.2f} |", flush=True)
    # The floor for validate: the same load, and one hand-written query for the AU rules.
    qt, qm, code = timed([sys.executable, str(HERE / "floor_au.py"), str(nt), str(reference), str(work / "floor-au.json")])
    assert code == 0, code
    same = json.loads((work / "floor-au.json").read_text()) == findings_per_rule(work / "report.json")
    print(f"| {a.rows:,} | {triples:,} | floor: Oxigraph load + one query for the AU rules | {qt:.1f} | {qm} | 1.0 | 1.0 |", flush=True)
    print(f"| {a.rows:,} | {triples:,} | mcmap validate -f au -F json, against that floor | {t:.1f} | {m} | {t / qt:.2f} | {m / qm:.2f} |"
          f" findings per rule {'the same' if same else 'DIFFER'}", flush=True)
    shutil.rmtree(work / "floor-store", ignore_errors=True)
    fst, fsm, _ = timed([sys.executable, str(floor), str(nt), str(work / "floor-store")])
    print(f"| {a.rows:,} | {triples:,} | floor: Oxigraph bulk load into a folder | {fst:.1f} | {fsm} | 1.0 | 1.0 |", flush=True)
    # A store folder keeps users' triples in mcmap's data graph, a named graph: Oxigraph then
    # writes six indexes per triple where the default graph needs three.
    from mcmap import namespaces as ns
    shutil.rmtree(work / "floor-store", ignore_errors=True)
    fgt, fgm, _ = timed([sys.executable, str(floor), str(nt), str(work / "floor-store"), ns.GRAPH_DATA])
    print(f"| {a.rows:,} | {triples:,} | floor: Oxigraph bulk load into a folder, in a named graph | {fgt:.1f} | {fgm} | "
          f"{fgt / fst:.2f} | {fgm / fsm:.2f} |", flush=True)
    shutil.rmtree(work / "store", ignore_errors=True)
    t, m, code = timed([sys.executable, "-m", "mcmap", "load", str(data), "--store", str(work / "store")])
    assert code == 0, code
    print(f"| {a.rows:,} | {triples:,} | mcmap load --store | {t:.1f} | {m} | {t / fst:.2f} | {m / fsm:.2f} |"
          f" {t / fgt:.2f}x the named-graph floor", flush=True)


if __name__ == "__main__":
    main()
