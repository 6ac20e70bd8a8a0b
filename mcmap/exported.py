"""What an export reads from a store, a subject at a time, so that no writer holds every quad.

The exported graphs are the data graph and the graphs a document brought (a proof graph, which
may be a blank node); not mcmap's reference graphs nor what it derived (inferred, reports). The
provenance mcmap adds when reading (mc:sourceFile, mc:sourceLine, mc:sourceRow) describes the
file that was read, not the exported document, so it is left out.

Subjects are listed once (Oxigraph gathers them, Python sorts them by their text) and each
subject's quads are then read from the store's subject index: much cheaper than one query
ordered by subject, which sorts every row and makes a Python object of each term of it.
"""
from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns

PROVENANCE = frozenset({ns.MC + "sourceFile", ns.MC + "sourceRow", ns.MC + "sourceLine"})
# Documents kept verbatim (mcmap.formats.jsondoc) travel only to the standard they are written in.
DOCUMENTS = frozenset({ns.MC + "documentText", ns.MC + "documentFormat", ns.MC + "describes"})
EXPORTED = f"FILTER(isBlank(?g) || ?g = <{ns.GRAPH_DATA}> || !STRSTARTS(STR(?g), \"{ns.GRAPH}\"))"
_DATA = ox.NamedNode(ns.GRAPH_DATA)
_MICRO_CREDENTIAL = ns.MC + "MicroCredential"


def exported_graph(graph) -> bool:
    """Whether a quad's graph is exported (the default graph is not: mcmap never loads into it)."""
    if isinstance(graph, ox.NamedNode):
        return graph == _DATA or not graph.value.startswith(ns.GRAPH)
    return isinstance(graph, ox.BlankNode)


class Reader:
    """A store's exported quads, by subject. Every lookup goes through an index (a subject, a
    predicate, a graph): a store folder that also holds reports or mappings is never scanned
    whole."""

    def __init__(self, store):
        self.ox = store.ox
        self.graphs = [g for g in self.ox.named_graphs() if exported_graph(g)]
        self._graphs: dict = {}

    def _kept(self, graph) -> bool:
        try:
            return self._graphs[graph]
        except KeyError:
            self._graphs[graph] = kept = exported_graph(graph)
            return kept

    def quads_of(self, subject) -> list:
        """`subject`'s exported quads, without read provenance."""
        kept = self._kept
        return [q for q in self.ox.quads_for_pattern(subject, None, None, None)
                if kept(q.graph_name) and q.predicate.value not in PROVENANCE]

    def _in_graphs(self, pattern: str, var: str = "s") -> set:
        """The distinct values of ?`var` matching `pattern` in each exported graph."""
        found: set = set()
        for g in self.graphs:
            graph = f"<{g.value}>" if isinstance(g, ox.NamedNode) else "?g"
            where = "" if isinstance(g, ox.NamedNode) else " FILTER(isBlank(?g))"
            found.update(row[0] for row in self.ox.query(
                f"SELECT DISTINCT ?{var} WHERE {{ GRAPH {graph} {{ {pattern} }}{where} }}"))
        return found

    def subjects(self, *, credentials_only: bool = False, leave_out=frozenset()) -> list:
        """The subjects of the exported graphs (or only the micro-credentials), sorted by their
        text as N-Triples writes it (blank nodes after IRIs), without `leave_out`."""
        found = self._in_graphs(f"?s a <{_MICRO_CREDENTIAL}>" if credentials_only else "?s ?p ?o")
        return sorted(found - set(leave_out), key=str)

    def documents(self) -> list:
        """The quads of the documents kept verbatim (a few nodes, or none)."""
        return [q for p in sorted(DOCUMENTS) for q in self.ox.quads_for_pattern(None, ox.NamedNode(p), None, None)
                if self._kept(q.graph_name)]

    def related(self, *, mapped: bool) -> dict:
        """The quads of each provider and level a credential names (a record carries its
        provider's name and regulator, and with `mapped` its level's correspondences), by subject."""
        linked = self._in_graphs(f"?c <{ns.MC}provider> ?s") | self._in_graphs(f"?c <{ns.MC}level> ?s")
        out: dict = {s: quads for s in linked if (quads := self.quads_of(s))}
        for q in self.correspondences() if mapped else ():
            out.setdefault(q.subject, []).append(q)
        return out

    def correspondences(self) -> list:
        """The shipped level correspondences of the levels the credentials use."""
        from .export import correspondences_of

        return correspondences_of({level.value for level in self._in_graphs(f"?c <{ns.MC}level> ?l", "l")
                                   if isinstance(level, ox.NamedNode)})

    def has_data(self) -> bool:
        return any(next(self.ox.quads_for_pattern(None, None, None, g), None) is not None for g in self.graphs)
