"""One Store interface over an embedded Oxigraph store or a remote SPARQL 1.1 endpoint.

Everything above this module speaks SPARQL and pyoxigraph terms, so validation, mapping
and queries run the same way inside the embedded store and inside a remote one.
"""
from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import McmapError
from .graphs import in_graph
from .sparql_text import refuse_federation

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# LocalStore.adding_later's bulk writes: bytes of N-Triples text, or quads naming blank nodes
LATER_BYTES = 32 * 2 ** 20
LATER_QUADS = 200_000

MCMAP_GRAPHS = (ns.GRAPH_ONTOLOGY, ns.GRAPH_DATA, ns.GRAPH_INFERRED, ns.GRAPH_MAPPINGS, ns.GRAPH_REFERENCE)


class StoreError(McmapError):
    pass


class QuerySyntaxError(StoreError):
    """The store's parser rejected the query; `line`/`column` are 1-based when it said where."""

    def __init__(self, detail: str):
        import re

        self.detail = detail.strip()
        m = re.match(r"error at (\d+):(\d+):\s*(.*)", self.detail, re.S)
        self.line, self.column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        self.reason = m.group(3).strip() if m else self.detail
        super().__init__(f"SPARQL syntax error: {self.detail}")


class Rows:
    """SELECT results: `variables` and an iterator of tuples of terms (None where unbound)."""

    def __init__(self, variables: list[str], rows: Iterable[tuple]):
        self.variables = variables
        self._rows = rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._rows)


def _graphs(default_graphs) -> list[ox.NamedNode] | None:
    if default_graphs is None:
        return None
    return [g if isinstance(g, ox.NamedNode) else ox.NamedNode(g) for g in default_graphs]


class Store:
    """The operations mcmap needs from any store. `default_graphs=None` means the union of
    every graph; a list restricts the query's default graph to those named graphs."""

    def query(self, sparql: str, *, default_graphs=None, bindings: dict[str, Term] | None = None):
        """Run a query. `bindings` pre-bind variables to RDF terms before evaluation (never by
        pasting text): give only variables the query projects and uses in its top-level WHERE
        group, so embedded and remote stores answer alike."""
        raise NotImplementedError

    def select(self, sparql: str, *, default_graphs=None, bindings=None, split_by: str | None = None) -> Rows:
        """A SELECT query's rows. `split_by` names a variable every row binds (projected, and in
        the top-level WHERE group) by which a store whose answers travel over the network may
        ask for a large answer in several parts; rows of one value of it stay in one part."""
        result = self.query(sparql, default_graphs=default_graphs, bindings=bindings)
        if not isinstance(result, Rows):
            raise StoreError("expected a SELECT query")
        return result

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def add(self, quads: Iterable[ox.Quad], *, before: str | None = None) -> None:
        """Add quads (any iterable: a remote store sends it in bounded batches) as one write:
        all of them or none. `before`, an update, is applied in the same final step, e.g. to
        delete what the quads replace."""
        raise NotImplementedError

    def add_in_batches(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads straight into their graphs in bounded batches, for derived data too large
        to stage (staging would hold a second copy, moved by one transaction). Not all or
        none: after a failure the caller removes what was written."""
        self.add(quads)

    @contextlib.contextmanager
    def adding_later(self, graph: str):
        """add_in_batches for derived data that comes a part at a time (`mcmap map` keeping a
        registry's results): the block is given a writer taking triples for `graph`; they may
        reach the store only when the block ends without an error, and not at all if it fails.
        Not all or none either: if the final writes fail, the caller removes what was written."""
        yield lambda triples: self.add_in_batches(in_graph(triples, graph))

    def loading(self, *, replace: list[str] = ()) -> "Load":
        """A Load (see mcmap.staging): readers' quads and RDF files written in chunks, visible
        all at once when the load commits, and not at all if it fails or is killed. Graphs in
        `replace` are emptied by the same commit. A remote store writes a first load in place
        behind a marker and stages others in graphs of its own (mcmap.staging_graphs); it may
        override `add` to batch its requests."""
        from .staging_graphs import GraphStagedLoad

        return GraphStagedLoad(self, replace)

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Atomically make `graph` hold exactly `triples`: one update request is one transaction."""
        t = self._term
        body = "\n".join(f"{t(x.subject)} {x.predicate} {t(x.object)} ." for x in triples)
        self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    @staticmethod
    def _term(term) -> str:
        return str(term)

    def named(self, term) -> str | None:
        """`term` as a query to this store names it; None for a blank node, which a query
        cannot name (results about such nodes are found by scanning for blank nodes)."""
        return str(term) if isinstance(term, ox.NamedNode) else None

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of `graph` (or of every named graph)."""
        name = f"<{graph}>" if graph else "?g"
        for row in self.select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}"):
            yield ox.Quad(row[0], row[1], row[2], row[3] or ox.NamedNode(graph))

    def clear_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def count(self, graph: str | None = None) -> int:
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        rows = list(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
        return int(rows[0][0].value)

    def named_graphs(self) -> list[str]:
        return [r[0].value for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LocalStore(Store):
    """Embedded Oxigraph: in memory, or persistent in a folder (`read_only` for reading only)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path else None
        self._lock = None
        try:
            if self.path and read_only:
                self.ox = ox.Store.read_only(str(self.path))
            elif self.path:
                # Readers that opened the folder read-only (mcmap serve) would answer from stale
                # data, or worse, while this process writes: refuse while one is serving it.
                self._lock = FolderLock(self.path, exclusive=True)
                self.ox = ox.Store(str(self.path))
            else:
                self.ox = ox.Store()
        except OSError as e:
            if self._lock:
                self._lock.release()
            raise StoreError(f"{path}: cannot open the store: {e}") from None
        if self.path:
            from .pending_load import pending, recover

            if read_only and pending(self.path, self.ox):
                # A load into this folder was killed: open it for writing once, which undoes it.
                self.ox = None
                self.__init__(path)
                return
            if not read_only:
                recover(self.path, self.ox)

    def loading(self, *, replace: list[str] = ()):
        from .pending_load import user_graphs
        from .staging import DirectLoad, StagedLoad

        if user_graphs(self.ox):
            return StagedLoad(self, replace)
        return DirectLoad(self, folder=self.path is not None)

    def query(self, sparql, *, default_graphs=None, bindings=None):
        refuse_federation(sparql)
        kwargs = {}
        graphs = _graphs(default_graphs)
        if graphs is None:
            kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = graphs
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            result = self.ox.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from None
        except (RuntimeError, ValueError, OSError) as e:
            # e.g. a parameter bound to a variable the SELECT does not project
            raise StoreError(f"SPARQL query failed: {e}") from None
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            return Rows(variables, (tuple(sol[i] for i in range(len(variables))) for sol in result))
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result)

    def update(self, sparql):
        try:
            self.ox.update(sparql)
        except SyntaxError as e:
            raise StoreError(f"SPARQL update syntax error: {e}") from None

    def add(self, quads, *, before=None):
        if before:
            self.update(before)
        self.ox.extend(quads)

    def add_in_batches(self, quads):
        if self.path is None:
            self.ox.extend(quads)
            return
        from .staging import chunks

        for chunk in chunks(quads):  # a folder's bulk writer: no transaction holding them all
            self.ox.bulk_extend(chunk)

    @contextlib.contextmanager
    def adding_later(self, graph):
        if self.path is None:
            with super().adding_later(graph) as add:
                yield add
            return
        # Every bulk write into a folder is new files spanning the indexes' whole key range,
        # which RocksDB merges into the folder's largest files while later writes wait: a
        # million credentials' results (30 million quads) written part by part made `map`
        # grow with the square of the registry. They wait in a temporary N-Triples file (the
        # graph is said once, not on each of 30 million lines) and go in at the end, parsed by
        # Oxigraph's bulk loader a few MiB at a time (its memory is about 1 KiB per quad of
        # one call).
        from .rdf_source import NotingBlankNodes, line_parts
        from .staging import chunks

        g = ox.NamedNode(graph)
        with tempfile.TemporaryDirectory(prefix="mcmap-later-") as folder:
            path = Path(folder) / "later.nt"
            with open(path, "wb") as f:
                waiting = NotingBlankNodes(f)
                yield lambda triples: ox.serialize(triples, waiting, ox.RdfFormat.N_TRIPLES)
            if waiting.seen:
                # the loader names blank nodes afresh; parsed here they keep their labels,
                # and with them their link to the nodes already in the store
                quads = in_graph(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES), g)
                for chunk in chunks(quads, LATER_QUADS):
                    self.ox.bulk_extend(chunk)
                return
            with open(path, "rb") as waiting:
                for part in line_parts(waiting, LATER_BYTES):
                    self.ox.bulk_load(input=part, format=ox.RdfFormat.N_TRIPLES, to_graph=g)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph) if graph else None)

    def close(self):
        # Oxigraph holds the folder's lock until the Store object is freed: drop it here so
        # the same folder can be opened again in this process.
        if getattr(self, "ox", None) is not None:
            if self.path and self._lock:
                self.ox.flush()
            self.ox = None
        if getattr(self, "_lock", None) is not None:
            self._lock.release()
            self._lock = None


class FolderLock:
    """An advisory lock on `mcmap.lock` in a store folder: shared while `mcmap serve` reads the
    folder, exclusive while a command writes it. The system drops it when the process ends,
    so a crashed server never leaves the folder locked."""

    NAME = "mcmap.lock"

    def __init__(self, folder: Path, *, exclusive: bool):
        self.file = None
        try:
            import fcntl
        except ImportError:  # no advisory locks on this system: nothing to enforce
            return
        folder.mkdir(parents=True, exist_ok=True)
        self.file = open(folder / self.NAME, "a+b")
        try:
            fcntl.flock(self.file, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError:
            self.file.close()
            self.file = None
            if exclusive:
                raise StoreError(f"{folder}: mcmap serve is serving this store; stop the server before "
                                 "changing the store (it would go on answering from the old data)") from None
            raise StoreError(f"{folder}: another mcmap command is writing this store; serve it when "
                             "that command has finished") from None

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing the file drops the lock
            self.file = None


SKOLEM_PREFIX = f"{ns.ID}.well-known/genid/"

# Every graph mcmap writes. A remote query over "all graphs" names them explicitly, both as the
# default graph and as the named graphs, because endpoints disagree on what the default graph
# is (Oxigraph: its own empty default graph; GraphDB, Virtuoso: everything) and the protocol
# says that naming only default graphs leaves no named graph for GRAPH patterns to see.
ALL_GRAPHS = (ns.GRAPH_ONTOLOGY, ns.GRAPH_SHAPES, ns.GRAPH_DATA, ns.GRAPH_INFERRED,
              ns.GRAPH_MAPPINGS, ns.GRAPH_REPORTS, ns.GRAPH_REFERENCE, ns.GRAPH_WRITTEN)


def skolemise(term):
    """Blank nodes cannot cross a SPARQL protocol boundary; give them stable IRIs instead."""
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(SKOLEM_PREFIX + term.value)
    if isinstance(term, ox.Triple):
        return ox.Triple(skolemise(term.subject), term.predicate, skolemise(term.object))
    return term


def unskolemise(term):
    """The blank node a skolem IRI stands for, so remote results equal embedded ones."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(SKOLEM_PREFIX):
        return ox.BlankNode(term.value[len(SKOLEM_PREFIX):])
    if isinstance(term, ox.Triple):
        return ox.Triple(unskolemise(term.subject), term.predicate, unskolemise(term.object))
    return term


def open_store(store_dir: str | Path | None = None, endpoint: str | None = None, *,
               timeout: float = 300, read_only: bool = False) -> Store:
    """An embedded store (in memory, or in `store_dir`, opened `read_only` if asked) or the
    SPARQL endpoint `endpoint`, whose answers may take up to `timeout` seconds."""
    if store_dir and endpoint:
        raise StoreError("give --store or --endpoint, not both")
    if endpoint:
        from .store_remote import RemoteStore

        return RemoteStore(endpoint, timeout=timeout)
    return LocalStore(store_dir, read_only=read_only)
