"""JSON-LD contexts that ship with mcmap, so reading or writing JSON-LD never touches the network.

A document naming a context by URL gets the shipped copy; a URL mcmap does not ship is refused,
never fetched: a credential file must not make mcmap call out to a server the user did not choose
(and a context fetched today may differ from the one the file was written against).
"""
from __future__ import annotations

import copy
import json
from functools import cache

from ..errors import InputError
from ..resources import data_dir

# The URL under which mcmap's own context is published; exports name it, readers resolve it here.
MCMAP_CONTEXT_URL = "https://w3id.org/mcmap/context.jsonld"

CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"

# context URL -> file in ontology/contexts/ (see ontology/contexts/README.md for sources and licences)
KNOWN: dict[str, str] = {
    MCMAP_CONTEXT_URL: "mcmap.jsonld",
    CREDENTIALS_V1: "credentials-v1.jsonld",
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB3_CONTEXT: "ob-3.0.3.jsonld",
    OB3_EXTENSIONS: "ob-extensions.jsonld",
    EDC_CONTEXT: "edc-ap.jsonld",
    CTDL_CONTEXT: "ctdl-subset.jsonld",
    # Registry documents name the CTDL context over plain http too.
    "http://credreg.net/ctdl/schema/context/json": "ctdl-subset.jsonld",
}


def _key(url: str) -> str | None:
    if url in KNOWN:
        return url
    trimmed = url.rstrip("/#")
    return trimmed if trimmed in KNOWN else None


def is_known(url: str) -> bool:
    return _key(url) is not None


@cache
def _read(filename: str) -> dict:
    return json.loads((data_dir("ontology") / "contexts" / filename).read_text(encoding="utf-8"))


def load_context(url: str, source: str | None = None) -> dict:
    """The shipped context document ({"@context": ...}) for `url`, or InputError if mcmap has none."""
    key = _key(url) if isinstance(url, str) else None
    if key is None:
        known = ", ".join(sorted(KNOWN))
        raise InputError(
            source or "JSON-LD",
            f"unknown remote JSON-LD context {url}: mcmap never fetches contexts; "
            f"it ships these: {known}. Inline the context in the file, or convert the file "
            f"to Turtle first")
    return copy.deepcopy(_read(KNOWN[key]))


resolve = load_context


def document_loader(url: str, options: dict | None = None) -> dict:
    """A pyld document loader that serves shipped contexts and refuses every other URL."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}


def make_document_loader(source: str):
    """A pyld document loader whose errors name the file being read."""
    def loader(url: str, options: dict | None = None) -> dict:
        return {"contextUrl": None, "documentUrl": url, "document": load_context(url, source)}
    return loader


def inline_contexts(doc, source: str | None = None):
    """A copy of a JSON-LD document with every context URL replaced by the shipped context.

    For processors (rdflib) that would otherwise fetch a URL themselves: after this no URL is
    left for them to fetch, and an unknown one has already been refused.
    """
    if isinstance(doc, list):
        return [inline_contexts(x, source) for x in doc]
    if not isinstance(doc, dict):
        return doc
    out = {}
    for k, v in doc.items():
        if k == "@context":
            out[k] = _inline_value(v, source)
        else:
            out[k] = inline_contexts(v, source)
    return out


def _inline_value(value, source):
    if isinstance(value, str):
        return _inline_value(load_context(value, source)["@context"], source)
    if isinstance(value, list):
        flat = []
        for v in value:
            r = _inline_value(v, source)
            flat.extend(r if isinstance(r, list) else [r])
        return flat
    if isinstance(value, dict):
        # Scoped contexts inside a term definition may name URLs too.
        return {k: (_inline_value(v, source) if k == "@context" else
                    (inline_contexts(v, source) if isinstance(v, dict) else v))
                for k, v in value.items()}
    return value


def refusal_in(exc: BaseException) -> InputError | None:
    """The InputError a loader raised, found inside the errors pyld wraps it in (or None)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, InputError):
            return exc
        seen.add(id(exc))
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
    return None
