"""Shared fixtures. The slow ones run the real nbgrader CLI once per test session on a scratch course."""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder import sandbox

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory) -> Path:
    """Module 1 taken through the whole instructor cycle: generate, three students submit (strong, partial,
    blank), autograde, generate_feedback, export."""
    course = sandbox.make_course(tmp_path_factory.mktemp("course"), ["m1_empathy"])
    sandbox.generate(course)
    for student in ("strong", "partial", "blank"):
        sandbox.submit(course, student, student, "m1_empathy")
    sandbox.nbgrader(course, "autograde", "m1_empathy")
    sandbox.nbgrader(course, "generate_feedback", "m1_empathy")
    sandbox.nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return course
