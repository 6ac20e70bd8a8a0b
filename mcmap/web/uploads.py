"""Reading a form with files, with a limit on its size that gives a clear answer.

The body is read into memory up to the limit. A larger one is still read to its end (up to a
hard ceiling) and thrown away, so the browser gets the page that explains the limit rather than
a broken connection.
"""
from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request

from .jobs import Upload

HARD_CEILING_FACTOR = 20
MAX_FILES = 20


class TooLarge(Exception):
    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"the upload of {megabytes(size)} is larger than this workbench accepts "
                         f"({megabytes(limit)} in all); check a smaller file, or run "
                         f"mcmap validate FILE on your own machine, which has no such limit")


class BadForm(Exception):
    pass


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


async def read_form(request: Request, limit: int):
    """The form (fields and files), or TooLarge, or BadForm."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit * HARD_CEILING_FACTOR:
        raise TooLarge(int(declared), limit)
    body, seen = bytearray(), 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen <= limit:
            body += chunk
        elif seen > limit * HARD_CEILING_FACTOR:
            break
    if seen > limit:
        raise TooLarge(seen, limit)
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=MAX_FILES, max_fields=100)
    except Exception as e:  # python-multipart and Starlette raise several kinds for a broken form
        raise BadForm(f"the form could not be read: {e}") from None


async def files_of(form, field: str = "files") -> list[Upload]:
    out = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            out.append(Upload(item.filename, await item.read()))
    return out
