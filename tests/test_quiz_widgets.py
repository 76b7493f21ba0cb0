"""The quiz widgets without a browser: built from the real banks, wired to the session and the answers file."""
from __future__ import annotations

import html
import json
import shutil
import warnings

import ipywidgets as w
import pytest

from course import quiz_bank, quiz_widgets
from course.saved_answers import path_for
from course.session import Session

NOTEBOOK = "m0_orientation"


@pytest.fixture
def session(tmp_path) -> Session:
    return Session.open(NOTEBOOK, tmp_path)


def _all(widget, kind):
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += _all(child, kind)
    return found


def _feedback(box: w.VBox) -> w.HTML:
    """The feedback line: the last HTML widget of the question."""
    return [c for c in box.children if isinstance(c, w.HTML)][-1]


def _choose(question, box: w.VBox, answer) -> None:
    """Give an answer the way the browser does: by setting the controls' values."""
    if question.type == "spot":
        menus = _all(box, w.Dropdown)
        for item, menu in zip(question.items, menus):
            menu.value = answer[item["id"]]
    elif question.type == "multiple":
        for option, tick in zip(question.options, _all(box, w.Checkbox)):
            tick.value = option["id"] in answer
    else:
        (radios,) = _all(box, w.RadioButtons)
        radios.value = answer


def test_every_question_of_every_bank_builds_headless_and_silently(tmp_path, capfd):
    questions = list(quiz_bank.all_questions().values())
    assert {q.type for q in questions} == {"single", "multiple", "truefalse", "spot"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for question in questions:
            box = quiz_widgets.build(question, Session.open(question.notebook, tmp_path))
            assert isinstance(box, w.VBox) and "empathy-quiz" in box._dom_classes
            prompt = box.children[0].value
            assert html.escape(question.prompt) in prompt and ("Graded question." if question.graded else
                                                               "Practice question.") in prompt
            labelled = _all(box, w.RadioButtons) + _all(box, w.Dropdown)
            assert all(control.description.strip() for control in labelled), question.id
            assert all(tick.description.strip() for tick in _all(box, w.Checkbox)), question.id
            buttons = _all(box, w.Button)
            assert [b.description for b in buttons] == ([] if question.graded else ["Check my answer"])
    out, err = capfd.readouterr()
    assert err == ""
    assert [str(c.message) for c in caught] == []
    assert not list(tmp_path.glob("*.quiz_answers.json")), "building a question must not write an answers file"


def test_a_graded_answer_change_writes_the_answers_file(session, tmp_path):
    question = quiz_bank.get("m0_g1")
    box = quiz_widgets.build(question, session)
    _choose(question, box, "c")
    _choose(question, box, "b")
    saved = json.loads(path_for(NOTEBOOK, tmp_path).read_text(encoding="utf-8"))
    assert saved["m0_g1"]["answer"] == "b" and saved["m0_g1"]["changes"] == 2
    message = _feedback(box).value
    assert "Saved ✓" in message and 'role="status"' in message
    assert "empathy-live" in _feedback(box)._dom_classes  # made a polite live region in the browser

    again = quiz_widgets.build(question, Session.open(NOTEBOOK, tmp_path))   # the notebook opened again
    assert _all(again, w.RadioButtons)[0].value == "b"
    assert "Your saved answer is shown above" in _feedback(again).value
    assert "role=" not in _feedback(again).value      # not announced while a notebook runs


@pytest.mark.parametrize("question_id", ["m0_p1", "m0_p2", "m0_p3", "m0_p4"])
def test_a_practice_check_updates_the_tally_and_explains_the_choice(session, question_id):
    question = quiz_bank.get(question_id)
    box = quiz_widgets.build(question, session)
    (button,) = _all(box, w.Button)

    button.click()                                      # nothing chosen yet
    assert "Choose an answer first" in _feedback(box).value
    assert question_id not in session.practice

    wrong, right = _wrong_and_right(question)
    _choose(question, box, wrong)
    button.click()
    assert session.practice[question_id] is False
    assert "✘ Not quite" in _feedback(box).value

    _choose(question, box, right)
    button.click()
    message = _feedback(box).value
    assert session.practice[question_id] is True
    assert 'role="alert"' in message and "✔ Correct." in message
    assert "Practice so far in this notebook: 1 of 5 questions right." in message
    chosen = question.items[0]["feedback"] if question.type == "spot" else \
        next(o["feedback"] for o in question.options if o["id"] in (right if isinstance(right, list) else [right]))
    assert html.escape(chosen) in message


def test_an_answer_that_reaches_the_kernel_just_after_the_check_is_the_one_checked(session):
    """ipywidgets can deliver the last radio change just after the button press: the verdict must follow it."""
    question = quiz_bank.get("m0_p1")
    box = quiz_widgets.build(question, session)
    (button,) = _all(box, w.Button)
    wrong, right = _wrong_and_right(question)
    _choose(question, box, wrong)
    button.click()
    _choose(question, box, right)                       # the held-back change, a moment after the press
    assert session.practice["m0_p1"] is True
    assert "✔ Correct." in _feedback(box).value and 'role="alert"' in _feedback(box).value


def test_changing_the_answer_later_takes_the_old_verdict_away(session, monkeypatch):
    monkeypatch.setattr(quiz_widgets, "LATE_CHANGE_S", 0.0)
    question = quiz_bank.get("m0_p1")
    box = quiz_widgets.build(question, session)
    (button,) = _all(box, w.Button)
    wrong, right = _wrong_and_right(question)
    _choose(question, box, right)
    button.click()
    assert "✔ Correct." in _feedback(box).value
    _choose(question, box, wrong)
    message = _feedback(box).value
    assert "Correct" not in message and "You changed your answer" in message and "role=" not in message
    button.click()
    assert "✘ Not quite" in _feedback(box).value and session.practice["m0_p1"] is False


def _wrong_and_right(question):
    key = question.key()
    if question.type == "spot":
        labels = [lab["id"] for lab in question.labels]
        return {item: next(lab for lab in labels if lab != answer) for item, answer in key.items()}, key
    if question.type == "multiple":
        return [o["id"] for o in question.options if not o["correct"]][:1], key
    return next(o["id"] for o in question.options if o["id"] != key), key


def test_a_corrupt_answers_file_is_kept_aside_with_a_clear_message(tmp_path):
    damaged = path_for(NOTEBOOK, tmp_path)
    damaged.write_text('{"m0_g1": {"answer": "b", ', encoding="utf-8")
    session = Session.open(NOTEBOOK, tmp_path)
    box = quiz_widgets.build(quiz_bank.get("m0_g1"), session)
    message = html.unescape(_feedback(box).value)
    assert "Your saved quiz answers could not be read" in message
    assert "Please choose your graded answers again" in message
    (kept,) = tmp_path.glob(f"{damaged.name}.unreadable-*")
    assert kept.name in message and "nothing is lost" in message
    assert kept.read_text(encoding="utf-8") == '{"m0_g1": {"answer": "b", '
    assert _all(box, w.RadioButtons)[0].value is None

    _choose(quiz_bank.get("m0_g1"), box, "a")                # answering again writes a fresh, valid file
    assert json.loads(damaged.read_text(encoding="utf-8"))["m0_g1"]["answer"] == "a"
    assert kept.exists()


def test_the_instructor_copy_never_writes_an_answers_file(tmp_path, repo):
    shutil.copy(repo / "source" / "m0_orientation" / quiz_bank.KEYS_FILE, tmp_path / quiz_bank.KEYS_FILE)
    box = quiz_widgets.build(quiz_bank.get("m0_g1"), Session.open(NOTEBOOK, tmp_path))
    _choose(quiz_bank.get("m0_g1"), box, "a")
    assert "Instructor copy: answers chosen here are not saved." in _feedback(box).value
    assert not path_for(NOTEBOOK, tmp_path).exists()


def test_every_question_carries_its_keyboard_and_screen_reader_support(session):
    box = quiz_widgets.build(quiz_bank.get("m0_p1"), session)
    (support,) = _all(box, w.Output)
    assert support.layout.display == "none"
    assert support.outputs[0]["data"]["application/javascript"] == quiz_widgets.KEYBOARD_JS
    assert 'class="empathy-prompt" id="empathy-m0_p1-' in box.children[0].value
