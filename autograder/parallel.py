"""`python -m autograder autograde ASSIGNMENT --jobs N`: autograde a whole class in parallel, with progress.

Each worker is a real `nbgrader autograde ASSIGNMENT` process, run in the course root with the course's own
configuration, restricted to a share of the students by nbgrader's `CourseDirectory.student_id_exclude` (every
other submitted student is excluded). Shares are handed out as workers free up, largest first and shrinking
towards the end (guided scheduling), so one slow submission (a notebook that loops until its cell times out)
does not leave the other workers idle at the end, while each nbgrader start-up (about 2 s) is paid only a few
times per worker.

The gradebook is the one nbgrader would write running alone; what makes concurrent writers safe:
- before any worker starts, this process opens the gradebook once: the tables, the course rows, the
  assignment (made by `generate_assignment`; checked here) and the students all exist, so workers never race
  to create a shared row; each worker then writes only its own students' submissions;
- with SQLite, workers get the same file with a generous lock timeout (`?timeout=120`): SQLite serializes
  writers, and a writer that finds the file locked waits instead of failing with "database is locked";
- PostgreSQL (`postgresql+psycopg://…` as `CourseDirectory.db_url` or `--db-url`) needs nothing more.

stdout shows only a progress bar (notebooks finished, read from the workers' logs) and a closing summary;
the workers' logs go to `autograde-logs/<assignment>-<time>/worker-<n>.log` under the course root.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_TIMEOUT = 120  # seconds a worker waits for SQLite's write lock before "database is locked"
MIN_SHARE = 4  # fewest students per nbgrader start, once the shares have shrunk (start-up ~2 s, notebook ~3 s)
MAX_ARG = 120_000  # Linux refuses a single command-line argument over 128 KiB
LOG_DIR = "autograde-logs"


# --- the class: who submitted, where the gradebook is -------------------------------------------------------

@dataclass
class Course:
    root: Path
    assignment: str
    db_url: str
    course_id: str
    students: list[str]
    notebooks: dict[str, int]  # student -> notebooks nbgrader will grade
    excluded_by_config: list[str]
    coursedir: object = field(repr=False)
    known_notebooks: set[str] = field(default_factory=set)  # the assignment's notebooks in the gradebook

    def folder(self, kind: str, student: str) -> Path:
        """A student's `submitted` or `autograded` folder of this assignment."""
        directory = getattr(self.coursedir, f"{kind}_directory")
        return Path(self.coursedir.format_path(directory, student, self.assignment))


def load_course(assignment: str, db_url: str | None) -> Course:
    """Resolve the configuration exactly as `nbgrader autograde` will (every nbgrader_config.py nbgrader reads,
    plus the command line), then find the submitted students the way nbgrader's converter does."""
    from nbgrader.apps import AutogradeApp  # about 2 s: nbgrader's own import

    argv = [assignment] + ([f"--CourseDirectory.db_url={db_url}"] if db_url else [])
    app = AutogradeApp()
    app.initialize(argv)
    coursedir = app.coursedir
    excluded = [s for s in coursedir.student_id_exclude.split(",") if s]
    pattern = re.compile(coursedir.format_path(coursedir.submitted_directory, "(?P<student_id>.*)",
                                               re.escape(assignment), escape=True) + "$")
    students, files = [], {}
    for folder in sorted(glob.glob(coursedir.format_path(coursedir.submitted_directory, coursedir.student_id, assignment))):
        match = pattern.match(folder)
        if not match or match["student_id"] in excluded:
            continue
        found = glob.glob(os.path.join(folder, coursedir.notebook_id + ".ipynb"))
        if found:  # nbgrader skips (with a warning) a submission without notebooks
            students.append(match["student_id"])
            files[match["student_id"]] = {Path(f).stem for f in found}
    known = _prepare_gradebook(coursedir.db_url, coursedir.course_id, assignment, students,
                               app.config.Autograde.get("create_student", True))
    notebooks = {s: len(files[s] & known) or 1 for s in students}
    return Course(Path(coursedir.root), assignment, coursedir.db_url, coursedir.course_id, students, notebooks,
                  excluded, coursedir, known)


def _prepare_gradebook(db_url: str, course_id: str, assignment: str, students: list[str], create_students: bool) -> set[str]:
    """Make every row the workers share before they start: the tables, the course rows (nbgrader's own steps
    open the gradebook both with and without the course id), and the students, exactly as `nbgrader autograde`
    would create them. Returns the assignment's notebook names."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url):
        pass
    with Gradebook(db_url, course_id) as gb:
        try:
            known = {nb.name for nb in gb.find_assignment(assignment).notebooks}
        except MissingEntry:
            raise SystemExit(f"No assignment '{assignment}' in the gradebook: run "
                             f"`nbgrader generate_assignment {assignment}` first.") from None
        if create_students:
            for student in students:
                gb.update_or_create_student(student)
    return known


# --- before the workers: mend what a plain `nbgrader autograde` would get wrong --------------------------------

def restore_renamed_notebooks(course: Course) -> list[str]:
    """A student who renamed the notebook (`m1_empathy-Copy1.ipynb`) would get 0 everywhere: nbgrader skips
    unknown notebooks. Where exactly one expected notebook is missing and exactly one unknown notebook is there,
    copy it under the expected name (the renamed file stays, so the grading step flags the submission for a
    person to check). Returns the students helped."""
    helped = []
    for student in course.students:
        folder = course.folder("submitted", student)
        present = {p.stem for p in folder.glob("*.ipynb")}
        missing, unknown = course.known_notebooks - present, present - course.known_notebooks
        if len(missing) == 1 and len(unknown) == 1:
            shutil.copy2(folder / f"{unknown.pop()}.ipynb", folder / f"{missing.pop()}.ipynb")
            helped.append(student)
    return helped


def clear_unfinished(course: Course) -> list[str]:
    """nbgrader skips a student whose autograded folder exists. After a run was killed, the student it was
    grading has that folder, but the gradebook has no automatic score yet for some of the student's checks:
    remove the folder, so this run grades the student again and the gradebook ends as one clean run leaves it."""
    from nbgrader.api import Gradebook, MissingEntry

    cleared = []
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in course.students:
            folder = course.folder("autograded", student)
            if not folder.is_dir():
                continue
            try:
                grades = [g for nb in gb.find_submission(course.assignment, student).notebooks for g in nb.grades]
                finished = all(g.auto_score is not None for g in grades if g.cell.cell_type == "code")
            except MissingEntry:
                finished = False
            if not finished:
                shutil.rmtree(folder)
                cleared.append(student)
    return cleared


def worker_db_url(db_url: str) -> str:
    """The gradebook URL for workers: SQLite waits up to SQLITE_TIMEOUT seconds for the write lock."""
    if not db_url.startswith("sqlite") or re.search(r"[?&]timeout=", db_url):
        return db_url
    return f"{db_url}{'&' if '?' in db_url else '?'}timeout={SQLITE_TIMEOUT}"


def plan_shares(students: list[str], jobs: int, minimum: int = MIN_SHARE) -> list[list[str]]:
    """Guided self-scheduling: each share is a 1/(2·jobs) part of what is left, never under `minimum` (nor so
    large that a small class would keep a worker idle)."""
    shares, rest = [], list(students)
    minimum = max(1, min(minimum, math.ceil(len(rest) / jobs)))
    while rest:
        size = max(minimum, math.ceil(len(rest) / (2 * jobs)))
        shares.append(rest[:size])
        rest = rest[size:]
    return shares


# --- following the workers ------------------------------------------------------------------------------------

class Tally:
    """What the workers' logs say, per student. Thread-safe: every worker thread reports here."""

    def __init__(self, course: Course):
        self.course = course
        self.lock = threading.Lock()
        self.done: dict[str, int] = {s: 0 for s in course.students}  # notebooks finished (or given up)
        self.graded: set[str] = set()
        self.skipped: set[str] = set()
        self.failed: dict[str, str] = {}
        cd, a = course.coursedir, re.escape(course.assignment)
        submitted = cd.format_path(cd.submitted_directory, "(?P<student_id>[^/]*)", a, escape=True)
        autograded = cd.format_path(cd.autograded_directory, "(?P<student_id>[^/]*)", a, escape=True)
        self.patterns = [
            ("start", re.compile(r"\] Sanitizing " + submitted + r"/")),
            ("running", re.compile(r"\] Autograding (?P<path>" + autograded + r"/.*)$")),
            ("written", re.compile(r"\] Writing \d+ bytes to (?P<path>" + autograded + r"/.*)$")),
            ("finished", re.compile(r"\] Setting destination file permissions")),
            ("skipped", re.compile(r"\] Skipping existing assignment: " + autograded + "$")),
            ("error", re.compile(r"\] There was an error processing assignment: " + submitted + "$")),
            ("error", re.compile(r"\] There was an error processing assignment '" + a + r"' for student '(?P<student_id>.*)'$")),
        ]

    def follower(self):
        """A parser for one worker's log: it remembers that worker's current student and notebook."""
        state = {"student": None, "running": None}

        def feed(line: str) -> None:
            for kind, pattern in self.patterns:
                match = pattern.search(line.rstrip("\n"))
                if match:
                    self._event(state, kind, match)
                    return
        return feed

    def _event(self, state: dict, kind: str, match: re.Match) -> None:
        with self.lock:
            student = match.groupdict().get("student_id") or state["student"]
            if student not in self.done:
                return
            if kind == "start":
                state["student"] = student
            elif kind == "running":
                state["running"] = match["path"]
            elif kind == "written" and match["path"] == state["running"]:
                state["running"] = None
                self.done[student] = min(self.done[student] + 1, self.course.notebooks[student])
            elif kind == "finished" and student not in self.failed:
                self.graded.add(student)
                self.done[student] = self.course.notebooks[student]
            elif kind == "skipped":
                self.skipped.add(student)
                self.done[student] = self.course.notebooks[student]
            elif kind == "error":
                self.graded.discard(student)
                self.failed.setdefault(student, "nbgrader could not autograde this submission")
                self.done[student] = self.course.notebooks[student]

    def settle(self, share: list[str], returncode: int) -> None:
        """After a worker exits: any student of its share it never finished failed with it."""
        with self.lock:
            for student in share:
                if student not in self.graded | self.skipped | set(self.failed):
                    self.failed[student] = f"the worker stopped (exit code {returncode}) before finishing it"
                    self.done[student] = self.course.notebooks[student]

    def progress(self) -> tuple[int, int]:
        with self.lock:
            return sum(self.done.values()), sum(self.course.notebooks.values())


class Bar:
    """A one-line progress bar redrawn with a carriage return (only on a terminal; elsewhere, once at the end)."""

    def __init__(self, tally: Tally, stream=sys.stdout):
        self.tally, self.stream, self.started = tally, stream, time.monotonic()
        self.live, self.last = stream.isatty(), ""

    def line(self) -> str:
        done, total = self.tally.progress()
        elapsed = time.monotonic() - self.started
        width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - 50))
        filled = round(width * done / total) if total else width
        eta = f" ~{_clock(elapsed / done * (total - done))} left" if 0 < done < total else ""
        return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} notebooks {_clock(elapsed)}{eta}"

    def draw(self, final: bool = False) -> None:
        line = self.line()
        if (self.live and line != self.last) or final:
            self.stream.write("\r" + line.ljust(len(self.last))[:200] + ("\n" if final else ""))
            self.stream.flush()
        self.last = line


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


# --- running the workers --------------------------------------------------------------------------------------

class Pool:
    def __init__(self, course: Course, jobs: int, log_dir: Path, extra: list[str]):
        self.course, self.jobs, self.log_dir, self.extra = course, jobs, log_dir, extra
        self.shares = plan_shares(course.students, jobs)
        self.tally = Tally(course)
        self.lock = threading.Lock()
        self.processes: dict[int, subprocess.Popen] = {}
        self.stopping = False
        # nbgrader runs the `alembic` of its own environment: that environment's bin/ comes first.
        self.env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        self.db_url = worker_db_url(course.db_url)

    def command(self, share: list[str]) -> list[str]:
        others = set(self.course.students) - set(share)
        exclude = ",".join(sorted(others | set(self.course.excluded_by_config)))
        return [sys.executable, "-m", "nbgrader", "autograde", self.course.assignment,
                f"--CourseDirectory.db_url={self.db_url}",
                f"--CourseDirectory.student_id_exclude={exclude}", *self.extra]

    def next_share(self) -> list[str] | None:
        with self.lock:
            return None if self.stopping or not self.shares else self.shares.pop(0)

    def work(self, number: int) -> None:
        feed = self.tally.follower()
        with open(self.log_dir / f"worker-{number}.log", "a", encoding="utf-8") as log:
            while (share := self.next_share()) is not None:
                command = self.command(share)
                log.write(f"### {dt.datetime.now():%H:%M:%S} autograding {len(share)} students: {', '.join(share)}\n")
                log.flush()
                process = subprocess.Popen(command, cwd=self.course.root, env=self.env, text=True, errors="replace",
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                with self.lock:
                    self.processes[number] = process
                for line in process.stdout:
                    log.write(line)
                    feed(line)
                returncode = process.wait()
                with self.lock:
                    self.processes.pop(number, None)
                log.write(f"### {dt.datetime.now():%H:%M:%S} exit code {returncode}\n")
                log.flush()
                self.tally.settle(share, returncode)

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            for process in self.processes.values():
                if process.poll() is None:
                    process.terminate()


def flagged_for_review(course: Course, students: set[str]) -> list[str]:
    """Students whose submission needs a person beyond the reflections: an automatically graded cell marked
    "needs manual grade", or a notebook flagged in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    flagged = []
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in sorted(students):
            try:
                submission = gb.find_submission(course.assignment, student)
            except MissingEntry:
                continue
            for notebook in submission.notebooks:
                by_hand = {cell.name for cell in notebook.notebook.solution_cells + notebook.notebook.task_cells}
                if notebook.flagged or any(g.needs_manual_grade and g.name not in by_hand for g in notebook.grades):
                    flagged.append(student)
                    break
    return flagged


def gradebook_rows(db_url: str) -> dict[tuple, tuple]:
    """Every grade, comment, submitted notebook and submission in a gradebook, by natural keys (student,
    assignment, notebook, cell name), to compare two gradebooks row for row (ids are random uuids)."""
    from nbgrader.api import Gradebook

    rows = {}
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                key = (submission.student.id, assignment.name)
                rows[("submission", *key)] = (submission.timestamp,)
                for notebook in submission.notebooks:
                    rows[("notebook", *key, notebook.name)] = (notebook.flagged,)
                    for g in notebook.grades:
                        rows[("grade", *key, notebook.name, g.name)] = (g.auto_score, g.manual_score, g.needs_manual_grade)
                    for c in notebook.comments:
                        rows[("comment", *key, notebook.name, c.name)] = (c.auto_comment, c.manual_comment)
    return rows


def _names(students, limit: int = 8) -> str:
    students = sorted(students)
    if not students:
        return ""
    more = f", … {len(students) - limit} more" if len(students) > limit else ""
    return "  (" + ", ".join(students[:limit]) + more + ")"


def run(assignment: str, jobs: int = 0, db_url: str | None = None, force: bool = False) -> int:
    started = time.monotonic()
    if not Path("nbgrader_config.py").exists():
        raise SystemExit("Run this from the course root (the folder with nbgrader_config.py).")
    course = load_course(assignment, db_url)
    if not course.students:
        print(f"No submissions of {assignment} to autograde.")
        return 0
    renamed = restore_renamed_notebooks(course)
    if renamed:  # the copies are notebooks nbgrader now grades
        course.notebooks.update({s: len(course.known_notebooks) for s in renamed})
    unfinished = [] if force else clear_unfinished(course)
    jobs = max(1, jobs or os.cpu_count() or 1)
    log_dir = course.root / LOG_DIR / f"{assignment}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    pool = Pool(course, jobs, log_dir, ["--force"] if force else [])
    longest = max(len(arg) for share in pool.shares for arg in pool.command(share))
    if longest > MAX_ARG:
        raise SystemExit(f"{len(course.students)} student ids make a student_id_exclude list too long for one "
                         "command line: autograde the class in parts (sections, or nbgrader's --student glob).")
    log_dir.mkdir(parents=True, exist_ok=True)
    bar = Bar(pool.tally)
    threads = [threading.Thread(target=pool.work, args=(n,), daemon=True)
               for n in range(1, min(jobs, len(pool.shares)) + 1)]
    for thread in threads:
        thread.start()
    try:
        while any(t.is_alive() for t in threads):
            bar.draw()
            time.sleep(0.25)
    except KeyboardInterrupt:
        pool.stop()
        for thread in threads:
            thread.join()
        bar.draw(final=True)
        print(f"Interrupted. Worker logs: {log_dir}")
        return 130
    bar.draw(final=True)
    tally = pool.tally
    flagged = flagged_for_review(course, tally.graded | tally.skipped)
    wall = time.monotonic() - started
    notebooks = sum(course.notebooks.values())
    lines = [f"Autograded {assignment}: {len(course.students)} students, {notebooks} notebooks, "
             f"{min(jobs, len(threads))} workers, {wall:.1f} s wall time",
             f"  graded:              {len(tally.graded)}",
             f"  flagged for review:  {len(flagged)}{_names(flagged)}",
             f"  failed:              {len(tally.failed)}{_names(tally.failed)}"]
    if tally.skipped:
        lines.append(f"  already autograded, skipped (use --force to redo): {len(tally.skipped)}{_names(tally.skipped)}")
    if renamed:
        lines.append(f"  renamed notebooks graded under their real name: {len(renamed)}{_names(renamed)}")
    if unfinished:
        lines.append(f"  unfinished by an earlier, interrupted run, graded again: {len(unfinished)}{_names(unfinished)}")
    lines.append(f"Worker logs: {log_dir.relative_to(course.root) if log_dir.is_relative_to(course.root) else log_dir}")
    print("\n".join(lines))
    return 1 if tally.failed else 0


def main(args: argparse.Namespace) -> int:
    return run(args.assignment, jobs=args.jobs, db_url=args.db_url, force=getattr(args, "force", False))
