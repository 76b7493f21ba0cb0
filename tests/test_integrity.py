"""Grading that students cannot fool and instructors can trust (issue 5), with the real nbgrader CLI.

One scratch course of module 1. Simulated students submit, then each scenario edits a submitted notebook the way
a tampering student or an accident would; every student is autograded in ONE `nbgrader autograde` call.
"""
from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell
from nbgrader.api import Gradebook

from autograder import exercise_bank, sandbox
from autograder.grading import grade
from autograder.model_answers import model_answers

pytestmark = pytest.mark.slow

ASSIGNMENT = NOTEBOOK = "m1_empathy"
EXERCISES = [e for e in exercise_bank.all_exercises().values() if e.assignment == ASSIGNMENT]
REPLY_CHECKS = [e.test_cells[0] for e in EXERCISES]
PLACEHOLDER = "Write your reply here, replacing this line."
CELL_TIMEOUT = 5  # seconds a cell may run in the scratch course (the real course allows 30)

# --- what tampering students add to an otherwise EMPTY notebook (placeholders in every reply cell) -----------

MONKEYPATCH = '''\
import autograder, autograder.grading, course, course.notebook
full_marks = lambda *args, points=3, **kwargs: float(points)
for module in (course, course.notebook):
    module.check_reply = module.check_quiz = full_marks
check_reply = check_quiz = full_marks
class Passing:
    score, passed = 1.0, True
    def points(self, maximum): return float(maximum)
    def _repr_html_(self): return "<p>Well done</p>"
autograder.grade = autograder.grading.grade = lambda *args, **kwargs: Passing()
'''

PATCH_RELOAD = '''\
import importlib, sys
importlib.reload = lambda module: module
import course.notebook
course.notebook.check_reply = lambda exercise_id, points: float(points)
check_reply = course.notebook.check_reply
for name in list(sys.modules):
    if name.startswith("autograder"):
        sys.modules[name].grade = lambda *args, **kwargs: None
'''

LYING_STR = '''\
class Liar(str):
    """An empty reply that claims to be a long, warm one."""
    MODEL = "It sounds like you feel scared and alone. That makes sense. What would help most right now?"
    def strip(self, *args): return Liar(self.MODEL)
    def lower(self): return self.MODEL.lower()
    def __len__(self): return len(self.MODEL)
    def __contains__(self, item): return True
    def __eq__(self, other): return True
    def __hash__(self): return 0
    def split(self, *args, **kwargs): return self.MODEL.split(*args, **kwargs)
    def __str__(self): return self.MODEL
import course.notebook
for n in range(1, 6):
    course.notebook.remember_reply(f"m1_ex{n}", Liar(""))
'''

# The answer cell itself made into Python (its `%%reply` line removed): it runs as code in the kernel.
CODE_IN_REPLY = "check_reply = lambda *args, **kwargs: 3.0\ncheck_quiz = lambda *args, **kwargs: 1.0"

# The kernel reads the instructor's quiz keys (the course root is the kernel's cwd three levels up) and writes
# them as the student's saved answers, after the submission was collected.
FORGE_ANSWERS = '''\
import json, pathlib, yaml
keys = yaml.safe_load(pathlib.Path("../../../source/m1_empathy/quiz_keys.yaml").read_text())
pathlib.Path("m1_empathy.quiz_answers.json").write_text(
    json.dumps({q: {"answer": k["answer"], "saved_at": "2026-01-01T00:00:00+00:00"} for q, k in keys.items()}))
'''

SWALLOW_INTERRUPTS = "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except KeyboardInterrupt:\n        pass"


# --- scenario edits on a submitted notebook ------------------------------------------------------------------

def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def add_after_setup(source: str):
    def edit(nb):
        nb.cells.insert(_index(nb, "setup") + 1, new_code_cell(source))
    return edit


def delete(grade_id: str):
    def edit(nb):
        del nb.cells[_index(nb, grade_id)]
    return edit


def retype(grade_id: str, new_cell):
    def edit(nb):
        i = _index(nb, grade_id)
        nb.cells[i] = new_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    return edit


def duplicate_answer_cells(nb):
    """Every answer cell copied below itself, nbgrader metadata and all (copy and paste); the copy of the first
    one was then emptied again, so the two copies disagree."""
    for e in EXERCISES:
        i = _index(nb, e.answer_cell)
        nb.cells.insert(i + 1, new_code_cell(nb.cells[i].source, metadata=copy.deepcopy(nb.cells[i].metadata)))
    nb.cells[_index(nb, EXERCISES[0].answer_cell) + 1].source = f"%%reply {EXERCISES[0].id}\n{PLACEHOLDER}"


def reorder(nb):
    """Answer cells moved to the end and the rest reversed."""
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_answer")]
    rest = [c for c in nb.cells if c not in answers]
    nb.cells = rest[::-1] + answers


def code_in_reply(nb):
    nb.cells[_index(nb, EXERCISES[0].answer_cell)].source = CODE_IN_REPLY


def empty_notebook(nb):
    nb.cells = []


# student -> (base strength, edit). Tampering students start from the blank submission: nothing answered.
ATTACKS = {
    "attack_monkeypatch": ("blank", add_after_setup(MONKEYPATCH)),
    "attack_reload": ("blank", add_after_setup(PATCH_RELOAD)),
    "attack_lying_str": ("blank", add_after_setup(LYING_STR)),
    "attack_code_in_reply": ("blank", code_in_reply),
    "attack_forged_answers": ("blank", add_after_setup(FORGE_ANSWERS)),
}
# Broken submissions start from the strong one: what can still be graded must earn what `strong` earns.
BROKEN = {
    "broken_deleted_answer": ("strong", delete(EXERCISES[0].answer_cell)),
    "broken_deleted_check": ("strong", delete(EXERCISES[1].test_cells[0])),
    "broken_deleted_quiz_check": ("strong", delete("m1_g1_check")),
    "broken_duplicated": ("strong", duplicate_answer_cells),
    "broken_reordered": ("strong", reorder),
    "broken_markdown_reply": ("strong", retype(EXERCISES[0].answer_cell, new_markdown_cell)),
    "broken_raw_reply": ("strong", retype(EXERCISES[1].answer_cell, new_raw_cell)),
    "broken_syntax_error": ("strong", add_after_setup("def oops(:\n    pass")),
    "broken_infinite_loop": ("strong", add_after_setup("while True:\n    pass")),
    "broken_swallows_interrupt": ("strong", add_after_setup(SWALLOW_INTERRUPTS)),
    "broken_huge_output": ("strong", add_after_setup("for n in range(200_000):\n    print('x' * 40, n)")),
    "broken_kernel_exit": ("strong", add_after_setup("import os\nos._exit(1)")),
    "broken_empty_notebook": ("strong", empty_notebook),
}
# Broken at the file level (built in `build`): nothing in nbgrader's pipeline ever sees these notebooks.
UNREADABLE = ["broken_renamed", "broken_not_json"]
RENAMED_BESIDE = "broken_renamed_beside_original"
CONTROLS = ["strong", "partial", "blank"]
STUDENTS = [*CONTROLS, *ATTACKS, *BROKEN, RENAMED_BESIDE, *UNREADABLE]

MISSING, COPIES, NOT_RUN = "was not in the submitted notebook", "different reply cells", "could not be run to the end"
EXTRA = f"also holds {NOTEBOOK}-Copy1.ipynb"
ALL_REPLIES = set(REPLY_CHECKS)
# student -> ({cell: score that differs from the strong student's}, {reply check flagged: words of the reason})
EXPECTED = {
    "broken_deleted_answer": ({REPLY_CHECKS[0]: 0.0}, {REPLY_CHECKS[0]: MISSING}),
    "broken_deleted_check": ({}, {}),
    "broken_deleted_quiz_check": ({}, {}),
    "broken_duplicated": ({REPLY_CHECKS[0]: 0.0}, {REPLY_CHECKS[0]: COPIES}),
    "broken_reordered": ({}, {}),
    "broken_markdown_reply": ({}, {}),
    "broken_raw_reply": ({}, {}),
    "broken_syntax_error": ({}, {}),
    "broken_infinite_loop": ({}, {}),
    "broken_swallows_interrupt": ({}, dict.fromkeys(ALL_REPLIES, NOT_RUN)),
    "broken_huge_output": ({}, {}),
    "broken_kernel_exit": ({}, dict.fromkeys(ALL_REPLIES, NOT_RUN)),
    "broken_empty_notebook": (dict.fromkeys(ALL_REPLIES, 0.0), dict.fromkeys(ALL_REPLIES, MISSING)),
    RENAMED_BESIDE: (dict.fromkeys(ALL_REPLIES, 0.0), dict.fromkeys(ALL_REPLIES, EXTRA)),
}


def build(course: Path, students: list[str] = STUDENTS) -> None:
    """Release module 1 and submit every named student, each edited as its scenario says."""
    sandbox.generate(course)
    with open(course / "nbgrader_config.py", "a") as f:
        f.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    scenarios = {**ATTACKS, **BROKEN}
    for student in students:
        strength = student if student in CONTROLS else scenarios.get(student, ("strong", None))[0]
        folder = sandbox.submit(course, student, strength, ASSIGNMENT)
        path = folder / f"{NOTEBOOK}.ipynb"
        if student in scenarios:
            nb = nbformat.read(path, as_version=4)
            scenarios[student][1](nb)
            nbformat.write(nb, path)
        if student == "attack_forged_answers":  # an empty answers file, rewritten by the student's code
            (folder / f"{NOTEBOOK}.quiz_answers.json").write_text("{}")
        elif student == "broken_renamed":
            path.rename(folder / f"{NOTEBOOK}-Copy1.ipynb")
        elif student == RENAMED_BESIDE:  # worked in a copy, submitted the untouched original beside it
            shutil.copy(path, folder / f"{NOTEBOOK}-Copy1.ipynb")
            shutil.copy(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", path)
        elif student == "broken_not_json":
            path.write_text(path.read_text()[:5000])


def gradebook(course: Path) -> dict[str, dict[str, tuple]]:
    """student -> cell -> (score, auto score, needs manual grade, automatic comment of its answer cell)."""
    answer_of = {e.test_cells[0]: e.answer_cell for e in EXERCISES}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        result = {}
        for student in gb.students:
            notebook = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student.id)
            comments = {c.name: c.auto_comment for c in notebook.comments}
            result[student.id] = {g.name: (g.score, g.auto_score, g.needs_manual_grade, comments.get(answer_of.get(g.name)))
                                  for g in notebook.grades}
        return result


def scores(table: dict, student: str) -> dict[str, float]:
    return {cell: row[0] for cell, row in table[student].items()}


def flagged(table: dict, student: str) -> dict[str, str]:
    return {cell: row[3] for cell, row in table[student].items() if cell in ALL_REPLIES and row[2]}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = sandbox.make_course(tmp_path_factory.mktemp("integrity"), [ASSIGNMENT])
    build(course)
    done = sandbox.nbgrader(course, "autograde", ASSIGNMENT, check=False, timeout=600)  # every student at once
    (course / "autograde.log").write_text(done.stdout + done.stderr)
    return course


@pytest.fixture(scope="module")
def table(course) -> dict:
    return gradebook(course)


# --- attacks: every tampering student gains nothing -----------------------------------------------------------

@pytest.mark.parametrize("student", list(ATTACKS))
def test_tampering_student_gains_nothing(table, student):
    assert scores(table, student) == scores(table, "blank")
    assert all(score == 0 for score in scores(table, student).values()), scores(table, student)


def test_forged_quiz_answers_are_put_back(course):
    log = (course / "autograde.log").read_text()
    assert "Student code changed m1_empathy.quiz_answers.json while running; putting back the submitted file." in log
    assert (course / "autograded/attack_forged_answers" / ASSIGNMENT / f"{NOTEBOOK}.quiz_answers.json").read_text() == "{}"


# --- broken submissions: graded for what can be graded, flagged with a plain reason ----------------------------

def test_controls_get_what_the_checker_gives_their_text(course, table):
    """The reference the broken submissions are compared with: grades of the untouched students equal what the
    checker gives the text of their replies, computed here without nbgrader."""
    models = model_answers(course / "source")
    strong = scores(table, "strong")
    for e in EXERCISES:
        assert strong[e.test_cells[0]] == grade(e, models[e.id]).points(3)
    assert strong["m1_g1_check"] == strong["m1_g2_check"] == strong["m1_g3_check"] == 1.0
    assert all(score == 0 for score in scores(table, "blank").values())
    assert 0 < sum(scores(table, "partial").values()) < sum(strong.values())
    assert not any(flagged(table, s) for s in CONTROLS)


@pytest.mark.parametrize("student", list(EXPECTED))
def test_broken_submission_is_graded_and_flagged(table, student):
    changed, reasons = EXPECTED[student]
    assert scores(table, student) == {**scores(table, "strong"), **changed}
    flags = flagged(table, student)
    assert flags.keys() == reasons.keys()
    for cell, words in reasons.items():
        assert flags[cell].startswith("Flagged for your instructor to check.") and words in flags[cell], flags[cell]
        assert table[student][cell][1] is not None, "a flagged reply keeps its automatic mark"


@pytest.mark.parametrize("student", UNREADABLE)
def test_unreadable_notebook_scores_zero_and_waits_for_the_instructor(course, table, student):
    """A renamed-only or damaged notebook never reaches nbgrader's pipeline: nbgrader gives that student no
    automatic mark (0, "needs manual grade") and names the student in its log; the batch goes on."""
    rows = table[student]
    assert all(score == 0 and auto is None and needs for score, auto, needs, _ in rows.values()), rows
    assert f"There was an error processing assignment '{ASSIGNMENT}' for student '{student}'" in (course / "autograde.log").read_text()
    assert not (course / "autograded" / student / ASSIGNMENT).exists()


def test_batch_completes_with_every_other_student_graded(course, table):
    assert len(BROKEN) + 1 + len(UNREADABLE) >= 10
    assert sorted(table) == sorted(STUDENTS)
    graded = [s for s in STUDENTS if s not in UNREADABLE]
    for student in graded:
        automatic = {cell: row for cell, row in table[student].items() if cell != "m1_reflection"}
        assert all(row[1] is not None for row in automatic.values()), (student, automatic)
        assert (course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb").exists()
    log = (course / "autograde.log").read_text()
    failed = {line.split("for student '")[1].rstrip("'") for line in log.splitlines() if "for student '" in line}
    assert failed == set(UNREADABLE)


def test_loops_that_ignore_interrupts_or_kill_python_stop_only_their_own_run(course):
    """nbclient interrupts the loop after the cell timeout; the swallowed interrupt leaves the cell busy, so the
    wait for its output times out too and ExecuteSafely keeps the notebook as it is (graded above)."""
    log = (course / "autograde.log").read_text()
    assert "Could not run m1_empathy to the end (CellTimeoutError)" in log
    assert "Could not run m1_empathy to the end (DeadKernelError)" in log


# --- idempotent: a re-run, or a re-run after a killed batch, gives the gradebook of one clean run --------------

def test_rerun_changes_nothing(course, table):
    sandbox.nbgrader(course, "autograde", ASSIGNMENT, check=False, timeout=600)
    assert gradebook(course) == table


KILL_STUDENTS = ["strong", "attack_monkeypatch", "broken_deleted_answer", "partial"]


def test_killed_batch_rerun_equals_clean_run(tmp_path, table):
    course = sandbox.make_course(tmp_path / "killed", [ASSIGNMENT])
    build(course, KILL_STUDENTS)
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
           "PYTHONWARNINGS": "ignore"}
    batch = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=course, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    in_progress = course / "autograded" / KILL_STUDENTS[2] / ASSIGNMENT  # killed while grading the third student
    deadline = time.monotonic() + 180
    while not in_progress.exists() and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    assert batch.poll() is None, "the batch ended before it could be killed"
    os.killpg(batch.pid, signal.SIGKILL)  # the nbgrader process and the kernel it started
    batch.wait()
    half = gradebook(course)
    assert any(auto is None for rows in half.values() for cell, (_, auto, _, _) in rows.items() if cell != "m1_reflection")
    sandbox.nbgrader(course, "autograde", ASSIGNMENT, "--force")
    assert gradebook(course) == {student: table[student] for student in KILL_STUDENTS}


# --- feedback never shows hidden checks or keys ---------------------------------------------------------------

def test_feedback_shows_no_hidden_test_assertion_or_key(course):
    """The monkeypatching student's hidden checks passed in the kernel and failed in the grader."""
    student = "attack_monkeypatch"
    sandbox.nbgrader(course, "generate_feedback", ASSIGNMENT, "--student", student)
    html = (course / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "No saved answer was found" in html and "Feedback on your reply to" in html
    for hidden in ("check_reply(", "check_quiz(", "HIDDEN TESTS", "Traceback (most recent call last)",
                   "AssertionError", "quiz_keys", "The answer:"):
        assert hidden not in html.replace("from course import start, quiz, check_reply, check_quiz", ""), hidden
    for answer in model_answers(course / "source").values():
        assert answer[:50] not in html
    keys = yaml.safe_load((course / "source" / ASSIGNMENT / "quiz_keys.yaml").read_text())
    for key in keys.values():
        for text in key.get("feedback", {}).values():
            assert text[:50] not in html


def test_feedback_tells_the_reason_a_reply_was_flagged(course):
    sandbox.nbgrader(course, "generate_feedback", ASSIGNMENT, "--student", "broken_deleted_answer", "--force")
    html = (course / "feedback" / "broken_deleted_answer" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "Flagged for your instructor to check." in html and MISSING in html
