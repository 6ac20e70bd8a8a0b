"""mcmap as a Python library: the functions `import mcmap` gives, and the CLI calls.

Sources are file paths, or documents in memory as `(filename, bytes)` pairs (the file name's
extension tells the format, as on the command line). A store is a folder path, a `Store`, the
result of `mcmap.load`, or None for an in-memory store used for one call. Errors a user can
fix raise `mcmap.InputError` or `mcmap.UsageError` (both `mcmap.McmapError`) with one line
naming the file and place.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError, UsageError
from .library_results import Loaded, MappingResults, QueryResult, ValidationReport
from .sources import on_disk, renamed_error


def _sources(sources) -> list:
    if sources is None:
        return []
    if isinstance(sources, (str, Path, bytes)) or (isinstance(sources, tuple) and len(sources) == 2
                                                    and isinstance(sources[1], (bytes, bytearray, str))):
        return [sources]
    return list(sources)


@contextmanager
def _open(store=None, endpoint: str | None = None):
    """The store to work in; closed afterwards only if it was opened here."""
    from .store import LocalStore, Store, open_store

    if isinstance(store, Loaded):
        store = store.store
    if isinstance(store, Store):
        yield store
        return
    if store is None and endpoint is None:
        yield LocalStore()
        return
    with open_store(store, endpoint) as opened:
        yield opened


def load(sources, store=None, *, endpoint: str | None = None, input_format: str | None = None,
         replace: bool = False) -> Loaded:
    """Read `sources` into a store in one transaction (all or nothing) and say what was read.

    Without `store` or `endpoint` the data goes into a new in-memory store, returned in the
    result (`result.store`) so that `validate`, `map_credentials` and `query` can use it."""
    from .load import load_files
    from .store import LocalStore, Store

    items = _sources(sources)
    if store is None and endpoint is None:
        target = LocalStore()
        summary = load_files(target, items, input_format, replace=replace)
        return Loaded(summary.files, summary.quads, summary.credentials, target)
    with _open(store, endpoint) as target:
        summary = load_files(target, items, input_format, replace=replace)
    kept = store.store if isinstance(store, Loaded) else store if isinstance(store, Store) else None
    return Loaded(summary.files, summary.quads, summary.credentials, kept)


def validate(sources=(), framework: str | None = None, *, shapes=(), as_of=None,
             input_format: str | None = None, store=None, endpoint: str | None = None,
             keep_report: bool = False, progress=None, listing: bool = False,
             keep_ill_formed: bool = False) -> ValidationReport:
    """Check the credentials in `sources` (and any already in `store`) against `framework`'s
    rules in force on `as_of` (a date or YYYY-MM-DD; default today) and/or SHACL `shapes`
    files. `listing`: the records are public listings or register extracts, so information
    they do not state is reported as a Warning, not a Violation (the default is strict).
    `progress(step)` is called with a few words before each step. `keep_ill_formed` keeps RDF
    literals that are not valid for their datatype for the shapes to judge (SHACL's sh:datatype
    reports them) instead of refusing the file."""
    from .load import load_files
    from .validate import validate as run

    items, shape_items = _sources(sources), _sources(shapes)
    if not framework and not shape_items:
        raise UsageError("give a framework (au, nz, nz-2018, ws, eu) or a SHACL shapes file")
    if not items and store is None and endpoint is None:
        raise UsageError("give credentials to check: files, documents, or a store holding them")
    step = progress or (lambda _text: None)
    with _open(store, endpoint) as target:
        if items:
            step(f"reading {len(items)} file{'s' if len(items) != 1 else ''}")
            load_files(target, items, input_format, count=False, strict=not keep_ill_formed)
            if store is None and endpoint is None:
                # A store of its own holds only what the rules read: without the level
                # mappings (which validation does not read), its rules run over the union of
                # its graphs, which Oxigraph answers faster than a list of graphs.
                from .namespaces import GRAPH_MAPPINGS
                target.clear_graph(GRAPH_MAPPINGS)
        step(f"checking against {framework or 'the given shapes'}")
        with on_disk(shape_items) as (paths, shown):
            try:
                report = run(target, framework, shapes_path=[str(p) for p in paths] or None,
                             as_of=as_of, keep_report=keep_report, listing=listing)
            except InputError as e:
                raise (renamed_error(e, shown[e.source]) if e.source in shown else e) from None
            context = getattr(report, "context", None)
            if context is not None and shown:
                context.shapes_files = [shown.get(f, f) for f in context.shapes_files]
        if context is not None:
            context.conforming_credentials = _listed(target, report)
    return ValidationReport(report)


LISTED = 10_000  # reports list the conforming credentials by name up to this many credentials


def _listed(store, report) -> dict | None:
    """Identifier, title and place of every credential checked (for the reports' list of the
    conforming ones), or None when there are more than LISTED of them."""
    from . import namespaces as ns
    from .validate import REFERENCE_GRAPHS

    if report.context.checked > LISTED:
        return None
    query = ns.sparql_prefixes() + f"""
        SELECT ?c (SAMPLE(?f) AS ?file) (SAMPLE(?r) AS ?row) (SAMPLE(?t) AS ?title) (SAMPLE(?i) AS ?id)
        WHERE {{ ?c a mc:MicroCredential .
                 OPTIONAL {{ ?c mc:sourceFile ?f }} OPTIONAL {{ ?c mc:sourceRow ?r }}
                 OPTIONAL {{ ?c dct:title ?t }} OPTIONAL {{ ?c dct:identifier ?i }} }}
        GROUP BY ?c LIMIT {LISTED + 1}"""
    out = {}
    for c, f, r, t, i in store.select(query, default_graphs=[ns.GRAPH_DATA, *REFERENCE_GRAPHS], split_by="c"):
        out[c] = {"source_file": f.value if f is not None else None,
                             "source_row": int(r.value) if r is not None else None,
                             "title": t.value if t is not None else None,
                             "identifier": i.value if i is not None else None}
    return out if len(out) <= LISTED else None


def map_credentials(sources=(), to=(), *, source: str | None = None, as_of=None, mappings=(),
                    input_format: str | None = None, store=None, endpoint: str | None = None,
                    keep: bool = False) -> MappingResults:
    """What each credential is worth in the jurisdiction(s) `to` (codes such as "nz" or
    ["nz", "ws"]): volume in their unit, level in their framework, eligibility under their
    definition in force on `as_of`, and why.

    Credentials come from `sources`, or (without sources) from `store`. `source` treats every
    credential as from that jurisdiction; `mappings` adds SSSOM level correspondence files;
    `keep` stores the results in the store's mappings graph."""
    from .mapping.crossmap import map_store
    from .store import LocalStore

    codes, extra = _map_args(to, source, mappings)
    items = _sources(sources)
    if not items and store is None and endpoint is None:
        raise UsageError("give credentials to map: files, documents, or a store holding them")
    label = "-".join(Path(getattr(s, "name", s[0] if isinstance(s, tuple) else s)).stem for s in items) or "store"
    if items:
        from .load import load_files

        work = LocalStore()
        load_files(work, items, input_format, count=False)
        results = map_store(work, codes, source=source, as_of=as_of, extra_mappings=extra)
    else:
        with _open(store, endpoint) as held:
            results = map_store(held, codes, source=source, as_of=as_of, extra_mappings=extra)
    if not results:
        raise UsageError("no micro-credentials found in the input")
    out = MappingResults(results, label)
    if keep:
        if store is None and endpoint is None:
            raise UsageError("keep=True needs a store (or endpoint) to keep the results in")
        with _open(store, endpoint) as held:
            _keep(held, out, extra)
    return out


def _map_args(to, source, mappings) -> tuple[list[str], list]:
    """The target codes, and the extra level correspondences read from `mappings`."""
    from . import frameworks
    from .formats.sssom import read_sssom

    targets = [t.strip() for item in ([to] if isinstance(to, str) else to) for t in item.split(",") if t.strip()]
    if not targets:
        raise UsageError("give at least one target jurisdiction (au, nz, ws, ...)")
    codes = [frameworks.jurisdiction(t).code for t in targets]
    if source:
        frameworks.jurisdiction(source)
    extra = []
    with on_disk(_sources(mappings)) as (paths, shown):
        for p in paths:
            try:
                extra.append(read_sssom(p))
            except InputError as e:
                raise (renamed_error(e, shown[e.source]) if e.source in shown else e) from None
    return codes, extra


def map_store_parts(to=(), *, store, source: str | None = None, as_of=None, mappings=(), keep: bool = False):
    """map_credentials for the credentials in a store (a folder or an endpoint), a part of them
    at a time: yields lists of results (CredentialMapping) in file order, so a registry's results
    are written out as they come and never all held. `keep` stores each part's results in the
    store's mappings graph before handing it on (if the run stops, the results kept so far are
    removed again)."""
    from .formats.sssom_store import keeping, store_mapping_sets
    from .load import ensure_reference_data
    from .mapping.crossmap import map_parts
    from .mapping.render import result_triples, to_mapping_set

    codes, extra = _map_args(to, source, mappings)
    with _open(store) as held:
        parts = map_parts(held, codes, source=source, as_of=as_of, extra_mappings=extra)
        first = next(parts, None)
        if first is None:
            raise UsageError("no micro-credentials found in the input")
        parts = itertools.chain([first], parts)
        if not keep:
            yield from parts
            return
        ensure_reference_data(held)
        store_mapping_sets(held, list(extra))
        with keeping(held, [to_mapping_set([], "store")]) as kept:
            for part in parts:
                mset = to_mapping_set(part, "store")
                kept(mset, result_triples(part, mset))
                yield part


def _keep(store, out: MappingResults, extra) -> None:
    from .formats.sssom_store import keep_mapping_sets, store_mapping_sets
    from .load import ensure_reference_data
    from .mapping.render import result_triples

    ensure_reference_data(store)
    store_mapping_sets(store, list(extra))
    keep_mapping_sets(store, [out.mapping_set], result_triples(out.results, out.mapping_set))


def query(sparql: str | None = None, sources=(), *, named: str | None = None, params: dict | None = None,
          store=None, endpoint: str | None = None, input_format: str | None = None) -> QueryResult:
    """Run a SPARQL query (its text, or a query shipped with mcmap by `named`) over `sources`
    (read into memory with the ontology and frameworks) or over a store or endpoint.
    `params` binds variables (name -> value) as RDF terms, never pasted into the query."""
    from . import query as q

    if named:
        nq = q.named_query(named)
        text, where, declared = nq.text, nq.source, nq.params
    elif sparql:
        text, where, declared = sparql, "query", None
    else:
        raise UsageError("give a SPARQL query or a named query (see mcmap query --list)")
    items = _sources(sources)
    if items and (store is not None or endpoint):
        raise UsageError("query files or a store, not both")
    bindings = q.bind_params(text, {k: str(v) for k, v in (params or {}).items()}, declared)
    if items or (store is None and not endpoint):
        from .load import load_files
        from .store import LocalStore

        work = LocalStore()
        load_files(work, items, input_format, count=False)
        return QueryResult(q.run(work, text, source=where, bindings=bindings))
    if isinstance(store, (str, Path)) and not Path(store).is_dir():
        raise UsageError(f"{store}: no such store folder")
    with _open(store, endpoint) as held:
        return QueryResult(q.run(held, text, source=where, bindings=bindings))


def export(sources=(), format: str = "jsonld", *, store=None, output=None, input_format: str | None = None,
           mapped: bool = False, strict: bool = False) -> bytes | None:
    """The credentials in `sources`, or in `store` (a store folder, opened read-only; a `Store`;
    or the result of `mcmap.load`), as `format`: jsonld, ttl, nt, rdfxml, xml (mcmap XML), ob3
    (Open Badges 3.0), elm (EU ELM) or ctdl. Written to `output` (a binary file object) as it
    is made, or returned as bytes. `mapped` adds the level correspondences; `strict` refuses an
    ob3, elm or ctdl document that lacks what the standard requires."""
    from .export import export_files, export_folder, export_store
    from .store import Store

    items = _sources(sources)
    if items and store is not None:
        raise UsageError("export sources or a store, not both")
    if isinstance(store, Loaded):
        store = store.store
    if isinstance(store, Store):
        return export_store(store, format, mapped=mapped, strict=strict, out=output)
    if store is not None:
        return export_folder(store, format, mapped=mapped, strict=strict, out=output)
    if not items:
        raise UsageError("give sources to export, or a store holding loaded credentials")
    return export_files(items, format, fmt=input_format, mapped=mapped, strict=strict, out=output)


def stack(sources=(), toward: str = "", *, input_format: str | None = None, store=None,
          endpoint: str | None = None):
    """How far the micro-credentials in `sources` (or, without sources, in `store`) take a learner
    toward the qualification `toward` (its code, e.g. "BSB20120"): which count and why, what
    remains, what is uncertain. Qualifications come from mcmap's reference data or from Turtle
    among `sources`. The result's `to_dict()` and `render("text"|"json"|"html")` give what the CLI
    prints."""
    from .load import load_files
    from .mapping.stack import stack as run
    from .store import LocalStore

    if not toward:
        raise UsageError("give the qualification to stack toward (e.g. toward=\"BSB20120\")")
    items = _sources(sources)
    if items:
        work = LocalStore()
        load_files(work, items, input_format, count=False)
        return run(work, toward)
    if store is None and endpoint is None:
        raise UsageError("give micro-credentials to stack: files, documents, or a store holding them")
    with _open(store, endpoint) as held:
        return run(held, toward)
