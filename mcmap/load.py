"""Loading files into a store: every file goes through one Load (mcmap.staging), so a bad file,
found wherever in the input it is, leaves the store exactly as it was.

Turtle, N-Triples and RDF/XML are parsed by Oxigraph straight into the store; N-Quads, TriG and
JSON-LD (and every RDF file of a load of several files) into a private store first, checked
there, then moved in; other readers' text or quads are written in chunks as they are read. No
step holds every quad as Python objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .duplicates import Seen
from .errors import InputError
from .formats import open_file
from .formats.nquads import QuadText
from .formats.provenance import SOURCE_FILE, first_line_with, source_quads
from .rdf_source import RdfSource
from .store import Store
from .user_data import framework_statements, new_framework_facts, refusal, user_quads

_CREDENTIALS = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{ns.MC}MicroCredential> }}"
# Credentials of the file just parsed: those not yet given a source file by an earlier one.
# MINUS, not FILTER NOT EXISTS: Oxigraph answers it with one pass over each pattern rather than
# one lookup per credential (a million credentials just bulk-loaded: 1.3 s against 8.1 s).
_UNSOURCED = (f"SELECT DISTINCT ?c WHERE {{ ?c a <{ns.MC}MicroCredential> "
              f"MINUS {{ ?c <{ns.MC}sourceFile> ?f }} }}")


@dataclass
class LoadSummary:
    files: int
    quads: int
    credentials: int


def load_files(store: Store, paths: list, fmt: str | None = None, *,
               replace: bool = False, count: bool = True, strict: bool = True) -> LoadSummary | None:
    """Read `paths` (file paths, or in-memory `(name, bytes)` documents) and add them to the
    store's data graph (or replace it, with `replace`). Returns what was loaded (with `count`:
    a pass over the loaded data that callers that do not show it skip). Not `strict`: RDF
    literals ill-formed for their datatype are kept for the shapes to judge, as SHACL does."""
    from .sources import on_disk, renamed_error

    ensure_reference_data(store)
    summary = None
    with on_disk(paths) as (on_disk_paths, shown):
        try:
            with store.loading(replace=[ns.GRAPH_DATA, ns.GRAPH_WRITTEN] if replace else []) as load:
                parsed = []
                seen = Seen(len(on_disk_paths))
                for path in on_disk_paths:
                    if add_file(load, path, fmt, shown=shown.get(str(path)), strict=strict, seen=seen):
                        parsed.append(path)
                load.merge()
                if parsed and strict:
                    _check_literals(load, parsed)
                if parsed:
                    _check_framework_terms(load, ns.GRAPH_DATA, parsed)
                if count:
                    credentials = int(next(iter(load.select(_CREDENTIALS, ns.GRAPH_DATA)))[0].value)
                    summary = LoadSummary(len(on_disk_paths), load.count(ns.GRAPH_DATA), credentials)
        except InputError as e:
            raise (renamed_error(e, shown[e.source]) if e.source in shown else e) from None
    return summary


def add_file(load, path: Path, fmt: str | None = None, *, shown: str | None = None,
             strict: bool = True, seen=None) -> bool:
    """One file into `load` (an InputError naming the file if it cannot be read); True if
    Oxigraph parsed it into the store, so its literals are still to be checked. `seen` (a
    duplicates.Seen) stops a load whose files define one credential twice."""
    got = open_file(path, fmt)
    name = shown or str(path)
    try:
        if isinstance(got, QuadText):
            got.name = name
            if seen is not None and seen.active:
                got.credentials = {}
            load.add_text(got.chunks())
            if seen is not None:
                seen.note(got.credentials or {}, path, name)
            return False
        if not isinstance(got, RdfSource):
            quads = user_quads(_renamed(got, str(path), shown) if shown else got, name)
            load.add(seen.watch(quads, path, name) if seen is not None else quads)
            return False
        from .formats import rdf

        # A document naming a datatype the store retypes is staged too: its stage holds the
        # records of those literals as written (mcmap.written).
        staged = got.format in rdf.QUAD_FORMATS or (seen is not None and seen.active) or rdf.names_retyped(got)
        try:
            if staged:
                # Formats that name graphs, and every RDF file of a load of several files (whose
                # own credentials are then asked of its stage): checked before they reach the load.
                stage = rdf.staged(got)
                rdf.check_staged(path, got, stage, strict)
                _check_framework_terms(rdf.StageView(stage), None, [path])
                if seen is not None:
                    seen.staged(rdf.staged_credentials(stage), path, name)
                load.add_store(stage)
                del stage
            else:
                if rdf.first_quad(got) is None:
                    raise InputError(str(path), f"contains no {got.format.name} triples")
                load.add_rdf(got)
        except (SyntaxError, ValueError, OSError) as e:
            raise rdf.syntax_error(path, got, e) from None
    except RecursionError:
        raise InputError(str(path), "nested too deeply to read (hundreds of levels of lists or "
                         "objects); no credential needs that") from None
    except MemoryError:  # e.g. Oxigraph's parser refuses a token over 16 MiB this way
        raise InputError(str(path), "too large to read: a single value or token runs to many "
                         "megabytes") from None
    found = [row[0] for row in load.select(_UNSOURCED, got.graph, split_by="c")]
    load.add(q for c in found for q in source_quads(c, name))
    return not staged


def _check_literals(load, paths: list[Path]) -> None:
    """The strict value reader over what Oxigraph parsed: each distinct typed literal once."""
    from .formats.rdf import literal_error, literal_problems

    bad = literal_problems(load, ns.GRAPH_DATA)
    if bad is None:
        return
    quad, problem = bad
    for path in paths:  # the file that holds it, for the error's place
        if first_line_with(path, quad.object.value) is not None:
            raise literal_error(path, quad, problem)
    raise literal_error(paths[0], quad, problem)


def _check_framework_terms(load, graph: str | None, paths: list[Path]) -> None:
    """RDF files Oxigraph parsed into `load` (or a stage) describe no framework term (one pass)."""
    found = new_framework_facts(framework_statements(load, graph))
    if not found:
        return
    for path in paths:  # the file that holds it, for the error's place
        line = first_line_with(path, found[0])
        if line is None:  # written with a prefix: look for its last two segments
            line = first_line_with(path, found[0].rsplit("/", 2)[-2] + "/" + found[0].rsplit("/", 1)[-1])
        if line is not None:
            raise InputError(str(path), refusal(found), line=line)
    raise InputError(str(paths[0]), refusal(found))


def _renamed(quads, temporary: str, shown: str):
    """A document read from a temporary file names itself as the caller called it."""
    for q in quads:
        if q.predicate == SOURCE_FILE and q.object.value == temporary:
            q = ox.Quad(q.subject, q.predicate, ox.Literal(shown), q.graph_name)
        yield q


def add_quads(store: Store, quads, *, files: int, replace: bool = False) -> LoadSummary:
    """Add quads a reader made to the store's data graph (or replace it), all or nothing."""
    ensure_reference_data(store)
    with store.loading(replace=[ns.GRAPH_DATA, ns.GRAPH_WRITTEN] if replace else []) as load:
        load.add(quads)
        credentials = int(next(iter(load.select(_CREDENTIALS, ns.GRAPH_DATA)))[0].value)
        return LoadSummary(files=files, quads=load.quads, credentials=credentials)


def store_with_files(paths: list[str | Path], fmt: str | None = None, *, store: Store | None = None) -> Store:
    """An in-memory store (or `store`) holding the ontology and the given files: what one-shot
    commands such as `mcmap query FILE...` and `mcmap validate FILE...` work on."""
    from .store import LocalStore

    store = store or LocalStore()
    if paths:
        load_files(store, paths, fmt, count=False)
    else:
        ensure_reference_data(store)
    return store


def ensure_reference_data(store: Store) -> None:
    """The shipped ontology and level correspondences, so queries over a store can use them."""
    from .formats.sssom_store import load_mappings
    from .ontology import ensure_ontology

    ensure_ontology(store)
    # Reloading replaces only the shipped sets (a few ms) and keeps them current when the
    # mapping files change without the ontology changing.
    load_mappings(store)


from ._callable import make_callable  # noqa: E402  (last: the module is complete)

make_callable(__name__)
