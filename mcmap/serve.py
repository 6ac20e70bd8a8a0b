"""`mcmap serve`: a read-only SPARQL 1.1 Protocol endpoint over a store folder.

Any SPARQL client (SPARQLWrapper, YASGUI, rdflib, curl) can query the store at /query (also
/sparql); the named queries shipped with mcmap answer at /named/<name>?param=value. Updates are
refused, every query gets a time limit and a result limit, and each request is one log line.
"""
from __future__ import annotations

import contextlib
import sys
import time
import urllib.parse
from pathlib import Path

from .errors import FederationRefused, McmapError, UsageError
from .query_workers import (Busy, Job, MemoryLimitExceeded, QueryPool, TimeLimitExceeded, TooManySlow,
                            WorkerDied, negotiate, offered)
from .sparql_text import query_form, refuse_federation

MAX_BODY = 1_000_000  # bytes of a POSTed query
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
READ_ONLY = "mcmap serve is read-only: SPARQL Update is refused\n"


def _accept(header: str) -> list[str]:
    """Media types of an Accept header, most preferred first."""
    items = []
    for n, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        items.append((-q, n, fields[0].lower()))
    return [t for _, _, t in sorted(items)]


def create_app(store_path: str | Path, *, timeout: float = 30, limit: int | None = 10_000,
               workers: int = 3, slow_after: float = 1.0, slow_queries: int | None = None,
               memory_mb: int | None = 1024, cors: list[str] | tuple[str, ...] = (), log=None):
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from . import query as q

    path = Path(store_path)
    if not path.is_dir():
        raise UsageError(f"{path}: no such store folder (create one with mcmap load FILE... --store {path})")
    from .store import FolderLock

    # Held while serving: `mcmap load` and other writers refuse the folder instead of leaving
    # the server answering from data they have replaced.
    folder_lock = FolderLock(path, exclusive=False)
    try:
        pool = QueryPool(str(path), size=workers, timeout=timeout, slow_after=slow_after,
                         slow_limit=slow_queries, memory_mb=memory_mb)
    except OSError as e:
        folder_lock.release()
        raise McmapError(f"{path}: cannot open the store read-only: {e}") from None
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))

    def text(status: int, message: str, request) -> Response:
        request.state.note = message.strip().splitlines()[0] if message.strip() else ""
        return PlainTextResponse(message if message.endswith("\n") else message + "\n", status_code=status)

    async def read_params(request) -> tuple[dict[str, list[str]], str | None] | Response:
        params: dict[str, list[str]] = {}
        for k, v in request.query_params.multi_items():
            params.setdefault(k, []).append(v)
        body_query = None
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if len(body) > MAX_BODY:
                return text(413, f"the request is larger than {MAX_BODY} bytes", request)
            if ctype == "application/sparql-update":
                return text(403, READ_ONLY, request)
            if ctype == "application/sparql-query":
                body_query = body.decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
                    params.setdefault(k, []).append(v)
            else:
                return text(415, "POST a query as application/sparql-query or as an "
                                 "application/x-www-form-urlencoded form with a 'query' field", request)
        if "update" in params:
            return text(403, READ_ONLY, request)
        return params, body_query

    async def answer(request, job: Job) -> Response:
        started = time.monotonic()
        try:
            result = await run_in_threadpool(pool.run, job)
        except TimeLimitExceeded:
            return text(503, f"the query ran past the time limit of {timeout:g} s and was stopped "
                             f"(the server's --timeout)", request)
        except MemoryLimitExceeded:
            return text(503, f"the query needed more than the memory limit of {memory_mb} MB and was "
                             f"stopped (the server's --memory)", request)
        except WorkerDied as e:
            return text(500, str(e), request)
        except TooManySlow as e:
            return text(503, f"{e}; try again later (the server's --slow-queries)", request)
        except Busy as e:
            return text(503, f"{e}; try again later (the server's --workers)", request)
        if result.status != 200:
            return text(result.status, result.body.decode("utf-8", "replace"), request)
        headers = {}
        note = "" if result.rows is None else f"{result.rows} result{'' if result.rows == 1 else 's'}"
        if result.truncated:
            headers["Mcmap-Result-Limit"] = str(limit)
            headers["Mcmap-Truncated"] = "true"
            note += f", cut at the result limit of {limit}"
        request.state.note = f"{note} in {1000 * (time.monotonic() - started):.0f} ms".strip()
        return Response(result.body, media_type=result.media_type, headers=headers)

    def accept_of(request, params) -> list[str]:
        fmt = params.get("format", [None])[0]
        return [fmt.lower()] if fmt else _accept(request.headers.get("accept", "*/*"))

    def refusal(request, query: str, accept: list[str], params) -> Response | None:
        """400 for graph IRIs that are not IRIs, 406 for a format the answer cannot take."""
        import pyoxigraph as ox

        for key in ("default-graph-uri", "named-graph-uri"):
            for g in params.get(key, []):
                try:
                    ox.NamedNode(g)
                except ValueError as e:
                    return text(400, f"{key} '{g}' is not an IRI: {e}", request)
        form = query_form(query)
        if negotiate(accept, form) is None:
            return text(406, f"cannot answer {form or 'this query'} as {', '.join(accept)}; "
                             f"it can answer as {offered(form)} (Accept header or ?format=)", request)
        return None

    async def sparql(request) -> Response:
        got = await read_params(request)
        if isinstance(got, Response):
            return got
        params, body_query = got
        query = body_query if body_query is not None else (params.get("query") or [None])[0]
        if not query:
            return text(400, "no query: give ?query=... (GET), a 'query' form field or an "
                             "application/sparql-query body (POST)", request)
        if query_form(query) in UPDATE_FORMS:
            return text(403, READ_ONLY, request)
        try:
            refuse_federation(query)
        except FederationRefused as e:
            return text(400, str(e), request)
        accept = accept_of(request, params)
        refused = refusal(request, query, accept, params)
        if refused is not None:
            return refused
        job = Job(query, accept, limit,
                  default_graphs=params.get("default-graph-uri"), named_graphs=params.get("named-graph-uri"))
        return await answer(request, job)

    async def named(request) -> Response:
        name = request.path_params["name"]
        try:
            nq = q.named_query(name)
        except UsageError as e:
            return text(404, str(e), request)
        got = await read_params(request)
        if isinstance(got, Response):
            return got
        params, _ = got
        values = {k: v[-1] for k, v in params.items() if k != "format"}
        try:
            bindings = q.bind_params(nq.text, values, nq.params)
        except UsageError as e:
            return text(400, str(e).replace("--param ", ""), request)
        accept = accept_of(request, params)
        refused = refusal(request, nq.text, accept, {})
        if refused is not None:
            return refused
        return await answer(request, Job(nq.text, accept, limit, bindings=bindings))

    async def catalogue(request) -> Response:
        return JSONResponse([{"name": n, "title": c.title, "description": c.description,
                              "url": f"/named/{n}",
                              "params": [{"name": p.name, "type": p.kind, "meaning": p.meaning} for p in c.params]}
                             for n, c in q.catalogue().items()])

    async def home(request) -> Response:
        if wants_html(request):
            return await workbench_home(request)
        names = "\n".join(f"  /named/{n}  {c.title}" for n, c in q.catalogue().items())
        return PlainTextResponse(
            f"mcmap SPARQL endpoint over {path} (read-only)\n\n"
            f"  /query   SPARQL 1.1 Protocol: GET ?query=..., or POST\n"
            f"  /named   the named queries, as JSON\n{names}\n\n"
            f"Each query may run {timeout:g} s and return {limit if limit is not None else 'any number of'} results.\n")

    async def options(request) -> Response:
        # Without --cors a browser's preflight gets no CORS headers and stops; other clients
        # learn the methods.
        return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})

    def both(handler):
        async def route(request):
            return await (options(request) if request.method == "OPTIONS" else handler(request))
        return route

    methods = ["GET", "POST", "OPTIONS"]
    routes = [Route("/", home), Route("/query", both(sparql), methods=methods),
              Route("/sparql", both(sparql), methods=methods), Route("/named", catalogue),
              Route("/named/{name}", both(named), methods=methods)]
    from .web import routes as workbench_routes, wants_html

    pages, workbench_home, not_found = workbench_routes(path, timeout=timeout, workers=workers)
    routes += pages
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        pool.close()
        folder_lock.release()

    middleware = []
    if cors:
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=methods,
                                     allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["Mcmap-Result-Limit", "Mcmap-Truncated"], max_age=600))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware, exception_handlers={404: not_found})
    app.state.pool = pool
    return RequestLog(app, log)


class RequestLog:
    """ASGI middleware: one line per request on stderr, e.g.
    `127.0.0.1 "GET /named/volume-of-learning?jurisdiction=NZ" 200 3 results in 8 ms`."""

    def __init__(self, app, log):
        self.app, self.log = app, log
        self.state = getattr(app, "state", None)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.monotonic(), [0]

        async def capture(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self.app(scope, receive, capture)
        path = scope.get("path", "")
        qs = scope.get("query_string", b"").decode("latin-1")
        if qs:
            path += "?" + urllib.parse.unquote_plus(qs)
        # One request, one line: a query's own line breaks and control characters are escaped.
        path = "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)
        if len(path) > 200:
            path = path[:197] + "..."
        note = scope.get("state", {}).get("note") or f"in {1000 * (time.monotonic() - started):.0f} ms"
        if len(note) > 160:
            note = note[:157] + "..."
        client = (scope.get("client") or ("-",))[0]
        self.log(f'{client} "{scope.get("method")} {path}" {status[0]} {note}')


def serve(store_path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30,
          limit: int | None = 10_000, workers: int = 3, **options) -> None:
    import uvicorn

    app = create_app(store_path, timeout=timeout, limit=limit, workers=workers, **options)
    print(f"mcmap serve: SPARQL endpoint http://{host}:{port}/query over {store_path} "
          f"(read-only, {timeout:g} s and {limit} results per query); the workbench for a browser is at "
          f"http://{host}:{port}/; Ctrl-C stops it",
          file=sys.stderr, flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"mcmap serve: warning: listening on {host}: other machines can query this store",
              file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
