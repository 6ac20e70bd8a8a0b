"""Checking an upload in a process of its own, with a time limit and a memory limit.

A submission may be slow or hostile (a huge file, a pathological regular expression), and a
running check cannot be interrupted from Python. So each check runs in a child process, forked
from a server that already imported mcmap, in a temporary folder that holds the uploaded files;
past the time limit the child is killed, and the folder is removed whatever happened.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field

MEMORY_LIMIT = 3 * 1024 ** 3  # bytes of address space a check may use


class Busy(Exception):
    pass


class TimeLimitExceeded(Exception):
    pass


@dataclass
class Failure:
    """A check that could not be done: `message` is for the person who sent the file."""
    message: str
    status: int = 400


@dataclass
class Upload:
    name: str
    data: bytes = field(repr=False)


_context = None


def _ctx():
    global _context
    if _context is None:
        ctx = mp.get_context("forkserver")
        # The fork server imports mcmap once; every check then starts in a few milliseconds.
        ctx.set_forkserver_preload(["mcmap.web.work"])
        _context = ctx
    return _context


def safe_name(name: str, taken: set[str]) -> str:
    """A file name that stays inside the job's folder and keeps its extension."""
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", os.path.basename(name.replace("\\", "/"))).strip(" .") or "upload"
    stem, dot, ext = base[:120].rpartition(".")
    if not dot:
        stem, ext = base[:120], ""
    candidate, n = base[:120], 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate


def _child(conn, func: str, args: tuple, folder: str | None, memory: int | None) -> None:
    from ..errors import McmapError

    try:
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if folder:
            os.chdir(folder)  # reports name the files as the person uploaded them, not a temp path
        from . import work

        conn.send(("ok", getattr(work, func)(*args)))
    except McmapError as e:
        conn.send(("error", str(e)))
    except MemoryError:
        conn.send(("error", "the upload needs more memory than the workbench allows a check"))
    except Exception as e:  # an unexpected fault: the page says so plainly, with the reason
        conn.send(("internal", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


class Jobs:
    """At most `size` checks at a time, each stopped after `timeout` seconds."""

    def __init__(self, size: int = 2, timeout: float = 60, memory: int | None = MEMORY_LIMIT):
        self.size, self.timeout, self.memory = size, timeout, memory
        self._slots = threading.BoundedSemaphore(size)

    def run(self, func: str, *args, uploads: list[Upload] = ()):
        """`work.<func>(names, *args)` over the uploaded files (names first when there are uploads).

        Returns what it returned, or a Failure; raises Busy or TimeLimitExceeded. Blocking:
        call it from a thread."""
        if not self._slots.acquire(timeout=self.timeout):
            raise Busy(f"all {self.size} checks stayed busy for {self.timeout:g} s")
        folder = tempfile.mkdtemp(prefix="mcmap-upload-")
        try:
            taken: set[str] = set()
            names = []
            for u in uploads:
                name = safe_name(u.name, taken)
                with open(os.path.join(folder, name), "xb") as f:
                    f.write(u.data)
                names.append(name)
            if uploads:
                args = (names, *args)
            return self._run(func, args, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self._slots.release()

    def _run(self, func, args, folder):
        ctx = _ctx()
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child, func, args, folder, self.memory), daemon=True)
        proc.start()
        child.close()
        try:
            if not parent.poll(self.timeout):
                raise TimeLimitExceeded(self.timeout)
            try:
                kind, value = parent.recv()
            except EOFError:
                return Failure("the check stopped without an answer (it may have run out of memory)", 500)
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            parent.close()
        if kind == "ok":
            return value
        return Failure(value, 400 if kind == "error" else 500)
