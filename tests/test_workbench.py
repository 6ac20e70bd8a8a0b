"""The workbench of `mcmap serve` over HTTP, as a browser's requests reach it: every page answers,
a check of each example submission counts what `mcmap validate` counts, the downloads parse,
forms need their security token, hostile uploads get a clear page, and the Query page answers
as the endpoint and `mcmap query` do."""
import csv
import datetime as dt
import io
import json
import re

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from workbench_helpers import EXAMPLES, SUBMISSIONS, cli, cli_report, make_store, running_server
from mcmap.words import plural

pytestmark = pytest.mark.slow
TODAY = dt.date.today().isoformat()
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("workbench"))


@pytest.fixture(scope="module")
def base(store):
    with running_server(store) as url:
        yield url


@pytest.fixture
def browser(base):
    """A client that keeps cookies, as a browser does; the form token comes from a page."""
    with httpx.Client(base_url=base, headers=HTML, timeout=120) as c:
        yield c


def token(client, page="/check") -> str:
    html = client.get(page).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def counts(html: str) -> dict:
    return {k: int(v) for k, v in re.findall(r'data-count="([a-z_]+)">(\d+)<', html)}


def problem(html: str) -> str:
    m = re.search(r'<div class="problem" role="alert">\s*<p>(.*?)</p>', html, re.S)
    return m.group(1).strip() if m else ""


def check(client, files, framework="nz", as_of=TODAY, **extra):
    data = {"csrf_token": token(client), "framework": framework, "as_of": as_of, **extra}
    return client.post("/check", data=data, files=[("files", f) for f in files])


@pytest.mark.parametrize("path", ["/", "/check", "/map", "/compare", "/rules", "/rules/nz", "/queries",
                                  "/queries?named=volume-of-learning", "/compare?j=AU&j=EU&as_of=2024-01-01"])
def test_every_page_answers_with_html_for_a_browser(browser, path):
    r = browser.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<nav aria-label="Workbench pages">' in r.text and "<script src=\"/static/mcmap.js\"" in r.text
    # Nothing is loaded from elsewhere: every stylesheet and script is served by mcmap itself.
    assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', r.text)


def test_a_sparql_client_still_gets_the_endpoint_description_at_the_root(base):
    r = httpx.get(base + "/")
    assert r.headers["content-type"].startswith("text/plain") and "/query" in r.text


def test_an_unknown_address_is_a_page_for_a_browser_and_a_line_for_a_client(browser, base):
    r = browser.get("/chek")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "/chek" in problem(r.text) and '<nav aria-label="Workbench pages">' in r.text
    r = httpx.get(base + "/named-queries")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("/named-queries: not found")
    # A known address with a method it does not take is still 405, not 404.
    assert httpx.put(base + "/query", content=b"x").status_code == 405


@pytest.mark.parametrize("name,framework", SUBMISSIONS)
def test_checking_an_example_counts_what_mcmap_validate_counts(browser, name, framework):
    r = check(browser, [(name, (EXAMPLES / name).read_bytes())], framework=framework)
    assert r.status_code == 200, problem(r.text)
    expected = cli_report(name, framework, TODAY)
    assert counts(r.text) == expected["summary"]
    assert ("The submission conforms." in r.text) == expected["conforms"]
    # Findings name the file and row (or line) as the officer uploaded it, and link the rule.
    first = expected["credentials"][0]
    where = f"{name}, row {first['source_row']}" if first["source_row"] else f"{name}, line {first['source_line']}"
    assert where in r.text
    rule = first["findings"][0]["rule_id"]
    assert f'href="/rules/{framework}#{rule}"' in r.text


def test_the_report_downloads_parse_and_agree_with_the_cli(browser):
    r = check(browser, [("nz-submission.csv", (EXAMPLES / "nz-submission.csv").read_bytes())])
    links = {fmt: url for url, fmt in re.findall(r'href="(/check/[^"]+/report\.(\w+))"', r.text)}
    assert {"html", "json", "ttl", "xlsx"} <= set(links)
    expected = cli_report("nz-submission.csv", "nz", TODAY)
    got = browser.get(links["json"])
    assert got.headers["content-disposition"].startswith("attachment")
    assert json.loads(got.text) == expected
    ttl = rdflib.Graph().parse(data=browser.get(links["ttl"]).text, format="turtle")
    report = next(ttl.subjects(RDF.type, SH.ValidationReport))
    assert len(list(ttl.objects(report, SH.result))) == sum(len(c["findings"]) for c in expected["credentials"])
    assert ttl.value(report, SH.conforms).toPython() is expected["conforms"]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(browser.get(links["xlsx"]).content), read_only=True)
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert {f["rule_id"] for c in expected["credentials"] for f in c["findings"]} <= cells
    html = browser.get(links["html"]).text
    assert html.startswith("<!DOCTYPE html>") and plural(expected['summary']['violations'], "violation") in html
    assert browser.get(links["json"].replace("/report.json", "/report.pdf")).status_code == 404
    assert browser.get("/check/not-a-token/report.json").status_code == 404


def test_a_spreadsheet_upload_counts_what_mcmap_validate_counts(browser, tmp_path):
    import openpyxl

    # The NZ example as a provider would keep it in Excel.
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO((EXAMPLES / "nz-submission.csv").read_text())):
        book.active.append(row)
    book.save(tmp_path / "nz-submission.xlsx")
    r = check(browser, [("nz-submission.xlsx", (tmp_path / "nz-submission.xlsx").read_bytes())])
    assert r.status_code == 200, problem(r.text)
    done = cli("validate", "nz-submission.xlsx", "-f", "nz", "--as-of", TODAY, "--format", "json", cwd=tmp_path)
    expected = json.loads(done.stdout)["summary"]
    assert counts(r.text) == expected and expected["credentials_checked"] == 12


def test_several_files_are_checked_together(browser):
    files = [(n, (EXAMPLES / n).read_bytes()) for n in ("au-submission.csv", "nz-submission.csv")]
    r = check(browser, files, framework="nz")
    done = cli("validate", "au-submission.csv", "nz-submission.csv", "-f", "nz", "--as-of", TODAY, "--format", "json")
    assert counts(r.text) == json.loads(done.stdout)["summary"]


def test_a_form_without_its_token_or_from_another_site_is_refused(browser, base):
    body = {"framework": "nz", "as_of": TODAY}
    files = [("files", ("nz.csv", (EXAMPLES / "nz-submission.csv").read_bytes()))]
    with httpx.Client(base_url=base, headers=HTML) as stranger:
        r = stranger.post("/check", data=body, files=files)
    assert r.status_code == 403 and "security token" in problem(r.text)
    good = token(browser)
    r = browser.post("/check", data={**body, "csrf_token": good}, files=files, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "another site" in problem(r.text)
    r = browser.post("/check", data={**body, "csrf_token": good[::-1]}, files=files)
    assert r.status_code == 403


def served_quads(base) -> int:
    r = httpx.get(base + "/query", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                  headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE credentials [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<credentials><credential><title>&secret;</title></credential></credentials>
"""


@pytest.mark.parametrize("name,data,status,words", [
    ("photo.csv", bytes(range(256)) * 40, 400, "binary"),
    ("evil.xml", XXE, 400, "DOCTYPE"),
    ("huge.csv", b"id,title\n" + b"x" * 50_000_000, 413, "larger than this workbench accepts"),
    ("notes.docx", b"PK\x03\x04 not a submission", 400, "extension"),
    ("broken.ttl", b"@prefix mc: <https://w3id.org/mcmap/ns#> .\n<a> mc:title ", 400, "broken.ttl"),
])
def test_hostile_uploads_get_a_clear_page_and_never_reach_the_store(browser, base, name, data, status, words):
    before = served_quads(base)
    r = check(browser, [(name, data)])
    assert r.status_code == status, r.text[-500:]
    assert words in problem(r.text)
    assert "Traceback" not in r.text and "/tmp/" not in r.text
    assert served_quads(base) == before


def test_a_checked_submission_is_not_added_to_the_served_store(browser, base):
    before = served_quads(base)
    check(browser, [("ws-submission.ttl", (EXAMPLES / "ws-submission.ttl").read_bytes())], framework="ws")
    assert served_quads(base) == before


@pytest.mark.parametrize("fields,words", [
    ({"framework": "xx"}, "not one of"),
    ({"as_of": "30/11/2026"}, "not a date"),
])
def test_a_wrong_choice_is_named_on_the_page(browser, fields, words):
    r = check(browser, [("nz.csv", (EXAMPLES / "nz-submission.csv").read_bytes())], **fields)
    assert r.status_code == 400 and words in problem(r.text)


def test_a_form_without_files_asks_for_one(browser):
    r = browser.post("/check", data={"csrf_token": token(browser), "framework": "nz"})
    assert r.status_code == 400 and "choose at least one file" in problem(r.text)


def many_credentials(n: int) -> bytes:
    """The NZ example's rows again and again under new ids: a large but well-formed submission."""
    header, *rows = (EXAMPLES / "nz-submission.csv").read_text().splitlines()
    out = [header]
    for i in range(n):
        row = rows[i % len(rows)]
        out.append(f"BIG-{i:06d}" + row[row.index(","):])
    return ("\n".join(out) + "\n").encode()


def test_a_check_past_the_time_limit_is_stopped_with_a_clear_page(store):
    big = many_credentials(6000)
    assert len(big) < 10_000_000
    with running_server(store, "--timeout", "0.5") as url, httpx.Client(base_url=url, headers=HTML, timeout=60) as c:
        r = check(c, [("big.csv", big)])
    assert r.status_code == 503 and "stopped after 0.5 s" in problem(r.text)


def test_the_map_page_agrees_with_mcmap_map_and_its_downloads_parse(browser):
    from mcmap.formats.sssom import read_sssom

    data = {"csrf_token": token(browser, "/map"), "to": ["AU", "WS"], "as_of": TODAY}
    r = browser.post("/map", data=data, files=[("files", ("nz-submission.csv", (EXAMPLES / "nz-submission.csv").read_bytes()))])
    assert r.status_code == 200, problem(r.text)
    expected = json.loads(cli("map", "nz-submission.csv", "--to", "au", "ws", "--as-of", TODAY, "--format", "json").stdout)
    assert len(re.findall(r'<tr class="outcome-', r.text)) == sum(len(c["targets"]) for c in expected)
    for c in expected:
        for t in c["targets"]:
            assert f'<td class="outcome">{t["outcome"]}</td>' in r.text
    links = {fmt: url for url, fmt in re.findall(r'href="(/map/[^"]+/mapping\.(\w+))"', r.text)}
    assert json.loads(browser.get(links["json"]).text) == expected
    rows = list(csv.DictReader(io.StringIO(browser.get(links["csv"]).text)))
    assert [(row["id"], row["to"], row["eligible"]) for row in rows] == \
        [(c["id"], t["jurisdiction"], t["outcome"]) for c in expected for t in c["targets"]]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(browser.get(links["xlsx"]).content), read_only=True)
    assert sum(1 for _ in book.worksheets[0].iter_rows()) >= len(rows)
    tsv = browser.get(links["tsv"])
    assert tsv.headers["content-disposition"].endswith('.sssom.tsv"')
    mset = read_sssom("mapping.sssom.tsv", text=tsv.text)
    assert len(mset.mappings) == len(rows)


def test_every_rule_has_an_anchor_on_the_rules_page(browser):
    for framework in ("au", "nz", "ws", "eu", "nz-2018"):
        listed = json.loads(cli("rules", framework, "--format", "json").stdout)["rules"]
        page = browser.get(f"/rules/{framework}").text
        assert [r["rule_id"] for r in listed] == re.findall(r'<tr id="([^"]+)">', page)
    now = browser.get("/rules/nz?as_of=2020-01-01").text
    assert "NZ-2018-annual" in now and 'id="NZ-LR' not in now
    assert browser.get("/rules/xx").status_code == 404


def test_the_compare_page_and_its_download_agree_with_mcmap_compare(browser):
    page = browser.get("/compare?j=AU&j=NZ&j=WS")
    assert "<svg" in page.text and "<table class=\"compare\">" in page.text
    got = browser.get("/compare?j=AU&j=NZ&j=WS&format=json").json()
    assert got == json.loads(cli("compare", "au", "nz", "ws", "--format", "json").stdout)


def run_query(client, **fields):
    return client.post("/queries", data={"csrf_token": token(client, "/queries"), "action": "run", **fields})


def test_a_named_query_on_the_page_answers_as_mcmap_query(browser, store):
    from mcmap.query import named_query

    text = named_query("volume-of-learning").text
    page = run_query(browser, named="volume-of-learning", query=text, jurisdiction="NZ")
    assert page.status_code == 200, problem(page.text)
    done = cli("query", "--named", "volume-of-learning", "-p", "jurisdiction=NZ", *sorted(EXAMPLES.glob("*-submission.csv")),
               "--format", "json")
    expected = json.loads(done.stdout)
    assert counts(page.text)["rows"] == len(expected["results"]["bindings"])
    for binding in expected["results"]["bindings"]:
        for term in binding.values():
            if term["type"] == "literal":
                assert f"<td>{term['value']}</td>" in page.text
    download = browser.post("/queries", data={"csrf_token": token(browser, "/queries"), "action": "json",
                                              "named": "volume-of-learning", "query": text, "jurisdiction": "NZ"})
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.json()["results"]["bindings"] == expected["results"]["bindings"]


def test_the_query_page_has_the_endpoints_refusals(browser, base):
    update = run_query(browser, query="INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert update.status_code == 403 and "read-only" in problem(update.text)
    for text in ("SELECT * WHERE { ?s ?p }", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"):
        page = run_query(browser, query=text)
        direct = httpx.post(base + "/query", data={"query": text})
        assert page.status_code == direct.status_code and page.status_code != 200
        assert problem(page.text).startswith(direct.text.strip()[:60].replace("<", "&lt;").replace(">", "&gt;"))


def test_the_served_stores_credentials_can_be_mapped_without_writing_to_it(browser, base):
    page = browser.get("/map").text
    assert "the 36 credentials of the served store" in page
    before = served_quads(base)
    r = browser.post("/map", data={"csrf_token": token(browser, "/map"), "credentials": "store", "to": ["NZ"],
                                   "as_of": TODAY})
    assert r.status_code == 200, problem(r.text)
    files = sorted(EXAMPLES.glob("*-submission.csv"))
    expected = json.loads(cli("map", *files, "--to", "nz", "--as-of", TODAY, "--format", "json").stdout)
    shown = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)<br>', r.text)
    assert sorted(shown) == sorted(c["id"] for c in expected)
    outcomes = re.findall(r'<td class="outcome">([^<]+)</td>', r.text)
    assert sorted(outcomes) == sorted(t["outcome"] for c in expected for t in c["targets"])
    assert served_quads(base) == before
