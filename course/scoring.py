"""Score a quiz answer against its key: the same rule in the student's kernel and in the autograder."""
from __future__ import annotations


def score(question_type: str, answer: object, key: object) -> float:
    """A share in [0, 1]. Unanswered or malformed answers score 0."""
    if answer is None or not well_formed(question_type, answer):
        return 0.0
    if question_type == "spot":
        if not isinstance(answer, dict) or not isinstance(key, dict) or not key:
            return 0.0
        return sum(answer.get(item) == label for item, label in key.items()) / len(key)
    if question_type == "multiple":
        chosen = set(answer) if isinstance(answer, (list, tuple)) else set()
        wanted = set(key)
        return max(0.0, (len(chosen & wanted) - len(chosen - wanted)) / len(wanted)) if wanted else 0.0
    return 1.0 if answer == key else 0.0


def well_formed(question_type: str, answer: object) -> bool:
    """Whether a saved answer has the shape its question type gives (a file edited by hand may not)."""
    if question_type == "spot":
        return isinstance(answer, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items())
    if question_type == "multiple":
        return isinstance(answer, list) and all(isinstance(a, str) for a in answer)
    return isinstance(answer, str)
