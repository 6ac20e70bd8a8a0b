"""`mcmap map` results as a table for people, or JSON, CSV, SSSOM TSV and Turtle for systems."""
from __future__ import annotations

import csv
import io
from decimal import ROUND_FLOOR

from .. import namespaces as ns
from .crossmap import CredentialMapping, TargetResult, level_text
from .levels import level_label, short
from .records import global_iri
from .volume import lexical


def _eligible_word(t: TargetResult) -> str:
    return t.outcome


def _fails(t: TargetResult) -> list:
    return [f for f in t.failures if f.stated]


def _needs(t: TargetResult) -> list:
    return [f for f in t.failures if not f.stated]


def _why(t: TargetResult) -> str:
    parts = [f"{f.rule_id}: {f.message}" for f in _fails(t)]
    parts += [f"{f.rule_id} (not stated): {f.message}" for f in _needs(t)]
    return "; ".join(parts + t.notes)


def _line(f) -> str:
    cite = f" [{f.citation}]" if f.citation and f.citation not in f.message else ""
    return f"    {f.rule_id}: {f.message}{cite}"


def as_dicts(results: list[CredentialMapping]) -> list[dict]:
    return [as_dict(cm) for cm in results]


def as_dict(cm: CredentialMapping) -> dict:
    c = cm.credential
    return {
        "credential": c.iri, "id": c.identifier, "title": c.title, "source": c.where,
        "from": cm.source, "level": level_label(c.level) if c.level else None,
        "hours": str(cm.hours) if cm.hours is not None else None, "hours_basis": cm.hours_basis,
        "targets": [{
            "jurisdiction": t.jurisdiction, "framework": t.framework, "definition": t.definition,
            "rule_set": t.rule_set,
            "volume": None if t.volume is None else {
                "amount": str(t.volume.amount), "low": t.volume.amount.low_text,
                "high": t.volume.amount.high_text, "exact_low": str(t.volume.amount.low),
                "exact_high": str(t.volume.amount.high), "rounded": t.volume.rounded, "unit": t.volume.unit,
                "explanation": t.volume.explanation},
            "level": None if t.level is None else {
                "level": t.level.target, "label": level_text(t), "chain": t.level.chain,
                "match": short(t.level.predicate) if t.level.predicate else None,
                "confidence": t.level.confidence, "explanation": t.level.explain()},
            "eligible": t.eligible,
            "meets_definition": t.verdict.meets_definition if t.verdict else None,
            "outcome": t.outcome,
            "failures": [f.as_dict() for f in t.failures],
            "warnings": [f.as_dict() for f in (t.verdict.warnings if t.verdict else [])],
            "notes": t.notes,
        } for t in cm.targets]}


def to_json(results) -> str:
    return "".join(json_chunks(results))


def json_chunks(results):
    """The JSON document (a list, indented by two) a credential at a time, so a registry's
    results are never one string in memory."""
    import orjson  # the standard library's encoder is pure Python once it indents

    i = -1
    for i, cm in enumerate(results):  # any iterable: a store's results come a part at a time
        text = orjson.dumps(as_dict(cm), option=orjson.OPT_INDENT_2).decode("utf-8")
        yield ("[\n  " if i == 0 else ",\n  ") + text.replace("\n", "\n  ")
    yield "[]\n" if i < 0 else "\n]\n"


CSV_COLUMNS = ["id", "title", "from", "to", "volume", "unit", "volume_explanation", "level", "chain",
               "match", "confidence", "eligible", "failed_rules", "not_stated", "why"]


def to_csv(results) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows(results))
    return buf.getvalue()


def csv_rows(results) -> list[dict]:
    """One flat dict per credential and target, with the CSV's columns."""
    rows = []
    for cm in results:
        for t in cm.targets:
            rows.append(dict(zip(CSV_COLUMNS, [cm.credential.identifier, cm.credential.title, cm.source, t.jurisdiction,
                        str(t.volume.amount) if t.volume else "", t.volume.unit if t.volume else "",
                        t.volume.explanation if t.volume else cm.hours_basis, level_text(t),
                        t.level.chain if t.level else "",
                        short(t.level.predicate) if t.level and t.level.predicate else "",
                        f"{t.level.confidence:.3g}" if t.level else "", _eligible_word(t),
                        " ".join(f.rule_id for f in _fails(t)), " ".join(f.rule_id for f in _needs(t)),
                        _why(t)])))
    return rows


FINDING_COLUMNS = ["id", "title", "from", "to", "severity", "rule", "stated", "message", "citation"]


def to_xlsx(results) -> bytes:
    """The CSV's rows on sheet 'Mappings', and every rule a credential would fail or is
    warned about, one per row, on sheet 'Findings'."""
    from ..formats.xlsx import workbook

    findings = []
    for cm in results:
        for t in cm.targets:
            for f in list(t.failures) + list(t.verdict.warnings if t.verdict else []):
                findings.append([cm.credential.identifier, cm.credential.title, cm.source, t.jurisdiction,
                                 f.severity, f.rule_id, "yes" if f.stated else "no (not stated)",
                                 f.message, f.citation])
    rows = [[row[c] for c in CSV_COLUMNS] for row in csv_rows(results)]
    return workbook([("Mappings", CSV_COLUMNS, rows), ("Findings", FINDING_COLUMNS, findings)])

def to_table(results, width: int | None = None) -> str:
    """A compact table (one row per credential and target) folded to `width` columns, then a
    block per credential saying why, in words. `width=None` folds nothing (one line per row)."""
    from ..words import plural

    rows = [(cm.credential.identifier if i == 0 else "", t.jurisdiction,
             str(t.volume) if t.volume else "-", level_text(t),
             f"{t.level.confidence:.2f}" if t.level and t.level.target else "-", _eligible_word(t))
            for cm in results for i, t in enumerate(cm.targets)]
    lines = _columns(("credential", "to", "volume", "level", "conf.", "eligible"), rows, width,
                     fold=(0, 2, 3), right=(4,))
    lines.append(f"{plural(len(results), 'credential')}, {plural(len(rows), 'result')}")
    lines += ["", "Why:"]
    for cm in results:
        lines += [""] + [folded for text, indent in _why_block(cm) for folded in _fold(text, indent, width)]
    return "\n".join(lines) + "\n"


def _columns(header, rows, width: int | None, fold=(), right=()) -> list[str]:
    """Rows laid out in columns two spaces apart, trailing spaces cut. Where the natural widths
    exceed `width`, the `fold` columns are narrowed (the widest first) and their cells wrapped
    onto further lines. Plain string work: a table of 100,000 rows takes a second, where a
    general layout engine (rich) took minutes."""
    from rich.cells import cell_len

    def size(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    widths = [size(h) for h in header]
    for row in rows:
        for i, c in enumerate(row):
            n = size(c)
            if n > widths[i]:
                widths[i] = n
    gaps = 2 * (len(header) - 1)
    if width is not None and sum(widths) + gaps > width:
        room = width - gaps - sum(w for i, w in enumerate(widths) if i not in fold)
        # the largest cap on the fold columns' widths that fits the room; no column narrower
        # than its heading (a terminal too narrow even for that gets longer lines)
        least = {i: size(header[i]) for i in fold}

        def narrowed(cap: int) -> dict:
            return {i: max(least[i], min(widths[i], cap)) for i in fold}

        cap = max(widths[i] for i in fold)
        while cap > 1 and sum(narrowed(cap).values()) > room:
            cap -= 1
        for i, w in narrowed(cap).items():
            widths[i] = w

    def pad(text: str, i: int) -> str:
        gap = widths[i] - size(text)
        return " " * gap + text if i in right else text + " " * gap

    def lay(row) -> list[str]:
        cells = [_wrap(c, widths[i]) if i in fold and size(c) > widths[i] else [c] for i, c in enumerate(row)]
        height = max(len(c) for c in cells)
        return ["  ".join(pad(c[k] if k < len(c) else "", i) for i, c in enumerate(cells)).rstrip()
                for k in range(height)]

    return [line for row in (header, *rows) for line in lay(row)]


def _wrap(text: str, width: int) -> list[str]:
    """A cell over several lines: broken at spaces, a word longer than the column cut."""
    import textwrap

    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]


def _fold(text: str, indent: int, width: int | None) -> list[str]:
    import textwrap

    lead = " " * indent
    if width is None:
        return [lead + text]
    return textwrap.wrap(text, width=max(width, indent + 20), initial_indent=lead,
                         subsequent_indent=lead + "  ", break_on_hyphens=False) or [lead]


def _why_block(cm) -> list[tuple[str, int]]:
    """(text, indent) lines: the credential, then per target its volume, level and verdict."""
    c = cm.credential
    out = [(f"{c.identifier}  {c.title}  (from {cm.source}{', ' + c.where if c.where else ''})", 0)]
    for t in cm.targets:
        out.append((f"in {t.jurisdiction} ({t.definition or 'no definition in force'}): "
                    f"{_outcome_words(t)}", 2))
        out.append((f"volume: {t.volume.explanation if t.volume else cm.hours_basis}", 4))
        if t.level is None:
            out.append(("level: not stated", 4))
        elif t.level.steps or t.level.target:
            out.append((f"level: {t.level.explain()}", 4))
        else:
            out.append((f"level: {level_text(t)}", 4))
        if _fails(t):
            out.append(("fails:", 4))
            out += [(_line(f).strip(), 6) for f in _fails(t)]
        if _needs(t):
            out.append(("not stated (the provider would have to add):", 4))
            out += [(_line(f).strip(), 6) for f in _needs(t)]
        warnings = t.verdict.warnings if t.verdict else []
        if warnings:
            out.append(("warnings (do not block):", 4))
            out += [(_line(f).strip(), 6) for f in warnings]
        out += [(f"note: {n}", 4) for n in t.notes]
    return out


def _outcome_words(t: TargetResult) -> str:
    return {"yes": "eligible", "no": "not eligible", "needs info": "eligible on what it states, "
            "but information is missing", "depends": "depends on where in its volume range it falls",
            "unknown": "eligibility not checked"}.get(t.outcome, t.outcome)


def to_mapping_set(results, source_label: str = "input"):
    """One SSSOM row per credential and target: credential -> target level (or no level)."""
    from ..formats.sssom import Mapping, MappingSet, compress

    curie_map = {"mcagent": ns.ID + "agent/", "mcfw": ns.ID + "framework/",
                 "mccred": ns.DATA + "credential/", "skos": ns.SKOS,
                 **{fw: ns.ID + f"level/{fw}/" for fw in ("aqf", "nzqcf", "sqf", "pqf", "eqf")}}

    # one row per credential and target, made when read (see _Rows)
    def row(cm, t):
        found = t.level is not None and t.level.target is not None
        volume = f"volume {t.volume} ({t.volume.explanation})" if t.volume else f"volume: {cm.hours_basis}"
        verdict = {"yes": f"eligible under {t.definition}",
                   "yes, level uncertain": f"eligible under {t.definition}, but its level there is uncertain",
                   "no": f"not eligible under {t.definition}: {_why(t)}",
                   "needs info": f"meets {t.definition} on what it states, but lacks: {_why(t)}",
                   "depends": f"eligibility under {t.definition} depends on where in its volume range it falls: {_why(t)}",
                   "unknown": "eligibility unknown"}[t.outcome]
        chain = f"level {t.level.explain()}" if t.level else "level not stated"
        return Mapping(cells={
            "subject_id": compress(global_iri(cm.credential.iri), curie_map), "subject_label": cm.credential.title,
            "predicate_id": compress(t.level.predicate if found else ns.SKOS + "closeMatch", curie_map),
            "object_id": compress(t.level.target, curie_map) if found else "sssom:NoTermFound",
            "object_label": level_text(t),
            "object_source": compress(ns.framework_iri(t.framework), curie_map),
            "mapping_justification": "semapv:CompositeMatching",
            "confidence": round(t.level.confidence, 4) if found else (1.0 if t.level else 0.0),
            "creator_id": ["mcagent:mcmap"],
            "see_also": sorted({u for s in (t.level.steps if t.level else []) for u in s.see_also}
                               | set(t.sources)),
            "comment": f"{cm.source} -> {t.jurisdiction}: {volume}; {chain}; {verdict}" + (
                "; " + "; ".join(t.notes) if t.notes else "")})
    meta = {
        "mapping_set_id": f"https://w3id.org/mcmap/map/{source_label}",
        "mapping_set_title": "Credentials restated in other jurisdictions' terms (mcmap map)",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "creator_id": ["mcagent:mcmap"],
        "curie_map": {k: v for k, v in curie_map.items() if k != "skos"},
    }
    return MappingSet(metadata=meta, mappings=_Rows(results, row), columns=[
        "subject_id", "subject_label", "predicate_id", "object_id", "object_label", "object_source",
        "mapping_justification", "confidence", "creator_id", "see_also", "comment"])


class _Rows:
    """A mapping set's rows, made each time they are read: a registry's rows (about 1.5 KiB
    each) are written to a file or a store one at a time, never all held."""

    def __init__(self, results, row):
        self.results, self.row = results, row

    def __len__(self) -> int:
        return sum(len(cm.targets) for cm in self.results)

    def __iter__(self):
        return (self.row(cm, t) for cm in self.results for t in cm.targets)


def result_triples(results, mset):
    """Facts of each result row beyond SSSOM, on the row's node, so SPARQL can ask "which AU
    credentials would be listable in NZ, at what credit value and level?": the target
    jurisdiction, converted credits and hours, the target level, the outcome and failed rules."""
    import pyoxigraph as ox

    from ..formats.sssom import mapping_iri

    mc = ns.MC
    dec = ox.NamedNode(ns.XSD + "decimal")
    pairs = ((cm, t) for cm in results for t in cm.targets)
    set_id = mset.metadata["mapping_set_id"]
    for (cm, t), row in zip(pairs, mset.mappings):
        node = ox.NamedNode(mapping_iri(set_id, row, mset))
        out = []

        def add(p, o):
            out.append(ox.Triple(node, ox.NamedNode(mc + p), o))

        add("jurisdiction", ox.NamedNode(ns.jurisdiction_iri(t.jurisdiction)))
        add("eligibility", ox.Literal(t.outcome))
        if t.level and t.level.target:
            add("level", ox.NamedNode(t.level.target))
        if cm.hours is not None:
            add("volumeOfLearningHours", ox.Literal(lexical(cm.hours.low), datatype=dec))
        if t.volume is not None and t.volume.unit != "h":
            add("creditValue", ox.Literal(lexical(t.volume.amount.low, ROUND_FLOOR), datatype=dec))
            add("creditSystem", ox.NamedNode(ns.credit_system_iri(t.volume.system)))
        for f in t.failures:
            add("ruleId", ox.Literal(f.rule_id))
        yield from out


def to_turtle(results, mset) -> str:
    """The SSSOM mapping set and each row's further facts as Turtle."""
    import rdflib

    from ..formats.sssom import to_triples

    g = rdflib.Graph()
    triples = [*to_triples(mset), *result_triples(results, mset)]
    g.parse(data="\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples), format="nt")
    for p, iri in {"sssom": "https://w3id.org/sssom/", "owl": "http://www.w3.org/2002/07/owl#",
                   "skos": "http://www.w3.org/2004/02/skos/core#", "semapv": "https://w3id.org/semapv/vocab/",
                   "pav": "http://purl.org/pav/", "dcterms": "http://purl.org/dc/terms/",
                   "mc": "https://w3id.org/mcmap/ns#"}.items():
        g.bind(p, iri)
    return g.serialize(format="turtle")
