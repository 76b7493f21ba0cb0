"""How long each notebook takes to run top to bottom in a fresh kernel (target: under 10 s), as a student's
released copy and as the instructor's source copy. Writes the '## Notebooks' section of docs/performance.md."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import sandbox  # noqa: E402
from bench.docs_section import write_section  # noqa: E402

RUNS = 3


def run_seconds(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        course = sandbox.make_course(Path(tmp))
        sandbox.generate(course)
        rows = []
        for source in sorted((course / "source").glob("*/*.ipynb")):
            released = course / "release" / source.relative_to(course / "source")
            rows.append((source.stem,
                         statistics.median(run_seconds(released) for _ in range(RUNS)),
                         statistics.median(run_seconds(source) for _ in range(RUNS))))
    body = [f"Wall time to run each notebook top to bottom in a fresh kernel (median of {RUNS}, kernel start "
            "included), measured by `python bench/bench_notebooks.py` on the 2-core course machine. Target: under 10 s.",
            "", "| notebook | student copy (s) | instructor copy (s) |", "|---|---:|---:|"]
    body += [f"| {name} | {student:.1f} | {source:.1f} |" for name, student, source in rows]
    write_section(REPO / "docs" / "performance.md", "## Notebooks", "\n".join(body))
    print("\n".join(body))
    return 0 if all(max(s, i) < 10 for _, s, i in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
