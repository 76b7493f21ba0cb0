"""Rubric grading: scores, pass/fail, kind feedback, bad input and gaming attempts (issue 2/3)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr

import pytest

from autograder import exercise_bank, grade, grade_adhoc
from autograder.model_answers import model_answers

from .conftest import REPO

EX = exercise_bank.get("m1_ex1")
MODEL = model_answers(REPO / "source")["m1_ex1"]
PLACEHOLDER = "Write your reply here, replacing this line."


@pytest.mark.parametrize("text, reason", [
    ("", "unanswered"),
    ("   \n\t ", "unanswered"),
    (PLACEHOLDER, "unanswered"),
    ("😢😢😢 🙏", "no_words"),
    ("def reply():\n    return 'sorry'\nprint(reply())", "code"),
    ("Parece que te sientes muy sola y asustada con todo esto. ¿Qué es lo que más te preocupa ahora?", "not_english"),
    ("Это звучит очень тяжело. Что вас сейчас больше всего тревожит?", "not_english"),
    ("empathy validation feelings open question strengths collaboration", "word_list"),
    ("I hear you. " * 30, "repeated"),
])
def test_unreadable_input_gets_a_clear_kind_message_and_no_points(text, reason):
    result = grade(EX, text)
    assert result.unreadable == reason
    assert result.score == 0 and not result.passed and result.points(3) == 0.0
    assert "Traceback" not in result.feedback and len(result.feedback) > 30


def test_unanswered_says_not_answered_yet():
    assert grade(EX, PLACEHOLDER).feedback.startswith("Not answered yet")


def long_varied_text(words: int) -> str:
    """Distinct made-up words between ordinary ones, so the text is long without repeating itself."""
    syllables = ["ba", "ko", "ri", "mu", "te", "sa", "lo", "ven", "dor", "pil", "gan", "fu"]
    made_up = (a + b + c for a in syllables for b in syllables for c in syllables)
    return " ".join(f"you and the {next(made_up)}." for _ in range(words // 4))


def test_a_5000_word_answer_is_graded_and_asked_to_be_shorter():
    result = grade(EX, MODEL + " " + long_varied_text(5000))
    length = next(c for c in result.criteria if c.id == "length")
    assert not length.met and "words long" in length.feedback and "5,0" in length.feedback


def test_a_pasted_block_repeated_many_times_is_flagged():
    assert grade(EX, (MODEL + " ") * 100).unreadable == "repeated"


def test_quotes_backslashes_and_triple_quotes_are_just_text():
    text = MODEL + ' She said "I can\'t" \\ and """ that\'s fine.'
    assert grade(EX, text).score > 0.5


def test_feedback_quotes_the_students_own_words():
    result = grade(EX, "Oh you poor thing, I feel so sorry for you and your kids losing the apartment. "
                       "What has this been like?")
    assert not result.passed
    assert "poor thing" in result.feedback or "sorry for you" in result.feedback


def test_empathic_opening_then_blame_fails():
    text = (MODEL + " But honestly, you brought this on yourself by not paying the rent on time.")
    assert not grade(EX, text).passed


def test_points_are_a_clamped_plain_float():
    for text in ("", MODEL, EX.original_response):
        points = grade(EX, text).points(3)
        assert type(points) is float and 0.0 <= points <= 3.0


def test_passing_reply_earns_every_point():
    assert grade(EX, MODEL).points(3) == 3.0


def test_grading_never_writes_to_stderr():
    err = io.StringIO()
    with redirect_stderr(err):
        for text in ("", MODEL, "x" * 50_000, "\x00\x01", "🙂", EX.original_response):
            grade(EX, text)
    assert err.getvalue() == ""


def test_result_renders_itself_as_accessible_html():
    html = grade(EX, MODEL)._repr_html_()
    assert 'role="region"' in html and "aria-label=" in html and "Met:" in html


def test_html_escapes_the_students_text():
    html = grade(EX, "<script>alert(1)</script> It sounds like losing the apartment scares you. What worries you most?")._repr_html_()
    assert "<script>" not in html


def test_adhoc_default_rubric_rewards_an_empathic_reply():
    client = "My mom passed last month and everyone keeps telling me to move on."
    good = grade_adhoc(client, None, "It sounds like you're still grieving your mom, and being told to move on "
                                     "hurts. What has this month been like for you?")
    poor = grade_adhoc(client, None, "At least she isn't suffering anymore. You should try to keep busy.")
    assert good.passed and not poor.passed


@pytest.mark.parametrize("gaming", [
    "It sounds like you are feeling really overwhelmed. That makes sense. What would help most right now?",
    "feelings validate open question empathy reflect understand",
])
def test_gaming_attempts_fail(gaming):
    assert not grade(EX, gaming).passed


def test_an_echo_of_the_client_fails():
    assert not grade(EX, EX.client_statement).passed


def run_cli(*args, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, timeout=60)


def test_cli_grade_jsonl_contract():
    lines = [{"exercise": "m1_ex1", "text": MODEL},
             {"client": "I lost my job today.", "original": "At least you have savings.", "text": "At least you have savings."},
             {"exercise": "no_such", "text": "hi"}, "not json"]
    done = run_cli("grade", "--jsonl", stdin="\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines))
    assert done.returncode == 0 and done.stderr == ""
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0]["passed"] and set(out[0]) == {"score", "passed", "criteria", "feedback"}
    assert set(out[0]["criteria"][0]) == {"id", "met", "weight", "feedback"}
    assert not out[1]["passed"]
    assert "error" in out[2] and "error" in out[3]


def test_cli_analyze_jsonl_contract():
    done = run_cli("analyze", "--jsonl", stdin=json.dumps({"text": "What has this week been like?", "context": None}))
    answer = json.loads(done.stdout)
    assert answer["features"]["open_question"] is True and len(answer["features"]) == 16


def test_cli_list_exercises_contract():
    done = run_cli("list-exercises", "--json", stdin="")
    listed = json.loads(done.stdout)
    assert len(listed) == len(exercise_bank.all_exercises())
    for row in listed:
        assert {"id", "module", "notebook", "answer_cell", "test_cells", "client_statement",
                "original_response", "criteria", "model_answer"} <= set(row)
