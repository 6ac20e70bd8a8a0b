"""Property-based fuzzing of every reader: whatever a file holds, loading it either stores it
or stops with an InputError naming the file, never another exception (which the CLI would
report as an internal error). Seeds are real documents of each format, exported by mcmap
from the bundled examples, then mutated: values swapped for other JSON types, deep nesting,
control characters, quotes and brackets spliced into the text.

MCMAP_FUZZ_EXAMPLES (default 40 per reader) sets the effort; CI runs the default,
derandomised, so a failure there reproduces locally.
"""
import json
import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcmap.errors import InputError

REPO = Path(__file__).resolve().parents[1]
CSV = REPO / "examples" / "au-submission.csv"
TTL = REPO / "examples" / "au-submission.ttl"
EXAMPLES = int(os.environ.get("MCMAP_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("MCMAP_FUZZ_RANDOM") is None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large], database=None)


@cache
def seed(fmt: str) -> str:
    """A real document of `fmt`, as mcmap writes it from the bundled AU example."""
    if fmt == "csv":
        return CSV.read_text(encoding="utf-8")
    if fmt == "ttl":
        return TTL.read_text(encoding="utf-8")
    from mcmap.export import export_files

    if fmt in ("nq", "trig"):
        nt = export_files([CSV], "nt").decode()
        if fmt == "nq":
            return "".join(line[:-1] + "<https://example.org/g> .\n" for line in nt.splitlines(keepends=True)
                           if line.strip())
        return "<https://example.org/g> {\n" + nt + "}\n"
    return export_files([CSV], {"rdf": "rdfxml", "jsonld": "jsonld"}.get(fmt, fmt)).decode()


EXTENSION = {"csv": ".csv", "ttl": ".ttl", "nt": ".nt", "nq": ".nq", "trig": ".trig", "rdf": ".rdf",
             "jsonld": ".jsonld", "xml": ".xml", "ob3": ".json", "elm": ".json", "ctdl": ".json"}
READ_AS = {"rdf": "rdfxml"}

# Text that tends to break parsers and the code after them.
NASTY = st.sampled_from([
    "", " ", "\x00", "\x1b[31m", "\u202e", "\ufeff", "<", ">", '"', "'", "\\", "{", "}", "[", "]", ",", "|",
    "\n", "\r", "\t", "=1+1", "-1", "1e999", "NaN", "1,5", "0x10", "٣", "𝟙", "http://a b", "urn:", "_:b",
    "@id", "@context", "@graph", "@value", "@language", "@type", "xsd:decimal", "^^", "@en", "&amp;",
    "]]>", "<!--", "-->", "%", "#", "9" * 40, "P1Y2M", "2023-02-30", "1" * 400,
])
SPLICE = st.one_of(NASTY, st.text(max_size=20))


@st.composite
def spliced(draw, text: str):
    """`text` with a few pieces cut, doubled or replaced by nasty text."""
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        j = min(len(text), i + draw(st.integers(0, 12)))
        op = draw(st.sampled_from(["insert", "replace", "delete", "double"]))
        if op == "insert":
            text = text[:i] + draw(SPLICE) + text[i:]
        elif op == "replace":
            text = text[:i] + draw(SPLICE) + text[j:]
        elif op == "delete":
            text = text[:i] + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=False, allow_infinity=False),
              NASTY, st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.one_of(NASTY, st.text(max_size=5)), inner,
                                                                         max_size=3)),
    max_leaves=6)


def _paths(doc, here=()):
    yield here
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, here + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, here + (i,))


def _replace(doc, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(doc)]


@st.composite
def mutated_json(draw, text: str):
    """The JSON document with a few values (anywhere in it) swapped for values of other types."""
    doc = json.loads(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths[1:] or paths))
        doc = _replace(doc, path, draw(JSON_VALUES))
    deep = ""
    if draw(st.booleans()):
        # Built as text: Python's own JSON reader cannot hold 3,000 levels either.
        depth = draw(st.sampled_from([50, 400, 3000]))
        deep = draw(st.sampled_from(["[", '{"a":'])) * depth
        deep += "1" + ("]" if deep.startswith("[") else "}") * depth
        doc = _replace(doc, draw(st.sampled_from(list(_paths(doc))[1:] or [()])), "@@deep@@")
    return json.dumps(doc, ensure_ascii=draw(st.booleans())).replace('"@@deep@@"', deep)


@cache
def store():
    """One in-memory store with the reference data; each case replaces its data graph."""
    from mcmap.load import ensure_reference_data
    from mcmap.store import LocalStore

    s = LocalStore()
    ensure_reference_data(s)
    return s


def assert_reads_or_refuses(tmp_path, fmt: str, text: str, sniff: bool = False):
    """The file goes the way `mcmap load` takes it: read, checked and written into a store
    (with `sniff`, its format told from its content, as when no --input-format is given)."""
    import warnings

    from mcmap.load import load_files

    path = tmp_path / f"fuzz{EXTENSION[fmt]}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            given = None if sniff else READ_AS.get(fmt, fmt if fmt in ("ob3", "elm", "ctdl") else None)
            load_files(store(), [path], given,
                       replace=True)
        except InputError as e:
            assert str(e).startswith(str(path)), str(e)


TEXT_FORMATS = ["csv", "ttl", "nt", "nq", "trig", "rdf", "xml"]
JSON_FORMATS = ["jsonld", "ob3", "elm", "ctdl"]


@pytest.mark.parametrize("fmt", TEXT_FORMATS + JSON_FORMATS)
@FUZZ
@given(data=st.data())
def test_spliced_text_is_read_or_refused(tmp_path, fmt, data):
    assert_reads_or_refuses(tmp_path, fmt, data.draw(spliced(seed(fmt))))


@pytest.mark.parametrize("fmt", JSON_FORMATS)
@FUZZ
@given(data=st.data())
def test_json_values_of_any_type_are_read_or_refused(tmp_path, fmt, data):
    assert_reads_or_refuses(tmp_path, fmt, data.draw(mutated_json(seed(fmt))))


REAL_DOCUMENTS = {"ob3": "openbadges-3.0/fullOpenBadge.json",
                  "elm": "elm-v3/Sample-MC-Annex1-unsigned.jsonld",
                  "ctdl": "ctdl/credentialregistry-fixtures/ce_registry_credential_1_valid.json"}


def _places(doc, at=()):
    """Every key of `doc` to three levels (and the first item of each list)."""
    if len(at) >= 3:
        return
    items = doc.items() if isinstance(doc, dict) else enumerate(doc[:1]) if isinstance(doc, list) else ()
    for k, v in items:
        if k != "@context":
            yield at + (k,)
            yield from _places(v, at + (k,))


@pytest.mark.parametrize("fmt", sorted(REAL_DOCUMENTS))
def test_real_documents_with_an_object_where_text_belongs_are_read_or_refused(tmp_path, shared, fmt):
    """Documents written by others, each value in turn replaced by a JSON object (a type, an id,
    a name read as a language map with a key that is no language tag): read or refused with the
    file named, never an internal error."""
    import copy

    doc = json.loads((shared / "realdata-examples" / REAL_DOCUMENTS[fmt]).read_text(encoding="utf-8"))
    tried = 0
    for place in _places(doc):
        bad = copy.deepcopy(doc)
        parent = bad
        for k in place[:-1]:
            parent = parent[k]
        if isinstance(parent[place[-1]], dict):
            continue
        parent[place[-1]] = {"x": 1}
        assert_reads_or_refuses(tmp_path, fmt, json.dumps(bad))
        if place[-1] in ("type", "@type"):  # what tells the formats apart
            assert_reads_or_refuses(tmp_path, fmt, json.dumps(bad), sniff=True)
        tried += 1
    assert tried >= 10
