"""Every data file matches its schema, and the files agree with each other (table-driven over the files)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder import data, exercise_bank
from course import quiz_bank

from .conftest import REPO

KEY_FILES = sorted((REPO / "source").glob("*/quiz_keys.yaml"))
MD_FILES = sorted((REPO / "source").glob("*/*.md"))


@pytest.mark.parametrize("path", quiz_bank.bank_files(), ids=lambda p: p.name)
def test_quiz_bank_matches_schema(path):
    quiz_bank.validate(yaml.safe_load(path.read_text()), "quiz_bank", path.name)


@pytest.mark.parametrize("path", data.exercise_files(), ids=lambda p: p.name)
def test_exercise_bank_matches_schema(path):
    data.validate(yaml.safe_load(path.read_text()), "exercises", path.name)


@pytest.mark.parametrize("path", KEY_FILES, ids=lambda p: p.parent.name)
def test_keys_match_schema_and_their_questions(path):
    keys = quiz_bank.load_keys(path)
    for qid in keys:
        assert quiz_bank.get(qid).assignment == path.parent.name


@pytest.mark.parametrize("bad, message", [
    ({"m1_g1": {"points": 1, "answer": "zz", "feedback": {"a": "because."}}}, "not among the options"),
    ({"m1_p1": {"points": 1, "answer": "a", "feedback": {"a": "because."}}}, "m1_p1"),
    ({"m1_g1": {"points": -1, "answer": "a", "feedback": {"a": "because."}}}, "points"),
])
def test_bad_keys_are_refused_with_a_plain_message(tmp_path, bad, message):
    path = tmp_path / "quiz_keys.yaml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(quiz_bank.BankError, match=message):
        quiz_bank.load_keys(path)


def test_a_practice_question_without_feedback_is_refused():
    bank = {"assignment": "m1_empathy", "article": None, "questions": [{
        "id": "m1_p1", "type": "single", "graded": False, "concept": "empathy", "prompt": "Which reply is empathic?",
        "options": [{"id": "a", "text": "One", "correct": True}, {"id": "b", "text": "Two", "correct": False,
                                                                   "feedback": "Because it is not."}]}]}
    with pytest.raises(quiz_bank.BankError, match="feedback"):
        quiz_bank.validate(bank, "quiz_bank", "test")


def test_a_graded_question_with_its_key_in_the_bank_is_refused():
    bank = {"assignment": "m1_empathy", "article": None, "questions": [{
        "id": "m1_g9", "type": "single", "graded": True, "concept": "empathy", "prompt": "Which reply is empathic?",
        "options": [{"id": "a", "text": "One", "correct": True}, {"id": "b", "text": "Two"}]}]}
    with pytest.raises(quiz_bank.BankError):
        quiz_bank.validate(bank, "quiz_bank", "test")


@pytest.mark.parametrize("question", [q for q in quiz_bank.all_questions().values() if not q.graded], ids=lambda q: q.id)
def test_practice_question_has_exactly_the_right_number_of_answers(question):
    key = question.key()
    if question.type in ("single", "truefalse"):
        assert isinstance(key, str)
    elif question.type == "multiple":
        assert 1 <= len(key) < len(question.options)


def test_every_graded_question_has_a_key():
    keyed = {qid for path in KEY_FILES for qid in yaml.safe_load(path.read_text())}
    graded = {q.id for q in quiz_bank.all_questions().values() if q.graded}
    assert graded == keyed


def test_every_question_and_exercise_appears_in_its_notebook():
    text = {md.stem: md.read_text() for md in MD_FILES}
    for q in quiz_bank.all_questions().values():
        assert f":::{{quiz}} {q.id}\n" in text[q.notebook], q.id
    for e in exercise_bank.all_exercises().values():
        assert f":::{{exercise}} {e.id}\n" in text[e.notebook.removesuffix(".ipynb")], e.id


@pytest.mark.parametrize("exercise", exercise_bank.all_exercises().values(), ids=lambda e: e.id)
def test_exercise_criteria_have_unique_ids_and_feedback(exercise):
    ids = [c.id for c in exercise.criteria]
    assert len(ids) == len(set(ids))
    for c in exercise.criteria:
        assert c.params.get("met") and (c.params.get("unmet") or c.params.get("unmet_short"))


def test_quizzes_cli_lists_every_question_without_keys():
    done = subprocess.run([sys.executable, "-m", "course", "quizzes", "--json"], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    listed = json.loads(done.stdout)
    assert len(listed) == len(quiz_bank.all_questions())
    for row in listed:
        assert {"id", "module", "graded", "type", "prompt"} <= set(row)
        assert not {"options", "items", "answer", "correct", "feedback"} & set(row)


def test_installed_course_package_holds_no_graded_keys():
    """Nothing shipped with `course` or `autograder` may contain a graded key's feedback text."""
    shipped = "".join(p.read_text(errors="ignore") for pkg in ("course", "autograder")
                      for p in (REPO / pkg).rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".json"))
    for path in KEY_FILES:
        for key in yaml.safe_load(path.read_text()).values():
            for feedback in key["feedback"].values():
                assert feedback not in shipped
