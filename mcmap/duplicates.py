"""One credential, one place: when the files of one load define the same credential (the
same id, so the same IRI), the load stops and says where both are, rather than merging two
records into one whose findings would name only one of the files."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .formats.provenance import MICRO_CREDENTIAL, RDF_TYPE, SOURCE_LINE, SOURCE_ROW


class Seen:
    """The credentials each file of a load defines. Watching costs nothing for a one-file load."""

    def __init__(self, files: int):
        self.active = files > 1
        self.where: dict[str, tuple[str, Path, int | None, int | None]] = {}  # iri -> name, path, row, line

    def watch(self, quads, path: Path, name: str):
        """Pass a reader's quads through, noting its credentials and their rows or lines."""
        if not self.active:
            yield from quads
            return
        mine: dict[str, list] = {}
        for q in quads:
            if isinstance(q.subject, ox.NamedNode):
                if q.predicate == RDF_TYPE and q.object == MICRO_CREDENTIAL:
                    mine.setdefault(q.subject.value, [None, None])
                elif q.predicate in (SOURCE_ROW, SOURCE_LINE):
                    mine.setdefault(q.subject.value, [None, None])[q.predicate == SOURCE_LINE] = int(q.object.value)
            yield q
        self._note({iri: tuple(place) for iri, place in mine.items()}, path, name)

    def note(self, credentials: dict, path: Path, name: str) -> None:
        """Note the credentials (IRI -> (row, line)) a reader wrote as text."""
        if self.active:
            self._note(credentials, path, name)

    def staged(self, credentials: list, path: Path, name: str) -> None:
        """Note the credentials of an RDF file Oxigraph parsed into a private store. A store
        keeps no file order: where several are defined twice, the first in the file is named."""
        if not self.active:
            return
        iris = [c.value for c in credentials if isinstance(c, ox.NamedNode)]
        twice = [iri for iri in iris if iri in self.where and self.where[iri][0] != name]
        if len(twice) > 1:
            from .formats.rdf import source_lines

            lines = source_lines(path, twice)
            first = min(twice, key=lambda iri: (lines.get(iri) is None, lines.get(iri, 0), iri))
            iris = [first] + [iri for iri in iris if iri != first]
        self._note({iri: (None, None) for iri in iris}, path, name)

    def _note(self, mine: dict, path: Path, name: str) -> None:
        for iri, (row, line) in mine.items():
            if iri in self.where and self.where[iri][0] != name:
                first = self.where[iri]
                raise InputError(name, f"credential '{_ident(iri)}' also appears in {_place(iri, *first)}; "
                                 "each credential belongs in one file, under one id",
                                 row=row, line=line if row is None else None) if row or line else \
                    InputError(name, f"credential '{_ident(iri)}' appears here and in {_place(iri, *first)}; "
                               "each credential belongs in one file, under one id",
                               line=_line(path, iri))
        for iri, (row, line) in mine.items():
            self.where.setdefault(iri, (name, path, row, line))


def _ident(iri: str) -> str:
    from .labels import term_text

    return term_text(iri) or iri


def _line(path: Path, iri: str) -> int | None:
    from .formats.rdf import source_lines

    return source_lines(path, [iri]).get(iri)


def _place(iri: str, name: str, path: Path, row: int | None, line: int | None) -> str:
    if row is not None:
        return f"{name} row {row}"
    line = line or _line(path, iri)
    return f"{name} line {line}" if line else name
