"""The rubric cannot be gamed: across every exercise, stock templates, keyword lists, echoes, replies about someone
else and empathic openings followed by a harmful move fail (target ≥ 95%), while every model answer passes."""
from __future__ import annotations

from bench.eval_gaming import measure


def test_at_least_95_percent_of_gaming_attempts_fail_and_every_model_answer_passes():
    result = measure()
    failed = 1 - sum(result["passed"].values()) / sum(result["total"].values())
    assert failed >= 0.95, dict(result["passed"])
    assert result["models_ok"] == result["exercises"]


def test_no_harmful_move_after_an_empathic_opening_ever_passes():
    result = measure()
    assert result["passed"]["empathic opening, then a harmful move"] == 0
    assert result["passed"]["original with an empathic opening"] == 0
