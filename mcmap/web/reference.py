"""The pages that read mcmap's own data: home, Rules (one anchor per rule) and Compare."""
from __future__ import annotations

from starlette.responses import Response


def routes(site) -> list:
    from starlette.routing import Route

    from ..errors import McmapError
    from ..rule_catalogue import framework_notes, rules
    from ..validate import frameworks, parse_date

    async def home(request) -> Response:
        return site.page(request, "home.html", store=site.store_path)

    async def rule_sets(request) -> Response:
        sets = [{"name": f, "count": len(rules(f))} for f in frameworks()]
        return site.page(request, "rules.html", sets=sets)

    async def rule_set(request) -> Response:
        name = request.path_params["framework"]
        if name not in frameworks():
            return site.problem(request, 404, "No such rule set",
                                f"'{name}' is not a rule set of mcmap (known: {', '.join(frameworks())})", "/rules")
        items = rules(name)
        as_of = request.query_params.get("as_of", "").strip()
        if as_of:
            try:
                day = parse_date(as_of).isoformat()
            except McmapError as e:
                return site.problem(request, 400, "The date is not a date", str(e).replace("--as-of: ", ""),
                                    f"/rules/{name}")
            items = [r for r in items if (r["in_force_from"] or "0000") <= day
                     and (r["in_force_until"] is None or day < r["in_force_until"])]
        return site.page(request, "rule_set.html", name=name, rules=items, notes=framework_notes(name),
                         as_of=as_of, sets=frameworks())

    async def compare(request) -> Response:
        from .. import frameworks as fw
        from ..mapping import compare as cmp

        known = [j.code for j in fw.jurisdictions()]
        chosen = [c for c in request.query_params.getlist("j") if c in known] or ["AU", "NZ", "WS"]
        as_of = request.query_params.get("as_of", "").strip() or None
        fmt = request.query_params.get("format", "")
        try:
            data = cmp.compare(chosen, as_of=parse_date(as_of) if as_of else None)
        except McmapError as e:
            return site.problem(request, 400, "Cannot compare", str(e).replace("--as-of: ", ""), "/compare")
        if fmt in ("json", "html"):
            body = cmp.to_json(data) if fmt == "json" else cmp.to_html(data)
            return Response(body, media_type="application/json" if fmt == "json" else "text/html; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="mcmap-compare.{fmt}"'})
        return site.page(request, "compare.html", known=fw.jurisdictions(), chosen=chosen, as_of=as_of or "",
                         body=cmp.html_body(data), query=request.url.query)

    return [Route("/rules", rule_sets), Route("/rules/{framework}", rule_set), Route("/compare", compare),
            Route("/workbench", home)], home
