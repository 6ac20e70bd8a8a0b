"""One meaning per option in every command: --format/-F is what is written, --input-format what
is read, -f the framework; the spellings from before keep working for a release, with a note."""
import json
import re
import shlex
from pathlib import Path

import pytest

from mcmap.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
NZ_CSV = ROOT / "examples" / "nz-submission.csv"

WRITES = {"compare", "export", "frameworks", "map", "match", "query", "rules", "stack", "validate"}
READS = {"export", "load", "map", "match", "query", "stack", "validate"}
FRAMEWORK = {"rules", "validate"}


def options_of(run, command):
    """The option lines of a command's --help, as a user reads them."""
    text = run(command, "--help").stdout
    return {m.group(0) for m in re.finditer(r"(?m)^\s+(-\w, )?--[\w-]+", text)}, text


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_speaks_the_same_vocabulary(run, command):
    opts, text = options_of(run, command)
    flat = {o.strip() for o in opts}
    if command in WRITES:
        assert "-F, --format" in flat, text
    else:
        assert "--format" not in text
    if command in READS:
        assert "--input-format" in flat, text
    if command in FRAMEWORK:
        assert "-f, --framework" in flat, text
    # -f never means anything but the framework in help
    for line in text.splitlines():
        if re.match(r"\s+-f, ", line):
            assert "--framework" in line, line


def test_top_level_help_examples_run(run, tmp_path, monkeypatch):
    """Every example on `mcmap --help` runs as written (from the repository folder)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    text = run("--help").stdout
    examples = [line.strip() for line in text.splitlines() if line.strip().startswith("mcmap ")]
    assert len(examples) >= 3
    import glob

    for line in examples:
        args = []
        for word in shlex.split(line)[1:]:
            args += sorted(glob.glob(word)) if "*" in word else [word]
        r = run(*args)
        assert r.exit_code in (0, 1), (line, r.output)


def test_export_format_is_what_is_written(run):
    r = run("export", NZ_CSV, "-F", "jsonld")
    assert r.exit_code == 0 and json.loads(r.stdout)
    assert "deprecated" not in r.stderr


def test_export_old_to_still_works_with_a_note(run):
    new = run("export", NZ_CSV, "--format", "nt").stdout
    old = run("export", NZ_CSV, "--to", "nt")
    assert old.exit_code == 0 and old.stdout == new
    assert "--to is deprecated" in old.stderr and "--format/-F" in old.stderr


def test_export_old_format_for_input_still_works(run, tmp_path):
    odd = tmp_path / "nz.data"  # an extension that does not tell the format
    odd.write_bytes(NZ_CSV.read_bytes())
    new = run("export", odd, "--input-format", "csv", "-F", "nt")
    assert new.exit_code == 0, new.output
    old = run("export", odd, "--format", "csv", "--to", "nt")
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert "--input-format" in old.stderr


def test_export_without_format_says_what_to_give(run):
    r = run("export", NZ_CSV)
    assert r.exit_code == 2 and "--format" in r.output and "ob3" in r.output


def test_export_unknown_format_is_refused(run):
    r = run("export", NZ_CSV, "-F", "docx")
    assert r.exit_code == 2 and "'docx' is not one of" in r.output


def test_load_input_format_and_old_format(run, tmp_path):
    odd = tmp_path / "nz.data"
    odd.write_bytes(NZ_CSV.read_bytes())
    r = run("load", odd)
    assert r.exit_code == 2 and "--input-format" in r.stderr
    new = run("load", odd, "--input-format", "csv")
    assert new.exit_code == 0 and "loaded 12 credentials" in new.stderr
    old = run("load", odd, "--format", "csv")
    assert old.exit_code == 0 and "loaded 12 credentials" in old.stderr
    assert "--format is deprecated" in old.stderr and "--input-format" in old.stderr


def test_query_format_and_old_f(run):
    new = run("query", "--named", "credentials-by-level", NZ_CSV, "-F", "csv")
    assert new.exit_code == 0 and new.stdout.startswith("jurisdiction,")
    old = run("query", "--named", "credentials-by-level", NZ_CSV, "-f", "csv")
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert "-f is deprecated" in old.stderr


@pytest.mark.parametrize("args", [("rules", "nz"), ("rules", "-f", "nz"), ("rules", "--framework", "nz")])
def test_rules_takes_the_framework_either_way(run, args):
    r = run(*args, "-F", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["framework"] == "nz"


def test_rules_refuses_two_frameworks(run):
    r = run("rules", "au", "-f", "nz")
    assert r.exit_code == 2 and "two frameworks" in r.stderr


@pytest.mark.parametrize("command", [("map", "--to", "nz"), ("match", "--from", "nz", "--to", "au")])
def test_map_and_match_read_with_input_format(run, tmp_path, command):
    odd = tmp_path / "nz.data"
    odd.write_bytes(NZ_CSV.read_bytes())
    au = ROOT / "examples" / "au-submission.csv"
    r = run(command[0], odd, au, *command[1:], "--input-format", "csv", "-F", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)


@pytest.mark.parametrize("command", [("compare", "au", "nz"), ("frameworks", "nz")])
def test_short_format_everywhere(run, command):
    r = run(*command, "-F", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)
