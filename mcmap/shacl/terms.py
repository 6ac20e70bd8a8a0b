"""Moving terms between rdflib (shapes, reports) and the store (SPARQL text, pyoxigraph terms)."""
from __future__ import annotations

import logging
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ..errors import McmapError

_XSD_STRING = str(XSD.string)


class ShapesError(McmapError):
    """A shapes graph mcmap cannot compile (e.g. a blank node where a constant is needed)."""


class TermCache(dict):
    """Converts store terms once per validation run: a focus node with several results, or a
    value shared by thousands of credentials, becomes one rdflib object, not thousands."""

    def __missing__(self, term):
        value = self[term] = to_rdflib(term)
        return value

    def get_term(self, term):
        return None if term is None else self[term]


@lru_cache(maxsize=65536)
def to_ox(term):
    """An rdflib term as a pyoxigraph term (reports leave through Oxigraph's serialisers);
    a pyoxigraph term as it is."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def to_rdflib(term):
    """A pyoxigraph term as the rdflib term pySHACL would report for the same data; an
    rdflib term (a report's path or shape) as it is."""
    if term is None or isinstance(term, (URIRef, BNode, Literal)):
        return term
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    if dt == _XSD_STRING:
        return Literal(term.value)  # rdflib reads "x" in Turtle as a plain literal
    return _typed_literal(term.value, dt)


def _typed_literal(lexical: str, datatype: str) -> Literal:
    # rdflib logs a full traceback for every ill-typed literal; an ill-typed value is a normal
    # validation finding here, not an error worth a traceback on the user's terminal.
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return Literal(lexical, datatype=URIRef(datatype))
    finally:
        logger.setLevel(level)


def is_true(term) -> bool:
    """A boolean a query projected: true, or 1 where the store returns booleans as numbers
    (Virtuoso)."""
    return term is not None and term.value in ("true", "1")


def sparql_term(term) -> str:
    """An rdflib term from the shapes graph as SPARQL text."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ShapesError(f"blank node {term.n3()} used as a constant in a shape: give it an IRI")


@lru_cache(maxsize=4096)
def canonical(term) -> Literal | None:
    """The term as an Oxigraph store would hold it (it stores literals in canonical form, e.g.
    "1.50"^^xsd:decimal as "1.5"), so shape constants still match stored values; None if unchanged."""
    if not isinstance(term, Literal) or term.language or term.datatype is None:
        return None
    store = ox.Store()
    lit = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    node = ox.NamedNode("urn:x")
    store.add(ox.Quad(node, node, lit))
    stored = next(iter(store)).object
    if stored == lit:
        return None
    return Literal(stored.value, datatype=URIRef(stored.datatype.value))


def same_term_expr(var: str, term) -> str:
    """`var` is `term` (or the form an Oxigraph store keeps it in), as sameTerm() would say.
    Spelled with STR/datatype/lang tests, not sameTerm(): Virtuoso evaluates sameTerm outside a
    FILTER (in a BIND) as unbound."""
    forms = [term] + ([canonical(term)] if canonical(term) is not None else [])
    return "(" + " || ".join(_is_term(var, t) for t in forms) + ")"


def _is_term(var: str, term) -> str:
    if isinstance(term, URIRef):
        return f"(isIRI({var}) && STR({var}) = {Literal(str(term)).n3()})"
    if not isinstance(term, Literal):
        raise ShapesError(f"blank node {term.n3()} used as a constant in a shape: give it an IRI")
    text = f"isLiteral({var}) && STR({var}) = {Literal(str(term)).n3()}"
    if term.language:
        return f'({text} && LCASE(lang({var})) = "{term.language.lower()}")'
    datatype = term.datatype or XSD.string
    return f"({text} && lang({var}) = \"\" && datatype({var}) = <{datatype}>)"
