"""The source notebooks are built from their Markdown and carry the nbgrader structure the course relies on."""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder import exercise_bank
from course import quiz_bank
from course.build import BuildError, build_notebook

from .conftest import REPO

MD_FILES = sorted((REPO / "source").glob("*/*.md"))


@pytest.mark.parametrize("md", MD_FILES, ids=lambda p: p.stem)
def test_notebook_is_up_to_date_with_its_markdown(md):
    built = json.loads(nbformat.writes(build_notebook(md)))
    on_disk = json.loads(md.with_suffix(".ipynb").read_text())
    assert built == on_disk, f"run `make notebooks` (python -m course build {md.parent.name})"


@pytest.mark.parametrize("md", MD_FILES, ids=lambda p: p.stem)
def test_setup_cell_is_the_first_code_cell_and_locked(md):
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.nbgrader["grade_id"] == "setup" and code[0].metadata.nbgrader["locked"]
    assert f'start("{md.stem}")' in code[0].source


@pytest.mark.parametrize("md", MD_FILES, ids=lambda p: p.stem)
def test_every_exercise_has_an_answer_cell_and_a_graded_check(md):
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for e in [e for e in exercise_bank.all_exercises().values() if e.notebook == f"{md.stem}.ipynb"]:
        answer, check = by_id[e.answer_cell], by_id[e.test_cells[0]]
        assert answer.source.startswith(f"%%reply {e.id}\n### BEGIN SOLUTION\n")
        assert answer.metadata.nbgrader["solution"] and not answer.metadata.nbgrader["grade"]
        assert check.metadata.nbgrader["grade"] and check.metadata.nbgrader["points"] == e.points
        assert "### BEGIN HIDDEN TESTS" in check.source


@pytest.mark.parametrize("md", MD_FILES, ids=lambda p: p.stem)
def test_graded_questions_have_hidden_checks_worth_their_points(md):
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    keys = quiz_bank.load_keys(md.parent / quiz_bank.KEYS_FILE)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for q in [q for q in quiz_bank.all_questions().values() if q.graded and q.notebook == md.stem]:
        assert by_id[f"{q.id}_check"].metadata.nbgrader["points"] == keys[q.id]["points"]


@pytest.mark.parametrize("folder_name, text, problem", [
    ("m1_empathy", "---\nassignment: m1_empathy\n---\n# Title\n\n:::{exercise} m1_ex1\nSome answer\n", "not closed"),
    ("m9_other", "---\nassignment: m1_empathy\n---\n# Title\n", "folder"),
    ("m1_empathy", "# Title without front matter\n", "front matter"),
], ids=["unclosed directive", "folder disagrees with front matter", "no front matter"])
def test_authoring_mistakes_are_reported_with_the_file(tmp_path, folder_name, text, problem):
    folder = tmp_path / folder_name
    folder.mkdir()
    md = folder / f"{folder_name}.md"
    md.write_text(text)
    with pytest.raises(BuildError, match=problem):
        build_notebook(md)
