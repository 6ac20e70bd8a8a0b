"""One Store interface over an embedded Oxigraph store or a remote SPARQL 1.1 endpoint.

Everything above this module speaks SPARQL and pyoxigraph terms, so validation, mapping
and queries run the same way inside the embedded store and inside a remote one.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import McmapError

Term = ox.NamedNode | ox.BlankNode | ox.Literal

MCMAP_GRAPHS = (ns.GRAPH_ONTOLOGY, ns.GRAPH_DATA, ns.GRAPH_INFERRED, ns.GRAPH_MAPPINGS)


class StoreError(McmapError):
    pass


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
        raise NotImplementedError

    def select(self, sparql: str, *, default_graphs=None, bindings=None) -> Rows:
        result = self.query(sparql, default_graphs=default_graphs, bindings=bindings)
        if not isinstance(result, Rows):
            raise StoreError("expected a SELECT query")
        return result

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction: all of them or none."""
        raise NotImplementedError

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Atomically make `graph` hold exactly `triples`: one update request is one transaction."""
        t = self._term
        body = "\n".join(f"{t(x.subject)} {x.predicate} {t(x.object)} ." for x in triples)
        self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    @staticmethod
    def _term(term) -> str:
        return str(term)

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
    """Embedded Oxigraph: in memory, or persistent in a folder."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        try:
            self.ox = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as e:
            raise StoreError(f"{path}: cannot open the store: {e}") from None

    def query(self, sparql, *, default_graphs=None, bindings=None):
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
            raise StoreError(f"SPARQL syntax error: {e}") from None
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

    def add(self, quads):
        self.ox.extend(quads)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph) if graph else None)

    def close(self):
        # Oxigraph holds the folder's lock until the Store object is freed: drop it here so
        # the same folder can be opened again in this process.
        if getattr(self, "ox", None) is not None:
            if self.path:
                self.ox.flush()
            self.ox = None


def skolemise(term):
    """Blank nodes cannot cross a SPARQL protocol boundary; give them stable IRIs instead."""
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(f"{ns.ID}.well-known/genid/{term.value}")
    return term


class RemoteStore(Store):
    """A SPARQL 1.1 Query/Update endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso...)."""

    def __init__(self, endpoint: str, update_endpoint: str | None = None, timeout: float = 300):
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or _guess_update_endpoint(endpoint)
        self.timeout = timeout

    def _post(self, url: str, body: dict, accept: str) -> bytes:
        data = urllib.parse.urlencode(body, doseq=True).encode()
        req = urllib.request.Request(url, data=data, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url}: HTTP {e.code}: {detail[0] if detail else e.reason}") from None
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {e}") from None

    def query(self, sparql, *, default_graphs=None, bindings=None):
        if bindings:
            values = " ".join(f"?{k}" for k in bindings)
            terms = " ".join(str(skolemise(v)) for v in bindings.values())
            sparql = f"{sparql}\nVALUES ({values}) {{ ({terms}) }}"
        graphs = list(MCMAP_GRAPHS) if default_graphs is None else [str(g.value if isinstance(g, ox.NamedNode) else g) for g in default_graphs]
        body = {"query": sparql, "default-graph-uri": graphs}
        raw = self._post(self.endpoint, body, "application/sparql-results+json, application/n-triples;q=0.9")
        if raw.lstrip().startswith(b"{"):
            result = ox.parse_query_results(raw, ox.QueryResultsFormat.JSON)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            variables = [v.value for v in result.variables]
            return Rows(variables, [tuple(sol[i] for i in range(len(variables))) for sol in result])
        return [q.triple for q in ox.parse(raw, ox.RdfFormat.N_TRIPLES)]

    def update(self, sparql):
        self._post(self.update_endpoint, {"update": sparql}, "*/*")

    def add(self, quads):
        # One INSERT DATA request is one transaction in the SPARQL 1.1 Update model.
        by_graph: dict[str, list[str]] = {}
        for q in quads:
            triple = f"{self._term(q.subject)} {q.predicate} {self._term(q.object)} ."
            by_graph.setdefault(str(q.graph_name), []).append(triple)
        parts = [f"GRAPH {g} {{\n" + "\n".join(ts) + "\n}" for g, ts in by_graph.items()]
        if parts:
            self.update("INSERT DATA {\n" + "\n".join(parts) + "\n}")

    @staticmethod
    def _term(term) -> str:
        return str(skolemise(term))


def _guess_update_endpoint(endpoint: str) -> str:
    # Oxigraph serves /query and /update; Fuseki /ds/query and /ds/update; others take both at one URL.
    if endpoint.rstrip("/").endswith("/query"):
        return endpoint.rstrip("/")[: -len("query")] + "update"
    if endpoint.rstrip("/").endswith("/sparql"):
        return endpoint
    return endpoint


def open_store(store_dir: str | Path | None = None, endpoint: str | None = None) -> Store:
    if store_dir and endpoint:
        raise StoreError("give --store or --endpoint, not both")
    if endpoint:
        return RemoteStore(endpoint)
    return LocalStore(store_dir)
