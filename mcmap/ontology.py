"""The shipped ontology (core vocabulary and framework data) and keeping a store's copy current.

The ontology files are small, so they are parsed once per process and cached. A store records the
SHA-256 of the files its ontology graph came from; `ensure_ontology` reloads the graph only when
the shipped files have changed (a new mcmap version, or an edited framework file).
"""
from __future__ import annotations

import hashlib
from functools import cache

import pyoxigraph as ox

from . import namespaces as ns
from .errors import InputError
from .resources import ontology_files, reference_files

CONTENT_HASH = ox.NamedNode(ns.MC + "contentHash")
_GRAPH = ox.NamedNode(ns.GRAPH_ONTOLOGY)
_REFERENCE = ox.NamedNode(ns.GRAPH_REFERENCE)


def _hash(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def ontology_hash() -> str:
    """SHA-256 over the names and bytes of the shipped ontology files, in a fixed order."""
    return _hash(ontology_files())


@cache
def reference_hash() -> str:
    return _hash(reference_files())


@cache
def ontology_triples() -> tuple[ox.Triple, ...]:
    """Every triple of the shipped ontology files (mcmap.ttl and ontology/frameworks/*.ttl)."""
    return _parse(tuple(ontology_files()))


@cache
def reference_triples() -> tuple[ox.Triple, ...]:
    """Every triple of the shipped reference data (ontology/reference/*.ttl)."""
    return _parse(tuple(reference_files()))


def _parse(paths) -> tuple[ox.Triple, ...]:
    triples: list[ox.Triple] = []
    for path in paths:
        try:
            triples.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as e:
            # A broken framework file is a user error when someone is adding a jurisdiction.
            raise InputError(str(path), f"not valid Turtle: {e}") from None
        except OSError as e:
            raise InputError(str(path), f"cannot read the ontology file: {e}") from None
    return tuple(triples)


def stored_hash(store, graph=_GRAPH) -> str | None:
    """The content hash recorded in a store's ontology (or reference) graph, or None if it has none."""
    rows = store.select(
        f"SELECT ?h WHERE {{ GRAPH {graph} {{ {graph} {CONTENT_HASH} ?h }} }}")
    values = [row[0].value for row in rows if row[0] is not None]
    return values[0] if len(values) == 1 else None


def ensure_ontology(store) -> bool:
    """Make the store's ontology graph hold exactly the shipped ontology.

    Does nothing when the graph's recorded hash matches the shipped files; otherwise replaces the
    whole graph atomically. Returns True when it replaced the graph.
    """
    ensure_reference(store)
    current = ontology_hash()
    if stored_hash(store) == current:
        return False
    marker = ox.Triple(_GRAPH, CONTENT_HASH, ox.Literal(current))
    store.replace_graph(ns.GRAPH_ONTOLOGY, [*ontology_triples(), marker])
    return True


def ensure_reference(store) -> bool:
    """Make the store's reference graph hold exactly the shipped reference data (as ensure_ontology)."""
    current = reference_hash()
    if stored_hash(store, _REFERENCE) == current:
        return False
    marker = ox.Triple(_REFERENCE, CONTENT_HASH, ox.Literal(current))
    store.replace_graph(ns.GRAPH_REFERENCE, [*reference_triples(), marker])
    return True
