"""Cross-site request forgery protection for the workbench's forms: a double-submit token.

A random token lives in a SameSite=Strict cookie and in a hidden field of every form; a POST
is accepted only when the two agree, and when the browser's Origin (if sent) is this server.
Another site can make a browser send the cookie's request, but cannot read the token.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

COOKIE = "mcmap_csrf"
FIELD = "csrf_token"


def token(request) -> str:
    """This browser's token (a new one, to be set as a cookie, on its first visit)."""
    existing = request.cookies.get(COOKIE, "")
    if len(existing) >= 20 and existing.replace("-", "").replace("_", "").isalnum():
        return existing
    new = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(24)
    request.state.new_csrf = new
    return new


def set_cookie(request, response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(COOKIE, new, httponly=True, samesite="strict", path="/")


def verify(request, form) -> str | None:
    """None when the POST may go ahead, else why not (in words for the page)."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc.lower() != host.lower():
            return f"the form was sent from another site ({origin}), not from this workbench"
    cookie = request.cookies.get(COOKIE, "")
    sent = form.get(FIELD, "") if form is not None else ""
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie, sent):
        return ("the form's security token is missing or out of date (cookies must be allowed for this "
                "page); open the page again and resend the form")
    return None
