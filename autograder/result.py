"""Grading results that render themselves: as a dict (CLI, nbgrader), as text, and as accessible HTML."""
from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionResult:
    id: str
    met: bool
    weight: float
    required: bool
    feedback: str

    def to_dict(self) -> dict:
        return {"id": self.id, "met": self.met, "weight": self.weight, "feedback": self.feedback}


@dataclass(frozen=True)
class GradeResult:
    exercise_id: str
    client: str
    score: float          # 0..1
    passed: bool
    criteria: tuple[CriterionResult, ...]
    feedback: str         # a short paragraph for the student
    unreadable: str | None = None  # why no criterion could be checked (empty answer, code, …)

    @property
    def answered(self) -> bool:
        return self.unreadable not in ("unanswered", "no_words")

    def points(self, max_points: float) -> float:
        """nbgrader's partial credit, always a plain float in [0, max_points]: a reply that passes the
        checklist earns every point; one that does not earns the share of the checklist it meets."""
        max_points = float(max_points)
        earned = max_points if self.passed else round(self.score * max_points, 2)
        return float(min(max(earned, 0.0), max_points))

    def to_dict(self) -> dict:
        return {"score": self.score, "passed": self.passed,
                "criteria": [c.to_dict() for c in self.criteria], "feedback": self.feedback}

    def summary(self) -> str:
        lines = [f"{self.headline()}", self.feedback]
        if not self.unreadable:
            lines += [f"  [{'met' if c.met else 'not yet'}] {c.feedback}" for c in self.criteria]
        return "\n".join(lines)

    __str__ = summary

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's text/plain view
        printer.text(self.summary())

    def headline(self) -> str:
        if self.unreadable:
            return "Not checked yet"
        verdict = "Passed" if self.passed else "Not passed yet"
        return f"{verdict}: {round(self.score * 100)}% of the checklist met"

    def _repr_html_(self) -> str:
        label = html.escape(f"Feedback on your reply to {self.client}")
        items = "" if self.unreadable else "".join(_criterion_html(c) for c in self.criteria)
        return (
            f'<section class="empathy-feedback" role="region" aria-label="{label}" '
            f'style="border:1px solid #767676;border-radius:6px;padding:0.6em 1em;margin:0.4em 0">'
            f'<p role="status" aria-live="polite" style="margin:0 0 0.4em 0"><strong>{html.escape(self.headline())}.</strong> '
            f"{html.escape(self.feedback)}</p>"
            + (f'<ul style="list-style:none;padding-left:0;margin:0">{items}</ul>' if items else "")
            + "</section>"
        )


def _criterion_html(c: CriterionResult) -> str:
    mark, word, colour = ("✔", "Met", "#1a7f37") if c.met else ("✘", "Not yet", "#b35900")
    return (f'<li style="margin:0.2em 0"><span aria-hidden="true" style="color:{colour}">{mark}</span> '
            f"<strong>{word}:</strong> {html.escape(c.feedback)}</li>")
