"""Validation benchmark: mcmap (SHACL compiled to SPARQL in embedded Oxigraph) against pySHACL
(rdflib in-memory graph), on the same synthetic credentials and the same shapes.

Each measurement runs in its own process so peak memory (ru_maxrss) belongs to one tool and
one size. Both tools read the same N-Triples file, validate it against one framework's rules as
`mcmap validate --framework F` would (rules in force today, core rules included), and write
their result sets so the parent can check they agree.

    PYTHONPATH=. python benchmarks/bench_validate.py --sizes 10000 100000 --mcmap-only 1000000
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _shapes(framework: str, shapes_file: str | None):
    import datetime as dt

    from mcmap.validate import apply_dates, load_shapes
    shapes, _ = load_shapes(None if shapes_file else framework, shapes_file)
    apply_dates(shapes, dt.date.today())
    return shapes


def _describe(g, node, depth=0):
    from rdflib import BNode
    if not isinstance(node, BNode) or depth > 5:
        return str(node)
    return "[" + ";".join(sorted(f"{p} {_describe(g, o, depth + 1)}" for p, o in g.predicate_objects(node))) + "]"


def _value(v) -> str:
    # Oxigraph stores literals in canonical form ("150.0"^^xsd:decimal as "150"): compare values
    # as the store holds them.
    from mcmap.shacl.terms import canonical
    return "" if v is None else (canonical(v) or v).n3()


def _keys(shapes, rows) -> list[str]:
    return sorted({"|".join([str(f), _describe(shapes, p), _value(v), _describe(shapes, s), str(c), str(sev)])
                   for f, p, v, s, c, sev in rows})


def _rss() -> int:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def worker_mcmap(data: str, framework: str, shapes_file: str | None, out: str) -> dict:
    import pyoxigraph as ox

    from mcmap import namespaces as ns
    from mcmap import shacl
    from mcmap.ontology import ensure_ontology
    from mcmap.store import LocalStore
    shapes = _shapes(framework, shapes_file)
    t0 = time.perf_counter()
    store = LocalStore()
    ensure_ontology(store)
    graph = ox.NamedNode(ns.GRAPH_DATA)
    store.add(ox.Quad(t.subject, t.predicate, t.object, graph)
              for t in ox.parse(path=data, format=ox.RdfFormat.N_TRIPLES))
    t1 = time.perf_counter()
    rss_loaded = _rss()
    report = shacl.run(store, shapes, data_graphs=[ns.GRAPH_DATA, ns.GRAPH_ONTOLOGY])
    t2 = time.perf_counter()
    rss_validated = _rss()  # peak so far: before the benchmark's own result comparison
    from mcmap.shacl.terms import to_rdflib  # results hold the store's own terms
    keys = _keys(shapes, (tuple(to_rdflib(t) for t in r.key()) for r in report.results))
    Path(out).write_text("\n".join(keys))
    return {"load_s": t1 - t0, "validate_s": t2 - t1, "results": len(keys),
            "rss_after_load_mib": rss_loaded, "rss_after_validate_mib": rss_validated}


def worker_pyshacl(data: str, framework: str, shapes_file: str | None, out: str) -> dict:
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from mcmap.resources import ontology_files
    shapes = _shapes(framework, shapes_file)
    t0 = time.perf_counter()
    g = Graph()
    g.parse(data, format="nt")
    for f in ontology_files():
        g.parse(f, format="turtle")
    t1 = time.perf_counter()
    rss_loaded = _rss()
    _, rg, _ = pyshacl.validate(g, shacl_graph=shapes, advanced=True)
    t2 = time.perf_counter()
    rss_validated = _rss()
    report = rg.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    rows = [(rg.value(r, SH.focusNode), rg.value(r, SH.resultPath), rg.value(r, SH.value),
             rg.value(r, SH.sourceShape), rg.value(r, SH.sourceConstraintComponent),
             rg.value(r, SH.resultSeverity)) for r in rg.objects(report, SH.result)]
    keys = _keys(shapes, rows)
    Path(out).write_text("\n".join(keys))
    return {"load_s": t1 - t0, "validate_s": t2 - t1, "results": len(keys),
            "rss_after_load_mib": rss_loaded, "rss_after_validate_mib": rss_validated}


def run_worker(tool: str, data: str, args, timeout: float | None) -> dict:
    out = tempfile.NamedTemporaryFile(suffix=f".{tool}.keys", delete=False).name
    cmd = [sys.executable, __file__, "--worker", tool, "--data", data, "--framework", args.framework,
           "--out", out] + (["--shapes", args.shapes] if args.shapes else [])
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    except subprocess.TimeoutExpired:
        Path(out).unlink(missing_ok=True)
        return {"tool": tool, "timeout_s": timeout, "wall_s": time.perf_counter() - start}
    if proc.returncode != 0:
        Path(out).unlink(missing_ok=True)
        return {"tool": tool, "error": proc.stderr.strip().splitlines()[-1:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    keys = Path(out).read_text()
    result.update(tool=tool, keys_sha256=hashlib.sha256(keys.encode()).hexdigest()[:16], keys_file=out)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000, 100000])
    ap.add_argument("--mcmap-only", type=int, nargs="*", default=[])
    ap.add_argument("--framework", default="au")
    ap.add_argument("--shapes", help="a SHACL file instead of a framework's rules")
    ap.add_argument("--pyshacl-timeout", type=float, default=1800)
    ap.add_argument("--worker"), ap.add_argument("--data"), ap.add_argument("--out")
    args = ap.parse_args()
    if args.worker:
        fn = {"mcmap": worker_mcmap, "pyshacl": worker_pyshacl}[args.worker]
        result = fn(args.data, args.framework, args.shapes, args.out)
        result["peak_rss_mib"] = _rss()
        print(json.dumps(result))
        return
    import synth
    plan = [(n, ("mcmap", "pyshacl")) for n in args.sizes] + [(n, ("mcmap",)) for n in args.mcmap_only]
    for n, tools in plan:
        data = Path(tempfile.gettempdir()) / f"mcmap-bench-{n}.nt"
        if not data.exists():
            triples = synth.write(data, n)
            print(f"# {n} credentials: {triples} triples in {data}", flush=True)
        row = {"credentials": n}
        for tool in tools:
            row[tool] = run_worker(tool, str(data), args, args.pyshacl_timeout if tool == "pyshacl" else None)
            print(json.dumps({"credentials": n, **row[tool]}), flush=True)
        m, p = row.get("mcmap", {}), row.get("pyshacl", {})
        same = None
        if "validate_s" in m and "validate_s" in p:
            same = m["keys_sha256"] == p["keys_sha256"]
            total_m, total_p = m["load_s"] + m["validate_s"], p["load_s"] + p["validate_s"]
            print(json.dumps({"credentials": n, "same_results": same,
                              "speedup_validate": round(p["validate_s"] / m["validate_s"], 1),
                              "speedup_load_plus_validate": round(total_p / total_m, 1)}), flush=True)
        # the result keys stay on disk only where the tools disagree, for a diff
        if same is not False:
            for r in (m, p):
                if "keys_file" in r:
                    Path(r["keys_file"]).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
