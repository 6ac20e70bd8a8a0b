"""JSON-LD written in mcmap's own context, in one pass over the triples.

A general JSON-LD compaction algorithm is far too slow for registers of many thousands of
credentials; this writer knows the one context it writes for, so each value is written in the
form that context expands back to the same triple: a term's coerced type as a plain string, any
other datatype or a language as a value object, IRIs as compact IRIs.
"""
from __future__ import annotations

import json
from functools import cache

import pyoxigraph as ox

from .. import namespaces as ns
from .contexts import MCMAP_CONTEXT_URL, load_context

_XSD_STRING = ns.XSD + "string"
RDF_TYPE = ns.RDF + "type"


@cache
def _context():
    ctx = load_context(MCMAP_CONTEXT_URL)["@context"]
    prefixes = {k: v for k, v in ctx.items()
                if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))}

    def expand(value: str) -> str:
        prefix, sep, local = value.partition(":")
        return prefixes[prefix] + local if sep and prefix in prefixes else value

    terms: dict[str, tuple[str, str | None]] = {}   # property IRI -> (term, coerced type)
    classes: dict[str, str] = {}                      # class or vocabulary IRI -> term
    for term, definition in ctx.items():
        if term.startswith("@") or term in prefixes or term in ("id", "type"):
            continue
        if isinstance(definition, str):
            classes[expand(definition)] = term
        elif isinstance(definition, dict) and "@id" in definition:
            coerced = definition.get("@type")
            terms.setdefault(expand(definition["@id"]), (term, expand(coerced) if coerced else None))
    # Longest namespace first, so mcid: wins over a shorter prefix of the same IRI.
    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    return ordered, terms, classes


def _compact_iri(iri: str) -> str:
    ordered, _, _ = _context()
    for prefix, base in ordered:
        if iri.startswith(base) and len(iri) > len(base) and not iri[len(base):].startswith("//"):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def _node_ref(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else _compact_iri(term.value)


def _value(obj, coerced: str | None):
    if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
        if coerced == "@id":
            return _node_ref(obj)
        if coerced == "@vocab" and isinstance(obj, ox.NamedNode):
            return _context()[2].get(obj.value, _compact_iri(obj.value))
        return {"id": _node_ref(obj)}
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    datatype = obj.datatype.value
    if coerced is None and datatype == _XSD_STRING:
        return obj.value
    if coerced == datatype:
        return obj.value
    if datatype == _XSD_STRING:
        return {"@value": obj.value}
    return {"@value": obj.value, "@type": _compact_iri(datatype)}


def node(subject, triples) -> dict:
    """`subject`'s node object: its id, its types, then its other keys in order, each with its
    value or its values in order."""
    _, terms, classes = _context()
    node: dict = {}
    for t in triples:
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("type", []).append(classes.get(t.object.value, _compact_iri(t.object.value)))
            continue
        term, coerced = terms.get(t.predicate.value, (None, None))
        if term is None:
            term = _compact_iri(t.predicate.value)
            if term == "type" or term == "id":
                term = t.predicate.value
        node.setdefault(term, []).append(_value(t.object, coerced))
    ordered = {"id": _node_ref(subject)}
    for k in (["type"] if "type" in node else []) + sorted(k for k in node if k != "type"):
        v = node[k]
        ordered[k] = v[0] if len(v) == 1 else sorted(v, key=lambda x: json.dumps(x, sort_keys=True))
    return ordered


def write_jsonld(groups, out) -> None:
    """JSON-LD whose @context is mcmap's context URL, written to the binary stream `out` a node
    at a time: `groups` yields (subject, its triples), subjects in order, each subject once."""
    from .jsondoc import write_list

    head = "{\n  " + json.dumps("@context") + ": " + json.dumps(MCMAP_CONTEXT_URL) + ",\n  \"@graph\": "
    write_list(out, (node(s, set(triples)) for s, triples in groups), head=head, tail="\n}\n", level=1)
