"""What `mcmap stack` reports: the qualification, each micro-credential's contribution to it and
the requirements met (exact fractions; only the rendering rounds)."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import UsageError
from .levels import level_label

COUNTS, POSSIBLE, NO = "counts", "possible", "does not count"


@dataclass
class Qualification:
    iri: str
    code: str
    title: str
    jurisdiction: str | None = None
    level: str | None = None
    total_units: int | None = None
    core: list[str] = field(default_factory=list)
    electives: int | None = None
    listed_electives: set[str] = field(default_factory=set)
    total_credits: Fraction | None = None
    credit_system: str | None = None
    requirements: list[tuple[Fraction, str]] = field(default_factory=list)   # (credits, level IRI)
    sources: list[str] = field(default_factory=list)
    status: str | None = None
    comment: str | None = None

    @property
    def by_units(self) -> bool:
        return self.total_units is not None

    def describe(self) -> str:
        if self.by_units:
            return (f"{self.total_units} units of competency: {len(self.core)} core and {self.electives or 0} "
                    f"electives")
        parts = [f"{_num(self.total_credits)} {self.unit}"]
        parts += [f"at least {_num(c)} of them at {level_label(lv)} or above" for c, lv in self.requirements]
        return ", ".join(parts)

    @property
    def unit(self) -> str:
        return f"{(self.credit_system or '').upper()} credits" if self.credit_system else "credits"


@dataclass
class Contribution:
    identifier: str
    title: str
    where: str
    outcome: str                     # counts, possible, does not count
    reasons: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    core: list[str] = field(default_factory=list)
    electives: list[str] = field(default_factory=list)
    possible_electives: list[str] = field(default_factory=list)
    credits: Fraction = Fraction(0)          # certain part, in the qualification's credit unit
    credits_possible: Fraction = Fraction(0)  # the part that may count
    levels_met: list[str] = field(default_factory=list)   # level IRIs of requirements it counts toward


@dataclass
class Requirement:
    level: str
    required: Fraction
    counted: Fraction
    possible: Fraction

    @property
    def remaining(self) -> Fraction:
        return max(Fraction(0), self.required - self.counted)


@dataclass
class StackResult:
    qualification: Qualification
    contributions: list[Contribution]
    core_done: list[str] = field(default_factory=list)
    core_remaining: list[str] = field(default_factory=list)
    electives_counted: list[str] = field(default_factory=list)
    electives_possible: list[str] = field(default_factory=list)
    credits_counted: Fraction = Fraction(0)
    credits_possible: Fraction = Fraction(0)
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def units_counted(self) -> int:
        q = self.qualification
        return len(self.core_done) + min(len(self.electives_counted), q.electives or 0)

    @property
    def electives_remaining(self) -> int:
        return max(0, (self.qualification.electives or 0) - len(self.electives_counted))

    @property
    def credits_remaining(self) -> Fraction:
        total = self.qualification.total_credits or Fraction(0)
        return max(Fraction(0), total - self.credits_counted)

    def to_dict(self) -> dict:
        """What `mcmap stack --format json` writes (fractions as exact strings)."""
        from .stack_render import to_json

        return to_json(self)

    def render(self, fmt: str = "text") -> str:
        """The text, json or html document the CLI writes."""
        from .stack_render import render_html, render_json, render_text

        renderers = {"text": render_text, "json": render_json, "html": render_html}
        if fmt not in renderers:
            raise UsageError(f"unknown format '{fmt}' (known: text, json, html)")
        return renderers[fmt](self)

    @property
    def share(self) -> Fraction:
        """The part of the qualification achieved for certain (0 to 1)."""
        q = self.qualification
        if q.by_units:
            return Fraction(self.units_counted, q.total_units) if q.total_units else Fraction(0)
        if not q.total_credits:
            return Fraction(0)
        return min(Fraction(1), self.credits_counted / q.total_credits)


def _num(x) -> str:
    if x is None:
        return "?"
    f = Fraction(x)
    return str(f.numerator) if f.denominator == 1 else f"{float(f):.2f}".rstrip("0").rstrip(".")
