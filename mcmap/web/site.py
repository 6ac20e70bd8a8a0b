"""What every page shares: the templates, the limits, the jobs and the kept results."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, Response

from . import csrf
from .jobs import Jobs
from .kept import Kept

UPLOAD_LIMIT = 10_000_000  # bytes in one form, all files together

NAV = [("/check", "Check a submission"), ("/map", "Map"), ("/compare", "Compare"),
       ("/rules", "Rules"), ("/queries", "Query")]


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("mcmap.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals["nav"] = NAV
    return env


@dataclass
class Site:
    store_path: Path | None
    timeout: float = 60
    upload_limit: int = UPLOAD_LIMIT
    workers: int = 2
    env: Environment = field(default_factory=_environment)
    kept: Kept = field(default_factory=Kept)
    jobs: Jobs = None

    def __post_init__(self):
        if self.jobs is None:
            self.jobs = Jobs(size=self.workers, timeout=self.timeout)

    def page(self, request, template: str, status: int = 200, **context) -> Response:
        html = self.env.get_template(template).render(
            request=request, path=request.url.path, csrf_field=csrf.FIELD, csrf_token=csrf.token(request),
            today=dt.date.today().isoformat(), upload_limit=self.upload_limit, timeout=self.timeout, **context)
        response = HTMLResponse(html, status_code=status)
        csrf.set_cookie(request, response)
        return response

    def problem(self, request, status: int, title: str, message: str, back: str | None = None) -> Response:
        """A plain page that says what went wrong and what to do; never a traceback."""
        request.state.note = message.splitlines()[0][:150] if message else title
        return self.page(request, "problem.html", status=status, title=title, message=message, back=back)
