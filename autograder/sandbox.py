"""A scratch copy of the course with simulated students: used by `make demo`, the end-to-end tests and the
benchmarks, so the real course's gradebook is never touched. Everything runs the real nbgrader CLI."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

from . import exercise_bank
from .answers import find_reply_cell
from .model_answers import model_answers

REPO = Path(__file__).resolve().parent.parent


def make_course(dest: Path, assignments: list[str] | None = None) -> Path:
    """Copy nbgrader_config.py and the source notebooks (all, or the named assignments) into `dest`."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    for folder in sorted((REPO / "source").iterdir()):
        if folder.is_dir() and (assignments is None or folder.name in assignments):
            shutil.copytree(folder, dest / "source" / folder.name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.quiz_answers.json*"))
    return dest


def assignments(course: Path) -> list[str]:
    return sorted(p.name for p in (Path(course) / "source").iterdir() if p.is_dir())


def nbgrader(course: Path, *args: str, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run the real nbgrader CLI in the course root (never elsewhere: it would make a stray gradebook)."""
    # nbgrader calls the `alembic` command of its own environment, so that environment's bin/ comes first.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "NBGRADER_EXCHANGE": str(Path(course) / "exchange"), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, text=True,
                          capture_output=True, timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def generate(course: Path) -> None:
    """Every assignment's student version, in one nbgrader call (it takes a glob)."""
    nbgrader(course, "generate_assignment", "*", "--force")


# --- simulated students --------------------------------------------------------------------------------------

STRENGTHS = {"strong": 1.0, "partial": 0.5, "blank": 0.0}


def submit(course: Path, student: str, strength: str, assignment: str, timestamp: str = "2026-11-20 12:00:00 UTC") -> Path:
    """Copy the released assignment into submitted/<student>/ and answer it: `strong` with the model answers
    and right quiz answers, `partial` with about half of each, `blank` with nothing."""
    course = Path(course)
    share = STRENGTHS[strength]
    release = course / "release" / assignment
    target = course / "submitted" / student / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(release, target)
    (target / "timestamp.txt").write_text(timestamp)
    models = model_answers(course / "source")
    keys_path = course / "source" / assignment / "quiz_keys.yaml"
    keys = yaml.safe_load(keys_path.read_text()) if keys_path.exists() else {}
    for notebook_path in sorted(target.glob("*.ipynb")):
        _answer_notebook(notebook_path, share, models)
        _answer_quizzes(notebook_path, share, keys)
    return target


def _answer_notebook(path: Path, share: float, models: dict[str, str]) -> None:
    nb = nbformat.read(path, as_version=4)
    exercises = [e for e in exercise_bank.all_exercises().values() if e.notebook == path.name]
    for n, exercise in enumerate(exercises):
        cell = find_reply_cell(nb.cells, exercise.id, exercise.answer_cell)
        if cell is None or share == 0:
            continue
        good = n < round(len(exercises) * share)
        text = models[exercise.id] if good else (exercise.original_response or "I see. Okay.")
        cell.source = f"%%reply {exercise.id}\n{text}"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if share > 0 and cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            cell.source = REFLECTION
    nbformat.write(nb, path)


REFLECTION = ("When my cousin lost her job, I jumped in with ideas before she had finished talking. Looking back, "
              "she needed me to hear how frightened she was first. In practice I want to slow down, name what I "
              "hear, and ask what would help before I offer anything.")


def _answer_quizzes(path: Path, share: float, keys: dict) -> None:
    from course import quiz_bank
    from course.saved_answers import SavedAnswers, path_for

    graded = [q for q in quiz_bank.all_questions().values()
              if q.graded and q.notebook == path.stem and q.id in keys]
    if share == 0 or not graded:
        return
    saved = SavedAnswers(path_for(path.stem, path.parent))
    for n, question in enumerate(graded):
        right = n < round(len(graded) * share)
        saved.save(question.id, keys[question.id]["answer"] if right else _wrong_answer(question, keys[question.id]["answer"]))


def _wrong_answer(question, key):
    if question.type == "spot":
        labels = [lab["id"] for lab in question.labels]
        return {item: next(lab for lab in labels if lab != right) for item, right in key.items()}
    options = [o["id"] for o in question.options]
    wrong = [o for o in options if o not in (key if isinstance(key, list) else [key])]
    return [wrong[0]] if question.type == "multiple" else wrong[0]


def read_grades(csv_path: Path) -> list[dict]:
    with open(csv_path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
