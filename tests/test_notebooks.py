"""Every source and released notebook runs top to bottom in a fresh kernel, and nbgrader validates the
source notebooks (issues 2 and 6)."""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import sandbox

from .conftest import REPO

pytestmark = pytest.mark.slow
SOURCES = sorted((REPO / "source").glob("*/*.ipynb"))


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = sandbox.make_course(tmp_path_factory.mktemp("release"))
    sandbox.generate(course)
    return course


def run(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def errors_and_stderr(nb) -> list[str]:
    return [f"{cell.metadata.get('nbgrader', {}).get('grade_id')}: {out.get('ename') or out.get('text')}"
            for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr")]


def text_of(nb) -> str:
    return "\n".join(str(out.get("data", {}).get("text/html", "")) + str(out.get("text", ""))
                     for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)


@pytest.mark.parametrize("name", [p.relative_to(REPO / "source").as_posix() for p in SOURCES])
def test_source_notebook_runs_cleanly(released, name):
    nb = run(released / "source" / name)
    assert errors_and_stderr(nb) == []
    assert "Passed" in text_of(nb)  # the model answers' self-checks


@pytest.mark.parametrize("name", [p.relative_to(REPO / "source").as_posix() for p in SOURCES])
def test_released_notebook_runs_cleanly_and_says_not_answered_yet(released, name):
    nb = run(released / "release" / name)
    assert errors_and_stderr(nb) == []
    assert "Not answered yet" in text_of(nb)
    assert "Traceback" not in text_of(nb)


def test_nbgrader_validate_passes_on_every_source_notebook(released):
    paths = [str(p) for p in sorted((released / "source").glob("*/*.ipynb"))]
    done = sandbox.nbgrader(released, "validate", *paths, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Success! Your notebook passes all the tests.") == len(paths), done.stdout
