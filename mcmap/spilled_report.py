"""A validation report of more findings than one chunk, kept on disk instead of in memory.

The engine hands its results over CHUNK at a time (`Spill`). Once it is done, each chunk gets its
values as written, its credentials' details, its stated marks and its rules, is sorted into the
report's order (file, row or line, focus node, then the order of a credential's findings) and
written as a sorted run; the report's results are then the runs merged as they are read
(`SpilledResults`), so the writers get the findings a credential at a time, in the same order
as a report held in memory, while memory holds about one chunk whatever the number of findings.
The summary is counted as the chunks go by.

Credential details are fetched once per credential into a table on disk (SQLite), so that an
RDF file is read once to find the credentials' lines, not once per chunk.
"""
from __future__ import annotations

import sqlite3

import pyoxigraph as ox
from rdflib.namespace import SH

from .result_details import SEVERITY_ORDER, credentials, find_lines, finish, place
from .shacl.report import NO_DETAILS, Result
from .sorted_runs import Scratch, dump, load, merged

CHUNK = 50_000  # results per chunk: a report of more than this is sorted on disk
FETCH = 20_000   # credentials whose details are asked for at a time
LINES = 250_000  # credentials looked up in one reading of their RDF file
_KINDS = {ox.NamedNode: 0, ox.BlankNode: 1, ox.Literal: 2}
_DETAILS = ("source_file", "source_row", "source_line", "title", "identifier")


class Spill(Scratch):
    """The engine's results taken to disk, CHUNK at a time, unsorted (no query runs while the
    engine reads its answers: a remote store may still be sending one). Terms of the shapes
    graph (paths, shapes, components, severities, messages) are numbered, not written."""

    def __init__(self):
        super().__init__("mcmap-report-")
        self.size = CHUNK
        self.chunks: list = []
        self.terms: list = []
        self._numbers: dict = {}
        self.details: Details | None = None  # the credentials with findings, made with the first chunk

    def number(self, term) -> int:
        n = self._numbers.get(term)
        if n is None:
            n = self._numbers[term] = len(self.terms)
            self.terms.append(term)
        return n

    def __call__(self, results: list) -> None:
        if not results:
            return
        if self.details is None:
            self.details = Details(self.path("details.db"))
        self.details.want({r.focus_node for r in results})
        n = self.number
        path = self.path("chunk")
        dump(path, ((r.focus_node, n(r.result_path), r.value, n(r.source_shape), n(r.source_constraint_component),
                     n(r.severity), n(r.messages)) for r in results))
        self.chunks.append(path)

    def close(self) -> None:
        if self.details is not None:
            self.details.close()
        super().close()

    def results(self, path) -> list:
        t = self.terms
        return [Result(focus, t[p], value, t[s], t[c], t[sev], t[m]) for focus, p, value, s, c, sev, m in load(path)]


def _key(term) -> str:
    return f"{_KINDS.get(type(term), 3)} {term}"


class Details:
    """Each credential's file, row or line, title and identifier, fetched once, kept on disk."""

    def __init__(self, path):
        self.db = sqlite3.connect(str(path))
        # a scratch table, removed with the report: nothing to keep safe from a crash
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        # one tree ordered by key (no rowid beside it), visited in key order by each chunk:
        # neighbouring keys share pages, which random order would read again and again
        self.db.execute("CREATE TABLE d (key TEXT PRIMARY KEY, kind INTEGER, value TEXT, known INTEGER, "
                        "file TEXT, row INTEGER, line INTEGER, title TEXT, identifier TEXT) WITHOUT ROWID")

    def want(self, focus_nodes) -> None:
        self.db.executemany("INSERT OR IGNORE INTO d (key, kind, value) VALUES (?, ?, ?)",
                            sorted((_key(f), _KINDS.get(type(f), 3), f.value) for f in focus_nodes))

    def fetch(self, store, graphs) -> None:
        """Ask the store for every wanted credential, FETCH at a time, then find the lines of
        those read from RDF files, reading each file once per LINES credentials."""
        make = {0: ox.NamedNode, 1: ox.BlankNode}
        for part in self._pages("SELECT key, kind, value FROM d WHERE kind < 2 AND key > ? ORDER BY key LIMIT ?",
                                (), FETCH):
            found = credentials(store, graphs, {make[k](v) for _, k, v in part}, lines=False)
            self.db.executemany(
                "UPDATE d SET known=1, file=?, row=?, line=?, title=?, identifier=? WHERE key=?",
                [(*(d[f] for f in _DETAILS), _key(n)) for n, d in found.items()])
        files = [f for (f,) in self.db.execute("SELECT DISTINCT file FROM d WHERE kind=0 AND file != '' "
                                                "AND row IS NULL AND line IS NULL")]
        for file in files:
            for part in self._pages("SELECT key, value FROM d WHERE kind=0 AND file=? AND row IS NULL "
                                    "AND line IS NULL AND key > ? ORDER BY key LIMIT ?", (file,), LINES):
                found = find_lines(file, [v for _, v in part])
                if found is None:
                    break
                self.db.executemany("UPDATE d SET line=? WHERE key=?",
                                    [(found[v], k) for k, v in part if v in found])

    def _pages(self, query: str, args: tuple, size: int):
        """The rows of `query` (ordered by key, taking the last key and a limit) a page at a
        time, each page read whole before the caller changes the table."""
        last = ""
        while True:
            page = self.db.execute(query, (*args, last, size)).fetchall()
            if not page:
                return
            yield page
            last = page[-1][0]

    def of(self, focus_nodes) -> dict:
        """focus node -> its details (a dict shared by its results), for those the store knows."""
        by_key = {_key(f): f for f in focus_nodes}
        keys, out, files = sorted(by_key), {}, {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            for key, file, row, line, title, ident in self.db.execute(
                    "SELECT key, file, row, line, title, identifier FROM d WHERE known=1 AND key IN "
                    f"({','.join('?' * len(part))})", part):
                out[by_key[key]] = {"source_file": files.setdefault(file, file) if file is not None else None,
                                    "source_row": row, "source_line": line, "title": title, "identifier": ident}
        return out

    def close(self) -> None:
        self.db.close()


def spilled(store, graphs, report, spill: Spill, rule_of, listing: bool):
    """The report's results as SpilledResults, and the summary's counts."""
    details = spill.details
    try:
        details.fetch(store, graphs)
        counts = {"violations": 0, "warnings": 0, "infos": 0, "not_stated": 0}
        runs, marks = [], []
        shapes: dict = {}  # shape number -> its rule, for the merge
        seq, copies = 0, 0
        for path in spill.chunks:
            results = spill.results(path)
            path.unlink()
            engine = len(results)
            if report.as_written is not None:
                report.as_written(results)
            finish(store, graphs, results, details.of({r.focus_node for r in results}), rule_of, listing)
            records = []
            for i, r in enumerate(results):
                if i < engine:
                    order, seq = (0, seq), seq + 1
                else:  # a value written several ways: after the engine's results, as in memory
                    order, copies = (1, copies), copies + 1
                records.append(_record(spill, shapes, r, order))
            _count(counts, results)
            del results
            records.sort()
            runs.append(spill.path("run"))
            dump(runs[-1], _details_once(records))
            marks.append(spill.path("marks"))
            dump(marks[-1], _marks(records))
            del records
    finally:
        details.close()
    spill.chunks = []
    total = seq + copies
    return SpilledResults(spill, runs, shapes, total), _totals(counts, marks, report.focus_count)


def _record(spill: Spill, shapes: dict, r, order) -> tuple:
    """A result as a sorted run holds it: the report's sort key (file, row or line, focus
    node, then `_finding_order`, then the order found), the result, its credential's details.
    A named or blank focus node is written once, in the key."""
    n = spill.number
    shape = n(r.source_shape)
    shapes.setdefault(shape, r.rule)
    d, focus = r.credential, r.focus_node
    kind = _KINDS.get(type(focus), 3)
    return (*place(focus, d), kind, SEVERITY_ORDER.get(r.severity, 3), r.rule.get("rule_id") or "",
            "None" if r.value is None else r.value.value, *order,
            (focus if kind > 1 else None, n(r.result_path), r.value, shape, n(r.source_constraint_component),
             n(r.severity), n(r.messages), r.stated, r.lowered_from),
            None if d is NO_DETAILS else tuple(d[f] for f in _DETAILS))


def _details_once(records):
    """The records with a credential's details on its first record only (0 on the others)."""
    last = None
    for rec in records:
        who = rec[:4]
        yield rec if who != last else (*rec[:-1], 0)
        last = who


def _count(counts: dict, results) -> None:
    keys = {SH.Violation: "violations", SH.Warning: "warnings"}
    for r in results:
        counts[keys.get(r.severity, "infos")] += 1
        counts["not_stated"] += r.stated is False


def _marks(records):
    """Per credential of a sorted run: its place, whether it fails (has a Violation) and
    whether it breaks a rule (a Violation about something it states)."""
    last, failing, breaking = None, False, False
    for rec in records:
        who = rec[:4]
        if who != last:
            if last is not None:
                yield (*last, failing, breaking)
            last, failing, breaking = who, False, False
        if rec[4] == 0:  # a Violation (SEVERITY_ORDER)
            failing = True
            breaking = breaking or rec[9][7] is not False
    if last is not None:
        yield (*last, failing, breaking)


def _totals(counts: dict, marks: list, checked: int) -> dict:
    """The summary, in the order and words of validate.Context.counts."""
    seen = failing = breaking = 0
    last, fails, breaks = None, False, False
    for mark in merged(marks):
        if mark[:4] != last:
            if last is not None:
                seen, failing, breaking = seen + 1, failing + fails, breaking + breaks
            last, fails, breaks = mark[:4], False, False
        fails, breaks = fails or mark[4], breaks or mark[5]
    if last is not None:
        seen, failing, breaking = seen + 1, failing + fails, breaking + breaks
    checked = max(checked, seen)
    return {"credentials_checked": checked, "conforming": checked - failing,
            "incomplete": failing - breaking, "breaking_rules": breaking,
            "violations": counts["violations"], "warnings": counts["warnings"], "infos": counts["infos"],
            "not_stated": counts["not_stated"]}


class SpilledResults:
    """The results of a report kept on disk: iterating merges the sorted runs, giving Result
    objects in the report's order (each credential's share one details dict)."""

    def __init__(self, spill: Spill, runs: list, shapes: dict, count: int):
        self.spill, self.runs, self.shapes, self.count = spill, runs, shapes, count

    def __iter__(self):
        t, rules = self.spill.terms, self.shapes
        make = {0: ox.NamedNode, 1: ox.BlankNode}
        last, focus, credential = None, None, NO_DETAILS
        for rec in merged(self.runs):
            (term, p, value, s, c, sev, m, stated, lowered), d = rec[9], rec[10]
            who = rec[:4]
            if who != last:  # a credential's first record, which has its details
                last, focus = who, make[rec[3]](rec[2]) if term is None else term
                credential = NO_DETAILS if d is None else dict(zip(_DETAILS, d))
            r = Result(focus if term is None else term, t[p], value, t[s], t[c], t[sev], t[m])
            r.stated, r.lowered_from, r.rule, r.credential = stated, lowered, rules[s], credential
            yield r

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return bool(self.runs)

    def close(self) -> None:
        self.spill.close()
