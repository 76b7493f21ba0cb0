"""Read a student's reply out of a notebook without running anything (the cell source is the answer)."""
from __future__ import annotations

import re

MAGIC_LINE = re.compile(r"^\s*%%reply\b[ \t]*(?P<id>\S*)[^\n]*(\n|$)")
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$", re.M)


def reply_text(cell_source: str) -> str:
    """The prose below the `%%reply ID` line (solution markers of the instructor copy removed)."""
    text = MAGIC_LINE.sub("", cell_source or "", count=1)
    return SOLUTION_MARKER.sub("", text).strip()


def reply_id(cell_source: str) -> str | None:
    match = MAGIC_LINE.match(cell_source or "")
    return match.group("id") if match else None


def find_reply_cell(cells: list, exercise_id: str, answer_cell_id: str):
    """The answer cell by its nbgrader id; failing that (the student deleted or re-made it), a code cell
    starting with `%%reply <exercise_id>`. The last such cell wins, as it would when run top to bottom."""
    by_id = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == answer_cell_id]
    if by_id:
        return by_id[0]
    by_magic = [c for c in cells if c.get("cell_type") == "code" and reply_id(cell_source(c)) == exercise_id]
    return by_magic[-1] if by_magic else None


def cell_source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
