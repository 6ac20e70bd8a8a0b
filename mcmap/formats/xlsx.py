"""Excel workbooks (.xlsx, read and written with openpyxl): the provider submission template
read as the CSV template is, the blank template with its column descriptions and drop-down
lists, and tables (validation reports, mapping results) written so that no cell can run.

Reading names the sheet, row, column letter and column name of any value it cannot take.
Writing stores every text as text: a cell that starts with "=", "+", "-" or "@" is shown as
written and never evaluated as a formula.
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from . import columns, tabular
from .nquads import QuadText, Writer

SUBMISSION_SHEET = "Submission"
TEXT_COLUMNS = ("id", "nzsced", "approved_on")
COLUMNS_SHEET = "Columns"


# ------------------------------------------------------------------ reading

def _open(path: Path, values: bool = True):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=values)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise InputError(str(path), f"is not an Excel .xlsx workbook ({type(e).__name__}: {e})") from None


def _text(value) -> str:
    """A cell as the CSV template would hold it. Numbers keep their exact written value (a
    float cell's shortest repr, so 0.1 is 0.1); dates are YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        d = Decimal(repr(value))
        return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _sheet(wb, source: str):
    if SUBMISSION_SHEET in wb.sheetnames:
        return wb[SUBMISSION_SHEET]
    for ws in wb.worksheets:
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        if any(isinstance(v, str) and v.strip().lower() in tabular.COLUMNS for v in first):
            return ws
    raise InputError(source, f"no sheet has the template's header row (sheets: {', '.join(wb.sheetnames)}); "
                     f"the first row must name columns such as {', '.join(tabular.COLUMNS[:4])}")


def read_xlsx(path: Path) -> QuadText:
    """The rows' triples as N-Quads text, written row by row like the CSV reader's."""
    return QuadText(path, lambda out: _records(path, out))


def _records(path: Path, out: Writer):
    from openpyxl.utils import get_column_letter

    source = str(path)
    wb, formulas = _open(path), _open(path, values=False)
    try:
        ws = _sheet(wb, source)
        rows = ws.iter_rows(values_only=True)
        written = formulas[ws.title].iter_rows(values_only=True)
        next(written, None)
        header = [_text(v) for v in next(rows, ())]
        while header and not header[-1].strip():
            header.pop()
        if not header:
            raise InputError(source, f"sheet '{ws.title}' is empty")
        width = len(header)
        names = [h.strip().lower() for h in header]

        def numbered():
            for number, (values, raw) in enumerate(zip(rows, written), start=2):
                for col, (v, f) in enumerate(zip(values, raw), start=1):
                    if v is None and isinstance(f, str) and f.startswith("="):
                        raise InputError(source, f"the formula {f} has no saved result; type the value, or open and save the workbook "
                                         "in a spreadsheet program", row=number,
                                         column=names[col - 1] if col <= width else None)
                cells = [_cell(v, names[i] if i < width else "") for i, v in enumerate(values)]
                extra = [c for c in cells[width:] if c.strip()]
                if extra:
                    raise InputError(source, f"has a value beyond the last named column: '{extra[0]}'", row=number)
                yield number, (cells + [""] * width)[:width]

        try:
            yield from tabular.rows_text(source, header, numbered(), out)
        except InputError as e:
            raise _placed(e, ws.title, header, get_column_letter) from None
    finally:
        wb.close()
        formulas.close()


def _cell(value, column: str) -> str:
    # A spreadsheet drops the leading zero of a code typed as a number (091501 -> 91501). NZSCED
    # codes are six digits and their broad fields run 01-12, so a five-digit number is such a
    # code less its zero; anything shorter was mistyped and is left for validation to report.
    if column == "nzsced" and isinstance(value, int) and not isinstance(value, bool) and 10**4 <= value < 10**5:
        return f"{value:06d}"
    return _text(value)


def _placed(e: InputError, sheet: str, header: list[str], letter) -> InputError:
    """The error with the sheet and the column's letter, as a spreadsheet user looks for it."""
    names = [h.strip().lower() for h in header]
    where = f"sheet '{sheet}'"
    if e.row is not None:
        where += f", row {e.row}"
    if e.column is not None:
        col = names.index(e.column) + 1 if e.column in names else None
        where += f", column {letter(col)} ({e.column})" if col else f", column '{e.column}'"
        if col and e.row is not None:
            where += f", cell {letter(col)}{e.row}"
    out = InputError(e.source, f"{where}: {e.detail}")
    out.row, out.column = e.row, e.column
    return out


# ------------------------------------------------------------------ writing

def _safe(value):
    """A value a cell may hold: text without the control characters XML forbids; numbers as numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, (int, float, Decimal, bool)):
        return float(value) if isinstance(value, Decimal) else value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _put(ws, row: int, col: int, value):
    cell = ws.cell(row=row, column=col, value=_safe(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    return cell


def workbook(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An .xlsx with one sheet per (title, header, rows): bold frozen header, filters, widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        for c, name in enumerate(header, start=1):
            _put(ws, 1, c, name).font = Font(bold=True)
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                _put(ws, r, c, value)
        _finish(ws, header, rows)
    return _bytes(wb)


def _finish(ws, header, rows) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    for c, name in enumerate(header, start=1):
        longest = max([len(str(name))] + [len(str(r[c - 1])) for r in rows[:200] if c - 1 < len(r) and r[c - 1]])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(10, longest + 2))


def _bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template() -> bytes:
    """The blank submission template: the CSV template's columns on sheet 'Submission', each
    header explained in a note and on sheet 'Columns', and drop-down lists on the controlled
    columns (values outside a list are refused, except jurisdiction, which takes any ISO code)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SUBMISSION_SHEET
    for c, name in enumerate(tabular.COLUMNS, start=1):
        cell = _put(ws, 1, c, name)
        cell.font = Font(bold=True)
        cell.comment = Comment(columns.COLUMN_HELP.get(name, ""), "mcmap", width=320, height=140)
        if name in TEXT_COLUMNS:  # typed codes keep their leading zeros
            for row in range(2, 1001):
                ws.cell(row=row, column=c).number_format = "@"
        ws.column_dimensions[get_column_letter(c)].width = max(12, len(name) + 4)
        choices = columns.CHOICES.get(name)
        if choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True,
                                errorStyle="warning" if name == "jurisdiction" else "stop",
                                errorTitle=name, error=f"Expected one of: {', '.join(choices)}",
                                promptTitle=name, prompt=columns.COLUMN_HELP.get(name, "")[:255])
            dv.add(f"{get_column_letter(c)}2:{get_column_letter(c)}10000")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    info = wb.create_sheet(COLUMNS_SHEET)
    for c, name in enumerate(("column", "description", "allowed values"), start=1):
        _put(info, 1, c, name).font = Font(bold=True)
    for r, name in enumerate(tabular.COLUMNS, start=2):
        _put(info, r, 1, name)
        _put(info, r, 2, columns.COLUMN_HELP.get(name, "")).alignment = Alignment(wrap_text=True)
        _put(info, r, 3, ", ".join(columns.CHOICES.get(name, ())))
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 24, 90
    info.column_dimensions["C"].width = 40
    return _bytes(wb)
