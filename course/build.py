"""Build the nbgrader source notebook `source/<a>/<nb>.ipynb` from its authored Markdown `<nb>.md`.

The Markdown is the one place an author edits; the notebook, with every nbgrader cell id, lock and point,
is derived from it, the quiz bank, the exercise bank and the keys (docs/authoring.md explains the format).
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml

from . import quiz_bank

DIRECTIVE = re.compile(r"^:::\{(?P<kind>quiz|exercise|reflection)\}\s+(?P<id>[a-z0-9_]+)(?P<args>.*)$")
HOW_IT_WORKS = """\
**How this notebook works.** Run the set-up cell below first (click in it, then press **Shift+Enter**),
then work down the page running each cell. You never need to write code:

- **Practice questions** give feedback at once; try them as often as you like.
- **Graded questions** are saved the moment you choose an answer; you can change an answer until you submit.
- **Rewrite exercises** have a reply cell: keep its first line (`%%reply …`) as it is and write your reply,
  in plain words, below it. Run the cell to see a self-check. Any characters are fine, quotes included.
- **Reflections** are written in a text cell and read by your instructor.

Save with **Ctrl+S** (Cmd+S on a Mac). Everything works with the keyboard alone: **Tab** moves between
controls, the **arrow keys** choose within a group, **Space** or **Enter** presses a button or ticks a box."""


class BuildError(ValueError):
    pass


def build_notebook(md_path: Path) -> nbformat.NotebookNode:
    md_path = Path(md_path)
    front, body = _front_matter(md_path)
    assignment, notebook = front["assignment"], md_path.stem
    if md_path.parent.name != assignment:
        raise BuildError(f"{md_path}: front matter says assignment {assignment!r}, but the folder is {md_path.parent.name!r}")
    keys_path = md_path.parent / quiz_bank.KEYS_FILE
    keys = quiz_bank.load_keys(keys_path) if keys_path.exists() else {}
    cells = Cells(md_path)
    chunks = _chunks(body, md_path)
    first, rest = (chunks[0], chunks[1:]) if chunks and chunks[0][0] == "markdown" else (None, chunks)
    if first:
        cells.markdown(first[1])
    cells.markdown(HOW_IT_WORKS)
    cells.code("setup", "# Set-up: run this cell first (click in it, then press Shift+Enter).\n"
               "from course import start, quiz, check_reply, check_quiz\n"
               f'start("{notebook}")')
    for kind, content, ident, args in rest:
        if kind == "markdown":
            cells.markdown(content)
        elif kind == "quiz":
            _quiz_cells(cells, ident, notebook, keys)
        elif kind == "exercise":
            _exercise_cells(cells, ident, notebook, content)
        else:
            _reflection_cells(cells, ident, content, args)
    nb = nbformat.v4.new_notebook(cells=cells.cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "empathy_course": {"built_from": md_path.name, "title": front.get("title", notebook)},
    })
    return nb


def _front_matter(md_path: Path) -> tuple[dict, str]:
    text = md_path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        raise BuildError(f"{md_path}: starts without front matter (--- assignment: … ---)")
    return yaml.safe_load(match.group(1)), text[match.end():]


def _chunks(body: str, md_path: Path) -> list[tuple[str, str, str | None, str]]:
    """Split the body into ("markdown", text) pieces at `+++` lines and directive blocks."""
    chunks, lines, directive = [], [], None
    for number, line in enumerate(body.splitlines(), start=1):
        match = DIRECTIVE.match(line)
        if directive is None and match:
            chunks.append(("markdown", "\n".join(lines).strip(), None, ""))
            lines, directive = [], (match["kind"], match["id"], match["args"].strip())
        elif directive is not None and line.strip() == ":::":
            chunks.append((directive[0], "\n".join(lines).strip(), directive[1], directive[2]))
            lines, directive = [], None
        elif directive is None and line.strip() == "+++":
            chunks.append(("markdown", "\n".join(lines).strip(), None, ""))
            lines = []
        else:
            lines.append(line)
    if directive is not None:
        raise BuildError(f"{md_path}: the {{{directive[0]}}} {directive[1]} block is not closed with ':::'")
    chunks.append(("markdown", "\n".join(lines).strip(), None, ""))
    return [c for c in chunks if c[0] != "markdown" or c[1]]


class Cells:
    """Collects cells with stable ids, so rebuilding an unchanged .md gives an identical notebook."""

    def __init__(self, md_path: Path):
        self.cells: list = []
        self.md_path = md_path
        self._text_count = 0

    def _meta(self, grade_id: str, *, grade=False, solution=False, locked=True, points=None) -> dict:
        meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
                "solution": solution, "task": False}
        if points is not None:
            meta["points"] = points
        return {"nbgrader": meta}

    def markdown(self, text: str, grade_id: str | None = None, **flags) -> None:
        if grade_id is None:
            self._text_count += 1
            grade_id = f"text_{self._text_count:03d}"
        cell = nbformat.v4.new_markdown_cell(text, metadata=self._meta(grade_id, **flags))
        cell.id = grade_id.replace("_", "-")
        self.cells.append(cell)

    def code(self, grade_id: str, source: str, **flags) -> None:
        cell = nbformat.v4.new_code_cell(source, metadata=self._meta(grade_id, **flags))
        cell.id = grade_id.replace("_", "-")
        self.cells.append(cell)


def _quiz_cells(cells: Cells, question_id: str, notebook: str, keys: dict) -> None:
    question = quiz_bank.get(question_id)
    if question.notebook != notebook:
        raise BuildError(f"{cells.md_path}: question {question_id} belongs to {question.notebook}.yaml")
    cells.code(f"{question_id}_quiz", f'quiz("{question_id}")')
    if question.graded:
        if question_id not in keys:
            raise BuildError(f"{cells.md_path}: graded question {question_id} has no key in {quiz_bank.KEYS_FILE}")
        cells.code(f"{question_id}_check",
                   "# Graded when you submit: your saved answer above is marked. Nothing to do here.\n"
                   "### BEGIN HIDDEN TESTS\n"
                   f'check_quiz("{question_id}", points={keys[question_id]["points"]})\n'
                   "### END HIDDEN TESTS", grade=True, points=keys[question_id]["points"])


def _exercise_cells(cells: Cells, exercise_id: str, notebook: str, model_answer: str) -> None:
    from autograder import exercise_bank

    exercise = exercise_bank.get(exercise_id)
    if exercise.notebook != f"{notebook}.ipynb":
        raise BuildError(f"{cells.md_path}: exercise {exercise_id} belongs to {exercise.notebook}")
    if not model_answer.strip():
        raise BuildError(f"{cells.md_path}: exercise {exercise_id} has no model answer")
    cells.markdown(exercise_markdown(exercise), grade_id=f"{exercise_id}_prompt")
    cells.code(exercise.answer_cell, f"%%reply {exercise_id}\n### BEGIN SOLUTION\n{model_answer.strip()}\n### END SOLUTION",
               solution=True, locked=False)
    cells.code(exercise.test_cells[0],
               "# Graded when you submit: the course checker marks your reply above. Nothing to do here.\n"
               "### BEGIN HIDDEN TESTS\n"
               f'check_reply("{exercise_id}", points={exercise.points:g})\n'
               "### END HIDDEN TESTS", grade=True, points=exercise.points)


def exercise_markdown(exercise) -> str:
    lines = [f"### Exercise {exercise.id[exercise.id.index('_ex') + 3:]}: {exercise.title}", "",
             f"**{exercise.client} says:** “{exercise.client_statement}”", ""]
    if exercise.original_response:
        lines += [f"**A worker replied:** “{exercise.original_response}”", ""]
    lines += [f"**Your task:** {exercise.task}", "",
              f"Write your reply in the cell below, under its first line `%%reply {exercise.id}` (leave that line "
              "as it is). Then run the cell (Shift+Enter) to see your self-check. Improve it and run it again as "
              f"often as you like. *Worth {exercise.points:g} points.*"]
    return "\n".join(lines)


def _reflection_cells(cells: Cells, reflection_id: str, content: str, args: str) -> None:
    points = float(dict(re.findall(r"(\w+)=(\S+)", args)).get("points", 4))
    prompt, _, scheme = content.partition("\n---\n")
    cells.markdown(prompt.strip() + f"\n\n*Write your answer in the text cell below. Your instructor reads and "
                   f"marks it (worth {points:g} points). Double-click the cell to edit it; press Shift+Enter when done.*",
                   grade_id=f"{reflection_id}_prompt")
    answer = "### BEGIN SOLUTION\n" + (scheme.strip() or "(Marked by hand.)") + "\n### END SOLUTION"
    cells.markdown(answer, grade_id=reflection_id, grade=True, solution=True, locked=False, points=points)


def source_markdown_files(source_dir: Path, names: list[str] | None = None) -> list[Path]:
    files = sorted(Path(source_dir).glob("*/*.md"))
    return [f for f in files if not names or f.parent.name in names or f.stem in names]


def write(md_path: Path) -> Path:
    out = Path(md_path).with_suffix(".ipynb")
    nbformat.write(build_notebook(md_path), out)
    return out
