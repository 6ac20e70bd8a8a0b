"""The facts of each credential that mapping needs, read from a store with one SPARQL query."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import namespaces as ns
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
    out = []
    query = _QUERY if outcomes else _QUERY_NO_OUTCOMES
    for row in store.select(query, default_graphs=list(graphs) if graphs else None):
        c, ident, title, j, level, credits, cs, hours, file, srow, sline, code, *rest = row
        outcomes = rest[0] if rest else None
        iri = c.value
        out.append(Credential(
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
            national_code=code.value if code is not None else None))
    return out
