"""`mcmap validate` on the shipped examples names every deliberate mistake that
examples/README.md documents, at its row or line and with its rule, and nothing else."""
import json
import re

import pytest

from mcmap.resources import data_dir

EXAMPLES = data_dir("examples")


def documented_mistakes() -> list[dict]:
    """The table of deliberate mistakes in examples/README.md."""
    rows = []
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"(au|nz|ws)-submission", cells[0]):
            rows.append({"file": cells[0], "id": cells[1], "row": int(cells[2]), "line": int(cells[3]),
                         "rule": cells[5], "severity": cells[6]})
    return rows


def expected(jurisdiction: str, place: str) -> set:
    return {(m["id"], m[place], m["rule"], m["severity"])
            for m in documented_mistakes() if m["file"] == f"{jurisdiction}-submission"}


def test_the_readme_documents_mistakes_in_every_example():
    files = {m["file"] for m in documented_mistakes()}
    assert files == {"au-submission", "nz-submission", "ws-submission"}
    assert len(documented_mistakes()) >= 25


@pytest.mark.parametrize("jurisdiction", ["au", "nz", "ws"])
@pytest.mark.parametrize("ext,place", [("csv", "row"), ("ttl", "line")])
def test_validate_reports_exactly_the_documented_mistakes(run, jurisdiction, ext, place):
    path = EXAMPLES / f"{jurisdiction}-submission.{ext}"
    result = run("validate", path, "--framework", jurisdiction, "--format", "json")
    doc = json.loads(result.stdout)
    found = {(c["identifier"], c[f"source_{place}"], f["rule_id"], f["severity"])
             for c in doc["credentials"] for f in c["findings"]}
    assert found == expected(jurisdiction, place)
    assert result.exit_code == 1  # every example has at least one violation
    assert doc["summary"]["credentials_checked"] == 12


@pytest.mark.parametrize("jurisdiction", ["au", "nz", "ws"])
def test_text_report_names_row_rule_and_citation(run, jurisdiction):
    result = run("validate", EXAMPLES / f"{jurisdiction}-submission.csv", "--framework", jurisdiction)
    out = result.stdout
    for m in documented_mistakes():
        if m["file"] != f"{jurisdiction}-submission":
            continue
        block = out.split(f"\n{m['id']}  ", 1)[1].split("\n\n", 1)[0]
        assert f"row {m['row']}" in block
        assert f"{m['severity'].upper()}" in block and f"{m['rule']}:" in block
    assert re.search(r"Summary: 12 credentials checked, \d+ conforming; \d+ violation", out)


def test_the_45_credit_nz_course_is_reported_with_its_value_and_the_bound(run):
    out = run("validate", EXAMPLES / "nz-submission.csv", "--framework", "nz").stdout
    assert "credit value is 45; a micro-credential carries 1 to 40 credits" in out
    assert "NZQA Listing Rules 2022, r 6.1(b)" in out


def test_as_of_switches_the_nz_regime(run):
    today = json.loads(run("validate", EXAMPLES / "nz-submission.csv", "--framework", "nz",
                           "--format", "json").stdout)
    old = json.loads(run("validate", EXAMPLES / "nz-submission.csv", "--framework", "nz",
                         "--as-of", "2020-01-01", "--format", "json").stdout)

    def rules(doc):
        return {(c["identifier"], f["rule_id"]) for c in doc["credentials"] for f in c["findings"]}

    assert ("NZ-003", "NZ-L-6.1b-cr") in rules(today)
    assert not any(r.startswith("NZ-2018-") and r != "NZ-2018-rev" for _, r in rules(today))
    # 2020: the 5-40 credit rule; the 3-credit NZ-012 now fails, 45 credits still fail
    assert {("NZ-012", "NZ-2018-cr"), ("NZ-003", "NZ-2018-cr")} <= rules(old)
    assert ("NZ-012", "NZ-2018-cr") not in rules(today)
    assert not any(r.startswith("NZ-L-") for _, r in rules(old))
    assert old["as_of"] == "2020-01-01"
    bound = [f["message"] for c in old["credentials"] if c["identifier"] == "NZ-012"
             for f in c["findings"] if f["rule_id"] == "NZ-2018-cr"]
    assert bound == ["NZQA micro-credentials 2018-2022: credit value is 3; a micro-credential carried 5 to 40 credits"]


def test_naming_a_past_regime_judges_by_its_last_day(run):
    doc = json.loads(run("validate", EXAMPLES / "nz-submission.csv", "--framework", "nz-2018",
                         "--format", "json").stdout)
    assert doc["as_of"] == "2023-01-15"
    assert ("NZ-012", "NZ-2018-cr") in {(c["identifier"], f["rule_id"]) for c in doc["credentials"]
                                         for f in c["findings"]}


def test_a_conforming_submission_exits_zero_even_with_warnings(run, tmp_path):
    rows = (EXAMPLES / "nz-submission.csv").read_text(encoding="utf-8").splitlines()
    ok = tmp_path / "ok.csv"
    ok.write_text("\n".join([rows[0], rows[1], rows[4], rows[10]]) + "\n", encoding="utf-8")  # NZ-001, NZ-004, NZ-010
    result = run("validate", ok, "--framework", "nz")
    assert result.exit_code == 0
    assert "WARNING" in result.stdout and "VIOLATION" not in result.stdout
    assert "3 credentials checked, 3 conforming; 0 violations, 2 warnings" in result.stdout
