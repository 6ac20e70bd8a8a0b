"""SHACL-SPARQL constraints (sh:sparql with sh:select), run for all focus nodes at once.

Instead of pre-binding $this once per focus node, the focus-node pattern is placed at the
top of the query's WHERE clause, so the store evaluates the constraint in one pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import SH

from .shapes import Shape, ShapesGraph
from .terms import ShapesError

_THIS = re.compile(r"[$?]this\b")
_PATH = re.compile(r"\$PATH\b")
_SHAPE = re.compile(r"[$?]currentShape\b")
_SELECT = re.compile(r"\bSELECT\s+((?:DISTINCT|REDUCED)\s+)?", re.I)
_VAR = re.compile(r"[$?]")


@dataclass
class SparqlConstraint:
    node: object
    query: str
    messages: tuple


def prefixes(shapes: ShapesGraph, constraint) -> str:
    g = shapes.graph
    lines = []
    for owner in g.objects(constraint, SH.prefixes):
        for decl in g.objects(owner, SH.declare):
            prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines)


def constraints(shapes: ShapesGraph, s: Shape, focus: str) -> list[SparqlConstraint]:
    """The shape's active SPARQL constraints, each as one query whose rows are violations.
    `focus` is a group pattern binding ?this to every focus node."""
    g = shapes.graph
    out = []
    for c in s.values(SH.sparql):
        if any(isinstance(d, Literal) and d.value is True for d in g.objects(c, SH.deactivated)):
            continue
        select = g.value(c, SH.select)
        if select is None:
            raise ShapesError(f"sh:sparql {c.n3()} has no sh:select (only SELECT constraints are supported)")
        text = str(select)
        if s.is_property:
            text = _PATH.sub(lambda _m: s.sparql_path, text)
        elif _PATH.search(text):
            raise ShapesError(f"sh:sparql {c.n3()} uses $PATH in a node shape")
        if isinstance(s.node, URIRef):
            text = _SHAPE.sub(f"<{s.node}>", text)
        text = _THIS.sub("?this", text)
        text = _project_this(text)
        brace = _where_brace(text)
        if brace < 0:
            raise ShapesError(f"sh:sparql {c.n3()}: cannot find the WHERE clause")
        text = text[: brace + 1] + f" {focus} " + text[brace + 1:]
        out.append(SparqlConstraint(c, prefixes(shapes, c) + "\n" + text, tuple(g.objects(c, SH.message))))
    return out


def _project_this(text: str) -> str:
    m = _SELECT.search(text)
    if not m:
        return text
    rest = text[m.end():]
    head = rest.split("{", 1)[0]
    if head.lstrip().startswith("*") or re.search(r"\?this\b", head):
        return text
    return text[: m.end()] + "?this " + rest


def _where_brace(text: str) -> int:
    m = _SELECT.search(text)
    return text.find("{", m.end() if m else 0)


_STRING = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)


def nested_pattern(shapes: ShapesGraph, s: Shape, c, focus_var: str, suffix: str, declare) -> str:
    """The WHERE body of a SPARQL constraint as a group pattern about `focus_var`, for use
    inside EXISTS when the shape is reached through sh:node, sh:not, sh:and, sh:or, sh:xone or
    a qualified shape. Its other variables get `suffix` so nested copies never collide;
    `declare(prefix, namespace)` collects the prefixes the outer query must declare."""
    g = shapes.graph
    text = str(g.value(c, SH.select))
    for m in _PREFIX_DECL.finditer(prefixes(shapes, c) + "\n" + text):
        declare(m.group(1) or "", m.group(2))
    text = _PREFIX_DECL.sub("", text)
    if s.is_property:
        text = _PATH.sub(lambda _m: s.sparql_path, text)
    if isinstance(s.node, URIRef):
        text = _SHAPE.sub(f"<{s.node}>", text)
    start = _where_brace(text)
    end = text.rfind("}")
    if start < 0 or end < start or text[end + 1:].strip():
        raise ShapesError(f"sh:sparql {c.n3()}: only a plain SELECT ... WHERE {{ }} can be used "
                          "inside sh:node, sh:not, sh:and, sh:or, sh:xone or qualified shapes")
    body = text[start + 1:end]

    def rename(chunk: str) -> str:
        return _VARIABLE.sub(lambda m: focus_var if m.group(1) == "this" else f"?{m.group(1)}_{suffix}", chunk)
    out, pos = [], 0
    for m in _STRING.finditer(body):
        out.append(rename(body[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(rename(body[pos:]))
    return "".join(out)


def active(shapes: ShapesGraph, s: Shape) -> list:
    g = shapes.graph
    return [c for c in s.values(SH.sparql)
            if not any(isinstance(d, Literal) and d.value is True for d in g.objects(c, SH.deactivated))
            and g.value(c, SH.select) is not None]
