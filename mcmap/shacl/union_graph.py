"""Whether the engine may query the union of an embedded store's graphs instead of a list of
them: Oxigraph answers the union faster, and it gives the same answers when the other graphs
cannot reach the shapes' queries."""
from __future__ import annotations

from rdflib.namespace import RDF, RDFS, SH
from rdflib import URIRef


def covers_store(store, graphs, shapes=None) -> bool:
    """True when the union of every graph of the embedded store gives the same answers as
    `graphs`: Oxigraph evaluates its union graph about twice as fast as a list of default
    graphs (in a store folder, where the level mappings sit beside the data, 2.3 s against
    4.5 s for one value scan of 100,000 credentials). So when `graphs` are all it holds, or
    when the store's other graphs cannot add a focus node or a value to the `shapes`' queries
    (`unreachable`)."""
    ox_store = getattr(store, "ox", None)
    if graphs is None or ox_store is None:
        return graphs is None
    import pyoxigraph as ox

    wanted = {str(g.value if isinstance(g, ox.NamedNode) else g) for g in graphs}
    if next(iter(ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return False
    others = [g for g in ox_store.named_graphs() if g.value not in wanted]
    return not others or (shapes is not None and unreachable(ox_store, shapes, sorted(wanted), others))


def unreachable(ox_store, shapes, graphs: list[str], others: list) -> bool:
    """Whether no triple of the `others` graphs can take part in validating `shapes` over
    `graphs`: a triple there whose predicate the shapes name (in a path or target) has neither
    end in `graphs` nor named by the shapes, so no path from a focus node reaches it; none types
    a node by a class the shapes name (or a subclass of one), nor states a class hierarchy,
    nor has a predicate a shape targets the subjects or objects of; and no shape asks for every
    predicate (sh:closed) or runs its own SPARQL."""
    if any(shapes.triples((None, SH.sparql, None))) or any(shapes.triples((None, SH.closed, None))):
        return False
    # what a query can ask for: the terms the shapes name (paths, targets, classes), not the
    # shapes graph's own predicates
    named = " ".join(sorted({f"<{t}>" for s, _, o in shapes for t in (s, o) if isinstance(t, URIRef)}))
    targeting = " ".join(sorted({f"<{o}>" for p in (SH.targetSubjectsOf, SH.targetObjectsOf)
                                 for o in shapes.objects(None, p) if isinstance(o, URIRef)}))
    in_others = f"VALUES ?g {{ {' '.join(str(g) for g in others)} }}"
    listed = f"VALUES ?h {{ {' '.join(f'<{g}>' for g in graphs)} }}"

    def seen(x):
        return (f"EXISTS {{ {listed} GRAPH ?h {{ {x} ?a1 ?b1 }} }} || EXISTS {{ {listed} GRAPH ?h {{ ?a2 ?b2 {x} }} }} "
                f"|| EXISTS {{ VALUES ?n {{ {named} }} FILTER(sameTerm(?n, {x})) }}")
    asks = [f"ASK {{ {in_others} VALUES ?p {{ <{RDFS.subClassOf}> {targeting} }} GRAPH ?g {{ ?s ?p ?o }} }}",
            f"ASK {{ {in_others} GRAPH ?g {{ ?s <{RDF.type}> ?c }} "
            f"{{ VALUES ?c {{ {named} }} }} UNION {{ VALUES ?k {{ {named} }} ?c <{RDFS.subClassOf}>+ ?k }} }}",
            f"ASK {{ {in_others} VALUES ?p {{ {named} }} GRAPH ?g {{ ?s ?p ?o }} FILTER({seen('?s')} || {seen('?o')}) }}"]
    return not any(ox_store.query(q, use_default_graph_as_union=True) for q in asks)
