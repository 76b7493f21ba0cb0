"""`make demo`: the instructor's whole nbgrader cycle, headless, on a scratch copy of the course in demo/.

Three simulated students (strong: model answers and right quiz answers; partial: about half; blank: nothing)
submit every assignment; then autograde, a simulated hand-marking of the reflections (what an instructor
does in the formgrader), feedback, and a grades.csv export. The real course's gradebook is never touched.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import sandbox  # noqa: E402

STUDENTS = {"strong": "strong", "partial": "partial", "blank": "blank"}
REFLECTION_SHARE = {"strong": 1.0, "partial": 0.5, "blank": 0.0}


def mark_reflections_by_hand(course: Path) -> None:
    """Stand in for the instructor in the formgrader: give each hand-graded answer a manual score."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                share = REFLECTION_SHARE[submission.student.id]
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.auto_score is None:  # a hand-graded cell the autograder left open
                            grade.manual_score = round(share * grade.max_score, 2)
        gb.db.commit()


def main() -> int:
    started = time.perf_counter()
    course = REPO / "demo" / "course"
    if course.exists():
        shutil.rmtree(course)
    sandbox.make_course(course)
    print(f"Scratch course: {course}")
    sandbox.generate(course)
    names = sandbox.assignments(course)
    for student, strength in STUDENTS.items():
        for assignment in names:
            sandbox.submit(course, student, strength, assignment)
    print(f"Submitted {len(names)} assignments for {', '.join(STUDENTS)}; autograding…")
    sandbox.nbgrader(course, "autograde", "*")
    mark_reflections_by_hand(course)
    sandbox.nbgrader(course, "generate_feedback", "*")
    sandbox.nbgrader(course, "export", "--to", str(course / "grades.csv"))

    rows = sandbox.read_grades(course / "grades.csv")
    print(f"\n{'assignment':<26}" + "".join(f"{s:>16}" for s in STUDENTS))
    for assignment in names:
        scores = {r["student_id"]: r for r in rows if r["assignment"] == assignment}
        print(f"{assignment:<26}" + "".join(
            f"{float(scores[s]['score']):>9.2f} / {float(scores[s]['max_score']):<4g}" for s in STUDENTS))
    totals = {s: sum(float(r["score"]) for r in rows if r["student_id"] == s) for s in STUDENTS}
    maximum = sum(float(r["max_score"]) for r in rows if r["student_id"] == "strong")
    print(f"{'total':<26}" + "".join(f"{totals[s]:>9.2f} / {maximum:<4g}" for s in STUDENTS))
    print(f"\ngrades.csv: {course / 'grades.csv'}\nFeedback files:")
    for html in sorted((course / "feedback").glob("*/*/*.html")):
        print(f"  {html}")
    print(f"\nDone in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
