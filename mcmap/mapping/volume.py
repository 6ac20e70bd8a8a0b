"""Volume of learning between jurisdictions: everything goes through notional hours.

A credit is converted to hours with its system's hours per credit, and hours to the target's
unit by dividing by the target's hours per credit. "Full-time years" are never used: a year is
1200 h in AU, NZ and the PQF but 1500-1800 h in ECTS.

Arithmetic is exact (decimal). Only a quotient that does not terminate (e.g. 100 h / 30 h per
ECTS credit) is rounded, to two decimal places and outward (the low end down, the high end up),
so a range always contains the exact value. ECTS's 25-30 h per credit stays a range.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from functools import cache


PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CreditSystem:
    """A credit system's hours per credit as exact decimals (from ontology/frameworks)."""

    id: str
    label: str
    unit: str
    hours_min: Decimal
    hours_max: Decimal
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
                                    hours_min=Decimal(str(rng[0])).normalize(),
                                    hours_max=Decimal(str(rng[1])).normalize(),
                                    status=cs.status, sources=cs.sources)
    return out


@dataclass(frozen=True)
class Quantity:
    """An amount that is exact (low == high) or a range."""

    low: Decimal
    high: Decimal

    @classmethod
    def exact(cls, value) -> "Quantity":
        d = Decimal(str(value))
        return cls(d, d)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def __str__(self) -> str:
        return fmt(self.low) if self.is_exact else f"{fmt(self.low)}-{fmt(self.high)}"


def fmt(d: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 0.30 -> '0.3', 400.0 -> '400'."""
    s = format(d.normalize(), "f")
    return s


def _divide(a: Decimal, b: Decimal, rounding) -> tuple[Decimal, bool]:
    """a / b exactly when it terminates, else rounded to 2 places in the given direction."""
    with localcontext() as ctx:
        ctx.prec = 50
        q = a / b
        if (q * b) == a and len(format(q.normalize(), "f").partition(".")[2]) <= 10:
            return q.normalize(), False
        return q.quantize(PLACES, rounding=rounding), True


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
            c = Decimal(str(credits))
            lo, hi = c * cs.hours_min, c * cs.hours_max
            if not lo <= h.low <= hi:
                note += (f" (its {fmt(c)} {cs.unit} would be {fmt(lo)}" + ("" if lo == hi else f"-{fmt(hi)}")
                         + " h; the stated hours are used)")
        return h, note
    if credits is not None and system_id in credit_systems():
        cs = credit_systems()[system_id]
        c = Decimal(str(credits))
        q = Quantity(c * cs.hours_min, c * cs.hours_max)
        return q, f"{fmt(c)} {cs.unit} x {cs.per_credit} h per credit = {q} h"
    if credits is not None:
        return None, f"{credits} credits in an unknown credit system: hours cannot be worked out"
    return None, "no volume of learning stated"


def convert(hours: Quantity, target_system: str) -> Volume:
    """Hours into the target system's unit (au-hours stays in hours)."""
    cs = credit_systems()[target_system]
    if cs.unit == "h":
        return Volume(hours, "h", cs.id, f"{hours} h (Australia states volume in hours)")
    # Fewer hours per credit gives more credits: the low end divides by the largest figure.
    low, r1 = _divide(hours.low, cs.hours_max, ROUND_FLOOR)
    high, r2 = _divide(hours.high, cs.hours_min, ROUND_CEILING)
    amount = Quantity(low, high)
    words = f"{hours} h / {cs.per_credit} h per credit = {amount} {cs.unit}"
    if r1 or r2:
        words += " (rounded outward to 2 decimal places)"
    return Volume(amount, cs.unit, cs.id, words, rounded=r1 or r2)


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
