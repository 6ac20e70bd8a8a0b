"""Validate credentials against a framework's rule set: the library behind `mcmap validate`.

A framework's rules are data: `shapes/<name>.ttl`, plus `shapes/<name>-*.ttl` for its earlier
regimes (nz-2018.ttl for nz), plus `shapes/core.ttl`. Every shape states the dates it is in
force, so one run judges a submission by the rules of one day (`as_of`, default today).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from . import namespaces as ns
from .errors import InputError, UsageError
from .resources import data_dir

MC_RULE_ID = URIRef(ns.MC + "ruleId")
MC_CITATION = URIRef(ns.MC + "citation")
MC_EVIDENCE = URIRef(ns.MC + "evidenceStatus")
MC_FROM = URIRef(ns.MC + "inForceFrom")
MC_UNTIL = URIRef(ns.MC + "inForceUntil")
DCT_SOURCE = URIRef(ns.DCT + "source")
SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)
# Shape files that are not a framework's rule set: checked with every framework, or by `mcmap map`.
NOT_FRAMEWORKS = {"core", "mapping"}


@dataclass
class Context:
    """What a report was judged by, and what it covered: the renderers' summary."""
    framework: str | None
    as_of: dt.date
    shapes_files: list[str]
    checked: int = 0
    credentials: dict = field(default_factory=dict)  # focus node -> {"title", "source_file", ...}

    listing: bool = False      # missing information was reported at a lower severity
    totals: dict | None = None  # the counts, where they were made as the findings went to disk

    def counts(self, results) -> dict:
        if self.totals is not None:
            return dict(self.totals)
        by_severity = {"violations": 0, "warnings": 0, "infos": 0}
        failing, breaking = set(), set()
        not_stated = 0
        keys = {SH.Violation: "violations", SH.Warning: "warnings"}
        violation = SH.Violation
        for r in results:
            by_severity[keys.get(r.severity, "infos")] += 1
            missing = r.stated is False
            not_stated += missing
            if r.severity == violation:
                failing.add(r.focus_node)
                if not missing:
                    breaking.add(r.focus_node)
        checked = max(self.checked, len({r.focus_node for r in results}))
        # A credential is "incomplete" when everything it fails on is information it does not
        # state; it "breaks a rule" when a value it states contradicts one.
        return {"credentials_checked": checked, "conforming": checked - len(failing),
                "incomplete": len(failing - breaking), "breaking_rules": len(breaking),
                **by_severity, "not_stated": not_stated}


# ---------------------------------------------------------------- shapes

# what rules read besides the credentials: the frameworks and the shipped reference data
REFERENCE_GRAPHS = (ns.GRAPH_ONTOLOGY, ns.GRAPH_REFERENCE)

def frameworks() -> list[str]:
    """Names accepted by --framework: one per shipped rule set."""
    return sorted(p.stem for p in data_dir("shapes").glob("*.ttl") if p.stem not in NOT_FRAMEWORKS)


def framework_files(framework: str) -> list[Path]:
    """core.ttl, the framework's file and its earlier regimes (nz -> nz.ttl and nz-2018.ttl)."""
    root = data_dir("shapes")
    main = root / f"{framework}.ttl"
    if framework in NOT_FRAMEWORKS or not main.is_file():
        raise UsageError(f"unknown framework '{framework}' (known: {', '.join(frameworks())})")
    regimes = sorted(p for p in root.glob(f"{framework}-*.ttl"))
    return [root / "core.ttl", main, *regimes]


def parse_shapes(path: str | Path) -> Graph:
    """A SHACL file as an rdflib graph, or an InputError naming the file and the parser's line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such shapes file")
    return _parse_cached(str(path.resolve()), path.stat().st_mtime_ns, str(path))


@lru_cache(maxsize=32)
def _parse_cached(resolved: str, _mtime: int, shown: str) -> Graph:
    g = Graph()
    fmt = "json-ld" if resolved.endswith((".jsonld", ".json")) else \
        "xml" if resolved.endswith((".rdf", ".xml", ".owl")) else "turtle"
    import rdflib

    # Shapes keep their literals as written: SHACL reads sh:uniqueLang "1"^^xsd:boolean as not
    # true, where rdflib would otherwise rewrite it to "true".
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        g.parse(resolved, format=fmt)
    except Exception as e:  # rdflib raises many kinds; all mean "not a readable shapes file"
        text = str(e)
        m = re.search(r"line (\d+)", text)
        reason = re.search(r"Bad syntax \((.*?)\) at \^", text)
        detail = reason.group(1) if reason else re.sub(r"^at line \d+ of <[^>]*>:\s*", "", " ".join(text.split()))
        raise InputError(shown, f"not valid {'Turtle' if fmt == 'turtle' else fmt}: {detail[:200]}",
                         line=int(m.group(1)) if m else None) from None
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    if not any(any(g.subjects(RDF.type, t)) for t in SHAPE_TYPES) and not any(g.subjects(SH.targetClass, None)) \
            and not any(g.subjects(SH.path, None)):
        raise InputError(shown, "contains no SHACL shapes (no sh:NodeShape, sh:PropertyShape or sh:path)")
    return g


def load_shapes(framework: str | None = None, shapes_path=None) -> tuple[Graph, list[str]]:
    """One shapes graph: the framework's files and/or the user's own file(s)."""
    if framework is None and not shapes_path:
        raise UsageError("give --framework or --shapes")
    files: list[Path] = framework_files(framework) if framework else []
    extra = [shapes_path] if isinstance(shapes_path, (str, Path)) else list(shapes_path or [])
    graph = Graph()
    for f in [*files, *map(Path, extra)]:
        for triple in parse_shapes(f):
            graph.add(triple)
    return graph, [f"shapes/{f.name}" for f in files] + [str(f) for f in extra]


def _date(value) -> dt.date | None:
    if value is None:
        return None
    v = value.toPython() if isinstance(value, Literal) else value
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return None


def parse_date(text: str | dt.date | None) -> dt.date | None:
    if text is None or isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: '{text}' is not a date (expected YYYY-MM-DD)") from None


def in_force(shapes: Graph, shape, on: dt.date) -> bool:
    start, end = _date(shapes.value(shape, MC_FROM)), _date(shapes.value(shape, MC_UNTIL))
    return (start is None or start <= on) and (end is None or on < end)


def default_as_of(shapes: Graph, framework: str | None, today: dt.date) -> dt.date:
    """Today, unless the framework named is a past regime (nz-2018): then its last day in force."""
    if not framework:
        return today
    main = data_dir("shapes") / f"{framework}.ttl"
    own = parse_shapes(main)
    shapes_of_file = [s for s in own.subjects(MC_RULE_ID, None)
                      if (s, RDF.type, URIRef(ns.MC + "UncheckedRule")) not in own]
    untils = [_date(own.value(s, MC_UNTIL)) for s in shapes_of_file]
    if shapes_of_file and all(u is not None and u <= today for u in untils):
        return max(untils) - dt.timedelta(days=1)
    return today


def apply_dates(shapes: Graph, on: dt.date) -> list:
    """Deactivate (sh:deactivated, standard SHACL) every shape not in force on `on`."""
    dropped = []
    for shape in set(shapes.subjects(MC_FROM, None)) | set(shapes.subjects(MC_UNTIL, None)):
        if not in_force(shapes, shape, on):
            shapes.set((shape, SH.deactivated, Literal(True)))
            dropped.append(shape)
    return dropped


# ---------------------------------------------------------------- rule metadata

def rule_info(shapes: Graph, shape) -> dict:
    """Rule id, citation, source and evidence status of a shape, or of the shape that holds it."""
    candidates = [shape, *shapes.subjects(SH.property, shape), *shapes.subjects(SH.node, shape)]
    for s in candidates:
        rid = shapes.value(s, MC_RULE_ID)
        if rid is not None:
            status = shapes.value(s, MC_EVIDENCE)
            return {
                "rule_id": str(rid),
                "citation": _str(shapes.value(s, MC_CITATION)),
                "source": _str(shapes.value(s, DCT_SOURCE)),
                "evidence_status": evidence_status(status),
                "in_force_from": _iso(shapes.value(s, MC_FROM)),
                "in_force_until": _iso(shapes.value(s, MC_UNTIL)),
            }
    return {"rule_id": None, "citation": None, "source": None, "evidence_status": None,
            "in_force_from": None, "in_force_until": None}


# How each mc:evidenceStatus is written in rules, reports and comparisons.
STATUS_WORDS = {"Confirmed": "confirmed", "Secondary": "secondary", "Unverified": "unverified",
                "McmapDataRule": "mcmap data rule"}


def evidence_status(term) -> str | None:
    """'confirmed', 'secondary', 'unverified' or 'mcmap data rule' (mcmap's own check, not law)."""
    if term is None:
        return None
    local = str(term).split("#")[-1]
    return STATUS_WORDS.get(local, local.lower())


def _str(term) -> str | None:
    return None if term is None else str(term)


def _iso(term) -> str | None:
    d = _date(term)
    return d.isoformat() if d else None


# ---------------------------------------------------------------- running

def validate(store, framework: str | None = None, *, shapes_path=None, as_of=None,
             data_graphs=None, keep_report: bool = False, listing: bool = False):
    """Judge the credentials in `store` by `framework`'s rules as they stood on `as_of`.

    Returns the engine's Report; each Result carries its rule's details (`rule`: rule_id,
    citation, source, evidence_status, shared by the results of a rule), its credential's
    (`credential`: source_file, source_row/source_line, title, identifier, shared by the
    credential's results) and `stated` (False when the rule is about information the credential
    does not state); `details` gives them as one dict. `report.context` (a Context) says what
    was checked, for the summary. Results come grouped by credential, in file and row order.

    `listing`: the records are public listings or register extracts, which show only part of
    what a submission holds: a Violation about information not stated is reported as a Warning
    (details["lowered_from"] says so). The default judges a submission, strictly.
    """
    from . import shacl
    from .ontology import ensure_ontology
    from .result_details import credentials, finish, ordered
    from .spilled_report import Spill, spilled

    shapes, files = load_shapes(framework, shapes_path)
    when = parse_date(as_of) or default_as_of(shapes, framework, dt.date.today())
    apply_dates(shapes, when)
    if framework:
        _check_some_rule_in_force(shapes, framework, when)
    ensure_ontology(store)
    graphs = list(data_graphs) if data_graphs else [ns.GRAPH_DATA, *REFERENCE_GRAPHS]
    rules: dict = {}  # worked out once per shape, shared by its results

    def rule_of(shape):
        rule = rules.get(shape)
        if rule is None:
            rule = rules[shape] = rule_info(shapes, shape)
        return rule

    spill = Spill()
    try:
        report = shacl.run(store, shapes, data_graphs=graphs, spill=spill)
        totals = None
        if spill.chunks:
            # more findings than one chunk: they wait on disk, sorted in runs, and are merged
            # back in the report's order as it is written (see mcmap.spilled_report)
            spill(report.results)
            report.results, totals = spilled(store, graphs, report, spill, rule_of, listing)
            creds: dict = {}
            report.conforms = totals["violations"] == 0 if listing else False
        else:
            spill.close()
            creds = credentials(store, graphs, {r.focus_node for r in report.results})
            finish(store, graphs, report.results, creds, rule_of, listing)
            if listing:
                report.conforms = not any(r.severity == SH.Violation for r in report.results)
            report.results = ordered(report.results)
        report.context = Context(framework, when, files, checked=report.focus_count, credentials=creds,
                                 listing=listing, totals=totals)
        if keep_report:
            from .shacl.render_rdf import store_report

            store_report(store, report)
    except BaseException:
        spill.close()
        raise
    return report


def _check_some_rule_in_force(shapes: Graph, framework: str, when: dt.date) -> None:
    """A date on which none of the framework's rules applied gets no report: "conforming"
    would claim a judgement that was never made."""
    core = set(parse_shapes(data_dir("shapes") / "core.ttl").subjects(MC_RULE_ID, None))
    own = [s for s in shapes.subjects(MC_RULE_ID, None)
           if s not in core and (s, RDF.type, URIRef(ns.MC + "UncheckedRule")) not in shapes]
    if not own or any(in_force(shapes, s, when) for s in own):
        return
    starts = [d for d in (_date(shapes.value(s, MC_FROM)) for s in own) if d]
    ends = [d for d in (_date(shapes.value(s, MC_UNTIL)) for s in own) if d]
    if starts and when < min(starts):
        span = f"its earliest rule came into force on {min(starts).isoformat()}"
    elif ends and all(_date(shapes.value(s, MC_UNTIL)) for s in own) and when >= max(ends):
        span = f"its rules ceased to apply on {max(ends).isoformat()}"
    else:
        span = "see mcmap rules " + framework
    raise UsageError(f"--as-of {when.isoformat()}: no rule of framework {framework} was in force on that "
                     f"date ({span}), so there is nothing to judge the credentials by")


def validate_files(paths, framework: str | None = None, *, fmt: str | None = None, store=None, **kwargs):
    """Read files (format from the extension, or `fmt`) into a store and validate them.

    Without `store`, an in-memory store is used for this one run."""
    from .load import store_with_files

    return validate(store_with_files(list(paths), fmt, store=store), framework, **kwargs)


def has_violations(report) -> bool:
    return any(r.severity == SH.Violation for r in report.results)


from ._callable import make_callable  # noqa: E402  (last: the module is complete)

make_callable(__name__)
