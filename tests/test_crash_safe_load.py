"""A load killed part-way (SIGKILL, as a power cut would) leaves the store folder as it was
before or as it is after the whole load: it opens, and holds one of the two states."""
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mcmap.store import LocalStore

REPO = Path(__file__).resolve().parents[1]
AU = REPO / "examples" / "au-submission.csv"
CREDENTIALS = 8_000

pytestmark = pytest.mark.slow


def mcmap(*args) -> list[str]:
    return [sys.executable, "-m", "mcmap", *map(str, args)]


ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def folder_size(folder: Path) -> int:
    total = 0
    for p in folder.iterdir():
        try:
            total += p.stat().st_size
        except OSError:
            pass  # a file replaced while we looked
    return total


def state(store: Path) -> tuple[int, int]:
    """(quads, credentials) of the store, opened as any later command would open it."""
    with LocalStore(store) as s:
        creds = next(iter(s.select(
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a <https://w3id.org/mcmap/ns#MicroCredential> } }")))[0]
        return s.count(), int(creds.value)


def test_a_load_killed_at_random_moments_leaves_before_or_after(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    big = tmp_path / "big.nt"
    synth.write(big, CREDENTIALS)
    before = tmp_path / "before"
    subprocess.run(mcmap("load", AU, "--store", before), check=True, env=ENV, capture_output=True)
    after = tmp_path / "after"
    shutil.copytree(before, after)
    # When does the data reach the folder? Watched from outside, by the folder's size.
    base_size = folder_size(after)
    proc = subprocess.Popen(mcmap("load", big, "--store", after), env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started, written = time.monotonic(), None
    while proc.poll() is None:
        if written is None and folder_size(after) > base_size + (1 << 20):
            written = time.monotonic() - started
        time.sleep(0.05)
    assert proc.returncode == 0
    duration = time.monotonic() - started
    written = written or duration
    expected = {"before": state(before), "after": state(after)}
    assert expected["before"] != expected["after"]

    rng = random.Random(11)
    seen = []
    for attempt in range(5):
        store = tmp_path / f"kill-{attempt}"
        shutil.copytree(before, store)
        proc = subprocess.Popen(mcmap("load", big, "--store", store), env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kills land before, around and after the moment the data is written.
        moment = [rng.uniform(0.3, 0.9) * written, rng.uniform(0.9, 1.1) * written,
                  rng.uniform(written, duration)][attempt % 3]
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        got = state(store)
        assert got in expected.values(), f"kill {attempt}: the store holds {got}, neither {expected}"
        seen.append(next(k for k, v in expected.items() if v == got))
        # The store still takes a load after the crash.
        subprocess.run(mcmap("load", AU, "--store", store), check=True, env=ENV, capture_output=True)
        shutil.rmtree(store)
    print("states after the kills:", seen)
    assert "before" in seen  # the kills did land inside the load
