"""Queries for `mcmap serve`, each run in a worker process that can be stopped.

A running Oxigraph query cannot be interrupted from Python, so a time limit that only stops
waiting would leave the query burning a core. Each worker process opens the store read-only and
runs one query at a time; when a query passes the time limit its worker is killed and replaced.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass

# media type -> (kind, format name); kind "results" for SELECT/ASK, "rdf" for CONSTRUCT/DESCRIBE
RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
RDF_TYPES = {
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/n-triples": "nt",
    "text/plain": "nt", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
FORMAT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv",
                "ttl": "ttl", "turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "json-ld": "jsonld"}


@dataclass
class Job:
    query: str
    accept: list[str]          # media types or format names, most preferred first
    limit: int | None
    bindings: dict | None = None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes
    rows: int | None = None
    truncated: bool = False


def _choose(accept: list[str], table: dict, default: str) -> str:
    for item in accept:
        if item in table:
            return table[item]
        if item in FORMAT_NAMES and FORMAT_NAMES[item] in table.values():
            return FORMAT_NAMES[item]
        if item in ("*/*", "application/*", "text/*"):
            break
    return default


def execute(store, job: Job) -> Answer:
    """Run one job against an open pyoxigraph store (in the worker process)."""
    import pyoxigraph as ox

    from .errors import FederationRefused
    from .results import MEDIA_TYPES, limit_rows, render
    from .sparql_text import refuse_federation
    from .store import Rows

    try:
        refuse_federation(job.query)
    except FederationRefused as e:
        return Answer(400, "text/plain; charset=utf-8", f"{e}\n".encode())
    kwargs = {}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.bindings:
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in job.bindings.items()}
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as e:
        return Answer(400, "text/plain; charset=utf-8", f"SPARQL syntax error: {e}\n".encode())
    except (RuntimeError, ValueError) as e:
        return Answer(400, "text/plain; charset=utf-8", f"query refused: {e}\n".encode())
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = _choose(job.accept, RESULT_TYPES, "json")
            body, _ = render(bool(result), fmt)
            return Answer(200, MEDIA_TYPES[fmt], body)
        if isinstance(result, ox.QuerySolutions):
            fmt = _choose(job.accept, RESULT_TYPES, "json")
            names = [v.value for v in result.variables]
            rows = Rows(names, (tuple(s[i] for i in range(len(names))) for s in result))
            rows, truncated = limit_rows(rows, job.limit)
            kept = list(rows)
            body, _ = render(Rows(names, kept), fmt)
            return Answer(200, MEDIA_TYPES[fmt], body, rows=len(kept), truncated=truncated)
        fmt = _choose(job.accept, RDF_TYPES, "ttl")
        triples = []
        truncated = False
        for t in result:
            if job.limit is not None and len(triples) >= job.limit:
                truncated = True
                break
            triples.append(t)
        if fmt == "rdfxml":
            return Answer(200, "application/rdf+xml", ox.serialize(triples, format=ox.RdfFormat.RDF_XML),
                          rows=len(triples), truncated=truncated)
        body, _ = render(triples, fmt)
        return Answer(200, MEDIA_TYPES[fmt], body, rows=len(triples), truncated=truncated)
    except OSError as e:
        return Answer(500, "text/plain; charset=utf-8", f"the store could not be read: {e}\n".encode())


def _worker_main(store_path: str, conn) -> None:
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(("error", str(e)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(execute(store, job))
        except Exception as e:  # keep the worker alive; the client gets a 500 with the reason
            conn.send(Answer(500, "text/plain; charset=utf-8", f"internal error: {e}\n".encode()))


class Worker:
    def __init__(self, ctx, store_path: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(store_path, child), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(60):
            self.stop()
            raise RuntimeError("a query worker did not start within 60 s")
        state, detail = self.conn.recv()
        if state != "ready":
            self.stop()
            raise OSError(detail)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class TimeLimitExceeded(Exception):
    pass


class WorkerDied(Exception):
    pass


class Busy(Exception):
    pass


class QueryPool:
    """`size` worker processes over a read-only store; `run` gives each job at most `timeout` s."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 30):
        self.store_path, self.timeout = str(store_path), timeout
        self._ctx = mp.get_context("spawn")  # the server has threads: never fork it
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[Worker] = []
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        w = Worker(self._ctx, self.store_path)
        with self._lock:
            self._all.append(w)
        self._idle.put(w)

    def run(self, job: Job) -> Answer:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Busy(f"all {len(self._all)} query workers stayed busy for {self.timeout:g} s") from None
        died = None
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError) as e:
            died = e
        # Past the time limit (or the worker died): stop it and start a fresh one.
        with self._lock:
            self._all.remove(worker)
        worker.stop()
        self._add()
        if died is not None:
            raise WorkerDied(f"the query worker stopped unexpectedly ({died or 'no reason given'})")
        raise TimeLimitExceeded(self.timeout)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.stop()
