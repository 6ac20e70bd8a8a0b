"""Where `mcmap load FILE --store DIR` spends its time: the CLI's own run, with the time of
each step of the load added up and printed to standard error at the end (Oxigraph's bulk
loader, the checks' queries, the count, the commit). --merge places the merge of the loader's
files elsewhere, to see what the place the load gives it costs:

    beside  as `mcmap load` does: started before the checks, waited for at the commit
    before  run to the end before the checks (the checks read a merged folder)
    after   run at the commit, after the checks
    none    never asked for (RocksDB merges on its own, and the commit's flush waits for it)

    python benchmarks/load_steps.py [--merge beside|before|after|none] load FILE --store DIR

Run it under /usr/bin/time for the peak memory; run nothing else meanwhile.
"""
import functools
import sys
import time

import mcmap.load as load_module
from mcmap import staging

spent: dict[str, float] = {}


def timed(owner, name: str) -> None:
    step = getattr(owner, name)

    @functools.wraps(step)
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
    setattr(owner, name, run)


def place_merge(where: str) -> None:
    if where == "before":
        def merge(self):
            if self.unmerged:
                start = time.perf_counter()
                self.ox.optimize()
                spent["merge"] = time.perf_counter() - start
                self.unmerged = False
        staging.DirectLoad.merge = merge
    elif where == "after":  # the commit merges what is unmerged
        staging.DirectLoad.merge = lambda self: None
    elif where == "none":
        staging.DirectLoad.merge = lambda self: None
        staging.DirectLoad.unmerged = property(lambda self: False, lambda self, value: None)
    elif where != "beside":
        sys.exit(f"--merge: one of beside, before, after, none, not {where!r}")


def main() -> None:
    args = sys.argv[1:]
    where = "beside"
    if args[:1] == ["--merge"]:
        where, args = args[1], args[2:]
    place_merge(where)
    for name in ("add_rdf", "select", "count", "commit"):
        timed(staging.DirectLoad, name)
    for name in ("_check_literals", "_check_framework_terms"):
        timed(load_module, name)
    from mcmap.cli import main as cli

    sys.argv = ["mcmap", *args]
    start = time.perf_counter()
    try:
        cli()
    finally:
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items())
        print(f"merge {where}: {steps}; in all {time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
