"""`python -m course quizzes --json` lists every question (no keys); `python -m course build` builds notebooks."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import quiz_bank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("quizzes", help="every quiz question, as JSON (never an answer)").add_argument(
        "--json", action="store_true", required=True)
    builder = commands.add_parser("build", help="build source notebooks from their .md files")
    builder.add_argument("names", nargs="*", help="assignments or notebooks (default: all)")
    builder.add_argument("--source", default="source")
    commands.add_parser("install-kernel-extension",
                        help="make every kernel of this Python environment know the %%%%reply cell (idempotent)")
    args = parser.parse_args(argv)

    if args.command == "install-kernel-extension":
        from .reply_magic import install_kernel_extension

        print(f"%%reply cells are known to every kernel of this environment ({install_kernel_extension()}).")
        return 0

    if args.command == "quizzes":
        json.dump([q.public() for q in quiz_bank.all_questions().values()], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0

    from .build import BuildError, source_markdown_files, write

    files = source_markdown_files(Path(args.source), args.names)
    if not files:
        print(f"No .md files found under {args.source}/ for {args.names or 'any assignment'}.")
        return 1
    for md in files:
        try:
            print(f"built {write(md)}")
        except (BuildError, quiz_bank.BankError, KeyError) as problem:
            print(f"could not build {md}: {problem}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
