"""Model answers live only in the instructor's source notebooks (inside solution markers)."""
from __future__ import annotations

from pathlib import Path

import nbformat

from . import exercise_bank
from .answers import find_reply_cell, reply_text


def model_answers(source_dir: Path) -> dict[str, str]:
    answers, notebooks = {}, {}
    for exercise in exercise_bank.all_exercises().values():
        path = Path(source_dir) / exercise.assignment / exercise.notebook
        if not path.exists():
            continue
        if path not in notebooks:
            notebooks[path] = nbformat.read(path, as_version=4).cells
        cell = find_reply_cell(notebooks[path], exercise.id, exercise.answer_cell)
        if cell is not None:
            answers[exercise.id] = reply_text(cell.source)
    return answers
