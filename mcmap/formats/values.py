"""Typed values read strictly, the same way by every reader.

A number is written with digits and at most one decimal point: no exponent ('1e3'), no comma
('1,5' is 1.5 in much of Europe and 15 in the English-speaking world, so it is refused rather
than guessed), no words ('ten', 'NaN'), and in JSON a true/false is not a number. A date is a
real calendar day in the form YYYY-MM-DD. Each parser returns the value's canonical lexical
form, ready to store as an xsd literal, or raises BadValue saying what is wrong; readers add the
file and the row, column or JSON path.

`literal_problem` checks RDF literals the same way, so no reader stores an ill-formed xsd:decimal,
xsd:integer, xsd:date, xsd:dateTime, xsd:boolean or xsd:double.
"""
from __future__ import annotations

import calendar
import math
import re
from decimal import Decimal

from .. import namespaces as ns


class BadValue(ValueError):
    """A value that cannot be read as its type; the message says why, without the place."""


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})")
_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DATE_TZ = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})" + _TZ)
_DATETIME = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
                       + _TZ + "|" + r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T24:00:00(?:\.0+)?" + _TZ)
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_BOOLEAN = re.compile(r"true|false|1|0")
_GYEAR = re.compile(r"-?[0-9]{4,}" + _TZ)


def _hint(text: str) -> str:
    t = text.strip()
    if "," in t:
        return ": write it with a point for decimals and no thousands separator (1.5, 1500)"
    if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", t):
        return ": write it out in digits, without an exponent"
    return ""


def decimal(raw: str) -> str:
    """'12.50' -> '12.50'; ' 5 ' -> '5'; '1e3', '1,5', 'ten', 'NaN', '' -> BadValue."""
    text = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise BadValue(f"'{raw}' is not a number{_hint(str(raw))}")
    return str(Decimal(text))


def integer(raw: str) -> str:
    """'3' -> '3'; '3.0', '1e3', 'three' -> BadValue."""
    text = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(text, str) or not _INTEGER.fullmatch(text):
        raise BadValue(f"'{raw}' is not a whole number")
    return str(int(text))


def date(raw: str) -> str:
    """'2022-02-28' -> itself; '2022-02-30', '2022-13-01', '28/02/2022' -> BadValue."""
    text = raw.strip() if isinstance(raw, str) else raw
    m = _DATE.fullmatch(text) if isinstance(text, str) else None
    if not m:
        raise BadValue(f"'{raw}' is not a date in the form YYYY-MM-DD")
    _check_day(raw, *m.groups())
    return text


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_day(raw, year: str, month: str, day: str) -> None:
    y, mo, d = int(year), int(month), int(day)
    if not 1 <= mo <= 12:
        raise BadValue(f"'{raw}' is not a date: there is no month {mo}")
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)   # proleptic Gregorian, as XML Schema
    days = 29 if mo == 2 and leap else _DAYS[mo - 1]
    if not 1 <= d <= days:
        raise BadValue(f"'{raw}' is not a date: {calendar.month_name[mo]} {y} has {days} days")


def json_number(value) -> str:
    """A JSON number (or a numeric string) as a decimal lexical form; true/false, NaN,
    Infinity, objects and words -> BadValue."""
    if isinstance(value, bool):
        raise BadValue(f"{str(value).lower()} is not a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadValue(f"{value} is not a number")
        if value.is_integer():
            return str(int(value))          # 5.0 -> 5, as JSON writers often add the point
        # repr is the shortest text that reads back as the same float: the document's own digits.
        return decimal(format(Decimal(repr(value)), "f"))
    if isinstance(value, str):
        return decimal(value)
    kind = {dict: "an object", list: "a list", type(None): "null"}.get(type(value), type(value).__name__)
    raise BadValue(f"{kind} is not a number")


# ------------------------------------------------------------------ RDF literals

_XSD = XSD_PREFIX = ns.XSD
_INTEGER_TYPES = {"integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
                  "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"}
_CHECKS = {_XSD + "decimal": _DECIMAL, _XSD + "double": _DOUBLE, _XSD + "float": _DOUBLE,
           _XSD + "boolean": _BOOLEAN, _XSD + "date": _DATE_TZ, _XSD + "dateTime": _DATETIME,
           _XSD + "gYear": _GYEAR, **{_XSD + t: _INTEGER for t in _INTEGER_TYPES}}
# The integer datatypes with a bounded value space, by local name: (least, greatest), None where unbounded.
INTEGER_RANGES = {
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "unsignedLong": (0, 2 ** 64 - 1), "unsignedInt": (0, 2 ** 32 - 1),
    "unsignedShort": (0, 2 ** 16 - 1), "unsignedByte": (0, 2 ** 8 - 1),
    "long": (-2 ** 63, 2 ** 63 - 1), "int": (-2 ** 31, 2 ** 31 - 1),
    "short": (-2 ** 15, 2 ** 15 - 1), "byte": (-2 ** 7, 2 ** 7 - 1),
}


def literal_problem(datatype: str, lexical: str) -> str | None:
    """Why `lexical` is not a valid literal of `datatype`, or None (also for datatypes not checked)."""
    pattern = _CHECKS.get(datatype)
    if pattern is None:
        return None
    name = "xsd:" + datatype[len(_XSD):]
    m = pattern.fullmatch(lexical)
    if not m:
        return f"'{lexical}' is not a valid {name}{_hint(lexical) if pattern is not _DOUBLE else ''}"
    local = datatype[len(_XSD):]
    lo, hi = INTEGER_RANGES.get(local, (None, None))
    if (lo is not None and int(lexical) < lo) or (hi is not None and int(lexical) > hi):
        return f"'{lexical}' is out of range for {name}"
    if pattern in (_DATE_TZ, _DATETIME):
        groups = [g for g in m.groups() if g is not None][:3]
        try:
            _check_day(lexical, *groups)
        except BadValue as e:
            return str(e).replace("is not a date", f"is not a valid {name}")
    return None
