"""Parameters joined as VALUES at the start of the WHERE group (what a remote store gets) answer
exactly as pyoxigraph's own pre-binding does, whatever the query's shape and whatever the value."""
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcmap import query as q
from mcmap.sparql_text import inject_values, query_form
from mcmap.store import LocalStore
from sparql_helpers import fixture_quads

NZ = ox.NamedNode("https://w3id.org/mcmap/id/jurisdiction/NZ")
P = "PREFIX mc: <https://w3id.org/mcmap/ns#>\nPREFIX dct: <http://purl.org/dc/terms/>\n"


@pytest.fixture(scope="module")
def store():
    s = LocalStore()
    s.add(fixture_quads())
    return s


def both(store, text, bindings):
    """(pre-bound by pyoxigraph, joined as VALUES): rows as sorted strings, or graphs as sets."""
    def norm(r):
        return r if isinstance(r, bool) else sorted(map(str, r))
    injected = inject_values(text, {k: str(v) for k, v in bindings.items()})
    return norm(store.query(text, bindings=bindings)), norm(store.query(injected))


SHAPES = [
    # grouped and counted, the parameter projected
    P + "SELECT ?j (COUNT(*) AS ?n) WHERE { ?c mc:jurisdiction ?j } GROUP BY ?j",
    # ORDER BY and LIMIT
    P + "SELECT ?c ?j WHERE { ?c mc:jurisdiction ?j } ORDER BY ?c LIMIT 2",
    # braces, '#' and keywords inside strings, IRIs and comments must not confuse the lexer
    P + 'SELECT ?c ?j # a comment with { and SELECT\nWHERE { ?c mc:jurisdiction ?j ; dct:title ?t '
        'FILTER(?t != "} { #") FILTER(?c != <https://example.org/x#y>) FILTER(?t != \'\'\'{"\'\'\') }',
    # a sub-select first in the group
    P + "SELECT ?j ?n WHERE { { SELECT ?j (COUNT(?c) AS ?n) WHERE { ?c mc:jurisdiction ?j } GROUP BY ?j } }",
    # no WHERE keyword; a variable named like a keyword
    P + "SELECT ?select ?j { ?select mc:jurisdiction ?j }",
    P + "ASK { ?c mc:jurisdiction ?j }",
    P + "CONSTRUCT { ?c mc:jurisdiction ?j } WHERE { ?c mc:jurisdiction ?j }",
    P + "CONSTRUCT WHERE { ?c mc:jurisdiction ?j }",
]


@pytest.mark.parametrize("text", SHAPES)
def test_values_at_the_start_of_the_where_group_equals_pre_binding(store, text):
    prebound, injected = both(store, text, {"j": NZ})
    assert injected == prebound
    assert prebound not in ([], False)


def test_a_query_with_its_own_values_clause_still_binds(store):
    # A second VALUES clause appended after the query would not parse.
    text = SHAPES[1] + "\nVALUES ?c { <https://w3id.org/mcmap/data/credential/NZ-001> <https://w3id.org/mcmap/data/credential/AU-001> }"
    with pytest.raises(Exception, match="syntax"):
        store.query(text + f"\nVALUES (?j) {{ ({NZ}) }}")
    prebound, injected = both(store, text, {"j": NZ})
    assert injected == prebound and len(prebound) == 1 and "NZ-001" in prebound[0]


def test_named_queries_bind_the_same_both_ways(store):
    values = {"jurisdiction": "NZ", "framework": "NZQCF", "target": "AU",
              "provider": "https://w3id.org/mcmap/data/provider/wintec", "code": "HLTAID011"}
    for name, nq in q.catalogue().items():
        for p in nq.params:
            b = q.bind_params(nq.text, {p.name: values[p.name]}, nq.params)
            prebound, injected = both(store, nq.text, b)
            assert injected == prebound, (name, p.name)


def test_query_form_skips_prologue_and_comments():
    assert query_form("PREFIX select: <x:> # INSERT\nBASE <y:> SELECT * {}") == "SELECT"
    assert query_form("prefix a: <x:>\n insert data { <a:b> <a:c> 1 }") == "INSERT"
    assert query_form("# only a comment") is None


text_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(value=text_values)
def test_any_text_value_stays_a_value(store, value):
    # Whatever the text (quotes, braces, '#', newlines, 'DROP ALL'), it is one literal:
    # the query still parses and finds exactly the credentials with that title.
    text = P + "SELECT ?c ?t WHERE { ?c dct:title ?t }"
    bindings = q.bind_params(text, {"t": value})
    prebound, injected = both(store, text, bindings)
    assert injected == prebound
    titles = {str(t.object.value) for t in fixture_quads() if t.predicate.value.endswith("/title")}
    assert (len(prebound) > 0) == (bindings["t"].value in titles and isinstance(bindings["t"], ox.Literal)
                                   and bindings["t"].datatype.value.endswith("#string"))
