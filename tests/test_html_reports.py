"""The HTML validation report and comparison, read as a browser would parse them."""
from pathlib import Path

import lxml.html

import mcmap

ROOT = Path(__file__).resolve().parents[1]
NZ = ROOT / "examples" / "nz-submission.csv"
AS_OF = "2025-01-01"


def page(run, *args):
    r = run(*args)
    assert r.exit_code in (0, 1), r.output
    return r.stdout, lxml.html.fromstring(r.stdout)


def test_each_credential_has_a_one_line_overview_with_its_counts(run):
    text, doc = page(run, "validate", NZ, "-f", "nz", "--as-of", AS_OF, "-F", "html")
    overviews = doc.xpath("//details[contains(@class,'credential')]/summary")
    report = mcmap.validate([NZ], framework="nz", as_of=AS_OF)
    with_findings = {f.credential for f in report.findings}
    assert len(overviews) == len(with_findings)
    first = overviews[0].text_content()
    assert "NZ-003" in first and "row 4" in first and "1 violation" in first


def test_conforming_credentials_are_listed_collapsed(run):
    _, doc = page(run, "validate", NZ, "-f", "nz", "--as-of", AS_OF, "-F", "html")
    box = doc.xpath("//details[contains(@class,'conforming')]")
    assert len(box) == 1 and box[0].get("open") is None
    summary = mcmap.validate([NZ], framework="nz", as_of=AS_OF).summary
    assert box[0].xpath("./summary")[0].text_content() == f"{summary['conforming']} conforming credentials"
    assert len(box[0].xpath(".//li")) == summary["conforming"]


def test_findings_filter_by_severity_without_scripts(run):
    text, doc = page(run, "validate", NZ, "-f", "nz", "--as-of", AS_OF, "-F", "html")
    assert not doc.xpath("//script")
    radios = doc.xpath("//input[@type='radio']")
    assert {r.get("id") for r in radios} == {"sev-all", "sev-warning", "sev-violation"}
    assert {tr.get("class") for tr in doc.xpath("//tbody/tr")} <= {"Violation", "Warning", "Info"}
    assert "#sev-violation:checked ~ .findings tr.Warning" in text


def test_tokens_do_not_break_and_it_prints_on_a4(run):
    text, doc = page(run, "validate", NZ, "-f", "nz", "--as-of", AS_OF, "-F", "html")
    assert "@page { size: A4" in text and "@media print" in text
    assert ".mcmap-report .token { white-space: nowrap" in text
    assert "break-all" not in text
    rule_cells = doc.xpath("//tbody/tr/td[2]/span[@class='token']")
    assert rule_cells and all(c.text_content() for c in rule_cells)
    fields = doc.xpath("//tbody/tr/td[4]/span[@class='token']")
    assert "nzsced" in {f.text_content() for f in fields}  # the submission's own column
    assert all(f.get("title") for f in fields)  # the SPARQL path on hover


def test_the_fragment_embeds_in_another_page():
    report = mcmap.validate([NZ], framework="nz", as_of=AS_OF)
    fragment = report.html_fragment(rule_href=lambda rule: f"/rules/{rule}")
    assert "<html" not in fragment and fragment.startswith('<div class="mcmap-report">')
    doc = lxml.html.fragment_fromstring(fragment)
    assert doc.xpath("//a[@href='/rules/NZ-L-6.1b-cr']")


def test_comparison_regimes_labels_sources_and_chart(run):
    text, doc = page(run, "compare", "au", "nz", "ws", "-F", "html")
    regimes = [h.text_content() for h in doc.xpath("//h4[@class='regime']")]
    assert "NZQA micro-credentials (Listing Rules 2022)" in regimes
    required = doc.xpath("//tr[th='required information']//li/text()")
    assert "learning outcome" in required and not any(":" in r for r in required)
    sources = doc.xpath("//tr[th='sources']//ol/li/a/@href")
    assert sources and all(s.startswith("http") for s in sources)
    sizes = [int(t.get("font-size")) for t in doc.xpath("//svg//text")]
    assert sizes and min(sizes) >= 13
    assert doc.xpath("//svg/@viewbox")  # it scales to the page
