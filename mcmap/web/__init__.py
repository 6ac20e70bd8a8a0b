"""The workbench: web pages beside the SPARQL endpoint of `mcmap serve`.

Check a submission, map it into other jurisdictions, compare the frameworks, read the rules and
query the store, in a browser. Pages are rendered on the server and work without JavaScript;
styles and the one small script ship with mcmap, so nothing is fetched from elsewhere. Uploads
are checked in a job of their own, in a temporary folder, and never reach the served store.
"""
from __future__ import annotations

from pathlib import Path


def routes(store_path: Path | None, *, timeout: float = 60, upload_limit: int | None = None,
           workers: int = 2) -> tuple[list, object, object]:
    """The workbench's routes, its home page (for the server's / when a browser asks), and the
    answer to an address no route knows (a page for a browser, a line for other clients)."""
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from . import query_page, reference, submissions
    from .site import UPLOAD_LIMIT, Site

    site = Site(store_path, timeout=timeout, upload_limit=upload_limit or UPLOAD_LIMIT, workers=workers)
    ref_routes, home = reference.routes(site)
    static = StaticFiles(directory=str(Path(__file__).parent / "static"))
    async def not_found(request, exc):
        from starlette.responses import PlainTextResponse

        if wants_html(request):
            return site.problem(request, 404, "No such page",
                                f"There is no page at {request.url.path}: the menu above lists the workbench's pages.")
        return PlainTextResponse(f"{request.url.path}: not found (see / for what this server answers)\n",
                                 status_code=404)

    return [*submissions.routes(site), *ref_routes, *query_page.routes(site),
            Mount("/static", app=static, name="static")], home, not_found


def wants_html(request) -> bool:
    """A browser's request for a page (as opposed to a SPARQL client's or curl's)."""
    return "text/html" in request.headers.get("accept", "")
