"""The class report, checked number by number against a small class made by hand.

Four students take module 1 through the real nbgrader CLI (generate, autograde) with replies and quiz answers
chosen here; an instructor's manual scores are set through nbgrader.api as the formgrader does. Every expected
number below is worked out by hand from that class (the arithmetic is in the comments), not by the report's code.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import exercise_bank, report, sandbox
from autograder.analysis import analyze
from autograder.answers import find_reply_cell
from autograder.grading import grade
from autograder.model_answers import model_answers
from course.saved_answers import SavedAnswers, path_for

pytestmark = pytest.mark.slow

A = "m1_empathy"
# a generic template that shows no understanding of either client (the checker reads no reflection in it)
TEMPLATE = "Thank you for telling me about this. I have some time for you {}. What feels most difficult today?"
MINIMIZING = " At least you still have thirty days to sort it out."


def replies(models: dict[str, str]) -> dict[str, dict[str, str]]:
    """student -> exercise -> reply text (exercises not named keep the released placeholder)."""
    m2_shouted = "  " + models["m1_ex2"].upper().replace(". ", ".\n\n   ") + "  "  # same text once normalised
    return {
        "ana": {"m1_ex1": models["m1_ex1"], "m1_ex2": models["m1_ex2"]},
        "ben": {"m1_ex1": models["m1_ex1"] + MINIMIZING, "m1_ex2": m2_shouted},
        "cara": {"m1_ex1": TEMPLATE.format("right now"), "m1_ex3": TEMPLATE.format("this morning")},
        "dan": {},
    }


QUIZ = {  # student -> saved answers (dan saves none: no answers file at all)
    "ana": {"m1_g1": "a", "m1_g3": "false",
            "m1_g2": {"r1": "reflects_feeling", "r2": "minimizing", "r3": "false_reassurance", "r4": "judgment"}},
    "ben": {"m1_g1": "b", "m1_g3": "false",   # g2: r1, r2 right; r3, r4 swapped -> 0.5
            "m1_g2": {"r1": "reflects_feeling", "r2": "minimizing", "r3": "judgment", "r4": "false_reassurance"}},
    "cara": {"m1_g1": "c", "m1_g3": "true"},  # g2 unanswered
    "dan": {},
}
MANUAL = {("ben", "m1_ex1_check"): 0.5, ("cara", "m1_ex1_check"): 3.0}  # the instructor's changes

# What the checker makes of each reply (criteria in rubric order: uses_reflects_feeling, avoids_*,
# uses_open_question, engages, rewrites, length, avoids_other_roadblocks), the moves it finds, and the autograder's points (of 3).
# This is the premise of every number below: if the checker's detectors change, update this table first.
CHECKER = {
    ("ana", "m1_ex1"): (1.0, [1, 1, 1, 1, 1, 1, 1], {"reflects_feeling", "validates", "open_question"}, 3.0),
    ("ana", "m1_ex2"): (1.0, [1, 1, 1, 1, 1, 1, 1], {"reflects_feeling", "validates", "open_question"}, 3.0),
    ("ben", "m1_ex1"): (0.8182, [1, 0, 1, 1, 1, 1, 1], {"reflects_feeling", "validates", "open_question", "minimizing"}, 2.45),
    ("ben", "m1_ex2"): (1.0, [1, 1, 1, 1, 1, 1, 1], {"reflects_feeling", "validates", "open_question"}, 3.0),
    ("cara", "m1_ex1"): (0.6364, [0, 1, 1, 0, 1, 1, 1], {"open_question"}, 1.91),
    ("cara", "m1_ex3"): (0.6364, [0, 1, 1, 0, 1, 1, 1], {"open_question"}, 1.91),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = sandbox.make_course(tmp_path_factory.mktemp("report"), [A])
    sandbox.generate(course)
    # Before anyone submits: the report says so plainly.
    empty = report.build(course, A, course / "empty_report")
    models = model_answers(course / "source")
    for student, texts in replies(models).items():
        folder = sandbox.submit(course, student, "blank", A)  # the released notebook, untouched
        path = folder / f"{A}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for exercise_id, text in texts.items():
            exercise = exercise_bank.get(exercise_id)
            find_reply_cell(nb.cells, exercise_id, exercise.answer_cell).source = f"%%reply {exercise_id}\n{text}"
        nbformat.write(nb, path)
        for question, answer in QUIZ[student].items():
            SavedAnswers(path_for(A, folder)).save(question, answer)
    sandbox.nbgrader(course, "autograde", A)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # what the formgrader does on "save"
        for (student, cell), score in MANUAL.items():
            gb.find_grade(cell, A, A, student).manual_score = score
        gb.db.commit()
    done = subprocess.run([sys.executable, "-m", "autograder", "report", A, "--out", "rep"], cwd=course,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {"course": course, "out": course / "rep", "empty": empty, "stdout": done.stdout, "models": models}


@pytest.fixture(scope="module")
def numbers(course) -> dict[tuple, tuple]:
    if checker_reading(course["models"]) != CHECKER:
        pytest.fail("The checker no longer reads the hand-made replies as CHECKER says, so the expected numbers "
                    "do not hold: update CHECKER and the numbers worked out from it.")
    with open(course["out"] / "report.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    table = {}
    for r in rows:
        key = (r["section"], r["item"], r["detail"], r["measure"])
        assert key not in table, f"two rows for {key}"
        table[key] = (float(r["value"]) if r["value"] else None, int(r["n"]) if r["n"] else None)
    return table


def checker_reading(models) -> dict:
    texts = replies(models)
    reading = {}
    for student, exercise_id in CHECKER:
        exercise = exercise_bank.get(exercise_id)
        result = grade(exercise, texts[student][exercise_id])
        reading[(student, exercise_id)] = (round(result.score, 4), [int(c.met) for c in result.criteria],
                                           set(analyze(texts[student][exercise_id], exercise.client_statement).found()),
                                           result.points(3))
    return reading


def test_the_checker_reads_the_hand_made_replies_as_the_table_says(course):
    assert checker_reading(course["models"]) == CHECKER, "the checker changed: update CHECKER and the numbers below"


def test_the_gradebook_holds_what_the_class_did(course):
    # ana 3+3 (replies) + 3 (quiz) = 9; ben 0.5 (manual) + 3 + 0 + 0.5 + 1 = 5; cara 3 (manual) + 1.91 = 4.91; dan 0
    with Gradebook(f"sqlite:///{course['course'] / 'gradebook.db'}") as gb:
        totals = {s.student.id: s.score for s in gb.find_assignment(A).submissions}
        auto = {s: gb.find_grade("m1_ex1_check", A, A, s).auto_score for s in ("ben", "cara")}
    assert totals == pytest.approx({"ana": 9.0, "ben": 5.0, "cara": 4.91, "dan": 0.0})
    assert auto == pytest.approx({"ben": 2.45, "cara": 1.91})


def expect(numbers, expected: dict, section: str, n: int | None = "any"):
    for (item, detail, measure), value in expected.items():
        got, got_n = numbers[(section, item, detail, measure)]
        assert got == pytest.approx(value, abs=1e-3), (section, item, detail, measure, got)
        if n != "any":
            assert got_n == n, (section, item, detail, measure, got_n)


def test_class_and_score_distribution(numbers):
    expect(numbers, {("students", "", "in_gradebook"): 4, ("students", "", "submitted"): 4,
                     ("files", "", "problems"): 0}, "class")
    # scores 9, 5, 4.91, 0 (of 22): mean 18.91/4 = 4.7275, median (4.91+5)/2 = 4.955, mean share 4.7275/22
    expect(numbers, {("score", "", "max_score"): 22, ("score", "", "mean"): 4.7275, ("score", "", "median"): 4.955,
                     ("score", "", "min"): 0, ("score", "", "max"): 9, ("score", "", "mean_share"): 0.2149},
           "scores", n=4)


def test_exercises_and_criterion_mastery(numbers):
    exercises = {
        # ex1: answered by ana, ben, cara; passed by ana; scores (1 + 0.8182 + 0.6364 + 0) / 4
        ("m1_ex1", "", "share_answered"): 0.75, ("m1_ex1", "", "share_passed"): 0.25,
        ("m1_ex1", "", "mean_checker_score"): 0.6137,
        ("m1_ex2", "", "share_answered"): 0.5, ("m1_ex2", "", "share_passed"): 0.5,
        ("m1_ex2", "", "mean_checker_score"): 0.5,
        ("m1_ex3", "", "share_answered"): 0.25, ("m1_ex3", "", "share_passed"): 0.0,
        ("m1_ex3", "", "mean_checker_score"): 0.1591,  # 0.6364 / 4
        ("m1_ex4", "", "share_answered"): 0.0, ("m1_ex5", "", "share_passed"): 0.0,
    }
    expect(numbers, exercises, "exercises", n=4)
    criteria = {
        ("m1_ex1", "uses_reflects_feeling", "share_met"): 0.5,   # ana, ben
        ("m1_ex1", "avoids_sympathy", "share_met"): 0.5,         # ana, cara (ben minimizes)
        ("m1_ex1", "uses_open_question", "share_met"): 0.75,     # ana, ben, cara
        ("m1_ex1", "engages", "share_met"): 0.5,                 # ana, ben
        ("m1_ex1", "rewrites", "share_met"): 0.75,
        ("m1_ex1", "length", "share_met"): 0.75,
        ("m1_ex2", "avoids_judgment", "share_met"): 0.5,         # ana, ben
        ("m1_ex3", "uses_reflects_feeling", "share_met"): 0.0,
        ("m1_ex3", "avoids_minimizing", "share_met"): 0.25,      # cara
        ("m1_ex3", "engages", "share_met"): 0.0,
        ("m1_ex4", "length", "share_met"): 0.0,                  # nobody answered: an empty reply meets nothing
        ("m1_ex1", "avoids_other_roadblocks", "share_met"): 0.75,  # ana, ben, cara (ben's minimizing is ex1's own)
    }
    expect(numbers, criteria, "criteria", n=4)
    assert sum(1 for k in numbers if k[0] == "criteria") == 5 * 7


def test_moves_across_the_class(numbers):
    # 6 readable replies (ana ex1 ex2, ben ex1 ex2, cara ex1 ex3) from 3 students; dan wrote none. The moves in
    # each reply are CHECKER's third column; shares and mastery follow from it by counting.
    from autograder.analysis import FEATURES, HELPFUL_MOVES

    for move in FEATURES:
        with_move = [key for key, reading in CHECKER.items() if move in reading[2]]
        students = {student for student, _ in with_move}
        kind = "helpful" if move in HELPFUL_MOVES else "roadblock"
        expect(numbers, {(move, kind, "share_of_replies"): len(with_move) / 6}, "moves", n=6)
        expect(numbers, {(move, kind, "share_of_students"): len(students) / 3,
                         (move, kind, "mastery"): len(students) / 3 if kind == "helpful" else 1 - len(students) / 3},
               "moves", n=3)
    assert CHECKER[("ben", "m1_ex1")][2] >= {"reflects_feeling", "open_question", "minimizing"}
    assert sum(1 for k in numbers if k[0] == "moves") == 16 * 3


def test_quiz_item_analysis(numbers):
    # Item scores (ana, ben, cara, dan): g1 1,0,0,0; g2 1,.5,0,0; g3 1,1,0,0.
    # Rest of test = total - the item's cell: g1 (8, 5, 4.91, 0); g2 (8, 4.5, 4.91, 0); g3 (8, 4, 4.91, 0).
    # Pearson r of item and rest (statistics.correlation): g1 0.7090, g2 0.7863, g3 0.6207.
    quiz = {("m1_g1", "single", "difficulty"): 0.25, ("m1_g1", "single", "no_answer"): 0.25,
            ("m1_g1", "single", "discrimination"): 0.7090,
            ("m1_g2", "spot", "difficulty"): 0.375, ("m1_g2", "spot", "no_answer"): 0.5,
            ("m1_g2", "spot", "discrimination"): 0.7863,
            ("m1_g3", "truefalse", "difficulty"): 0.5, ("m1_g3", "truefalse", "no_answer"): 0.25,
            ("m1_g3", "truefalse", "discrimination"): 0.6207}
    expect(numbers, quiz, "quiz", n=4)
    options = {("m1_g1", "a", "chose_key"): 0.25, ("m1_g1", "b", "chose_wrong"): 0.25,
               ("m1_g1", "c", "chose_wrong"): 0.25, ("m1_g1", "d", "chose_wrong"): 0.0,
               ("m1_g2", "r1=reflects_feeling", "chose_key"): 0.5, ("m1_g2", "r3=false_reassurance", "chose_key"): 0.25,
               ("m1_g2", "r3=judgment", "chose_wrong"): 0.25, ("m1_g2", "r4=false_reassurance", "chose_wrong"): 0.25,
               ("m1_g2", "r1=minimizing", "chose_wrong"): 0.0,
               ("m1_g3", "true", "chose_wrong"): 0.25, ("m1_g3", "false", "chose_key"): 0.5}
    expect(numbers, options, "options", n=4)
    assert sum(1 for k in numbers if k[0] == "options") == 4 + 4 * 4 + 2


def test_replies_flagged_for_a_human_look(numbers):
    flags = {k: v for k, v in numbers.items() if k[0] == "flags"}
    assert flags[("flags", "m1_ex2", "ana, ben", "same_text")] == (2, 2)      # ben's is ana's, shouted and re-spaced
    assert flags[("flags", "m1_ex1", "ben", "borderline_score")][0] == pytest.approx(0.8182)  # |0.8182-0.75| <= 0.1
    similarity = flags[("flags", "m1_ex1 & m1_ex3", "cara", "template_reuse")][0]
    assert 0.9 <= similarity < 1.0                                             # one word changed
    assert len(flags) == 3  # cara's 0.6364 is not borderline (0.114 away); the blank replies are not "the same text"


def test_checker_and_instructor_agreement(numbers):
    # ben ex1: checker failed (0.8182, a required criterion unmet), instructor 0.5 < 0.75*3 -> agree.
    # cara ex1: checker failed (0.6364), instructor 3 >= 2.25 -> disagree.
    expect(numbers, {("all", "", "agreement"): 0.5}, "agreement", n=2)
    expect(numbers, {("m1_ex1", "", "overrides"): 2, ("m1_ex1", "", "agreement"): 0.5,
                     ("m1_ex1", "", "mean_change"): -0.43},  # ((0.5-2.45) + (3-1.91)) / 2
           "agreement", n=2)
    # criterion met <=> instructor passed (ben: no, cara: yes); met by ben / cara:
    criteria = {("m1_ex1", "uses_reflects_feeling", "criterion_agreement"): 0.0,  # yes/no: both disagree
                ("m1_ex1", "avoids_sympathy", "criterion_agreement"): 1.0,        # no/yes: both agree
                ("m1_ex1", "uses_open_question", "criterion_agreement"): 0.5,     # yes/yes
                ("m1_ex1", "engages", "criterion_agreement"): 0.0,                # yes/no
                ("m1_ex1", "length", "criterion_agreement"): 0.5}
    expect(numbers, criteria, "agreement", n=2)


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_page_renders_with_readable_plots(course):
    out = course["out"]
    assert "report.html" in course["stdout"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    for heading in ("Score distribution", "Rubric criteria", "The 16 moves", "item analysis",
                    "Replies to look at yourself", "Checker and instructor", "How these numbers are defined"):
        assert heading in page
    assert page.count("<table>") == page.count("<caption>") >= 8
    pngs = sorted(out.glob("*.png"))
    assert [p.name for p in pngs] == ["criteria.png", "moves.png", f"scores_{A}.png"]
    for png in pngs:
        assert f'src="{png.name}"' in page
        width, height = png_size(png)
        assert 300 <= width <= 4000 and 300 <= height <= 4000, (png.name, width, height)
        assert png.stat().st_size > 5_000
    alts = [chunk.split('"')[0] for chunk in page.split('alt="')[1:]]
    assert len(alts) == 3 and all(len(alt) > 40 for alt in alts)
    assert "Histogram" in page and "4 students" in page


def test_no_submissions_and_missing_files_get_a_plain_message(course, tmp_path):
    empty = (course["empty"] / "report.html").read_text(encoding="utf-8")
    assert "No submissions of m1_empathy" in empty
    copy = tmp_path / "course"  # the same class with dan's autograded notebook lost
    shutil.copytree(course["course"], copy, ignore=shutil.ignore_patterns("rep", "empty_report"))
    (copy / "autograded" / "dan" / A / f"{A}.ipynb").unlink()
    out = report.build(copy, A, copy / "rep")
    assert "Missing autograded notebook" in (out / "report.html").read_text(encoding="utf-8")
    rows = list(csv.DictReader((out / "report.csv").read_text(encoding="utf-8").splitlines()))
    assert next(r for r in rows if r["measure"] == "problems")["value"] == "1"
    assert next(r for r in rows if r["item"] == "m1_g1" and r["measure"] == "difficulty")["n"] == "3"
    done = subprocess.run([sys.executable, "-m", "autograder", "report", "no_such_module"], cwd=copy,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "no assignment called 'no_such_module'" in done.stderr
    assert not (copy / "reports").exists()
