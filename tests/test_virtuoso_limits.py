"""`validate` and `map` on Debian's Virtuoso with its result limits lowered: the same answers as
the embedded store past its row limit (ResultSetMaxRows), and an answer cut by its time limit
(MaxQueryExecutionTime) said to be cut, never reported as complete."""
import json
import re

import pytest

from test_engines import findings
from test_remote_loads import login, synth, tuned_virtuoso  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.virtuoso]


@pytest.fixture(scope="module")
def creds(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("synth-limits"), 300)


def test_validate_and_map_past_the_row_limit_give_the_embedded_answers(run, tmp_path, creds, login):
    """ResultSetMaxRows 200 (stock: 10,000): 300 credentials, thousands of findings."""
    local = tmp_path / "embedded"
    assert run("load", creds, "--store", local).exit_code == 0
    with tuned_virtuoso(tmp_path / "v", rows=200) as base:
        url = base + "/sparql-auth"
        assert run("load", creds, "--endpoint", url).exit_code == 0
        for framework in ("au", "nz"):
            there = run("validate", "-f", framework, "-F", "json", "--endpoint", url)
            here = run("validate", "-f", framework, "-F", "json", "--store", local)
            assert there.exit_code == here.exit_code == 1, there.output[-2000:]
            assert findings(there) == findings(here)
            assert len(findings(here)[1]) > 200
        there = run("map", "--to", "nz", "-F", "json", "--endpoint", url)
        here = run("map", "--to", "nz", "-F", "json", "--store", local)
        assert there.exit_code == here.exit_code == 0, there.output[-2000:]
        assert json.loads(there.stdout) == json.loads(here.stdout)


def test_an_answer_cut_by_the_time_limit_is_said_to_be_cut(run, tmp_path, login):
    """MaxQueryExecutionTime 1 s (stock: 60 s): past it Debian's Virtuoso 7.2 answers with an
    error (other builds return what they found by then, marked only by a header, which mcmap
    refuses as a partial answer); either way mcmap stops with one line, never an answer."""
    def one_second(text: str) -> str:
        return re.sub(r"(?m)^(MaxQueryExecutionTime\s*=\s*)\S+", r"\g<1>1", text)
    folder = tmp_path / "v"
    folder.mkdir()
    from sparql_helpers import virtuoso_binary, virtuoso_server

    if virtuoso_binary() is None:
        pytest.skip("virtuoso-t not found: install Debian's virtuoso-opensource (.ci/install-system-packages)")
    digits = "VALUES ?{} {{ 0 1 2 3 4 5 6 7 8 9 }}"
    # ten million combinations: far more than Virtuoso counts in a second
    query = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(digits.format(v) for v in "abcdefg") + " }"
    with virtuoso_server(folder, tune=one_second) as base:
        r = run("query", "-e", query, "--endpoint", base + "/sparql-auth")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert "MaxQueryExecutionTime" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert r.stdout == ""
