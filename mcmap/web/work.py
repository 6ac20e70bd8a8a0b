"""What the workbench's pages do, through the same library functions the CLI calls.

Every function runs in a job process (see jobs.py) whose working folder holds the uploaded
files, and returns plain data (text, numbers, dicts): the documents a person may download are
made here, once, by the CLI's own renderers. Imported by the job server ahead of time, so the
heavy modules are loaded once.
"""
from __future__ import annotations

import json
from urllib.parse import quote

from ..formats import read_files
from ..load import store_with_files
from ..mapping import render as map_render
from ..mapping.crossmap import map_store
from ..formats.sssom import write_sssom
from ..shacl.render import heading, render
from ..shacl.render_html import report_body
from ..store import LocalStore
from ..validate import validate as run_validation

REPORT_FORMATS = {"html": "text/html; charset=utf-8", "json": "application/json",
                  "ttl": "text/turtle; charset=utf-8"}
MAP_FORMATS = {"tsv": "text/tab-separated-values; charset=utf-8", "json": "application/json",
               "csv": "text/csv; charset=utf-8"}


def rule_link(framework: str):
    return lambda rule_id: f"/rules/{quote(framework)}#{quote(rule_id, safe='')}"


def check(names: list[str], framework: str, as_of: str | None) -> dict:
    """Validate the uploaded files as `mcmap validate FILE... --framework F --as-of D` would."""
    store = store_with_files(names)
    report = run_validation(store, framework, as_of=as_of)
    downloads = {fmt: render(report, fmt) for fmt in REPORT_FORMATS}
    summary = json.loads(downloads["json"])
    return {
        "heading": heading(report),
        "files": names,
        "framework": framework,
        "as_of": summary["as_of"],
        "conforms": summary["conforms"],
        "counts": summary["summary"],
        "body": report_body(report, rule_href=rule_link(framework)),
        "downloads": downloads,
    }


def map_files(names: list[str], targets: list[str], source: str | None, as_of: str | None) -> dict:
    """Restate the uploaded credentials in the target jurisdictions' terms, as `mcmap map` does."""
    store = LocalStore()
    store.add(read_files(names))
    results = map_store(store, targets, source=source, as_of=as_of)
    return _mapped(results, "-".join(n.rsplit(".", 1)[0] for n in names) or "upload")


def _mapped(results, label: str) -> dict:
    from ..errors import UsageError

    if not results:
        raise UsageError("no micro-credentials found in the upload")
    mset = map_render.to_mapping_set(results, label)
    return {
        "credentials": map_render.as_dicts(results),
        "downloads": {"tsv": write_sssom(mset), "json": map_render.to_json(results),
                      "csv": map_render.to_csv(results)},
    }


def warm() -> bool:
    """Nothing: starting a job once makes the job server load mcmap before the first upload."""
    return bool(store_with_files)
