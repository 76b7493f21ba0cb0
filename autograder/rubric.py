"""Criteria checks: one small function per criterion kind, each returning (met, feedback values)."""
from __future__ import annotations

import difflib
import re

from . import data
from .analysis import Analysis
from .exercise_bank import Criterion, Exercise
from .screening import WORD

Check = tuple[bool, dict]  # met?, values that fill the feedback template


def words(text: str | None) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")]


def _move_names(moves) -> str:
    names = [data.rubric_defaults()["moves"][m]["name"] for m in moves]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def uses_any(criterion: Criterion, exercise: Exercise, reply: str, analysis: Analysis) -> Check:
    moves = criterion.params["moves"]
    found = [m for m in moves if analysis.features.get(m)]
    hint = data.rubric_defaults()["moves"][moves[0]].get("hint", "")
    evidence = analysis.evidence.get(found[0], "") if found else ""
    return bool(found), {"moves": _move_names(found or moves), "hint": hint, "evidence": evidence}


def avoids(criterion: Criterion, exercise: Exercise, reply: str, analysis: Analysis) -> Check:
    moves = criterion.params["moves"]
    found = [m for m in moves if analysis.features.get(m)]
    if not found:
        return True, {"moves": _move_names(moves)}
    first = found[0]
    return False, {"moves": _move_names(found), "evidence": analysis.evidence.get(first, ""),
                   "why": data.rubric_defaults()["moves"][first]["why"]}


def engages(criterion: Criterion, exercise: Exercise, reply: str, analysis: Analysis) -> Check:
    """The reply names something of this client's situation, and fits this client at least as well as any
    other client in the course (an empathic reply about someone else's story does not count)."""
    own = len(_specifics(exercise, reply))
    if own == 0 or exercise.id == "adhoc":
        return own > 0, {}
    from .exercise_bank import all_exercises

    others = (e for e in all_exercises().values() if e.client_name != exercise.client_name)
    return own >= max((len(_specifics(e, reply)) for e in others), default=0), {}


def _specifics(exercise: Exercise, reply: str) -> set[str]:
    """What of this client's situation the reply mentions: its situation terms, and words of its statement."""
    reply_words = words(reply)
    joined = " ".join(reply_words)
    terms = {term[:5] for term in exercise.situation_terms if _mentions(term, reply_words, joined)}
    return terms | (_content_stems(reply_words) & _content_stems(words(exercise.client_statement)))


def _content_stems(some_words: list[str]) -> set[str]:
    """Words that carry the client's situation (not "the", "really", "two", "told"), cut to a 5-letter stem."""
    from .screening import settings

    rubric = data.rubric_defaults()
    skip = set(rubric["common_words"]) | set(rubric["extra_common_words"]) | set(settings()["function_words"])
    return {w[:5] for w in some_words if len(w) >= 3 and w not in skip}


def _mentions(term: str, reply_words: list[str], joined: str) -> bool:
    if " " in term:
        return term in joined
    return any(w.startswith(term) for w in reply_words)


def rewrites(criterion: Criterion, exercise: Exercise, reply: str, analysis: Analysis) -> Check:
    limit = criterion.params["max_similarity"]
    reply_words = words(reply)
    if exercise.original_response and _reused_share(words(exercise.original_response), reply_words) > limit:
        return False, {"copied": "the original reply"}
    if _reused_share(reply_words, words(exercise.client_statement)) > limit:
        return False, {"copied": f"{exercise.client_name}'s own words"}
    return True, {}


def _reused_share(source: list[str], other: list[str]) -> float:
    """How much of `source` appears, in order, in `other` (0 to 1)."""
    if len(source) < 4 or not other:
        return 0.0
    matcher = difflib.SequenceMatcher(None, source, other, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(source)


def length(criterion: Criterion, exercise: Exercise, reply: str, analysis: Analysis) -> Check:
    n = len(words(reply))
    low, high = criterion.params["min_words"], criterion.params["max_words"]
    values = {"words": f"{n:,}", "max_words": high}
    if n < low:
        return False, {**values, "unmet_key": "unmet_short"}
    if n > high:
        return False, {**values, "unmet_key": "unmet_long"}
    return True, values


def plain_language(criterion: Criterion, exercise: Exercise, reply: str, analysis: Analysis) -> Check:
    return not analysis.features.get("jargon"), {"evidence": analysis.evidence.get("jargon", "")}


CHECKS = {f.__name__: f for f in (uses_any, avoids, engages, rewrites, length, plain_language)}


def applies(criterion: Criterion, exercise: Exercise) -> bool:
    """A criterion that has nothing to compare against is left out (no client statement to engage with)."""
    if criterion.kind == "engages":
        return bool(exercise.situation_terms or exercise.client_statement)
    return True


def feedback(criterion: Criterion, met: bool, values: dict, exercise: Exercise) -> str:
    key = "met" if met else values.get("unmet_key", "unmet")
    template = criterion.params.get(key) or criterion.params.get("unmet", "")
    text = template.format_map(_Defaults(client=exercise.client_name, **values))
    return re.sub(r"\s+", " ", text.replace("“”", "")).strip()


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return ""
