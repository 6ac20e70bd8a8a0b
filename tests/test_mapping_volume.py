"""Volume conversion through hours, with exact arithmetic (rounded only when shown)."""
from decimal import Decimal
from fractions import Fraction

import pytest

from mcmap.mapping.volume import Quantity, convert, credit_systems, source_hours


@pytest.mark.parametrize("hours, system, expected, unit", [
    (3, "nz", "0.3", "NZ credits"),          # AU 3-hour course in NZ
    (600, "nz", "60", "NZ credits"),         # AU 600-hour course in NZ
    (400, "au-hours", "400", "h"),           # NZ 40 credits in AU
    (150, "pqf", "15", "PQF credits"),
    (100, "ects", "3.33-4", "ECTS credits"),  # 100/30 rounded down, 100/25
    (75, "ects", "2.5-3", "ECTS credits"),
    (1, "nz", "0.1", "NZ credits"),
])
def test_hours_to_target_unit(hours, system, expected, unit):
    v = convert(Quantity.exact(hours), system)
    assert (str(v.amount), v.unit) == (expected, unit)


def test_quotients_stay_exact_and_are_rounded_outward_only_when_shown():
    v = convert(Quantity.exact(100), "ects")
    assert v.amount.low == Fraction(10, 3) and v.amount.high == Fraction(4)
    assert (v.amount.low_text, v.amount.high_text) == ("3.33", "4")
    assert v.rounded and "rounded outward to 2 decimal places" in v.explanation
    assert not convert(Quantity.exact(3), "nz").rounded


def test_no_rounding_on_the_way_back_to_hours_per_credit():
    """1 NZ credit (10 h) in ECTS, then back to hours per credit: exactly 30 and 25, never 30.3."""
    v = convert(Quantity.exact(10), "ects")
    assert 10 / v.amount.low == 30 and 10 / v.amount.high == 25
    assert str(v.amount) == "0.33-0.4"


def test_stored_form_keeps_the_conversion_rate():
    from decimal import ROUND_CEILING

    from mcmap.mapping.volume import lexical

    third = Fraction(1, 3)
    stored = Decimal(lexical(third, ROUND_CEILING))
    assert stored > third and 25 <= Decimal(10) / stored <= 30
    assert lexical(Fraction(3, 8)) == "0.375"


def test_explanation_shows_the_arithmetic():
    assert convert(Quantity.exact(3), "nz").explanation == "3 h / 10 h per credit = 0.3 NZ credits"


def test_credits_become_hours_and_stated_hours_win():
    assert source_hours(None, 40, "nz") == (Quantity.exact(400), "40 NZ credits x 10 h per credit = 400 h")
    h, words = source_hours(None, 4, "ects")
    assert str(h) == "100-120" and "25 to 30 h per credit" in words
    h, words = source_hours(120, 15, "nz")
    assert h == Quantity.exact(120) and "would be 150 h; the stated hours are used" in words
    assert source_hours(None, None, None) == (None, "no volume of learning stated")


def test_ects_stays_a_range():
    ects = credit_systems()["ects"]
    assert (ects.hours_min, ects.hours_max) == (Decimal(25), Decimal(30))
    assert credit_systems()["nz"].hours_min == credit_systems()["pqf"].hours_min == Decimal(10)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(hours=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
       system=st.sampled_from(["nz", "pqf", "ects", "au-hours"]))
def test_converted_range_always_contains_the_exact_value(hours, system):
    v = convert(Quantity.exact(hours), system)
    cs = credit_systems()[system]
    for per in (cs.hours_min, cs.hours_max):
        exact = Fraction(hours) / per
        assert v.amount.low <= exact <= v.amount.high
        assert Decimal(v.amount.low_text) <= exact <= Decimal(v.amount.high_text)
    assert v.amount.low * cs.hours_max == hours and v.amount.high * cs.hours_min == hours
