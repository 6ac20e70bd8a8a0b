"""The official EDC SHACL application profiles (../shared/realdata-examples/elm-v3/shacl-ap/) as a
referee for mcmap's ELM exports: pySHACL runs them after their \\p{...} regex classes, which Python's
re module lacks, are rewritten in a copy; mcmap's own engine reads them as published."""
from __future__ import annotations

import re
from pathlib import Path

PROFILES = {
    # EDC-generic-full imports EDC-generic-no-cv (owl:imports): both files make the profile.
    "edc-generic": ("EDC-generic-full.ttl", "EDC-generic-no-cv.ttl"),
    "loq": ("LOQ-constraints.ttl",),
}
# \p{L}\p{Nl}\p{Nd} (letters, letter numbers, digits) is at most \w in Python's Unicode regexes,
# and Python wants a global flag such as (?i) before the ^ anchor, not after it.
_UNICODE_CLASSES = re.compile(r"(\\\\p\{L\}|\\\\p\{Nl\}|\\\\p\{Nd\})+")


def for_python(text: str) -> str:
    return _UNICODE_CLASSES.sub(r"\\\\w", text).replace('"^(?i)', '"(?i)^')


def shapes_text(shared: Path, profile: str, *, for_pyshacl: bool) -> str:
    folder = shared / "realdata-examples/elm-v3/shacl-ap"
    text = "\n".join((folder / name).read_text(encoding="utf-8") for name in PROFILES[profile])
    return for_python(text) if for_pyshacl else text


def write_shapes(shared: Path, profile: str, folder: Path, *, for_pyshacl: bool) -> Path:
    """The profile as one Turtle file (files are joined as separate documents, prefixes repeated)."""
    import rdflib

    g = rdflib.Graph()
    base = shared / "realdata-examples/elm-v3/shacl-ap"
    for name in PROFILES[profile]:
        text = (base / name).read_text(encoding="utf-8")
        if for_pyshacl:
            text = for_python(text)
        g.parse(data=text, format="turtle")
    out = folder / f"{profile}{'-py' if for_pyshacl else ''}.ttl"
    g.serialize(out, format="turtle")
    return out


def pyshacl_violations(data_path: Path, shapes_path: Path, fmt: str = "json-ld") -> list[str]:
    """One line per sh:Violation pySHACL reports: focus node, path, component, message."""
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    if fmt == "json-ld":  # contexts come from mcmap's shipped copies, never the network
        import json

        from mcmap.formats.contexts import inline_contexts
        doc = inline_contexts(json.loads(Path(data_path).read_text(encoding="utf-8-sig")))
        data.parse(data=json.dumps(doc), format="json-ld", base=Path(data_path).resolve().as_uri())
    else:
        data.parse(data_path, format=fmt)
    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in report.subjects(SH.resultSeverity, SH.Violation):
        out.append(" ".join(str(report.value(r, p)) for p in
                            (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultMessage)))
    return sorted(out)
