"""Class-scale grading: `python -m autograder autograde ASSIGNMENT --jobs N` gives exactly the gradebook that
nbgrader's own sequential `nbgrader autograde ASSIGNMENT` gives, with SQLite and with a real PostgreSQL server.

One scratch course of module 1 with eight students of mixed strength (strong, partial, blank, a deleted cell, a
syntax error, a tampering cell) is copied three times: course A is graded by `nbgrader autograde`, course B by
the parallel command (two workers, one SQLite file), course C by the parallel command into PostgreSQL.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder import sandbox
from autograder.parallel import gradebook_rows
from bench.bench_autograde import submit

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "m1_empathy"
STUDENTS = {"ada": "strong", "ben": "partial", "cy": "blank", "dee": "strong", "eli": "partial",
            "fay": "deleted", "gus": "syntax", "hal": "tamper"}


def _env() -> dict:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "PYTHONWARNINGS": "ignore"}


def parallel_autograde(course: Path, *extra: str) -> subprocess.CompletedProcess:
    """The parallel command; exit code 1 means some student failed (compared with nbgrader's own run below)."""
    done = subprocess.run([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--jobs", "2", *extra],
                          cwd=course, env=_env(), text=True, capture_output=True, timeout=600)
    assert done.returncode in (0, 1) and "Autograded" in done.stdout, f"{done.stdout}\n{done.stderr}"
    return done


def failed_students(log: str) -> set[str]:
    """The students nbgrader reports it could not autograde, from its log."""
    return set(re.findall(r"There was an error processing assignment '[^']*' for student '([^']*)'", log))


def worker_logs(course: Path) -> str:
    return "".join(p.read_text() for p in sorted((course / "autograde-logs").glob("*/worker-*.log")))


@pytest.fixture(scope="module", autouse=True)
def pinned_code(tmp_path_factory):
    """Every grading compared here runs the same checker: a snapshot of `autograder` and `course`, first on the
    PYTHONPATH that nbgrader, the workers and their kernels inherit (others may edit the repo meanwhile)."""
    snapshot = tmp_path_factory.mktemp("code")
    for package in ("autograder", "course"):
        shutil.copytree(REPO / package, snapshot / package, ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(snapshot), os.environ.get("PYTHONPATH")])))
        yield snapshot


def test_the_workers_run_the_pinned_code(pinned_code, tmp_path):
    done = subprocess.run([sys.executable, "-c", "import autograder, course; print(autograder.__file__, course.__file__)"],
                          cwd=tmp_path, env=_env(), text=True, capture_output=True, check=True)
    assert done.stdout.split() == [str(pinned_code / p / "__init__.py") for p in ("autograder", "course")]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """Generated, and submitted by every student; not graded."""
    course = sandbox.make_course(tmp_path_factory.mktemp("pristine"), [ASSIGNMENT])
    sandbox.generate(course)
    for student, kind in STUDENTS.items():
        submit(course, student, kind, ASSIGNMENT)
    return course


@pytest.fixture(scope="module")
def sequential(pristine, tmp_path_factory) -> Path:
    course = shutil.copytree(pristine, tmp_path_factory.mktemp("a") / "course")
    done = sandbox.nbgrader(course, "autograde", ASSIGNMENT, check=False)  # exit code 1 if a student failed
    (course / "sequential.log").write_text(done.stdout + done.stderr)
    sandbox.nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return course


@pytest.fixture(scope="module")
def reference(sequential) -> dict:
    rows = gradebook_rows(f"sqlite:///{sequential / 'gradebook.db'}")
    assert {k[1] for k in rows if k[0] == "submission"} == set(STUDENTS)
    return rows


@pytest.fixture(scope="module")
def parallel_sqlite(pristine, tmp_path_factory):
    course = shutil.copytree(pristine, tmp_path_factory.mktemp("b") / "course")
    return course, parallel_autograde(course)


def test_parallel_gives_the_sequential_gradebook_row_for_row(parallel_sqlite, reference):
    course, _ = parallel_sqlite
    rows = gradebook_rows(f"sqlite:///{course / 'gradebook.db'}")
    assert rows.keys() == reference.keys()
    different = {k: (reference[k], rows[k]) for k in rows if rows[k] != reference[k]}
    assert not different
    grades = [k for k in rows if k[0] == "grade"]
    assert len(grades) == len(STUDENTS) * 9  # five replies, three quiz checks, one reflection
    assert any(rows[k][0] for k in grades), "some automatic points were given"


def test_the_same_students_fail_as_with_nbgrader_alone_and_none_should(parallel_sqlite, sequential):
    course, done = parallel_sqlite
    expected = failed_students((sequential / "sequential.log").read_text())
    assert failed_students(worker_logs(course)) == expected
    assert f"failed:              {len(expected)}" in done.stdout
    assert expected == set(), "nbgrader itself could not autograde these students (see sequential.log)"


def test_both_workers_shared_the_class_without_lock_errors(parallel_sqlite):
    course, _ = parallel_sqlite
    logs = sorted((course / "autograde-logs").glob("*/worker-*.log"))
    assert [p.name for p in logs] == ["worker-1.log", "worker-2.log"]
    text = worker_logs(course)
    assert "database is locked" not in text and "OperationalError" not in text
    graded = set(STUDENTS) - failed_students(text)
    assert text.count("Setting destination file permissions") == len(graded)
    assert all((course / "autograded" / s / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists() for s in graded)


def test_stdout_holds_only_the_bar_and_the_summary(parallel_sqlite):
    _, done = parallel_sqlite
    lines = done.stdout.strip().splitlines()
    assert lines[0].lstrip("\r").startswith("[") and f"{len(STUDENTS)}/{len(STUDENTS)} notebooks" in lines[0]
    assert lines[1].startswith(f"Autograded {ASSIGNMENT}: {len(STUDENTS)} students")
    summary = "\n".join(lines[1:])
    failed = failed_students(worker_logs(parallel_sqlite[0]))
    assert f"graded:              {len(STUDENTS) - len(failed)}" in summary
    assert "flagged for review:" in summary and f"failed:              {len(failed)}" in summary
    assert "wall time" in summary and lines[-1].startswith("Worker logs: autograde-logs/")
    assert "AutogradeApp" not in done.stdout


def test_a_second_run_skips_what_is_graded_like_nbgrader(parallel_sqlite):
    course, _ = parallel_sqlite
    before = gradebook_rows(f"sqlite:///{course / 'gradebook.db'}")
    graded = len(STUDENTS) - len(failed_students(worker_logs(course)))
    done = parallel_autograde(course)
    assert f"skipped (use --force to redo): {graded}" in done.stdout
    assert gradebook_rows(f"sqlite:///{course / 'gradebook.db'}") == before


# --- PostgreSQL -------------------------------------------------------------------------------------------------

def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found and Path(found[-1]).with_name("initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    """A throwaway PostgreSQL cluster (Debian's binaries), on 127.0.0.1 only, trust auth for loopback only,
    run as the `postgres` user (the server refuses root); stopped and removed afterwards, whatever happens."""
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): "
                    "run `make system-deps` (Debian's postgresql package)")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="pg-gradebook-"))
    data, port = base / "data", _free_port()
    if as_postgres:
        shutil.chown(base, "postgres", "postgres")
    run = lambda *cmd: subprocess.run([*as_postgres, *map(str, cmd)], check=True, capture_output=True, text=True, timeout=120)  # noqa: E731
    started = False
    try:
        run(bindir / "initdb", "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=trust",
            "--no-sync", "-E", "UTF8", "--locale=C")
        run(bindir / "pg_ctl", "-D", data, "-l", base / "server.log", "-w", "-t", "60", "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off", "start")
        started = True
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE gradebook")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/gradebook"
    finally:
        if started:
            subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


def test_postgresql_gradebook_gets_the_same_grades(pristine, reference, sequential, postgres_url, tmp_path):
    course = shutil.copytree(pristine, tmp_path / "course")
    (course / "gradebook.db").unlink()
    db = f"--CourseDirectory.db_url={postgres_url}"
    sandbox.nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", db)
    parallel_autograde(course, "--db-url", postgres_url)
    sandbox.nbgrader(course, "export", "--to", str(course / "grades.csv"), db)

    assert not (course / "gradebook.db").exists(), "nothing went to SQLite"
    rows = gradebook_rows(postgres_url)
    assert rows.keys() == reference.keys()
    assert {k: (reference[k], rows[k]) for k in rows if rows[k] != reference[k]} == {}
    assert "OperationalError" not in worker_logs(course)

    def scores(path):
        return {r["student_id"]: float(r["score"]) for r in sandbox.read_grades(path)}
    assert scores(course / "grades.csv") == scores(sequential / "grades.csv")


# --- what a plain re-run of nbgrader would get wrong ------------------------------------------------------------

def only(pristine: Path, dest: Path, students: list[str]) -> Path:
    """A copy of the pristine course with just these students' submissions."""
    course = shutil.copytree(pristine, dest)
    for folder in (course / "submitted").iterdir():
        if folder.name not in students:
            shutil.rmtree(folder)
    return course


def grades_of(rows: dict, student: str) -> dict:
    """auto_score of each of a student's grades, by cell."""
    return {k[-1]: v[0] for k, v in rows.items() if k[0] == "grade" and student in k}


def test_a_renamed_notebook_is_graded_under_its_real_name_and_flagged(pristine, reference, tmp_path):
    course = only(pristine, tmp_path / "course", ["ada"])
    folder = course / "submitted" / "ada" / ASSIGNMENT
    (folder / f"{ASSIGNMENT}.ipynb").rename(folder / f"{ASSIGNMENT}-Copy1.ipynb")
    done = parallel_autograde(course)
    assert "renamed notebooks graded under their real name: 1  (ada)" in done.stdout
    assert "flagged for review:  1  (ada)" in done.stdout
    assert grades_of(gradebook_rows(f"sqlite:///{course / 'gradebook.db'}"), "ada") == grades_of(reference, "ada")


def test_a_rerun_after_a_killed_run_ends_as_one_clean_run(pristine, reference, tmp_path):
    students = ["ada", "ben", "dee"]
    course = only(pristine, tmp_path / "course", students)
    run = subprocess.Popen([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--jobs", "1"], cwd=course,
                           env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:  # kill everything (parent, nbgrader, kernel) once the first student is graded and the second is under way
        for _ in range(1200):
            if worker_logs(course).count("Setting destination file permissions") >= 1 if (course / "autograde-logs").exists() else False:
                break
            subprocess.run(["sleep", "0.1"])
        subprocess.run(["sleep", "1.5"])
    finally:
        os.killpg(run.pid, 9)
        run.wait()
    interrupted = gradebook_rows(f"sqlite:///{course / 'gradebook.db'}")
    assert any(grades_of(interrupted, s) != grades_of(reference, s) for s in students), "the kill came too late"

    done = parallel_autograde(course)
    rows = gradebook_rows(f"sqlite:///{course / 'gradebook.db'}")
    assert "graded again" in done.stdout or "skipped" in done.stdout
    for student in students:
        assert grades_of(rows, student) == grades_of(reference, student), student
