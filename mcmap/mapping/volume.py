"""Volume of learning between jurisdictions: everything goes through notional hours.

A credit is converted to hours with its system's hours per credit, and hours to the target's
unit by dividing by the target's hours per credit. "Full-time years" are never used: a year is
1200 h in AU, NZ and the PQF but 1500-1800 h in ECTS.

Arithmetic is exact (fractions): 100 h / 30 h per ECTS credit is 10/3 credits, not 3.33. A
number is rounded only where it is shown (`fmt`, `Quantity.__str__`): to two decimal places and
outward for a range (the low end down, the high end up), so a shown range always contains the
exact value. ECTS's 25-30 h per credit stays a range.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from functools import cache


PLACES = Decimal("0.01")
# Digits kept when an exact value that has no finite decimal form must be written as an
# xsd:decimal (10/3 ECTS credits in a record handed to validation): far below any bound a rule
# states, and rounded in the direction the caller says keeps the record's meaning.
STORED_PLACES = 30


@dataclass(frozen=True)
class CreditSystem:
    """A credit system's hours per credit, exact (from ontology/frameworks)."""

    id: str
    label: str
    unit: str
    hours_min: Fraction
    hours_max: Fraction
    status: str
    sources: tuple[str, ...]

    @property
    def per_credit(self) -> str:
        return fmt(self.hours_min) if self.hours_min == self.hours_max else f"{fmt(self.hours_min)} to {fmt(self.hours_max)}"


@cache
def credit_systems() -> dict[str, CreditSystem]:
    """The credit systems of the framework registry, by code (au-hours, ects, nz, pqf)."""
    from .. import frameworks

    out = {}
    for cs in frameworks.credit_systems():
        rng = cs.hours_range()
        if rng is None:
            continue
        unit = "h" if rng == (1.0, 1.0) else f"{cs.code.upper()} credits"
        out[cs.code] = CreditSystem(id=cs.code, label=cs.label, unit=unit,
                                    hours_min=Fraction(str(rng[0])), hours_max=Fraction(str(rng[1])),
                                    status=cs.status, sources=cs.sources)
    return out


def exact(value) -> Fraction:
    """An int, Decimal, Fraction or decimal text as an exact fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    return Fraction(str(value))


def terminates(x: Fraction) -> bool:
    """Whether x has a finite decimal form (its denominator has no prime factor but 2 and 5)."""
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _decimal(x: Fraction, places: int, rounding) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        q = Decimal(x.numerator) / Decimal(x.denominator)
        return q.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def fmt(x, rounding=ROUND_HALF_EVEN) -> str:
    """A number as shown: exact when it has a short decimal form (0.3, 400, 1.125), else rounded
    to two places in the given direction (10/3 -> '3.33')."""
    x = exact(x)
    if terminates(x):
        with localcontext() as ctx:
            ctx.prec = 80
            d = Decimal(x.numerator) / Decimal(x.denominator)
        text = format(d.normalize(), "f")
        if len(text.partition(".")[2]) <= 10:
            return text
    return format(_decimal(x, 2, rounding).normalize(), "f")


def lexical(x, rounding=ROUND_HALF_EVEN) -> str:
    """An exact value as an xsd:decimal lexical form: exact where it terminates, else kept to
    STORED_PLACES digits, rounded in the given direction."""
    x = exact(x)
    if terminates(x):
        with localcontext() as ctx:
            ctx.prec = 200
            return format((Decimal(x.numerator) / Decimal(x.denominator)).normalize(), "f")
    return format(_decimal(x, STORED_PLACES, rounding), "f")


@dataclass(frozen=True)
class Quantity:
    """An amount that is exact (low == high) or a range, held as exact fractions."""

    low: Fraction
    high: Fraction

    def __post_init__(self):
        object.__setattr__(self, "low", exact(self.low))
        object.__setattr__(self, "high", exact(self.high))

    @classmethod
    def exact(cls, value) -> "Quantity":
        d = exact(value)
        return cls(d, d)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    @property
    def rounded(self) -> bool:
        """Whether showing it rounds (an end has no short decimal form)."""
        return any(fmt(x) != lexical(x) for x in (self.low, self.high))

    @property
    def low_text(self) -> str:
        return fmt(self.low, ROUND_FLOOR)

    @property
    def high_text(self) -> str:
        return fmt(self.high, ROUND_CEILING)

    def __str__(self) -> str:
        if self.is_exact:
            return fmt(self.low) if not self.rounded else f"{fmt(self.low)} (rounded)"
        return f"{self.low_text}-{self.high_text}"


@dataclass(frozen=True)
class Volume:
    """A credential's volume in one unit, with the arithmetic that produced it, in words."""

    amount: Quantity
    unit: str
    system: str          # credit system id, or "au-hours" for plain hours
    explanation: str
    rounded: bool = False

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def source_hours(hours, credits, system_id: str | None) -> tuple[Quantity | None, str]:
    """The credential's notional hours and how they were found: stated hours win over credits."""
    if hours is not None:
        h = Quantity.exact(hours)
        note = f"{h} h stated"
        if credits is not None and system_id in credit_systems():
            cs = credit_systems()[system_id]
            c = exact(credits)
            lo, hi = c * cs.hours_min, c * cs.hours_max
            if not lo <= h.low <= hi:
                note += (f" (its {fmt(c)} {cs.unit} would be {fmt(lo)}" + ("" if lo == hi else f"-{fmt(hi)}")
                         + " h; the stated hours are used)")
        return h, note
    if credits is not None and system_id in credit_systems():
        cs = credit_systems()[system_id]
        c = exact(credits)
        q = Quantity(c * cs.hours_min, c * cs.hours_max)
        return q, f"{fmt(c)} {cs.unit} x {cs.per_credit} h per credit = {q} h"
    if credits is not None:
        return None, f"{fmt(credits)} credits in an unknown credit system: hours cannot be worked out"
    return None, "no volume of learning stated"


def convert(hours: Quantity, target_system: str) -> Volume:
    """Hours into the target system's unit (au-hours stays in hours), exactly."""
    cs = credit_systems()[target_system]
    if cs.unit == "h":
        return Volume(hours, "h", cs.id, f"{hours} h (Australia states volume in hours)", rounded=hours.rounded)
    # Fewer hours per credit gives more credits: the low end divides by the largest figure.
    amount = Quantity(hours.low / cs.hours_max, hours.high / cs.hours_min)
    words = f"{hours} h / {cs.per_credit} h per credit = {amount} {cs.unit}"
    if amount.rounded:
        words += " (shown rounded outward to 2 decimal places; the exact value is used)"
    return Volume(amount, cs.unit, cs.id, words, rounded=amount.rounded)


def to_decimal(value) -> Decimal | None:
    """A stored xsd:decimal's value; None for none or an ill-formed one ('1e3'), which mcmap's
    readers never store and validation cannot compare either."""
    from ..formats.values import BadValue, decimal

    if value is None:
        return None
    try:
        return Decimal(decimal(str(value)))
    except BadValue:
        return None
