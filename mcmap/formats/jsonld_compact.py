"""Triples written as nested JSON-LD under a published flat context (EDC's, CTDL's), so an
exchange document reads as the standard writes it and parses back to the same triples.

A predicate gets the context's term only where the term's coercion fits the value (an IRI for
"@type": "@id", a literal of the coerced datatype, a language-tagged text for a "@language"
container); every other value is written in expanded form under the full IRI, which every
JSON-LD processor reads the same way. Terms that another context of the document also defines,
even inside a type-scoped context, are never used: which definition wins would depend on the
node's type. A node is written where it is first referred to and referred to by id after that.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Term:
    name: str
    iri: str
    coerce: str | None = None      # "@id", a datatype IRI, or None
    language_map: bool = False


class Vocabulary:
    """The usable terms of a flat context: properties by IRI, classes by IRI."""

    def __init__(self, context: dict, *, avoid: set[str] = frozenset()):
        self.scoped: dict[str, dict[str, Term]] = {}
        prefixes = {k: v for k, v in context.items()
                    if isinstance(v, str) and not k.startswith("@") and ":" not in k and "/" in v}

        def expand(value: str) -> str:
            if value.startswith("@"):
                return value
            head, sep, rest = value.partition(":")
            if sep and head in prefixes and not rest.startswith("//"):
                return prefixes[head] + rest
            return value

        self.properties: dict[str, Term] = {}
        self.classes: dict[str, str] = {}
        for name, value in context.items():
            if name.startswith("@") or name in avoid or name in prefixes:
                continue
            if isinstance(value, str):
                iri = expand(value)
                # A class term names a class: its name starts with a capital in these contexts.
                (self.classes.__setitem__(iri, name) if name[:1].isupper()
                 else self.properties.setdefault(iri, Term(name, iri)))
            elif isinstance(value, dict) and isinstance(value.get("@id"), str) and "@context" not in value:
                iri = expand(value["@id"])
                coerce = value.get("@type")
                self.properties.setdefault(iri, Term(name, iri, expand(coerce) if coerce else None,
                                                     value.get("@container") == "@language"))

    def add_type_scoped(self, context: dict) -> None:
        """Class terms of another context (VerifiableCredential in the VC context) and the terms
        their type-scoped contexts define, usable on a node of that type only (type-scoped
        contexts do not reach nested nodes)."""
        for name, value in context.items():
            if isinstance(value, dict) and isinstance(value.get("@context"), dict) and name[:1].isupper():
                iri = value["@id"]
                self.classes[iri] = name
                inner = Vocabulary({k: v for k, v in value["@context"].items()
                                    if not (isinstance(v, dict) and v.get("@container") == "@graph")})
                self.scoped[iri] = inner.properties


def context_terms(context) -> set[str]:
    """Every term a context defines, at the top or inside scoped contexts."""
    found: set[str] = set()
    for c in context if isinstance(context, list) else [context]:
        if isinstance(c, dict):
            for k, v in c.items():
                if not k.startswith("@"):
                    found.add(k)
                if isinstance(v, dict) and isinstance(v.get("@context"), (dict, list)):
                    found |= context_terms(v["@context"])
    return found


def _node_id(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


class _Writer:
    def __init__(self, triples, vocab: Vocabulary, seen: dict):
        self.vocab = vocab
        self.by_subject: dict = {}
        self.refs: dict = {}
        for t in sorted(set(triples), key=lambda t: (t.subject.value, t.predicate.value, t.object.value)):
            if (t.predicate.value, t.object) in seen.get(t.subject, ()):
                continue   # written in an earlier part of the document
            self.by_subject.setdefault(t.subject, []).append((t.predicate.value, t.object))
            if t.predicate.value != RDF_TYPE and not isinstance(t.object, ox.Literal):
                self.refs[t.object] = self.refs.get(t.object, 0) + 1
        self.written: set = set()

    def node(self, subject) -> dict:
        self.written.add(subject)
        out: dict = {}
        if isinstance(subject, ox.NamedNode) or self.refs.get(subject, 0) != 1:
            out["id"] = _node_id(subject)
        props = self.by_subject.get(subject, [])
        types = [o.value for p, o in props if p == RDF_TYPE and isinstance(o, ox.NamedNode)]
        if types:
            names = [self.vocab.classes.get(t, t) for t in types]
            out["type"] = names[0] if len(names) == 1 else names
        for pred, obj in props:
            if pred == RDF_TYPE and isinstance(obj, ox.NamedNode):
                continue
            key, value = self.value(pred, obj, types)
            if key in out and isinstance(value, dict) and isinstance(out[key], dict) and self._is_map(pred, key, types):
                for lang, text in value.items():
                    have = out[key].get(lang)
                    out[key][lang] = text if have is None else (have if isinstance(have, list) else [have]) + [text]
            elif key in out:
                out[key] = (out[key] if isinstance(out[key], list) else [out[key]]) + [value]
            else:
                out[key] = value
        return out

    def _term(self, pred: str, types: list[str]) -> Term | None:
        for t in types:
            if pred in self.vocab.scoped.get(t, {}):
                return self.vocab.scoped[t][pred]
        return self.vocab.properties.get(pred)

    def _is_map(self, pred: str, key: str, types) -> bool:
        term = self._term(pred, types)
        return term is not None and term.language_map and key == term.name

    def value(self, pred: str, obj, types):
        term = self._term(pred, types)
        if isinstance(obj, ox.Literal):
            if obj.language:
                if term and term.language_map:
                    return term.name, {obj.language: obj.value}
                return pred, {"@value": obj.value, "@language": obj.language}
            dtype = obj.datatype.value
            if term and not term.language_map and (term.coerce == dtype or (term.coerce is None and dtype == XSD_STRING)):
                return term.name, obj.value
            if term and not term.language_map and term.coerce != "@id":
                return term.name, {"@value": obj.value, "@type": dtype}
            if dtype == XSD_STRING:
                return pred, obj.value
            return pred, {"@value": obj.value, "@type": dtype}
        key = term.name if term and not term.language_map else pred
        if obj in self.by_subject and obj not in self.written:
            return key, self.node(obj)
        if term and term.coerce == "@id" and isinstance(obj, ox.NamedNode) and ":" in obj.value:
            return key, obj.value
        return key, {"id": _node_id(obj)}


def compact(triples, vocab: Vocabulary, *, first=(), seen: dict | None = None) -> list[dict]:
    """Top-level node objects: `first` in that order, then nodes nothing refers to, then any
    node left (in a cycle), each with what it refers to nested inside. A document written in
    parts passes the same `seen` (subject -> the (predicate, object) pairs written) to each
    part: a node met again is referred to by id, with only what is new about it written."""
    seen = {} if seen is None else seen
    w = _Writer(triples, vocab, seen)
    roots = list(dict.fromkeys(s for s in first if s in w.by_subject))
    chosen = set(roots)
    roots += sorted((s for s in w.by_subject if s not in w.refs and s not in chosen), key=str)
    out = []
    for s in roots + sorted(w.by_subject, key=str):
        if s not in w.written:
            out.append(w.node(s))
    for s, props in w.by_subject.items():
        seen.setdefault(s, set()).update(props)
    return out
