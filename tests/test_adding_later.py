"""A store folder takes derived data that comes a part at a time (`mcmap map` keeping a
registry's results) at the end, in a few bulk writes: everything arrives, blank nodes keep
their link to the nodes already stored, and a failure inside the block writes nothing."""
import pyoxigraph as ox
import pytest

from mcmap import store as store_module
from mcmap.store import LocalStore

G, DATA = ox.NamedNode("https://example.org/kept"), ox.NamedNode("https://example.org/data")
P = ox.NamedNode("https://example.org/p")


def rows(n: int, start: int = 0):
    return (ox.Triple(ox.NamedNode(f"https://example.org/row/{i}"), P, ox.Literal(f"value {i}\nsecond line"))
            for i in range(start, start + n))


def test_parts_arrive_whole_when_the_block_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LATER_BYTES", 1000)  # a few dozen bulk writes
    with LocalStore(tmp_path / "s") as store:
        with store.adding_later(G.value) as add:
            for part in range(5):
                add(rows(200, part * 200))
            assert store.count(G.value) == 0  # nothing before the block ends
        assert {q for q in store.quads(G.value)} == {ox.Quad(*t, G) for t in rows(1000)}


def test_a_store_in_memory_takes_them_into_the_graph_too():
    with LocalStore() as store:
        with store.adding_later(G.value) as add:
            add(rows(300))
        assert {q for q in store.quads(G.value)} == {ox.Quad(*t, G) for t in rows(300)}


def stored_blank_node(store) -> ox.BlankNode:
    store.ox.load(input=b'_:n <https://example.org/name> "stored" .', format=ox.RdfFormat.N_TRIPLES, to_graph=DATA)
    return next(iter(store.quads(DATA.value))).subject


def test_blank_nodes_stay_linked_to_what_is_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LATER_QUADS", 3)
    with LocalStore(tmp_path / "s") as store:
        node = stored_blank_node(store)
        with store.adding_later(G.value) as add:
            add(ox.Triple(ox.NamedNode(f"https://example.org/row/{i}"), P, node) for i in range(10))
        answer = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?row ?p ?b } GRAPH ?h { ?b ?q \"stored\" } }")
        assert int(next(iter(answer))[0].value) == 10


def test_a_blank_node_late_in_the_text_stays_linked(tmp_path, monkeypatch):
    """The text is watched for blank nodes as it is written: one that comes after thousands of
    plain rows (many writes of Oxigraph's serialiser later) is still found."""
    monkeypatch.setattr(store_module, "LATER_QUADS", 1000)
    with LocalStore(tmp_path / "s") as store:
        late = ox.Triple(ox.NamedNode("https://example.org/late"), P, stored_blank_node(store))
        with store.adding_later(G.value) as add:
            add(rows(5000))
            add([late])
        answer = store.select("SELECT ?row WHERE { GRAPH ?g { ?row ?p ?b } GRAPH ?h { ?b ?q \"stored\" } }")
        assert [r[0].value for r in answer] == ["https://example.org/late"]
        assert store.count(G.value) == 5001


@pytest.mark.parametrize("writes, seen", [
    ([b"<a> <b> \"x\" <g> .\n"], False),
    ([b"<a> <b> _:n <g> .\n"], True),
    ([b"<a> <b> \"x_", b": y\" <g> .\n"], True),   # "_:" split between two writes
    ([b"<a> <b> \"x_", b"\" <g> .\n", b": y"], False),
])
def test_blank_node_text_is_noted_across_writes(tmp_path, writes, seen):
    from mcmap.rdf_source import NotingBlankNodes, names_blank_node

    path = tmp_path / "t.nq"
    with open(path, "wb") as f:
        watch = NotingBlankNodes(f)
        for w in writes:
            watch.write(w)
    assert watch.seen is seen is names_blank_node(path)


def test_a_failure_inside_the_block_writes_nothing(tmp_path):
    with LocalStore(tmp_path / "s") as store:
        with pytest.raises(RuntimeError):
            with store.adding_later(G.value) as add:
                add(rows(100))
                raise RuntimeError("stopped")
        assert store.count(G.value) == 0
