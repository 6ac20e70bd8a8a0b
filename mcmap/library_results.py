"""What the library's functions return: typed results a notebook or a web handler can work with.

Every result converts to plain data (`to_dicts()`: a list of flat dicts, one per row, ready for
pandas or a CSV writer; `to_dict()`/`to_json()`: the document the CLI writes) and renders itself
as the CLI would (`render(fmt)`, `to_text()`, `to_html()`)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal


def _plain(value):
    """A value as JSON would hold it (dates as ISO text, exact decimals as text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# ---------------------------------------------------------------- load

@dataclass
class Loaded:
    """What `mcmap.load` read, and the store it is now in (pass it on as `store=`)."""
    files: int
    triples: int
    credentials: int
    store: object = field(repr=False, default=None)

    def to_dict(self) -> dict:
        return {"files": self.files, "triples": self.triples, "credentials": self.credentials}

    def to_dicts(self) -> list[dict]:
        return [self.to_dict()]


# ---------------------------------------------------------------- validation

@dataclass
class Finding:
    """One broken rule of one credential, in the words the reports use."""
    credential: str | None      # the credential's identifier as the submission gives it
    title: str | None
    file: str | None
    row: int | None
    line: int | None
    severity: str               # Violation, Warning or Info
    rule_id: str | None
    message: str | None
    field: str | None           # the column (CSV) or the field's label (other formats)
    path: str | None            # the field as a SPARQL property path
    value: object               # the offending value (None when it is a missing value)
    citation: str | None
    source: str | None          # the rule's source URL
    evidence_status: str | None
    stated: bool | None = None  # False: the rule is about information the credential does not state

    def to_dict(self) -> dict:
        return {k: _plain(v) for k, v in asdict(self).items()}


class ValidationReport:
    """The outcome of `mcmap.validate`: the findings, the counts and what judged them.

    `report` is the engine's report for those who need the RDF: its results hold the store's
    (pyoxigraph) terms for focus nodes and values and the shapes graph's (rdflib) nodes for
    paths and shapes; `report.to_graph()` is a standard sh:ValidationReport graph (rdflib)."""

    def __init__(self, report):
        self.report = report
        context = getattr(report, "context", None)
        self.framework = context.framework if context else None
        self.as_of = context.as_of if context else None

    @property
    def summary(self) -> dict:
        from .shacl.words import summary

        return summary(self.report)

    @property
    def conforms(self) -> bool:
        return self.summary["violations"] == 0

    @property
    def findings(self) -> list[Finding]:
        from .shacl.render import finding_fields

        return [Finding(**finding_fields(self.report, r)) for r in self.report.results]

    def __len__(self) -> int:
        return len(self.report.results)

    def __iter__(self):
        return iter(self.findings)

    def __repr__(self) -> str:
        s = self.summary
        return (f"<ValidationReport {self.framework or 'shapes'}: {s['credentials_checked']} checked, "
                f"{s['violations']} violations, {s['warnings']} warnings, {s['infos']} infos>")

    def to_dicts(self) -> list[dict]:
        """One flat dict per finding."""
        return [f.to_dict() for f in self.findings]

    def to_dict(self) -> dict:
        """The JSON report as data: summary, then each credential with its findings."""
        from .shacl.render import report_dict

        return report_dict(self.report)

    def to_json(self) -> str:
        return self.render("json")

    def to_text(self, width: int | None = None) -> str:
        """Folded to `width` columns (None: not folded)."""
        return self.render("text", width=width)

    def to_html(self) -> str:
        """A standalone page."""
        return self.render("html")

    def html_fragment(self, rule_href=None) -> str:
        """The report's body, to embed in another page; `rule_href(rule_id)` may link rule ids."""
        from .shacl.render_html import report_body

        return report_body(self.report, rule_href=rule_href)

    def to_turtle(self) -> str:
        return self.render("ttl")

    def render(self, fmt: str = "text", *, width: int | None = None) -> str:
        """As `mcmap validate --format FMT` writes it: text, json, html, ttl, jsonld or xlsx (bytes)."""
        from .shacl.render import render

        return render(self.report, fmt, width=width)

    def close(self) -> None:
        """Remove the scratch files of a report too large to hold (kept on disk until then,
        or until the report is collected)."""
        close = getattr(self.report.results, "close", None)
        if close is not None:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def write(self, out, fmt: str = "text", *, width: int | None = None) -> None:
        """Write the report to `out`, a binary file, as `render` would give it (text, json, ttl,
        nt and jsonld are written a credential at a time, never held whole)."""
        from .shacl.render import write

        write(self.report, fmt, out, width=width)


# ---------------------------------------------------------------- mapping

class MappingResults:
    """The outcome of `mcmap.map_credentials`: for every credential, one result per target
    jurisdiction (its volume, level and eligibility there, with the reasons)."""

    def __init__(self, results: list, label: str = "input"):
        self.results = results  # CredentialMapping, each with .credential and .targets
        self.label = label
        self._mset = None

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self):
        return iter(self.results)

    def __getitem__(self, i):
        return self.results[i]

    def __repr__(self) -> str:
        rows = sum(len(cm.targets) for cm in self.results)
        return f"<MappingResults {len(self.results)} credentials, {rows} rows>"

    @property
    def mapping_set(self):
        """The results as an SSSOM mapping set (one row per credential and target)."""
        if self._mset is None:
            from .mapping.render import to_mapping_set

            self._mset = to_mapping_set(self.results, self.label)
        return self._mset

    def to_dicts(self) -> list[dict]:
        """One flat dict per credential and target: the columns of `mcmap map --format csv`."""
        from .mapping.render import csv_rows

        return csv_rows(self.results)

    def to_dict(self) -> list[dict]:
        """The nested JSON document: each credential with its targets."""
        from .mapping.render import as_dicts

        return as_dicts(self.results)

    def to_json(self) -> str:
        return self.render("json")

    def to_text(self, width: int | None = None) -> str:
        return self.render("table", width=width)

    def render(self, fmt: str = "table", *, width: int | None = None) -> str | bytes:
        """As `mcmap map --format FMT` writes it: table, json, csv, tsv (SSSOM), ttl or xlsx (bytes)."""
        from .mapping import render as r

        if fmt == "xlsx":
            return r.to_xlsx(self.results)
        if fmt == "table":
            return r.to_table(self.results, width=width)
        if fmt == "json":
            return r.to_json(self.results)
        if fmt == "csv":
            return r.to_csv(self.results)
        if fmt == "tsv":
            from .formats.sssom import write_sssom

            return write_sssom(self.mapping_set)
        if fmt == "ttl":
            return r.to_turtle(self.results, self.mapping_set)
        raise ValueError(f"unknown mapping format '{fmt}' (known: table, json, csv, tsv, ttl, xlsx)")


# ---------------------------------------------------------------- query

def _python(term):
    """An RDF term as a Python value: IRIs and text as str, numbers, booleans and dates typed."""
    import pyoxigraph as ox

    from . import namespaces as ns

    if term is None or not isinstance(term, ox.Literal):
        return None if term is None else term.value
    kind = term.datatype.value[len(ns.XSD):] if term.datatype.value.startswith(ns.XSD) else None
    try:
        if kind in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if kind == "decimal":
            return Decimal(term.value)
        if kind in ("double", "float"):
            return float(term.value)
        if kind == "boolean":
            return term.value in ("true", "1")
        if kind == "date":
            return dt.date.fromisoformat(term.value)
    except ValueError:
        pass
    return term.value


class QueryResult:
    """The answer to `mcmap.query`: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    def __init__(self, answer):
        from .store import Rows

        self.boolean = answer if isinstance(answer, bool) else None
        self.variables = list(answer.variables) if isinstance(answer, Rows) else []
        self.rows = [tuple(r) for r in answer] if isinstance(answer, Rows) else []
        self.triples = [] if isinstance(answer, (Rows, bool)) else list(answer)
        self.kind = "ask" if self.boolean is not None else "select" if isinstance(answer, Rows) else "graph"

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def __iter__(self):
        return iter(self.to_dicts())

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"<QueryResult {self.boolean}>"
        return f"<QueryResult {len(self)} {'rows' if self.kind == 'select' else 'triples'}>"

    def to_dicts(self) -> list[dict]:
        """SELECT: one dict per row (variable -> Python value; unbound variables left out).
        ASK: [{"boolean": ...}]. CONSTRUCT: one dict per triple (subject, predicate, object)."""
        if self.kind == "ask":
            return [{"boolean": self.boolean}]
        if self.kind == "graph":
            return [{"subject": t.subject.value, "predicate": t.predicate.value, "object": _python(t.object)}
                    for t in self.triples]
        return [{v: _python(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    def to_json(self) -> str:
        return self.render("json").decode("utf-8")

    def render(self, fmt: str | None = None, *, width: int | None = None) -> bytes:
        """As `mcmap query --format FMT` writes it (table, csv, tsv, json, xml; ttl, jsonld, nt)."""
        from .results import render
        from .store import Rows

        answer = self.boolean if self.kind == "ask" else Rows(self.variables, self.rows) \
            if self.kind == "select" else self.triples
        return render(answer, fmt, width=width)[0]


def to_json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_plain) + "\n"
