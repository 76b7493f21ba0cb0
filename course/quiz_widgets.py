"""ipywidgets for the four question types. Practice questions check on request and explain every option;
graded questions save the moment an answer is given and say so.

Keyboard: Tab (Shift+Tab) moves between controls; the arrow keys choose within a group of radio buttons and
within a list (`Reply 1 shows:`), and move between tick boxes; Space or Enter picks a radio button, ticks a
box or presses "Check my answer". Screen readers: every control is labelled, each question is a named group,
and feedback after a press or a change is announced (role="alert" for a check, a polite live region for
"Saved"). Nothing is shown by colour alone: every verdict is in words (and a ✔/✘ sign).

Two things stock ipywidgets 8.1 cannot do from Python are done by a small script, `KEYBOARD_JS`, that each
question carries in a hidden Output widget (widget outputs are trusted, so JupyterLab runs it; it installs
itself once per page):
- JupyterLab takes the arrow keys from any focused radio button, list or tick box in an output and moves to
  another cell instead. The script keeps arrow keys inside a question and moves the choice itself: the
  radio buttons of ipywidgets 8.1 have no `name`, so a browser would not move between them anyway. It also
  lets Enter pick a radio button or tick a box, as the orientation module promises.
- ipywidgets 8.1 gives radio buttons no group and no group label. The script names each question as a group
  (its prompt), groups the radio buttons, describes each list by the reply it labels, and makes the
  "Saved" line of a graded question a polite live region.
Without the script (e.g. a viewer that runs no JavaScript) every question still works with Tab and Space.
"""
from __future__ import annotations

import html
import time
import uuid

import ipywidgets as w

from . import scoring
from .quiz_bank import Question
from .session import Session

# ipywidgets sets fixed heights and `nowrap` on labels; long option texts must wrap and stay readable.
STYLE = """<style>
.empathy-quiz .widget-html-content { line-height: 1.5; }
.empathy-quiz .widget-radio, .empathy-quiz .widget-checkbox, .empathy-quiz .widget-dropdown { height: auto; }
.empathy-quiz .widget-radio-box label {
  display: flex; flex-direction: row-reverse; justify-content: flex-end; align-items: flex-start; gap: 0.5em;
  white-space: normal; height: auto; line-height: 1.4; margin: 0.25em 0; }
.empathy-quiz .widget-radio-box input { float: none; flex-shrink: 0; height: auto; line-height: normal; margin: 0.2em 0 0 1px; }
.empathy-quiz .widget-checkbox .widget-label-basic, .empathy-quiz .widget-checkbox .widget-label-basic span {
  white-space: normal; height: auto; line-height: 1.4; overflow: visible; text-overflow: clip; }
.empathy-quiz .widget-checkbox .widget-label-basic { display: flex; align-items: flex-start; margin: 0.25em 0; }
.empathy-quiz .widget-checkbox input { flex-grow: 0; flex-shrink: 0; align-self: flex-start; margin-top: 0.25em; }
.empathy-quiz .widget-radio-box { flex-wrap: nowrap; }
.empathy-quiz .widget-label { width: auto; min-width: 7em; }
.empathy-quiz select { max-width: 100%; }
.empathy-quiz input:focus-visible, .empathy-quiz select:focus-visible, .empathy-quiz button:focus-visible {
  outline: 2px solid #1a5fb4; outline-offset: 2px; }
.empathy-quiz .empathy-feedback { border: 1px solid #767676; border-radius: 6px; padding: 0.4em 0.8em; margin-top: 0.3em; }
</style>"""
NO_CHOICE = ("Choose…", None)
# ipywidgets holds back a second change of a control while the first is still syncing, so a press of "Check my
# answer" can reach the kernel just before the answer the student last chose. A change arriving this soon after
# a check is that held-back answer: the check is redone on it.
LATE_CHANGE_S = 1.0

KEYBOARD_JS = r"""
(function () {
  if (window.empathyQuizA11y) { window.empathyQuizA11y.enhance(); return; }
  var STEP = {ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1, Home: 'first', End: 'last'};
  function enhance() {
    document.querySelectorAll('.empathy-quiz:not([data-empathy-ready])').forEach(function (quiz) {
      var prompt = quiz.querySelector('.empathy-prompt');
      if (!prompt || !prompt.id) { return; }
      quiz.setAttribute('data-empathy-ready', '');
      quiz.setAttribute('role', 'group');
      quiz.setAttribute('aria-labelledby', prompt.id);
      quiz.querySelectorAll('.widget-radio-box').forEach(function (box) {
        box.setAttribute('role', 'radiogroup');
        var label = box.parentElement && box.parentElement.querySelector('.widget-label');
        box.setAttribute('aria-label', (label && label.textContent.trim()) || 'Choose one answer');
        box.querySelectorAll('input[type=radio]').forEach(function (radio) { radio.name = prompt.id + '-choice'; });
      });
      quiz.querySelectorAll('.widget-dropdown').forEach(function (row) {
        var before = row.previousElementSibling, item = before && before.querySelector('.empathy-item');
        var select = row.querySelector('select');
        if (item && item.id && select) { select.setAttribute('aria-describedby', item.id); }
      });
      quiz.querySelectorAll('.empathy-live .widget-html-content').forEach(function (live) {
        live.setAttribute('aria-live', 'polite');
      });
    });
  }
  function wrap(list, from, step) {
    if (step === 'first') { return list[0]; }
    if (step === 'last') { return list[list.length - 1]; }
    return list[(list.indexOf(from) + step + list.length) % list.length];
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target, step = STEP[event.key];
    if ((step === undefined && event.key !== 'Enter') || event.altKey || event.ctrlKey || event.metaKey || !target || !target.closest) { return; }
    var quiz = target.closest('.empathy-quiz');
    if (!quiz) { return; }
    if (event.key === 'Enter') {  // the course tells students that Enter picks a choice, as Space does
      if (event.shiftKey || (target.type !== 'radio' && target.type !== 'checkbox')) { return; }
      event.preventDefault();
      if (target.type === 'checkbox' || !target.checked) { target.click(); }
      return;
    }
    if (target.type === 'radio') {
      var next = wrap(Array.prototype.slice.call(target.closest('.widget-radio-box').querySelectorAll('input[type=radio]')), target, step);
      event.preventDefault();
      event.stopPropagation();
      next.focus();
      if (!next.checked) { next.click(); }
    } else if (target.type === 'checkbox') {
      event.preventDefault();
      event.stopPropagation();
      wrap(Array.prototype.slice.call(quiz.querySelectorAll('input[type=checkbox]')), target, step).focus();
    } else if (target.tagName === 'SELECT') {
      event.stopPropagation();  // the browser changes the choice; JupyterLab must not move to another cell
    }
  }, true);
  document.addEventListener('focusin', function (event) {
    if (event.target && event.target.closest && event.target.closest('.empathy-quiz')) { enhance(); }
  }, true);
  window.empathyQuizA11y = {enhance: enhance};
  [0, 200, 1000].forEach(function (ms) { setTimeout(enhance, ms); });
})();
"""

def build(question: Question, session: Session) -> w.VBox:
    """The widget for one question, wired to the session (practice tally, saved graded answers)."""
    uid = f"empathy-{question.id}-{uuid.uuid4().hex[:8]}"
    answer_controls = _controls(question, uid)
    read, write, observe = answer_controls["read"], answer_controls["write"], answer_controls["observe"]
    kind = "Graded question" if question.graded else "Practice question"
    header = w.HTML(f'{STYLE}<p class="empathy-prompt" id="{uid}-prompt"><strong>{kind}.</strong> '
                    f'{html.escape(question.prompt)}</p>')
    feedback = w.HTML("")
    parts = [header, *answer_controls["widgets"]]

    if question.graded:
        feedback.add_class("empathy-live")
        notes = []
        saved = session.saved.get(question.id)
        if saved is not None:
            write(saved)
            notes.append(f"Your saved answer is shown above (saved {_when(session.saved.saved_at(question.id))}). "
                         "You can change it until you submit; the last saved answer counts.")
        if session.saved.problem:
            notes = ["⚠ " + session.saved.problem]
        if notes:
            feedback.value = _note(notes[0])
        if session.keys and question.id in session.keys:
            parts.append(w.HTML(_note(f"Instructor copy: the key is {session.keys[question.id]['answer']!r}. "
                                      "Students never see this line.")))

        def on_change(_change) -> None:
            answer = read()
            if answer is None:
                return
            if session.keys is not None:  # the instructor's source folder must never hold an answers file
                feedback.value = _note("Instructor copy: answers chosen here are not saved.", role="status")
                return
            stamp = session.saved.save(question.id, answer)
            feedback.value = _note(f"Saved ✓ ({_when(stamp)}). You can change your answer until you submit; "
                                   "the last saved answer counts.", role="status")

        observe(on_change)
        parts.append(feedback)
    else:
        button = w.Button(description="Check my answer", tooltip=f"Check your answer to: {question.prompt[:80]}",
                          layout=w.Layout(width="auto"))
        button.add_class("empathy-check")

        checked = {"at": None}  # when the verdict on show was given (kernel clock); None: no verdict on show

        def on_check(_button) -> None:
            feedback.value = ""  # a fresh alert on every press, so a second check of the same answer is announced too
            answer = read()
            if answer is None:
                feedback.value = _note("Choose an answer first, then press “Check my answer”.", role="alert")
                return
            right = scoring.score(question.type, answer, question.key()) == 1.0
            session.practice[question.id] = right
            feedback.value = _explain(question, answer, right, session.tally())
            checked["at"] = time.monotonic()

        def on_change(_change) -> None:
            if checked["at"] is None:
                return
            if time.monotonic() - checked["at"] < LATE_CHANGE_S:
                on_check(None)  # the browser sent this change before the press, but it arrived after it
                return
            checked["at"] = None  # a verdict must never stand beside an answer it was not about
            feedback.value = _note("You changed your answer. Press “Check my answer” to check this one.")

        button.on_click(on_check)
        observe(on_change)
        parts += [button, feedback]

    parts.append(_keyboard_support())
    box = w.VBox(parts, layout=w.Layout(margin="0.5em 0", max_width="56em"))
    box.add_class("empathy-quiz")
    return box


def _keyboard_support() -> w.Output:
    """A hidden Output holding KEYBOARD_JS (set as data, so building a question needs no IPython shell)."""
    out = w.Output(layout=w.Layout(display="none"))
    out.outputs = ({"output_type": "display_data", "metadata": {},
                    "data": {"application/javascript": KEYBOARD_JS, "text/plain": ""}},)
    return out


def _controls(question: Question, uid: str) -> dict:
    if question.type == "spot":
        return _spot_controls(question, uid)
    if question.type == "multiple":
        return _multiple_controls(question)
    return _single_controls(question)


def _single_controls(question: Question) -> dict:
    hint = "Choose True or False." if question.type == "truefalse" else "Choose one answer."
    radios = w.RadioButtons(options=[(o["text"], o["id"]) for o in question.options], value=None,
                            description=hint, layout=w.Layout(width="auto"),
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


def _spot_controls(question: Question, uid: str) -> dict:
    choices = [NO_CHOICE] + [(lab["text"], lab["id"]) for lab in question.labels]
    rows, menus = [], {}
    for n, item in enumerate(question.items, start=1):
        rows.append(w.HTML(f'<p class="empathy-item" id="{uid}-item{n}"><strong>Reply {n}:</strong> '
                           f"“{html.escape(item['text'])}”</p>"))
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


def _note(message: str, role: str | None = None) -> str:
    """A message box. `role` only for messages that answer something the student just did: "alert" after a
    press (announced at once), "status" for a save (announced politely); notes shown while a cell runs have
    none, so running a whole notebook does not fire a stream of announcements."""
    role_attr = f' role="{role}"' if role else ""
    return f'<div class="empathy-feedback"{role_attr}><p>{html.escape(message)}</p></div>'


def _when(stamp: str | None) -> str:
    if not stamp:
        return "earlier"
    from datetime import datetime

    try:
        return "at " + datetime.fromisoformat(stamp).astimezone().strftime("%H:%M on %d %b")
    except ValueError:
        return "earlier"
