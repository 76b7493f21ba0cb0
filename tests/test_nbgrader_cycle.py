"""The instructor's whole nbgrader cycle on module 1, with the real nbgrader CLI (issue 2)."""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import exercise_bank, sandbox
from autograder.model_answers import model_answers

pytestmark = pytest.mark.slow
EXERCISES = [e for e in exercise_bank.all_exercises().values() if e.assignment == "m1_empathy"]


def cell_scores(course, student: str) -> dict[str, tuple[float, float]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook("m1_empathy", "m1_empathy", student)
        return {g.name: (g.score, g.max_score) for g in notebook.grades}


def test_strong_student_earns_every_automatic_point(graded_course):
    scores = cell_scores(graded_course, "strong")
    automatic = {name: s for name, s in scores.items() if name != "m1_reflection"}
    assert automatic and all(score == maximum for score, maximum in automatic.values()), automatic


def test_blank_student_earns_nothing(graded_course):
    assert all(score == 0 for score, _ in cell_scores(graded_course, "blank").values())


def test_partial_student_lands_in_between(graded_course):
    scores = cell_scores(graded_course, "partial")
    reply_scores = [scores[e.test_cells[0]] for e in EXERCISES]
    assert any(s == m for s, m in reply_scores), "the model answers given should earn full points"
    assert any(s < m for s, m in reply_scores), "the poor originals given should not"
    total = sum(s for s, _ in scores.values())
    strong = sum(s for s, _ in cell_scores(graded_course, "strong").values())
    assert 0 < total < strong


def test_reflection_waits_for_the_instructor(graded_course):
    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("m1_reflection", "m1_empathy", "m1_empathy", "strong")
        assert grade.needs_manual_grade and grade.auto_score is None


def test_export_lists_every_student(graded_course):
    rows = {r["student_id"]: float(r["score"]) for r in sandbox.read_grades(graded_course / "grades.csv")}
    assert rows.keys() == {"strong", "partial", "blank"}
    assert rows["blank"] == 0 < rows["partial"] < rows["strong"]


def test_feedback_shows_the_checkers_comments_and_no_hidden_code(graded_course):
    html = (graded_course / "feedback" / "partial" / "m1_empathy" / "m1_empathy.html").read_text()
    assert "Feedback on your reply to" in html
    assert "Not there yet" in html and "Met:" in html
    for hidden in ("check_reply(", "check_quiz(", "BEGIN HIDDEN TESTS", "quiz_keys"):
        assert hidden not in html.replace("from course import start, quiz, check_reply, check_quiz", "")


def test_feedback_never_shows_graded_keys_beyond_the_students_own_result(graded_course):
    html = (graded_course / "feedback" / "blank" / "m1_empathy" / "m1_empathy.html").read_text()
    assert "No saved answer was found" in html
    assert "The answer:" not in html


def test_release_holds_no_model_answers_and_no_keys(graded_course):
    release = graded_course / "release" / "m1_empathy"
    assert sorted(p.name for p in release.iterdir()) == ["m1_empathy.ipynb"]
    text = (release / "m1_empathy.ipynb").read_text()
    for answer in model_answers(graded_course / "source").values():
        assert answer[:60] not in text
    keys = json.dumps(__import__("yaml").safe_load((graded_course / "source/m1_empathy/quiz_keys.yaml").read_text()))
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    for feedback in re.findall(r'"([^"]{40,})"', keys):
        assert feedback not in text


def test_released_reply_cells_hold_the_friendly_placeholder(graded_course):
    nb = nbformat.read(graded_course / "release/m1_empathy/m1_empathy.ipynb", as_version=4)
    replies = [c.source for c in nb.cells if c.source.startswith("%%reply")]
    assert len(replies) == len(EXERCISES)
    assert all(r.endswith("\nWrite your reply here, replacing this line.") for r in replies)
