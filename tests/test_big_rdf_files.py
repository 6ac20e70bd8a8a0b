"""RDF files are checked a piece at a time and read by Oxigraph from their path: what a user
sees must not depend on where a piece ends (a character split across two pieces, a bad byte
far into the file, a byte-order mark)."""
import pyoxigraph as ox

from mcmap import namespaces as ns
from mcmap.formats import PIECE
from mcmap.store import LocalStore

MC = ns.MC


def _turtle(n: int, title=lambda i: f"Course {i}") -> str:
    head = f"@prefix mc: <{MC}> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
    return head + "".join(f'<https://example.edu/c/{i}> a mc:MicroCredential ; dct:title "{title(i)}" .\n'
                          for i in range(n))


def _titles(store_dir) -> set[str]:
    with LocalStore(store_dir) as s:
        title = ox.NamedNode("http://purl.org/dc/terms/title")
        return {q.object.value for q in s.ox.quads_for_pattern(None, title, None, ox.NamedNode(ns.GRAPH_DATA))}


def test_a_character_split_across_pieces_reads_whole(run, tmp_path):
    text = _turtle(30000, lambda i: f"Course {i} 😀 𝄞")
    data = text.encode("utf-8")
    assert len(data) > 2 * PIECE
    # a comment line first, long enough that a 4-byte emoji straddles the first piece's end
    at = data.rfind("😀".encode(), 0, PIECE - 200)
    pad = b"#" + b"x" * (PIECE - 2 - at - 2) + b"\n"
    data = pad + data
    assert data[PIECE - 2:PIECE + 2] == "😀".encode()
    p = tmp_path / "big.ttl"
    p.write_bytes(data)
    store = tmp_path / "store"
    r = run("load", p, "--store", store)
    assert r.exit_code == 0, r.output
    assert len(_titles(store)) == 30000
    assert "Course 29999 😀 𝄞" in _titles(store)


def test_a_bad_byte_deep_in_a_file_is_named_with_its_line_and_offset(run, tmp_path):
    data = _turtle(30000).encode("utf-8")
    assert len(data) > 2 * PIECE
    line = 25000
    start = sum(len(x) + 1 for x in data.split(b"\n")[: line - 1])
    bad = data[:start + 3] + b"\xff" + data[start + 3:]
    p = tmp_path / "bad.ttl"
    p.write_bytes(bad)
    store = tmp_path / "store"
    assert run("load", p, "--store", store).exit_code == 2
    r = run("validate", p, "-f", "au")
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"mcmap: error: {p}:{line}: is not UTF-8 text (bad byte at offset {start + 3}); "
                                "save it as UTF-8")


def test_a_byte_order_mark_is_read_past(run, tmp_path):
    p = tmp_path / "bom.ttl"
    p.write_bytes(b"\xef\xbb\xbf" + _turtle(3).encode("utf-8"))
    store = tmp_path / "store"
    r = run("load", p, "--store", store)
    assert r.exit_code == 0, r.output
    assert _titles(store) == {"Course 0", "Course 1", "Course 2"}
    nt = tmp_path / "bom.nt"
    nt.write_bytes(b"\xef\xbb\xbf" + b'<https://example.edu/c/9> <http://purl.org/dc/terms/title> "Nine" .\n')
    r = run("load", nt, "--store", store)
    assert r.exit_code == 0, r.output
    assert "Nine" in _titles(store)
