"""The checks after a load (an ill-formed typed literal, a statement about a framework term, a
credential without its source file) give the same verdicts on the embedded store, an Oxigraph
server and Virtuoso, and a load into a server reads back only what they need: not every
distinct value and subject of the data, whose parts each cost the server a scan of the graph."""
import re

import pytest

from mcmap import namespaces as ns
from mcmap.store import LocalStore
from mcmap.store_remote import RemoteStore
from test_engines import endpoint, oxigraph_url, virtuoso_url  # noqa: F401
from test_remote_loads import synth

pytestmark = pytest.mark.slow

XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SOURCES = (f"SELECT ?c ?f WHERE {{ ?c a <{ns.MC}MicroCredential> ; <{ns.MC}sourceFile> ?f }}")


@pytest.fixture(scope="module")
def creds(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("synth-checks"), 300)


def with_lines(tmp_path, creds, name: str, *lines: str):
    """The synthetic credentials with `lines` in the middle of the file."""
    text = creds.read_text().splitlines(keepends=True)
    path = tmp_path / name
    path.write_text("".join(text[:2000]) + "".join(line + "\n" for line in lines) + "".join(text[2000:]))
    return path


def refused_alike(run, endpoint, path, tmp_path) -> str:
    """The load refused, with the same one-line error, by the server and by the embedded store."""
    there = run("load", path, "--endpoint", endpoint)
    here = run("load", path, "--store", tmp_path / "embedded")
    assert there.exit_code == 2 and "Traceback" not in there.output, there.output
    assert there.stderr == here.stderr
    assert RemoteStore(endpoint).count(ns.GRAPH_DATA) == 0  # nothing of the load stays
    return there.stderr


def test_an_ill_formed_literal_is_refused_alike_everywhere(run, endpoint, creds, tmp_path):
    path = with_lines(tmp_path, creds, "bad.nt",
                      f'<https://example.org/c> <{ns.MC}approvedOn> "2024-02-30"^^<{XSD}date> .')
    error = refused_alike(run, endpoint, path, tmp_path)
    assert f"{path}:2001:" in error and "'2024-02-30' is not a valid xsd:date" in error


def test_a_statement_about_a_framework_term_is_refused_alike_everywhere(run, endpoint, creds, tmp_path):
    level = f"{ns.ID}level/aqf/11"
    path = with_lines(tmp_path, creds, "sneaky.nt", f"<{level}> <{SKOS}inScheme> <{ns.ID}framework/aqf> .")
    error = refused_alike(run, endpoint, path, tmp_path)
    assert f"<{level}>" in error and "framework facts come only from the shipped ontology" in error
    # what the ontology already says may be repeated: the same load without the new level passes
    fine = with_lines(tmp_path, creds, "fine.nt", f"<{ns.ID}level/aqf/5> <{SKOS}inScheme> <{ns.ID}framework/aqf> .")
    assert run("load", fine, "--endpoint", endpoint).exit_code == 0


def test_credentials_without_a_source_get_their_files_alike_everywhere(run, endpoint, creds, tmp_path):
    """Two files whose credentials name no source file: each credential gets the file it came
    from (the credentials of odd number in the second)."""
    lines = [x for x in creds.read_text().splitlines(keepends=True) if f"<{ns.MC}source" not in x]
    odd = [x for x in lines if re.match(r"<[^>]*/credential/[A-Z]+-\d*[13579]>", x)]
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    rest = frozenset(odd)
    first.write_text("".join(x for x in lines if x not in rest))
    second.write_text("".join(odd))
    assert run("load", first, second, "--endpoint", endpoint).exit_code == 0
    assert run("load", first, second, "--store", tmp_path / "embedded").exit_code == 0
    with LocalStore(tmp_path / "embedded") as here:
        expected = sorted((c.value, f.value) for c, f in here.select(SOURCES))
    got = sorted((c.value, f.value) for c, f in RemoteStore(endpoint).select(SOURCES))
    assert got == expected
    assert {f for _, f in got} == {str(first), str(second)} and len(got) == 300


def test_a_load_reads_back_only_what_its_checks_need(run, endpoint, creds, monkeypatch):
    """The answers a load of 300 credentials reads from the server: counts and the credentials
    still without a source (none here), a small fraction of what it sends. (Reading every
    distinct value and subject back, as loads did, came to a tenth of it, in TSV.)"""
    sent, read = [0], []
    plain_request, plain_query = RemoteStore._request, RemoteStore._query

    def request(self, url, body, accept, **kw):
        sent[0] += len(body) if isinstance(body, str) else 0
        return plain_request(self, url, body, accept, **kw)

    def query(self, *args):
        answer, counted = plain_query(self, *args)
        read.append(counted)
        return answer, counted
    monkeypatch.setattr(RemoteStore, "_request", request)
    monkeypatch.setattr(RemoteStore, "_query", query)
    assert run("load", creds, "--endpoint", endpoint).exit_code == 0
    data = creds.stat().st_size
    assert sent[0] > data  # every triple went up
    print(f"read {sum(c.n for c in read)} of {data} bytes sent in {len(read)} answers")
    assert sum(c.n for c in read) < data / 50, (sum(c.n for c in read), data)
    # and the source rows of every credential arrived, so the count above is no accident
    rows = RemoteStore(endpoint).select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c <{ns.MC}sourceRow> ?r }}")
    assert int(next(iter(rows))[0].value) == 300
