"""Reading shapes out of a shapes graph: targets, paths, constraint parameters, severities."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from .terms import ShapesError, sparql_term

TARGET_PREDICATES = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass
class Shape:
    node: object
    path: object  # the sh:path node, None for a node shape
    sparql_path: str | None
    nullable: bool  # the path can be empty, so each focus node is one of its own value nodes
    severity: URIRef
    messages: tuple
    deactivated: bool
    params: dict = field(default_factory=dict)  # constraint parameter -> list of values
    properties: list = field(default_factory=list)  # nested property shape nodes

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def values(self, predicate) -> list:
        return self.params.get(predicate, [])

    def one(self, predicate):
        vals = self.params.get(predicate)
        return vals[0] if vals else None


class ShapesGraph:
    def __init__(self, graph: Graph):
        self.graph = graph
        self._cache: dict = {}
        self._implicit_types = set(graph.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}

    def shape(self, node) -> Shape:
        if node not in self._cache:
            self._cache[node] = self._read(node)
        return self._cache[node]

    def _read(self, node) -> Shape:
        g = self.graph
        path = g.value(node, SH.path)
        params: dict = {}
        for p, o in g.predicate_objects(node):
            params.setdefault(p, []).append(o)
        deactivated = any(isinstance(d, Literal) and d.value is True for d in params.get(SH.deactivated, []))
        return Shape(
            node=node,
            path=path,
            sparql_path=sparql_path(g, path) if path is not None else None,
            nullable=path is not None and nullable(g, path),
            severity=g.value(node, SH.severity) or SH.Violation,
            messages=tuple(params.get(SH.message, [])),
            deactivated=deactivated,
            params=params,
            properties=list(params.get(SH.property, [])),
        )

    def list_items(self, node) -> list:
        return list(Collection(self.graph, node)) if node is not None else []

    def implicit_class_target(self, node) -> bool:
        return any(t in self._implicit_types for t in self.graph.objects(node, RDF.type))

    def targeted_shapes(self) -> list:
        """Shapes with at least one target, in a stable order."""
        g = self.graph
        found = set()
        for p in TARGET_PREDICATES:
            found.update(g.subjects(p, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            for s in g.subjects(RDF.type, kind):
                if self.implicit_class_target(s):
                    found.add(s)
        return sorted(found, key=lambda n: (isinstance(n, BNode), str(n)))

    def only_class_target(self, shape: Shape):
        """The class, if a single class target is the shape's only target; else None."""
        g, node = self.graph, shape.node
        if any(g.value(node, p) is not None for p in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)):
            return None
        classes = list(g.objects(node, SH.targetClass)) + ([node] if self.implicit_class_target(node) else [])
        return classes[0] if len(classes) == 1 and isinstance(classes[0], URIRef) else None

    def targets_pattern(self, shape: Shape, var: str) -> str | None:
        """A pattern binding `var` to every focus node of the shape's targets (with duplicates)."""
        g, node = self.graph, shape.node
        branches = []
        nodes = [sparql_term(t) for t in g.objects(node, SH.targetNode)]
        if nodes:
            branches.append(f"VALUES {var} {{ {' '.join(nodes)} }}")
        classes = list(g.objects(node, SH.targetClass))
        if self.implicit_class_target(node):
            classes.append(node)
        for c in classes:
            branches.append(instance_of(var, sparql_term(c)))
        for p in g.objects(node, SH.targetSubjectsOf):
            branches.append(f"{var} {sparql_term(p)} [] .")
        for p in g.objects(node, SH.targetObjectsOf):
            branches.append(f"[] {sparql_term(p)} {var} .")
        if not branches:
            return None
        return " UNION ".join(f"{{ {b} }}" for b in branches)


def instance_of(var: str, cls: str) -> str:
    """A pattern matching when `var` is an instance of `cls` or of a subclass. Not the shorter
    `rdf:type/rdfs:subClassOf*`: Virtuoso answers that path with one row instead of one per
    instance when the query also binds strings or uses NOT EXISTS."""
    return f"{{ {var} <{RDF.type}> {cls} }} UNION {{ {var} <{RDF.type}>/<{RDFS.subClassOf}>+ {cls} }}"


def sparql_path(g: Graph, node) -> str:
    """A SHACL property path as a SPARQL 1.1 property path."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in g:
        items = list(Collection(g, node))
        return "(" + "/".join(sparql_path(g, i) for i in items) + ")"
    for pred, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                      (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = g.value(node, pred)
        if inner is not None:
            return fmt.format(sparql_path(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(sparql_path(g, i) for i in Collection(g, alt)) + ")"
    raise ShapesError(f"unsupported property path {node.n3()}")




def nullable(g: Graph, node) -> bool:
    if isinstance(node, URIRef):
        return False
    if (node, RDF.first, None) in g:
        return all(nullable(g, i) for i in Collection(g, node))
    if g.value(node, SH.zeroOrMorePath) is not None or g.value(node, SH.zeroOrOnePath) is not None:
        return True
    for pred in (SH.inversePath, SH.oneOrMorePath):
        inner = g.value(node, pred)
        if inner is not None:
            return nullable(g, inner)
    alt = g.value(node, SH.alternativePath)
    return alt is not None and any(nullable(g, i) for i in Collection(g, alt))
