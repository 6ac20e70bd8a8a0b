"""`mcmap compare`: definitions side by side, read from the framework ontology."""
import json
import re
import xml.etree.ElementTree as ET

from mcmap.mapping.compare import compare


def test_bounds_in_hours_come_from_the_ontology():
    data = {j["jurisdiction"]: j for j in compare(["au", "nz", "ws"])}
    au = data["AU"]["definitions"][0]
    assert (au["min_hours"], au["max_hours"], au["max_hours_status"]) == (1.0, 600.0, "unverified")
    nz = {d["rule_set"]: d for d in data["NZ"]["definitions"]}
    assert (nz["nz"]["min_hours"], nz["nz"]["max_hours"]) == (10.0, 400.0)     # 1-40 credits x 10 h
    assert (nz["nz-2018"]["min_hours"], nz["nz-2018"]["max_hours"]) == (50.0, 400.0)
    assert data["WS"]["definitions"][0]["min_hours"] is None
    assert data["WS"]["credit_system"]["status"] == "unverified"
    assert data["WS"]["framework"]["level_notation"] == "I-X"


def test_as_of_keeps_the_definition_in_force():
    (nz,) = compare(["nz"], as_of="2020-01-01")
    assert [d["rule_set"] for d in nz["definitions"]] == ["nz-2018"]


def test_text_table(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    r = run("compare", "au", "nz", "ws")
    assert r.exit_code == 0
    for words in ("AU (Australia)", "NZ (New Zealand)", "WS (Samoa)", "1 to 600 h (max unverified)",
                  "10 to 400 h", "no published bounds", "SQF: 10 levels (I-X)", "[confirmed]"):
        assert words in r.stdout, words


def test_html_has_an_inline_svg_chart_and_no_scripts(run, tmp_path):
    out = tmp_path / "c.html"
    r = run("compare", "au", "nz", "ws", "--format", "html", "--output", out)
    assert r.exit_code == 0
    page = out.read_text()
    assert "<script" not in page and "<svg" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    root = ET.fromstring(svg)   # well-formed, self-contained
    ns = "{http://www.w3.org/2000/svg}"
    bars = root.findall(f"{ns}rect")
    assert len(bars) == 3      # AU, NZ 2018, NZ 2022 have bounds; WS has none
    assert "no published bounds" in svg
    assert 'href="https://ponder.education/news/2022/03/28/key-takeaways-from-the-national-microcredentials-framework/"' in page


def test_json_and_unknown_jurisdiction(run):
    r = run("compare", "au", "--format", "json")
    assert json.loads(r.stdout)[0]["credit_system"]["code"] == "au-hours"
    r = run("compare", "au", "atlantis")
    assert r.exit_code == 2 and "atlantis" in r.stderr
