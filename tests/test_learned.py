"""The learned layer over the rules: trained on the current data, only ever adds moves, and falls back to the
rules alone when its model file is missing."""
from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from autograder import analyze, learned, train
from autograder.detectors import _detect, _detect_rules


def test_model_is_trained_on_the_current_data_and_rules():
    """Editing a lexicon, a detector or a training set changes what the model should be: retrain it."""
    model = json.loads(learned.MODEL.read_text(encoding="utf-8"))
    assert model["trained_on"] == train.data_key(), "stale model: run `.venv/bin/python -m autograder.train`"
    assert set(model["moves"]) == set(train.MOVES)


def test_training_never_reads_the_held_out_replies():
    """The held-out halves of sets 1 and 2 and all of sets 3, 8 and 9 measure the checker; training must not see
    them."""
    trained = {reply for reply, _, _ in train.examples()}
    held_out_sets = [train.DATA / f"independent_replies_{n}.yaml" for n in (3, 8, 9)]
    for path in (*train.DEV_HALVES, *held_out_sets):
        replies = [r["reply"] for r in yaml.safe_load(path.read_text(encoding="utf-8"))["replies"]]
        held_out = [r for r in replies if path not in train.DEV_HALVES or not train.is_dev(r)]
        assert held_out and not trained.intersection(held_out), path.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz '.,?!\n")) , max_size=160))
def test_the_model_only_adds_moves_to_what_the_rules_find(text):
    rules = _detect_rules(text, None)
    final = _detect(text, None)
    assert set(rules) <= set(final)
    assert all(final[m] == rules[m] for m in rules)


def test_a_move_only_the_model_finds_is_shown_by_a_sentence_of_the_reply():
    added = 0
    for path in train.DEV_SETS:
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))["replies"]:
            rules, final = _detect_rules(row["reply"], row["client"]), _detect(row["reply"], row["client"])
            for move in set(final) - set(rules):
                added += 1
                assert final[move].strip() and final[move] in row["reply"], (move, row["reply"])
    assert added >= 100, f"the model added only {added} moves to the rules' findings"


def test_without_a_model_file_the_rules_decide_alone(monkeypatch, tmp_path):
    reply = "I can't promise it'll work out, but I'll be there. What worries you most?"
    monkeypatch.setattr(learned, "MODEL", tmp_path / "missing.json")
    learned.model.cache_clear()
    try:
        assert set(analyze(reply).found()) == set(_detect_rules(reply, None))
    finally:
        learned.model.cache_clear()


@pytest.mark.parametrize("reply, harmful", [
    ("I can't promise everything will be fine.", "false_reassurance"),
    ("I won't tell you it'll all work out.", "false_reassurance"),
    ("I'm not going to tell you what to do.", "advice"),
])
def test_a_worker_negating_their_own_act_is_left_to_the_rules(reply, harmful):
    assert harmful not in analyze(reply).found()
