"""SHACL validation compiled to SPARQL and run inside the store (embedded or remote)."""
from .report import Report, Result

__all__ = ["Report", "Result", "run"]


def run(store, shapes, *, data_graphs=None, spill=None) -> Report:
    from .engine import run as _run
    return _run(store, shapes, data_graphs=data_graphs, spill=spill)
