"""Text that leaves mcmap for a person: a terminal or a spreadsheet.

Values come from submissions, so a title may carry escape sequences (which recolour a terminal,
retitle its window or hide text) or a cell may start with `=` (which a spreadsheet runs as a
formula). Text and table output goes through `printable`; CSV and TSV cells through `cell`.
"""
from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
_CONTROL_ALL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    c = m.group()
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with control characters shown as visible escapes (ESC becomes `\\x1b`), so the
    terminal prints them instead of obeying them. With keep_newlines, tabs and line breaks
    (LF or CRLF) stay."""
    pattern = _CONTROL if keep_newlines else _CONTROL_ALL
    return pattern.sub(_escape, text) if pattern.search(text) else text


# OWASP's list: a cell starting with one of these is run as a formula by Excel, LibreOffice
# or Google Sheets (a tab or carriage return first, too).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A CSV/TSV cell a spreadsheet shows as text: one starting like a formula gets a leading
    apostrophe (OWASP's advice). Plain numbers such as -3 or +1.5 stay numbers."""
    if value and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_csv(text: str) -> str:
    """Every cell of a CSV document passed through `cell`, the document otherwise unchanged."""
    import csv
    import io

    if not any(c in text for c in _FORMULA_START):
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([cell(c) for c in row])
    return out.getvalue()


def neutralise_tsv(text: str) -> str:
    """Every cell of a TSV document passed through `cell`; a quoted cell (an RDF literal in
    SPARQL TSV, `"=1+1"@en`) gets the apostrophe inside its quotes."""
    def one(c: str) -> str:
        if c.startswith('"') and len(c) > 1 and cell(c[1:].split('"', 1)[0]) != c[1:].split('"', 1)[0]:
            return "\"'" + c[1:]
        return cell(c)

    lines = text.split("\n")
    return "\n".join("\t".join(one(c) for c in line.split("\t")) for line in lines)
