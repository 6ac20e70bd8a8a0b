"""Records too many to hold, sorted on disk: written in bounded chunks to a scratch folder, each
chunk sorted into a run of its own, the runs merged back in order as they are read.

The folder is made on first use and removed by `close()`, when the owner is collected, or when
the process ends (also after an error or Ctrl-C)."""
from __future__ import annotations

import heapq
import pickle
import shutil
import tempfile
import weakref
from pathlib import Path

BATCH = 500  # records per pickle in a run: a merge holds one batch of each run


class Scratch:
    """A scratch folder of pickled files, removed with its owner."""

    def __init__(self, prefix: str = "mcmap-"):
        self.prefix = prefix
        self.dir: Path | None = None
        self._count = 0
        self._finalizer = None

    def path(self, name: str) -> Path:
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix=self.prefix))
            self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self._count += 1
        return self.dir / f"{self._count:06d}-{name}"

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def dump(path: Path, records) -> None:
    """Write records (any iterable) in batches, so reading them back holds one batch at a time."""
    with open(path, "wb") as f:
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH:
                pickle.dump(batch, f, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
        if batch:
            pickle.dump(batch, f, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: Path):
    """The records `dump` wrote, in their order, a batch at a time."""
    with open(path, "rb") as f:
        while True:
            try:
                batch = pickle.load(f)
            except EOFError:
                return
            yield from batch


def merged(paths: list[Path]):
    """The records of sorted runs, in one sorted stream (records compare as tuples; on equal
    records the earlier run's comes first)."""
    return heapq.merge(*(load(p) for p in paths))
