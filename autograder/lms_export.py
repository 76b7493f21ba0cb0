"""Grades for a learning management system, as nbgrader export plugins (run from the course root):

    nbgrader export --exporter autograder.lms_export.CanvasExport --to canvas.csv
    nbgrader export --exporter autograder.lms_export.MoodleExport --to moodle.csv

Both write one row per student in the gradebook and one column per assignment, holding the points a student
earned (the gradebook score after manual grading, minus any late penalty; 0 when nothing was submitted, as
nbgrader's own CSV export does). `--assignment` and `--student` narrow the export as they do for nbgrader's.

- Canvas (Grades > Import): the first five columns identify the student: Student ("Last, First"), ID (Canvas's
  user id: nbgrader's `lms_user_id`, blank when unknown), SIS User ID (the nbgrader student id), SIS Login ID and
  Section (both blank unless configured); then one column per assignment. `--CanvasExport.points_possible_row=True`
  adds Canvas's "Points Possible" row under the header. Canvas matches an assignment column
  to an existing assignment by its name and creates a new assignment for a name it does not know.
- Moodle (Grade administration > Import > CSV file): an identifier column to map under "Identify user by"
  (ID number = the nbgrader student id, or Email address), the names, then one grade column per assignment to
  map to a grade item.
"""
from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Bool, Enum, Unicode


class LmsExport(ExportPlugin):
    """Common ground: which students and assignments, and each student's points per assignment."""

    default_file = "grades.csv"

    def _selected(self, gradebook: Gradebook):
        wanted_students = {str(s) for s in self.student}
        wanted_assignments = {str(a) for a in self.assignment}
        assignments = [a for a in gradebook.assignments if not wanted_assignments or a.name in wanted_assignments]
        students = sorted((s for s in gradebook.students if not wanted_students or s.id in wanted_students),
                          key=lambda s: s.id)
        return students, assignments

    @staticmethod
    def points(gradebook: Gradebook, assignment: str, student: str) -> float:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return 0.0
        return round(max(0.0, float(submission.score) - float(submission.late_submission_penalty or 0.0)), 2)

    def header(self, assignments) -> list[str]:
        raise NotImplementedError

    def identity(self, student) -> list[str]:
        raise NotImplementedError

    def extra_rows(self, assignments) -> list[list[str]]:
        """Rows between the header and the students (none unless a format needs them)."""
        return []

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or self.default_file
        students, assignments = self._selected(gradebook)
        self.log.info("Exporting %d students and %d assignments to %s", len(students), len(assignments), dest)
        with open(dest, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(self.header(assignments))
            writer.writerows(self.extra_rows(assignments))
            for student in students:
                writer.writerow(self.identity(student) + [f"{self.points(gradebook, a.name, student.id):g}"
                                                          for a in assignments])


class CanvasExport(LmsExport):
    """A CSV for Canvas's gradebook import."""

    default_file = "canvas_grades.csv"
    section = Unicode("", help="The Canvas section to put in every row (blank: let Canvas match the student).").tag(config=True)
    sis_login_id = Enum(["", "id", "email"], default_value="",
                        help="What to put in the SIS Login ID column: nothing, the nbgrader student id, or the "
                             "email address.").tag(config=True)
    points_possible_row = Bool(False, help="Add Canvas's 'Points Possible' row under the header (as in a Canvas "
                                           "export), so an assignment Canvas creates gets nbgrader's maximum.").tag(config=True)

    def header(self, assignments) -> list[str]:
        return ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [a.name for a in assignments]

    def identity(self, student) -> list[str]:
        names = [n for n in (student.last_name, student.first_name) if n]
        login = {"": "", "id": student.id, "email": student.email or ""}[self.sis_login_id]
        return [", ".join(names) or student.id, student.lms_user_id or "", student.id, login, self.section]

    def extra_rows(self, assignments) -> list[list[str]]:
        if not self.points_possible_row:
            return []
        return [["    Points Possible", "", "", "", ""] + [f"{float(a.max_score):g}" for a in assignments]]


class MoodleExport(LmsExport):
    """A CSV for Moodle's grade import (CSV file)."""

    default_file = "moodle_grades.csv"

    def header(self, assignments) -> list[str]:
        return ["ID number", "Email address", "First name", "Last name"] + [a.name for a in assignments]

    def identity(self, student) -> list[str]:
        return [student.id, student.email or "", student.first_name or "", student.last_name or ""]
