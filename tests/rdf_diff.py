"""Compare the triples of two RDF documents, blank nodes matched as graphs (rdflib's canonical
form), and name every triple one has and the other lacks."""
from __future__ import annotations

import pyoxigraph as ox


def graph(triples):
    import rdflib

    g = rdflib.Graph()
    g.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return g


def lost_and_added(before, after) -> tuple[list[str], list[str]]:
    """(triples of `before` missing from `after`, triples `after` adds), as N-Triples lines."""
    from rdflib.compare import graph_diff, to_isomorphic

    _, only_before, only_after = graph_diff(to_isomorphic(graph(before)), to_isomorphic(graph(after)))
    show = lambda g: sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in g)  # noqa: E731
    return show(only_before), show(only_after)


def document_triples(quads) -> list:
    """What a document itself says: its triples without mcmap's reading (mc: terms, provenance)."""
    from mcmap import namespaces as ns

    return [q.triple for q in quads if not q.predicate.value.startswith(ns.MC)
            and not (q.predicate.value == ns.RDF + "type" and q.object.value.startswith(ns.MC))]
