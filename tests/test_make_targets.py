"""The make targets an instructor types: they call the documented commands and explain a missing argument."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("target,command", [
    ("autograde", "-m autograder autograde m1_empathy --jobs 3"),
    ("report", "-m autograder report m1_empathy"),
])
def test_class_targets_run_the_documented_command(target, command):
    dry = make("-n", target, "A=m1_empathy", "JOBS=3")
    assert dry.returncode == 0, dry.stderr
    assert command in dry.stdout


@pytest.mark.parametrize("target", ["autograde", "report"])
def test_class_targets_name_the_missing_assignment(target):
    result = make(target)
    assert result.returncode == 2
    assert f"make {target} A=m1_empathy" in result.stdout
