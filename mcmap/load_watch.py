"""The checks after a remote load, made on the quads as the load writes them.

Every quad a load into a SPARQL endpoint writes passes through mcmap on its way to the server,
so two of the checks after the load (mcmap.load) look at each quad there, once: whether a typed
literal is one the strict value reader refuses, and whether a statement is about a framework
term. Asking the server instead needs every distinct value and subject of the load: an answer
that grows with the data (each credential has its own row number), asked for in parts that
each scan the whole graph, so the server's work grows with the square of the data (at one
million credentials the checks had not ended after twenty minutes). Here they cost a few
tenths of a microsecond a quad and no request at all.
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .formats.values import literal_problem
from .user_data import FRAMEWORK_TERMS


class Watch:
    """What a load wrote to `graph` (or to the default graph, which stands for it), as the
    checks after the load need it: the first ill-formed typed literal, and every statement
    whose subject is a framework term (usually none). A load keeps one as its `watch`, which
    the checks look for."""

    def __init__(self, graph: str):
        self.graph = ox.NamedNode(graph)
        self.bad_literal: tuple[ox.Quad, str] | None = None
        self.framework: dict[tuple, None] = {}  # distinct (s, p, o), in the order written

    def see(self, quads: Iterable[ox.Quad]) -> None:
        graph = self.graph
        for q in quads:
            g = q.graph_name
            if g != graph and g.__class__ is not ox.DefaultGraph:
                continue
            o = q.object
            if self.bad_literal is None and o.__class__ is ox.Literal:
                problem = literal_problem(o.datatype.value, o.value)
                if problem:
                    self.bad_literal = ox.Quad(q.subject, q.predicate, o), problem
            s = q.subject
            if s.__class__ is ox.NamedNode and s.value.startswith(FRAMEWORK_TERMS):
                self.framework[(s, q.predicate, o)] = None

    def covers(self, graph: str | None) -> bool:
        return graph == self.graph.value
