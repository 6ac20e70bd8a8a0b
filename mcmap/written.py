"""Literals as they were written, where the store keeps them otherwise.

Oxigraph stores a literal of every integer-derived datatype as xsd:integer ("300"^^xsd:byte
and "12"^^xsd:byte both come back as xsd:integer) and an xsd:dateTimeStamp as xsd:dateTime.
A store alone then cannot say whether a value was written as an xsd:byte (which `sh:datatype
xsd:byte` needs) nor that "300"^^xsd:byte was out of its range (which the strict literal check
needs). So, while data is read, each triple whose literal the store would retype gets a record
in mcmap's graph GRAPH_WRITTEN: its subject, predicate and object (the object as the store
keeps it, so records join the data), and the lexical form and datatype as written, and
whether that form is valid for its datatype:

    [] mc:writtenSubject s ; mc:writtenPredicate p ; mc:writtenObject o ;
       mc:lexicalForm "300" ; mc:writtenDatatype xsd:byte ; mc:wellFormed false .

Only those triples are recorded: a document whose text names none of these datatypes (nearly
every one) is never read twice, and its triples are never looked at in Python.
"""
from __future__ import annotations

import copy
import mmap
import secrets
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns

GRAPH_WRITTEN = ns.GRAPH_WRITTEN
_XSD = ns.XSD
# Datatypes the store keeps under another datatype, whatever the lexical form (when it reads).
RETYPED = ("byte", "short", "int", "long", "unsignedByte", "unsignedShort", "unsignedInt", "unsignedLong",
           "positiveInteger", "negativeInteger", "nonPositiveInteger", "nonNegativeInteger", "dateTimeStamp")
_RETYPED = frozenset(ox.NamedNode(_XSD + t) for t in RETYPED)
_NAMES = "|".join(RETYPED).encode()

SUBJECT, PREDICATE, OBJECT = (ox.NamedNode(ns.MC + p) for p in ("writtenSubject", "writtenPredicate", "writtenObject"))
LEXICAL, DATATYPE, WELL_FORMED = (ox.NamedNode(ns.MC + p) for p in ("lexicalForm", "writtenDatatype", "wellFormed"))
_GRAPH = ox.NamedNode(GRAPH_WRITTEN)
# Where a document's records wait in its private stage (mcmap.formats.rdf.staged) while the
# document is checked: not one of mcmap's graph names, which a document may not write, and not
# one a document could guess. `published` renames it as the stage's text enters a load.
STAGED = "urn:x-mcmap-written:" + secrets.token_hex(8)
_STAGED = ox.NamedNode(STAGED)
_BOOLEAN = ox.NamedNode(_XSD + "boolean")
_TRUE, _FALSE = ox.Literal("true", datatype=_BOOLEAN), ox.Literal("false", datatype=_BOOLEAN)

# The text test, one pass over the text: the namespace followed by a retyped datatype's name,
# or closing a prefix declaration (Turtle/TriG @prefix, a JSON-LD context), whose prefix is
# then looked for with those names. Each pattern starts with fixed text, which Python's regex
# engine finds with a fast substring search (a pattern starting with a character class is tried
# at every byte, several times slower on a large file).
_NAMES_RE = rb"(?:" + _NAMES + rb")\b"
_MENTION = re.compile(rb"XMLSchema#(?:" + _NAMES_RE + rb"|[>\"'])")
_PREFIX_BEFORE = re.compile(rb"(?:(?i:@?prefix)\s+([A-Za-z_][\w.-]*)?:\s*<|\"([^\"\\]*)\"\s*:\s*\")"
                            rb"\s*http://www\.w3\.org/2001/$")


_LONGEST = 200  # longer than any mention


def names_retyped(data) -> bool:
    """Whether an RDF document's text (bytes, or a mapped file) may name a datatype the store
    retypes: written in full (N-Triples, RDF/XML, a JSON-LD context) or with a prefix bound to
    the XSD namespace. False means no literal of the document needs a record."""
    return _names_retyped(data, 0, len(data))


def _names_retyped(data, start: int, end: int) -> bool:
    """names_retyped for the mentions that start in data[start:end] (read up to `end` +
    _LONGEST, so one that crosses `end` is read whole)."""
    for m in _MENTION.finditer(data, start, min(len(data), end + _LONGEST)):
        if m.start() >= end:
            break
        if m.group(0)[-1:] not in b">\"'":
            return True
        before = _PREFIX_BEFORE.search(bytes(data[max(0, m.start() - 100):m.start()]))
        name = before and (before.group(1) or before.group(2))
        if not name or name.startswith(b"@"):
            return True  # an empty or unreadable prefix: cannot be looked for cheaply, so read it
        if re.search(re.escape(name) + rb":" + _NAMES_RE, data):
            return True
    return False


# A file is scanned a window at a time, each window's pages let go once it is done: mapped,
# a file's pages count as the process's memory, so a 2 GB file would otherwise add 2 GB to it.
_WINDOW = 4096 * mmap.PAGESIZE  # 16 MiB with 4 KiB pages; a multiple of the page size


def file_names_retyped(path: Path) -> bool:
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if not size:
            return False
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as text:
            for start in range(0, size, _WINDOW):
                if _names_retyped(text, start, min(size, start + _WINDOW)):
                    return True
                if hasattr(mmap, "MADV_DONTNEED"):
                    text.madvise(mmap.MADV_DONTNEED, start, min(_WINDOW, size - start))
            return False


def record(q: ox.Quad, graph: ox.NamedNode = _GRAPH) -> list[ox.Quad]:
    """The record of one triple whose object the store retypes."""
    from .formats.values import literal_problem

    o = q.object
    r = ox.BlankNode()
    ok = literal_problem(o.datatype.value, o.value) is None and (
        o.datatype.value != _XSD + "dateTimeStamp" or _has_timezone(o.value))
    return [ox.Quad(r, SUBJECT, q.subject, graph), ox.Quad(r, PREDICATE, q.predicate, graph),
            ox.Quad(r, OBJECT, o, graph), ox.Quad(r, LEXICAL, ox.Literal(o.value), graph),
            ox.Quad(r, DATATYPE, o.datatype, graph), ox.Quad(r, WELL_FORMED, _TRUE if ok else _FALSE, graph)]


def _has_timezone(lexical: str) -> bool:
    from .formats.values import literal_problem

    return literal_problem(_XSD + "dateTime", lexical) is None and bool(re.search(r"(Z|[+-]\d\d:\d\d)$", lexical))


def with_records(chunk: list[ox.Quad]) -> list[ox.Quad]:
    """`chunk` and the records of its retyped literals (the chunk itself when it has none)."""
    extra = [r for q in chunk if q.object.__class__ is ox.Literal and q.object.datatype in _RETYPED
             for r in record(q)]
    return chunk + extra if extra else chunk


def staged_records(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """`quads` (a document as parsed) and the records of its retyped literals, those in STAGED."""
    for q in quads:
        if q.graph_name == _GRAPH or q.graph_name == _STAGED:
            raise ValueError(f"writes into mcmap's own graph <{GRAPH_WRITTEN}>")
        yield q
        if q.object.__class__ is ox.Literal and q.object.datatype in _RETYPED:
            yield from record(q, _STAGED)


def published(text: bytes) -> bytes:
    """A stage's N-Quads text with its records in GRAPH_WRITTEN."""
    mark = f"<{STAGED}>".encode()
    return text.replace(mark, f"<{GRAPH_WRITTEN}>".encode()) if mark in text else text


def without_records(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """A stage's quads: the document's own, not the records made while it was staged."""
    return (q for q in quads if q.graph_name != _STAGED)


_ILL_FORMED = f"""SELECT ?s ?p ?lex ?dt WHERE {{
    ?r <{WELL_FORMED.value}> false ; <{SUBJECT.value}> ?s ; <{PREDICATE.value}> ?p ;
       <{LEXICAL.value}> ?lex ; <{DATATYPE.value}> ?dt }} LIMIT 1"""


def ill_formed(stage: ox.Store) -> tuple | None:
    """The first (quad as written, problem) among the records of a document's stage that are
    not valid for their datatype ("300"^^xsd:byte), or None."""
    from .formats.values import literal_problem

    for s, p, lex, dt in stage.query(_ILL_FORMED, default_graph=_STAGED):
        problem = literal_problem(dt.value, lex.value) or f"'{lex.value}' is not a valid xsd:dateTimeStamp " \
                                                           "(it needs a time zone)"
        return ox.Quad(s, p, ox.Literal(lex.value, datatype=dt)), problem
    return None


def has_records(store) -> bool:
    rows = list(store.select(f"SELECT ?r WHERE {{ GRAPH <{GRAPH_WRITTEN}> {{ ?r <{OBJECT.value}> ?o }} }} LIMIT 1"))
    return bool(rows)


def as_written(store, results: list, datatype_of, predicates_of) -> None:
    """Give results whose value the store retyped their value as written: "300"^^xsd:byte, not
    "300"^^xsd:integer. A value at a one-predicate path is matched by its triple, other values
    by the term (those of the focus node first). A triple written several ways gives one result
    per way (for sh:datatype, per way that fails); `datatype_of(result)` is the shape's
    sh:datatype, `predicates_of(path)` the predicates a path node names. The results are
    changed and added to in place."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    # A store may keep a retyped literal under the type it retypes to (Oxigraph) or under the
    # type of the first equal value it was given (Virtuoso keeps "0"^^xsd:nonPositiveInteger
    # as an earlier "0"^^xsd:unsignedByte): either way the record has the written form.
    kept = _RETYPED | {ox.NamedNode(_XSD + "integer"), ox.NamedNode(_XSD + "dateTime")}
    wanted = {r.value for r in results if isinstance(r.value, ox.Literal) and r.value.datatype in kept}
    if not wanted:
        return
    records: dict = {}  # (subject, predicate IRI) -> [(term as written, datatype, well formed)]
    by_term: dict = {}  # for values not reached by one predicate: stored term -> the same with subject
    pairs = sorted({(r.focus_node, str(r.result_path)) for r in results if r.value in wanted
                    and isinstance(r.result_path, URIRef)}, key=str)
    others = sorted({r.value for r in results if r.value in wanted and not isinstance(r.result_path, URIRef)}, key=str)
    fields = (f"?r <{SUBJECT.value}> ?s ; <{PREDICATE.value}> ?p ; <{OBJECT.value}> ?o ; <{LEXICAL.value}> ?lex ; "
              f"<{DATATYPE.value}> ?dt ; <{WELL_FORMED.value}> ?ok")
    named = [(s, p) for s, p in pairs if not isinstance(s, ox.BlankNode)]
    asks = [f"VALUES (?s ?p) {{ {' '.join(f'({s} <{p}>)' for s, p in named[i:i + 200])} }}"
            for i in range(0, len(named), 200)]
    if len(named) < len(pairs):  # blank nodes cannot be named in a query (a remote store skolemises them)
        from .store import SKOLEM_PREFIX

        asks.append(f'FILTER(isBlank(?s) || STRSTARTS(STR(?s), "{SKOLEM_PREFIX}"))')
    asks += [f"VALUES ?o {{ {' '.join(str(t) for t in others[i:i + 200])} }}" for i in range(0, len(others), 200)]
    for values in asks:
        for s, p, o, lex, dt, ok in store.select(f"SELECT ?s ?p ?o ?lex ?dt ?ok WHERE {{ {values} "
                                                 f"GRAPH <{GRAPH_WRITTEN}> {{ {fields} }} }}"):
            way = (s, p.value, ox.Literal(lex.value, datatype=dt), dt.value, ok.value in ("true", "1"))
            records.setdefault((s, p.value), []).append(way)
            by_term.setdefault(o, []).append(way)
    added = []
    for r in results:
        if r.value not in wanted:
            continue
        if isinstance(r.result_path, URIRef):
            # by value, not by term: a store may keep the object under another datatype
            found = [x for x in records.get((r.focus_node, str(r.result_path)), ()) if _same(x[2], r.value)]
        else:
            found = by_term.get(r.value, [])
            if r.result_path is not None:
                named = predicates_of(r.result_path)
                found = [x for x in found if x[1] in named]
            found = [x for x in found if x[0] == r.focus_node] or found
        if r.source_constraint_component == SH.DatatypeConstraintComponent:
            dt = str(datatype_of(r))
            found = [x for x in found if x[3] != dt or not x[4]]
        ways = list(dict.fromkeys(x[2] for x in found))
        for n, term in enumerate(ways):
            target = r if n == 0 else copy.copy(r)
            if target.focus_node == target.value:  # a node shape's value is its focus node
                target.focus_node = term
            target.value = term
            if n:
                added.append(target)
    results.extend(added)


def _same(written: ox.Literal, stored: ox.Literal) -> bool:
    """Whether a stored literal is the value of one written ("+007" and "7", "2020-01-01T00:00:00.000Z"
    and "2020-01-01T00:00:00Z")."""
    import datetime as dt
    from decimal import Decimal, InvalidOperation

    if written.value == stored.value:
        return True
    try:
        return Decimal(written.value) == Decimal(stored.value)
    except InvalidOperation:
        pass
    try:
        return dt.datetime.fromisoformat(written.value) == dt.datetime.fromisoformat(stored.value)
    except ValueError:
        return False
