"""The facts of each credential that mapping needs, read from a store with one SPARQL query."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from .. import namespaces as ns
from ..sparql_text import values_groups
from .volume import to_decimal

_QUERY = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?c (SAMPLE(?id_) AS ?id) (SAMPLE(?title_) AS ?title) (SAMPLE(?j_) AS ?j)
       (SAMPLE(?level_) AS ?level) (SAMPLE(?credits_) AS ?credits) (SAMPLE(?cs_) AS ?cs)
       (SAMPLE(?hours_) AS ?hours) (SAMPLE(?file_) AS ?file) (SAMPLE(?row_) AS ?row)
       (SAMPLE(?line_) AS ?line) (SAMPLE(?code_) AS ?code)
       (GROUP_CONCAT(DISTINCT ?lo; separator="\\u001f") AS ?outcomes)
WHERE {
  ?c a mc:MicroCredential .
  OPTIONAL { ?c dct:identifier ?id_ }
  OPTIONAL { ?c dct:title ?title_ }
  OPTIONAL { ?c mc:jurisdiction ?j_ }
  OPTIONAL { ?c mc:level ?level_ }
  OPTIONAL { ?c mc:creditValue ?credits_ }
  OPTIONAL { ?c mc:creditSystem ?cs_ }
  OPTIONAL { ?c mc:volumeOfLearningHours ?hours_ }
  OPTIONAL { ?c mc:sourceFile ?file_ }
  OPTIONAL { ?c mc:sourceRow ?row_ }
  OPTIONAL { ?c mc:sourceLine ?line_ }
  OPTIONAL { ?c mc:learningOutcome ?lo }
  OPTIONAL { ?c mc:nationalCode ?code_ }
}
GROUP BY ?c
ORDER BY ?file ?row ?line ?c
"""


@dataclass(slots=True)  # one per credential (and target): no dict each
class Credential:
    iri: str
    identifier: str
    title: str = ""
    jurisdiction: str | None = None     # "AU", "NZ", "WS", ...
    level: str | None = None            # level IRI
    credits: Decimal | None = None
    credit_system: str | None = None    # "nz", "pqf", "ects"
    hours: Decimal | None = None
    outcomes: list[str] = field(default_factory=list)
    source_file: str | None = None
    source_row: int | None = None
    source_line: int | None = None
    national_code: str | None = None    # a VET skill set's or unit's code on the national register

    @property
    def where(self) -> str:
        """'examples/au.csv row 3' or the IRI, for messages."""
        if self.source_file and self.source_row:
            return f"{self.source_file} row {self.source_row}"
        if self.source_file and self.source_line:
            return f"{self.source_file}:{self.source_line}"
        return self.source_file or self.iri


def node(iri: str):
    """The store term a credential's `iri` stands for: an IRI always has a ':' (after its
    scheme), a blank node's label never does (Turtle and N-Triples labels cannot hold one)."""
    return ox.NamedNode(iri) if ":" in iri else ox.BlankNode(iri)


def global_iri(iri: str) -> str:
    """An IRI for the credential `iri` names, for records outside the store (SSSOM rows): a
    blank node's is the skolem IRI a remote store holds it as (RDF 1.1 skolemisation)."""
    from ..store import SKOLEM_PREFIX

    return iri if ":" in iri else SKOLEM_PREFIX + iri


def _tail(term, prefix: str) -> str | None:
    if term is None:
        return None
    return term.value[len(prefix):] if term.value.startswith(prefix) else term.value


# Without the learning outcomes (mapping does not read them; matching does).
_QUERY_NO_OUTCOMES = (_QUERY.replace("  OPTIONAL { ?c mc:learningOutcome ?lo }\n", "")
                      .replace('\n       (GROUP_CONCAT(DISTINCT ?lo; separator="\\u001f") AS ?outcomes)', ""))


def credentials(store, graphs=(ns.GRAPH_DATA,), *, outcomes: bool = True) -> list[Credential]:
    """Every mc:MicroCredential in `graphs` of the store, in file order (with `outcomes`, their
    learning outcomes too)."""
    out = list(_read(store, graphs, outcomes))
    out.sort(key=_file_order)  # the query's ORDER BY, across parts too
    return out


# Where each credential comes from: enough to put a registry in file order without its records.
_ORDER = """
PREFIX mc: <https://w3id.org/mcmap/ns#>
SELECT ?c ?file ?row ?line WHERE {
  ?c a mc:MicroCredential .
  OPTIONAL { ?c mc:sourceFile ?file }
  OPTIONAL { ?c mc:sourceRow ?row }
  OPTIONAL { ?c mc:sourceLine ?line }
}
"""


def in_file_order(store, graphs=(ns.GRAPH_DATA,)) -> list[str]:
    """The IRIs of every mc:MicroCredential in the store's `graphs`, in file order (as
    `credentials` orders them). The store hands the rows over as it reads them (a remote one in
    parts): no grouping or sorting of the whole registry inside the store (which holds
    kilobytes per credential)."""
    files: dict[str, str] = {}
    keys: dict[str, tuple] = {}
    for c, file, srow, sline in store.select(_ORDER, default_graphs=list(graphs), split_by="c"):
        iri = c.value
        if iri not in keys:  # a credential with two rows or lines: the first, as SAMPLE takes
            name = files.setdefault(file.value, file.value) if file is not None else None
            keys[iri] = (name is not None, name or "", srow is not None, int(srow.value) if srow is not None else 0,
                         sline is not None, int(sline.value) if sline is not None else 0)
    return sorted(keys, key=lambda iri: (*keys[iri], iri))


_FIELDS = {ns.DCT + "identifier": "identifier", ns.DCT + "title": "title", ns.MC + "jurisdiction": "jurisdiction",
           ns.MC + "level": "level", ns.MC + "creditValue": "credits", ns.MC + "creditSystem": "credit_system",
           ns.MC + "volumeOfLearningHours": "hours", ns.MC + "sourceFile": "source_file",
           ns.MC + "sourceRow": "source_row", ns.MC + "sourceLine": "source_line",
           ns.MC + "nationalCode": "national_code"}


def credential_from(iri: str, quads) -> Credential:
    """A credential (without outcomes) from its own quads in the data graph: of a property
    stated twice, the first, as the query's SAMPLE takes one."""
    found: dict[str, object] = {}
    for q in quads:
        name = _FIELDS.get(q.predicate.value)
        if name is not None and name not in found:
            found[name] = q.object
    get = found.get
    ident, title, j, level, credits, cs, hours, file, srow, sline, code = (
        get(n) for n in ("identifier", "title", "jurisdiction", "level", "credits", "credit_system", "hours",
                         "source_file", "source_row", "source_line", "national_code"))
    return _credential(iri, ident, title, j, level, credits, cs, hours, file, srow, sline, code, None)


def first_stateless(store, graph: str = ns.GRAPH_DATA) -> Credential | None:
    """Of the credentials in the store's `graph` that state no jurisdiction, the first in file
    order. One pass over the credentials finds them and only they are read: the grouped query
    that reads every credential's record took 80 s for a million credentials that all state
    one."""
    found = store.select("SELECT ?c WHERE { ?c a <%sMicroCredential> MINUS { ?c <%sjurisdiction> ?any } }"
                         % (ns.MC, ns.MC), default_graphs=[graph], split_by="c")
    return min(credentials_of(store, [c.value for (c,) in found], (graph,)), key=_file_order, default=None)


def credentials_of(store, iris: list[str], graphs=(ns.GRAPH_DATA,), batch: int = 500) -> list[Credential]:
    """The records (without outcomes) of the credentials `iris`, in that order, read a batch at
    a time: a remote registry's records a part at a time, never the whole registry's."""
    from ..store import LocalStore

    if isinstance(store, LocalStore):
        # read from the indexes directly: a query cannot name a blank node of an embedded store
        data = [ox.NamedNode(g) for g in graphs]
        return [credential_from(iri, (q for g in data for q in store.ox.quads_for_pattern(node(iri), None, None, g)))
                for iri in iris]
    out: dict[str, Credential] = {}
    for group in values_groups([store.named(node(iri)) for iri in iris], "c", batch):
        query = _QUERY_NO_OUTCOMES.replace("  ?c a mc:MicroCredential .\n", f"  {group}\n  ?c a mc:MicroCredential .\n")
        for row in store.select(query, default_graphs=list(graphs), split_by="c"):
            found = _from_row(row)
            out[found.iri] = found
    return [out[iri] for iri in iris if iri in out]


def _read(store, graphs, outcomes: bool):
    query = _QUERY if outcomes else _QUERY_NO_OUTCOMES
    # a remote store may send a registry's rows in parts (by a hash of ?c), each in order
    for row in store.select(query, default_graphs=list(graphs) if graphs else None, split_by="c"):
        yield _from_row(row)


def _from_row(row) -> Credential:
    """A credential from a row of _QUERY (or of _QUERY_NO_OUTCOMES, one column shorter)."""
    c, ident, title, j, level, credits, cs, hours, file, srow, sline, code, *rest = row
    return _credential(c.value, ident, title, j, level, credits, cs, hours, file, srow, sline, code,
                       rest[0] if rest else None)


def _credential(iri, ident, title, j, level, credits, cs, hours, file, srow, sline, code, outcomes) -> Credential:
    return Credential(
            iri=iri, identifier=ident.value if ident is not None else iri.rsplit("/", 1)[-1],
            title=title.value if title is not None else "",
            jurisdiction=_tail(j, ns.ID + "jurisdiction/"),
            level=level.value if level is not None else None,
            credits=to_decimal(credits.value) if credits is not None else None,
            credit_system=_tail(cs, ns.ID + "credit-system/"),
            hours=to_decimal(hours.value) if hours is not None else None,
            outcomes=[o for o in (outcomes.value.split("\x1f") if outcomes is not None else []) if o],
            source_file=file.value if file is not None else None,
            source_row=int(srow.value) if srow is not None else None,
            source_line=int(sline.value) if sline is not None else None,
            national_code=code.value if code is not None else None)


def _file_order(c: Credential) -> tuple:
    """ORDER BY ?file ?row ?line ?c, unbound first, as SPARQL orders them."""
    return (c.source_file is not None, c.source_file or "", c.source_row is not None, c.source_row or 0,
            c.source_line is not None, c.source_line or 0, c.iri)
