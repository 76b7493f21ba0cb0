"""The Canvas and Moodle grade exports, run through the real `nbgrader export --exporter ...` CLI.

The gradebook is made by hand through nbgrader.api (as the formgrader writes it): a generated course with two
assignments, three students, manual scores we choose, and one student who submitted nothing.
"""
from __future__ import annotations

import csv

import pytest
from nbgrader.api import Gradebook

from autograder import sandbox

pytestmark = pytest.mark.slow

# student -> assignment -> {grade cell: manual score}; a missing assignment means no submission.
SCORES = {
    "ana": {"m0_orientation": {"m0_ex1_check": 2.0, "m0_g1_check": 1.0},             # 3
            "m1_empathy": {"m1_ex1_check": 3.0, "m1_g1_check": 1.0, "m1_reflection": 2.5}},  # 6.5
    "ben": {"m1_empathy": {"m1_ex2_check": 1.67}},                                   # m0 not submitted: 0
    "cara": {},                                                                      # nothing submitted: 0, 0
}
PEOPLE = {"ana": dict(first_name="Ana", last_name="Silva", email="ana@example.edu", lms_user_id="1001"),
          "ben": dict(email="ben@example.edu"), "cara": {}}


@pytest.fixture(scope="module")
def gradebook_course(tmp_path_factory):
    course = sandbox.make_course(tmp_path_factory.mktemp("lms"), ["m0_orientation", "m1_empathy"])
    sandbox.generate(course)  # puts both assignments, their notebooks and grade cells into gradebook.db
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, assignments in SCORES.items():
            gb.add_student(student, **PEOPLE[student])
            for assignment, cells in assignments.items():
                gb.add_submission(assignment, student)
                for cell, score in cells.items():
                    notebook = "m0_orientation" if cell.startswith("m0") else "m1_empathy"
                    gb.find_grade(cell, notebook, assignment, student).manual_score = score
        gb.db.commit()
    return course


def export(course, exporter: str, *extra: str) -> list[list[str]]:
    out = course / f"{exporter}.csv"
    done = sandbox.nbgrader(course, "export", "--exporter", f"autograder.lms_export.{exporter}", "--to", str(out), *extra)
    assert f"Using exporter: {exporter}" in done.stdout + done.stderr
    with open(out, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_canvas_csv_has_canvas_columns_and_one_row_per_student(gradebook_course):
    rows = export(gradebook_course, "CanvasExport")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "m0_orientation", "m1_empathy"]
    assert rows[1:] == [
        ["Silva, Ana", "1001", "ana", "", "", "3", "6.5"],
        ["ben", "", "ben", "", "", "0", "1.67"],
        ["cara", "", "cara", "", "", "0", "0"],
    ]


def test_canvas_options_points_possible_section_and_login(gradebook_course):
    rows = export(gradebook_course, "CanvasExport", "--CanvasExport.points_possible_row=True",
                  "--CanvasExport.section=Section A", "--CanvasExport.sis_login_id=email",
                  "--assignment=['m1_empathy']")
    assert rows[0][-1] == "m1_empathy" and len(rows[0]) == 6
    assert rows[1] == ["    Points Possible", "", "", "", "", "22"]
    assert rows[2] == ["Silva, Ana", "1001", "ana", "ana@example.edu", "Section A", "6.5"]
    assert len(rows) == 2 + 3


def test_moodle_csv_has_an_identifier_and_grade_columns(gradebook_course):
    rows = export(gradebook_course, "MoodleExport")
    assert rows[0] == ["ID number", "Email address", "First name", "Last name", "m0_orientation", "m1_empathy"]
    assert rows[1:] == [
        ["ana", "ana@example.edu", "Ana", "Silva", "3", "6.5"],
        ["ben", "ben@example.edu", "", "", "0", "1.67"],
        ["cara", "", "", "", "0", "0"],
    ]
    only_ben = export(gradebook_course, "MoodleExport", "--student=['ben']")
    assert only_ben[1:] == [["ben", "ben@example.edu", "", "", "0", "1.67"]]
