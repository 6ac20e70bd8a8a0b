"""Crosswalk tables (SSSOM TSV in mappings/): which term of ELM, Open Badges 3.0 or CTDL carries
each property of mcmap's vocabulary. The ELM, OB3 and CTDL writers and readers look their terms
up here, so a correspondence is changed in the table, not in code.

SSSOM TSV is read with the csv module: a `#`-commented YAML header whose `curie_map` gives the
prefixes, then one mapping a row.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..resources import data_dir


@dataclass(frozen=True)
class Mapping:
    subject_id: str      # full IRI
    predicate_id: str    # full IRI (skos:exactMatch, skos:closeMatch, ...)
    object_id: str       # full IRI
    object_label: str
    comment: str


def read_sssom(path: Path) -> list[Mapping]:
    text = path.read_text(encoding="utf-8")
    header = [line[1:] for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    prefixes = _curie_map(header)

    def expand(curie: str, row: int) -> str:
        if curie.startswith(("http://", "https://")):
            return curie
        prefix, _, local = curie.partition(":")
        if prefix not in prefixes:
            raise InputError(str(path), f"unknown prefix '{prefix}' in '{curie}' (not in curie_map)", row=row)
        return prefixes[prefix] + local

    out = []
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    for number, row in enumerate(reader, start=2):
        try:
            out.append(Mapping(expand(row["subject_id"], number), expand(row["predicate_id"], number),
                               expand(row["object_id"], number), row.get("object_label") or "",
                               row.get("comment") or ""))
        except KeyError as e:
            raise InputError(str(path), f"missing column {e}", row=number) from None
    return out


def _curie_map(header: list[str]) -> dict[str, str]:
    prefixes, inside = {}, False
    for line in header:
        if line.strip().startswith("curie_map:"):
            inside = True
            continue
        if inside:
            if line.startswith((" ", "\t")) and ":" in line:
                key, _, value = line.strip().partition(":")
                prefixes[key.strip()] = value.strip().strip("'\"")
            else:
                inside = False
    return prefixes


@cache
def crosswalk(standard: str) -> tuple[Mapping, ...]:
    """The rows of mappings/crosswalk-<standard>.sssom.tsv (standard: elm, ob3, ctdl)."""
    return tuple(read_sssom(data_dir("mappings") / f"crosswalk-{standard}.sssom.tsv"))


def target(standard: str, mc_iri: str) -> str | None:
    """The term of `standard` that carries the mcmap property `mc_iri`, or None if it has none."""
    for m in crosswalk(standard):
        if m.subject_id == mc_iri:
            return m.object_id
    return None


def source(standard: str, term_iri: str) -> str | None:
    """The mcmap property a term of `standard` is read into, or None."""
    for m in crosswalk(standard):
        if m.object_id == term_iri:
            return m.subject_id
    return None


def key(standard: str, mc_iri: str) -> str | None:
    """The JSON key (the table's object_label) under which `standard` writes the mcmap property."""
    for m in crosswalk(standard):
        if m.subject_id == mc_iri:
            return m.object_label
    return None
