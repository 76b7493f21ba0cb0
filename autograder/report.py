"""`python -m autograder report ASSIGNMENT [--out DIR] [--db-url URL]`, run from the course root.

Reads the nbgrader gradebook, the autograded notebooks (reply text only; nothing is executed) and the saved quiz
answers beside them, and writes DIR/report.html (with PNG plots beside it) and DIR/report.csv (one row per number).
The numbers are computed in `autograder.report_data`; the files are drawn in `autograder.report_render`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import report_data, report_render
from .report_data import NoReport


def course_directory(root: Path, db_url: str | None = None):
    """nbgrader's CourseDirectory as the course's nbgrader_config.py sets it up (defaults when there is none)."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (root / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    if "root" not in config.get("CourseDirectory", {}):
        config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return CourseDirectory(config=config)


def _shown(db_url: str) -> str:
    """The gradebook URL without a password in it."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return db_url.split("@")[-1]


def _check_gradebook(db_url: str) -> None:
    # Opening a missing SQLite file would silently create an empty gradebook: say what to do instead.
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if not path.exists():
            raise NoReport(f"There is no gradebook at {path}. Run this from the course root (where nbgrader_config.py "
                           "is), after `nbgrader autograde`, or give --db-url.")


def build(root: Path, assignment: str, out: Path | None = None, db_url: str | None = None) -> Path:
    """Write the report of `assignment` for the course at `root`; return the folder it is in."""
    root = Path(root).resolve()
    coursedir = course_directory(root, db_url)
    url = coursedir.db_url
    _check_gradebook(url)
    out = Path(out) if out else root / "reports" / assignment
    if not out.is_absolute():
        out = Path.cwd() / out
    autograded = str(Path(coursedir.root) / coursedir.autograded_directory / "{student_id}" / "{assignment_id}")
    source = str(Path(coursedir.root) / coursedir.source_directory / "{assignment_id}")

    data = report_data.collect(assignment, url, autograded, source)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):  # plots of an earlier run that this one may not redraw
        old.unlink()
    rows = report_data.measures(data)
    report_render.write_csv(rows, out / "report.csv")
    if not data.submitted:
        body = (f"<p>No submissions of {assignment} are in the gradebook {report_render._e(_shown(url))} yet. "
                "Collect and autograde them first (<code>nbgrader collect</code>, <code>nbgrader autograde</code>), "
                "then run the report again.</p>")
        (out / "report.html").write_text(report_render.page(assignment, body), encoding="utf-8")
    else:
        report_render.render(data, rows, out, _shown(url))
    return out


def main(args) -> int:
    try:
        out = build(Path.cwd(), args.assignment, Path(args.out) if args.out else None, args.db_url)
    except NoReport as problem:
        print(problem, file=sys.stderr)
        return 1
    data_rows = (out / "report.csv").read_text(encoding="utf-8").count("\n") - 1
    print(f"Class report for {args.assignment}: {out / 'report.html'}\n"
          f"Numbers ({data_rows} rows): {out / 'report.csv'}")
    return 0
