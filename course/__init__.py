"""Student-facing course tools: quiz widgets, the `%%reply` cell, and the checks behind graded cells."""
from .notebook import check_quiz, check_reply, quiz, start

__all__ = ["start", "quiz", "check_reply", "check_quiz"]
