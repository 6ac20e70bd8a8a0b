"""mcmap: check and compare micro-credentials across jurisdictions.

The library API (the same functions the `mcmap` command calls; see docs/library.md):

    import mcmap
    report = mcmap.validate(["submission.csv"], framework="nz")
    report.to_dicts()            # one dict per finding
    results = mcmap.map_credentials(["submission.csv"], to=["au", "ws"])
    rows = mcmap.query(named="credentials-by-level", sources=["submission.csv"]).to_dicts()
    data = mcmap.export(["submission.csv"], "ob3")
    loaded = mcmap.load(["a.csv", "b.ttl"], store="./store")
    progress = mcmap.stack(["units.csv"], toward="BSB20120")   # how far toward a qualification

Names are imported on first use, so `import mcmap` (and the CLI's start-up) stays fast.
"""
import importlib

__all__ = [
    "load", "validate", "map_credentials", "query", "export", "stack",
    "Document", "Loaded", "ValidationReport", "Finding", "MappingResults", "QueryResult",
    "McmapError", "InputError", "UsageError",
]

_WHERE = {
    "map_credentials": "library", "stack": "library",
    "Document": "sources",
    "Loaded": "library_results", "ValidationReport": "library_results", "Finding": "library_results",
    "MappingResults": "library_results", "QueryResult": "library_results",
    "McmapError": "errors", "InputError": "errors", "UsageError": "errors",
}


def __getattr__(name):
    if name in ("load", "validate", "query", "export"):
        # A callable module: mcmap.validate(...) runs the library function (see _callable.py).
        return importlib.import_module(f"{__name__}.{name}")
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'mcmap' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(__all__))
