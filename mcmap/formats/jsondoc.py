"""Shared steps of the readers and writers of the JSON-LD credential standards (ELM, OB3, CTDL):
read the file's own RDF (so nothing it says is lost), add mcmap records beside it, and warn
about values mcmap will not take."""
from __future__ import annotations

import itertools
import json
import warnings
from pathlib import Path

from ..errors import UsageError
from .provenance import id_lines
from .nquads import QuadText, Writer
from .record import Credential, record_text


class ReadWarning(UserWarning):
    """A value read but not taken (an implausible duration, an unknown unit): said, not dropped."""


_format_warning = warnings.formatwarning


def _format(message, category, filename, lineno, line=None):
    if issubclass(category, ReadWarning):
        return f"mcmap: warning: {message}\n"
    return _format_warning(message, category, filename, lineno, line)


warnings.formatwarning = _format


def warn(source: str, message: str, line: int | None = None) -> None:
    where = f"{source}:{line}" if line else source
    warnings.warn(ReadWarning(f"{where}: {message}"), stacklevel=3)


def document_text(path: Path, records: list[Credential], *, keep: tuple[str, list] | None = None,
                  parsed: tuple | None = None) -> QuadText:
    """The file's own triples (via the JSON-LD reader) plus the records in mcmap's vocabulary,
    as N-Quads text; with `keep` (format, documents), each JSON document verbatim (see
    kept_documents); with `parsed` (source, stage), the private store the records were read
    from. One record of text: the records name the document's blank nodes."""
    def write(out: Writer):
        from .rdf import read_jsonld, write_document

        if parsed is None:
            write_document(path, read_jsonld(path), out)
        else:
            write_document(path, parsed[0], out, stage=parsed[1])
        lines = id_lines(path.read_text(encoding="utf-8-sig"))
        for rec in records:
            try:
                record_text(rec, out, str(path), line=lines.get(rec.iri))
            except ValueError as e:  # an IRI or language tag that RDF cannot hold
                from ..errors import InputError

                raise InputError(str(path), f"credential {rec.iri}: {e}", line=lines.get(rec.iri)) from None
        if keep is not None:
            fmt, docs = keep
            for doc, described in docs:
                _document_node(fmt, doc, described, out)
        yield

    return QuadText(path, write)


def _document_node(fmt: str, doc, described: list[str], out: Writer) -> None:
    import hashlib

    from .. import namespaces as ns
    from .nquads import iri, literal, name, node

    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    subject = iri(f"urn:mcmap:document:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}")
    out.add(subject, name(ns.RDF + "type"), name(ns.MC + "SourceDocument"))
    out.add(subject, name(ns.MC + "documentText"), literal(text, JSON_TYPE))
    out.add(subject, name(ns.MC + "documentFormat"), literal(fmt))
    for described_iri in described:
        out.add(subject, name(ns.MC + "describes"), node(described_iri, out))


JSON_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
DOCUMENT_TERMS = ("SourceDocument", "documentText", "documentFormat", "describes")


def kept_documents(quads, fmt: str) -> tuple[list, set[str]]:
    """The documents of format `fmt` kept verbatim among `quads`, in a stable order, and the
    IRIs of the credentials they describe (which need no other writing)."""
    from .. import namespaces as ns

    texts, formats, described = {}, {}, {}
    for q in quads:
        p = q.predicate.value
        if p == ns.MC + "documentText":
            texts[q.subject] = q.object.value
        elif p == ns.MC + "documentFormat":
            formats[q.subject] = q.object.value
        elif p == ns.MC + "describes":
            described.setdefault(q.subject, set()).add(
                q.object.value if q.object.__class__.__name__ == "NamedNode" else f"_:{q.object.value}")
    chosen = sorted(s for s in texts if formats.get(s) == fmt)
    covered = set().union(*(described.get(s, set()) for s in chosen)) if chosen else set()
    return [json.loads(texts[s]) for s in sorted(chosen, key=lambda s: texts[s])], covered


def load_json(path: Path):
    """The document, after checking the JSON types of the keys every credential standard
    reads as text (so a number where an id belongs is the user's error, with its JSON path)."""
    from .rdf import parse_json

    doc = parse_json(path)[1]
    check_types(doc, str(path))
    return doc


# keys whose value is text in every credential standard mcmap reads (JSON-LD says so for ids
# and types; OB3 for narrative and targetUrl)
_TEXT_KEYS = ("id", "@id", "targetUrl", "narrative")
_TYPE_KEYS = ("type", "@type")


def _kind(value) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def check_types(doc, source: str) -> None:
    """Raise InputError at the first text key holding another JSON type (e.g. `"id": 5`)."""
    from ..errors import InputError

    stack = [(doc, "$")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{where}.{key}" if isinstance(key, str) and key.replace("_", "a").isalnum() else f"{where}[{json.dumps(key)}]"
                if key in _TEXT_KEYS and not isinstance(value, str):
                    raise InputError(source, f"{here}: expected text, found {_kind(value)}")
                if key in _TYPE_KEYS and not (isinstance(value, str) or
                                              (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                    raise InputError(source, f"{here}: expected a type name or a list of them, found {_kind(value)}")
                stack.append((value, here))
        elif isinstance(node, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(node))


def dump(docs: list) -> bytes:
    if not docs:
        raise UsageError("there are no micro-credentials (mc:MicroCredential) to export")
    body = docs[0] if len(docs) == 1 else docs
    return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_documents(out, docs) -> None:
    """What `dump` gives, written to the binary stream `out` a document at a time: one document
    as itself, several as a JSON array."""
    it = iter(docs)
    first = next(it, _NONE)
    if first is _NONE:
        raise UsageError("there are no micro-credentials (mc:MicroCredential) to export")
    second = next(it, _NONE)
    if second is _NONE:
        out.write(_indented(first) + b"\n")
        return
    write_list(out, itertools.chain((first, second), it), head="", tail="\n", level=0)


_NONE = object()


def _indented(item) -> bytes:
    """`json.dumps(item, indent=2, ensure_ascii=False)`, UTF-8 encoded, by orjson: the standard
    library's encoder is pure Python once it indents."""
    import orjson

    return orjson.dumps(item, option=orjson.OPT_INDENT_2)


def write_list(out, items, *, head: str, tail: str, level: int) -> int:
    """`head`, a JSON array of `items` laid out as `json.dumps(..., indent=2)` lays out an
    array nested `level` deep, then `tail`, written to `out` an item at a time. Returns how
    many items there were. (JSON text holds no raw line breaks, so each line of an item can
    be indented as it is.)"""
    pad = ("\n" + "  " * (level + 1)).encode()
    out.write(head.encode("utf-8"))
    n = 0
    for item in items:
        out.write((b"[" if n == 0 else b",") + pad + _indented(item).replace(b"\n", pad))
        n += 1
    out.write((("[]" if n == 0 else "\n" + "  " * level + "]") + tail).encode("utf-8"))
    return n


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(node) -> set[str]:
    # Only names count: a type of the wrong JSON type is reported by check_types, with its path.
    if not isinstance(node, dict):
        return set()
    return {t for t in as_list(node.get("type") or node.get("@type")) if isinstance(t, str)}


def context_urls(doc) -> set[str]:
    return {c for c in as_list(doc.get("@context")) if isinstance(c, str)} if isinstance(doc, dict) else set()


def json_path(doc, target, key: str | None = None) -> str:
    """The JSON path of the object `target` (found by identity) in `doc`, with `key` appended:
    how readers name the place of a bad value ('$["@graph"][0]["ceterms:value"]' style, with
    plain names written .name)."""
    def name(k: str) -> str:
        return f".{k}" if k.replace("_", "a").isalnum() else f"[{json.dumps(k)}]"

    def walk(node, at: str):
        if node is target:
            return at
        items = (node.items() if isinstance(node, dict) else
                 ((i, v) for i, v in enumerate(node)) if isinstance(node, list) else ())
        for k, v in items:
            found = walk(v, at + (f"[{k}]" if isinstance(k, int) else name(k)))
            if found:
                return found
        return None

    at = walk(doc, "$") or "$"
    return at + (name(key) if key is not None else "")


def json_path_of(doc, key: str, value) -> str | None:
    """The JSON path of the first `key` whose value is `value` (or a list holding it), if any."""
    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key and (v == value or isinstance(v, list) and value in v):
                    return node
                found = walk(v)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for v in node:
                found = walk(v)
                if found is not None:
                    return found
        return None

    owner = walk(doc)
    return json_path(doc, owner, key) if owner is not None else None


def lang_values(value) -> list[tuple[str, str | None]]:
    """Text from a plain string, a list, a language map or {"@value", "@language"} objects."""
    out = []
    for v in as_list(value):
        if isinstance(v, str):
            out.append((v, None))
        elif isinstance(v, dict) and "@value" in v:
            out.append((str(v["@value"]), v.get("@language")))
        elif isinstance(v, dict):
            for lang, text in v.items():
                for t in as_list(text):
                    out.append((str(t), lang))
    return out
