"""SHACL Core constraints as SPARQL expressions and patterns.

Value-level constraints (class, datatype, ranges, strings, logic, node...) become one boolean
expression over a value variable, so a property shape's value checks run in one pass over its
values. Focus-level constraints (counts, property pairs, closed, hasValue...) become group
patterns that have a solution exactly when the focus node violates them. Nested shapes
(sh:node, sh:not, sh:and, sh:or, sh:xone, qualified shapes) become NOT EXISTS over the nested
shape's own violation pattern, so conformance of every value is decided inside the store.
"""
from __future__ import annotations

from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from . import sparql_constraints
from .shapes import Shape, ShapesGraph, instance_of
from ..formats.values import INTEGER_RANGES as _RANGES
from ..store import SKOLEM_PREFIX
from .terms import ShapesError, same_term_expr, sparql_term
from ..written import DATATYPE as _DT, GRAPH_WRITTEN, OBJECT as _O, PREDICATE as _P, SUBJECT as _S, WELL_FORMED as _WF

WRITTEN_SUBJECT, WRITTEN_PREDICATE, WRITTEN_OBJECT = _S.value, _P.value, _O.value
WRITTEN_DATATYPE, WELL_FORMED = _DT.value, _WF.value

MAX_DEPTH = 12  # nested shape references deeper than this are treated as conforming (recursion)
MAX_NESTED_COUNT = 8  # counts inside nested shapes are matched pairwise; larger ones are refused


# Oxigraph stores derived integer types as xsd:integer, so accept an xsd:integer in range too.
INTEGER_RANGES = {XSD[local]: bounds for local, bounds in _RANGES.items()}
CASTABLE = (XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.boolean, XSD.date,
            XSD.dateTime, XSD.time)
# A remote store holds blank nodes as skolem IRIs (mcmap.store.SKOLEM_PREFIX): they still count as
# blank nodes, so a rule judges the same data the same way in an embedded and a remote store.
_SKOLEM = f'STRSTARTS(STR({{v}}), "{SKOLEM_PREFIX}")'
IS_BLANK = f"(isBlank({{v}}) || (isIRI({{v}}) && {_SKOLEM}))"
IS_IRI = f"(isIRI({{v}}) && !{_SKOLEM})"
NODE_KINDS = {
    SH.IRI: IS_IRI, SH.BlankNode: IS_BLANK, SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: f"({IS_BLANK} || isLiteral({{v}}))",
    SH.IRIOrLiteral: f"({IS_IRI} || isLiteral({{v}}))",
}
RANGES = {SH.minExclusive: ">", SH.minInclusive: ">=", SH.maxExclusive: "<", SH.maxInclusive: "<="}

Check = tuple  # (component IRI, parameter value, function (var, depth) -> SPARQL expression)


def _str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _int(lit) -> int:
    if not isinstance(lit, Literal) or not isinstance(lit.value, int):
        raise ShapesError(f"expected an integer, got {lit.n3() if hasattr(lit, 'n3') else lit}")
    return int(lit.value)


def _is_true(term) -> bool:
    """SHACL activates sh:uniqueLang only for the literal true, not for "1"^^xsd:boolean."""
    return isinstance(term, Literal) and term.datatype == XSD.boolean and str(term) == "true"


def datatype_expr(v: str, dt, integer_decimals: bool = False, exact: bool = False) -> str:
    """sh:datatype over the stored value. Not `exact`: a store without records of how
    literals were written (mcmap.written) is taken to have retyped every integer-derived
    literal, so an xsd:integer in the datatype's range passes."""
    if dt == RDFS.Literal:
        return f"isLiteral({v})"
    if dt == RDF.langString:
        return f'(isLiteral({v}) && lang({v}) != "")'
    if dt in INTEGER_RANGES:
        lo, hi = INTEGER_RANGES[dt]
        bounds = "".join([f" && xsd:integer(STR({v})) >= {lo}" if lo is not None else "",
                          f" && xsd:integer(STR({v})) <= {hi}" if hi is not None else ""])
        types = f"datatype({v}) = {sparql_term(dt)}" + ("" if exact else f" || datatype({v}) = xsd:integer")
        return f"(isLiteral({v}) && ({types}) && isLiteral(xsd:integer(STR({v}))){bounds})"
    wellformed = f" && isLiteral({sparql_term(dt)}(STR({v})))" if dt in CASTABLE else ""
    if dt == XSD.decimal and integer_decimals:
        # the store turned whole decimals into integers: an integer is all it can show
        return (f"(isLiteral({v}) && (datatype({v}) = xsd:decimal || datatype({v}) = xsd:integer)"
                f"{wellformed})")
    return f"(isLiteral({v}) && datatype({v}) = {sparql_term(dt)}{wellformed})"


def _stringish(v: str) -> str:
    return f'(isIRI({v}) || (isLiteral({v}) && (datatype({v}) = xsd:string || lang({v}) != "")))'


def compare_expr(a: str, b: str, op: str) -> str:
    """a op b as pySHACL compares for sh:lessThan: strings (and IRIs) with strings, other
    literals by value; a string against a non-string never satisfies it."""
    return (f"IF({_stringish(a)} && {_stringish(b)}, STR({a}) {op} STR({b}), "
            f"IF({_stringish(a)} || {_stringish(b)}, false, {a} {op} {b}))")


def path_values(path: str, nullable: bool, f: str, v: str) -> str:
    """v bound to each value of f along path, inside EXISTS (f already replaced by a term).
    Engines differ on whether `<term> p* ?v` yields a term absent from the data, so an empty
    path is spelled out: SHACL counts every focus node as one of its own values."""
    if not nullable:
        return f"{f} {path} {v} ."
    return f"{{ {{ BIND({f} AS {v}) }} UNION {{ {f} {path} {v} . }} }}"


class Compiler:
    def __init__(self, shapes: ShapesGraph, dialect=None):
        self.shapes = shapes
        # the one store difference the compiler must know (mcmap.store_dialect)
        self.integer_decimals = bool(getattr(dialect, "integer_decimals", False))
        # The store holds records of literals it retyped (mcmap.written): sh:datatype reads
        # the datatype as written from them. Set by the engine, which asks the store once.
        self.written = False
        # (value variable, subject variable, predicate) of the triple a value comes from, when
        # the path is one predicate: a record of that value (also in shapes nested on it,
        # sh:node, sh:or...) is then found by its triple, not by the term alone.
        self.triple: tuple[str, str, str] | None = None
        self._n = 0
        self.prefixes: dict[str, str] = {}  # declared by SPARQL constraints used in nested shapes

    def declare(self, prefix: str, namespace: str) -> None:
        if self.prefixes.setdefault(prefix, namespace) != namespace:
            raise ShapesError(f"prefix '{prefix}:' is declared as both <{self.prefixes[prefix]}> and "
                              f"<{namespace}> by SPARQL constraints in nested shapes")

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())

    def var(self, hint: str = "v") -> str:
        self._n += 1
        return f"?{hint}{self._n}"

    def datatype(self, v: str, depth: int, dt) -> str:
        if not self.written:
            return datatype_expr(v, dt, self.integer_decimals)
        # The datatype as written: a record of the value's triple (or, where the triple is not
        # known, of the value) says it; a value without one was written as the store keeps it.
        key = f"<{WRITTEN_OBJECT}> {v}"
        if self.triple is not None and self.triple[0] == v:
            key += f" ; <{WRITTEN_SUBJECT}> {self.triple[1]} ; <{WRITTEN_PREDICATE}> {self.triple[2]}"
        # Where one stored triple was written several ways ("1"^^xsd:int and "1"^^xsd:long
        # are one triple in the store), every way must pass.
        r, d, ok = self.var("written"), self.var("dt"), self.var("ok")
        record = f"GRAPH <{GRAPH_WRITTEN}> {{ {r} {key} }}"
        failing = (f"GRAPH <{GRAPH_WRITTEN}> {{ {r} {key} ; <{WRITTEN_DATATYPE}> {d} ; <{WELL_FORMED}> {ok} }} "
                   f"FILTER({d} != {sparql_term(dt)} || !{ok})")
        return (f"IF(EXISTS {{ {record} }}, NOT EXISTS {{ {failing} }}, "
                f"{datatype_expr(v, dt, self.integer_decimals, exact=True)})")

    # ---- nested shapes -------------------------------------------------------------------

    def conforms(self, node, v: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            return "true"
        pattern = self.violates(self.shapes.shape(node), v, depth + 1)
        return "true" if pattern is None else f"NOT EXISTS {{ {pattern} }}"

    def violates(self, s: Shape, x: str, depth: int) -> str | None:
        """A group pattern with a solution iff the node bound to `x` violates shape `s`."""
        if s.deactivated:
            return None
        branches = []
        checks = self.value_checks(s)
        if checks:
            v = self.var() if s.is_property else x
            nodes = path_values(s.sparql_path, s.nullable, x, v) if s.is_property else ""
            bad = " || ".join(f"!COALESCE({fn(v, depth)}, false)" for _, _, fn in checks)
            branches.append(f"{nodes} FILTER({bad})")
        for _, _, build in self.focus_checks(s, nested=True):
            branches.extend(build(x, depth, self.nested_values(s))[0])
        for c in sparql_constraints.active(self.shapes, s):
            branches.append(sparql_constraints.nested_pattern(
                self.shapes, s, c, x, self.var("s")[1:], self.declare))
        for prop in s.properties:
            if s.is_property:
                v = self.var()
                inner = self.violates(self.shapes.shape(prop), v, depth + 1)
                if inner is not None:
                    # FILTER EXISTS, not a join: Oxigraph evaluates a joined group in full
                    # for every outer row, but EXISTS with its variables already bound.
                    branches.append(f"{path_values(s.sparql_path, s.nullable, x, v)} FILTER EXISTS {{ {inner} }}")
            else:
                inner = self.violates(self.shapes.shape(prop), x, depth + 1)
                if inner is not None:
                    branches.append(inner)
        if not branches:
            return None
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    @staticmethod
    def nested_values(s: Shape) -> Callable:
        """vals(f, v) inside EXISTS, where f is already bound to a term."""
        return lambda f, v: path_values(s.sparql_path, s.nullable, f, v)

    # ---- value-level constraints ---------------------------------------------------------

    def value_checks(self, s: Shape) -> list[Check]:
        checks: list[Check] = []
        add = checks.append
        for c in s.values(SH["class"]):
            add((SH.ClassConstraintComponent, c,
                 lambda v, d, c=c: f"EXISTS {{ {instance_of(v, sparql_term(c))} }}"))
        for dt in s.values(SH.datatype):
            add((SH.DatatypeConstraintComponent, dt, lambda v, d, dt=dt: self.datatype(v, d, dt)))
        for kind in s.values(SH.nodeKind):
            if kind not in NODE_KINDS:
                raise ShapesError(f"unknown sh:nodeKind {kind.n3()}")
            add((SH.NodeKindConstraintComponent, kind, lambda v, d, k=kind: NODE_KINDS[k].format(v=v)))
        for pred, op in RANGES.items():
            comp = SH[pred.fragment[0].upper() + pred.fragment[1:] + "ConstraintComponent"]
            for lim in s.values(pred):
                add((comp, lim, lambda v, d, op=op, lim=lim: f"{v} {op} {sparql_term(lim)}"))
        for n in s.values(SH.minLength):
            add((SH.MinLengthConstraintComponent, n,
                 lambda v, d, n=_int(n): f"(!{IS_BLANK.format(v=v)} && STRLEN(STR({v})) >= {n})" if n else "true"))
        for n in s.values(SH.maxLength):
            add((SH.MaxLengthConstraintComponent, n,
                 lambda v, d, n=_int(n): f"(!{IS_BLANK.format(v=v)} && STRLEN(STR({v})) <= {n})"))
        flags = s.one(SH.flags)
        for pat in s.values(SH.pattern):
            args = _str(str(pat)) + (", " + _str(str(flags)) if flags is not None else "")
            add((SH.PatternConstraintComponent, pat,
                 lambda v, d, a=args: f"(!{IS_BLANK.format(v=v)} && REGEX(STR({v}), {a}))"))
        for lst in s.values(SH.languageIn):
            langs = [str(x) for x in self.shapes.list_items(lst)]
            add((SH.LanguageInConstraintComponent, lst, lambda v, d, langs=langs: "(isLiteral({v}) && ({m}))".format(
                v=v, m=" || ".join(f"langMatches(lang({v}), {_str(x)})" for x in langs) or "false")))
        for lst in s.values(SH["in"]):
            members = self.shapes.list_items(lst)
            add((SH.InConstraintComponent, lst, lambda v, d, ms=members: "({})".format(
                " || ".join(same_term_expr(v, m) for m in ms) or "false")))
        for node in s.values(SH.node):
            add((SH.NodeConstraintComponent, node, lambda v, d, n=node: self.conforms(n, v, d)))
        for node in s.values(SH["not"]):
            add((SH.NotConstraintComponent, node, lambda v, d, n=node: f"!({self.conforms(n, v, d)})"))
        for lst in s.values(SH["and"]):
            add((SH.AndConstraintComponent, lst, lambda v, d, lst=lst: "({})".format(
                " && ".join(self.conforms(n, v, d) for n in self.shapes.list_items(lst)) or "true")))
        for lst in s.values(SH["or"]):
            add((SH.OrConstraintComponent, lst, lambda v, d, lst=lst: "({})".format(
                " || ".join(self.conforms(n, v, d) for n in self.shapes.list_items(lst)) or "false")))
        for lst in s.values(SH.xone):
            add((SH.XoneConstraintComponent, lst, lambda v, d, lst=lst: "(({}) = 1)".format(
                " + ".join(f"IF({self.conforms(n, v, d)}, 1, 0)" for n in self.shapes.list_items(lst)) or "0")))
        return checks

    # ---- focus-level constraints ---------------------------------------------------------

    def focus_checks(self, s: Shape, nested: bool) -> list[tuple]:
        """(component, parameter, build) where build(f, depth, vals) returns (branches, value
        var, path var, key var): the focus node violates iff one branch has a solution.
        vals(f, v) is the pattern binding v to each value node of focus f."""
        out = []
        p = s.sparql_path
        if s.is_property and nested:
            lo, hi = s.one(SH.minCount), s.one(SH.maxCount)
            if lo is not None and _int(lo) > 0:
                out.append((SH.MinCountConstraintComponent, lo, lambda f, d, vals, n=_int(lo): (
                    [f"FILTER NOT EXISTS {{ {self.distinct(f, vals, n, None, d)} }}"], None, None, None)))
            if hi is not None:
                out.append((SH.MaxCountConstraintComponent, hi, lambda f, d, vals, n=_int(hi): (
                    [self.distinct(f, vals, n + 1, None, d)], None, None, None)))
            for comp, lim, extra in self.qualified(s):
                cond = self.qualified_condition(s)
                if comp == SH.QualifiedMinCountConstraintComponent:
                    out.append((comp, lim, lambda f, d, vals, n=lim, c=cond: (
                        [f"FILTER NOT EXISTS {{ {self.distinct(f, vals, n, c, d)} }}"], None, None, None)))
                else:
                    out.append((comp, lim, lambda f, d, vals, n=lim, c=cond: (
                        [self.distinct(f, vals, n + 1, c, d)], None, None, None)))
        for h in s.values(SH.hasValue):
            if s.is_property:
                out.append((SH.HasValueConstraintComponent, h, lambda f, d, vals, h=h: (
                    [f"FILTER NOT EXISTS {{ {self.has(s, f, sparql_term(h))} }}"], None, None, None)))
            else:
                out.append((SH.HasValueConstraintComponent, h, lambda f, d, vals, h=h: (
                    [f"FILTER(!{same_term_expr(f, h)})"], None, None, None)))
        if s.is_property and any(_is_true(u) for u in s.values(SH.uniqueLang)):
            def unique_lang(f, d, vals):
                a, b, k = self.var("a"), self.var("b"), self.var("lang")
                return ([f"{vals(f, a)} {vals(f, b)} FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && "
                         f'isLiteral({b}) && lang({a}) != "" && LCASE(lang({a})) = LCASE(lang({b}))) '
                         f"BIND(LCASE(lang({a})) AS {k})"], None, None, k)
            out.append((SH.UniqueLangConstraintComponent, True, unique_lang))
        for other in s.values(SH.equals):
            out.append((SH.EqualsConstraintComponent, other, lambda f, d, vals, o=other: self.equals(s, f, o, vals)))
        for other in s.values(SH.disjoint):
            def disjoint(f, d, vals, o=other):
                v = self.var()
                if s.is_property:
                    return [f"{vals(f, v)} {f} {sparql_term(o)} {v} ."], v, None, None
                return [f"{f} {sparql_term(o)} {f} . BIND({f} AS {v})"], v, None, None
            out.append((SH.DisjointConstraintComponent, other, disjoint))
        for pred, op, comp in ((SH.lessThan, "<", SH.LessThanConstraintComponent),
                               (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent)):
            for other in s.values(pred):
                def less(f, d, vals, o=other, op=op):
                    v, w = self.var(), self.var("w")
                    values = vals(f, v) if s.is_property else f"BIND({f} AS {v})"
                    # one result per (value, other value) pair that fails, as SHACL defines
                    return ([f"{values} {f} {sparql_term(o)} {w} . "
                             f"FILTER(!COALESCE({compare_expr(v, w, op)}, false))"], v, None, w)
                out.append((comp, other, less))
        if not s.is_property and any(isinstance(c, Literal) and c.value is True for c in s.values(SH.closed)):
            out.append((SH.ClosedConstraintComponent, True, self.closed(s)))
        return out

    def distinct(self, f: str, vals: Callable, n: int, cond: Callable | None, depth: int) -> str:
        """A pattern matching when `f` has at least n distinct values (satisfying cond)."""
        if n > MAX_NESTED_COUNT:
            raise ShapesError(f"counts above {MAX_NESTED_COUNT} inside nested shapes are not supported")
        vs = [self.var("c") for _ in range(n)]
        parts = [vals(f, v) for v in vs]
        tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        if cond is not None:
            tests += [cond(v, depth) for v in vs]
        return " ".join(parts) + (f" FILTER({' && '.join(tests)})" if tests else "")

    def has(self, s: Shape, f: str, term: str) -> str:
        """A pattern matching when `term` is a value of focus f (both bound)."""
        if not s.nullable:
            return f"{f} {s.sparql_path} {term} ."
        t = self.var("t")
        return f"{path_values(s.sparql_path, True, f, t)} FILTER(sameTerm({t}, {term}))"

    def equals(self, s: Shape, f: str, other, vals):
        v, o = self.var(), sparql_term(other)
        if s.is_property:
            p = s.sparql_path
            return ([f"{vals(f, v)} FILTER NOT EXISTS {{ {f} {o} {v} }}",
                     f"{f} {o} {v} . FILTER NOT EXISTS {{ {self.has(s, f, v)} }}"], v, None, None)
        return ([f"FILTER NOT EXISTS {{ {f} {o} {f} }} BIND({f} AS {v})",
                 f"{f} {o} {v} . FILTER(!sameTerm({v}, {f}))"], v, None, None)

    def closed(self, s: Shape):
        allowed = set(self.shapes.list_items(s.one(SH.ignoredProperties)))
        for prop in s.properties:
            path = self.shapes.graph.value(prop, SH.path)
            if isinstance(path, URIRef):
                allowed.add(path)

        def build(f, d, vals):
            pv, v = self.var("p"), self.var()
            allow = ", ".join(sparql_term(a) for a in sorted(allowed))
            test = f" FILTER({pv} NOT IN ({allow}))" if allow else ""
            return [f"{f} {pv} {v} .{test}"], v, pv, None
        return build

    # ---- qualified value shapes ----------------------------------------------------------

    def qualified(self, s: Shape) -> list[tuple]:
        if s.one(SH.qualifiedValueShape) is None:
            return []
        out = []
        lo, hi = s.one(SH.qualifiedMinCount), s.one(SH.qualifiedMaxCount)
        if lo is not None:
            out.append((SH.QualifiedMinCountConstraintComponent, _int(lo), None))
        if hi is not None:
            out.append((SH.QualifiedMaxCountConstraintComponent, _int(hi), None))
        return out

    def qualified_condition(self, s: Shape) -> Callable:
        """A value counts if it conforms to the qualified shape and, when the shapes are
        declared disjoint, to none of the sibling qualified shapes."""
        q = s.one(SH.qualifiedValueShape)
        siblings = []
        if any(isinstance(x, Literal) and x.value is True for x in s.values(SH.qualifiedValueShapesDisjoint)):
            g = self.shapes.graph
            for parent in g.subjects(SH.property, s.node):
                for sib in g.objects(parent, SH.property):
                    for sq in g.objects(sib, SH.qualifiedValueShape):
                        if sib != s.node and sq != q:
                            siblings.append(sq)

        def cond(v, d):
            parts = [self.conforms(q, v, d)] + [f"!({self.conforms(sq, v, d)})" for sq in siblings]
            return "(" + " && ".join(parts) + ")"
        return cond
