"""Statements put into one graph: what every writer of triples into a store relies on."""
import pyoxigraph as ox

from mcmap.graphs import in_graph

EX = "http://example.org/"
G = EX + "g"


def test_triples_become_quads_of_the_graph():
    triples = [ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(str(i))) for i in range(3)]
    quads = list(in_graph(iter(triples), G))
    assert [q.triple for q in quads] == triples
    assert {q.graph_name for q in quads} == {ox.NamedNode(G)}


def test_a_quad_format_keeps_its_named_graphs_and_its_default_graph_goes_to_the_graph():
    text = (f"<{EX}a> <{EX}p> <{EX}b> .\n"
            f"<{EX}a> <{EX}p> <{EX}c> <{EX}own> .\n")
    quads = list(in_graph(ox.parse(text, format=ox.RdfFormat.N_QUADS), G, keep_named=True))
    assert [(q.object.value, q.graph_name.value) for q in quads] == [(EX + "b", G), (EX + "c", EX + "own")]
    moved = list(in_graph(ox.parse(text, format=ox.RdfFormat.N_QUADS), ox.NamedNode(G)))
    assert {q.graph_name.value for q in moved} == {G}
