"""A credential's level in another framework: the chain of published correspondences.

The shipped SSSOM rows form a graph of levels. To place a level in a target framework mcmap
follows every chain of rows (at most four steps, never entering a framework twice) and keeps
the chain with the highest confidence:

    confidence(chain) = product of the rows' confidences x 0.8 ** (steps - 1)

so each extra step costs a fifth of the confidence on top of the weakness of its rows. A
one-step chain keeps its row's predicate; a longer chain is only ever skos:relatedMatch
(transitive inference is not a published equivalence). Rows that are themselves chains
(semapv:MappingChaining) are not followed, since the chains they summarise are. A row whose
object is sssom:NoTermFound ends a chain with "no level" (NZQCF 8 has no EQF level).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .. import namespaces as ns
from ..formats.sssom import NO_TERM_FOUND, read_sssom, shipped_mapping_files

DECAY = 0.8
MAX_STEPS = 4
CHAINING = ns.SEMAPV + "MappingChaining"
EXACT, CLOSE, RELATED = ns.SKOS + "exactMatch", ns.SKOS + "closeMatch", ns.SKOS + "relatedMatch"
INVERSE = {ns.SKOS + "broadMatch": ns.SKOS + "narrowMatch", ns.SKOS + "narrowMatch": ns.SKOS + "broadMatch"}
_LEVEL = re.compile(re.escape(ns.ID) + r"level/([a-z]+)/(\d+)$")
_FRAMEWORK = re.compile(re.escape(ns.ID) + r"framework/([a-z]+)$")
ROMAN = "I II III IV V VI VII VIII IX X".split()


def parse_level(iri: str) -> tuple[str, int] | None:
    """.../id/level/aqf/5 -> ('aqf', 5)."""
    m = _LEVEL.match(iri)
    return (m.group(1), int(m.group(2))) if m else None


def level_label(iri: str) -> str:
    parsed = parse_level(iri)
    if not parsed:
        return iri
    fw, n = parsed
    return f"SQF {ROMAN[n - 1]}" if fw == "sqf" and 1 <= n <= 10 else f"{fw.upper()} {n}"


def short(predicate: str) -> str:
    return predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


_MATCH_WORDS = {"exactMatch": "exact match", "closeMatch": "close match", "broadMatch": "broader match",
                "narrowMatch": "narrower match", "relatedMatch": "related match"}


def match_words(predicate: str) -> str:
    """A SKOS mapping relation in words: skos:exactMatch -> 'exact match'."""
    return _MATCH_WORDS.get(short(predicate), short(predicate))


@dataclass(frozen=True)
class Step:
    source: str
    target: str | None       # None: the row says there is no level in `framework`
    framework: str           # the framework of the target (e.g. 'eqf')
    predicate: str
    confidence: float
    justification: str
    comment: str
    see_also: tuple[str, ...]
    mapping_set: str

    def describe(self) -> str:
        target = level_label(self.target) if self.target else f"no {self.framework.upper()} level"
        return f"{level_label(self.source)} -> {target} ({match_words(self.predicate)} {self.confidence:g})"


@dataclass
class LevelMapping:
    source: str
    framework: str                  # target framework id, e.g. 'nzqcf'
    target: str | None              # target level IRI; None when there is no level there
    predicate: str | None
    confidence: float
    steps: list[Step] = field(default_factory=list)
    alternatives: list["LevelMapping"] = field(default_factory=list)

    @property
    def chain(self) -> str:
        """'AQF 5 -> NZQCF 5 -> EQF 5'."""
        if not self.steps:
            return level_label(self.source)
        nodes = [level_label(self.source)] + [
            level_label(s.target) if s.target else f"no {s.framework.upper()} level" for s in self.steps]
        return " -> ".join(nodes)

    @property
    def found(self) -> bool:
        return self.target is not None

    def explain(self) -> str:
        if not self.steps and self.target:
            return f"{level_label(self.source)} is already a {self.framework.upper()} level"
        if not self.steps:
            return f"no published correspondence leads from {level_label(self.source)} to the {self.framework.upper()}"
        if self.target is None and self.steps[-1].framework != self.framework:
            return (f"{self.chain}: {self.steps[-1].describe()}, so no {self.framework.upper()} level can be "
                    f"derived through it")
        words = "; ".join(s.describe() for s in self.steps)
        if len(self.steps) > 1:
            words += f"; x{DECAY} for each step after the first"
        text = f"{self.chain}: {words} = confidence {self.confidence:.3g}"
        others = [a for a in self.alternatives if a.target != self.target]
        agree = [a for a in self.alternatives if a.target == self.target]
        if agree:
            text += "; also supported by " + ", ".join(f"{a.chain} ({a.confidence:.3g})" for a in agree)
        if others:
            text += "; other candidates: " + ", ".join(f"{a.chain} ({a.confidence:.3g})" for a in others)
        return text


class LevelGraph:
    """Levels and the rows between them, both ways (SKOS mapping relations are symmetric,
    broad and narrow swap when a row is read backwards)."""

    def __init__(self, mapping_sets):
        self.sets = list(mapping_sets)
        self.edges: dict[str, list[Step]] = {}
        self._maps: dict[tuple[str, str], LevelMapping] = {}
        for mset in mapping_sets:
            set_id = str(mset.metadata.get("mapping_set_id", mset.source))
            default_obj_src = mset.metadata.get("object_source")
            for m in mset.mappings:
                just = mset.expand(m["mapping_justification"])
                if just == CHAINING:
                    continue
                subj, pred, obj = (mset.expand(m[c]) for c in ("subject_id", "predicate_id", "object_id"))
                conf = m["confidence"] if m["confidence"] is not None else 0.5
                common = dict(confidence=conf, justification=just, comment=m.get("comment", ""),
                              see_also=tuple(m.get("see_also", [])), mapping_set=set_id)
                if obj == NO_TERM_FOUND:
                    src = m.get("object_source") or default_obj_src
                    fw = _framework_id(mset.expand(src)) if src else None
                    if fw and parse_level(subj):
                        self._add(Step(source=subj, target=None, framework=fw, predicate=pred, **common))
                    continue
                if not (parse_level(subj) and parse_level(obj)):
                    continue  # term crosswalks share the folder; only levels matter here
                self._add(Step(source=subj, target=obj, framework=parse_level(obj)[0], predicate=pred, **common))
                self._add(Step(source=obj, target=subj, framework=parse_level(subj)[0],
                               predicate=INVERSE.get(pred, pred), **common))

    def cached_map(self, level: str, framework: str) -> LevelMapping:
        """`map`, worked out once per level and framework (the result is not to be changed)."""
        key = (level, framework)
        if key not in self._maps:
            self._maps[key] = self.map(level, framework)
        return self._maps[key]

    def _add(self, step: Step) -> None:
        self.edges.setdefault(step.source, []).append(step)

    def map(self, level: str, framework: str) -> LevelMapping:
        """Place `level` in `framework` (an id such as 'nzqcf'); the best chain and the others."""
        framework = framework.lower()
        parsed = parse_level(level)
        if parsed and parsed[0] == framework:
            return LevelMapping(level, framework, level, EXACT, 1.0)
        found: list[LevelMapping] = []
        blocked: list[list[Step]] = []

        def walk(node: str, steps: list[Step], seen: set[str]) -> None:
            for step in self.edges.get(node, []):
                if step.framework in seen and step.framework != framework:
                    continue
                path = steps + [step]
                if step.framework == framework:
                    found.append(_result(level, framework, path))
                elif step.target is None:
                    blocked.append(path)
                elif len(path) < MAX_STEPS:
                    walk(step.target, path, seen | {step.framework})

        walk(level, [], {parsed[0]} if parsed else set())
        if not found:
            # Say where the chains stopped (EQF 1 has no NZQCF level), not just "nothing".
            steps = min(blocked, key=len) if blocked else []
            return LevelMapping(level, framework, None, None, 0.0, list(steps))
        # Best confidence first; among equals the shorter chain, then the lower level (stable).
        found.sort(key=lambda r: (-r.confidence, len(r.steps), r.target or ""))
        best, seen_targets = found[0], set()
        for alt in found[1:]:
            key = (alt.target, alt.chain)
            if key not in seen_targets and alt.chain != best.chain:
                seen_targets.add(key)
                best.alternatives.append(alt)
        best.alternatives = best.alternatives[:5]
        return best


def _result(source: str, framework: str, steps: list[Step]) -> LevelMapping:
    conf = 1.0
    for s in steps:
        conf *= s.confidence
    conf *= DECAY ** (len(steps) - 1)
    pred = steps[0].predicate if len(steps) == 1 else RELATED
    return LevelMapping(source, framework, steps[-1].target, pred, round(conf, 6), list(steps))


def _framework_id(iri: str) -> str | None:
    m = _FRAMEWORK.match(iri)
    return m.group(1) if m else None


@cache
def shipped_graph() -> LevelGraph:
    return LevelGraph([read_sssom(p) for p in shipped_mapping_files()])


def map_level(level: str, framework: str) -> LevelMapping:
    return shipped_graph().map(level, framework)
