"""Small things people notice: what the quick tour writes is ignored by git; one credential in
two files is an error naming both places; an over-long CSV cell is said in words; the report
renderers import no circle."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def mcmap(*args, cwd):
    return subprocess.run([sys.executable, "-m", "mcmap", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_what_the_quick_tour_writes_is_ignored_by_git():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    import re

    tour = (ROOT / "README.md").read_text(encoding="utf-8").split("## A quick tour", 1)[1].split("```", 2)[1]
    written = {p.removeprefix("./") for p in re.findall(r"(?:-o|--output) (\S+)", tour)}
    written |= {p.removeprefix("./").rstrip("/") + "/" for p in re.findall(r"--store (\S+)", tour)}
    assert {"store/", "report.html", "compare.html", "badges.json"} <= written
    for path in [*written, ".venv/"]:
        assert subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0, path


@pytest.mark.parametrize("order", ["csv-first", "ttl-first"])
def test_one_credential_in_two_files_is_an_error_naming_both(tmp_path, order):
    csv, ttl = EXAMPLES / "au-submission.csv", EXAMPLES / "au-submission.ttl"
    files = [csv, ttl] if order == "csv-first" else [ttl, csv]
    store = tmp_path / "store"
    proc = mcmap("load", *files, "--store", store, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line = proc.stderr.strip()
    assert line.count("\n") == 0 and "credential 'AU-001'" in line
    if order == "csv-first":
        assert "au-submission.ttl:15:" in line and "au-submission.csv row 2" in line
    else:
        assert "au-submission.csv: row 2:" in line and "au-submission.ttl line 15" in line
    counted = mcmap("query", "--named", "credentials-by-level", "--store", store, "-F", "csv", cwd=tmp_path)
    assert counted.stdout.strip().count("\n") == 0  # nothing stored: the header alone


def test_different_credentials_in_two_files_load(tmp_path):
    proc = mcmap("load", EXAMPLES / "au-submission.csv", EXAMPLES / "nz-submission.ttl", cwd=tmp_path)
    assert proc.returncode == 0 and "loaded 24 credentials" in proc.stderr


def test_an_over_long_cell_names_row_and_column(tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("id,title,credits\nA-1," + "x" * 200_000 + ",3\n", encoding="utf-8")
    proc = mcmap("validate", big, "-f", "nz", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"mcmap: error: {big}: row 2, column 'title': the cell is longer than 131,072 "
                                  "characters")
    assert "field limit" not in proc.stderr and len(proc.stderr) < 300


def test_a_garbage_header_is_not_echoed_in_full(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_text("id," + "Q" * 4000 + ",credits\nA-1,t,3\n", encoding="utf-8")
    proc = mcmap("load", junk, cwd=tmp_path)
    assert proc.returncode == 2 and "unknown column 'qqqq" in proc.stderr
    assert len(proc.stderr) < 700 and "q" * 100 not in proc.stderr
    huge = tmp_path / "huge.csv"
    huge.write_text("id," + "Q" * 140_000 + ",credits\nA-1,t,3\n", encoding="utf-8")
    proc = mcmap("load", huge, cwd=tmp_path)
    assert proc.returncode == 2 and "row 1, column '2': the cell is longer than" in proc.stderr


def _module_imports(path: Path, package: str) -> set[str]:
    """Modules of mcmap a module imports when it is loaded (top-level statements only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            out.add(target)
            out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mcmap"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("mcmap"))
    return out


def test_no_module_imports_itself_in_a_circle():
    modules = {}
    for path in (ROOT / "mcmap").rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = name if rel.name == "__init__" else name.rsplit(".", 1)[0]
        modules[name] = path, package
    graph = {n: {m for m in _module_imports(p, pkg) if m in modules and m != n} for n, (p, pkg) in modules.items()}

    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return trail
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
        return None

    circles = [c for c in (cycle_from(n) for n in graph) if c]
    assert not circles, circles[:3]


def test_the_html_report_does_not_import_the_text_renderer():
    source = (ROOT / "mcmap" / "shacl" / "render_html.py").read_text(encoding="utf-8")
    assert "from .render import" not in source and "import render\n" not in source
