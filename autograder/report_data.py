"""The numbers of the class report: read from the gradebook and the autograded files, never by running them.

`collect()` reads everything once into a `ClassData`; `measures()` turns it into tidy `Measure` rows (one number
each), which both the CSV and the HTML page show. Every definition the page states is implemented here.
"""
from __future__ import annotations

import difflib
import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from . import data as checker_data
from . import exercise_bank
from .analysis import FEATURES, HELPFUL_MOVES, analyze
from .answers import cell_source, find_reply_cell, reply_text
from .exercise_bank import Exercise
from .grading import MAX_CHARS, grade
from .result import GradeResult
from .screening import placeholder_free

BORDERLINE = 0.1        # a checker score within this of the pass mark is borderline
NEAR_IDENTICAL = 0.9    # replies of one student to two exercises this similar reuse one template
ASSIGNMENT = "(assignment)"  # the notebook column of measures about the whole assignment

CSV_FIELDS = ("section", "notebook", "item", "detail", "measure", "value", "n")


class NoReport(Exception):
    """There is nothing to report on (no gradebook, no such assignment); the message says what to do."""


@dataclass(frozen=True)
class Measure:
    """One number of the report (a row of report.csv). `n` is how many students or replies it is based on."""

    section: str
    notebook: str
    item: str
    detail: str
    measure: str
    value: float | None
    n: int | None = None


@dataclass
class Reply:
    student: str
    exercise: Exercise
    text: str
    result: GradeResult
    moves: tuple[str, ...] = ()   # the moves found (readable replies only)

    @property
    def answered(self) -> bool:
        return self.result.answered

    @property
    def readable(self) -> bool:
        return self.result.unreadable is None


@dataclass
class QuizItem:
    question: object              # course.quiz_bank.Question
    key: object                   # the key's answer
    points: float
    answers: dict[str, object]    # student -> saved answer (None: no answer)
    shares: dict[str, float]      # student -> share right


@dataclass
class ClassData:
    assignment: str
    db_url: str
    students: list[str]                          # everyone in the gradebook
    submitted: list[str]                         # those with a submission of this assignment
    max_score: float
    totals: dict[str, float]                     # student -> assignment score (manual scores count)
    notebooks: dict[str, float]                  # notebook name -> max score
    notebook_scores: dict[str, dict[str, float]]  # notebook -> student -> score
    cells: dict[tuple[str, str], tuple]          # (student, grade_id) -> (auto, manual, max_score)
    read: dict[str, list[str]] = field(default_factory=dict)  # notebook -> students whose file was read
    replies: list[Reply] = field(default_factory=list)
    quiz: list[QuizItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def pass_mark() -> float:
    return float(checker_data.rubric_defaults()["pass_mark"])


# --- reading -------------------------------------------------------------------------------------------------

def collect(assignment: str, db_url: str, autograded: str, source: str) -> ClassData:
    """Everything the report needs. `autograded` and `source` are nbgrader path templates with {student_id}
    (autograded only) and {assignment_id}, as CourseDirectory formats them."""
    data = _from_gradebook(assignment, db_url)
    for notebook in data.notebooks:
        data.read[notebook] = []
    for student in data.submitted:
        folder = Path(autograded.format(student_id=student, assignment_id=assignment))
        for notebook in data.notebooks:
            path = folder / f"{notebook}.ipynb"
            cells = _cells(path, data.problems)
            if cells is None:
                continue
            data.read[notebook].append(student)
            for exercise in _exercises(assignment, notebook):
                cell = find_reply_cell(cells, exercise.id, exercise.answer_cell)
                text = reply_text(cell_source(cell)) if cell is not None else ""
                result = grade(exercise, text)
                moves = ()
                if result.unreadable is None:
                    found = analyze(placeholder_free(text)[:MAX_CHARS], exercise.client_statement)
                    moves = tuple(found.found())
                data.replies.append(Reply(student, exercise, text, result, moves))
    data.quiz = _quiz(data, Path(source.format(assignment_id=assignment)), autograded)
    return data


def _from_gradebook(assignment: str, db_url: str) -> ClassData:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(a.name for a in gb.assignments) or "none yet"
            raise NoReport(f"The gradebook has no assignment called {assignment!r} (it has: {known}). "
                           "Generate and autograde it first, and run this from the course root.") from None
        data = ClassData(
            assignment=assignment, db_url=db_url, students=sorted(s.id for s in gb.students), submitted=[],
            max_score=float(found.max_score), totals={},
            notebooks={nb.name: float(nb.max_score) for nb in sorted(found.notebooks, key=lambda nb: nb.name)},
            notebook_scores={nb.name: {} for nb in found.notebooks}, cells={})
        for submission in sorted(found.submissions, key=lambda s: s.student.id):
            student = submission.student.id
            data.submitted.append(student)
            data.totals[student] = float(submission.score)
            for nb in submission.notebooks:
                data.notebook_scores[nb.notebook.name][student] = float(nb.score)
                for g in nb.grades:
                    data.cells[(student, g.name)] = (g.auto_score, g.manual_score, float(g.max_score))
    return data


def _cells(path: Path, problems: list[str]) -> list | None:
    import nbformat

    if not path.exists():
        problems.append(f"Missing autograded notebook {path} (skipped).")
        return None
    try:
        return nbformat.read(path, as_version=4).cells
    except Exception as problem:  # noqa: BLE001 - a damaged file is reported, not fatal
        problems.append(f"Could not read {path} ({type(problem).__name__}; skipped).")
        return None


def _exercises(assignment: str, notebook: str) -> list[Exercise]:
    return [e for e in exercise_bank.all_exercises().values()
            if e.assignment == assignment and Path(e.notebook).stem == notebook]


def _quiz(data: ClassData, source_folder: Path, autograded: str) -> list[QuizItem]:
    from course import quiz_bank, scoring
    from course.saved_answers import path_for

    keys_path = source_folder / quiz_bank.KEYS_FILE
    if not keys_path.exists():
        return []
    items, files = [], {}
    for question_id, key in quiz_bank.load_keys(keys_path).items():
        question = quiz_bank.get(question_id)
        students = data.read.get(question.notebook, [])
        answers = {}
        for student in students:
            folder = Path(autograded.format(student_id=student, assignment_id=data.assignment))
            path = path_for(question.notebook, folder)
            if path not in files:
                files[path] = _saved(path, data.problems)
            answers[student] = files[path].get(question_id)
        shares = {s: float(scoring.score(question.type, a, key["answer"])) for s, a in answers.items()}
        items.append(QuizItem(question, key["answer"], float(key.get("points", 1)), answers, shares))
    return items


def _saved(path: Path, problems: list[str]) -> dict:
    """question id -> saved answer, read without changing the file (unlike the kernel's SavedAnswers, which
    sets a damaged file aside)."""
    answers: dict = {}
    if path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            answers = {k: v["answer"] for k, v in raw.items() if isinstance(v, dict) and "answer" in v}
        except (ValueError, OSError, AttributeError):
            problems.append(f"Could not read the saved quiz answers {path}; counted as unanswered.")
    return answers


# --- measures -------------------------------------------------------------------------------------------------

def measures(data: ClassData) -> list[Measure]:
    rows = [Measure("class", ASSIGNMENT, "students", "", "in_gradebook", len(data.students)),
            Measure("class", ASSIGNMENT, "students", "", "submitted", len(data.submitted)),
            Measure("class", ASSIGNMENT, "files", "", "problems", len(data.problems))]
    return rows + score_measures(data) + criterion_measures(data) + move_measures(data) + quiz_measures(data) \
        + flag_measures(data) + agreement_measures(data)


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def score_measures(data: ClassData) -> list[Measure]:
    groups = {nb: scores for nb, scores in data.notebook_scores.items()}
    if len(groups) != 1:
        groups[ASSIGNMENT] = data.totals
    rows = []
    for notebook, scores in groups.items():
        maximum = data.max_score if notebook == ASSIGNMENT else data.notebooks[notebook]
        values = [scores[s] for s in sorted(scores)]
        n = len(values)
        rows.append(Measure("scores", notebook, "score", "", "max_score", maximum, n))
        if values:
            rows += [Measure("scores", notebook, "score", "", name, _r(fn(values)), n) for name, fn in (
                ("mean", statistics.fmean), ("median", statistics.median), ("min", min), ("max", max))]
            rows.append(Measure("scores", notebook, "score", "", "mean_share", _r(statistics.fmean(values) / maximum) if maximum else None, n))
    return rows


def replies_by_exercise(data: ClassData) -> dict[str, list[Reply]]:
    grouped: dict[str, list[Reply]] = {}
    for reply in data.replies:
        grouped.setdefault(reply.exercise.id, []).append(reply)
    return grouped


def criterion_measures(data: ClassData) -> list[Measure]:
    rows = []
    for exercise_id, replies in replies_by_exercise(data).items():
        notebook = Path(replies[0].exercise.notebook).stem
        n = len(replies)
        rows += [
            Measure("exercises", notebook, exercise_id, "", "share_answered", _r(sum(r.answered for r in replies) / n), n),
            Measure("exercises", notebook, exercise_id, "", "share_passed", _r(sum(r.result.passed for r in replies) / n), n),
            Measure("exercises", notebook, exercise_id, "", "mean_checker_score", _r(statistics.fmean(r.result.score for r in replies)), n),
        ]
        for criterion in replies[0].result.criteria:
            met = sum(any(c.id == criterion.id and c.met for c in r.result.criteria) for r in replies)
            rows.append(Measure("criteria", notebook, exercise_id, criterion.id, "share_met", _r(met / n), n))
    return rows


def move_measures(data: ClassData) -> list[Measure]:
    readable = [r for r in data.replies if r.readable]
    students = sorted({r.student for r in readable})
    rows = []
    if not readable:
        return rows
    for move in FEATURES:
        kind = "helpful" if move in HELPFUL_MOVES else "roadblock"
        share_replies = sum(move in r.moves for r in readable) / len(readable)
        showing = sum(any(move in r.moves for r in readable if r.student == s) for s in students) / len(students)
        mastery = showing if kind == "helpful" else 1 - showing
        rows += [Measure("moves", ASSIGNMENT, move, kind, "share_of_replies", _r(share_replies), len(readable)),
                 Measure("moves", ASSIGNMENT, move, kind, "share_of_students", _r(showing), len(students)),
                 Measure("moves", ASSIGNMENT, move, kind, "mastery", _r(mastery), len(students))]
    return rows


def _rest_scores(data: ClassData, item: QuizItem) -> dict[str, float]:
    """Each student's assignment score without this question's points (its gradebook cell score)."""
    rest = {}
    for student in item.shares:
        auto, manual, _ = data.cells.get((student, f"{item.question.id}_check"), (None, None, 0.0))
        cell = manual if manual is not None else auto
        rest[student] = data.totals.get(student, 0.0) - float(cell if cell is not None else item.shares[student] * item.points)
    return rest


def discrimination(data: ClassData, item: QuizItem) -> float | None:
    """Pearson correlation of the item score (share right) with the rest-of-test score; None when undefined
    (fewer than 3 students, or everyone scored the same on either)."""
    students = sorted(item.shares)
    if len(students) < 3:
        return None
    rest = _rest_scores(data, item)
    xs, ys = [item.shares[s] for s in students], [rest[s] for s in students]
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None


def quiz_measures(data: ClassData) -> list[Measure]:
    rows = []
    for item in data.quiz:
        q, n = item.question, len(item.shares)
        if not n:
            continue
        rows += [Measure("quiz", q.notebook, q.id, q.type, "difficulty", _r(statistics.fmean(item.shares.values())), n),
                 Measure("quiz", q.notebook, q.id, q.type, "discrimination", _r(discrimination(data, item)), n),
                 Measure("quiz", q.notebook, q.id, q.type, "no_answer", _r(sum(a is None for a in item.answers.values()) / n), n)]
        for detail, right, count in option_counts(item):
            rows.append(Measure("options", q.notebook, q.id, detail, "chose_key" if right else "chose_wrong",
                                _r(count / n), n))
    return rows


def option_counts(item: QuizItem) -> list[tuple[str, bool, int]]:
    """(option, is it the key, how many students chose it); for a spot question `item=label` per reply."""
    q, answers = item.question, list(item.answers.values())
    if q.type == "spot":
        return [(f"{it['id']}={lab['id']}", item.key.get(it["id"]) == lab["id"],
                 sum(isinstance(a, dict) and a.get(it["id"]) == lab["id"] for a in answers))
                for it in q.items for lab in q.labels]
    wanted = item.key if isinstance(item.key, list) else [item.key]
    chosen = [a if isinstance(a, list) else [a] for a in answers]
    return [(o["id"], o["id"] in wanted, sum(o["id"] in c for c in chosen)) for o in q.options]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", placeholder_free(text)).strip().lower()


def flag_measures(data: ClassData) -> list[Measure]:
    rows = []
    for exercise_id, replies in replies_by_exercise(data).items():
        notebook = Path(replies[0].exercise.notebook).stem
        same: dict[str, list[str]] = {}
        for reply in replies:
            if reply.answered:
                same.setdefault(normalised(reply.text), []).append(reply.student)
        rows += [Measure("flags", notebook, exercise_id, ", ".join(sorted(group)), "same_text", len(group), len(group))
                 for group in same.values() if len(group) > 1]
        rows += [Measure("flags", notebook, exercise_id, r.student, "borderline_score", r.result.score, 1)
                 for r in replies if r.readable and abs(r.result.score - pass_mark()) <= BORDERLINE + 1e-9]
    by_student: dict[str, list[Reply]] = {}
    for reply in data.replies:
        if reply.answered:
            by_student.setdefault(reply.student, []).append(reply)
    for student, replies in sorted(by_student.items()):
        for i, first in enumerate(replies):
            for second in replies[i + 1:]:
                similarity = difflib.SequenceMatcher(None, normalised(first.text), normalised(second.text),
                                                     autojunk=False).ratio()
                if similarity >= NEAR_IDENTICAL:
                    rows.append(Measure("flags", Path(first.exercise.notebook).stem,
                                        f"{first.exercise.id} & {second.exercise.id}", student, "template_reuse",
                                        _r(similarity), 2))
    return rows


@dataclass(frozen=True)
class Override:
    student: str
    exercise: Exercise
    auto: float | None
    manual: float
    max_score: float
    reply: Reply | None

    @property
    def checker_passed(self) -> bool:
        if self.reply is not None:
            return self.reply.result.passed
        return self.auto is not None and self.auto >= self.max_score - 1e-9

    @property
    def instructor_passed(self) -> bool:
        return self.manual >= pass_mark() * self.max_score - 1e-9

    @property
    def agree(self) -> bool:
        return self.checker_passed == self.instructor_passed


def overrides(data: ClassData) -> list[Override]:
    """Reply check cells an instructor gave a manual score in the formgrader."""
    checks = {e.test_cells[0]: e for e in exercise_bank.all_exercises().values() if e.assignment == data.assignment}
    replies = {(r.student, r.exercise.id): r for r in data.replies}
    found = []
    for (student, grade_id), (auto, manual, maximum) in sorted(data.cells.items()):
        if grade_id in checks and manual is not None:
            exercise = checks[grade_id]
            found.append(Override(student, exercise, auto, float(manual), maximum, replies.get((student, exercise.id))))
    return found


def agreement_measures(data: ClassData) -> list[Measure]:
    found = overrides(data)
    rows = []
    if found:
        rows.append(Measure("agreement", ASSIGNMENT, "all", "", "agreement", _r(sum(o.agree for o in found) / len(found)), len(found)))
    for exercise_id in sorted({o.exercise.id for o in found}):
        group = [o for o in found if o.exercise.id == exercise_id]
        notebook = Path(group[0].exercise.notebook).stem
        n = len(group)
        rows += [Measure("agreement", notebook, exercise_id, "", "overrides", n, n),
                 Measure("agreement", notebook, exercise_id, "", "agreement", _r(sum(o.agree for o in group) / n), n),
                 Measure("agreement", notebook, exercise_id, "", "mean_change",
                         _r(statistics.fmean(o.manual - (o.auto or 0.0) for o in group)), n)]
        graded = [o for o in group if o.reply is not None]
        if not graded:
            continue
        for criterion in graded[0].reply.result.criteria:
            agree = sum(next(c.met for c in o.reply.result.criteria if c.id == criterion.id) == o.instructor_passed
                        for o in graded)
            rows.append(Measure("agreement", notebook, exercise_id, criterion.id, "criterion_agreement",
                                _r(agree / len(graded)), len(graded)))
    return rows
