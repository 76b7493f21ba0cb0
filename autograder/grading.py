"""Grade a reply: screen it, analyse its moves, check each rubric criterion, and sum up for the student."""
from __future__ import annotations

from . import data, exercise_bank, rubric, screening
from .analysis import analyze
from .exercise_bank import Exercise
from .result import CriterionResult, GradeResult

MAX_CHARS = 20_000  # a reply longer than this is read only this far (its length is still judged)


def grade(exercise: str | Exercise, text: str) -> GradeResult:
    """Grade `text` as the answer to `exercise` (an id or an Exercise). Never raises on a str."""
    if isinstance(exercise, str):
        exercise = exercise_bank.get(exercise)
    text = text if isinstance(text, str) else ""
    reply = screening.placeholder_free(text)
    unreadable = screening.screen(reply)
    if unreadable:
        return _unreadable(exercise, *unreadable)

    analysis = analyze(reply[:MAX_CHARS], exercise.client_statement)
    results = []
    for criterion in exercise.criteria:
        if not rubric.applies(criterion, exercise):
            continue
        met, values = rubric.CHECKS[criterion.kind](criterion, exercise, reply, analysis)
        results.append(CriterionResult(criterion.id, met, criterion.weight, criterion.required,
                                       rubric.feedback(criterion, met, values, exercise)))
    total = sum(c.weight for c in results)
    score = round(sum(c.weight for c in results if c.met) / total, 4) if total else 0.0
    passed = score >= data.rubric_defaults()["pass_mark"] and all(c.met for c in results if c.required)
    return GradeResult(exercise.id, exercise.client_name, score, passed, tuple(results),
                       _paragraph(passed, results, exercise))


def grade_adhoc(client_statement: str | None, original_response: str | None, text: str) -> GradeResult:
    """Grade a reply to any client statement with the default rubric for an empathic reply."""
    return grade(exercise_bank.adhoc(client_statement or "", original_response), text)


def _unreadable(exercise: Exercise, reason: str, message: str) -> GradeResult:
    unmet = tuple(CriterionResult(c.id, False, c.weight, c.required, "Not checked: " + message)
                  for c in exercise.criteria if rubric.applies(c, exercise))
    return GradeResult(exercise.id, exercise.client_name, 0.0, False, unmet, message, unreadable=reason)


def _paragraph(passed: bool, results: list[CriterionResult], exercise: Exercise) -> str:
    # Required criteria first: they are what stands between the student and a pass.
    unmet = sorted((c for c in results if not c.met), key=lambda c: (not c.required, -c.weight))
    if passed and not unmet:
        return f"Well done: this reply would help {exercise.client_name} feel heard."
    if passed:
        return f"Good reply: it would help {exercise.client_name} feel heard. One more idea: {unmet[0].feedback}"
    return "Not there yet. " + " ".join(c.feedback for c in unmet[:2])
