"""The Query page: a SPARQL editor with the named queries as a menu.

Every query goes to the server's own SPARQL endpoint (/query, or /named/NAME for a named query
with parameters), called in-process: the page has exactly the endpoint's read-only rule,
refusals, time limit and result limit, because it is the endpoint that answers.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from starlette.responses import Response

MAX_QUERY_FORM = 1_000_000  # bytes, as the endpoint's own limit on a POSTed query
MAX_SHOWN = 1000  # rows drawn in the page; downloads carry every row the endpoint returns


async def ask_endpoint(request, path: str, fields: dict) -> tuple[int, dict, bytes]:
    """POST `fields` as a form to this server's `path`, as a SPARQL client would, and return
    the status, headers and body of the answer."""
    body = urlencode(fields, doseq=True).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": request.url.scheme, "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": request.scope.get("client"), "server": request.scope.get("server"),
        "headers": [(b"content-type", b"application/x-www-form-urlencoded"),
                    (b"content-length", str(len(body)).encode()), (b"host", request.headers.get("host", "").encode())],
    }
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status, headers, chunks = 500, {}, []

    async def send(message):
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await request.app(scope, receive, send)
    return status, headers, b"".join(chunks)


def _short(term: dict) -> tuple[str, str | None]:
    """A result term as shown in the table: prefixed IRIs, literals as written; and its full IRI."""
    from ..results import DISPLAY_PREFIXES

    value = term.get("value", "")
    if term.get("type") == "uri":
        for prefix, base in sorted(DISPLAY_PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(base) and len(value) > len(base):
                return f"{prefix}:{value[len(base):]}", value
        return value, value
    return value, None


def routes(site) -> list:
    from starlette.routing import Route

    from .. import query as q
    from ..sparql_text import query_form
    from . import csrf
    from .uploads import BadForm, TooLarge, read_form

    def catalogue():
        return q.catalogue()

    def editor(request, *, text: str, named: str, values: dict, status: int = 200, **extra) -> Response:
        queries = catalogue()
        nq = queries.get(named)
        return site.page(request, "query.html", status=status, queries=queries, named=named if nq else "",
                         params=nq.params if nq else [], values=values, text=text, **extra)

    async def page(request) -> Response:
        named = request.query_params.get("named", "")
        nq = catalogue().get(named)
        text = nq.text if nq else "PREFIX mc: <https://w3id.org/mcmap/ns#>\nPREFIX dct: <http://purl.org/dc/terms/>\n\n" \
                                  "SELECT ?credential ?title WHERE {\n  ?credential a mc:MicroCredential ; dct:title ?title .\n}\nLIMIT 20\n"
        values = {p.name: request.query_params.get(p.name, "") for p in (nq.params if nq else [])}
        return editor(request, text=text, named=named if nq else "", values=values)

    async def run(request) -> Response:
        try:
            form = await read_form(request, MAX_QUERY_FORM)
        except (TooLarge, BadForm) as e:
            return site.problem(request, 413 if isinstance(e, TooLarge) else 400, "The query could not be sent",
                                str(e), "/queries")
        why = csrf.verify(request, form)
        if why:
            return site.problem(request, 403, "The form was refused", why, "/queries")
        text = str(form.get("query") or "").replace("\r\n", "\n")
        named = str(form.get("named") or "")
        action = str(form.get("action") or "run")
        nq = catalogue().get(named)
        values = {p.name: str(form.get(p.name) or "").strip() for p in (nq.params if nq else [])}
        as_named = nq is not None and " ".join(text.split()) == " ".join(nq.text.split())
        if not as_named:
            named, values = ("", {}) if nq is None else (named, values)
        form_kind = query_form(nq.text if as_named else text)
        graph_result = form_kind in ("CONSTRUCT", "DESCRIBE")
        fmt = {"csv": "csv", "json": "json", "ttl": "ttl"}.get(action) or ("ttl" if graph_result else "json")
        if as_named:
            path, fields = f"/named/{named}", {**{k: v for k, v in values.items() if v}, "format": fmt}
        else:
            path, fields = "/query", {"query": text, "format": fmt}
        status, headers, body = await ask_endpoint(request, path, fields)
        if action != "run" and status == 200:
            ext = {"csv": "csv", "json": "srj", "ttl": "ttl"}.get(fmt, fmt)
            return Response(body, media_type=headers.get("content-type", "application/octet-stream"),
                            headers={"Content-Disposition": f'attachment; filename="mcmap-query.{ext}"'})
        shown = {"text": text, "named": named, "values": values}
        if status != 200:
            message = body.decode("utf-8", "replace").strip()
            request.state.note = message.splitlines()[0][:150] if message else f"status {status}"
            return editor(request, status=status, error=message or f"the endpoint answered {status}", **shown)
        truncated = headers.get("mcmap-truncated") == "true"
        limit = headers.get("mcmap-result-limit")
        if graph_result:
            return editor(request, turtle=body.decode("utf-8", "replace"), truncated=truncated, limit=limit, **shown)
        doc = json.loads(body)
        if "boolean" in doc:
            return editor(request, boolean=doc["boolean"], **shown)
        variables = doc["head"].get("vars", [])
        bindings = doc["results"]["bindings"]
        rows = [[_short(b[v]) if v in b else ("", None) for v in variables] for b in bindings[:MAX_SHOWN]]
        return editor(request, variables=variables, rows=rows, count=len(bindings), truncated=truncated,
                      limit=limit, max_shown=MAX_SHOWN, **shown)

    return [Route("/queries", page, methods=["GET"]), Route("/queries", run, methods=["POST"])]
