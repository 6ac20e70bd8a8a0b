"""Statements placed in one named graph: every writer of triples into a store goes through this."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


def in_graph(statements: Iterable, graph: str | ox.NamedNode, *, keep_named: bool = False) -> Iterator[ox.Quad]:
    """`statements` (triples, or quads) as quads of `graph`, lazily. With `keep_named`, a quad
    already in a named graph keeps it: a document in a quad format says where its statements go."""
    g = graph if isinstance(graph, ox.NamedNode) else ox.NamedNode(graph)
    if keep_named:
        return (s if isinstance(s, ox.Quad) and not isinstance(s.graph_name, ox.DefaultGraph)
                else ox.Quad(s.subject, s.predicate, s.object, g) for s in statements)
    return (ox.Quad(s.subject, s.predicate, s.object, g) for s in statements)
