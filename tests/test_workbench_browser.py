"""The workbench in a real browser (Chromium driven by Playwright): the QA officer's round of
upload, read, filter and download; a named query; hostile uploads; the pages at 1280 and 400 px,
saved as screenshots (to $MCMAP_SCREENSHOTS, or a folder under pytest's temporary directory)."""
import datetime as dt
import json
import os
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from workbench_helpers import EXAMPLES, SUBMISSIONS, cli, cli_report, make_store, running_server
from mcmap.words import plural

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = os.environ.get("MCMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TODAY = dt.date.today().isoformat()
WIDTHS = (1280, 400)


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian's chromium package; .ci/install-system-packages installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory, chromium):
    with running_server(make_store(tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture
def page(chromium, base):
    context = chromium.new_context(base_url=base, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("MCMAP_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def submit_check(page, files, framework, as_of=TODAY):
    page.goto("/check")
    page.set_input_files("#files", files)
    page.select_option("#framework", framework)
    page.fill("#as_of", as_of)
    with page.expect_response(lambda r: r.url.endswith("/check") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    return answer.value


def read_counts(page) -> dict:
    return {el.get_attribute("data-count"): int(el.inner_text()) for el in page.query_selector_all("dd[data-count]")}


@pytest.mark.parametrize("name,framework", SUBMISSIONS)
def test_an_officer_uploads_each_example_and_reads_the_cli_counts(page, name, framework):
    answer = submit_check(page, EXAMPLES / name, framework)
    assert answer.status == 200
    expected = cli_report(name, framework, TODAY)
    assert read_counts(page) == expected["summary"]
    headings = page.locator(".report details.credential > summary").all_inner_texts()
    assert len(headings) == len(expected["credentials"])
    assert page.locator(".report tr.Violation").count() == expected["summary"]["violations"]


def test_each_report_download_parses(page, tmp_path):
    submit_check(page, EXAMPLES / "au-submission.csv", "au")
    expected = cli_report("au-submission.csv", "au", TODAY)
    formats = page.eval_on_selector_all("a[data-format]", "els => els.map(e => e.dataset.format)")
    assert {"html", "json", "ttl"} <= set(formats)
    for fmt in formats:
        with page.expect_download() as dl:
            page.click(f"a[data-format={fmt}]")
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        assert path.suffix == f".{fmt}"
        if fmt == "json":
            assert json.loads(path.read_text()) == expected
        elif fmt == "ttl":
            g = rdflib.Graph().parse(path, format="turtle")
            report = next(g.subjects(RDF.type, SH.ValidationReport))
            assert len(list(g.objects(report, SH.result))) == sum(len(c["findings"]) for c in expected["credentials"])
        elif fmt == "html":
            from html.parser import HTMLParser

            HTMLParser().feed(path.read_text())
            assert plural(expected['summary']['violations'], "violation") in path.read_text()
        elif fmt == "xlsx":
            import openpyxl

            assert openpyxl.load_workbook(path).sheetnames


def test_the_severity_filter_hides_rows_without_a_script(chromium, base):
    context = chromium.new_context(base_url=base, java_script_enabled=False)
    page = context.new_page()
    try:
        submit_check(page, EXAMPLES / "nz-submission.csv", "nz")
        violations = page.locator(".report tr.Violation")
        assert violations.count() > 0 and violations.first.is_visible()
        page.uncheck("#show-Violation")
        assert not violations.first.is_visible()
        assert page.locator(".report tr.Warning").first.is_visible()
        page.check("#show-Violation")
        # Information not stated, apart from rules broken: as many rows as the report counts.
        page.uncheck("#show-broken")
        shown = [r for r in page.locator(".report tbody tr").all() if r.is_visible()]
        expected = cli_report("nz-submission.csv", "nz", TODAY)["summary"]["not_stated"]
        assert len(shown) == expected > 0 and all(r.locator(".missing").count() == 1 for r in shown)
    finally:
        context.close()


def test_a_named_query_answers_as_mcmap_query(page):
    page.goto("/queries")
    page.select_option("#named", "volume-of-learning")  # the script opens it at once
    page.wait_for_url("**/queries?named=volume-of-learning")
    page.fill("#param-jurisdiction", "NZ")
    page.get_by_role("button", name="Run").click()
    page.wait_for_load_state()
    done = cli("query", "--named", "volume-of-learning", "-p", "jurisdiction=NZ",
               *sorted(EXAMPLES.glob("*-submission.csv")), "--format", "json")
    expected = json.loads(done.stdout)["results"]["bindings"]
    assert int(page.inner_text("[data-count=rows]")) == len(expected)
    assert page.locator("table.results tbody tr").count() == len(expected)
    cells = page.locator("table.results tbody td").all_inner_texts()
    for binding in expected:
        for term in binding.values():
            if term["type"] == "literal":
                assert term["value"] in cells
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download CSV").click()
    assert len(Path(dl.value.path()).read_text().splitlines()) == len(expected) + 1


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE credentials [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<credentials><credential><title>&secret;</title></credential></credentials>
"""


@pytest.mark.parametrize("name,data,words", [
    ("photo.csv", bytes(range(256)) * 40, "binary"),
    ("evil.xml", XXE, "DOCTYPE"),
    ("huge.csv", b"id,title\n" + b"x" * 50_000_000, "larger than this workbench accepts"),
])
def test_a_hostile_upload_gets_a_clear_page(page, tmp_path, name, data, words):
    (tmp_path / name).write_bytes(data)  # a file on disk, as the officer would choose it
    page.goto("/check")
    page.set_input_files("#files", tmp_path / name)
    if len(data) > 10_000_000:
        assert "the workbench accepts" in page.inner_text(".limit-note")  # said before anything is sent
    with page.expect_response(lambda r: r.url.endswith("/check") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert 400 <= answer.value.status < 500
    assert words in page.inner_text(".problem")
    assert "root:" not in page.content()


PAGES = [("home", "/"), ("rules", "/rules/nz"), ("compare", "/compare"),
         ("query", "/queries?named=credentials-by-level")]


def test_every_page_fits_400_px_and_is_saved_as_screenshots(page, shots):
    def capture(name):
        unlabelled = page.evaluate("""[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                                      .filter(e => !e.labels.length).map(e => e.name || e.id)""")
        assert not unlabelled, f"{name}: form controls without a label: {unlabelled}"
        assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} is {overflow} px wider than a {width} px window"
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)

    for name, url in PAGES:
        page.goto(url)
        capture(name)
    page.goto("/check")
    capture("check")
    submit_check(page, EXAMPLES / "nz-submission.csv", "nz")
    capture("report")
    page.goto("/map")
    page.set_input_files("#map-files", EXAMPLES / "nz-submission.csv")
    page.check("input[name=to][value=AU]")
    page.get_by_role("button", name="Map", exact=True).click()
    page.wait_for_load_state()
    page.locator("details summary").first.click()
    capture("map")
    page.goto("/queries?named=credentials-by-level")
    page.get_by_role("button", name="Run").click()
    page.wait_for_load_state()
    capture("query-results")
    assert len(list(shots.glob("*.png"))) == 2 * 8


def test_keyboard_and_print(page):
    page.goto("/check")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
