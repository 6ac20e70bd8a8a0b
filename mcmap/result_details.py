"""What mcmap adds to each validation result beyond SHACL's: the credential's identifier, title
and place in its file (fetched only for credentials with findings), whether the credential
states the information a finding is about, and the report's order (by file and row)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import SH

from . import namespaces as ns
from .shacl.report import NO_DETAILS
from .sparql_text import values_groups

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}

_DETAILS = """
        SELECT ?c (SAMPLE(?f) AS ?file) (SAMPLE(?r) AS ?row) (SAMPLE(?l) AS ?line)
               (SAMPLE(?t) AS ?title) (SAMPLE(?i) AS ?id)
        WHERE { %s
                OPTIONAL { ?c mc:sourceFile ?f } OPTIONAL { ?c mc:sourceRow ?r }
                OPTIONAL { ?c mc:sourceLine ?l } OPTIONAL { ?c dct:title ?t }
                OPTIONAL { ?c dct:identifier ?i } }
        GROUP BY ?c"""


def credentials(store, data_graphs, focus_nodes, batch: int = 500, lines: bool = True) -> dict:
    """Source file, row or line, identifier and title of the given focus nodes (those with
    findings): fetched for them only, and lines looked up in their files only for them
    (unless `lines` is False: `find_lines` then looks them up)."""

    names = [store.named(n) for n in focus_nodes]
    named = sorted(n for n in names if n is not None)
    patterns = values_groups(named, "c", batch)
    if len(named) < len(names):
        # blank nodes an embedded store cannot name in a query: the few credentials without an
        # IRI, by scan
        patterns.append("?c a mc:MicroCredential FILTER(isBlank(?c))")
    out = {}
    # keyed by the results' own focus node objects, and one string per file name: a report of
    # a million credentials would otherwise hold each of them twice
    same = {n: n for n in focus_nodes}
    files: dict = {}
    for pattern in patterns:
        # split_by: a store that cuts answers below `batch` rows (Virtuoso's ResultSetMaxRows
        # set that low) is asked for the batch in parts
        for c, f, r, line, t, i in store.select(ns.sparql_prefixes() + _DETAILS % pattern,
                                                default_graphs=data_graphs, split_by="c"):
            out[same.get(c, c)] = {
                "source_file": files.setdefault(f.value, f.value) if f is not None else None,
                "source_row": int(r.value) if r is not None else None,
                "source_line": int(line.value) if line is not None else None,
                "title": t.value if t is not None else None,
                "identifier": i.value if i is not None else None,
            }
    if lines:
        by_file: dict[str, list] = {}
        for node, d in out.items():
            if needs_line(node, d):
                by_file.setdefault(d["source_file"], []).append(node)
        for file, nodes in by_file.items():
            found = find_lines(file, [n.value for n in nodes])
            if found is not None:
                for n in nodes:
                    out[n]["source_line"] = found.get(n.value)
    return out


def needs_line(node, d: dict) -> bool:
    """A credential read from an RDF file, whose line the loader leaves to be looked up."""
    return bool(d["source_file"]) and d["source_row"] is None and d["source_line"] is None \
        and isinstance(node, ox.NamedNode)


def find_lines(file: str, iris: list[str]) -> dict | None:
    """The line of each IRI in `file` (None when the file is no longer there)."""
    from .formats.rdf import source_lines

    path = Path(file)
    return source_lines(path, iris) if path.is_file() else None


# Constraints whose failure always means "nothing is stated" (a required value is missing).
_MISSING = {SH.MinCountConstraintComponent, SH.QualifiedMinCountConstraintComponent}
# Constraints whose ?value need not be the value at the result path (SPARQL constraints bind
# what they like; hasValue reports no value), so the data is asked whether the path has one.
_ASK_DATA = {SH.SPARQLConstraintComponent, SH.HasValueConstraintComponent}


def mark_stated(store, results, graphs) -> None:
    """Set `stated` on every result: False when the rule is about a property the credential
    does not state at all, True when something stated contradicts it."""

    ask: dict = {}
    for r in results:
        if r.source_constraint_component in _MISSING:
            r.stated = False
        elif isinstance(r.result_path, URIRef) and (r.value is None or r.source_constraint_component in _ASK_DATA):
            ask.setdefault(r.result_path, []).append(r)
        else:
            r.stated = True
    for path, rs in ask.items():
        focus = {r.focus_node for r in rs}
        names = sorted(n for n in map(store.named, focus) if n is not None)
        having: set = set()
        for i in range(0, len(names), 500):
            values = " ".join(names[i:i + 500])
            q = f"SELECT DISTINCT ?s WHERE {{ {{ VALUES ?s {{ {values} }} }} ?s <{path}> ?o }}"
            having |= {row[0] for row in store.select(q, default_graphs=graphs, split_by="s")}
        if len(names) < len(focus):  # blank-node credentials an embedded store cannot name
            q = f"SELECT DISTINCT ?s WHERE {{ ?s <{path}> ?o FILTER isBlank(?s) }}"
            having |= {row[0] for row in store.select(q, default_graphs=graphs)}
        for r in rs:
            r.stated = r.focus_node in having


def finish(store, graphs, results: list, creds: dict, rule_of, listing: bool) -> None:
    """Give each result its rule's details (`rule_of(shape)`), its credential's (`creds`) and
    its stated mark; a listing's Violations about information not stated become Warnings."""
    for r in results:
        r.rule = rule_of(r.source_shape)
        r.credential = creds.get(r.focus_node, NO_DETAILS)
    mark_stated(store, results, graphs)
    if listing:
        for r in results:
            if r.severity == SH.Violation and r.stated is False:
                r.severity = SH.Warning
                r.lowered_from = "Violation"


def place(focus, d: dict) -> tuple:
    """Where a credential comes in a report: by file, then row or line, then focus node."""
    return (d.get("source_file") or "", d.get("source_row") or d.get("source_line") or 0, focus.value)


def ordered(results: list) -> list:
    """The results grouped by credential, credentials in the order of their files and rows,
    each one's findings by severity, rule and value."""
    groups: dict = {}
    for r in results:
        groups.setdefault(r.focus_node, []).append(r)

    out: list = []
    for _, rs in sorted(groups.items(), key=lambda item: place(item[0], item[1][0].credential)):
        rs.sort(key=_finding_order)
        out += rs
    return out


def _finding_order(r):
    return (SEVERITY_ORDER.get(r.severity, 3), r.rule.get("rule_id") or "",
            "None" if r.value is None else r.value.value)
