"""Crashes never look like verdicts: a user's mistake is one line and exit 2, a fault in mcmap
is one line, exit 3 and a hint to report it (the traceback only with --debug), and --output
never ends in a traceback. Exit 1 stays reserved for "violations found"."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AU = REPO / "examples" / "au-submission.csv"
HEADER, ROW = AU.read_text().splitlines()[:2]


def one_error_line(result, *needles):
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def mcmap(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


# ------------------------------------------------------------------ internal errors

def test_internal_error_exits_3_with_one_line_and_a_hint(run, monkeypatch):
    # A fault injected into a reader stands for any bug mcmap may have.
    import mcmap.formats.tabular as tabular

    def broken(path):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(tabular, "read_csv", broken)
    result = run("validate", AU, "--framework", "au")
    assert result.exit_code == 3
    line = one_error_line(result, "internal error", "ZeroDivisionError", "report")
    assert "--debug" in line


def test_debug_shows_the_traceback(run, monkeypatch):
    import mcmap.formats.tabular as tabular

    monkeypatch.setattr(tabular, "read_csv", lambda path: 1 / 0)
    result = run("--debug", "load", AU)
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "ZeroDivisionError" in result.stderr


def test_interrupt_is_not_a_verdict(run, monkeypatch):
    import mcmap.formats.tabular as tabular

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(tabular, "read_csv", interrupted)
    result = run("validate", AU, "--framework", "au")
    assert result.exit_code == 130


# ------------------------------------------------------------------ the crash sites

def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name,text,needle", [
    ("space.csv", HEADER + "\nhttp://a b/c" + ROW[6:] + "\n", "row 2, column 'id'"),
    ("lt.csv", HEADER + "\nhttp://a<b" + ROW[6:] + "\n", "row 2, column 'id'"),
    ("deep.json", "[" * 5000 + "]" * 5000, "nested too deeply"),
    ("deep.jsonld", '{"a":' * 5000 + "1" + "}" * 5000, "nested too deeply"),
])
def test_hostile_files_are_one_line_errors(run, tmp_path, name, text, needle):
    path = write(tmp_path, name, text)
    result = run("load", path)
    assert result.exit_code == 2
    one_error_line(result, str(path), needle)


def test_xml_id_that_is_not_an_iri(run, tmp_path):
    xml = write(tmp_path, "bad.xml", """<?xml version="1.0"?>
<credentials xmlns="https://w3id.org/mcmap/xml/1">
  <credential id="http://example.org/a b&lt;c"><identifier>X</identifier><title>T</title></credential>
</credentials>""")
    result = run("load", xml)
    assert result.exit_code == 2
    one_error_line(result, str(xml))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    '<http://a> <http://b> "{big}" .\n',
    '<http://a> <http://b> <http://{big}> .\n',
])
def test_a_token_over_16_mib_is_an_input_error(tmp_path, text):
    path = tmp_path / "big.ttl"
    path.write_text(text.format(big="x" * (17 << 20)))
    result = mcmap("load", path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


# ------------------------------------------------------------------ --output

@pytest.mark.parametrize("target", ["", "missing/out.json", "{file}/out.json", "/proc/mcmap-out.json"])
def test_output_that_cannot_be_written(run, tmp_path, target):
    (tmp_path / "file").write_text("x")
    out = target.format(file=tmp_path / "file")
    if out.startswith("missing"):
        out = str(tmp_path / out)
    result = run("frameworks", "--output", out)
    assert result.exit_code == 2
    one_error_line(result, "--output")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_output_into_a_read_only_folder(run, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("frameworks", "--output", folder / "out.txt")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    one_error_line(result, "--output")


def test_output_keeps_the_mode_of_an_ordinary_write(tmp_path):
    old = os.umask(0o022)
    try:
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        assert mcmap("frameworks", "--output", kept).returncode == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
        assert kept.read_text() != "old"
        fresh = tmp_path / "fresh.txt"
        assert mcmap("frameworks", "--output", fresh).returncode == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    finally:
        os.umask(old)


# ------------------------------------------------------------------ JSON of the wrong type

EXCHANGE_CSV = REPO / "tests" / "data" / "exchange" / "two-credentials.csv"


def _ob3(run):
    return json.loads(run("export", EXCHANGE_CSV, "-F", "ob3").stdout)[0]


def _set(doc, path, value):
    *head, last = path
    node = doc
    for key in head:
        node = node[key]
    node[last] = value


@pytest.mark.parametrize("path,value,where", [
    (("id",), 5, "$.id"),
    (("issuer", "id"), 5, "$.issuer.id"),
    (("credentialSubject", "achievement", "id"), ["a", "b"], "$.credentialSubject.achievement.id"),
    (("credentialSubject", "achievement", "criteria", "narrative"), 7, "narrative"),
    (("credentialSubject", "achievement", "alignment", 0, "targetUrl"), 7, "targetUrl"),
    (("credentialSubject", "achievement", "name"), ["a", {"not a language": 1}], "credential"),
    (("credentialSubject", "achievement", "type"), {"x": 1}, "$.credentialSubject.achievement.type"),
])
def test_ob3_values_of_the_wrong_json_type(run, tmp_path, path, value, where):
    doc = _ob3(run)
    _set(doc, path, value)
    bad = tmp_path / "badge.json"
    bad.write_text(json.dumps(doc))
    result = run("load", bad)
    assert result.exit_code == 2
    one_error_line(result, str(bad), where)


def test_ctdl_credit_value_that_is_a_word(run, tmp_path):
    doc = json.loads(run("export", EXCHANGE_CSV, "-F", "ctdl").stdout)
    cred = next(n for n in doc["@graph"] if "ceterms:creditValue" in n)
    cred["ceterms:creditValue"][0]["ceterms:value"] = "abc"
    bad = tmp_path / "ctdl.json"
    bad.write_text(json.dumps(doc))
    result = run("load", bad)
    assert result.exit_code == 2
    one_error_line(result, str(bad), "ceterms:value")


def test_export_after_an_ill_formed_number(run, tmp_path):
    ttl = write(tmp_path, "n.ttl", "@prefix mc: <https://w3id.org/mcmap/ns#> .\n"
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                '<https://example.org/c1> a mc:MicroCredential ; mc:creditValue "abc"^^xsd:decimal .\n')
    for fmt in ("ob3", "elm", "ctdl", "xml"):
        result = run("export", ttl, "-F", fmt)
        assert result.exit_code == 2
        one_error_line(result, str(ttl), "xsd:decimal")
