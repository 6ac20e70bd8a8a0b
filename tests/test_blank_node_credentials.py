"""Credentials written without an IRI (Turtle's `[ a mc:MicroCredential ; ... ]`) are judged,
described and mapped as the same credentials with IRIs are: the same findings, with their
identifier and title, whether the information is stated, and the same mapping.

The same comparison against the Oxigraph server and Virtuoso is in test_engines.py."""
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NAMED = REPO / "examples" / "au-submission.ttl"


def blank_node_copy(folder: Path) -> Path:
    """examples/au-submission.ttl with every credential a blank node instead of an IRI."""
    blocks = []
    for block in NAMED.read_text(encoding="utf-8").split("\n\n"):
        head = re.match(r"cred:AU-\d+ a mc:MicroCredential ;", block)
        if head:
            assert block.endswith(" .")
            block = "[ a mc:MicroCredential ;" + block[head.end():-2] + " ] ."
        blocks.append(block)
    path = folder / "au-blank.ttl"
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    assert path.read_text().count("[ a mc:MicroCredential") == 12
    return path


def findings(doc) -> list:
    """Each finding with what the report says of its credential; a value that is the
    credential itself (its IRI, or a blank node's label, new on every parse) as SELF."""
    return sorted((c["identifier"], c["title"], f["rule_id"], f["severity"], f["stated"],
                   "SELF" if f.get("value") == c["focus_node"] else json.dumps(f.get("value")))
                  for c in doc["credentials"] for f in c["findings"])


def mapped(doc) -> list:
    """The mapping of each credential, its own name (an IRI, or a label) as SELF, without the
    file it came from."""
    return sorted(json.dumps({k: v for k, v in m.items() if k != "source"}, sort_keys=True)
                  .replace(m["credential"], "SELF") for m in doc)


def test_blank_node_credentials_are_reported_as_named_ones(run, tmp_path):
    blank = blank_node_copy(tmp_path)
    named = json.loads(run("validate", NAMED, "-f", "au", "-F", "json").stdout)
    got = json.loads(run("validate", blank, "-f", "au", "-F", "json").stdout)
    assert findings(got) == findings(named)
    assert {f[4] for f in findings(got)} == {True, False}
    assert got["summary"] == named["summary"]


def test_blank_node_credentials_map_from_a_file_and_a_store_folder(run, tmp_path):
    blank = blank_node_copy(tmp_path)
    named = run("map", NAMED, "--to", "nz", "-F", "json")
    from_file = run("map", blank, "--to", "nz", "-F", "json")
    assert from_file.exit_code == named.exit_code == 0, from_file.output
    assert mapped(json.loads(from_file.stdout)) == mapped(json.loads(named.stdout))
    assert run("load", blank, "--store", tmp_path / "store").exit_code == 0
    kept = run("map", "--to", "nz", "-F", "json", "--store", tmp_path / "store")
    assert kept.exit_code == 0, kept.output
    assert mapped(json.loads(kept.stdout)) == mapped(json.loads(named.stdout))
    # SSSOM rows need an IRI for their subject: a blank node's skolem IRI
    rows = run("map", blank, "--to", "nz", "-F", "tsv").stdout
    assert "/.well-known/genid/" in rows
