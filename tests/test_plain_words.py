"""What a person sees: the README's quick tour fits an 80-column terminal and shows no RDF
names; reports use the submission's column names and plain labels; counts have the right plural;
--wide keeps lines whole; JSON paths are SPARQL property paths, never blank-node ids."""
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = "2025-01-01"

# Prefixed names, mcmap's IRIs, SKOS relations, concept codes: what a provider should never read.
RDF_NAME = re.compile(r"\b(?:mc|mcid|mcdata|dct|dcterms|skos|sh|xsd|rdfs?|owl|schema|sssom|semapv|elm|ceterms):"
                      r"[A-Za-z]|w3id\.org|\b(?:exact|close|broad|narrow|related)Match\b|regulator/|"
                      r"jurisdiction/|UNIVERSITIESNZ|\b_:|\bnc[0-9a-f]{20,}")


def quick_tour() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## A quick tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.startswith("mcmap ")]


def mcmap(args: str, cwd, columns="80"):
    env = {**os.environ, "COLUMNS": columns}
    env.pop("MCMAP_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "mcmap", *args.split()[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def visible_text(html: str) -> str:
    p = _Visible()
    p.feed(html)
    return " ".join(p.text)


@pytest.mark.slow
def test_quick_tour_fits_80_columns_and_shows_no_rdf_names(tmp_path):
    (tmp_path / "examples").symlink_to(EXAMPLES)
    import glob

    commands = [c for c in quick_tour() if not c.startswith("mcmap serve")]
    assert len(commands) >= 10
    for command in commands:
        words = []
        for w in command.split():
            words += sorted(glob.glob(w, root_dir=tmp_path)) if "*" in w else [w]
        proc = mcmap(" ".join(words), tmp_path)
        assert proc.returncode in (0, 1), (command, proc.stderr)
        shown = proc.stdout + proc.stderr
        too_wide = [line for line in shown.splitlines() if len(line) > 80]
        assert not too_wide, (command, too_wide[:3])
        assert not RDF_NAME.search(shown), (command, RDF_NAME.findall(shown)[:5])
    for page in ("report.html", "compare.html"):
        text = visible_text((tmp_path / page).read_text(encoding="utf-8"))
        assert not RDF_NAME.search(text), (page, RDF_NAME.findall(text)[:5])


def test_wide_keeps_each_row_whole(tmp_path):
    narrow = mcmap(f"mcmap map {EXAMPLES / 'au-submission.csv'} --to nz --as-of {AS_OF}", tmp_path)
    wide = mcmap(f"mcmap map {EXAMPLES / 'au-submission.csv'} --to nz --as-of {AS_OF} --wide", tmp_path)
    assert max(map(len, narrow.stdout.splitlines())) <= 80
    assert max(map(len, wide.stdout.splitlines())) > 80
    # folded or not, the same words
    assert narrow.stdout.split() == wide.stdout.split()


@pytest.mark.parametrize("columns", ["60", "100", "140"])
def test_every_human_report_fits_the_terminal(tmp_path, columns):
    for command in (f"mcmap validate {EXAMPLES / 'nz-submission.csv'} -f nz --as-of {AS_OF}",
                    f"mcmap compare au nz ws", "mcmap rules au", "mcmap frameworks",
                    f"mcmap match {EXAMPLES / 'au-submission.csv'} {EXAMPLES / 'nz-submission.csv'} --from au --to nz"):
        proc = mcmap(command, tmp_path, columns)
        assert proc.returncode in (0, 1), proc.stderr
        assert max(len(line) for line in proc.stdout.splitlines()) <= int(columns), command


def test_csv_findings_name_the_column_and_labels(run):
    r = run("validate", EXAMPLES / "au-submission.csv", "-f", "au", "--as-of", AS_OF)
    block = r.stdout.split("\nAU-005  ", 1)[1].split("\n\n", 1)[0]
    assert "column qa_statement" in block and "value no regulator" in block
    assert not RDF_NAME.search(r.stdout)


def test_turtle_findings_name_the_line_and_the_field_label(run):
    r = run("validate", EXAMPLES / "au-submission.ttl", "-f", "au", "--as-of", AS_OF)
    block = r.stdout.split("\nAU-003  ", 1)[1].split("\n\n", 1)[0]
    assert "au-submission.ttl, line " in block and "row" not in block
    assert "field volume of learning" in block and "value 0.5" in block


def test_json_keeps_iris_and_adds_labels_and_sparql_paths(run):
    doc = json.loads(run("validate", EXAMPLES / "au-submission.csv", "-f", "au", "--as-of", AS_OF, "-F", "json").stdout)
    findings = [f for c in doc["credentials"] for f in c["findings"]]
    ms5 = next(f for f in findings if f["rule_id"] == "AU-MS-5")
    assert ms5["value"] == "https://w3id.org/mcmap/id/regulator/NONE" and ms5["value_label"] == "no regulator"
    assert ms5["field"] == "qa_statement" and ms5["path"] == "mc:qaStatement"


def test_sequence_paths_are_written_in_sparql_syntax(run, shared, tmp_path):
    elm = shared / "realdata-examples" / "elm-v3" / "Sample-MC-Annex1-unsigned.jsonld"
    mapped = json.loads(run("map", elm, "--to", "eu", "-F", "json").stdout)
    paths = [f.get("path") for c in mapped for t in c["targets"] for f in t["failures"] + t["warnings"]]
    assert paths and all(p is None or re.match(r"^[(^<A-Za-z]", p) and not re.fullmatch(r"[A-Za-z0-9_-]{6,}", p)
                         for p in paths), paths
    shapes = tmp_path / "names.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix mc: <https://w3id.org/mcmap/ns#> .
        @prefix schema: <https://schema.org/> . @prefix ex: <https://example.org/> .
        ex:Short a sh:NodeShape ; sh:targetClass mc:MicroCredential ;
          sh:property [ sh:path ( mc:provider schema:name ) ; sh:maxLength 3 ; sh:message "name too long" ] .""")
    report = json.loads(run("validate", EXAMPLES / "nz-submission.csv", "--shapes", shapes, "-F", "json").stdout)
    found = [f for c in report["credentials"] for f in c["findings"]]
    assert found and {f["path"] for f in found} == {"mc:provider/schema:name"}
    assert {f["field"] for f in found} == {"provider"}  # the CSV's own column
    text = run("validate", EXAMPLES / "nz-submission.csv", "--shapes", shapes).stdout
    assert "column provider" in text and not RDF_NAME.search(text)


def test_sparql_path_syntax_of_every_shape_form():
    from rdflib import Graph

    from mcmap.labels import sparql_path

    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix mc: <https://w3id.org/mcmap/ns#> .
        @prefix ex: <https://example.org/> .
        ex:a sh:path ( mc:provider mc:regulator ) .
        ex:b sh:path [ sh:inversePath mc:provider ] .
        ex:c sh:path [ sh:alternativePath ( mc:title ( mc:provider mc:name ) ) ] .
        ex:d sh:path [ sh:zeroOrMorePath mc:part ] .
        ex:e sh:path ( [ sh:oneOrMorePath mc:part ] [ sh:zeroOrOnePath <https://example.org/x y> ] ) .
    """, format="turtle")
    sh = "http://www.w3.org/ns/shacl#path"
    from rdflib import URIRef

    got = {str(s).rsplit("/", 1)[-1]: sparql_path(g, o) for s, o in g.subject_objects(URIRef(sh))}
    assert got == {"a": "mc:provider/mc:regulator", "b": "^mc:provider",
                   "c": "(mc:title|mc:provider/mc:name)", "d": "mc:part*",
                   "e": "mc:part+/<https://example.org/x y>?"}


def test_compare_uses_labels_and_keeps_codes_in_json(run):
    text = run("compare", "nz").stdout
    assert "learning outcome" in text and "mc:learningOutcome" not in text
    assert "Universities New Zealand" in text
    doc = json.loads(run("compare", "nz", "-F", "json").stdout)
    required = doc[0]["definitions"][-1]["required"]
    assert {"element": "mc:learningOutcome", "label": "learning outcome", "status": "confirmed"} in required
    assert "UNIVERSITIESNZ" in doc[0]["definitions"][-1]["approved_by"]


@pytest.mark.parametrize("rows, expected", [(1, "loaded 1 credential ("), (2, "loaded 2 credentials (")])
def test_counts_have_the_right_plural(run, tmp_path, rows, expected):
    lines = (EXAMPLES / "nz-submission.csv").read_text(encoding="utf-8").splitlines()
    one = tmp_path / "few.csv"
    one.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    r = run("load", one)
    assert expected in r.stderr and "from 1 file " in r.stderr
    v = run("validate", one, "-f", "nz", "--as-of", AS_OF)
    assert f"Summary: {rows} credential{'s' if rows > 1 else ''} checked" in v.stdout
    assert "(s)" not in v.stdout
