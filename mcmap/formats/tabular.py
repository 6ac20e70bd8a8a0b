"""The provider submission template (CSV, one credential per row) read into the core vocabulary.

Blank cells mean "not stated" and add nothing. A value that cannot be read (a word where a
number belongs, an unknown column) stops the load with its row and column: it is never dropped.
Values that parse but break a framework's rules (a level that does not exist, a delivery mode
outside the vocabulary) are kept as given, for validation to report.
"""
from __future__ import annotations

import csv
import io
import threading
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from .. import namespaces as ns
from ..errors import InputError
from . import not_utf8, open_text, read_text, values
from .nquads import QuadText, Writer, iri, known_iri, literal, name
from .columns import (COLUMNS, CREDIT_SYSTEMS, DECIMALS, DELIVERY_MODES, JURISDICTION_NAMES, KINDS,
                       LEVEL_FRAMEWORKS, MULTI, REGULATORS, STATUSES, TEXT)

_XSD_DECIMAL = ns.XSD + "decimal"
_XSD_INTEGER = ns.XSD + "integer"
_XSD_DATE = ns.XSD + "date"
_ISO_CODE = re.compile(r"^[A-Z]{2}$")



_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_IRI_ID = re.compile(r"^(https?|urn):")


@lru_cache(maxsize=4096)  # provider names recur on many rows
def slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-") or "unnamed"


def credential_iri(identifier: str) -> str:
    if _IRI_ID.match(identifier):
        return identifier
    return f"{ns.DATA}credential/{quote(identifier, safe='')}"


class _Row:
    """One CSV record being turned into quads; errors name the file, row and column."""

    def __init__(self, source: str, number: int, cells: dict[str, str], out: Writer, regulators: dict | None = None):
        self.source, self.number, self.cells = source, number, cells
        self.out = out
        self.pairs: list[tuple[str, str]] = []  # (predicate, object) of the credential, as text
        # provider slug -> the regulator its first row gave, shared by the rows of one file
        self.regulators = regulators if regulators is not None else {}

    def provider_iri(self) -> str:
        """The provider's IRI, from its name; a name given with a second regulator in the same
        file is a different provider node (keyed by that regulator), so the two are not merged and
        rules about an unregulated provider (AU-MS-5) still see it."""
        name = slug(self.cells["provider"])
        code = REGULATORS.get(self.cells.get("provider_regulator", "").upper()) or ""
        first = self.regulators.setdefault(name, code)
        return f"{ns.DATA}provider/{name}" if code == first or not code else f"{ns.DATA}provider/{name}--{slug(code)}"

    def error(self, column: str, message: str) -> InputError:
        return InputError(self.source, message, row=self.number, column=column)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """One triple, its terms already N-Triples text (nquads.iri, nquads.literal)."""
        self.out.add(subject, name(predicate), obj)

    def put(self, predicate: str, obj: str) -> None:
        """One statement about the row's credential, its terms already N-Triples text."""
        self.pairs.append((name(predicate), obj))

    def once(self, subject: str, predicate: str, obj: str) -> None:
        """A statement other rows repeat (about the provider): written once per file."""
        self.out.once(subject, name(predicate), obj)

    def decimal(self, column: str) -> str:
        raw = self.cells[column]
        text = raw
        if column == "cost":
            # A price may carry its currency sign; "free" is a price of 0.
            text = "0" if raw.lower() == "free" else re.sub(r"^(?:[A-Z]{0,3}\$|€|£)\s*", "", raw)
        try:
            return literal(values.decimal(text), _XSD_DECIMAL)
        except values.BadValue as e:
            raise self.error(column, str(e).replace(f"'{text}'", f"'{raw}'")) from None

    def integer(self, column: str) -> int:
        try:
            return int(values.integer(self.cells[column]))
        except values.BadValue as e:
            raise self.error(column, str(e)) from None

    def date(self, column: str) -> str:
        try:
            return literal(values.date(self.cells[column]), _XSD_DATE)
        except values.BadValue as e:
            raise self.error(column, str(e)) from None


def _roman(text: str) -> int | None:
    values_ = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = sum(-values_[a] if values_[a] < values_[b] else values_[a] for a, b in zip(text, text[1:]))
    total += values_[text[-1]]
    return total if _to_roman(total) == text else None


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                           (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _parse_level(row: _Row) -> str | None:
    framework_raw, level_raw = row.cells.get("level_framework", ""), row.cells.get("level", "")
    if not level_raw:
        return None
    if not framework_raw:
        raise row.error("level", f"level '{level_raw}' is given without a level_framework (AQF, NZQCF, SQF, PQF or EQF)")
    framework = LEVEL_FRAMEWORKS.get(framework_raw.upper())
    if framework is None:
        raise row.error("level_framework", f"unknown framework '{framework_raw}' (expected AQF, NZQCF, SQF, PQF or EQF)")
    if framework == "sqf" and re.fullmatch(r"[IVXLC]+", level_raw.upper()):
        # Kept even beyond X: validation says "SQF has levels I-X" where the level does not exist.
        number = _roman(level_raw.upper())
        if number is None:
            raise row.error("level", f"'{level_raw}' is not a Roman numeral (SQF has levels I-X)")
    else:
        number = row.integer("level")
    return known_iri(ns.level_iri(framework, number))


def _parse_jurisdiction(row: _Row) -> str:
    raw = row.cells["jurisdiction"]
    code = JURISDICTION_NAMES.get(raw.upper(), raw.upper())
    if not (_ISO_CODE.match(code) or code in ("EU", "PACIFIC")):
        raise row.error("jurisdiction", f"'{raw}' is not an ISO 3166 country code (AU, NZ, WS, ...), EU or PACIFIC")
    return known_iri(ns.jurisdiction_iri(code))


def _vet_quads(row: _Row, subject) -> None:
    """kind, national_code, units and rto_code. Codes are kept as written (upper-cased), for
    validation to judge their form; an unknown kind is kept as text for AU-KIND to report."""
    c = row.cells
    if c.get("kind"):
        concept = KINDS.get(c["kind"].lower().strip())
        row.put(ns.MC + "kind", name(ns.MC + concept) if concept else literal(c["kind"]))
    if c.get("national_code"):
        row.put(ns.MC + "nationalCode", literal(c["national_code"].upper()))
    for part in c.get("units", "").split("|"):
        if part.strip():
            row.put(ns.MC + "unitCode", literal(part.strip().upper()))
    if c.get("rto_code") and c.get("provider"):
        provider = known_iri(row.provider_iri())
        row.once(provider, ns.MC + "rtoCode", literal(c["rto_code"]))


def _row_text(row: _Row) -> str:
    """Write the row's triples; returns its credential's IRI as N-Triples text."""
    c = row.cells
    identifier = c.get("id", "")
    try:
        subject = iri(credential_iri(identifier) if identifier
                      else f"{ns.DATA}credential/{slug(Path(row.source).stem)}-row-{row.number}")
    except ValueError as e:
        raise row.error("id", f"'{short(identifier)}' starts like an IRI but is not one ({e})") from None
    row.out.credential(subject, row=row.number)
    put = row.pairs.append
    if identifier:
        put((_IDENTIFIER, literal(identifier)))
    for column, prop in _TEXT:
        if c.get(column):
            put((prop, literal(c[column])))
    for column, prop in _MULTI:
        for part in c.get(column, "").split("|"):
            if part.strip():
                put((prop, literal(part.strip())))
    for column, prop in _DECIMALS:
        if c.get(column):
            put((prop, row.decimal(column)))
    if c.get("currency"):
        row.put(ns.MC + "currency", literal(c["currency"].upper()))
    if c.get("provider"):
        provider = known_iri(row.provider_iri())
        row.put(ns.MC + "provider", provider)
        row.once(provider, ns.RDF + "type", name(ns.MC + "Provider"))
        row.once(provider, ns.SCHEMA + "name", literal(c["provider"]))
        if c.get("provider_regulator"):
            code = REGULATORS.get(c["provider_regulator"].upper())
            if code is None:
                raise row.error("provider_regulator", f"unknown regulator '{c['provider_regulator']}' "
                                "(expected TEQSA, ASQA, VRQA, TAC, NZQA, Universities NZ, SQA, EQAP or none)")
            row.once(provider, ns.MC + "regulator", known_iri(ns.regulator_iri(code)))
    elif c.get("provider_regulator"):
        raise row.error("provider_regulator", "a regulator is given but the provider is blank")
    elif c.get("rto_code"):
        raise row.error("rto_code", "an RTO code is given but the provider is blank")
    if c.get("jurisdiction"):
        row.put(ns.MC + "jurisdiction", _parse_jurisdiction(row))
    _vet_quads(row, subject)
    level = _parse_level(row)
    if level is not None:
        row.put(ns.MC + "level", level)
    if c.get("credit_system"):
        system = CREDIT_SYSTEMS.get(c["credit_system"].upper())
        if system is None:
            raise row.error("credit_system", f"unknown credit system '{c['credit_system']}' (expected NZ, PQF or ECTS)")
        row.put(ns.MC + "creditSystem", known_iri(ns.credit_system_iri(system)))
    if c.get("delivery_mode"):
        mode = DELIVERY_MODES.get(c["delivery_mode"].lower())
        row.put(ns.MC + "deliveryMode", name(ns.MC + mode) if mode else literal(c["delivery_mode"]))
    if c.get("status"):
        status = c["status"].lower()
        row.put(ns.MC + "status", name(ns.MC + status) if status in STATUSES else literal(c["status"]))
    if c.get("review_period_years"):
        row.put(ns.MC + "reviewPeriodYears", literal(str(row.integer("review_period_years")), _XSD_INTEGER))
    if c.get("approved_on"):
        row.put(ns.MC + "approvedOn", row.date("approved_on"))
    if c.get("url"):
        try:
            row.put(ns.SCHEMA + "url", iri(c["url"]))
        except ValueError:
            raise row.error("url", f"'{short(c['url'])}' is not a valid URL") from None
    row.out.statements(subject, row.pairs)
    return subject


# The template's columns' properties as N-Triples text, written on every row.
_IDENTIFIER = name(ns.DCT + "identifier")
_TEXT = [(column, name(prop)) for column, prop in TEXT.items()]
_MULTI = [(column, name(prop)) for column, prop in MULTI.items()]
_DECIMALS = [(column, name(prop)) for column, prop in DECIMALS.items()]


def read_csv(path: Path) -> QuadText:
    """The rows' triples as N-Quads text, written row by row as the loader takes them."""
    return QuadText(path, lambda out: _csv_records(path, out))


def _csv_records(path: Path, out: Writer):
    source = str(path)
    with open_text(path, "CSV") as f:  # read as the rows are written: never held whole
        try:
            yield from _csv_rows(path, source, csv.reader(f, strict=True), out)
        except UnicodeDecodeError:
            raise not_utf8(path, "CSV") from None


def _csv_rows(path: Path, source: str, reader, out: Writer):
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(source, "the file is empty") from None
    except csv.Error as e:
        if "field limit" in str(e):
            raise _too_long(path, source, 1) from None
        raise InputError(source, f"CSV syntax error: {e}", row=1) from None
    number = 1

    def rows():
        nonlocal number
        for number, cells in enumerate(reader, start=2):
            yield number, cells

    try:
        yield from rows_text(source, header, rows(), out)
    except csv.Error as e:
        if "field limit" in str(e):
            raise _too_long(path, source, number + 1) from None
        raise InputError(source, f"CSV syntax error: {e}", row=number + 1) from None


_LIMIT = threading.Lock()


def _too_long(path: Path, source: str, row: int) -> InputError:
    """Which cell of `row` is over the csv module's field limit, said in a person's words
    (the module only says "field larger than field limit")."""
    limit = csv.field_size_limit()
    header, cells = [], []
    with _LIMIT:  # the limit is the csv module's global setting: raise it briefly, for this read only
        csv.field_size_limit(2**31 - 1)
        try:
            for n, record in enumerate(csv.reader(io.StringIO(read_text(path, "CSV"), newline="")), start=1):
                if n == 1:
                    header = record
                if n == row:
                    cells = record
                    break
        except csv.Error:
            pass
        finally:
            csv.field_size_limit(limit)
    i = max(range(len(cells)), key=lambda k: len(cells[k])) if cells else None
    column = None
    if i is not None:
        column = short(header[i].strip().lower()) if i < len(header) and row > 1 else f"{i + 1}"
    return InputError(source, f"the cell is longer than {limit:,} characters, the most a CSV cell may hold "
                      "(is this the submission template?)", row=row, column=column)


def short(text: str, most: int = 40) -> str:
    """A value from the input short enough to quote in a one-line error."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def check_header(source: str, header: list[str]) -> list[str]:
    """The header's column names (trimmed, lower case), or InputError for an unknown or repeated one."""
    header = [h.strip().lower() for h in header]
    for h in header:
        if h not in COLUMNS:
            raise InputError(source, f"unknown column '{short(h)}' (the template's columns are: "
                             f"{', '.join(COLUMNS)})", row=1, column=short(h))
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise InputError(source, f"column '{short(dup)}' appears twice", row=1, column=short(dup))
    return header


def rows_text(source: str, header: list[str], rows, out: Writer):
    """Write the template's rows with `out`, yielding after each: `rows` yields (row number,
    cells as text). The spreadsheet reader shares this with the CSV reader, so both read a
    cell alike."""
    header = check_header(source, header)
    seen: dict[str, int] = {}
    regulators: dict[str, str] = {}
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputError(source, f"has {len(cells)} cells; the header has {len(header)}", row=number)
        row = _Row(source, number, {h: v.strip() for h, v in zip(header, cells)}, out, regulators)
        identifier = row.cells.get("id", "")
        if identifier in seen:
            raise row.error("id", f"duplicate id '{identifier}' (first at row {seen[identifier]})")
        if identifier:
            seen[identifier] = number
        _row_text(row)
        yield
    # A header with no rows is an empty submission (the blank template), not an error.
