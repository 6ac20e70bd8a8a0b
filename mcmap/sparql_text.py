"""Just enough SPARQL lexing to bind parameters on an endpoint that lacks pre-binding.

A VALUES clause appended after a query is joined after GROUP BY and HAVING: a parameter that
is not a group key is out of scope there and filters nothing, every group is computed before
the filter (three times slower on 100k credentials), and a query that already ends with VALUES
no longer parses. Pre-binding means joining at the start of the WHERE group instead, so this
module finds that group's opening brace, skipping strings, IRIs and comments, and puts the
VALUES block just inside it.
"""
from __future__ import annotations

import re

from .errors import McmapError

# Longest alternatives first: long strings before short ones.
_TOKEN = re.compile(
    r'''(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*)'''
    r'''|[?$][A-Za-z0-9_]+'''  # variables: ?select is not the keyword
    r'''|(?P<word>[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z0-9_.\-%]*)?|:[A-Za-z0-9_.\-%]*)'''
    r'''|(?P<brace>[{}])|(?P<other>\S)''',
    re.S,
)


def _tokens(query: str):
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind is None or kind == "skip":
            continue
        yield kind, m.group(), m.start()


def query_form(query: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK (or an update keyword), from the first keyword after
    the prologue; None if there is none."""
    for kind, text, _ in _tokens(query):
        if kind == "word" and text.upper() not in ("PREFIX", "BASE"):
            word = text.upper()
            if word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "INSERT", "DELETE", "LOAD",
                        "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"):
                return word
    return None


# A second look at the raw text, in case the lexer above and the store's parser ever disagree
# on where a string, IRI or comment ends: anything shaped like `SERVICE [SILENT] <iri>|?var|p:x {`
# is refused, even inside a string (an honest query hardly ever holds that text).
_GAP = r"(?:\s|#[^\n]*(?:\n|$))*"
_SERVICE_SHAPE = re.compile(
    rf"(?<![\w:?$])SERVICE{_GAP}(?:SILENT{_GAP})?(?:<[^>]*>|[?$]\w+|[\w.\-]*:[^\s{{]*){_GAP}\{{",
    re.IGNORECASE)
FEDERATION_REFUSED = ("SPARQL SERVICE (a federated query) is refused: mcmap never makes a network "
                      "request a query asks for; load the other data into the store instead")


def refuse_federation(query: str) -> None:
    """Raise FederationRefused if `query` uses SERVICE (a call to another endpoint)."""
    from .errors import FederationRefused

    if any(kind == "word" and text.upper() == "SERVICE" for kind, text, _ in _tokens(query)) \
            or _SERVICE_SHAPE.search(query):
        raise FederationRefused(FEDERATION_REFUSED)


def _where_brace(query: str) -> tuple[int, str | None]:
    """Offset of the '{' that opens the WHERE group, and for the `CONSTRUCT WHERE { }` short
    form the text inside it (which must then become the template too)."""
    toks = list(_tokens(query))
    form = None
    for i, (kind, text, pos) in enumerate(toks):
        if form is None and kind == "word" and text.upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            form = text.upper()
            if form == "CONSTRUCT":
                # Skip the template: CONSTRUCT { ... } WHERE { ... }, or the short form.
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                if nxt and nxt[1] == "{":
                    depth = 0
                    for j in range(i + 1, len(toks)):
                        if toks[j][1] == "{":
                            depth += 1
                        elif toks[j][1] == "}":
                            depth -= 1
                            if depth == 0:
                                return _next_open(toks, j + 1), None
                elif nxt and nxt[1].upper() == "WHERE":
                    start = _next_open(toks, i + 2)
                    end = _matching_close(toks, query, start)
                    return start, query[start + 1:end]
            return _next_open(toks, i + 1), None
    raise McmapError("cannot bind parameters: no SELECT, CONSTRUCT, DESCRIBE or ASK in the query")


def _next_open(toks, start: int) -> int:
    for kind, text, pos in toks[start:]:
        if text == "{":
            return pos
    raise McmapError("cannot bind parameters: the query has no WHERE clause")


def _matching_close(toks, query: str, open_pos: int) -> int:
    depth = 0
    for kind, text, pos in toks:
        if pos < open_pos:
            continue
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            if depth == 0:
                return pos
    raise McmapError("cannot bind parameters: unbalanced braces in the query")


def values_block(bindings: dict[str, str]) -> str:
    """`VALUES (?a ?b) { (<x> "y") }` from variable names and terms already in N-Triples form."""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def values_groups(names: list[str], var: str, size: int) -> list[str]:
    """`{ VALUES ?var { ... } }` over `names` (terms as a query writes them), at most `size` in
    a group. Each stands in a group of its own: Virtuoso ignores a FILTER (such as the hash
    parts of a large answer) on a variable bound only by a VALUES block of the same group."""
    return [f"{{ VALUES ?{var} {{ {' '.join(names[i:i + size])} }} }}" for i in range(0, len(names), size)]


def inject_values(query: str, bindings: dict[str, str]) -> str:
    """The query with `bindings` (variable -> N-Triples term) joined at the start of its WHERE
    group. Line numbers are kept, so an endpoint's syntax errors still point at the right line."""
    if not bindings:
        return query
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise McmapError(f"'{name}' is not a SPARQL variable name")
    pos, short_template = _where_brace(query)
    block = values_block(bindings)
    if short_template is not None:
        # CONSTRUCT WHERE { P } means CONSTRUCT { P } WHERE { P }; spell it out so VALUES fits.
        head = query[:pos].rstrip()
        assert head.upper().endswith("WHERE")
        head = head[: -len("WHERE")]
        return f"{head}{{{short_template}}} WHERE {{ {block} {query[pos + 1:]}"
    return f"{query[:pos + 1]} {block} {query[pos + 1:]}"


def with_filter(query: str, condition: str) -> str:
    """The SELECT query with FILTER(condition) at the start of its WHERE group, where every
    variable of that group is in scope (a FILTER applies to its whole group wherever it stands).
    The group is the first `{` after SELECT outside parentheses: a projected `(EXISTS { ... } AS ?x)`
    is not it."""
    depth, seen_select = 0, False
    for kind, text, pos in _tokens(query):
        if not seen_select:
            seen_select = kind == "word" and text.upper() == "SELECT"
            continue
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "{" and depth == 0:
            return f"{query[:pos + 1]} FILTER({condition}) {query[pos + 1:]}"
    raise McmapError("cannot split the query: no SELECT ... WHERE { } in it")
