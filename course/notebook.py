"""What the cells of a course notebook call: the set-up cell, quiz cells, the `%%reply` magic and the
checks behind the graded cells. Messages here are for students: plain, kind, and saying what to do."""
from __future__ import annotations

import html

from IPython.display import HTML, display

from . import quiz_bank
from .session import forget_all, session_for

_replies: dict[str, str] = {}  # exercise id -> the text of the reply cell as last run


def start(notebook: str) -> None:
    """The set-up cell: register `%%reply`, open this notebook's saved answers, and say what to do next."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        from .reply_magic import register

        register(shell)
    forget_all()
    session = session_for(notebook)
    message = ("The course tools are ready. Work down the notebook, running each cell with Shift+Enter. "
               "Quiz answers you choose in graded questions are saved as you go.")
    if session.saved.problem:
        message += " " + session.saved.problem
    display(HTML(f'<div role="status"><p>✔ {html.escape(message)}</p></div>'))


def quiz(question_id: str) -> None:
    """Show a question. Unknown ids get a plain message instead of a traceback."""
    from .quiz_widgets import build

    try:
        question = quiz_bank.get(question_id)
    except KeyError as missing:
        display(HTML(f"<p>{html.escape(str(missing.args[0]))} Please tell your instructor.</p>"))
        return
    display(build(question, session_for(question.notebook)))


def remember_reply(exercise_id: str, text: str) -> None:
    _replies[exercise_id] = text


def check_reply(exercise_id: str, points: float) -> float:
    """Grade the reply as last run (the graded cell under each exercise). Returns points as a plain float."""
    from autograder import grade

    text = _replies.get(exercise_id)
    if text is None:
        display(HTML("<p>Not answered yet: write your reply in the cell above and run it (Shift+Enter).</p>"))
        return 0.0
    result = grade(exercise_id, text)
    display(result)
    return result.points(points)


def check_quiz(question_id: str, points: float) -> float:
    """The graded cell under a graded question. In a student's copy the key is not here, so the mark is
    given by the course's autograder step from the saved answer; this only confirms what was saved."""
    question = quiz_bank.get(question_id)
    session = session_for(question.notebook)
    if session.keys is not None:
        display(HTML("<p>Instructor copy: students' saved answers are marked against quiz_keys.yaml.</p>"))
        return float(points)
    if session.saved.get(question_id) is None:
        display(HTML("<p>No answer saved yet for this question: choose one above.</p>"))
    else:
        display(HTML("<p>Your answer is saved. It is marked when your instructor grades the assignment.</p>"))
    return 0.0
