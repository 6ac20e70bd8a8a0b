"""A large answer from a remote store comes in parts split by a hash of one variable: the
filter that picks a part goes at the start of the query's WHERE group, and the parts together
hold every row exactly once. Checked here on the embedded Oxigraph store with queries shaped
like the validation engine's; tests/test_engines.py runs the same on the servers."""
import pyoxigraph as ox
import pytest

from mcmap import namespaces as ns
from mcmap.errors import McmapError
from mcmap.sparql_text import with_filter
from mcmap.store import LocalStore
from mcmap.answer_parts import _PROBE, _SPACE, partition

P = ns.MC + "n"


@pytest.fixture(scope="module")
def store():
    s = LocalStore()
    g = ox.NamedNode(ns.GRAPH_DATA)
    quads = [ox.Quad(ox.NamedNode(f"{ns.DATA}x/{i}"), ox.NamedNode(P),
                     ox.Literal(str(i % 50), datatype=ox.NamedNode(ns.XSD + "integer")), g) for i in range(3000)]
    quads += [ox.Quad(ox.BlankNode(f"b{i}"), ox.NamedNode(P), ox.Literal("7", datatype=ox.NamedNode(ns.XSD + "integer")), g)
              for i in range(5)]
    s.add(quads)
    return s


QUERIES = [
    # the engine's flag columns: a projected EXISTS { } comes before the WHERE group
    f'SELECT ?this (EXISTS {{ ?this <{P}> 7 }} AS ?has0) WHERE {{ ?this <{P}> ?v FILTER(?v < 10) }}',
    # braces inside strings and IRIs, and a prologue, are not the WHERE group
    f'PREFIX x: <urn:x:a>\n# a comment {{\nSELECT DISTINCT ?this ?m WHERE {{ ?this <{P}> ?v BIND(CONCAT("{{", STR(?v), "}}") AS ?m) }}',
    # a grouped sub-select: rows of one ?this stay together
    f'SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(?v) AS ?n) WHERE {{ ?this <{P}> ?v }} GROUP BY ?this }} FILTER(?n >= 1) }}',
    # rows without ?this (here: a UNION branch) land in the first part
    f'SELECT ?this ?v WHERE {{ {{ ?this <{P}> ?v }} UNION {{ BIND(1 AS ?v) }} }}',
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("parts", [1, 3, 40])
def test_the_parts_hold_every_row_once(store, query, parts):
    whole = sorted(map(str, store.select(query, default_graphs=[ns.GRAPH_DATA])))
    bounds = [0, _PROBE] + [_PROBE + (_SPACE - _PROBE) * i // parts for i in range(1, parts)] + [None]
    got = []
    for lo, hi in zip(bounds, bounds[1:]):
        got += map(str, store.select(with_filter(query, partition("this", lo, hi)), default_graphs=[ns.GRAPH_DATA]))
    assert sorted(got) == whole and len(whole) > 100


def test_parts_are_even(store):
    query = f"SELECT ?this WHERE {{ ?this <{P}> ?v }}"
    sizes = [len(list(store.select(with_filter(query, partition("this", lo, lo + 0x1000 if lo < 0xf000 else None)),
                                   default_graphs=[ns.GRAPH_DATA]))) for lo in range(0x1000, 0x10000, 0x1000)]
    assert min(sizes) > 3000 / 16 / 2 and max(sizes) < 3000 / 16 * 2


def test_a_query_without_a_where_group_is_refused():
    with pytest.raises(McmapError):
        with_filter("ASK { ?s ?p ?o }", "true")
