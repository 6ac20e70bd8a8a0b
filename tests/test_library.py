"""The library as a user calls it: `import mcmap`, then mcmap.validate, map_credentials, query,
export and load, with file paths or in-memory documents; and docs/library.md's example runs."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import mcmap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NZ = EXAMPLES / "nz-submission.csv"
AU = EXAMPLES / "au-submission.csv"
AS_OF = "2025-01-01"


def test_docs_library_example_runs(tmp_path):
    """Every python block of docs/library.md, run in order in one fresh interpreter."""
    text = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    (tmp_path / "examples").symlink_to(EXAMPLES)
    script = tmp_path / "example.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "<ValidationReport nz: 12 checked, 6 violations" in proc.stdout  # NZ-007 hours vs credits: a warning
    assert "bad.csv: row 2, column 'credits': 'lots' is not a number" in proc.stdout


def test_import_is_light():
    """`import mcmap` loads none of the heavy libraries until a function is used."""
    code = "import sys, mcmap; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_validate_matches_the_cli(run):
    report = mcmap.validate([NZ], framework="nz", as_of=AS_OF)
    cli = json.loads(run("validate", NZ, "-f", "nz", "--as-of", AS_OF, "-F", "json").stdout)
    assert report.to_dict() == cli
    assert report.summary == cli["summary"]
    assert not report.conforms and report.framework == "nz" and report.as_of.isoformat() == AS_OF
    rows = report.to_dicts()
    assert len(rows) == len(report) == sum(len(c["findings"]) for c in cli["credentials"])
    first = rows[0]
    assert {"credential", "file", "row", "severity", "rule_id", "message", "field", "value"} <= set(first)
    assert first["file"] == str(NZ) and isinstance(first["row"], int)
    json.dumps(rows)  # plain data


@pytest.mark.parametrize("fmt", ["text", "json", "ttl", "jsonld"])
def test_a_report_written_to_a_file_is_the_cli_s_document(run, tmp_path, fmt):
    """`write` sends the report to a file as it is made; what arrives is what the CLI writes
    with --output (the RDF formats compared as graphs: they carry the time they were made)."""
    import io

    import rdflib
    from rdflib.compare import isomorphic

    report = mcmap.validate([NZ, AU], framework="nz", as_of=AS_OF)
    out = io.BytesIO()
    report.write(out, fmt)
    target = tmp_path / f"report.{fmt}"
    assert run("validate", NZ, AU, "-f", "nz", "--as-of", AS_OF, "-F", fmt, "-o", target).exit_code == 1
    written, cli = out.getvalue().decode("utf-8"), target.read_text(encoding="utf-8")
    if fmt in ("text", "json"):
        assert written == cli == report.render(fmt)
        if fmt == "json":
            assert json.loads(written) == report.to_dict()
        return
    parsed = [rdflib.Graph().parse(data=doc, format="turtle" if fmt == "ttl" else "json-ld") for doc in (written, cli)]
    created = rdflib.URIRef("http://purl.org/dc/terms/created")
    for g in parsed:
        g.remove((None, created, None))
    assert isomorphic(*parsed) and len(parsed[0]) > 100


def test_validate_a_document_in_memory_names_it_as_given():
    upload = ("provider upload.csv", NZ.read_bytes())
    report = mcmap.validate([upload], framework="nz", as_of=AS_OF)
    assert {f.file for f in report.findings} == {"provider upload.csv"}
    assert report.summary == mcmap.validate([NZ], framework="nz", as_of=AS_OF).summary
    assert "provider upload.csv, row" in report.to_text()
    import tempfile

    assert tempfile.gettempdir() not in report.to_html() + report.to_json()  # never the temporary file


def test_bad_document_raises_one_line_naming_it():
    with pytest.raises(mcmap.InputError) as e:
        mcmap.validate([("bad.csv", b"id,title,credits\nX-1,Thing,lots\n")], framework="nz")
    assert str(e.value) == "bad.csv: row 2, column 'credits': 'lots' is not a number"
    assert isinstance(e.value, mcmap.McmapError)


def test_a_document_name_cannot_escape_the_temporary_folder(tmp_path):
    name = str(tmp_path / ".." / "escaped.csv")
    report = mcmap.validate([(name, NZ.read_bytes())], framework="nz", as_of=AS_OF)
    assert len(report) > 0
    assert not (tmp_path.parent / "escaped.csv").exists()


def test_user_shapes_as_a_document(tmp_path):
    shapes = b"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix mc: <https://w3id.org/mcmap/ns#> .
    @prefix ex: <https://example.org/> .
    ex:S a sh:NodeShape ; sh:targetClass mc:MicroCredential ;
      sh:property [ sh:path ex:colour ; sh:minCount 1 ; sh:message "state the house colour" ] ."""
    report = mcmap.validate([NZ], shapes=[("house-rules.ttl", shapes)])
    assert len(report) == 12 and {f.message for f in report.findings} == {"state the house colour"}
    assert report.to_dict()["shapes_files"] == ["house-rules.ttl"]
    with pytest.raises(mcmap.InputError) as e:
        mcmap.validate([NZ], shapes=[("broken.ttl", b"this is not turtle")])
    assert str(e.value).startswith("broken.ttl")


def test_validate_needs_a_framework_or_shapes():
    with pytest.raises(mcmap.UsageError):
        mcmap.validate([NZ])


def test_map_credentials_matches_the_cli(run):
    results = mcmap.map_credentials([AU], to=["nz", "ws"], as_of=AS_OF)
    assert len(results) == 12
    rows = results.to_dicts()
    assert len(rows) == 24 and {r["to"] for r in rows} == {"NZ", "WS"}
    cli_csv = run("map", AU, "--to", "nz", "ws", "--as-of", AS_OF, "-F", "csv").stdout
    assert results.render("csv") == cli_csv
    assert results.to_dict() == json.loads(run("map", AU, "--to", "nz", "ws", "--as-of", AS_OF, "-F", "json").stdout)
    assert results[0].targets[0].jurisdiction == "NZ"


def test_load_then_query_and_validate_the_store(tmp_path):
    folder = tmp_path / "store"
    loaded = mcmap.load([AU, NZ], folder)
    assert (loaded.files, loaded.credentials) == (2, 24)
    count = mcmap.query("PREFIX mc: <https://w3id.org/mcmap/ns#> "
                        "SELECT (COUNT(?c) AS ?n) WHERE { ?c a mc:MicroCredential }", store=folder)
    assert count.to_dicts() == [{"n": 24}]
    by_level = mcmap.query(named="volume-of-learning", params={"jurisdiction": "NZ"}, store=str(folder))
    assert by_level.kind == "select" and len(by_level) > 0
    assert mcmap.validate(framework="nz", store=folder, as_of=AS_OF).summary["credentials_checked"] == 24


def test_query_values_are_python_values():
    result = mcmap.query(named="credentials-by-level", sources=[NZ])
    rows = result.to_dicts()
    assert all(isinstance(r["credentials"], int) for r in rows)
    assert sum(r["credentials"] for r in rows) == 12
    assert result.render("csv").decode().startswith("jurisdiction,")
    ask = mcmap.query("ASK { ?s ?p ?o }", sources=[NZ])
    assert ask.kind == "ask" and ask.to_dicts() == [{"boolean": True}]


def test_export_matches_the_cli(run):
    assert mcmap.export([NZ], "ob3") == run("export", NZ, "-F", "ob3").stdout_bytes
    with pytest.raises(mcmap.UsageError):
        mcmap.export([NZ], "docx")


def test_modules_stay_importable():
    """mcmap.validate is the library function and still the module the CLI and tests import."""
    from mcmap.rule_catalogue import rules

    assert callable(mcmap.validate) and rules("nz")
    import inspect

    assert "framework" in inspect.signature(mcmap.validate).parameters
