"""SPARQL over files or a store: the named-query catalogue, safe parameters, running a query.

Parameters are never pasted into query text. Each becomes an RDF term (an IRI or a typed
literal) and is handed to the store as a binding: pyoxigraph substitutes it before evaluation,
a remote store joins it as a VALUES block at the start of the WHERE group. A value such as
`NZ> } ; DROP ALL ; #` is therefore at worst an odd literal, never SPARQL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import namespaces as ns
from .errors import InputError, UsageError
from .store import LocalStore, QuerySyntaxError, Store

QUERIES_DIR = Path(__file__).resolve().parent / "queries"


@dataclass
class Param:
    name: str
    kind: str = "term"
    meaning: str = ""


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)

    @property
    def source(self) -> str:
        return f"mcmap/queries/{self.path.name}"


# `# param: jurisdiction (jurisdiction) — the jurisdiction code, e.g. NZ`
_PARAM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[a-z-]+)\))?\s*(?:[—–-]+\s*(?P<meaning>.*))?$")


def parse_header(text: str, source: str) -> tuple[str, str, list[Param]]:
    """The `# title:`, `# description:` and `# param:` lines of a query's leading comments."""
    title, description, params, last = "", [], [], None
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        key, _, value = body.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key not in ("title", "description", "param"):
            if last == "description" and body:
                description.append(body)  # a description may run on over several lines
            continue
        last = key
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "param":
            m = _PARAM.match(value)
            if not m:
                raise InputError(source, f"cannot read the parameter line '{body}'", line=lineno)
            kind = m.group("kind") or "term"
            if kind not in CONVERTERS:
                raise InputError(source, f"unknown parameter type '{kind}' (known: {', '.join(CONVERTERS)})", line=lineno)
            params.append(Param(m.group("name"), kind, (m.group("meaning") or "").strip()))
    return title, " ".join(description), params


def load_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    q = NamedQuery(path.stem, path, text)
    q.title, q.description, q.params = parse_header(text, q.source)
    return q


def catalogue() -> dict[str, NamedQuery]:
    """The named queries shipped with mcmap, by name (the file name without `.rq`)."""
    return {p.stem: load_named(p) for p in sorted(QUERIES_DIR.glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    queries = catalogue()
    if name not in queries:
        raise UsageError(f"no named query '{name}' (known: {', '.join(queries)}; see mcmap query --list)")
    return queries[name]


# ------------------------------------------------------------------ parameters as RDF terms

def _iri(value: str):
    import pyoxigraph as ox

    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        raise ValueError("an IRI needs a scheme, e.g. https://...")
    return ox.NamedNode(iri)  # pyoxigraph rejects anything that is not an IRI


def _code_iri(make):
    def convert(value: str):
        if value.startswith("<") or "://" in value:
            return _iri(value)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", value):
            raise ValueError("expected a code such as NZ or AQF")
        return _iri(make(value))
    return convert


def _typed(datatype: str, check):
    def convert(value: str):
        import pyoxigraph as ox

        check(value)
        return ox.Literal(value, datatype=ox.NamedNode(ns.XSD + datatype))
    return convert


def _string(value: str):
    import pyoxigraph as ox

    return ox.Literal(value)


def _integer(value: str):
    if not re.fullmatch(r"[+-]?\d+", value):
        raise ValueError("expected a whole number")


def _decimal(value: str):
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):
        raise ValueError("expected a decimal number")
    Decimal(value)


def _term(value: str):
    """A value from the command line, for an untyped parameter: <iri>, a number, a date, text."""
    if value.startswith("<") and value.endswith(">"):
        try:
            return _iri(value)
        except ValueError:
            pass  # text in angle brackets that is no IRI (e.g. "<>") is still a value: a string
    for check, convert in ((_integer, CONVERTERS["integer"]), (_decimal, CONVERTERS["decimal"]),
                           (date.fromisoformat, CONVERTERS["date"])):
        try:
            check(value)
        except (ValueError, InvalidOperation):
            continue
        return convert(value)
    return _string(value)


CONVERTERS = {
    "term": _term,
    "iri": _iri,
    "string": _string,
    "integer": _typed("integer", _integer),
    "decimal": _typed("decimal", _decimal),
    "date": _typed("date", date.fromisoformat),
    "jurisdiction": _code_iri(ns.jurisdiction_iri),
    "framework": _code_iri(ns.framework_iri),
    "regulator": _code_iri(ns.regulator_iri),
    "credit-system": _code_iri(ns.credit_system_iri),
}

_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param '{pair}': expected NAME=VALUE, e.g. jurisdiction=NZ")
        out[name.strip()] = value.strip()
    return out


def bind_params(text: str, values: dict[str, str], declared: list[Param] | None = None) -> dict:
    """Each NAME=VALUE as an RDF term of the parameter's declared type (or guessed for a query
    without declarations). A name the query does not use is an error, not silently ignored."""
    kinds = {p.name: p.kind for p in declared or []}
    used = set(_VARIABLE.findall(text))
    bindings = {}
    for name, value in values.items():
        if declared is not None and name not in kinds:
            known = ", ".join(kinds) or "none"
            raise UsageError(f"--param {name}: this query takes no such parameter (it takes: {known})")
        if name not in used:
            raise UsageError(f"--param {name}: the query has no variable ?{name}")
        kind = kinds.get(name, "term")
        try:
            bindings[name] = CONVERTERS[kind](value)
        except (ValueError, InvalidOperation) as e:
            raise UsageError(f"--param {name}={value!r}: not a valid {kind}: {e}") from None
    return bindings


# ------------------------------------------------------------------ running

def memory_store(files=(), fmt: str | None = None) -> LocalStore:
    """An in-memory store holding the ontology, the frameworks and the given files."""
    from .load import store_with_files

    # store_with_files brings the level correspondences too, so level questions can be answered.
    return store_with_files([Path(f) for f in files], fmt)


def run(store: Store, text: str, *, source: str, bindings: dict | None = None):
    """Run one query; a malformed query is an InputError naming the query file and line."""
    try:
        return store.query(text, bindings=bindings or None)
    except QuerySyntaxError as e:
        raise InputError(source, f"SPARQL syntax error: {e.reason}"
                         + (f" (column {e.column})" if e.column else ""), line=e.line) from None


_QUERY_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE")


def read_query_file(path: str | Path) -> str:
    """The text of a query file; "-" reads standard input."""
    if str(path) == "-":
        import sys

        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError("<stdin>", f"not UTF-8 text: {e.reason}") from None
        if not text.strip():
            raise InputError("<stdin>", "the query text is empty")
        return text
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        # Query text given where a file name belongs is a common slip: say what to do instead.
        hint = " (to run SPARQL text, give it with --sparql/-e)" if str(path).lstrip().upper().startswith(_QUERY_WORDS) else ""
        raise InputError(str(p), "no such query file" + hint) from None
    except UnicodeDecodeError as e:
        raise InputError(str(p), f"not UTF-8 text: {e.reason}") from None
    except OSError as e:
        raise InputError(str(p), f"cannot read: {e.strerror}") from None
    if not text.strip():
        raise InputError(str(p), "the query file is empty")
    return text


from ._callable import make_callable  # noqa: E402  (last: the module is complete)

make_callable(__name__)
