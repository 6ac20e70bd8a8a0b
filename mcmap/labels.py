"""Plain words for RDF names: concept labels from the ontology ("New Zealand", "Universities
New Zealand"), the submission template's column for a property (what a provider's spreadsheet
calls it), a property's label for other formats, and paths in SPARQL property-path syntax."""
from __future__ import annotations

from functools import cache

from . import namespaces as ns

_LABELS = (ns.SKOS + "prefLabel", ns.RDFS + "label", ns.SCHEMA + "name")
# A regulator of "none" is a statement, not an organisation: say so in words. The ontology
# reuses a few terms from other vocabularies without labelling them.
_OVERRIDES = {ns.ID + "regulator/NONE": "no regulator", ns.DCT + "title": "title",
              ns.DCT + "identifier": "identifier", ns.DCT + "language": "language",
              ns.DCT + "description": "description", ns.SCHEMA + "url": "web address",
              ns.SCHEMA + "name": "name"}


@cache
def labels() -> dict[str, str]:
    """IRI -> English label of everything the shipped ontology names."""
    from .ontology import ontology_triples

    best: dict[str, tuple[int, str]] = {}
    for t in ontology_triples():
        if t.predicate.value not in _LABELS or not hasattr(t.object, "language"):
            continue
        rank = _LABELS.index(t.predicate.value) * 2 + (0 if t.object.language in ("en", None, "") else 1)
        if t.subject.value not in best or rank < best[t.subject.value][0]:
            best[t.subject.value] = (rank, t.object.value)
    return {**{iri: label for iri, (_, label) in best.items()}, **_OVERRIDES}


def label(iri: str) -> str | None:
    """The ontology's label for an IRI, or None."""
    return labels().get(iri)


@cache
def columns() -> dict[str, str]:
    """Property IRI -> the submission template's column that fills it."""
    from .formats.columns import DECIMALS, MULTI, TEXT

    out = {prop: col for table in (TEXT, MULTI, DECIMALS) for col, prop in table.items()}
    out.update({
        ns.DCT + "identifier": "id", ns.MC + "provider": "provider", ns.SCHEMA + "name": "provider",
        ns.MC + "regulator": "provider_regulator", ns.MC + "jurisdiction": "jurisdiction",
        ns.MC + "level": "level", ns.MC + "creditSystem": "credit_system", ns.MC + "currency": "currency",
        ns.MC + "deliveryMode": "delivery_mode", ns.MC + "status": "status",
        ns.MC + "reviewPeriodYears": "review_period_years", ns.MC + "approvedOn": "approved_on",
        ns.SCHEMA + "url": "url",
    })
    return out


def prefixed(iri: str) -> str:
    """An IRI as SPARQL writes it: prefix:name where a prefix fits, else <iri>."""
    for prefix, base in ns.PREFIXES.items():
        local = iri[len(base):]
        if iri.startswith(base) and local and all(c.isalnum() or c in "_-." for c in local) \
                and not local.endswith("."):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def sparql_path(graph, node) -> str | None:
    """A SHACL path (an IRI, or a path expression in the shapes graph) in SPARQL syntax:
    `mc:provider/mc:regulator`, `^schema:member`, `(dct:title|schema:name)`, `mc:part*`."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF, SH

    if node is None:
        return None
    if isinstance(node, URIRef):
        return prefixed(str(node))
    if not isinstance(node, BNode) or graph is None:
        return str(node)
    if graph.value(node, RDF.first) is not None:
        return "/".join(_group(sparql_path(graph, n)) for n in Collection(graph, node))
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                      (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(node, prop)
        if inner is not None:
            return fmt.format(_group(sparql_path(graph, inner)))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(graph, n) for n in Collection(graph, alternatives)) + ")"
    return None


def _group(text: str | None) -> str:
    """Parenthesise a path that has a top-level "/" or "|" (outside brackets and IRIs)."""
    text = text or "?"
    depth, in_iri = 0, False
    for c in text:
        if c == "<" or (c == ">" and in_iri):
            in_iri = c == "<"
        elif not in_iri and c in "()":
            depth += 1 if c == "(" else -1
        elif not in_iri and depth == 0 and c in "/|":
            return f"({text})"
    return text


def path_steps(graph, node) -> list[str]:
    """The property IRIs a path passes through, in order (inverse steps included)."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF, SH

    if isinstance(node, URIRef):
        return [str(node)]
    if not isinstance(node, BNode) or graph is None:
        return []
    if graph.value(node, RDF.first) is not None:
        return [s for n in Collection(graph, node) for s in path_steps(graph, n)]
    for prop in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = graph.value(node, prop)
        if inner is not None:
            return path_steps(graph, inner)
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return path_steps(graph, next(iter(Collection(graph, alternatives)), None))
    return []


def field_name(graph, node, *, tabular: bool) -> str | None:
    """What a person calls a result's path: the template column (for a CSV or spreadsheet
    submission) or the field's label (for other formats)."""
    steps = path_steps(graph, node)
    if not steps:
        return None
    if tabular:
        for step in reversed(steps):
            if step in columns():
                return columns()[step]
    return " of ".join(label(s) or prefixed(s) for s in reversed(steps))


def term_text(term) -> str | None:
    """A term as a person reads it: literals as written, known IRIs by their label, mcmap's own
    IRIs by their last part, other IRIs in full."""
    if term is None:
        return None
    # rdflib terms are str subclasses (but not equal to their text); pyoxigraph's have .value
    value = str(term) if isinstance(term, str) else getattr(term, "value", None)
    value = str(term) if value is None else value
    kind = type(term).__name__
    if kind == "Literal":
        return str(value)
    if kind == "BNode" or kind == "BlankNode":
        return "(a blank node)"
    known = label(value)
    if known:
        return known
    for base in (ns.DATA + "credential/", ns.ID, ns.DATA, ns.MC):
        if value.startswith(base):
            from urllib.parse import unquote

            return unquote(value[len(base):])
    return value
