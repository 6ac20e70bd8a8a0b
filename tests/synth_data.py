"""The benchmarks' synthetic credentials (benchmarks/synth.py: AU, NZ and WS, a tenth of them
with a mistake), written as N-Triples for tests that need a registry of some size."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def synth(folder: Path, n: int) -> Path:
    """`n` synthetic credentials in folder/creds-N.nt, made by the generator's own command line."""
    path = folder / f"creds-{n}.nt"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synth.py"), str(n), "-o", str(path)],
                   check=True, capture_output=True)
    return path
