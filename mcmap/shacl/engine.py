"""Run a shapes graph against a store: each shape becomes a handful of SPARQL queries that
find every violating (focus node, value) at once, for all focus nodes together."""
from __future__ import annotations

import copy
from collections.abc import Callable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from .compiler import Compiler
from .messages import default_message, fill_template, fill_text
from .report import Report, Result
from .shapes import Shape, ShapesGraph
from .sparql_constraints import constraints as sparql_constraints
from .terms import TermCache, is_true
from .union_graph import covers_store
from ..written import as_written, has_records

PREFIX = f"PREFIX xsd: <{XSD}>\n"



class Focus:
    """The focus nodes of a shape, as query patterns. Called with a variable name: a group
    pattern binding it to each focus node once, for the top of a query. `test(var)`: a
    pattern with a solution when the (already bound) variable is a focus node, for FILTER
    EXISTS after the rows are found, which is cheaper in Oxigraph than joining every focus
    node first; None where the join is cheaper (a few listed nodes)."""

    def __init__(self, join: Callable[[str], str], test: Callable[[str], str] | None):
        self.join, self.test = join, test

    def __call__(self, var: str) -> str:
        return self.join(var)

    def around(self, var: str, body: str) -> str:
        """`body` (which binds `var` in every solution) restricted to the focus nodes."""
        if self.test is None:
            return f"{self.join(var)} {body}"
        return f"{body} FILTER EXISTS {{ {self.test(var)} }}"


def value_focus(parent: Focus, vals, var_name) -> Focus:
    """The value nodes of a property shape's focus nodes: the focus of its sh:property shapes."""
    def join(var):
        up = var_name("up")
        return f"{{ SELECT DISTINCT {var} WHERE {{ {parent(up)} {vals(up, var)} }} }}"

    def test(var):
        up = var_name("up")
        return f"{vals(up, var)} {parent.test(up) if parent.test else parent(up)}"
    return Focus(join, test)

Weight = Callable[[], dict]  # -> {focus node: times it is validated}, for those validated more than once


class Validator:
    def __init__(self, store, shapes: Graph, data_graphs=None, spill=None):
        self.store = store
        # spill(results): takes the results found so far away to disk, whenever CHUNK have
        # gathered and none is still to be repeated (`held`): a report's memory stays bounded
        self.spill, self.held, self.spilled = spill, 0, 0
        self.shapes = ShapesGraph(shapes)
        self.compiler = Compiler(self.shapes, getattr(store, "dialect", None))
        self.data_graphs = None if covers_store(store, data_graphs, self.shapes.graph) else data_graphs
        self.compiler.written = has_records(store)
        self.results: list[Result] = []
        self.term = TermCache().get_term
        self._messages: dict = {}
        self._focus: dict = {}  # each focus node once, however many results name it
        self._required: dict[str, list] = {}  # focus pattern -> shapes whose path needs a value

    def select(self, query: str, *, per_focus: bool = False):
        # prefixes declared by SPARQL constraints of nested shapes come first, so a query's
        # own declarations (which SPARQL lets override earlier ones) still win.
        # per_focus: each row is about the focus node ?this it projects, so a remote store may
        # send a large answer in parts split by focus node.
        return self.store.select(PREFIX + self.compiler.prologue() + query, default_graphs=self.data_graphs,
                                 split_by="this" if per_focus else None)

    def run(self) -> Report:
        targets = []
        shapes = [self.shapes.shape(node) for node in self.shapes.targeted_shapes()]
        with_subclasses = self.classes_with_subclasses()
        for s in shapes:
            pattern = self.shapes.targets_pattern(s, "?this")
            if not s.deactivated and pattern not in targets:
                targets.append(pattern)
            self.evaluate(s, self.focus_of(s, with_subclasses))
        self.required_values()
        written = self.as_written if self.compiler.written else None
        if written and not self.spilled:
            written(self.results)  # those taken to disk get theirs as they are read back
        return Report(conforms=not self.results and not self.spilled, results=self.results,
                      shapes_graph=self.shapes.graph, focus_count=self.count_focus(targets), as_written=written)

    def as_written(self, results: list) -> None:
        as_written(self.store, results, lambda r: self.shapes.shape(r.source_shape).one(SH.datatype),
                   self.path_predicates)

    def path_predicates(self, path) -> set[str]:
        """The predicate IRIs a path node of the shapes graph names, at any depth."""
        g, seen, out, todo = self.shapes.graph, set(), set(), [path]
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            if isinstance(node, URIRef):
                if not node.startswith((str(SH), str(RDF))):
                    out.add(str(node))
                continue
            todo.extend(g.objects(node, None))
        return out

    def focus_of(self, s: Shape, with_subclasses: set) -> Focus:
        cls = self.shapes.only_class_target(s)
        if cls is not None and cls not in with_subclasses:
            # one class and no subclasses: a plain triple pattern binds each instance once
            def plain(var, cls=cls):
                return f"{var} <{RDF.type}> <{cls}> ."
            return Focus(plain, plain)

        def join(var):
            return f"{{ SELECT DISTINCT {var} WHERE {{ {self.shapes.targets_pattern(s, var)} }} }}"

        def test(var):
            return self.shapes.targets_pattern(s, var)
        # a few listed nodes are best joined first; other targets are tested on the rows found
        only_nodes = not any(self.shapes.graph.value(s.node, p) is not None for p in (
            SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)) and not self.shapes.implicit_class_target(s.node)
        return Focus(join, None if only_nodes else test)

    def classes_with_subclasses(self) -> set:
        rows = self.select(f"SELECT DISTINCT ?c WHERE {{ ?s <{RDFS.subClassOf}> ?c FILTER(?s != ?c) }}")
        return {self.term(r[0]) for r in rows}

    def count_focus(self, patterns: list[str]) -> int:
        if not patterns:
            return 0
        union = " UNION ".join(f"{{ {p} }}" for p in patterns)
        rows = list(self.select(f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {union} }}"))
        return int(rows[0][0].value)

    # ---- one shape over a set of focus nodes ---------------------------------------------

    def evaluate(self, s: Shape, focus: Focus, weight: Weight | None = None) -> None:
        """`weight`, when given, says how many times each focus node is validated against `s`
        (more than once when it is a value of several focus nodes of a parent property shape):
        each validation yields its own results, so a finding is reported that many times."""
        if s.deactivated:
            return
        self.held += weight is not None
        start = len(self.results)
        self.value_checks(s, focus)
        self.focus_checks(s, focus)
        if s.is_property:
            self.counts(s, focus, weight)
        self.sparql(s, focus)
        self.repeat(start, weight)
        self.held -= weight is not None
        for prop in s.properties:
            child = self.shapes.shape(prop)
            if s.is_property:
                # sh:property on a property shape applies to its value nodes
                self.evaluate(child, value_focus(focus, values(s, focus), self.compiler.var),
                              self.value_weight(s, focus, weight))
            else:
                self.evaluate(child, focus, weight)

    def value_weight(self, s: Shape, focus: Focus, weight: Weight | None) -> Weight:
        """How many (focus node, value node) pairs of `s` reach each value node, counting each
        focus node as often as it is itself validated; asked only when a finding needs it."""
        known: list[dict] = []

        def counts() -> dict:
            if not known:
                parents = weight() if weight else {}
                up = self.compiler.var("up")
                n: dict = {}
                for row in self.select(f"SELECT DISTINCT {up} ?this WHERE {{ {focus(up)} {values(s, focus)(up, '?this')} }}"):
                    n[row[1]] = n.get(row[1], 0) + parents.get(row[0], 1)
                known.append({node: k for node, k in n.items() if k > 1})
            return known[0]
        return counts

    def repeat(self, start: int, weight: Weight | None) -> None:
        if weight is None or len(self.results) == start:
            return
        times = weight()
        if times:
            for r in self.results[start:]:
                self.results.extend(copy.copy(r) for _ in range(times.get(r.focus_node, 1) - 1))

    def add(self, s: Shape, component, param, focus_node, value, path=None, messages=None, qualified=None):
        path = path if path is not None else s.path
        if messages is None:
            messages = s.messages or self.default_message(component, param, path, qualified)
        messages = tuple(messages)
        # results with the same messages share one tuple: a report may hold a million results
        messages = self._messages.setdefault(("messages", messages), messages)
        focus_node = self._focus.setdefault(focus_node, focus_node)
        self.results.append(Result(focus_node, path, value, s.node, component, s.severity, messages))
        if self.spill is not None and not self.held and len(self.results) >= self.spill.size:
            self.spill(self.results)
            self.spilled += len(self.results)
            self.results, self._focus = [], {}

    def default_message(self, component, param, path, qualified) -> tuple:
        key = (component, param, path, qualified)
        if key not in self._messages:
            self._messages[key] = (default_message(component, param, path, qualified),)
        return self._messages[key]

    def filled(self, template, bindings: dict):
        """A SPARQL constraint's message for one row: results with the same text share one object."""
        if "{" not in template:
            return template
        key = ("filled", fill_text(template, bindings), template.language)
        message = self._messages.get(key)
        if message is None:  # a new text: most rows repeat an earlier one (the same value)
            message = self._messages[key] = fill_template(template, bindings)
        return message

    def value_checks(self, s: Shape, focus: Focus) -> None:
        """Every value-level check of the shape in one pass over its value nodes, each a
        column; sh:maxCount 0 or 1 rides along as one more column (another value exists)."""
        checks = self.compiler.value_checks(s)
        hi = folded_max(s)
        if not checks and hi is None:
            return
        v = "?value" if s.is_property else "?this"
        self.compiler.triple = (v, "?this", s.sparql_path) if s.is_property and isinstance(s.path, URIRef) else None
        tests = [f"COALESCE({fn(v, 0)}, false)" for _, _, fn in checks]
        self.compiler.triple = None
        bad = ["!" + t for t in tests]
        columns = flag_columns(tests, "ok")
        if hi is not None:
            many = "true" if hi == 0 else (
                f"EXISTS {{ {self.compiler.nested_values(s)('?this', '?other')} FILTER(!sameTerm(?other, ?value)) }}")
            bad.append(many)
            columns += f" ({many} AS ?many)"
        where = f"FILTER({' || '.join(bad)})"
        if not s.is_property:
            where = f"{focus('?this')} {where}"
        elif s.nullable:
            where = f"{values(s, focus)('?this', '?value')} {where}"
        else:
            where = focus.around("?this", f"?this {s.sparql_path} ?value . {where}")
        rows = self.select(f"SELECT DISTINCT ?this {'?value ' if s.is_property else ''}{columns} WHERE {{ {where} }}",
                           per_focus=True)
        n = 2 if s.is_property else 1
        too_many: dict = {}
        for row in rows:
            focus_node = row[0]
            value = row[1] if s.is_property else focus_node
            for (component, param, _), ok in zip(checks, row[n:n + len(checks)]):
                if not is_true(ok):
                    self.add(s, component, param, focus_node, value)
            if hi is not None and is_true(row[-1]):
                too_many[focus_node] = True
        for focus_node in too_many:
            self.add(s, SH.MaxCountConstraintComponent, s.one(SH.maxCount), focus_node, None)

    def focus_checks(self, s: Shape, focus: Focus) -> None:
        for component, param, build in self.compiler.focus_checks(s, nested=False):
            branches, value_var, path_var, key_var = build("?this", 0, values(s, focus))
            fetched = [x for x in (value_var, path_var, key_var) if x]
            union = " UNION ".join(f"{{ {focus('?this')} {b} }}" for b in branches)
            query = f"SELECT DISTINCT ?this {' '.join(fetched)} WHERE {{ {union} }}"
            for row in self.select(query, per_focus=True):
                got = dict(zip(["?this"] + fetched, row))
                self.add(s, component, param, got["?this"], got.get(value_var),
                         path=self.term(got.get(path_var)))

    def counts(self, s: Shape, focus: Focus, weight: Weight | None = None) -> None:
        lo, hi = s.one(SH.minCount), s.one(SH.maxCount)
        if lo is not None and int(lo) == 1 and not s.nullable:
            # the focus text names the focus set, and with it the weight
            self._required.setdefault(focus("?this"), (weight, []))[1].append(s)
        elif lo is not None:
            self._count(s, focus, None, SH.MinCountConstraintComponent, int(lo), "<")
        if hi is not None and folded_max(s) is None:
            self._count(s, focus, None, SH.MaxCountConstraintComponent, int(hi), ">")
        qualified = self.compiler.qualified(s)
        if qualified:
            cond = self.compiler.qualified_condition(s)
            for comp, lim, _ in qualified:
                op = "<" if comp == SH.QualifiedMinCountConstraintComponent else ">"
                self._count(s, focus, cond, comp, lim, op)

    def required_values(self, batch: int = 24) -> None:
        """sh:minCount 1, the most common rule, for many property shapes in one pass over the
        focus nodes. Shapes whose path is one predicate: one row per (focus node, shape) that
        lacks a value, the predicates listed in VALUES; other paths: one EXISTS flag per shape."""
        for focus_text, (weight, shapes) in self._required.items():
            self.held += weight is not None
            first = len(self.results)
            plain = [s for s in shapes if isinstance(s.path, URIRef)]
            if plain:
                listed = " ".join(f"({s.sparql_path} {i})" for i, s in enumerate(plain))
                query = (f"SELECT ?this ?i WHERE {{ VALUES (?p ?i) {{ {listed} }} {focus_text} "
                         f"FILTER NOT EXISTS {{ ?this ?p ?a }} }}")
                for focus_node, i in self.select(query, per_focus=True):
                    s = plain[int(i.value)]
                    self.add(s, SH.MinCountConstraintComponent, s.one(SH.minCount), focus_node, None)
            others = [s for s in shapes if not isinstance(s.path, URIRef)]
            for start in range(0, len(others), batch):
                group = others[start:start + batch]
                tests = [f"EXISTS {{ ?this {s.sparql_path} ?a{i} }}" for i, s in enumerate(group)]
                query = (f"SELECT ?this {flag_columns(tests, 'has')} WHERE {{ {focus_text} "
                         f"FILTER({' || '.join('!' + t for t in tests)}) }}")
                for row in self.select(query, per_focus=True):
                    focus_node = row[0]
                    for s, has in zip(group, row[1:]):
                        if not is_true(has):
                            self.add(s, SH.MinCountConstraintComponent, s.one(SH.minCount), focus_node, None)
            self.repeat(first, weight)
            self.held -= weight is not None

    def _count(self, s: Shape, focus: Focus, cond, component, limit: int, op: str) -> None:
        if op == "<" and limit <= 0:
            return
        vals = values(s, focus)("?this", "?a")
        where = f"FILTER({cond('?a', 0)})" if cond else ""
        if op == "<" and limit == 1:
            # the common "required" rule: a plain NOT EXISTS is cheaper than counting
            query = f"SELECT ?this WHERE {{ {focus('?this')} FILTER NOT EXISTS {{ {self.compiler.nested_values(s)('?this', '?a')} {where} }} }}"
        else:
            # at least `limit` values needs the focus nodes without values too (OPTIONAL)
            body = f"OPTIONAL {{ {vals} {where} }}" if op == "<" else f"{vals} {where}"
            query = (f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?a) AS ?n) WHERE {{ "
                     f"{focus('?this')} {body} }} GROUP BY ?this }} FILTER(?n {op} {limit}) }}")
        qshape = s.one(SH.qualifiedValueShape)
        param = s.one(_param_of(component))
        for row in self.select(query, per_focus=True):
            self.add(s, component, param, row[0], None, qualified=qshape)

    def sparql(self, s: Shape, focus: Focus) -> None:
        for c in sparql_constraints(self.shapes, s, focus("?this")):
            rows = self.select(c.query, per_focus=True)
            names = rows.variables
            seen = set()
            for row in rows:
                b = dict(zip(names, row))
                this = b.get("this")
                value = b.get("value")
                if value is None and not s.is_property:
                    value = this
                path = self.term(b.get("path"))
                b["value"] = value
                messages = tuple(self.filled(m, b) for m in c.messages + s.messages)
                key = (this, path, value, messages)
                if key in seen:
                    continue
                seen.add(key)
                self.add(s, SH.SPARQLConstraintComponent, c.node, this, value, path=path,
                         messages=messages or None)


def values(s: Shape, focus: Focus) -> Callable[[str, str], str]:
    """The pattern binding v to each value node of focus variable f, at the top of a query."""
    def vals(f: str, v: str) -> str:
        if not s.nullable:
            return f"{f} {s.sparql_path} {v} ."
        # SPARQL joins evaluate `?f path* ?v` on its own, where a focus node absent from the
        # data has no zero-length match; SHACL counts every focus node as its own value.
        return (f"{{ {{ {focus(f)} BIND({f} AS {v}) }} UNION "
                f"{{ {focus(f)} {f} {s.sparql_path} {v} . }} }}")
    return vals


def folded_max(s: Shape) -> int | None:
    """sh:maxCount when it is 0 or 1, which the value scan checks; None otherwise."""
    hi = s.one(SH.maxCount) if s.is_property else None
    return int(hi) if hi is not None and int(hi) <= 1 else None


def flag_columns(tests: list[str], name: str) -> str:
    """One projected boolean column per test. Computed in SELECT, not with BIND before the
    FILTER: Virtuoso gives every BIND(EXISTS ...) flag the same value once there are five or
    more of them and a FILTER reads them."""
    return " ".join(f"({t} AS ?{name}{i})" for i, t in enumerate(tests))


def _param_of(component):
    return {SH.MinCountConstraintComponent: SH.minCount, SH.MaxCountConstraintComponent: SH.maxCount,
            SH.QualifiedMinCountConstraintComponent: SH.qualifiedMinCount,
            SH.QualifiedMaxCountConstraintComponent: SH.qualifiedMaxCount}[component]


def run(store, shapes: Graph, *, data_graphs: list[str] | None = None, spill=None) -> Report:
    """Validate the store's data (the union of its graphs, or only `data_graphs`) against `shapes`.
    `spill` (a callable with a `size`): see Validator; `report.as_written` then gives results
    taken to disk their values as written, where the store retyped them."""
    return Validator(store, shapes, data_graphs, spill).run()
