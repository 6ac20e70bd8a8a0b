"""What a user's file may put into a store: its own statements in its own graphs.

Framework facts (levels, frameworks, jurisdictions, credit systems, regulators, the vocabulary)
come only from the shipped ontology. A submission may refer to them but not describe them: a
file saying `<.../id/level/aqf/11> skos:inScheme <.../id/framework/aqf>` would otherwise make
AQF level 11 valid for every later submission in the store.

- A statement the shipped ontology already makes (mcmap's own ELM export names a level's
  scheme, as the EU's profiles ask) adds nothing and is kept, so the document stays whole.
- An RDF file that says anything else about a framework term is refused (its author wrote it).
- Other statements a reader builds from a document (an export carrying level correspondences
  with --mapped, a CSV row whose id is a framework term) are left out with a warning.
- Files never write into mcmap's own graphs: RDF readers refuse them; quads readers put there
  (correspondences a document carries) go into the data graph, as the document's own claims.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from functools import cache

import pyoxigraph as ox

from . import namespaces as ns
from .formats.jsondoc import ReadWarning

_DATA = ox.NamedNode(ns.GRAPH_DATA)
FRAMEWORK_TERMS = (ns.ID, ns.MC)
REFUSED = ("describes {terms}, {what} of mcmap's frameworks; framework facts come only from the "
           "shipped ontology: a submission may refer to them but not define them")


class IgnoredStatements(ReadWarning):
    pass


def is_framework_term(term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(FRAMEWORK_TERMS)


@cache
def shipped() -> frozenset[str]:
    """The shipped ontology's statements about framework terms, as N-Triples text."""
    from .ontology import ontology_triples, reference_triples

    return frozenset(str(t) for t in (*ontology_triples(), *reference_triples()) if is_framework_term(t.subject))


@cache
def shipped_terms() -> frozenset[str]:
    return frozenset(t.split(" ", 1)[0] for t in shipped())


# Exports name a shipped term's SKOS class where the ontology names a subclass (mc:Level).
_SKOS_TYPES = {f"<{ns.RDF}type> <{ns.SKOS}Concept>", f"<{ns.RDF}type> <{ns.SKOS}ConceptScheme>"}


def is_new_framework_fact(s, p, o) -> bool:
    if not is_framework_term(s):
        return False
    text = str(ox.Triple(s, p, o))
    if text in shipped():
        return False
    subject, rest = text.split(" ", 1)
    return not (rest in _SKOS_TYPES and subject in shipped_terms())


def new_framework_facts(rows) -> list[str]:
    """The subjects of the (s, p, o) rows that say something the ontology does not."""
    found: list[str] = []
    for s, p, o in rows:
        if is_new_framework_fact(s, p, o) and s.value not in found:
            found.append(s.value)
    return found


def framework_statements(load, graph: str) -> list[tuple]:
    """The (s, p, o) a load wrote to `graph` about framework terms. Each distinct subject is
    looked at once, in Python: several times faster than Oxigraph testing every triple's
    subject as text; the statements are then fetched for those subjects only (usually none).
    A load into an endpoint looked at each statement as it wrote it (mcmap.load_watch)."""
    watch = getattr(load, "watch", None)
    if watch is not None and watch.covers(graph):
        return list(watch.framework)
    rows = load.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", graph, split_by="s")
    subjects = [s for (s,) in rows if is_framework_term(s)]
    if not subjects:
        return []
    values = " ".join(str(s) for s in subjects)
    return [tuple(r) for r in load.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}", graph)]


def refusal(iris: list[str]) -> str:
    terms = ", ".join(f"<{t}>" for t in iris[:3])
    return REFUSED.format(terms=terms, what="a term" if len(iris) == 1 else "terms")


def user_quads(quads: Iterable[ox.Quad], source: str = "the files") -> Iterator[ox.Quad]:
    """`quads` a reader built, as a submission may store them; a warning for what was left out."""
    ignored: dict[str, int] = {}
    for q in quads:
        if is_new_framework_fact(q.subject, q.predicate, q.object):
            ignored[q.subject.value] = ignored.get(q.subject.value, 0) + 1
            continue
        g = q.graph_name
        if isinstance(g, ox.NamedNode) and g.value.startswith(ns.GRAPH) and g != _DATA:
            q = ox.Quad(q.subject, q.predicate, q.object, _DATA)
        yield q
    if ignored:
        warn_ignored(source, ignored)


def warn_ignored(source: str, ignored: dict[str, int]) -> None:
    """Say which framework terms' statements (IRI -> how many) a reader left out."""
    terms = sorted(ignored)
    count = sum(ignored.values())
    shown = ", ".join(f"<{t}>" for t in terms[:3]) + (f" and {len(terms) - 3} more" if len(terms) > 3 else "")
    warnings.warn(IgnoredStatements(
        f"{source}: ignored {count} statement{'s' if count != 1 else ''} about mcmap's own "
        f"framework terms ({shown}): framework facts come only from the shipped ontology"), stacklevel=3)


def refuse_framework_terms(quads: Iterable[ox.Quad], source: str) -> Iterator[ox.Quad]:
    """`quads` of a user's RDF file, or an InputError at the first that describes a framework term."""
    from .errors import InputError

    for q in quads:
        if is_new_framework_fact(q.subject, q.predicate, q.object):
            raise InputError(source, refusal([q.subject.value]))
        yield q  # what the ontology says already may be repeated (a document stays whole)
