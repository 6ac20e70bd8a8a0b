"""Query results as documents: an aligned table for people, SPARQL JSON/XML/CSV/TSV for
programs, Turtle or JSON-LD for CONSTRUCT and DESCRIBE.

Rows are written once as SPARQL JSON, the one format simple enough to write by hand; pyoxigraph
reads that back and writes the other result formats, so their escaping is Oxigraph's, not ours.
"""
from __future__ import annotations

import io
import json
from itertools import islice

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .store import Rows

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
RDF_FORMATS = ("ttl", "jsonld", "nt")
FORMATS = RESULT_FORMATS + RDF_FORMATS

_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_RDF = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}

MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
    "nt": "application/n-triples", "table": "text/plain; charset=utf-8",
}

# Prefixes for Turtle output and for shortening IRIs in tables.
DISPLAY_PREFIXES = {**ns.PREFIXES, "mcdata": ns.DATA, "mcgraph": ns.GRAPH, "sssom": "https://w3id.org/sssom/"}
_XSD_STRING = ns.XSD + "string"
_RDF_LANGSTRING = ns.RDF + "langString"


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def rows_json(variables: list[str], rows) -> dict:
    bindings = [{v: term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}


def limit_rows(rows: Rows, limit: int | None) -> tuple[Rows, bool]:
    """At most `limit` rows, and whether there were more."""
    if limit is None:
        return rows, False
    taken = list(islice(iter(rows), limit + 1))
    return Rows(rows.variables, taken[:limit]), len(taken) > limit


def shorten(iri: str) -> str:
    best = ("", "")
    for prefix, base in DISPLAY_PREFIXES.items():
        if iri.startswith(base) and len(base) > len(best[1]):
            best = (prefix, base)
    return f"{best[0]}:{iri[len(best[1]):]}" if best[1] else f"<{iri}>"


def display(term) -> str:
    """A term in a table for people: a concept by its label ("New Zealand"), other IRIs
    shortened, literals as written."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        from .labels import label

        return label(term.value) or shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


RICH_ROWS = 2000  # beyond this, rich's layout costs seconds: plain alignment instead


def render_table(variables: list[str], rows, width: int | None = None) -> tuple[str, int]:
    """An aligned plain-text table, and how many rows it holds. With a terminal `width`, long
    cells are folded to fit the screen (by rich); otherwise every row stays one whole line."""
    cells = [[display(t) for t in row] for row in rows]
    if width is not None and len(cells) <= RICH_ROWS:
        return _rich_table(variables, cells, width), len(cells)
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]

    def line(values):
        return "   ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(variables), "─" * len(line(["─" * w for w in widths]))]
    out.extend(line(r) for r in cells)
    return "\n".join(out) + "\n", len(cells)


def _rich_table(variables, cells, width: int) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for v in variables:
        table.add_column(v, overflow="fold")
    for r in cells:
        table.add_row(*r)
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, highlight=False).print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def render(result, fmt: str | None, *, width: int | None = None) -> tuple[bytes, str]:
    """The result as `fmt` (None: table for SELECT/ASK, Turtle for graphs), and the format used."""
    if isinstance(result, (Rows, bool)):
        fmt = fmt or "table"
        if fmt in RDF_FORMATS:
            raise UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; "
                             f"a SELECT or ASK answers as one of {', '.join(RESULT_FORMATS)}")
        if isinstance(result, bool):
            return render_boolean(result, fmt), fmt
        if fmt == "table":
            return render_table(result.variables, result, width)[0].encode("utf-8"), fmt
        doc = json.dumps(rows_json(result.variables, result), ensure_ascii=False).encode("utf-8")
        if fmt == "json":
            return doc + b"\n", fmt
        parsed = ox.parse_query_results(doc, ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=_RESULTS[fmt]), fmt
    fmt = fmt or "ttl"
    if fmt not in RDF_FORMATS:
        raise UsageError(f"--format {fmt} is for SELECT and ASK queries; "
                         f"a CONSTRUCT or DESCRIBE answers as one of {', '.join(RDF_FORMATS)}")
    # Prefixes whose local names would need escaped slashes are left out: full IRIs read better.
    prefixes = {p: iri for p, iri in ns.PREFIXES.items() if p != "mcid"} if fmt == "ttl" else None
    return ox.serialize(list(result), format=_RDF[fmt], prefixes=prefixes), fmt


def render_boolean(value: bool, fmt: str) -> bytes:
    if fmt in ("json", "xml"):
        doc = json.dumps({"head": {}, "boolean": value}).encode()
        if fmt == "json":
            return doc + b"\n"
        return ox.parse_query_results(doc, ox.QueryResultsFormat.JSON).serialize(
            format=ox.QueryResultsFormat.XML)
    return b"true\n" if value else b"false\n"
