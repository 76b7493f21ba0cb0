"""`python -m autograder …`: the checker's command-line contracts (see DESIGN.md)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import exercise_bank
from .analysis import analyze
from .grading import grade, grade_adhoc


def _jsonl(handle_line) -> int:
    """Answer each JSON line of stdin with one JSON line; a bad line gets an `error` line, never a crash."""
    for raw in sys.stdin:
        if not raw.strip():
            continue
        try:
            request = json.loads(raw)
            if not isinstance(request, dict):
                raise ValueError("each line must be a JSON object")
            answer = handle_line(request)
        except (ValueError, KeyError, TypeError) as problem:
            answer = {"error": str(problem).strip("'\"")}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    return 0


def analyze_line(request: dict) -> dict:
    return analyze(request.get("text") or "", request.get("context")).to_dict()


def grade_line(request: dict) -> dict:
    text = request.get("text") or ""
    if request.get("exercise"):
        return grade(request["exercise"], text).to_dict()
    if "client" in request:
        return grade_adhoc(request.get("client"), request.get("original"), text).to_dict()
    raise ValueError('give either "exercise" or "client" (and optionally "original")')


def list_exercises(source_dir: Path) -> list[dict]:
    from .model_answers import model_answers  # reads notebooks only when asked

    answers = model_answers(source_dir) if source_dir.is_dir() else {}
    listed = []
    for exercise in exercise_bank.all_exercises().values():
        row = exercise.to_dict()
        if exercise.id in answers:
            row["model_answer"] = answers[exercise.id]
        listed.append(row)
    return listed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("analyze", help="find the 16 moves in replies (JSON lines on stdin)").add_argument(
        "--jsonl", action="store_true", required=True)
    commands.add_parser("grade", help="grade replies (JSON lines on stdin)").add_argument(
        "--jsonl", action="store_true", required=True)
    listing = commands.add_parser("list-exercises", help="every rewrite exercise, as JSON")
    listing.add_argument("--json", action="store_true", required=True)
    listing.add_argument("--source", default="source", help="nbgrader source folder (for model answers)")
    autograde = commands.add_parser("autograde", help="autograde a whole class in parallel, with progress")
    autograde.add_argument("assignment")
    autograde.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per CPU core)")
    autograde.add_argument("--db-url", default=None, help="gradebook URL (default: nbgrader_config.py's)")
    autograde.add_argument("--force", action="store_true", help="grade again students already autograded")
    report = commands.add_parser("report", help="a class report (HTML with plots, and CSV) for an assignment")
    report.add_argument("assignment")
    report.add_argument("--out", default=None, help="folder for the report (default: reports/<assignment>)")
    report.add_argument("--db-url", default=None, help="gradebook URL (default: nbgrader_config.py's)")
    args = parser.parse_args(argv)

    if args.command == "autograde":
        from .parallel import main as autograde_main

        return autograde_main(args)
    if args.command == "report":
        from .report import main as report_main

        return report_main(args)

    if args.command == "analyze":
        return _jsonl(analyze_line)
    if args.command == "grade":
        return _jsonl(grade_line)
    json.dump(list_exercises(Path(args.source)), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
