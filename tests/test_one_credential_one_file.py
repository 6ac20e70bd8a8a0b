"""The files of one load may not define the same credential twice: the load stops, names both
places, and the store keeps what it held."""
from mcmap import namespaces as ns
from mcmap.store import LocalStore

A = "id,title,jurisdiction\nAU-1,First aid,AU\nAU-2,Forklift basics,AU\n"
B = "id,title,jurisdiction\nNZ-1,Te reo,NZ\nAU-2,Forklift again,AU\n"


def _data(store_dir) -> list:
    with LocalStore(store_dir) as s:
        return sorted(str(q) for q in s.ox.quads_for_pattern(None, None, None, None)
                      if q.graph_name.value == ns.GRAPH_DATA)


def test_two_csv_files_with_one_id(run, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(A)
    b.write_text(B)
    store = tmp_path / "store"
    r = run("load", a, b, "--store", store)
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"mcmap: error: {b}: row 3: credential 'AU-2' also appears in {a} row 3; "
                                "each credential belongs in one file, under one id")
    assert _data(store) == []


def test_a_csv_row_and_a_turtle_file_with_one_credential(run, tmp_path):
    a, t = tmp_path / "a.csv", tmp_path / "more.ttl"
    a.write_text(A)
    t.write_text(f"@prefix mc: <{ns.MC}> .\n\n<{ns.DATA}credential/AU-1>\n    a mc:MicroCredential .\n")
    store = tmp_path / "store"
    assert run("load", tmp_path / "a.csv", "--store", store).exit_code == 0
    before = _data(store)
    r = run("load", t, a, "--store", store)
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"mcmap: error: {a}: row 2: credential 'AU-1' also appears in {t} line 3; "
                                "each credential belongs in one file, under one id")
    assert _data(store) == before
