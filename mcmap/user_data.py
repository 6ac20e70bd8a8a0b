"""What a user's file may put into a store: its own statements in its own graphs.

Framework facts (levels, frameworks, jurisdictions, credit systems, regulators, the vocabulary)
come only from the shipped ontology. A submission may refer to them but not describe them: a
file saying `<.../id/level/aqf/11> skos:inScheme <.../id/framework/aqf>` would otherwise make
AQF level 11 valid for every later submission in the store. Readers refuse files naming mcmap's
graphs; correspondences a file carries (an export with --mapped) are the file's own claims and
go into the data graph, not the mappings graph.
"""
from __future__ import annotations

import warnings

import pyoxigraph as ox

from . import namespaces as ns
from .formats.jsondoc import ReadWarning

_DATA = ox.NamedNode(ns.GRAPH_DATA)
FRAMEWORK_TERMS = (ns.ID, ns.MC)


class IgnoredStatements(ReadWarning):
    pass


def is_framework_term(term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(FRAMEWORK_TERMS)


def user_quads(quads: list, source: str = "the files") -> list:
    """`quads` as a submission may store them, with a warning for what was left out."""
    kept, ignored = [], []
    for q in quads:
        if is_framework_term(q.subject):
            ignored.append(q)
            continue
        g = q.graph_name
        if isinstance(g, ox.NamedNode) and g.value.startswith(ns.GRAPH) and g != _DATA:
            q = ox.Quad(q.subject, q.predicate, q.object, _DATA)
        kept.append(q)
    if ignored:
        terms = sorted({q.subject.value for q in ignored})
        shown = ", ".join(f"<{t}>" for t in terms[:3]) + (f" and {len(terms) - 3} more" if len(terms) > 3 else "")
        warnings.warn(IgnoredStatements(
            f"{source}: ignored {len(ignored)} statement{'s' if len(ignored) != 1 else ''} about "
            f"mcmap's own framework terms ({shown}): framework facts come only from the shipped "
            "ontology"), stacklevel=2)
    return kept
