"""Crosswalk tables (SSSOM TSV in mappings/): which term of ELM, Open Badges 3.0 or CTDL carries
each property of mcmap's vocabulary. The ELM, OB3 and CTDL writers and readers look their terms
up here, so a correspondence is changed in the table, not in code.

The tables are SSSOM TSV, read by mcmap.formats.sssom.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..resources import data_dir


@dataclass(frozen=True)
class Mapping:
    subject_id: str      # full IRI
    predicate_id: str    # full IRI (skos:exactMatch, skos:closeMatch, ...)
    object_id: str       # full IRI
    object_label: str
    comment: str


def read_sssom(path: Path) -> list[Mapping]:
    """The rows of an SSSOM TSV file, with CURIEs expanded (read by mcmap.formats.sssom)."""
    from .sssom import read_sssom as read_set

    mset = read_set(path)
    return [Mapping(mset.expand(m["subject_id"]), mset.expand(m["predicate_id"]), mset.expand(m["object_id"]),
                    m.get("object_label", ""), m.get("comment", ""))
            for m in mset.mappings]


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
