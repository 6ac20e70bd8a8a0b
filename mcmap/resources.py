"""Where the shipped data lives: inside the wheel, or at the top of a source checkout."""
from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder `name` (ontology, shapes, mappings, examples) of the installed data."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mcmap data folder '{name}' is missing from this installation")


def ontology_files() -> list[Path]:
    root = data_dir("ontology")
    return [root / "mcmap.ttl", *sorted((root / "frameworks").glob("*.ttl"))]


def reference_files() -> list[Path]:
    """Shipped reference data (real skill sets, units, qualifications), kept out of the ontology graph."""
    return sorted((data_dir("ontology") / "reference").glob("*.ttl"))
