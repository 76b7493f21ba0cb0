"""Every rewrite exercise: its model answer passes, its poor original fails (table-driven over the banks)."""
from __future__ import annotations

import pytest

from autograder import exercise_bank, grade
from autograder.model_answers import model_answers

from .conftest import REPO

EXERCISES = sorted(exercise_bank.all_exercises().values(), key=lambda e: e.id)
MODELS = model_answers(REPO / "source")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_model_answer_passes_with_at_least_0_9(exercise):
    result = grade(exercise, MODELS[exercise.id])
    assert result.passed and result.score >= 0.9, result.summary()


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.original_response], ids=lambda e: e.id)
def test_original_poor_reply_fails(exercise):
    assert not grade(exercise, exercise.original_response).passed


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.original_response], ids=lambda e: e.id)
def test_original_poor_reply_is_caught_for_its_own_fault(exercise):
    """The poor reply fails because its poor move is detected, not only because it is a copy."""
    from autograder import analyze

    assert analyze(exercise.original_response, exercise.client_statement).features[exercise.poor_type]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_model_answer_is_only_in_the_instructors_copy(exercise):
    assert exercise.id in MODELS
    assert MODELS[exercise.id] not in str(exercise.to_dict())
