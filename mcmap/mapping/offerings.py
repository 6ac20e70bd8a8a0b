"""Same credential, many offerings: offerings of one national code (a VET skill set or unit)
grouped across providers, with each provider's hours, price and delivery mode side by side.

The rows come from the named query `same-credential-offerings`, so `mcmap match --by-code` and
`mcmap query --named same-credential-offerings` always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import namespaces as ns


@dataclass
class Offering:
    iri: str
    identifier: str
    title: str
    provider: str | None
    rto_code: str | None
    hours: Decimal | None
    cost: Decimal | None
    currency: str | None
    delivery_mode: str | None
    units: list[str]


@dataclass
class CodeGroup:
    code: str
    register_title: str | None       # the title in mcmap's reference data, if the code is there
    offerings: list[Offering] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return self.register_title is not None

    def spread(self, attr: str) -> tuple[Decimal, Decimal] | None:
        values = [getattr(o, attr) for o in self.offerings if getattr(o, attr) is not None]
        return (min(values), max(values)) if values else None

    def explain(self) -> str:
        where = (f"{self.register_title} (in mcmap's reference data)" if self.checked
                 else "not checked against the national register")
        from ..words import plural

        parts = [f"{self.code} {where}: {plural(len(self.offerings), 'offering')}"]
        hours = self.spread("hours")
        if hours:
            parts.append(f"hours {_span(hours)} (each provider's own; training.gov.au gives none)")
        cost = self.spread("cost")
        if cost:
            currencies = sorted({o.currency for o in self.offerings if o.currency})
            parts.append(f"price {_span(cost)} {'/'.join(currencies)}".rstrip())
        return "; ".join(parts)


def _span(pair) -> str:
    lo, hi = (format(x.normalize(), "f") for x in pair)
    return lo if lo == hi else f"{lo} to {hi}"


def offerings(store, code: str | None = None) -> list[CodeGroup]:
    """Every nationally coded credential in the store, grouped by code (reference data loaded)."""
    import pyoxigraph as ox

    from ..ontology import ensure_ontology
    from ..query import named_query

    ensure_ontology(store)
    q = named_query("same-credential-offerings")
    bindings = {"code": ox.Literal(code.upper())} if code else None
    names = identifiers(store)
    groups: dict[str, CodeGroup] = {}
    for row in store.select(q.text, bindings=bindings):
        (code_, title_reg, _in_ref, cred, title, provider, rto, hours, cost, currency, mode, units) = row
        g = groups.setdefault(code_.value, CodeGroup(code_.value, title_reg.value if title_reg is not None else None))
        g.offerings.append(Offering(
            iri=cred.value, identifier=names.get(cred.value, cred.value.rsplit("/", 1)[-1]), title=title.value if title else "",
            provider=provider.value if provider is not None else None,
            rto_code=rto.value if rto is not None else None,
            hours=Decimal(hours.value) if hours is not None else None,
            cost=Decimal(cost.value) if cost is not None else None,
            currency=currency.value if currency is not None else None,
            delivery_mode=mode.value if mode is not None else None,
            units=[u for u in units.value.split("|") if u] if units is not None else []))
    return list(groups.values())


def identifiers(store) -> dict[str, str]:
    """Credential IRI -> its identifier (the submission's id), for display."""
    rows = store.select("PREFIX dct: <http://purl.org/dc/terms/> SELECT ?c ?i WHERE { ?c dct:identifier ?i }",
                        default_graphs=[ns.GRAPH_DATA])
    return {c.value: i.value for c, i in rows}
