"""A rule set's catalogue, as `mcmap rules`, `compare` and the workbench show it: every checked
rule with its citation, severity, evidence status and dates in force, and the source's rules mcmap
does not check, with why."""
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from . import namespaces as ns
from .validate import MC_RULE_ID, _str, framework_files, parse_shapes, rule_info

MC_UNCHECKED = URIRef(ns.MC + "UncheckedRule")
MC_BECAUSE = URIRef(ns.MC + "notCheckedBecause")


def rules(framework: str) -> list[dict]:
    """Every rule of a framework (with core rules and earlier regimes), as `mcmap rules` lists
    them: the shapes that are checked, and the source's rules mcmap does not check, with why
    (severity "not checked"). A date in force resting on an unverified date is marked
    (in_force_from_status / in_force_until_status "unverified")."""
    out = []
    for path in framework_files(framework):
        g = parse_shapes(path)
        for shape in g.subjects(MC_RULE_ID, None):
            info = rule_info(g, shape)
            if (shape, RDF.type, MC_UNCHECKED) in g:
                out.append({**info, "severity": "not checked", "file": path.name, "shape": str(shape),
                            "message": None, "not_checked_because": _str(g.value(shape, MC_BECAUSE))})
                continue
            severity = g.value(shape, SH.severity) or SH.Violation
            message = g.value(shape, SH.message)
            if message is None:
                for c in g.objects(shape, SH.sparql):
                    message = message or g.value(c, SH.message)
            out.append({**info, "severity": severity.split("#")[-1], "file": path.name,
                        "shape": str(shape), "message": _str(message)})
    dates = _unverified_dates()
    notes = {}
    for path in framework_files(framework):
        g = parse_shapes(path)
        notes.update({str(s): str(n) for s, n in g.subject_objects(URIRef(ns.MC + "inForceFromNote"))})
    for r in out:
        for key in ("in_force_from", "in_force_until"):
            r[key + "_status"] = "unverified" if (r["file"][:-4], key, r[key]) in dates else None
        if r["shape"] in notes:  # the source gives only a month or a year
            r["in_force_from_status"], r["in_force_from_note"] = "unverified", notes[r["shape"]]
    return sorted(out, key=lambda r: (r["file"] != "core.ttl", r["file"], r["severity"] == "not checked",
                                      r["rule_id"]))


def _unverified_dates() -> set[tuple[str, str, str]]:
    """(rule set, "in_force_from"/"in_force_until", date) for every definition date the
    framework registry marks unverified (NZ: "mid-January 2023" read as 16 January)."""
    from . import frameworks as registry

    found = set()
    for j in registry.jurisdictions():
        for d in j.definitions:
            if not d.rule_set:
                continue
            for key, prop, day in (("in_force_from", "mc:inForceFrom", d.in_force_from),
                                   ("in_force_until", "mc:inForceUntil", d.in_force_until)):
                if day is not None and d.status_of(prop) == "unverified":
                    found.add((d.rule_set, key, day.isoformat()))
    # A regime's end is the next regime's start: the same date, with the same standing.
    for rule_set, key, day in list(found):
        for other in registry.jurisdictions():
            for d in other.definitions:
                if d.rule_set and day in {x.isoformat() for x in (d.in_force_from, d.in_force_until) if x}:
                    found |= {(d.rule_set, "in_force_from", day), (d.rule_set, "in_force_until", day)}
    return found


def framework_notes(framework: str) -> list[str]:
    """The comments each rule-set file makes about itself (e.g. what is not published)."""
    notes = []
    for path in framework_files(framework):
        g = parse_shapes(path)
        for onto in g.subjects(RDF.type, OWL.Ontology):
            label = g.value(onto, RDFS.label)
            comment = g.value(onto, RDFS.comment)
            if comment is not None:
                notes.append(f"{label or path.name}: {comment}")
    return notes
