"""Loads into a store folder on a machine of many cores.

Given a path or bytes, Oxigraph's bulk loader parses N-Triples and N-Quads in pieces at once on
a machine of four cores or more; each piece names blank nodes afresh and counts lines from its
own start. CI has two cores, so these tests make mcmap's process see eight: a small library,
built here with the C compiler, answers the processor-affinity call for it (LD_PRELOAD)."""
import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest
from test_streaming_load import ntriples_credentials

from mcmap import namespaces as ns
from mcmap.store import LocalStore

# Every call asking which processors the process may use is told: the first eight.
EIGHT_CORES = """
typedef unsigned long size_t;
int sched_getaffinity(int pid, size_t size, unsigned char *set) {
    for (size_t i = 0; i < size; i++) set[i] = 0;
    if (size > 0) set[0] = 0xff;
    return 0;
}
"""
# Large enough that the loader cuts it (it cuts text of 32 KiB or more).
CREDENTIALS = 400


@pytest.fixture(scope="module")
def eight_cores(tmp_path_factory) -> dict:
    """The environment of a process that sees eight cores."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the library that makes a process see eight cores "
                    "(.ci/apt-packages installs gcc)")
    folder = tmp_path_factory.mktemp("cores")
    (folder / "cores.c").write_text(EIGHT_CORES)
    library = folder / "cores.so"
    subprocess.run([cc, "-shared", "-fPIC", "-nostdlib", "-o", library, folder / "cores.c"], check=True)
    env = {**os.environ, "LD_PRELOAD": str(library)}
    seen = subprocess.run([sys.executable, "-c", "import os; print(len(os.sched_getaffinity(0)))"],
                          env=env, capture_output=True, text=True, check=True)
    assert seen.stdout.strip() == "8"
    return env


def mcmap(env: dict, *args, part: int | None = None, whole: int | None = None):
    """The CLI in its own process; `part` and `whole` set the sizes of mcmap.rdf_source as a large
    file would meet them."""
    sizes = (f"rdf_source.PART = {part}\n" if part else "") + (f"rdf_source.WHOLE = {whole}\n" if whole else "")
    code = ("import sys\nfrom mcmap import rdf_source\n" + sizes
            + "from mcmap.cli import main\nsys.argv = ['mcmap', *sys.argv[1:]]\nmain()\n")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, env=env)


def named_providers(store) -> list[str]:
    """The provider names reached from each credential that has a provider."""
    with LocalStore(store) as s:
        rows = s.ox.query(f"SELECT ?name WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?c <{ns.MC}provider> ?p . "
                          f"OPTIONAL {{ ?p <{ns.MC}name> ?name }} }} }}")
        return sorted(r[0].value if r[0] is not None else "(no name)" for r in rows)


def test_the_bulk_loader_given_a_path_cuts_a_blank_node_in_two_on_eight_cores(tmp_path, eight_cores):
    # What mcmap works around, shown on Oxigraph alone: one node, named on the first and the last line.
    data = ntriples_credentials(tmp_path / "blank.nt", CREDENTIALS, blank=True)
    code = ("import sys, pyoxigraph as ox\ns = ox.Store(sys.argv[2])\n"
            "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)\n"
            "print(len(list(s.query('SELECT DISTINCT ?b WHERE { { ?b ?p ?o } UNION { ?s ?p ?b } FILTER isBlank(?b) }'))))")
    nodes = subprocess.run([sys.executable, "-c", code, data, tmp_path / "raw"], env=eight_cores,
                           capture_output=True, text=True, check=True)
    assert nodes.stdout.strip() == "2"
    in_order = ox.Store()
    in_order.bulk_load(input=data.read_bytes(), format=ox.RdfFormat.N_TRIPLES)  # two cores here
    assert len(list(in_order.query("SELECT DISTINCT ?b WHERE { ?b ?p ?o FILTER isBlank(?b) }"))) == 1


@pytest.mark.parametrize("sizes", [{}, {"whole": 1000}], ids=["a file given whole", "a file over WHOLE"])
def test_a_blank_node_named_far_apart_stays_one_node_on_eight_cores(tmp_path, eight_cores, sizes):
    data = ntriples_credentials(tmp_path / "blank.nt", CREDENTIALS, blank=True)
    result = mcmap(eight_cores, "load", data, "--store", tmp_path / "store", **sizes)
    assert result.returncode == 0, result.stderr
    assert f"loaded {CREDENTIALS} credentials" in result.stderr
    assert named_providers(tmp_path / "store") == ["One provider"]


def test_blank_nodes_of_a_load_of_two_files_stay_whole_on_eight_cores(tmp_path, eight_cores):
    # Several files are checked each in its own stage, then moved into the folder as N-Quads text.
    first = ntriples_credentials(tmp_path / "first.nt", CREDENTIALS, blank=True)
    second = tmp_path / "second.nt"
    second.write_text(first.read_text().replace("https://example.org/c/", "https://example.org/d/"))
    result = mcmap(eight_cores, "load", first, second, "--store", tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert named_providers(tmp_path / "store") == ["One provider", "One provider"]


@pytest.mark.parametrize("sizes", [{}, {"part": 64 * 1024}, {"whole": 1000}],
                         ids=["a file given whole", "in parts", "a file over WHOLE"])
def test_a_syntax_error_names_its_own_line_on_eight_cores(tmp_path, eight_cores, sizes):
    data = ntriples_credentials(tmp_path / "bad.nt", CREDENTIALS)
    lines = data.read_text().splitlines(keepends=True)
    lines[1000] = '<https://example.org/c/333> <https://w3id.org/mcmap/ns#title> "no end .\n'
    data.write_text("".join(lines))
    result = mcmap(eight_cores, "load", data, "--store", tmp_path / "store", **sizes)
    assert result.returncode == 2
    assert "bad.nt:1001: N-Triples syntax error: Parser error at line 1001 column" in result.stderr, result.stderr
    with LocalStore(tmp_path / "store") as s:
        assert s.count(ns.GRAPH_DATA) == 0
