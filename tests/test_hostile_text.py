"""Cell text that could break the N-Quads the readers hand to Oxigraph: quotes, angle brackets,
backslashes, line breaks, control characters, characters beyond the BMP. Each value comes back
out of a real store exactly as written, or the file is refused with its place (exit 2)."""
import csv

import pyoxigraph as ox
import pytest

from mcmap import namespaces as ns
from mcmap.load import load_files
from mcmap.store import LocalStore

HOSTILE = [
    'A > B <script>alert(1)</script>',
    'say "hi" and ""quoted""',
    'back\\slash \\n not a line break \\u0041 \\"',
    "ends with a backslash\\",
    "line one\nline two\r\nline three\rfour",
    "tab\there",
    "nul\x00byte",
    "bell\x07 escape\x1b delete\x7f",
    "emoji 😀 and a clef 𝄞 (beyond the BMP)",
    "line\u2028separator and paragraph\u2029separator",
    '<http://evil.example/> <http://evil.example/p> "x" .',
    '" . _:b <http://evil.example/p> "injected',
    "_:b1 looks like a blank node",
    "   ",  # blank once trimmed: adds nothing
]


def _titles(store) -> dict[str, str]:
    rows = store.select(f"SELECT ?id ?t WHERE {{ ?c <{ns.DCT}identifier> ?id ; <{ns.DCT}title> ?t }}",
                        default_graphs=[ns.GRAPH_DATA])
    return {r[0].value: r[1].value for r in rows}


def _csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "jurisdiction", "url"])
        for r in rows:
            w.writerow(r)


def test_hostile_csv_cells_round_trip_exactly(tmp_path):
    p = tmp_path / "hostile.csv"
    # A NUL in a file's first 8 KiB says "binary file": the hostile rows come after padding.
    padding = [(f"P-{i}", "padding " * 12, "AU", "") for i in range(100)]
    _csv(p, padding + [(f"H-{i}", text, "AU", "") for i, text in enumerate(HOSTILE)])
    assert b"\x00" in p.read_bytes()[8192:]
    store = LocalStore()
    load_files(store, [p])
    got = {k: v for k, v in _titles(store).items() if k.startswith("H-")}
    # the reader trims cells, as it always has; nothing else changes
    assert got == {f"H-{i}": text.strip() for i, text in enumerate(HOSTILE) if text.strip()}
    # nothing a cell said became a triple of its own
    assert not list(store.ox.quads_for_pattern(None, ox.NamedNode("http://evil.example/p"), None))
    assert not list(store.ox.quads_for_pattern(ox.NamedNode("http://evil.example/"), None, None))


def test_hostile_ids_are_quoted_into_iris(tmp_path):
    p = tmp_path / "ids.csv"
    ids = ['a>b', 'x" <y', "tab\tid", "😀", "a b/c?d#e"]
    _csv(p, [(i, f"t{n}", "AU", "") for n, i in enumerate(ids)])
    store = LocalStore()
    load_files(store, [p])
    assert set(_titles(store)) == set(ids)


@pytest.mark.parametrize("column,value", [
    ("url", 'https://example.edu/a"b'),
    ("url", "https://example.edu/<x>"),
    ("url", "https://example.edu/a b"),
    ("url", "https://example.edu/\\"),
    ("url", "https://example.edu/x> <http://evil.example/p> <http://evil.example/o"),
    ("id", "https://example.edu/c>1"),
    ("id", "urn:x\ny"),
])
def test_a_value_that_cannot_be_an_iri_is_refused_with_its_place(run, tmp_path, column, value):
    p = tmp_path / "bad.csv"
    _csv(p, [("OK-1", "fine", "AU", "https://example.edu/ok"),
             (value if column == "id" else "B-1", "t", "AU", value if column == "url" else "")])
    store = tmp_path / "store"
    assert run("load", p, "--store", store).exit_code == 2
    r = run("validate", p, "-f", "au")
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in r.output
    assert f"{p}: row 3, column '{column}'" in line, line
    assert not list(LocalStore(store).ox.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_DATA)))


@pytest.mark.parametrize("fmt", ["xml", "ob3", "ctdl", "elm"])
def test_hostile_text_round_trips_through_the_exchange_formats(run, tmp_path, fmt):
    """Written by mcmap's exporter and read back by the format's reader, into a real store."""
    # XML 1.0 cannot hold most control characters: those stay CSV-only (above)
    texts = [t for t in HOSTILE if t.strip() and not any(ord(c) < 32 and c not in "\t\n\r" or c == "\x7f" for c in t)]
    p = tmp_path / "hostile.csv"
    _csv(p, [(f"H-{i}", text, "AU", "") for i, text in enumerate(texts)])
    out = tmp_path / f"hostile.{'xml' if fmt == 'xml' else 'json'}"
    r = run("export", p, "-F", fmt, "-o", out)
    assert r.exit_code == 0, r.output
    store = LocalStore()
    load_files(store, [out], fmt)
    got = {t.replace("\r\n", "\n").replace("\r", "\n") for t in _titles(store).values()}
    # XML parsers normalise line ends (\r\n and \r become \n): so does this comparison
    want = {t.strip().replace("\r\n", "\n").replace("\r", "\n") for t in texts}
    assert got == want


def test_an_unpaired_surrogate_in_json_is_refused_in_one_line(run, tmp_path, shared):
    example = shared / "realdata-examples" / "openbadges-3.0" / "basicOpenBadgeCredential.json"
    text = example.read_text(encoding="utf-8")
    at = text.find('"name": "')
    assert at > 0
    p = tmp_path / "bad.json"
    p.write_text(text[: at + 9] + "\\ud800 " + text[at + 9:], encoding="utf-8")
    r = run("validate", p, "-f", "au")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.stderr.strip().count("\n") == 0, r.stderr
    assert str(p) in r.stderr


def test_a_bad_byte_deep_in_a_csv_names_its_line_and_nothing_is_stored(run, tmp_path):
    p = tmp_path / "late.csv"
    _csv(p, [(f"R-{i}", f"Course {i} é", "AU", "") for i in range(20000)])
    data = p.read_bytes()
    at = data.index(b"R-15000,")
    p.write_bytes(data[:at + 8] + b"\xff" + data[at + 8:])
    store = tmp_path / "store"
    r = run("load", p, "--store", store)
    assert r.exit_code == 2
    line = data[:at].count(b"\n") + 1
    assert r.stderr.strip() == (f"mcmap: error: {p}:{line}: is not UTF-8 text (bad byte at offset {at + 8}); "
                                "save it as UTF-8")
    assert not list(LocalStore(store).ox.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_DATA)))
