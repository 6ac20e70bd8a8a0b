"""Helpers for the exchange-format tests: read files as mcmap does and compare credential records."""
from pathlib import Path

from mcmap.formats import read_files
from mcmap.formats.record import records_from_quads

DATA = Path(__file__).parent / "data" / "exchange"
CSV = DATA / "two-credentials.csv"
RICH = DATA / "rich.ttl"


def records(path):
    return {r.iri: r for r in records_from_quads(read_files([path]))}


def field(rec, name, *, drop_lang=False):
    if name == "provider_name":  # the provider's IRI and name, without its regulator
        return (rec.provider.iri, rec.provider.name.value) if rec.provider and rec.provider.name else None
    if name == "regulator":
        return rec.provider.regulator if rec.provider else None
    value = getattr(rec, name) if not name.startswith("text.") else rec.text.get(name[5:], [])
    if name == "provider" and value is not None:
        return (value.iri, value.name.value if value.name else None, value.regulator)
    if isinstance(value, list) and drop_lang:
        return sorted(getattr(v, "value", v) for v in value)
    return value


def assert_round_trip(before: dict, after: dict, held: list[str], lost: dict[str, str], *, drop_lang=False):
    """Every field in `held` survives; every field in `lost` (name -> why) is indeed not carried."""
    assert set(before) == set(after)
    stated, came_back_wrong = set(), set()
    for iri, rec in before.items():
        back = after[iri]
        for name in held:
            assert field(back, name, drop_lang=drop_lang) == field(rec, name, drop_lang=drop_lang), (iri, name)
        for name in lost:
            if field(rec, name) not in (None, [], ()):
                stated.add(name)
                if field(back, name) != field(rec, name):
                    came_back_wrong.add(name)
    # A field listed as lost must fail to come back for at least one credential that states it.
    carried = stated - came_back_wrong
    assert not carried, f"listed as lost but carried: {carried}"
