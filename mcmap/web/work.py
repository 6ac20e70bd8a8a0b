"""What the workbench's pages do, through mcmap's library API (the functions the CLI calls).

Every function runs in a job process (see jobs.py) whose working folder holds the uploaded
files, and returns plain data (text, numbers, dicts): the documents a person may download are
made here, once, by the CLI's own renderers. The job server imports this module ahead of time,
so the heavy modules below are loaded once, not for every upload.
"""
from __future__ import annotations

from urllib.parse import quote

from .. import library
from ..mapping import crossmap, render as _map_render  # noqa: F401  (loaded ahead, see above)
from ..shacl import render_html, render_rdf  # noqa: F401
from ..shacl.render import heading
from .. import validate as _validate  # noqa: F401

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_FORMATS = {"html": "text/html; charset=utf-8", "json": "application/json",
                  "ttl": "text/turtle; charset=utf-8", "xlsx": XLSX}
MAP_FORMATS = {"tsv": "text/tab-separated-values; charset=utf-8", "json": "application/json",
               "csv": "text/csv; charset=utf-8", "ttl": "text/turtle; charset=utf-8", "xlsx": XLSX}


def rule_link(framework: str):
    return lambda rule_id: f"/rules/{quote(framework)}#{quote(rule_id, safe='')}"


def check(names: list[str], framework: str, as_of: str | None) -> dict:
    """Validate the uploaded files as `mcmap validate FILE... --framework F --as-of D` would."""
    report = library.validate(names, framework, as_of=as_of)
    doc = report.to_dict()
    return {
        "heading": heading(report.report),
        "files": names,
        "framework": framework,
        "as_of": doc["as_of"],
        "conforms": doc["conforms"],
        "counts": doc["summary"],
        "body": report.html_fragment(rule_href=rule_link(framework)),
        "downloads": {fmt: report.render(fmt) for fmt in REPORT_FORMATS},
    }


def map_files(names: list[str], targets: list[str], source: str | None, as_of: str | None) -> dict:
    """Restate the uploaded credentials in the target jurisdictions' terms, as `mcmap map` does."""
    results = library.map_credentials(names, targets, source=source, as_of=as_of)
    return {
        "credentials": results.to_dict(),
        "downloads": {fmt: results.render(fmt) for fmt in MAP_FORMATS},
    }


SERVED_QUADS_LIMIT = 2_000_000  # the served store's data copied for one mapping, at most


def map_served(store_path: str, targets: list[str], source: str | None, as_of: str | None) -> dict:
    """Map the credentials of the served store (opened read-only, its data graph copied into
    memory: the mapping never writes to the served store)."""
    from itertools import islice

    import pyoxigraph as ox

    from ..errors import UsageError
    from ..namespaces import GRAPH_DATA
    from ..store import LocalStore

    held = ox.Store.read_only(store_path)
    quads = list(islice(held.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_DATA)), SERVED_QUADS_LIMIT + 1))
    if len(quads) > SERVED_QUADS_LIMIT:
        raise UsageError(f"the served store holds more than {SERVED_QUADS_LIMIT:,} facts about credentials, too many "
                         f"to map here; run mcmap map --store on the store folder")
    work = LocalStore()
    work.add(quads)
    results = library.map_credentials(to=targets, source=source, as_of=as_of, store=work)
    return {
        "credentials": results.to_dict(),
        "downloads": {fmt: results.render(fmt) for fmt in MAP_FORMATS},
    }
