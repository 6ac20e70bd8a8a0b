"""A report of more findings than one chunk is sorted on disk, in runs merged as it is written:
the same bytes in every format as the report held in memory, the same summary and exit code,
and no scratch file left behind. The chunk is made small here so that a few hundred credentials
(synthetic N-Triples, a CSV submission, a Turtle file of blank-node credentials) fill many."""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcmap import spilled_report
from synth_data import synth
from test_engines import endpoint, oxigraph_url, virtuoso_url  # noqa: F401  (the servers)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FORMATS = ("text", "json", "ttl", "jsonld", "html")
SMALL = 40  # results per chunk in the chunked runs


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Credentials from RDF lines (named), CSV rows and Turtle blank nodes, in three files."""
    folder = tmp_path_factory.mktemp("chunks")
    made = synth(folder, 150)
    # without the row the generator states, so that each credential's line is looked up
    nt = folder / "creds.nt"
    nt.write_text("".join(line for line in made.read_text().splitlines(keepends=True)
                          if "#sourceRow>" not in line and "#sourceFile>" not in line))
    csv = folder / "au-submission.csv"
    csv.write_bytes((EXAMPLES / "au-submission.csv").read_bytes())
    # the Turtle example with its credentials as blank nodes, under identifiers of their own
    ttl = (EXAMPLES / "au-submission.ttl").read_text()
    blank = folder / "blank.ttl"
    blank.write_text(re.sub(r'"AU-0', '"BN-0', re.sub(r"(?m)^cred:AU-0(\d+)", r"_:b\1", ttl)))
    return [nt, csv, blank]


@pytest.fixture(scope="module")
def folder(files, tmp_path_factory):
    from click.testing import CliRunner

    from mcmap.cli import cli

    store = tmp_path_factory.mktemp("store") / "s"
    result = CliRunner().invoke(cli, ["load", *map(str, files), "--store", str(store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The temporary folder the run's scratch files go to, watched by the test."""
    where = tmp_path / "tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


@pytest.fixture
def chunks(monkeypatch):
    """The engine's chunks as they go to disk: the focus nodes of each (the real Spill runs)."""
    seen: list = []
    real = spilled_report.Spill.__call__

    def spy(self, results):
        seen.append({r.focus_node for r in results})
        return real(self, results)
    monkeypatch.setattr(spilled_report.Spill, "__call__", spy)
    return seen


def comparable(fmt: str, data: bytes) -> bytes:
    """RDF reports name their blank nodes afresh and carry their time of making; a blank node
    read from a file (not from a store) has a new name at each reading."""
    data = re.sub(rb'"focus_node": "[0-9a-f]{8,}"', b'"focus_node": "_:b"', data)
    if fmt in ("ttl", "jsonld"):
        data = re.sub(rb"_:[A-Za-z0-9]+", b"_:b", data)
        data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"TIME", data)
    return data


def both(run, monkeypatch, *args):
    """(one chunk, many chunks): each the CLI's exit code and output."""
    whole = run(*args)
    monkeypatch.setattr(spilled_report, "CHUNK", SMALL)
    parts = run(*args)
    monkeypatch.setattr(spilled_report, "CHUNK", 10**9)
    return whole, parts


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_the_same_from_chunks_on_disk(run, folder, fmt, monkeypatch, scratch, chunks):
    whole, parts = both(run, monkeypatch, "validate", "--store", folder, "-f", "au", "-F", fmt)
    assert whole.exit_code == parts.exit_code == 1
    assert comparable(fmt, parts.stdout_bytes) == comparable(fmt, whole.stdout_bytes)
    assert len(chunks) > 10
    # the findings of a credential went to disk in different chunks
    assert any(len([c for c in chunks if focus in c]) > 1 for focus in chunks[0])
    assert not list(scratch.iterdir())


def test_the_json_report_covers_every_kind_of_credential_in_file_order(run, folder, monkeypatch, scratch, chunks):
    whole, parts = both(run, monkeypatch, "validate", "--store", folder, "-f", "au", "-F", "json")
    doc = json.loads(parts.stdout)
    assert doc == json.loads(whole.stdout)
    creds = doc["credentials"]
    findings = sum(len(c["findings"]) for c in creds)
    counts = doc["summary"]
    assert findings == counts["violations"] + counts["warnings"] + counts["infos"] > 10 * SMALL
    assert counts["conforming"] + counts["incomplete"] + counts["breaking_rules"] == counts["credentials_checked"]
    # rows of the CSV, lines of the N-Triples, blank nodes of the Turtle file
    assert any(c["source_row"] for c in creds) and any(c["source_line"] for c in creds)
    assert any(c["identifier"].startswith("BN-") for c in creds)
    assert any(isinstance(focus, ox.BlankNode) for c in chunks for focus in c)
    places = [(c["source_file"], c["source_row"] or c["source_line"] or 0) for c in creds]
    assert places == sorted(places)


def test_a_listing_and_its_summary_line_are_the_same_from_chunks(run, folder, monkeypatch, scratch):
    whole, parts = both(run, monkeypatch, "validate", "--store", folder, "-f", "au", "--listing")
    assert whole.exit_code == parts.exit_code
    assert parts.stdout == whole.stdout
    assert "Summary:" in parts.stdout
    assert not list(scratch.iterdir())


def test_files_checked_without_a_store_come_out_the_same(run, files, monkeypatch, scratch):
    # (without the blank nodes, which each load names afresh, and which sort by their names)
    whole, parts = both(run, monkeypatch, "validate", *files[:2], "-f", "au", "-F", "json")
    assert whole.exit_code == parts.exit_code == 1
    assert parts.stdout == whole.stdout
    assert not list(scratch.iterdir())


def test_the_library_report_counts_and_lists_the_same(folder, monkeypatch, scratch):
    import mcmap

    whole = mcmap.validate(framework="au", store=str(folder))
    monkeypatch.setattr(spilled_report, "CHUNK", SMALL)
    with mcmap.validate(framework="au", store=str(folder)) as parts:
        assert list(scratch.iterdir())  # kept on disk while the report is in use
        assert parts.summary == whole.summary
        assert len(parts) == len(whole)
        assert parts.to_dicts() == whole.to_dicts()
        assert parts.conforms is whole.conforms is False
    assert not list(scratch.iterdir())


def test_scratch_files_are_removed_when_the_report_cannot_be_written(run, folder, monkeypatch, scratch, tmp_path):
    monkeypatch.setattr(spilled_report, "CHUNK", SMALL)
    result = run("validate", "--store", folder, "-f", "au", "-o", tmp_path / "no" / "such" / "dir" / "r.json")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not list(scratch.iterdir())


@pytest.mark.parametrize("fmt", ("json", "ttl"))
def test_values_kept_as_written_come_out_the_same_from_chunks(run, tmp_path, monkeypatch, scratch, chunks, fmt):
    # values the store retyped ("300"^^xsd:byte kept as an integer) are looked up as written
    # chunk by chunk; a value written two ways gives two findings
    from test_written_literals import DATA, SHAPES

    data, shapes = tmp_path / "data.ttl", tmp_path / "shapes.ttl"
    data.write_text(DATA)
    shapes.write_text(SHAPES)
    whole = run("validate", data, "--shapes", shapes, "-F", fmt, "--keep-ill-formed")
    monkeypatch.setattr(spilled_report, "CHUNK", 3)
    parts = run("validate", data, "--shapes", shapes, "-F", fmt, "--keep-ill-formed")
    assert whole.exit_code == parts.exit_code == 1
    assert len(chunks) > 3
    assert comparable(fmt, parts.stdout_bytes) == comparable(fmt, whole.stdout_bytes)
    assert b"300" in parts.stdout_bytes
    assert not list(scratch.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ("json", "text"))
def test_a_server_s_report_is_the_same_from_chunks(run, files, endpoint, monkeypatch, scratch, chunks, fmt):
    # the same path for a SPARQL endpoint (Oxigraph's server and Virtuoso): details, stated
    # marks and lines asked for chunk by chunk
    assert run("load", *files, "--endpoint", endpoint).exit_code == 0
    whole, parts = both(run, monkeypatch, "validate", "--endpoint", endpoint, "-f", "au", "-F", fmt)
    assert whole.exit_code == parts.exit_code == 1
    assert len(chunks) > 10
    assert parts.stdout_bytes == whole.stdout_bytes
    assert b"BN-0" in parts.stdout_bytes  # blank-node credentials
    assert re.search(rb", line \d" if fmt == "text" else rb'"source_line": \d', parts.stdout_bytes)
    assert not list(scratch.iterdir())


def test_ctrl_c_while_the_report_is_written_removes_the_scratch_files(folder, tmp_path):
    # the report goes to a pipe nobody reads, so the run waits in the middle of writing it,
    # its chunks on disk, until Ctrl-C
    import os
    import signal
    import time

    where = tmp_path / "tmp"
    where.mkdir()
    code = ("import sys; from mcmap import spilled_report; spilled_report.CHUNK = 40; "
            "from mcmap.cli import cli; cli.main(sys.argv[1:], prog_name='mcmap')")
    proc = subprocess.Popen([sys.executable, "-c", code, "validate", "--store", str(folder), "-f", "au", "-F", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(where)})
    try:
        deadline = time.monotonic() + 120
        while not any(p.name.endswith("-run") for d in where.iterdir() for p in d.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1)  # the runs are written; the report is being written
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        # read what it still writes: a process stopped with its output pipe full would wait
        # forever for its last flush at exit
        proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode != 0
    assert not list(where.iterdir())
