"""Score a quiz answer against its key: the same rule in the student's kernel and in the autograder."""
from __future__ import annotations


def score(question_type: str, answer: object, key: object) -> float:
    """A share in [0, 1]. Unanswered or malformed answers score 0."""
    if answer is None:
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
