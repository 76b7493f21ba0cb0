"""The response checker: find communication moves in a reply and grade rewrites against rubrics."""
from .analysis import FEATURES, Analysis, analyze
from .grading import grade, grade_adhoc

__all__ = ["FEATURES", "Analysis", "analyze", "grade", "grade_adhoc"]
