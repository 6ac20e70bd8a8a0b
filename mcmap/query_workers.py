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


def _choose(accept: list[str], table: dict, default: str) -> str | None:
    """The format to answer in: the first acceptable one, `default` for a wildcard or no
    preference, None when every type asked for is one this result cannot be given as (406)."""
    if not accept:
        return default
    for item in accept:
        if item in table:
            return table[item]
        if item in FORMAT_NAMES and FORMAT_NAMES[item] in table.values():
            return FORMAT_NAMES[item]
        if item in ("*/*", "application/*", "text/*", "*"):
            return default
    return None


def negotiate(accept: list[str], form: str | None) -> str | None:
    """The format a query of `form` (SELECT, ASK, CONSTRUCT, DESCRIBE) answers in, or None."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _choose(accept, RDF_TYPES, "ttl")
    if form in ("SELECT", "ASK"):
        return _choose(accept, RESULT_TYPES, "json")
    return "json"  # not a query the server can read: the parser's 400 says why


def offered(form: str | None) -> str:
    table = RDF_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    return ", ".join(table)


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
            fmt = _choose(job.accept, RESULT_TYPES, "json") or "json"
            body, _ = render(bool(result), fmt)
            return Answer(200, MEDIA_TYPES[fmt], body)
        if isinstance(result, ox.QuerySolutions):
            fmt = _choose(job.accept, RESULT_TYPES, "json") or "json"
            names = [v.value for v in result.variables]
            rows = Rows(names, (tuple(s[i] for i in range(len(names))) for s in result))
            rows, truncated = limit_rows(rows, job.limit)
            kept = list(rows)
            body, _ = render(Rows(names, kept), fmt)
            return Answer(200, MEDIA_TYPES[fmt], body, rows=len(kept), truncated=truncated)
        fmt = _choose(job.accept, RDF_TYPES, "ttl") or "ttl"
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


def _worker_main(store_path: str, conn, memory_mb: int | None = None) -> None:
    import os

    os.environ["RUST_BACKTRACE"] = "0"  # a query past the memory limit ends in one line, not a trace
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(("error", str(e)))
        return
    if memory_mb:
        import resource

        # The data segment (heap and anonymous mappings) bounds what one query can build up, e.g.
        # a GROUP_CONCAT over a cartesian product; past it the allocation fails and the worker
        # ends, and the pool answers 503 and starts a fresh one.
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
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
    def __init__(self, ctx, store_path: str, memory_mb: int | None = None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(store_path, child, memory_mb), daemon=True)
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


class MemoryLimitExceeded(Exception):
    pass


class Busy(Exception):
    pass


class TooManySlow(Busy):
    pass


def _lower_priority(worker: Worker) -> None:
    """A slow query yields the processor to quick ones: on a small machine the slow queries
    would otherwise take every core, and a quick query would turn slow waiting for one."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, 10)
    except (AttributeError, OSError):
        pass


class QueryPool:
    """`size` worker processes over a read-only store; `run` gives each job at most `timeout` s.

    A query still running after `slow_after` seconds counts as slow, and at most `slow_limit`
    slow queries run at once (default: one fewer than the workers). The other workers stay free
    for quick queries, so a few expensive queries never starve the rest; a query that turns slow
    when the slow slots are full is stopped with a 503 at once."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 30, *, slow_after: float = 1.0,
                 slow_limit: int | None = None, memory_mb: int | None = None):
        self.store_path, self.timeout, self.memory_mb = str(store_path), timeout, memory_mb
        self.slow_after = min(slow_after, timeout)
        self.slow_limit = slow_limit if slow_limit is not None else max(1, size - 1)
        self._slow = threading.BoundedSemaphore(self.slow_limit)
        self._ctx = mp.get_context("spawn")  # the server has threads: never fork it
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[Worker] = []
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        w = Worker(self._ctx, self.store_path, self.memory_mb)
        with self._lock:
            if self._closed:
                w.stop()
                return
            self._all.append(w)
        self._idle.put(w)

    def _replace(self, worker: Worker) -> None:
        """Stop `worker` and start a fresh one in the background (the request need not wait)."""
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        worker.stop()
        threading.Thread(target=self._add_quietly, daemon=True).start()

    def _add_quietly(self) -> None:
        try:
            self._add()
        except (OSError, RuntimeError, EOFError):
            pass  # the pool runs one worker short (or is closing); the next replacement tries again

    def run(self, job: Job) -> Answer:
        import time

        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Busy(f"all {len(self._all)} query workers stayed busy for {self.timeout:g} s") from None
        slow = False
        try:
            worker.conn.send(job)
            started = time.monotonic()
            done = worker.conn.poll(self.slow_after)
            if not done:
                if not self._slow.acquire(blocking=False):
                    self._replace(worker)
                    raise TooManySlow(f"the query ran longer than {self.slow_after:g} s while "
                                      f"{self.slow_limit} slow quer{'y was' if self.slow_limit == 1 else 'ies were'} "
                                      "already running, and was stopped")
                slow = True
                _lower_priority(worker)
                done = worker.conn.poll(max(0.0, self.timeout - (time.monotonic() - started)))
            if done:
                answer = worker.conn.recv()
                if slow:
                    self._replace(worker)  # its lowered priority would slow the next quick query
                else:
                    self._idle.put(worker)
                return answer
        except (EOFError, OSError) as e:
            worker.process.join(2)
            code = worker.process.exitcode
            self._replace(worker)
            if code in (-6, -9) and self.memory_mb:  # SIGABRT: allocation failed; SIGKILL: OOM killer
                raise MemoryLimitExceeded(self.memory_mb) from None
            raise WorkerDied(f"the query worker stopped unexpectedly ({e or 'no reason given'})") from None
        finally:
            if slow:
                self._slow.release()
        # Past the time limit: stop the worker and start a fresh one.
        self._replace(worker)
        raise TimeLimitExceeded(self.timeout)

    def close(self) -> None:
        with self._lock:
            workers, self._all, self._closed = self._all, [], True
        for w in workers:
            w.stop()
