"""Writing into a store in one piece: the one path every reader's output takes.

    with store.loading() as load:                      # a Load
        load.add_rdf(RdfSource(...))                   # parsed by Oxigraph, no Python objects
        load.add_store(stage)                          # a private ox.Store a file was checked in
        load.add_text(chunks)                          # N-Quads text (a reader's QuadText), in
                                                       # chunks of whole records, parsed by Oxigraph
        load.add(quads)                                # any iterable of pyoxigraph Quads (a
                                                       # generator is best): written in chunks
    # leaving the block without an exception commits; an exception discards everything

Nothing a load writes is visible before the commit, and a failed or killed load leaves the
store exactly as it was:

- Embedded store whose user graphs are all empty (a fresh store, a one-shot command): quads go
  straight into their graphs (Oxigraph's loader for RDF files, bulk writes in a store folder).
  A folder first gets a "load pending" file (mcmap.pending_load); `LocalStore` opening a folder that
  still has it (a load was killed) drops the user graphs the load wrote, so the folder is back
  to its state before the load. Committing removes the file once the data is on disk. (A file,
  not quads in the store: quads removed after the final merge stay small unmerged files that
  every later read probes; a `validate` of 100,000 credentials took 7% longer.)
- Embedded store that already holds user data: quads go to a private in-memory staging store;
  the commit writes its N-Quads dump into the store in one Oxigraph transaction.
- Any other store (remote endpoints): mcmap.staging_graphs, the same promise over SPARQL
  Update, with no server transaction holding the whole load.

Blank nodes of different files stay distinct: Oxigraph's loader gives each file's blank nodes
fresh labels, and readers that build quads in Python mint fresh BlankNode objects.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from itertools import islice

import pyoxigraph as ox

from .pending_load import drop, mark_pending, user_graphs
from .rdf_source import RdfSource, blank_nodes_kept, first_error
from .written import published, with_records

CHUNK = 50_000  # quads per write: bounded memory, few enough calls to keep the per-call cost low


def chunks(quads: Iterable[ox.Quad], size: int = CHUNK):
    it = iter(quads)
    while chunk := list(islice(it, size)):
        yield chunk


def overlapped(writes: Iterable, writers: int = 1) -> None:
    """Each of `writes` (calls taking no argument, made lazily: each holds a chunk of text for
    Oxigraph) run in another thread while the reader makes the next: Oxigraph parses and stores
    with the GIL released, so a Python reader and Oxigraph's loader use two cores at once. At
    most `writers` writes run at a time (a store folder's bulk loader takes two chunks side by
    side: each call works on one thread); their errors are raised in their order; every write
    has finished when this returns or raises (an error of the reader's included), so an abort
    never races a write."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="mcmap-load") as pool:
        pending: deque = deque()
        for write in writes:  # leaving the block (a reader's error too) waits for the writes
            if len(pending) >= writers:
                pending.popleft().result()
            pending.append(pool.submit(write))
        for done in pending:
            done.result()


def _text_writes(write, texts: Iterable[bytes]):
    """`write(input=chunk, format=N-Quads)` for each chunk of text, for `overlapped`."""
    return (functools.partial(write, input=chunk, format=ox.RdfFormat.N_QUADS) for chunk in texts)


class Load:
    """One load into a store; see the module docstring. Subclasses say where quads go."""

    def __init__(self, store):
        self.store = store
        self.quads = 0  # quads written by add()

    def add(self, quads: Iterable[ox.Quad]) -> None:
        for chunk in chunks(quads):
            self.quads += len(chunk)
            # literals the store would retype are recorded as written (mcmap.written)
            self._write(with_records(chunk))

    def add_rdf(self, source: RdfSource) -> None:
        """Parse `source` into the load. Raises SyntaxError/ValueError/OSError as Oxigraph does."""
        raise NotImplementedError

    def add_text(self, chunks: Iterable[bytes]) -> None:
        """N-Quads text, chunk by chunk; a blank node label means one node within a chunk only."""
        for chunk in chunks:
            self.add(ox.parse(input=chunk, format=ox.RdfFormat.N_QUADS))

    def plain_text(self, chunks: Iterable[bytes]):
        """The chunks for Oxigraph's loader; a chunk naming a datatype the store retypes
        (mcmap.written) is added here, quad by quad, so its literals are recorded as written."""
        from .written import names_retyped

        for chunk in chunks:
            if names_retyped(chunk):
                self.add(ox.parse(input=chunk, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=True))
            else:
                yield chunk

    def add_store(self, stage: ox.Store) -> None:
        """Everything in `stage` (a private store a file was parsed and checked in), moved into
        the load in one piece of N-Quads text, so its blank nodes stay its own."""
        self.add_text([published(stage.dump(format=ox.RdfFormat.N_QUADS))])

    def merge(self) -> None:
        """The writes are done until the checks that follow: a store may ready them for reading."""

    def select(self, sparql: str, graph: str, *, split_by: str | None = None):
        """Rows of a SELECT whose default graph is what this load has written to `graph` so far;
        `split_by` as in Store.select (an answer of one row per value of that variable)."""
        raise NotImplementedError

    def count(self, graph: str) -> int:
        rows = list(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph))
        return int(rows[0][0].value)

    def _write(self, chunk: list) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc):
        if kind is None:
            self.commit()
        else:
            self.abort()


class DirectLoad(Load):
    """Embedded store with no user data yet: write in place, undo by dropping the user graphs."""

    def __init__(self, store, folder: bool):
        super().__init__(store)
        self.ox = store.ox
        self.folder = folder
        self.unmerged = False  # a folder's bulk writes not yet being merged
        self._merging = None  # the merge running beside the load's checks
        if folder:
            mark_pending(store.path, True)

    def add_rdf(self, source: RdfSource) -> None:
        if not self.folder:
            self.ox.load(**source.load_args())
            return
        # two parts at once, one per core: each bulk-loader call works on one thread
        self.unmerged = True
        overlapped((functools.partial(self._bulk_part, args, before) for args, before in source.parts()), writers=2)

    def _bulk_part(self, args: dict, lines_before: int) -> None:
        try:
            self.ox.bulk_load(**args)
        except SyntaxError as refused:
            e = first_error(args, refused)
            if lines_before and isinstance(e.lineno, int):  # a part's line numbers, made the file's
                e.lineno += lines_before
                e.msg = re.sub(r"\bline (\d+)", lambda m: f"line {int(m[1]) + lines_before}", str(e.msg))
            raise e from None

    def add_text(self, chunks):
        # In memory, Oxigraph's transactional load is the faster of its two loaders (and one
        # writer at a time); a folder's bulk loader takes two chunks at once, one per core.
        if self.folder:
            self.unmerged = True
            # through self, not Oxigraph's bound method: abort lets go of the store (see abort)
            overlapped(_text_writes(lambda **args: self._bulk_part(args, 0),
                                    map(blank_nodes_kept, self.plain_text(chunks))), writers=2)
        else:
            overlapped(_text_writes(self.ox.load, self.plain_text(chunks)))

    def select(self, sparql, graph, *, split_by=None):
        return self.store.select(sparql, default_graphs=[graph], split_by=split_by)

    def count(self, graph):
        # The store's size less its other graphs (reference data, a few thousand quads): the
        # size counts keys without decoding them, twice as fast as counting `graph` itself.
        target = ox.NamedNode(graph)
        others = [g for g in self.ox.named_graphs() if g != target] + [ox.DefaultGraph()]
        rest = sum(int(next(iter(self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=g)))[0].value)
                   for g in others)
        return len(self.ox) - rest

    def _write(self, chunk):
        if self.folder:
            self.unmerged = True
            self.ox.bulk_extend(chunk)
        else:
            self.ox.extend(chunk)

    def merge(self):
        # The bulk loader leaves its files unmerged: a million credentials loaded in parts took
        # 4.9 GB in 111 files, 2.3 GB in 53 once merged, and every later read was 1.2x faster
        # (loaded in one call, the merged folder is 4.9 GB in 83 files, read as fast). Merging
        # takes one core for 20 s; started before the load's checks, it runs beside them (their
        # Python takes the other core) rather than after them.
        if self.unmerged and self._merging is None:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(1, thread_name_prefix="mcmap-merge")
            self._merging = pool.submit(self.ox.optimize)
            pool.shutdown(wait=False)
            self.unmerged = False

    def _merged(self) -> BaseException | None:
        """Waits for the merge merge() started; its error, if it failed."""
        merging, self._merging = self._merging, None
        return merging.exception() if merging is not None else None

    def commit(self):
        if self.folder:
            if (error := self._merged()) is not None:
                raise error
            if self.unmerged:  # written after the checks began (most loads: nothing)
                self.ox.optimize()
            self.ox.flush()
            mark_pending(self.store.path, False)

    def abort(self):
        self._merged()  # an abort never races the merge
        for g in user_graphs(self.ox):
            drop(self.ox, g)
        if self.folder:
            self.ox.flush()
            mark_pending(self.store.path, False)
        # The error that aborted the load keeps this object alive in its traceback until the
        # collector runs; Oxigraph holds the folder's lock while it holds the store.
        self.ox = None


class StagedLoad(Load):
    """Embedded store that already holds user data: stage in memory, commit in one transaction."""

    def __init__(self, store, replace: list[str] = ()):
        super().__init__(store)
        self.stage = ox.Store()
        self.replace = list(replace)

    def add_rdf(self, source: RdfSource) -> None:
        self.stage.load(**source.load_args())

    def add_text(self, chunks):
        overlapped(_text_writes(self.stage.load, self.plain_text(chunks)))

    def select(self, sparql, graph, *, split_by=None):
        from .store import Rows

        result = self.stage.query(sparql, default_graph=[ox.NamedNode(graph)])
        names = [v.value for v in result.variables]
        return Rows(names, (tuple(s[i] for i in range(len(names))) for s in result))

    def _write(self, chunk):
        self.stage.extend(chunk)

    def commit(self):
        target = self.store.ox
        for g in self.replace:
            target.remove_graph(ox.NamedNode(g))
        target.load(self.stage.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        if self.store.path:
            target.flush()
        self.stage = None

    def abort(self):
        self.stage = None
