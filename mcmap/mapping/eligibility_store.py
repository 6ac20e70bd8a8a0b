"""Eligibility checked inside the store that holds the credentials (`map --endpoint`).

The converted records are written into a private work graph of the store (the data graph's
triples with each credential's jurisdiction, level and volume replaced, copied by one update
inside the store, then the converted values in batches), the target's rules run there, and
only the findings and the few facts needed to read them come back: the data graph is never
downloaded.
"""
from __future__ import annotations

import uuid

import pyoxigraph as ox

from .. import namespaces as ns
from .eligibility import REPLACED, Converted, Verdict, converted_quads, verdicts_from

WORK = ns.GRAPH + "mapping-work/"


def check_in_store(store, records: list[Converted], rule_set: str, as_of=None) -> dict[str, Verdict]:
    """Run `rule_set` over the converted records inside `store`; a Verdict per credential IRI."""
    from ..validate import REFERENCE_GRAPHS, validate

    work = f"{WORK}{uuid.uuid4().hex}"
    data = ns.GRAPH_DATA
    replaced = ", ".join(f"<{p}>" for p in sorted(REPLACED))
    try:
        store.update(
            f"INSERT {{ GRAPH <{work}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{data}> {{ ?s ?p ?o }} "
            f"FILTER(?p NOT IN ({replaced}) || NOT EXISTS {{ GRAPH <{data}> "
            f"{{ ?s a <{ns.MC}MicroCredential> }} }}) }}")
        graph = ox.NamedNode(work)
        store.add(ox.Quad(q.subject, q.predicate, q.object, graph)
                  for q in converted_quads([], records))
        report = validate(store, rule_set, as_of=as_of, data_graphs=[work, *REFERENCE_GRAPHS])
        iris = {r.iri for r in records}
        others = {_iri(r.focus_node) for r in report.results} - iris - {None}
        paths = {_iri(r.result_path) for r in report.results} - {None}
        return verdicts_from(report, records, _owners(store, others, iris),
                             _stated(store, work, paths))
    finally:
        store.clear_graph(work)


def _iri(term) -> str | None:
    from rdflib import URIRef

    if isinstance(term, ox.NamedNode):  # a focus node, as the store gave it
        return term.value
    return str(term) if isinstance(term, URIRef) else None


def _owners(store, nodes: set[str], iris: set[str]) -> dict[str, set[str]]:
    """The credentials pointing at each of `nodes` (providers and the like)."""
    owners: dict[str, set[str]] = {}
    if not nodes:
        return owners
    values = " ".join(f"<{n}>" for n in sorted(nodes))
    rows = store.select(f"SELECT ?o ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o }}",
                        default_graphs=[ns.GRAPH_DATA])
    for o, s in rows:
        if s.value in iris:
            owners.setdefault(o.value, set()).add(s.value)
    return owners


def _stated(store, work: str, paths: set[str]) -> set[tuple[str, str]]:
    """The (subject, predicate) pairs of the converted data, for the predicates findings name."""
    if not paths:
        return set()
    values = " ".join(f"<{p}>" for p in sorted(paths))
    rows = store.select(f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
                        default_graphs=[work])
    return {(s.value, p.value) for s, p in rows}
