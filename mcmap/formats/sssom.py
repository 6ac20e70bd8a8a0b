"""SSSOM mapping tables: a small, strict reader and writer, and their RDF form.

An SSSOM file is a TSV table preceded by a YAML block whose lines start with '#'
(mapping_set_id, license, curie_map, ...). mcmap reads it strictly: a row with an unknown
predicate, a confidence outside [0, 1], a missing column or an unknown CURIE prefix is an
error naming the file and line, never a silently dropped row.

In RDF each row becomes a node typed sssom:Mapping (and owl:Axiom, the SSSOM/OWL reading)
with owl:annotatedSource / owl:annotatedProperty / owl:annotatedTarget and the SSSOM slots as
properties, plus the plain triple `subject predicate object` so a SPARQL query can simply ask
`?level skos:exactMatch ?other`.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import namespaces as ns
from ..errors import InputError

SSSOM = "https://w3id.org/sssom/"
PAV = "http://purl.org/pav/"
NO_TERM_FOUND = SSSOM + "NoTermFound"

BUILTIN_PREFIXES = {
    "sssom": SSSOM, "owl": ns.OWL, "rdf": ns.RDF, "rdfs": ns.RDFS, "skos": ns.SKOS,
    "semapv": ns.SEMAPV, "xsd": ns.XSD, "dcterms": ns.DCT, "pav": PAV,
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
}

REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")

# Mapping predicates mcmap accepts: SKOS mapping relations and the OWL/RDFS ones SSSOM allows.
ALLOWED_PREDICATES = frozenset(ns.SKOS + p for p in (
    "exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")) | frozenset({
    ns.OWL + "equivalentClass", ns.OWL + "equivalentProperty", ns.OWL + "sameAs",
    ns.RDFS + "subClassOf", ns.RDFS + "subPropertyOf",
})

JUSTIFICATIONS = frozenset(ns.SEMAPV + j for j in (
    "ManualMappingCuration", "LexicalMatching", "LogicalReasoning", "CompositeMatching",
    "UnspecifiedMatching", "SemanticSimilarityThresholdMatching",
    "LexicalSimilarityThresholdMatching", "MappingChaining", "MappingReview",
    "MappingInversion", "StructuralMatching", "InstanceBasedMatching",
    "BackgroundKnowledgeBasedMatching",
))

# Columns whose cells hold several values separated by '|'.
MULTIVALUED = frozenset({"author_id", "author_label", "creator_id", "creator_label",
                         "reviewer_id", "see_also", "subject_match_field", "object_match_field",
                         "match_string"})
# Columns whose values are CURIEs or IRIs (checked against the curie_map).
ENTITY_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification",
                  "author_id", "creator_id", "reviewer_id", "subject_source", "object_source")


@dataclass
class Mapping:
    """One row: its cells by column name (multivalued cells as lists) and its line in the file."""

    cells: dict
    line: int | None = None

    def __getitem__(self, key):
        return self.cells.get(key)

    def get(self, key, default=None):
        value = self.cells.get(key)
        return default if value in (None, "", []) else value


@dataclass
class MappingSet:
    metadata: dict
    mappings: list[Mapping] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    source: str = "<sssom>"

    @property
    def curie_map(self) -> dict:
        return {**BUILTIN_PREFIXES, **(self.metadata.get("curie_map") or {})}

    def expand(self, value: str) -> str:
        return expand(value, self.curie_map)

    def compress(self, iri: str) -> str:
        return compress(iri, self.curie_map)


def expand(value: str, curie_map: dict) -> str:
    """CURIE -> IRI; a full IRI stays as it is; an unknown prefix is a KeyError."""
    if value.startswith(("http://", "https://", "urn:")):
        return value
    prefix, sep, local = value.partition(":")
    if not sep:
        raise KeyError(value)
    return curie_map[prefix] + local


def compress(iri: str, curie_map: dict) -> str:
    best = None
    for prefix, base in curie_map.items():
        if iri.startswith(base) and (best is None or len(base) > len(curie_map[best])):
            best = prefix
    return f"{best}:{iri[len(curie_map[best]):]}" if best else iri


# ---------------------------------------------------------------- reading

def read_sssom(path: str | Path, text: str | None = None) -> MappingSet:
    """Read an SSSOM TSV file; raise InputError naming the file and line of the first problem."""
    import yaml

    source = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(source, "no such file") from None
        except UnicodeDecodeError as e:
            raise InputError(source, f"not UTF-8 text ({e.reason})") from None
    lines = text.splitlines()
    header_end = 0
    while header_end < len(lines) and lines[header_end].startswith("#"):
        header_end += 1
    yaml_text = "\n".join(line[1:] for line in lines[:header_end])
    try:
        metadata = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = mark.line + 1 if mark is not None else 1
        raise InputError(source, f"the YAML metadata block is not valid YAML: {getattr(e, 'problem', e)}",
                         line=where) from None
    if not isinstance(metadata, dict):
        raise InputError(source, "the '#' metadata block must be a YAML mapping (key: value)", line=1)
    curie_map = metadata.get("curie_map") or {}
    if not isinstance(curie_map, dict):
        raise InputError(source, "curie_map must map prefixes to IRIs", line=1)
    mset = MappingSet(metadata=metadata, source=source)

    body = lines[header_end:]
    if not body or not body[0].strip():
        raise InputError(source, "no header row of column names after the metadata block",
                         line=header_end + 1)
    header_line = header_end + 1
    columns = body[0].split("\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)} in the header row",
                         line=header_line)
    mset.columns = columns
    for offset, raw in enumerate(body[1:], start=1):
        line = header_line + offset
        if not raw.strip():
            continue
        if raw.startswith("#"):
            raise InputError(source, "a '#' line after the header row (metadata belongs at the top)", line=line)
        cells = next(csv.reader([raw], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) != len(columns):
            raise InputError(source, f"{len(cells)} cells but the header has {len(columns)} columns",
                             line=line)
        mset.mappings.append(_parse_row(mset, dict(zip(columns, cells)), source, line))
    return mset


def _parse_row(mset: MappingSet, raw: dict, source: str, line: int) -> Mapping:
    cells: dict = {}
    for key, value in raw.items():
        value = value.strip()
        cells[key] = [v.strip() for v in value.split("|") if v.strip()] if key in MULTIVALUED else value
    for col in REQUIRED_COLUMNS:
        if not cells.get(col):
            raise InputError(source, f"empty {col}", line=line, column=col)
    for col in ENTITY_COLUMNS:
        values = cells.get(col)
        for v in (values if isinstance(values, list) else [values] if values else []):
            try:
                mset.expand(v)
            except KeyError:
                raise InputError(source, f"'{v}' uses a prefix that is not in the curie_map",
                                 line=line, column=col) from None
    predicate = mset.expand(cells["predicate_id"])
    if predicate not in ALLOWED_PREDICATES:
        allowed = ", ".join(sorted(compress(p, BUILTIN_PREFIXES) for p in ALLOWED_PREDICATES))
        raise InputError(source, f"unknown mapping predicate '{cells['predicate_id']}' (allowed: {allowed})",
                         line=line, column="predicate_id")
    if mset.expand(cells["mapping_justification"]) not in JUSTIFICATIONS:
        raise InputError(source, f"'{cells['mapping_justification']}' is not a semapv mapping justification",
                         line=line, column="mapping_justification")
    conf = cells.get("confidence")
    if conf not in (None, ""):
        try:
            value = float(conf)
        except ValueError:
            raise InputError(source, f"confidence '{conf}' is not a number", line=line,
                             column="confidence") from None
        if not 0.0 <= value <= 1.0:
            raise InputError(source, f"confidence {conf} is outside [0, 1]", line=line, column="confidence")
        cells["confidence"] = value
    else:
        cells["confidence"] = None
    return Mapping(cells=cells, line=line)


# ---------------------------------------------------------------- writing

def write_sssom(mset: MappingSet) -> str:
    """The TSV text of a mapping set: the '#' YAML block, the header row, one row per mapping."""
    import yaml

    meta = dict(mset.metadata)
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    out = io.StringIO()
    for line in head.splitlines():
        out.write(f"#{line}\n")
    columns = mset.columns or _columns_of(mset)
    out.write("\t".join(columns) + "\n")
    for m in mset.mappings:
        out.write("\t".join(_cell(m.cells.get(c)) for c in columns) + "\n")
    return out.getvalue()


def _columns_of(mset: MappingSet) -> list[str]:
    cols = list(REQUIRED_COLUMNS)
    for m in mset.mappings:
        cols.extend(c for c in m.cells if c not in cols)
    return cols


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}" if value not in (0.0, 1.0) else f"{value:.1f}"
    # A tab or newline would break the table: they are flattened to spaces.
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


# ---------------------------------------------------------------- RDF

def mapping_iri(set_id: str, m: Mapping, mset: MappingSet) -> str:
    # object_source too: "no level" rows of one credential for two frameworks stay distinct.
    key = "|".join([set_id, mset.expand(m["subject_id"]), mset.expand(m["predicate_id"]),
                    mset.expand(m["object_id"]), m.get("object_source", "")])
    return f"{ns.ID}mapping/{hashlib.sha1(key.encode()).hexdigest()[:20]}"


def to_triples(mset: MappingSet) -> list:
    """The mapping set as pyoxigraph Triples (SSSOM RDF vocabulary, no blank nodes)."""
    return list(iter_triples(mset))


def iter_triples(mset: MappingSet, *, header: bool = True, rows: bool = True):
    """to_triples, row by row: a large set's triples are never all held at once (`header`: the
    set's own triples; `rows`: its rows')."""
    import pyoxigraph as ox

    def iri(x):
        return ox.NamedNode(x)

    def lit(x, dt=None):
        return ox.Literal(str(x), datatype=ox.NamedNode(dt)) if dt else ox.Literal(str(x))

    a = iri(ns.RDF + "type")
    set_id = mset.metadata.get("mapping_set_id") or f"{ns.ID}mapping-set/{Path(mset.source).name}"
    s_node = iri(set_id)
    out = [ox.Triple(s_node, a, iri(SSSOM + "MappingSet"))]
    for key, prop in (("mapping_set_title", ns.DCT + "title"),
                      ("mapping_set_description", ns.DCT + "description")):
        if mset.metadata.get(key):
            out.append(ox.Triple(s_node, iri(prop), lit(mset.metadata[key])))
    if mset.metadata.get("license"):
        out.append(ox.Triple(s_node, iri(ns.DCT + "license"), iri(str(mset.metadata["license"]))))
    for c in mset.metadata.get("creator_id") or []:
        out.append(ox.Triple(s_node, iri(ns.DCT + "creator"), iri(mset.expand(c))))

    yield from out
    for m in mset.mappings:
        node = iri(mapping_iri(set_id, m, mset))
        subj, pred, obj = (mset.expand(m[c]) for c in ("subject_id", "predicate_id", "object_id"))
        out = [
            ox.Triple(s_node, iri(SSSOM + "mappings"), node),
            ox.Triple(node, a, iri(SSSOM + "Mapping")),
            ox.Triple(node, a, iri(ns.OWL + "Axiom")),
            ox.Triple(node, iri(ns.OWL + "annotatedSource"), iri(subj)),
            ox.Triple(node, iri(ns.OWL + "annotatedProperty"), iri(pred)),
            ox.Triple(node, iri(ns.OWL + "annotatedTarget"), iri(obj)),
            ox.Triple(node, iri(SSSOM + "mapping_justification"),
                      iri(mset.expand(m["mapping_justification"]))),
        ]
        if NO_TERM_FOUND not in (subj, obj):
            out.append(ox.Triple(iri(subj), iri(pred), iri(obj)))
        if m["confidence"] is not None:
            out.append(ox.Triple(node, iri(SSSOM + "confidence"), lit(repr(float(m["confidence"])), ns.XSD + "double")))
        for col, prop in (("author_id", PAV + "authoredBy"), ("creator_id", ns.DCT + "creator")):
            for v in m.get(col, []):
                out.append(ox.Triple(node, iri(prop), iri(mset.expand(v))))
        for col in ("subject_source", "object_source"):
            if m.get(col):
                out.append(ox.Triple(node, iri(SSSOM + col), iri(mset.expand(m[col]))))
        for v in m.get("see_also", []):
            out.append(ox.Triple(node, iri(ns.RDFS + "seeAlso"),
                                 iri(v) if v.startswith(("http://", "https://")) else lit(v)))
        for col, prop in (("comment", ns.RDFS + "comment"), ("subject_label", SSSOM + "subject_label"),
                          ("object_label", SSSOM + "object_label")):
            if m.get(col):
                out.append(ox.Triple(node, iri(prop), lit(m[col])))
        yield from out


def shipped_mapping_files() -> list[Path]:
    """The shipped level correspondences (mappings/*.sssom.tsv). The term crosswalks to ELM,
    OB3 and CTDL (crosswalk-*.sssom.tsv) belong to the exchange formats and are not included."""
    from ..resources import data_dir

    return sorted(p for p in data_dir("mappings").glob("*.sssom.tsv") if not p.name.startswith("crosswalk-"))
