import os
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """../shared beside the checkout (as CI lays it out), or MCMAP_SHARED."""
    for candidate in (os.environ.get("MCMAP_SHARED"), REPO.parent / "shared", Path("/work/shared")):
        if candidate and Path(candidate, "realdata-examples").is_dir():
            return Path(candidate)
    return None


@pytest.fixture
def shared():
    path = shared_dir()
    if path is None:
        pytest.skip("the shared real-data examples (../shared/realdata-examples) are not beside this checkout")
    return path


@pytest.fixture
def run():
    """Run the real CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    from mcmap.cli import cli

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
