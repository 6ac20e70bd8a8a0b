"""`mcmap match --by-code`: offerings of one national code side by side."""
import csv
import io
import json


def _fmt(x) -> str:
    return "" if x is None else format(x.normalize(), "f")


def render_groups(store, jurisdictions: set[str], fmt: str, width: int | None = None) -> str:
    from .. import namespaces as ns
    from ..errors import UsageError
    from ..mapping.offerings import offerings

    rows = store.select(
        "PREFIX mc: <https://w3id.org/mcmap/ns#> SELECT ?c ?j WHERE { ?c a mc:MicroCredential ; mc:jurisdiction ?j }",
        default_graphs=[ns.GRAPH_DATA])
    wanted = {c.value for c, j in rows if j.value.rsplit("/", 1)[-1] in jurisdictions}
    groups = []
    for g in offerings(store):
        g.offerings = [o for o in g.offerings if o.iri in wanted]
        if g.offerings:
            groups.append(g)
    if not groups:
        raise UsageError(f"no {' or '.join(sorted(jurisdictions))} credential states a national code "
                         "(column national_code)")
    if fmt == "json":
        return json.dumps([{
            "code": g.code, "register_title": g.register_title, "checked_against_reference_data": g.checked,
            "summary": g.explain(),
            "offerings": [{"id": o.identifier, "title": o.title, "provider": o.provider, "rto_code": o.rto_code,
                           "hours": _fmt(o.hours) or None, "cost": _fmt(o.cost) or None, "currency": o.currency,
                           "delivery_mode": o.delivery_mode, "units": o.units} for o in g.offerings]}
            for g in groups], indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n", delimiter="," if fmt == "csv" else "\t")
        w.writerow(["national_code", "in_reference_data", "id", "title", "provider", "rto_code", "hours", "cost",
                    "currency", "delivery_mode", "units"])
        for g in groups:
            for o in g.offerings:
                w.writerow([g.code, "yes" if g.checked else "no", o.identifier, o.title, o.provider or "",
                            o.rto_code or "", _fmt(o.hours), _fmt(o.cost), o.currency or "", o.delivery_mode or "",
                            "|".join(o.units)])
        return buf.getvalue()
    from ..words import fold_indented

    def fold(text: str, indent: int) -> list[str]:
        return fold_indented(text, indent, width)

    lines = []
    for g in groups:
        lines += fold(g.explain(), 0)
        for o in g.offerings:
            who = (o.provider or "provider not stated") + (f" (RTO {o.rto_code})" if o.rto_code else "")
            bits = [f"{_fmt(o.hours)} h" if o.hours is not None else "hours not stated",
                    f"{_fmt(o.cost)} {o.currency or ''}".strip() if o.cost is not None else "price not stated",
                    o.delivery_mode or "delivery not stated"]
            if o.units:
                bits.append("units " + ", ".join(o.units))
            lines += fold(f"{o.identifier} {o.title!r}: {who}; " + "; ".join(bits), 4)
    return "\n".join(lines) + "\n"
