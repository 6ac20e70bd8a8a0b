"""Excel workbooks: the .xlsx template, submissions typed into it read as the CSV is (with sheet,
row and cell in every message), and validation reports and map results written as .xlsx in
which no cell can run as a formula."""
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mcmap.formats import columns, tabular
from mcmap.formats.xlsx import template

ROOT = Path(__file__).parents[1]
TEMPLATE = ROOT / "examples/submission-template.xlsx"


def typed(value: str):
    """A cell as a person types it: numbers become numbers, codes lose leading zeros."""
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    return value


def workbook_from_csv(csv_path: Path, out: Path, edit=None) -> Path:
    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb["Submission"]
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    header = [c.value for c in ws[1]]
    assert rows[0] == header[:len(rows[0])]  # a file may leave out the template's last columns
    for r, row in enumerate(rows[1:], start=2):
        for c, value in enumerate(row, start=1):
            if value:
                ws.cell(r, c, typed(value))
    if edit:
        edit(ws)
    wb.save(out)
    return out


def test_template_has_the_csv_columns_explained_with_drop_downs():
    shipped = [next(csv.reader((ROOT / "examples/submission-template.csv").open()))]
    for content in (TEMPLATE.read_bytes(), template()):  # the shipped file is what mcmap generates
        wb = openpyxl.load_workbook(io.BytesIO(content))
        ws = wb["Submission"]
        header = [c.value for c in ws[1]]
        assert header == list(tabular.COLUMNS) == shipped[0]
        for cell in ws[1]:
            assert cell.comment is not None and cell.comment.text == columns.COLUMN_HELP[cell.value]
        described = {r[0]: r[1] for r in wb["Columns"].iter_rows(min_row=2, values_only=True)}
        assert described == {c: columns.COLUMN_HELP[c] for c in tabular.COLUMNS}
        lists = {}
        for dv in ws.data_validations.dataValidation:
            column = header[openpyxl.utils.column_index_from_string(str(dv.sqref).split(":")[0].rstrip("0123456789")) - 1]
            lists[column] = dv.formula1.strip('"').split(",")
        assert lists == {k: list(v) for k, v in columns.CHOICES.items()}
        assert set(lists) >= {"jurisdiction", "level_framework", "credit_system", "delivery_mode",
                              "provider_regulator"}


def test_every_column_is_described():
    assert set(columns.COLUMN_HELP) == set(tabular.COLUMNS)


def report(run, path, *extra):
    result = run("validate", path, "-f", "nz", "-F", "json", *extra)
    doc = json.loads(result.stdout)
    return result.exit_code, [(c["identifier"], c["source_row"], sorted(f["rule_id"] for f in c["findings"]))
                              for c in doc["credentials"]], doc["summary"]


def test_xlsx_submission_validates_as_the_csv_does(run, tmp_path):
    source = ROOT / "examples/nz-submission.csv"
    book = workbook_from_csv(source, tmp_path / "nz.xlsx")
    assert report(run, book) == report(run, source)


def test_codes_typed_as_numbers_keep_their_leading_zero(run, tmp_path):
    book = workbook_from_csv(ROOT / "examples/nz-submission.csv", tmp_path / "nz.xlsx")
    assert openpyxl.load_workbook(book)["Submission"]["T2"].value == 91501  # as Excel stores "091501"
    out = run("export", book, "-F", "ttl").stdout
    assert '"091501"' in out


def test_xlsx_submission_exports(run, tmp_path):
    book = workbook_from_csv(ROOT / "examples/nz-submission.csv", tmp_path / "nz.xlsx")
    result = run("export", book, "-F", "elm", "-o", tmp_path / "nz.jsonld")
    assert result.exit_code == 0
    assert "NZ-001" in (tmp_path / "nz.jsonld").read_text()


def cli(*args):
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("cell, value, expected", [
    ("H4", "ten", "sheet 'Submission', row 4, column H (credits), cell H4: 'ten' is not a number"),
    ("AA3", "last spring", "sheet 'Submission', row 3, column AA (approved_on), cell AA3: "
                           "'last spring' is not a date"),
    ("E5", "Atlantis", "sheet 'Submission', row 5, column E (jurisdiction), cell E5: 'Atlantis' is not"),
    ("H6", "=SUM(1,2)", "sheet 'Submission', row 6, column H (credits), cell H6: the formula =SUM(1,2) "
                        "has no saved result"),
])
def test_bad_cells_are_named_by_sheet_row_and_cell(tmp_path, cell, value, expected):
    def edit(ws):
        ws[cell] = value
    book = workbook_from_csv(ROOT / "examples/nz-submission.csv", tmp_path / "bad.xlsx", edit)
    proc = cli("validate", book, "-f", "nz")
    assert proc.returncode == 2
    assert expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_not_a_workbook_is_refused(tmp_path):
    bad = tmp_path / "sub.xlsx"
    bad.write_text("id,title\n")
    proc = cli("load", bad)
    assert proc.returncode == 2 and "is not an Excel .xlsx workbook" in proc.stderr


def test_unknown_header_names_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.active.append(["id", "titel"])
    wb.active.append(["X-1", "Something"])
    wb.save(tmp_path / "sub.xlsx")
    proc = cli("load", tmp_path / "sub.xlsx")
    assert proc.returncode == 2
    assert "sheet 'Data', row 1, column B (titel), cell B1: unknown column 'titel'" in proc.stderr


def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_report_workbook_has_credentials_and_findings_and_runs_nothing(run, tmp_path):
    hostile = "=HYPERLINK(\"http://example.com\",\"click\")"

    def edit(ws):
        ws["B3"] = "+cmd|' /C calc'!A0"
    book = workbook_from_csv(ROOT / "examples/nz-submission.csv", tmp_path / "nz.xlsx", edit)
    wb = openpyxl.load_workbook(book)
    wb["Submission"]["B2"].value = hostile
    wb["Submission"]["B2"].data_type = "s"
    wb.save(book)
    out = tmp_path / "report.xlsx"
    result = run("validate", book, "-f", "nz", "-F", "xlsx", "-o", out)
    assert result.exit_code == 1
    assert _formulas(out) == []
    wb = openpyxl.load_workbook(out)
    creds = list(wb["Credentials"].iter_rows(values_only=True))
    assert creds[0] == ("file", "row or line", "id", "title", "conforms", "violations", "warnings", "infos")
    _, findings, summary = report(run, book)
    # One row per credential with findings (the count of all checked is on sheet About).
    assert len(creds) == 1 + len(findings)
    about = dict(wb["About"].iter_rows(min_row=2, values_only=True))
    assert about["credentials checked"] == 12
    hostile_rows = [c for c in wb["Findings"]["D"] if c.value in (hostile, "+cmd|' /C calc'!A0")]
    assert all(c.data_type == "s" for c in hostile_rows)
    rows = list(wb["Findings"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == summary["violations"] + summary["warnings"] + summary["infos"]
    assert {(r[2], r[1]) for r in rows} == {(i, row) for i, row, rules in findings if rules}


def test_map_workbook_matches_the_csv(run, tmp_path):
    source = ROOT / "examples/au-submission.csv"
    out = tmp_path / "map.xlsx"
    assert run("map", source, "--to", "nz", "-F", "xlsx", "-o", out).exit_code == 0
    as_csv = list(csv.reader(io.StringIO(run("map", source, "--to", "nz", "-F", "csv").stdout)))
    wb = openpyxl.load_workbook(out)
    rows = [["" if v is None else str(v) for v in r] for r in wb["Mappings"].iter_rows(values_only=True)]
    assert rows == as_csv
    assert wb["Findings"].max_row > 1 and _formulas(out) == []


def test_every_drop_down_value_is_one_the_reader_takes(tmp_path):
    """A value offered in a drop-down list must load as that column's controlled value."""
    from mcmap.formats import read_files

    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb["Submission"]
    header = [c.value for c in ws[1]]
    row = 2
    for column, choices in columns.CHOICES.items():
        for value in choices:
            ws.cell(row, header.index("id") + 1, f"X-{row}")
            ws.cell(row, header.index("title") + 1, "Something")
            if column == "provider_regulator":
                ws.cell(row, header.index("provider") + 1, "Some provider")
            if column == "level_framework":
                ws.cell(row, header.index("level") + 1, 5)
            ws.cell(row, header.index(column) + 1, value)
            row += 1
    wb.save(tmp_path / "choices.xlsx")
    quads = read_files([tmp_path / "choices.xlsx"])
    # Controlled values become IRIs of the vocabulary, never free text.
    literal_modes = [q for q in quads if q.predicate.value.endswith(("#deliveryMode", "#status"))
                     and q.object.__class__.__name__ == "Literal"]
    assert literal_modes == []
    assert len({q.subject for q in quads if q.predicate.value.endswith("#sourceRow")}) == row - 2
