"""What a remote store needs done differently, found once when mcmap first talks to it.

The queries mcmap sends are written in forms every engine tested evaluates alike (see
docs/validation-engine.md, "Portable SPARQL"); what remains are differences in how a store
keeps and returns values and how much one request may carry. They are probed here and nowhere
else, so the compiler and the named queries stay free of per-engine branches.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN = ox.NamedNode(XSD + "boolean")
_DECIMAL = ox.NamedNode(XSD + "decimal")
_FLOATS = (ox.NamedNode(XSD + "double"), ox.NamedNode(XSD + "float"))
_TRUE, _FALSE = ox.Literal("true", datatype=_BOOLEAN), ox.Literal("false", datatype=_BOOLEAN)

PROBE = "SELECT (true AS ?flag) WHERE {}"


@dataclass(frozen=True)
class Dialect:
    server: str  # the Server header, for messages
    # Largest INSERT DATA in triples: Virtuoso compiles one to SQL and refuses past ~1,400.
    max_insert_triples: int = 1_000_000
    # True: an update request is one transaction; False: it is not; None: not known.
    atomic_updates: bool | None = None
    # The store keeps a whole xsd:decimal ("650") as xsd:integer, so datatype() says integer
    # (Virtuoso; a constant in a query keeps its type, so only a write would show it).
    integer_decimals: bool = False
    # Booleans come back as 1/0 (Virtuoso keeps true as "1"^^xsd:boolean).
    numeric_booleans: bool = False
    # Numbers come back in lexical forms of the server's own ("0.0"): shown as Oxigraph does.
    number_forms: bool = False

    def fix_term(self, term):
        """A term from this store's answer as the embedded store would give it."""
        from .store import unskolemise

        if self.numeric_booleans and isinstance(term, ox.Literal) and term.datatype == _BOOLEAN:
            return _TRUE if term.value in ("1", "true") else _FALSE
        if self.number_forms and isinstance(term, ox.Literal):
            if term.datatype == _DECIMAL:
                return ox.Literal(canonical_decimal(term.value), datatype=_DECIMAL)
            if term.datatype in _FLOATS:
                return ox.Literal(canonical_float(term.value), datatype=term.datatype)
        return unskolemise(term)


def canonical_decimal(lexical: str) -> str:
    """"650.0" -> "650", "0.50" -> "0.5": the form Oxigraph keeps a decimal in."""
    from decimal import Decimal, InvalidOperation

    try:
        text = format(Decimal(lexical).normalize(), "f")
    except InvalidOperation:
        return lexical
    return "0" if text in ("-0", "0") else text


def probe(store) -> Dialect:
    """One read-only query: the Server header names the engine, the answer shows how it returns
    booleans. Engines not recognised get the SPARQL 1.1 defaults."""
    with store._request(store.endpoint, {"query": PROBE}, "application/sparql-results+json") as resp:
        server = resp.headers.get("Server", "") or ""
        try:
            solutions = ox.parse_query_results(resp.read(), ox.QueryResultsFormat.JSON)
            row = next(iter(solutions))
            flag = row["flag"]
        except (SyntaxError, ValueError, StopIteration, KeyError):
            flag = None
    numeric_booleans = isinstance(flag, ox.Literal) and flag.value in ("1", "0")
    name = server.lower()
    if "virtuoso" in name:
        return Dialect(server, max_insert_triples=500, atomic_updates=False,
                       integer_decimals=True, numeric_booleans=True, number_forms=True)
    return Dialect(server, atomic_updates=True if "oxigraph" in name else None,
                   numeric_booleans=numeric_booleans)


def canonical_float(lexical: str) -> str:
    """"0.0" -> "0", "1.5" -> "1.5": the shortest form, as Oxigraph writes a double."""
    try:
        value = float(lexical)
    except ValueError:
        return lexical
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "INF" if value > 0 else "-INF"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)
