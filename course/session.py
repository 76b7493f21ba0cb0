"""What the kernel remembers while a student works through one notebook."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import quiz_bank
from .saved_answers import SavedAnswers, path_for


@dataclass
class Session:
    notebook: str
    folder: Path
    saved: SavedAnswers
    keys: dict | None                               # only in the instructor's copy (quiz_keys.yaml beside it)
    replies: dict[str, str] = field(default_factory=dict)    # exercise id -> the text last run
    practice: dict[str, bool] = field(default_factory=dict)  # question id -> right at the last check

    @classmethod
    def open(cls, notebook: str, folder: str | Path = ".") -> "Session":
        folder = Path(folder)
        keys_path = folder / quiz_bank.KEYS_FILE
        keys = quiz_bank.load_keys(keys_path) if keys_path.exists() else None
        return cls(notebook=notebook, folder=folder, saved=SavedAnswers(path_for(notebook, folder)), keys=keys)

    def practice_total(self) -> int:
        return sum(1 for q in quiz_bank.all_questions().values() if q.notebook == self.notebook and not q.graded)

    def tally(self) -> str:
        right = sum(self.practice.values())
        return f"Practice so far in this notebook: {right} of {self.practice_total()} questions right."


_sessions: dict[str, Session] = {}


def session_for(notebook: str, folder: str | Path = ".") -> Session:
    """The notebook's session, opened on first use: a quiz answered before the set-up cell still saves
    into the right file, because every question knows its notebook."""
    if notebook not in _sessions:
        _sessions[notebook] = Session.open(notebook, folder)
    return _sessions[notebook]


def forget_all() -> None:
    """Start afresh (used when the set-up cell is run again, and by tests)."""
    _sessions.clear()
