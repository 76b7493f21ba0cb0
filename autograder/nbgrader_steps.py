"""The checker inside nbgrader's autograde pipeline: the only place that knows about nbgrader.

Free-text replies and saved quiz answers are graded here, in the grader's own process, from the submitted
files, never by running student code. Whatever the student's kernel printed in a graded cell is replaced by
this authoritative result before nbgrader's SaveAutoGrades reads the cell's score.
"""
from __future__ import annotations

import html
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

from . import exercise_bank
from .answers import find_reply_cell, reply_text
from .grading import grade


class ExecuteSafely(Execute):
    """nbgrader's Execute, except that a notebook which cannot be run to the end (a dead or hung kernel, a
    loop that swallows interrupts) is kept as it is instead of failing the student's whole autograde: every
    answer here is graded from the notebook's text, so nothing needs the kernel's outputs."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        try:
            return super().preprocess(nb, resources)
        except Exception as problem:  # noqa: BLE001 - any failure to run must not stop the batch
            self.log.warning("Could not run %s to the end (%s); grading its answers from their text.",
                             resources.get("nbgrader", {}).get("notebook"), type(problem).__name__)
            resources.setdefault("empathy_course", {})["execution_problem"] = type(problem).__name__
            return nb, resources


class GradeFromSource(NbGraderPreprocessor):
    """Write the checker's result into every reply check and quiz check cell as its only output."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        keys = self._keys(info["assignment"])
        exercises = {e.test_cells[0]: e for e in exercise_bank.all_exercises().values()
                     if e.assignment == info["assignment"]}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade") or cell.cell_type != "code":
                continue
            grade_id, points = meta.get("grade_id", ""), float(meta.get("points", 0))
            if grade_id in exercises:
                cell.outputs = self._reply_outputs(nb, exercises[grade_id], points)
            elif grade_id.removesuffix("_check") in keys:
                question_id = grade_id.removesuffix("_check")
                cell.outputs = self._quiz_outputs(question_id, keys[question_id], folder, points)
        return nb, resources

    def _keys(self, assignment: str) -> dict:
        from course.quiz_bank import KEYS_FILE, load_keys

        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / KEYS_FILE
        return load_keys(path) if path.exists() else {}

    def _reply_outputs(self, nb: NotebookNode, exercise, points: float) -> list:
        cell = find_reply_cell(nb.cells, exercise.id, exercise.answer_cell)
        if cell is None:
            message = "The reply cell for this exercise was not in the notebook, so there was no reply to mark."
            return _outputs(f"<p>{html.escape(message)}</p>", 0.0)
        result = grade(exercise, reply_text(cell.source))
        return _outputs(result._repr_html_(), result.points(points))

    def _quiz_outputs(self, question_id: str, key: dict, folder: Path, points: float) -> list:
        from course import quiz_bank, scoring
        from course.saved_answers import SavedAnswers, path_for

        question = quiz_bank.get(question_id)
        saved = SavedAnswers(path_for(question.notebook, folder))
        answer = saved.get(question_id)
        share = scoring.score(question.type, answer, key["answer"])
        return _outputs(_quiz_feedback(question, answer, key, share), float(min(max(round(share * points, 2), 0.0), points)))


def _outputs(feedback_html: str, points: float) -> list:
    """A feedback display, then the score as the cell's only result (nbgrader reads the first result)."""
    return [
        NotebookNode(output_type="display_data", metadata={}, data={"text/html": feedback_html,
                                                                     "text/plain": "Feedback from the course checker"}),
        NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                     data={"text/plain": repr(float(points))}),
    ]


def _quiz_feedback(question, answer, key: dict, share: float) -> str:
    if answer is None:
        return "<p>No saved answer was found for this question.</p>"
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
