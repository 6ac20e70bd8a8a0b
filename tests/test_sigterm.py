"""SIGTERM (a CI job's time limit, `kill`, a container stopping) stops a command as Ctrl-C
does: one line, its own exit code (143, never 1), no half-written --output file and no half-kept
results in the store folder."""
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcmap import namespaces as ns
from synth_data import synth



@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A store folder of synthetic credentials large enough that `map` runs for seconds."""
    work = tmp_path_factory.mktemp("sigterm")
    data = synth(work, 3000)
    store = work / "store"
    done = subprocess.run([sys.executable, "-m", "mcmap", "load", str(data), "--store", str(store)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return store


def kept_quads(store: Path) -> int:
    s = ox.Store.read_only(str(store))
    try:
        return sum(1 for _ in s.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_MAPPINGS)))
    finally:
        del s


def test_sigterm_during_map_leaves_no_partial_output_and_no_partial_results(folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    before = kept_quads(folder)
    # parts of 100 credentials, so that the run is many parts long and is stopped in the middle
    code = ("import sys; from mcmap.mapping import crossmap; crossmap.PART = 100; "
            "from mcmap.cli import cli; cli.main(sys.argv[1:], prog_name='mcmap')")
    proc = subprocess.Popen([sys.executable, "-c", code, "map", "--store", str(folder), "--to", "nz",
                             "-F", "json", "-o", str(out / "map-nz.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        # the temporary output beside the target exists once the run has begun writing
        while not list(out.glob(".map-nz.json.*.tmp")):
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, "map finished before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.communicate()
    err = err.decode()
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1] == "mcmap: terminated"
    assert "Traceback" not in err
    assert list(out.iterdir()) == []
    assert kept_quads(folder) == before


def test_sigterm_restores_the_handler_for_library_callers():
    """The CLI's handler is only in place while a command runs: a program that calls the CLI
    keeps its own handling of SIGTERM afterwards."""
    code = ("import signal, sys; from mcmap.cli import cli\n"
            "mine = lambda *a: None\n"
            "signal.signal(signal.SIGTERM, mine)\n"
            "try:\n"
            "    cli.main(['frameworks'], prog_name='mcmap')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(signal.getsignal(signal.SIGTERM) is mine)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr
