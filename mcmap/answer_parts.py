"""Large SELECT answers from a remote store, asked for in parts split by a hash of one variable.

No paging order is needed, so this works on stores that refuse to sort past a limit
(Virtuoso), and a part a server cuts at its row cap is asked for again in halves.
"""
from __future__ import annotations

import itertools

from .sparql_text import with_filter
from .store import Rows, StoreError

# A split answer (Store.select's split_by) is asked for in parts of about this many bytes: a
# quarter of the 64 MiB no answer should exceed, so an uneven part still stays under it.
PART_BYTES = 16 * 1024 * 1024
# An answer is first asked for whole and held up to this size; only a larger one is split.
FIRST_BYTES = 4 * 1024 * 1024
# The first part: the rows whose hash sorts below this, 1/256 of them, from which the size of
# the rest is estimated. Hash prefixes bound the parts: any engine's MD5 and string order will
# do, as long as it is the same for every part.
_PROBE, _SPACE = 0x0100, 0x10000


class PartialAnswer(StoreError):
    """The server answered with fewer results than the query has. `cap`: the row limit it cut
    the answer at, when it said so (a time limit has none)."""

    def __init__(self, message: str, cap: int | None = None):
        super().__init__(message)
        self.cap = cap


def select_in_parts(ask, sparql: str, var: str) -> Rows:
    """The rows of `sparql`, whose answer may be large (`ask(text)` gives a query's answer and
    the counter of its bytes), in parts none much over PART_BYTES.

    Most answers are small: the whole answer is read first, up to FIRST_BYTES, and if it ends there it is
    the answer. Otherwise that request is dropped and the rows are partitioned by a hash
    of `var` (no paging order is needed; stores such as Virtuoso refuse to sort past a
    limit): a part of 1/256 of the hash space measures the answer, and the rest is asked
    for in as many equal ranges of hashes as that size needs. A store that cuts answers
    at a row limit (Virtuoso's ResultSetMaxRows) gets parts of at most half that many rows,
    and a part it still cuts is asked for again in halves."""
    cap = None
    try:
        whole, read = ask(sparql)
    except PartialAnswer as e:
        if e.cap is None:
            raise
        cap = e.cap
    else:
        if not isinstance(whole, Rows):
            raise StoreError("expected a SELECT query")
        held: list = []
        rows = iter(whole)
        for row in rows:
            held.append(row)
            if read.n > FIRST_BYTES:
                rows.close()  # closes the response: the server stops sending
                break
        else:
            return Rows(whole.variables, held)
        del held

    def answered(lo: int, hi: int | None):
        """Each range of hashes within [lo, hi) the server answers whole, in order."""
        try:
            got = ask(with_filter(sparql, partition(var, lo, hi)))
        except PartialAnswer as e:
            top = _SPACE if hi is None else hi
            if e.cap is None or top - lo < 2:
                raise
            yield from answered(lo, (lo + top) // 2)
            yield from answered((lo + top) // 2, hi)
            return
        yield got

    probe = answered(0, _PROBE)
    first = next(probe)
    variables = first[0].variables

    def rows_of(answers):
        for rows, read in answers:
            order = [rows.variables.index(v) for v in variables]
            for row in rows:
                yield tuple(row[i] for i in order)
            measured[1] += read.n

    measured = [0, 0]  # probe rows, probe bytes

    def parts():
        for row in rows_of(itertools.chain([first], probe)):
            measured[0] += 1
            yield row
        scale = (_SPACE - _PROBE) / _PROBE
        count = -(-int(measured[1] * scale) // PART_BYTES)
        if cap:
            count = max(count, -(-int(measured[0] * scale) // max(1, cap // 2)))
        count = max(1, min(_SPACE - _PROBE, count))
        for lo, hi in hash_ranges(count, start=_PROBE):
            yield from rows_of(answered(lo, hi))
    return Rows(variables, parts())


def hash_ranges(count: int, start: int = 0) -> list[tuple[int, int | None]]:
    """`count` equal ranges of hash prefixes from `start` to the end of the space (the last one
    open-ended, so nothing past the final prefix is missed), for `partition`."""
    bounds = [start + (_SPACE - start) * i // count for i in range(count)] + [None]
    return list(zip(bounds, bounds[1:]))


def partition(var: str, lo: int, hi: int | None) -> str:
    """The rows whose `var` hashes into [lo, hi) of the first four hex digits of its MD5 (hi
    None: no upper bound). A blank node or an unbound variable hashes to "", in the first part.
    (Engines give MD5 in lower case; Virtuoso compares LCASE's result with a string as false.)"""
    text = f'COALESCE(MD5(STR(?{var})), "")'
    tests = ([f'{text} >= "{lo:04x}"'] if lo else []) + ([f'{text} < "{hi:04x}"'] if hi is not None else [])
    return " && ".join(tests) or "true"
