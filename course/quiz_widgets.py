"""ipywidgets for the four question types. Practice questions check on request and explain every option;
graded questions save the moment an answer is given and say so. Keyboard: Tab between controls, arrows
within a group of radio buttons or a list, Space/Enter to tick or press."""
from __future__ import annotations

import html

import ipywidgets as w

from . import scoring
from .quiz_bank import Question
from .session import Session

STYLE = """<style>
.empathy-quiz .widget-radio-box label, .empathy-quiz .widget-checkbox label { white-space: normal; height: auto; line-height: 1.4; }
.empathy-quiz .widget-radio-box { flex-wrap: nowrap; }
.empathy-quiz .widget-label { width: auto; min-width: 7em; }
.empathy-quiz .empathy-feedback { border: 1px solid #767676; border-radius: 6px; padding: 0.4em 0.8em; margin-top: 0.3em; }
</style>"""
NO_CHOICE = ("Choose…", None)


def build(question: Question, session: Session) -> w.VBox:
    """The widget for one question, wired to the session (practice tally, saved graded answers)."""
    answer_controls = _controls(question)
    read, write, observe = answer_controls["read"], answer_controls["write"], answer_controls["observe"]
    kind = "Graded question" if question.graded else "Practice question"
    header = w.HTML(f'{STYLE}<p><strong>{kind}.</strong> {html.escape(question.prompt)}</p>')
    feedback = w.HTML("")
    parts = [header, *answer_controls["widgets"]]

    if question.graded:
        saved = session.saved.get(question.id)
        if saved is not None:
            write(saved)
            feedback.value = _status(f"Your saved answer is shown above (saved {_when(session.saved.saved_at(question.id))}). "
                                     "You can change it until you submit; the last saved answer counts.")
        if session.saved.problem:
            feedback.value = _status(session.saved.problem)
        if session.keys and question.id in session.keys:
            parts.append(w.HTML(_status(f"Instructor copy: the key is {session.keys[question.id]['answer']!r}. "
                                        "Students never see this line.")))

        def on_change(_change) -> None:
            answer = read()
            if answer is None:
                return
            if session.keys is not None:  # the instructor's source folder must never hold an answers file
                feedback.value = _status("Instructor copy: answers chosen here are not saved.")
                return
            stamp = session.saved.save(question.id, answer)
            feedback.value = _status(f"Saved ✓ ({_when(stamp)}). You can change your answer until you submit; "
                                     "the last saved answer counts.")

        observe(on_change)
        parts.append(feedback)
    else:
        button = w.Button(description="Check my answer", tooltip=f"Check your answer to: {question.prompt[:80]}",
                          layout=w.Layout(width="auto"))

        def on_check(_button) -> None:
            answer = read()
            if answer is None:
                feedback.value = _status("Choose an answer first, then press “Check my answer”.")
                return
            right = scoring.score(question.type, answer, question.key()) == 1.0
            session.practice[question.id] = right
            feedback.value = _explain(question, answer, right, session.tally())

        button.on_click(on_check)
        parts += [button, feedback]

    box = w.VBox(parts, layout=w.Layout(margin="0.5em 0", max_width="56em"))
    box.add_class("empathy-quiz")
    return box


def _controls(question: Question) -> dict:
    if question.type == "spot":
        return _spot_controls(question)
    if question.type == "multiple":
        return _multiple_controls(question)
    return _single_controls(question)


def _single_controls(question: Question) -> dict:
    radios = w.RadioButtons(options=[(o["text"], o["id"]) for o in question.options], value=None,
                            description="Your answer:", layout=w.Layout(width="auto"),
                            style={"description_width": "initial"})
    return {"widgets": [radios], "read": lambda: radios.value,
            "write": lambda v: setattr(radios, "value", v if v in {o["id"] for o in question.options} else None),
            "observe": lambda fn: radios.observe(fn, names="value")}


def _multiple_controls(question: Question) -> dict:
    boxes = {o["id"]: w.Checkbox(value=False, description=o["text"], indent=False, layout=w.Layout(width="auto"))
             for o in question.options}
    hint = w.HTML("<p><em>Tick every answer that fits.</em></p>")

    def read():
        chosen = sorted(i for i, box in boxes.items() if box.value)
        return chosen or None

    def write(value):
        for i, box in boxes.items():
            box.value = isinstance(value, list) and i in value

    def observe(fn):
        for box in boxes.values():
            box.observe(fn, names="value")

    return {"widgets": [hint, *boxes.values()], "read": read, "write": write, "observe": observe}


def _spot_controls(question: Question) -> dict:
    choices = [NO_CHOICE] + [(lab["text"], lab["id"]) for lab in question.labels]
    rows, menus = [], {}
    for n, item in enumerate(question.items, start=1):
        rows.append(w.HTML(f"<p><strong>Reply {n}:</strong> “{html.escape(item['text'])}”</p>"))
        menus[item["id"]] = w.Dropdown(options=choices, value=None, description=f"Reply {n} shows:",
                                       style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        rows.append(menus[item["id"]])

    def read():
        answer = {i: menu.value for i, menu in menus.items() if menu.value is not None}
        return answer or None

    def write(value):
        for i, menu in menus.items():
            menu.value = value.get(i) if isinstance(value, dict) and value.get(i) in {c[1] for c in choices} else None

    def observe(fn):
        for menu in menus.values():
            menu.observe(fn, names="value")

    return {"widgets": rows, "read": read, "write": write, "observe": observe}


def _explain(question: Question, answer, right: bool, tally: str) -> str:
    verdict = "✔ Correct." if right else "✘ Not quite: have another look and try again."
    if question.type == "spot":
        labels = {lab["id"]: lab["text"] for lab in question.labels}
        lines = [_spot_line(n, item, answer.get(item["id"]), labels) for n, item in enumerate(question.items, start=1)]
    else:
        chosen = answer if isinstance(answer, list) else [answer]
        lines = [f"“{o['text']}”: {o['feedback']}" for o in question.options if o["id"] in chosen]
        if question.type == "multiple" and not right:
            lines.append("Some right answers may still be unticked, or a ticked one may not fit.")
    body = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (f'<div class="empathy-feedback" role="alert"><p><strong>{verdict}</strong></p>'
            f"<ul>{body}</ul><p>{html.escape(tally)}</p></div>")


def _spot_line(n: int, item: dict, chosen, labels: dict) -> str:
    if chosen == item["answer"]:
        return f"Reply {n}: right, it shows “{labels[chosen]}”. {item['feedback']}"
    if chosen is None:
        return f"Reply {n}: choose a label for this reply."
    return f"Reply {n}: not quite. It does not mainly show “{labels.get(chosen, chosen)}”. Read it again: what is the worker doing?"


def _status(message: str) -> str:
    return f'<div class="empathy-feedback" role="alert"><p>{html.escape(message)}</p></div>'


def _when(stamp: str | None) -> str:
    if not stamp:
        return "earlier"
    from datetime import datetime

    try:
        return "at " + datetime.fromisoformat(stamp).astimezone().strftime("%H:%M on %d %b")
    except ValueError:
        return "earlier"
