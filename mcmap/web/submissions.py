"""The Check a submission and Map pages: upload, run in a job, show, keep for download."""
from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .. import namespaces as ns
from ..errors import UsageError
from . import csrf
from .jobs import Busy, Failure, TimeLimitExceeded
from .uploads import BadForm, TooLarge, files_of, read_form
from .work import MAP_FORMATS, REPORT_FORMATS


def _frameworks() -> list[str]:
    from ..validate import frameworks

    return frameworks()


def _jurisdictions() -> list:
    from .. import frameworks

    return frameworks.jurisdictions()


def _as_of(site, request, form, back: str):
    """The form's as-of date (ISO text, or None when blank), or the page saying it is not a date."""
    from ..validate import parse_date

    value = form.get("as_of")
    text = (value or "").strip() if isinstance(value, str) else ""
    try:
        return parse_date(text).isoformat() if text else None
    except UsageError as e:
        return site.problem(request, 400, "The date is not a date", str(e).replace("--as-of: ", ""), back)


async def _form(site, request, back: str):
    """The posted form, or the page saying why it cannot be used."""
    try:
        form = await read_form(request, site.upload_limit)
    except TooLarge as e:
        return site.problem(request, 413, "The upload is too large", str(e), back)
    except BadForm as e:
        return site.problem(request, 400, "The form could not be read", str(e), back)
    why = csrf.verify(request, form)
    if why:
        await form.close()
        return site.problem(request, 403, "The form was refused", why, back)
    return form


async def _job(site, request, back: str, func: str, *args, uploads):
    try:
        result = await run_in_threadpool(site.jobs.run, func, *args, uploads=uploads)
    except Busy as e:
        return site.problem(request, 503, "The workbench is busy", f"{e}; try again in a minute", back)
    except TimeLimitExceeded:
        return site.problem(request, 503, "The check took too long",
                            f"it was stopped after {site.timeout:g} s (the server's --timeout); check fewer or "
                            f"smaller files, or run mcmap on your own machine, which has no such limit", back)
    if isinstance(result, Failure):
        title = "The file could not be read" if result.status < 500 else "mcmap could not finish"
        return site.problem(request, result.status, title, result.message, back)
    return result


def routes(site) -> list:
    from starlette.routing import Route

    async def check_page(request) -> Response:
        return site.page(request, "check.html", frameworks=_frameworks(), chosen={})

    async def check(request) -> Response:
        form = await _form(site, request, "/check")
        if isinstance(form, Response):
            return form
        try:
            framework = form.get("framework") or ""
            chosen = {"framework": framework, "as_of": form.get("as_of") or ""}
            if framework not in _frameworks():
                return site.problem(request, 400, "Choose a framework",
                                    f"'{framework}' is not one of {', '.join(_frameworks())}", "/check")
            as_of = _as_of(site, request, form, "/check")
            if isinstance(as_of, Response):
                return as_of
            uploads = await files_of(form)
            if not uploads:
                return site.problem(request, 400, "No file", "choose at least one file to check", "/check")
            result = await _job(site, request, "/check", "check", framework, as_of, uploads=uploads)
        finally:
            await form.close()
        if isinstance(result, Response):
            return result
        token = site.kept.put({"kind": "report", **result})
        c = result["counts"]
        request.state.note = (f"checked {len(result['files'])} file(s): {c['credentials_checked']} credentials, "
                              f"{c['violations']} violations")
        return site.page(request, "report.html", r=result, token=token, frameworks=_frameworks(), chosen=chosen)

    async def store_credentials(request) -> int:
        """How many credentials the served store holds, asked of the server's own endpoint."""
        from .query_page import ask_endpoint

        if site.store_path is None:
            return 0
        status, _, body = await ask_endpoint(request, "/query", {
            "query": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH <%s> { ?c a <%sMicroCredential> } }"
                     % (ns.GRAPH_DATA, ns.MC), "format": "json"})
        if status != 200:
            return 0
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    async def map_page(request) -> Response:
        return site.page(request, "map.html", jurisdictions=_jurisdictions(), chosen={"to": []},
                         store_credentials=await store_credentials(request))

    async def map_post(request) -> Response:
        form = await _form(site, request, "/map")
        if isinstance(form, Response):
            return form
        try:
            known = {j.code for j in _jurisdictions()}
            targets = [t for t in form.getlist("to") if isinstance(t, str)]
            source = form.get("from") or None
            chosen = {"to": targets, "from": source or "", "as_of": form.get("as_of") or ""}
            if not targets or not set(targets) <= known or (source and source not in known):
                return site.problem(request, 400, "Choose where to map to",
                                    f"choose one or more target jurisdictions ({', '.join(sorted(known))})", "/map")
            as_of = _as_of(site, request, form, "/map")
            if isinstance(as_of, Response):
                return as_of
            if form.get("credentials") == "store" and site.store_path is not None:
                chosen["credentials"] = "store"
                result = await _job(site, request, "/map", "map_served", str(site.store_path), targets, source,
                                    as_of, uploads=())
            else:
                uploads = await files_of(form)
                if not uploads:
                    return site.problem(request, 400, "No file", "choose at least one file to map", "/map")
                result = await _job(site, request, "/map", "map_files", targets, source, as_of, uploads=uploads)
        finally:
            await form.close()
        if isinstance(result, Response):
            return result
        token = site.kept.put({"kind": "map", **result})
        return site.page(request, "mapped.html", m=result, token=token, jurisdictions=_jurisdictions(),
                         chosen=chosen, store_credentials=await store_credentials(request))

    def download(kind: str, formats: dict, stem: str):
        async def endpoint(request) -> Response:
            kept = site.kept.get(request.path_params["token"])
            fmt = request.path_params["fmt"]
            if kept is None or kept["kind"] != kind or fmt not in kept["downloads"]:
                return site.problem(request, 404, "No such result",
                                    "results are kept for an hour after they are shown; run the check again",
                                    f"/{'check' if kind == 'report' else 'map'}")
            name = f"{stem}-{kept.get('framework', 'mapping')}.{fmt}" if kind == "report" else f"{stem}.{fmt}"
            if kind == "map" and fmt == "tsv":
                name = f"{stem}.sssom.tsv"
            body = kept["downloads"][fmt]
            return Response(body, media_type=formats.get(fmt, "application/octet-stream"),
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return endpoint

    return [
        Route("/check", check_page, methods=["GET"]),
        Route("/check", check, methods=["POST"]),
        Route("/check/{token}/report.{fmt}", download("report", REPORT_FORMATS, "mcmap-report")),
        Route("/map", map_page, methods=["GET"]),
        Route("/map", map_post, methods=["POST"]),
        Route("/map/{token}/mapping.{fmt}", download("map", MAP_FORMATS, "mcmap-mapping")),
    ]
