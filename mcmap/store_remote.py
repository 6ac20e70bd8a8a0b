"""A remote SPARQL 1.1 store: the same Store interface as the embedded one, over HTTP.

Writes go in bounded batches (no request near a server's body or SQL-size limit); a write that
needs several requests is staged in a private graph and moved into place by one update, so a
failure half way leaves the target untouched. Reads stream: rows are parsed as the response
arrives, never held as one body. An answer the server cut short (row cap, time limit) is an
error, never a complete-looking result.
"""
from __future__ import annotations

import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from . import namespaces as ns
from .graphs import in_graph
from .store import ALL_GRAPHS, QuerySyntaxError, Rows, Store, StoreError, skolemise, unskolemise
from .sparql_text import refuse_federation
from .answer_parts import PartialAnswer, select_in_parts
from .store_dialect import Dialect, probe

STAGING = ns.GRAPH + "staging/"
BATCH_BYTES = 8 * 1024 * 1024  # one INSERT DATA body at most; servers refuse 64-128 MiB
def credentials(url: str) -> tuple[str, str] | None:
    """A login for `url`: MCMAP_ENDPOINT_USER and MCMAP_ENDPOINT_PASSWORD, else the netrc file
    ($NETRC or ~/.netrc) entry for the host. Never from the command line, which shells keep."""
    user, password = os.environ.get("MCMAP_ENDPOINT_USER"), os.environ.get("MCMAP_ENDPOINT_PASSWORD")
    if user:
        return user, password or ""
    host = urllib.parse.urlsplit(url).hostname
    try:
        entry = netrc.netrc(os.environ.get("NETRC")).authenticators(host or "")
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    return (entry[0], entry[2] or "") if entry else None


def _opener(urls: Iterable[str]) -> urllib.request.OpenerDirector:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    logins = [(url, credentials(url)) for url in urls]
    for url, login in logins:
        if login:
            passwords.add_password(None, url, *login)
    if not any(login for _, login in logins):
        # without a login a challenge is answered by the 401 itself (and its message below)
        return urllib.request.build_opener()
    # Either scheme the server asks for: digest (Virtuoso's /sparql-auth), basic (Fuseki, GraphDB).
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords),
                                       urllib.request.HTTPBasicAuthHandler(passwords))


class RemoteStore(Store):
    """A SPARQL 1.1 Query/Update endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso...)."""

    def __init__(self, endpoint: str, update_endpoint: str | None = None, timeout: float = 300):
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or guess_update_endpoint(endpoint)
        self.timeout = timeout
        self._open = _opener({endpoint, self.update_endpoint}).open
        self._dialect: Dialect | None = None

    @property
    def dialect(self) -> Dialect:
        """What this server needs written differently, found once on first use."""
        if self._dialect is None:
            from .staging_graphs import check_no_pending_load

            self._dialect = probe(self)
            check_no_pending_load(self)
        return self._dialect

    # ---- HTTP ----------------------------------------------------------------------------

    def _request(self, url: str, body: dict | str, accept: str, *, is_query: bool = False):
        if isinstance(body, str):
            # an update as the request's body (SPARQL 1.1 Protocol, "update via POST directly"):
            # percent-encoding an 8 MiB batch as a form costs seconds of client time
            data, ctype = body.encode(), "application/sparql-update; charset=UTF-8"
        else:
            data, ctype = urllib.parse.urlencode(body, doseq=True).encode(), "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=data, headers={"Accept": accept, "Content-Type": ctype})
        try:
            return self._open(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace").strip()
            if is_query and e.code == 400:
                # The protocol's answer to a malformed query; the body is the parser's message.
                raise QuerySyntaxError(text or e.reason) from None
            if e.code == 401:
                raise StoreError(f"{url}: HTTP 401: the store wants a login it did not get or refused; "
                                 "set MCMAP_ENDPOINT_USER and MCMAP_ENDPOINT_PASSWORD or a netrc entry "
                                 "for this host") from None
            detail = text.splitlines()
            hint = " (a read-only endpoint, or a login without the right to write)" if e.code == 403 else ""
            if "S1T00" in text:  # Virtuoso past MaxQueryExecutionTime, where it gives no partial answer
                hint = " (the store's time limit for one query, e.g. Virtuoso's MaxQueryExecutionTime: raise it on the server)"
            raise StoreError(f"{url}: HTTP {e.code}: {detail[0][:500] if detail else e.reason}{hint}") from None
        except TimeoutError:
            raise StoreError(f"{url}: no answer within {self.timeout:g} s (see --timeout)") from None
        except ValueError as e:  # urllib: a login scheme it cannot answer
            raise StoreError(f"{url}: the store asks for a login mcmap cannot give: {e}") from None
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {e}") from None

    def _post(self, url: str, body: dict | str, accept: str, *, is_query: bool = False) -> tuple[str, bytes]:
        with self._request(url, body, accept, is_query=is_query) as resp:
            check_complete(url, resp.headers)
            return resp.headers.get_content_type(), self._read(url, resp)

    def _read(self, url, resp) -> bytes:
        try:
            return resp.read()
        except TimeoutError:
            raise StoreError(f"{url}: no answer within {self.timeout:g} s (see --timeout)") from None

    # ---- reads ---------------------------------------------------------------------------

    def query(self, sparql, *, default_graphs=None, bindings=None):
        return self._query(sparql, default_graphs, bindings)[0]

    def select(self, sparql, *, default_graphs=None, bindings=None, split_by=None) -> Rows:
        if not split_by:
            return super().select(sparql, default_graphs=default_graphs, bindings=bindings)
        return self._split(sparql, default_graphs, bindings, split_by)

    def _split(self, sparql, default_graphs, bindings, var: str) -> Rows:
        return select_in_parts(lambda text: self._query(text, default_graphs, bindings), sparql, var)

    def _query(self, sparql, default_graphs, bindings):
        """The answer, and the counter of its bytes (complete once its rows are read)."""
        # Refused here too: the endpoint would otherwise make the call on mcmap's behalf.
        refuse_federation(sparql)
        if bindings:
            from .sparql_text import inject_values

            sparql = inject_values(sparql, {k: str(skolemise(v)) for k, v in bindings.items()})
        graphs = list(ALL_GRAPHS) if default_graphs is None else [
            g.value if isinstance(g, ox.NamedNode) else str(g) for g in default_graphs]
        # Named graphs stay visible to GRAPH patterns, as they are in the embedded store.
        body = {"query": sparql, "default-graph-uri": graphs, "named-graph-uri": list(ALL_GRAPHS)}
        resp = _Counting(self._request(self.endpoint, body, self.dialect.accept, is_query=True))
        try:
            check_complete(self.endpoint, resp.headers)
            cut_at(self.endpoint, resp.headers)
            ctype = resp.headers.get_content_type()
            results_format = ox.QueryResultsFormat.from_media_type(ctype)
            if results_format is None:
                rdf_format = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
                with resp:
                    triples = [unskolemise(q.triple) for q in ox.parse(resp, rdf_format)]
                cap = resp.headers.get("X-SPARQL-MaxRows")
                if cap and cap.isdigit() and len(triples) >= int(cap):
                    raise PartialAnswer(capped(self.endpoint, cap), int(cap))
                return triples, resp
            result = ox.parse_query_results(resp, results_format)
            if isinstance(result, ox.QueryBoolean):
                return bool(result), resp
        except (SyntaxError, ValueError) as e:
            resp.close()
            raise StoreError(f"{self.endpoint}: unreadable answer: {e}") from None
        except BaseException:
            resp.close()
            raise
        variables = [v.value for v in result.variables]
        cap = resp.headers.get("X-SPARQL-MaxRows")
        return Rows(variables, self._stream(resp, result, len(variables), int(cap) if cap and cap.isdigit() else None)), resp

    def _stream(self, resp, solutions, width: int, cap: int | None) -> Iterator[tuple]:
        """Rows as they arrive; the response is closed when they are read or dropped. An
        answer as long as the server's row cap was cut there: the rows are not all."""
        fix = self.dialect.fix_term
        n = 0
        try:
            with resp:
                for sol in solutions:
                    n += 1
                    yield tuple(fix(sol[i]) for i in range(width))
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"{self.endpoint}: unreadable answer: {e}") from None
        except TimeoutError:
            raise StoreError(f"{self.endpoint}: the answer stopped arriving for {self.timeout:g} s "
                             "(see --timeout)") from None
        if cap is not None and n >= cap:
            raise PartialAnswer(capped(self.endpoint, cap), cap)

    def named(self, term) -> str | None:
        """Blank nodes too: this store holds them as the skolem IRIs mcmap wrote them as, and
        a scan for blank nodes would find none."""
        return str(skolemise(term)) if isinstance(term, (ox.NamedNode, ox.BlankNode)) else None

    # ---- writes --------------------------------------------------------------------------

    def update(self, sparql):
        try:
            self._post(self.update_endpoint, sparql, "*/*")
        except StoreError as e:
            if ";\n" not in sparql:  # one operation (mcmap puts each operation on its own line)
                raise
            if self.dialect.atomic_updates:
                raise StoreError(f"{e}; the store was left as it was") from None
            raise StoreError(f"{e}; this store does not apply an update as one transaction, so its "
                             "first operations may have been applied: check the store, or run "
                             "the command again") from None

    def add(self, quads, *, before=None):
        """All of `quads` or none: one request when they fit in one batch; otherwise staged in
        private graphs, batch by batch, then added to their graphs by one update."""
        batches = self._batches(quads)
        first = next(batches, None)
        second = next(batches, None) if first is not None else None
        if second is None:
            ops = ([before] if before else []) + ([insert_data(first)] if first else [])
            if ops:
                self.update(" ;\n".join(ops))
            return
        staging: dict[str, str] = {}
        self._stage([first, second], staging)
        self._stage(batches, staging)
        ops = [f"ADD GRAPH <{s}> TO GRAPH <{g}>" for g, s in staging.items() if s != g]
        if ops or before:
            self._commit(([before] if before else []) + ops, staging)

    def add_in_batches(self, quads):
        for batch in self._batches(quads):
            self.update(insert_data(batch))

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Make `graph` hold exactly `triples`: staged, then moved into place by one update."""
        quads = in_graph(triples, graph)
        staging: dict[str, str] = {}
        self._stage(self._batches(quads), staging)
        if not staging:
            self.update(f"DROP SILENT GRAPH <{graph}>")
            return
        self._commit([f"MOVE GRAPH <{staging[graph]}> TO GRAPH <{graph}>"], staging)

    def _batches(self, quads: Iterable[ox.Quad]) -> Iterator[list[tuple[str | None, str]]]:
        """(graph, N-Triples line) lists, each within the server's request limits."""
        limit = self.dialect.max_insert_triples
        batch: list[tuple[str | None, str]] = []
        size = 0
        for q in quads:
            line = f"{skolemise(q.subject)} {q.predicate} {skolemise(q.object)} ."
            graph = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            if batch and (len(batch) >= limit or size + len(line) > BATCH_BYTES):
                yield batch
                batch, size = [], 0
            batch.append((graph, line))
            size += len(line) + 1
        if batch:
            yield batch

    def _stage(self, batches, staging: dict[str, str]) -> None:
        run = uuid.uuid4().hex
        try:
            for batch in batches:
                moved = []
                for graph, line in batch:
                    if graph is None:
                        raise StoreError("a remote write larger than one batch needs every quad in a named graph")
                    # a graph that is already a staging graph (a Load's) is written directly
                    name = staging.setdefault(graph, graph if graph.startswith(STAGING)
                                              else f"{STAGING}{run}/{len(staging)}")
                    moved.append((name, line))
                self.update(insert_data(moved))
        except BaseException:
            self._drop(staging)
            raise

    def _commit(self, ops: list[str], staging: dict[str, str]) -> None:
        ops += [f"DROP SILENT GRAPH <{s}>" for g, s in staging.items() if s != g]
        try:
            self.update(" ;\n".join(ops))
        except StoreError:
            self._drop(staging)
            raise

    def _drop(self, staging: dict[str, str]) -> None:
        for name in {s for g, s in staging.items() if s != g}:
            try:
                self.update(f"DROP SILENT GRAPH <{name}>")
            except StoreError:
                pass


class _Counting:
    """A response whose bytes are counted as they are read."""

    def __init__(self, resp):
        self.resp, self.n = resp, 0
        self.headers = resp.headers

    def read(self, size=-1):
        data = self.resp.read(size)
        self.n += len(data)
        return data

    def close(self):
        self.resp.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.resp.close()


def insert_data(batch: list[tuple[str | None, str]]) -> str:
    by_graph: dict[str | None, list[str]] = {}
    for graph, line in batch:
        by_graph.setdefault(graph, []).append(line)
    parts = [("\n".join(ts) if g is None else f"GRAPH <{g}> {{\n" + "\n".join(ts) + "\n}")
             for g, ts in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def capped(url: str, cap) -> str:
    return (f"{url}: the store cut the answer at {cap} results (its result-size limit, e.g. "
            "Virtuoso's ResultSetMaxRows): raise the limit on the server")


def cut_at(url: str, headers) -> None:
    """Virtuoso sends X-SPARQL-MaxRows only with an answer it cut at that many rows: refused
    before any row is read, so a caller may ask again in smaller parts."""
    cap = headers.get("X-SPARQL-MaxRows")
    if cap and cap.isdigit():
        raise PartialAnswer(capped(url, cap), int(cap))


def check_complete(url: str, headers) -> None:
    """Past MaxQueryExecutionTime Virtuoso returns what it found so far; a header is the only
    sign. (An answer cut at its ResultSetMaxRows is found while reading the rows.)"""
    state = headers.get("X-SQL-State")
    if state:
        raise PartialAnswer(f"{url}: the store returned a partial answer ({state}: "
                            f"{headers.get('X-SQL-Message', 'time limit reached')}): raise its "
                            "time limit (e.g. Virtuoso's MaxQueryExecutionTime)")


def guess_update_endpoint(endpoint: str) -> str:
    """Where a store takes SPARQL Update, from its query URL (MCMAP_UPDATE_ENDPOINT overrides):
    Oxigraph and Fuseki .../query -> .../update; Fuseki /ds/sparql -> /ds/update; GraphDB and
    RDF4J /repositories/ID -> /repositories/ID/statements; Virtuoso /sparql takes both."""
    if os.environ.get("MCMAP_UPDATE_ENDPOINT"):
        return os.environ["MCMAP_UPDATE_ENDPOINT"]
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if segments[-1] == "query":
        path = path[: -len("query")] + "update"
    elif segments[-1] in ("sparql", "sparql-auth") and len(segments) > 2:
        path = path[: -len(segments[-1])] + "update"
    elif len(segments) >= 3 and segments[-2] == "repositories":
        path = path + "/statements"
    else:
        return endpoint
    return urllib.parse.urlunsplit(parts._replace(path=path))
