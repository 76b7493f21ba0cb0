"""The checker inside nbgrader's autograde pipeline: the only place that knows about nbgrader.

Free-text replies and saved quiz answers are graded here, in the grader's own process, from the submitted
files, never by running student code. Whatever the student's kernel printed in a graded cell is replaced by
this authoritative result before nbgrader's SaveAutoGrades reads the cell's score.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, OverwriteCells

from . import exercise_bank
from .answers import cell_source, find_reply_cell, reply_id, reply_text
from .grading import grade


class OverwriteCellsSafely(OverwriteCells):
    """nbgrader's OverwriteCells, sturdier about cells a student deleted or copied. Stock nbgrader 0.9.6 fails the
    student's whole autograde when a deleted grade cell's neighbour above is not a grade or answer cell (every quiz
    check here sits under a locked quiz cell) or was deleted too, and when a cell was copied with its metadata
    (DeduplicateIds leaves the copy an empty `nbgrader` dict, which add_missing_task_cells cannot read)."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        for cell in nb.cells:
            if "nbgrader" in cell.metadata and not cell.metadata.nbgrader.get("grade_id"):
                del cell.metadata["nbgrader"]
        return super().preprocess(nb, resources)

    def add_missing_grade_cells(self, nb: NotebookNode, resources: dict):
        """Put each missing grade cell back below the nearest cell that came before it in the source notebook and
        is still there (at the top if none is)."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]  # notebook order, as nbgrader itself assumes
        sources = {cell.name: cell for cell in source_nb.source_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}

        def position(name: str) -> int:
            ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
            earlier = [ids.index(n) for n in order[:order.index(name)] if n in ids]
            return max(earlier) + 1 if earlier else 0

        present = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells}
        for grade_cell in sorted(source_nb.grade_cells, key=lambda c: order.index(c.name)):
            if grade_cell.name not in present:
                self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
                nb.cells.insert(position(grade_cell.name), self.missing_cell_transform(
                    sources[grade_cell.name], grade_cell.max_score, is_solution=grade_cell.name in solutions))
        return nb, resources


class ExecuteSafely(Execute):
    """nbgrader's Execute, except that a notebook which cannot be run to the end (a dead or hung kernel, a
    loop that swallows interrupts) is kept as it is instead of failing the student's whole autograde: every
    answer here is graded from the notebook's text, so nothing needs the kernel's outputs. The quiz answers files
    submitted beside the notebook are put back as they were after the run, so the student's code cannot rewrite
    them (the kernel's working folder is the one they are graded from)."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        from course.saved_answers import SUFFIX

        folder = Path(resources.get("metadata", {}).get("path") or ".")
        submitted = {path: path.read_bytes() for path in folder.glob(f"*{SUFFIX}")}
        try:
            return super().preprocess(nb, resources)
        except Exception as problem:  # noqa: BLE001 - any failure to run must not stop the batch
            self.log.warning("Could not run %s to the end (%s); grading its answers from their text.",
                             resources.get("nbgrader", {}).get("notebook"), type(problem).__name__)
            resources.setdefault("empathy_course", {})["execution_problem"] = type(problem).__name__
            return nb, resources
        finally:
            _put_back(folder, submitted, self.log)


def _put_back(folder: Path, submitted: dict[Path, bytes], log) -> None:
    """Leave the quiz answers files as they were submitted: remove any the run created, restore any it changed
    (removing the changed one first, so nothing is ever written through a link the student's code made)."""
    from course.saved_answers import SUFFIX

    for path in folder.glob(f"*{SUFFIX}"):
        if path not in submitted:
            log.warning("Student code created %s while running; removing it.", path.name)
            _remove(path)
    for path, content in submitted.items():
        if path.is_symlink() or not path.is_file() or path.read_bytes() != content:
            log.warning("Student code changed %s while running; putting back the submitted file.", path.name)
            _remove(path)
            path.write_bytes(content)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


class GradeFromSource(NbGraderPreprocessor):
    """Write the checker's result into every reply check and quiz check cell as its only output, and note in
    resources each reply an instructor should look at, with the reason (FlagForReview records it)."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        keys = self._keys(info["assignment"])
        exercises = {e.test_cells[0]: e for e in exercise_bank.all_exercises().values()
                     if e.assignment == info["assignment"]}
        review = resources.setdefault("empathy_course", {}).setdefault("review", {})
        notebook_reasons = self._notebook_reasons(info, resources)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade") or cell.cell_type != "code":
                continue
            grade_id, points = meta.get("grade_id", ""), float(meta.get("points", 0))
            if grade_id in exercises:
                exercise = exercises[grade_id]
                reasons = [*_reply_reasons(nb, exercise), *notebook_reasons]
                cell.outputs = self._reply_outputs(nb, exercise, points, reasons)
                if reasons:
                    review[grade_id] = {"answer_cell": exercise.answer_cell, "reason": " ".join(reasons)}
            elif grade_id.removesuffix("_check") in keys:
                question_id = grade_id.removesuffix("_check")
                cell.outputs = self._quiz_outputs(question_id, keys[question_id], folder, points)
        return nb, resources

    def _notebook_reasons(self, info: dict, resources: dict) -> list[str]:
        reasons = []
        problem = resources.get("empathy_course", {}).get("execution_problem")
        if problem:
            reasons.append(f"The notebook could not be run to the end ({RUN_PROBLEMS.get(problem, RUN_PROBLEMS[None])}); "
                           "the replies were still marked from their text.")
        coursedir = CourseDirectory(config=self.config)
        source = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, info["student"], info["assignment"]))
        known = {path.name for path in source.glob("*.ipynb")}
        extra = sorted(path.name for path in submitted.glob("*.ipynb") if path.name not in known)
        if extra:
            reasons.append(f"The submission also holds {', '.join(extra)}, which is not graded: if the student "
                           "worked in that copy, the replies are there.")
        return reasons

    def _keys(self, assignment: str) -> dict:
        from course.quiz_bank import KEYS_FILE, load_keys

        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / KEYS_FILE
        return load_keys(path) if path.exists() else {}

    def _reply_outputs(self, nb: NotebookNode, exercise, points: float, reasons: list[str]) -> list:
        note = "".join(f"<p><strong>Flagged for your instructor to check.</strong> {html.escape(r)}</p>" for r in reasons)
        cell = find_reply_cell(nb.cells, exercise.id, exercise.answer_cell)
        if cell is None:
            return _outputs(note, 0.0)
        result = grade(exercise, reply_text(cell.source))
        return _outputs(note + result._repr_html_(), result.points(points))

    def _quiz_outputs(self, question_id: str, key: dict, folder: Path, points: float) -> list:
        from course import quiz_bank, scoring
        from course.saved_answers import SavedAnswers, path_for

        question = quiz_bank.get(question_id)
        saved = SavedAnswers(path_for(question.notebook, folder))
        answer = saved.get(question_id)
        share = scoring.score(question.type, answer, key["answer"])
        return _outputs(_quiz_feedback(question, answer, key, share), float(min(max(round(share * points, 2), 0.0), points)))


class FlagForReview(NbGraderPreprocessor):
    """After SaveAutoGrades: each reply GradeFromSource noted keeps its automatic mark, is marked "needs manual
    grade", and gets the reason as the automatic comment of its answer cell (shown in the formgrader's comment box
    and in the student's feedback). Re-running autograde writes the same flags again."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        review = resources.get("empathy_course", {}).get("review", {})
        if review:
            info = resources["nbgrader"]
            ids = (info["notebook"], info["assignment"], info["student"])
            with Gradebook(info["db_url"]) as gb:
                for grade_id, flag in review.items():
                    gb.find_grade(grade_id, *ids).needs_manual_grade = True
                    gb.find_comment(flag["answer_cell"], *ids).auto_comment = "Flagged for your instructor to check. " + flag["reason"]
                gb.db.commit()
        return nb, resources


# Why a notebook could not be run to the end, in plain words (keyed by the exception ExecuteSafely caught).
RUN_PROBLEMS = {
    "DeadKernelError": "Python stopped while running the student's code",
    "CellTimeoutError": "a cell kept running and would not stop when interrupted",
    None: "an error stopped the run",
}


def _reply_reasons(nb: NotebookNode, exercise) -> list[str]:
    """Why this exercise's mark needs a person: its reply cell is gone, or there are copies that disagree."""
    cell = find_reply_cell(nb.cells, exercise.id, exercise.answer_cell)
    if cell is None:
        return [f"The reply cell of this exercise (the cell starting “%%reply {exercise.id}”) was not in the "
                "submitted notebook, so there was no reply to mark. If the reply is elsewhere in the notebook, "
                "mark it by hand."]
    texts = {reply_text(cell_source(c)) for c in nb.cells if reply_id(cell_source(c)) == exercise.id} | {reply_text(cell.source)}
    if len(texts) > 1:
        return [f"The notebook has {len(texts)} different reply cells for this exercise; the one marked is the copy "
                "that kept the original cell's place in nbgrader. Check whether another copy holds the reply the "
                "student meant."]
    return []


def _outputs(feedback_html: str, points: float) -> list:
    """A feedback display, then the score as the cell's only result (nbgrader reads the first result)."""
    return [
        NotebookNode(output_type="display_data", metadata={}, data={"text/html": feedback_html,
                                                                     "text/plain": "Feedback from the course checker"}),
        NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                     data={"text/plain": repr(float(points))}),
    ]


def _quiz_feedback(question, answer, key: dict, share: float) -> str:
    from course.scoring import well_formed

    if answer is None:
        return "<p>No saved answer was found for this question.</p>"
    if not well_formed(question.type, answer):
        return "<p>The saved answer to this question could not be read (the answers file was changed by hand).</p>"
    if question.type == "spot":
        labels = {lab["id"]: lab["text"] for lab in question.labels}
        rows = [f"Reply {n}: you chose “{labels.get(answer.get(item['id']), 'nothing')}”; "
                f"it shows “{labels[key['answer'][item['id']]]}”. {key['feedback'].get(item['id'], '')}"
                for n, item in enumerate(question.items, start=1)]
    else:
        texts = {o["id"]: o["text"] for o in question.options}
        chosen = answer if isinstance(answer, list) else [answer]
        wanted = key["answer"] if isinstance(key["answer"], list) else [key["answer"]]
        rows = [f"You chose “{texts.get(c, c)}”. {key['feedback'].get(c, '')}" for c in chosen]
        rows.append("The answer: " + "; ".join(f"“{texts[w]}”" for w in wanted) + ".")
    items = "".join(f"<li>{html.escape(r)}</li>" for r in rows)
    return f"<p><strong>{round(share * 100)}% right.</strong></p><ul>{items}</ul>"
