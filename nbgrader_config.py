"""nbgrader configuration for the empathy course. The repo root is the course root.

Each setting answers a behaviour of nbgrader 0.9 recorded in the design notes (shared DESIGN.md).
"""
import os
from pathlib import Path

from nbgrader.converters import Autograde

from autograder.screening import settings as screening_settings

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

COURSE_ROOT = Path(__file__).resolve().parent
c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = os.environ.get("EMPATHY_COURSE_ID", "empathy-course")

# Authoring files stay with the instructor: the Markdown each notebook is built from (it holds the model
# answers) and the keys of graded questions. Never add students' `*.quiz_answers.json` here: the same list
# filters what students submit.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.md", "quiz_keys.yaml"]

# Every answer cell in the course is a `%%reply` cell: the released placeholder reads as an instruction, and
# the checker knows it means "not answered yet".
REPLY_PLACEHOLDER = screening_settings()["placeholders"][0]
c.ClearSolutions.code_stub = {"python": REPLY_PLACEHOLDER}
c.ClearSolutions.text_stub = "Write your reflection here, replacing this line."

# A student who deletes a graded cell still gets it back (and a grade) instead of "needs manual grading".
c.OverwriteCells.add_missing_cells = True

# Each cell gets 30 s; a hung cell is interrupted and the rest still runs. Execute.timeout wins over
# ExecutePreprocessor.timeout, so it is set here.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# Autograde: run the notebook (tolerating one that cannot finish, and putting back the submitted quiz answers
# files the student's code may have rewritten), then let the checker grade every reply and saved quiz answer from
# the submitted files, before nbgrader saves the scores; then flag for manual review, with a plain reason as the
# answer cell's comment, each reply that could not be marked with confidence (reply cell missing, copies that
# disagree, a notebook that could not be run to the end, a notebook submitted under another name beside it).
# Sanitizing uses a sturdier OverwriteCells: stock nbgrader fails a student's whole autograde when a deleted
# grade cell's neighbour is gone too, or a copied cell kept its metadata. Steps are named by their import path
# (nbconvert imports them), which also keeps this configuration printable in the formgrader.
def _names(trait: str) -> list[str]:
    return [f"{step.__module__}.{step.__name__}" for step in Autograde.class_traits()[trait].default()]


steps = _names("sanitize_preprocessors")
steps[steps.index("nbgrader.preprocessors.overwritecells.OverwriteCells")] = "autograder.nbgrader_steps.OverwriteCellsSafely"
c.Autograde.sanitize_preprocessors = steps
steps = _names("autograde_preprocessors")
steps[steps.index("nbgrader.preprocessors.execute.Execute")] = "autograder.nbgrader_steps.ExecuteSafely"
steps.insert(steps.index("nbgrader.preprocessors.saveautogrades.SaveAutoGrades"), "autograder.nbgrader_steps.GradeFromSource")
steps.insert(steps.index("nbgrader.preprocessors.saveautogrades.SaveAutoGrades") + 1, "autograder.nbgrader_steps.FlagForReview")
c.Autograde.autograde_preprocessors = steps

# Feedback shows the checker's comments but never the hidden check code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# The exchange (release, fetch, submit, collect): a writable folder beside the course unless a hub sets one.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", str(COURSE_ROOT / "exchange"))
c.Exchange.path_includes_course = True
