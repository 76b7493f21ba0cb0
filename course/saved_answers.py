"""Graded quiz answers, saved by the kernel in a JSON file beside the notebook the moment they are given.

The file travels with the submission, so nbgrader's autograde (which has no browser) can grade it.
Attempt policy: a graded answer may be changed until the notebook is submitted; the last saved answer counts.
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

SUFFIX = ".quiz_answers.json"


def path_for(notebook: str, folder: str | os.PathLike = ".") -> Path:
    return Path(folder) / f"{notebook}{SUFFIX}"


class SavedAnswers:
    """The answers file of one notebook. A missing file is an empty one; a damaged one is set aside, never lost."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.problem: str | None = None   # a message for the student when the file could not be read
        self.answers: dict = self._read()

    def _read(self) -> dict:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return {k: v for k, v in data.items() if isinstance(v, dict) and "answer" in v}
        except (ValueError, OSError, UnicodeDecodeError):
            kept = self.path.with_name(self.path.name + f".unreadable-{datetime.now():%Y%m%d-%H%M%S}")
            try:
                self.path.replace(kept)
                where = f"It has been kept as {kept.name}, so nothing is lost."
            except OSError:
                where = "It was left as it is."
            self.problem = ("Your saved quiz answers could not be read (the file may have been changed by hand). "
                            f"{where} Please choose your graded answers again; everything else in the notebook is fine.")
            return {}

    def get(self, question_id: str):
        entry = self.answers.get(question_id)
        return entry["answer"] if entry else None

    def saved_at(self, question_id: str) -> str | None:
        entry = self.answers.get(question_id)
        return entry.get("saved_at") if entry else None

    def save(self, question_id: str, answer) -> str:
        """Record the answer and write the file atomically (a crash mid-write never leaves half a file)."""
        previous = self.answers.get(question_id, {})
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.answers[question_id] = {"answer": answer, "saved_at": stamp,
                                     "changes": int(previous.get("changes", 0)) + 1}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".quiz_answers-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.answers, f, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, self.path)
        return stamp
