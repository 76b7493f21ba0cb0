"""The analysis contract: which of the 16 communication moves a reply makes, and the words that show it.

`analyze(text, context)` is what every other part of the checker (rubrics, CLI, benchmarks) calls; the
detectors behind it live in `autograder.detectors`, one small function per move.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The contract's feature names, in a stable order (DESIGN.md). Helpful moves first, then roadblocks.
HELPFUL_MOVES = (
    "reflects_feeling", "validates", "open_question", "closed_question", "offers_choice",
    "affirms_strength", "collaborates", "honest_limits",
)
HARMFUL_MOVES = (
    "sympathy", "minimizing", "judgment", "advice", "false_reassurance", "jargon", "self_focus",
    "deficit_label",
)
FEATURES = HELPFUL_MOVES + HARMFUL_MOVES


@dataclass(frozen=True)
class Analysis:
    """Which moves a reply makes (`features`) and, for each one found, the student's words that show it."""

    text: str
    features: dict[str, bool]
    evidence: dict[str, str] = field(default_factory=dict)

    def found(self) -> list[str]:
        return [name for name in FEATURES if self.features.get(name)]

    def to_dict(self) -> dict:
        return {"features": dict(self.features), "evidence": dict(self.evidence)}


def analyze(text: str, context: str | None = None) -> Analysis:
    """Find the communication moves in `text`, a reply to the client statement `context` (may be None).

    Never raises on a str and never writes to stderr: bad input simply has no moves.
    """
    from . import detectors  # imported here so `import autograder` stays cheap for the CLI

    if not isinstance(text, str):
        text = "" if text is None else str(text)
    evidence = detectors.detect_all(text, context if isinstance(context, str) else None)
    features = {name: name in evidence for name in FEATURES}
    return Analysis(text=text, features=features, evidence={k: evidence[k] for k in FEATURES if k in evidence})
