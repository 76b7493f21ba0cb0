"""Autograde at class scale: nbgrader's own sequential `nbgrader autograde` against the parallel
`python -m autograder autograde --jobs N`, on synthetic classes, and what the course checker costs.

For every assignment, N synthetic students submit (a realistic mix: strong, partial, blank, broken — a deleted
reply and check cell, a syntax error, an infinite loop — and tampering, an extra cell that monkeypatches
`course.check_reply`). Three identical copies of that class are autograded:

  sequential  `nbgrader autograde A` (one process, the reference gradebook)
  parallel    `python -m autograder autograde A --jobs J` (must give the same gradebook, row for row)
  no checker  `nbgrader autograde A` on a course whose config drops the GradeFromSource step and whose
              source notebooks' hidden check code was removed before generate_assignment: what autograde
              costs without the checker, to measure what the checker adds.

Each assignment's numbers are saved in bench/results/autograde.json as soon as it is measured, so runs of a few
assignments at a time add up; the '## Autograde at class scale' section of docs/performance.md (or --docs) is
written from every assignment in that file.

    .venv/bin/python bench/bench_autograde.py                      # 200 students, every assignment (hours)
    .venv/bin/python bench/bench_autograde.py --students 6 --assignments m1_empathy \
        --docs /tmp/perf.md --results /tmp/autograde.json               # a quick try that leaves docs/ alone
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import sandbox  # noqa: E402
from autograder.parallel import gradebook_rows  # noqa: E402
from bench.docs_section import write_section  # noqa: E402

HEADING = "## Autograde at class scale"

# --- synthetic submissions ----------------------------------------------------------------------------------

MONKEYPATCH = '''\
import course, course.notebook
full_marks = lambda *args, points=3, **kwargs: float(points)
for module in (course, course.notebook):
    module.check_reply = module.check_quiz = full_marks
check_reply = check_quiz = full_marks
'''
SYNTAX_ERROR = "print('I think the answer is'\nanswer = ("
INFINITE_LOOP = "n = 0\nwhile True:\n    n += 1"

# kind -> (share of a class, what sandbox.submit answers, what is then done to each notebook)
KINDS = {
    "strong": (0.25, "strong", None),
    "partial": (0.33, "partial", None),
    "blank": (0.10, "blank", None),
    "deleted": (0.08, "partial", "delete"),
    "syntax": (0.08, "partial", "syntax"),
    "loop": (0.02, "partial", "loop"),
    "tamper": (0.14, "blank", "tamper"),
}


def class_mix(students: int, seed: int = 7) -> list[tuple[str, str]]:
    """(student id, kind) for a class of `students`: counts by largest remainder, order shuffled (fixed seed)."""
    shares = {kind: share * students for kind, (share, _, _) in KINDS.items()}
    counts = {kind: int(s) for kind, s in shares.items()}
    for kind in sorted(shares, key=lambda k: shares[k] - counts[k], reverse=True)[: students - sum(counts.values())]:
        counts[kind] += 1
    kinds = [kind for kind, n in counts.items() for _ in range(n)]
    random.Random(seed).shuffle(kinds)
    return [(f"s{n:04d}_{kind}", kind) for n, kind in enumerate(kinds, start=1)]


def submit(course: Path, student: str, kind: str, assignment: str) -> Path:
    """One synthetic submission of `kind` (a key of KINDS) into submitted/<student>/<assignment>/."""
    _, answers, damage = KINDS[kind]
    folder = sandbox.submit(course, student, answers, assignment)
    for path in sorted(folder.glob("*.ipynb")):
        if damage:
            nb = nbformat.read(path, as_version=4)
            DAMAGE[damage](nb)
            nbformat.write(nb, path)
    return folder


def _after_setup(nb, source: str) -> None:
    setup = next((n for n, c in enumerate(nb.cells) if c.cell_type == "code"), 0)
    nb.cells.insert(setup + 1, new_code_cell(source))


def _delete(nb) -> None:
    """The first reply cell and the first graded check cell deleted (nbgrader puts them back)."""
    def first(test):
        return next((c for c in nb.cells if test(c.metadata.get("nbgrader", {}))), None)
    for cell in (first(lambda m: m.get("solution") and not m.get("grade")), first(lambda m: m.get("grade") and not m.get("solution"))):
        if cell is not None:
            nb.cells.remove(cell)


DAMAGE = {
    "delete": _delete,
    "syntax": lambda nb: _after_setup(nb, SYNTAX_ERROR),
    "loop": lambda nb: _after_setup(nb, INFINITE_LOOP),
    "tamper": lambda nb: _after_setup(nb, MONKEYPATCH),
}


# --- the three courses ----------------------------------------------------------------------------------------

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS\n?", re.S)
NO_CHECKER_CONFIG = '''
# bench: the same autograde without the course checker
c.Autograde.autograde_preprocessors = [s for s in c.Autograde.autograde_preprocessors if not s.endswith(".GradeFromSource")]
'''


def strip_checker(course: Path) -> None:
    """Drop GradeFromSource from the course's config and the hidden check code from its source notebooks."""
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(NO_CHECKER_CONFIG)
    for path in (course / "source").glob("*/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
                cell.source = HIDDEN.sub("", cell.source).rstrip() or "# (no check)"
        nbformat.write(nb, path)


def env() -> dict:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "PYTHONWARNINGS": "ignore"}


def _cpu() -> float:
    """CPU seconds of every finished child process and what they waited for (nbgrader's kernels included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], course: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds, result). CPU time hardly depends on what else runs on the machine."""
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(command, cwd=course, env=env(), text=True, capture_output=True, timeout=6 * 3600)
    return time.perf_counter() - started, _cpu() - cpu, done


def sequential(course: Path, assignment: str) -> tuple[float, float]:
    wall, cpu, _ = timed([sys.executable, "-m", "nbgrader", "autograde", assignment], course)  # exit 1 if one failed
    return wall, cpu


def parallel(course: Path, assignment: str, jobs: int) -> tuple[float, float, str]:
    wall, cpu, done = timed([sys.executable, "-m", "autograder", "autograde", assignment, "--jobs", str(jobs)], course)
    if "Autograded" not in done.stdout:
        raise RuntimeError(f"parallel autograde of {assignment} failed:\n{done.stdout}\n{done.stderr}")
    return wall, cpu, done.stdout


def _count(summary: str, label: str) -> int:
    match = re.search(rf"{label}:\s+(\d+)", summary)
    return int(match[1]) if match else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=200, help="synthetic students per assignment (default 200)")
    parser.add_argument("--assignments", default=None, help="comma-separated assignments (default: every one)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel workers (default: CPU cores)")
    parser.add_argument("--docs", type=Path, default=REPO / "docs" / "performance.md", help="Markdown file to write")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results" / "autograde.json",
                        help="JSON file of per-assignment results, updated after each assignment")
    parser.add_argument("--keep", type=Path, default=None, help="build the scratch courses here and keep them")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="bench-autograde-")) if args.keep is None else args.keep
    try:
        return _bench(args, scratch)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


def pin_code(scratch: Path) -> None:
    """Every course here grades with one snapshot of `autograder` and `course`, first on the PYTHONPATH that
    nbgrader, the workers and their kernels inherit, even if the repository is edited during a long run."""
    for package in ("autograder", "course"):
        shutil.copytree(REPO / package, scratch / "code" / package, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(scratch / "code"), os.environ.get("PYTHONPATH")]))


def _bench(args, scratch: Path) -> int:
    chosen = args.assignments.split(",") if args.assignments else None
    pin_code(scratch)
    mix = class_mix(args.students)
    print(f"building {args.students} students of each assignment in {scratch} …", file=sys.stderr)
    base = sandbox.make_course(scratch / "base", chosen)
    assignments = sandbox.assignments(base)
    sandbox.generate(base)
    for assignment in assignments:
        for student, kind in mix:
            submit(base, student, kind, assignment)
    seq, par, bare = (scratch / "sequential", scratch / "parallel", scratch / "no_checker")
    for copy in (seq, par, bare):
        shutil.copytree(base, copy)
    (bare / "gradebook.db").unlink()
    shutil.rmtree(bare / "release")
    strip_checker(bare)
    sandbox.generate(bare)

    measured = []
    for assignment in assignments:
        notebooks = len(list((base / "release" / assignment).glob("*.ipynb"))) * args.students
        print(f"{assignment}: sequential …", file=sys.stderr)
        t_seq, c_seq = sequential(seq, assignment)
        print(f"{assignment}: parallel ({args.jobs} jobs) …", file=sys.stderr)
        t_par, c_par, summary = parallel(par, assignment, args.jobs)
        print(f"{assignment}: without the checker …", file=sys.stderr)
        t_bare, c_bare = sequential(bare, assignment)
        result = {
            "students": args.students, "jobs": args.jobs, "notebooks": notebooks,
            "wall_s": {"sequential": round(t_seq, 1), "parallel": round(t_par, 1), "no_checker": round(t_bare, 1)},
            "cpu_s": {"sequential": round(c_seq, 1), "parallel": round(c_par, 1), "no_checker": round(c_bare, 1)},
            "same_gradebook": _rows(seq, assignment) == _rows(par, assignment),
            "failed": _count(summary, "failed"), "flagged": _count(summary, "flagged for review"),
            "measured": time.strftime("%Y-%m-%d"), "machine": _machine(),
        }
        save_result(args.results, assignment, result)  # at once: a long run cut short keeps what it measured
        measured.append(result)
        print(f"{assignment}: {notebooks} notebooks, sequential {t_seq:.1f} s, parallel {t_par:.1f} s "
              f"(×{t_seq / t_par:.2f}), without checker {t_bare:.1f} s, same gradebook: {result['same_gradebook']}",
              file=sys.stderr)

    body = section(load_results(args.results), sandbox.assignments(REPO))
    write_section(args.docs, HEADING, body)
    print(body)
    return 0 if measured and meets_goals(measured) else 1


def _rows(course: Path, assignment: str) -> dict:
    return {k: v for k, v in gradebook_rows(f"sqlite:///{course / 'gradebook.db'}").items() if k[2] == assignment}


# --- results, kept per assignment so runs of a few assignments at a time add up -------------------------------

def load_results(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))["assignments"] if path.exists() else {}


def save_result(path: Path, assignment: str, result: dict) -> None:
    results = load_results(path)
    results[assignment] = result
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"assignments": dict(sorted(results.items()))}, indent=2) + "\n", encoding="utf-8")


def _totals(results) -> tuple[dict, dict, int]:
    wall = {k: sum(r["wall_s"][k] for r in results) for k in ("sequential", "parallel", "no_checker")}
    cpu = {k: sum(r["cpu_s"][k] for r in results) for k in ("sequential", "parallel", "no_checker")}
    return wall, cpu, sum(r["notebooks"] for r in results)


def meets_goals(results: list[dict]) -> bool:
    wall, _, _ = _totals(results)
    return (all(r["same_gradebook"] for r in results) and wall["sequential"] / wall["parallel"] >= 1.7
            and (wall["sequential"] - wall["no_checker"]) / wall["no_checker"] <= 0.10)


def section(results: dict[str, dict], course_assignments: list[str]) -> str:
    """The docs section for every assignment measured so far, and which are still to measure."""
    if not results:
        return "Not measured yet: `make bench-autograde`."
    rows = list(results.values())
    wall, cpu, notebooks = _totals(rows)
    s, p, b = wall["sequential"], wall["parallel"], wall["no_checker"]
    students = sorted({r["students"] for r in rows})
    jobs = sorted({r["jobs"] for r in rows})
    counts = {kind: n for kind, n in _kind_counts(students[0]).items() if n}
    machines = sorted({r["machine"] for r in rows})
    dates = sorted({r["measured"] for r in rows})
    lines = [
        f"Measured by `python bench/bench_autograde.py --students {', '.join(map(str, students))} --assignments A "
        f"--jobs {', '.join(map(str, jobs))}`, one or a few assignments per run ({', '.join(dates)}), on "
        f"{'; '.join(machines)}, SQLite gradebook. Per-assignment results are kept in `bench/results/autograde.json`.",
        "",
        f"Each assignment was submitted by {students[0]} synthetic students: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        + " (broken: *deleted* reply and check cells, a *syntax* error, an infinite *loop* cut at `Execute.timeout`; "
        "*tamper*: an extra cell that monkeypatches `course.check_reply`). Three identical copies were autograded: "
        "nbgrader's own `nbgrader autograde` (sequential), `python -m autograder autograde --jobs N` (parallel), "
        "and `nbgrader autograde` on a copy without the checker (GradeFromSource dropped from the config, hidden "
        "check code removed from the source notebooks before generate).",
        "",
        "| assignment | notebooks | sequential (s) | parallel (s) | speed-up | without checker (s) | checker adds | "
        "same gradebook | failed / flagged |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, r in results.items():
        rs, rp, rb = (r["wall_s"][k] for k in ("sequential", "parallel", "no_checker"))
        lines.append(f"| {name} | {r['notebooks']} | {rs:.1f} | {rp:.1f} | ×{rs / rp:.2f} | {rb:.1f} | "
                     f"{(rs - rb) / rb:+.1%} | {'yes' if r['same_gradebook'] else '**no**'} | "
                     f"{r['failed']} / {r['flagged']} |")
    same = all(r["same_gradebook"] for r in rows)
    lines.append(f"| **all** | {notebooks} | {s:.1f} | {p:.1f} | **×{s / p:.2f}** | {b:.1f} | **{(s - b) / b:+.1%}** | "
                 f"{'yes' if same else '**no**'} | {sum(r['failed'] for r in rows)} / {sum(r['flagged'] for r in rows)} |")
    lines += [
        "",
        "| measure | value | goal |",
        "|---|---:|---:|",
        f"| parallel speed-up over sequential `nbgrader autograde` | ×{s / p:.2f} | ≥ ×1.7 |",
        f"| cost per notebook, sequential | {s / notebooks:.2f} s | |",
        f"| cost per notebook, parallel (wall time / notebooks) | {p / notebooks:.2f} s | |",
        f"| time the checker adds to autograde | {(s - b) / b:+.1%} | ≤ 10% |",
        f"| CPU time the checker adds (less sensitive to other load) | "
        f"{(cpu['sequential'] - cpu['no_checker']) / cpu['no_checker']:+.1%} | |",
        f"| CPU seconds: sequential / parallel / without checker | "
        f"{cpu['sequential']:.0f} / {cpu['parallel']:.0f} / {cpu['no_checker']:.0f} | |",
        f"| cores the sequential run keeps busy (CPU ÷ wall) | {cpu['sequential'] / s:.2f} | |",
        f"| parallel gradebook equal to sequential, row for row | {'yes' if same else 'NO'} | yes |",
    ]
    missing = [a for a in course_assignments if a not in results]
    if missing:
        lines += ["", f"Not yet measured: {', '.join(missing)} (about 35 minutes per notebook set of 200 on a "
                  "quiet machine: `make bench-autograde ARGS=\"--assignments A\"`)."]
    return "\n".join(lines)


def _machine() -> str:
    return f"{os.cpu_count()} cores ({_cpu_name()}), Python {platform.python_version()}"


def _kind_counts(students: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, kind in class_mix(students):
        counts[kind] = counts.get(kind, 0) + 1
    return {kind: counts.get(kind, 0) for kind in KINDS}


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
