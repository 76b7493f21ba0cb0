"""The class report on disk: report.csv (the tidy numbers), PNG plots (matplotlib, Agg) and report.html.

The page is self-contained (inline styles, no scripts) and links the PNGs beside it. Every plot has alt text
that states what it shows, and the same numbers are in a captioned table next to it.
"""
from __future__ import annotations

import csv
import html
import re
from datetime import datetime
from pathlib import Path

from .analysis import HELPFUL_MOVES
from .report_data import (ASSIGNMENT, BORDERLINE, CSV_FIELDS, NEAR_IDENTICAL, ClassData, Measure, overrides,
                          pass_mark)

BAR = "#1f5f8b"      # dark blue: 7:1 against white
LOW = "#b35900"      # dark orange for the shares under one half
DPI = 100


def write_csv(rows: list[Measure], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS)
        for row in rows:
            writer.writerow(["" if getattr(row, k) is None else getattr(row, k) for k in CSV_FIELDS])


# --- plots ----------------------------------------------------------------------------------------------------

def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)  # the Agg backend, without pyplot's global state
    return figure


def _save(figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=DPI, format="png")


def histogram(scores: list[float], maximum: float, title: str, path: Path) -> str:
    """Draw a histogram of scores in 10 equal bins from 0 to `maximum`; return its alt text."""
    import numpy as np

    counts, edges = np.histogram(scores, bins=10, range=(0, maximum or 1))
    figure = _figure(8, 3.8)
    ax = figure.add_subplot()
    ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=BAR, edgecolor="black")
    ax.set_xlim(0, maximum or 1)
    ax.set_xlabel(f"score (points out of {maximum:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    _save(figure, path)
    bins = "; ".join(f"{int(c)} scored {lo:.3g} to {hi:.3g}" for c, lo, hi in zip(counts, edges[:-1], edges[1:]) if c)
    return f"Histogram: {title}, {len(scores)} students. {bins}."


def bars(labels: list[str], values: list[float], title: str, xlabel: str, path: Path) -> str:
    """Horizontal bars of shares (0..1), in the order given (top to bottom); return alt text."""
    figure = _figure(9, max(2.8, 0.32 * len(labels) + 1.4))
    ax = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=[LOW if v < 0.5 else BAR for v in values], edgecolor="black")
    ax.set_yticks(positions, labels, fontsize=9)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    for y, v in zip(positions, values):
        ax.text(min(v, 0.9) + 0.01, y, f"{v:.0%}", va="center", fontsize=8)
    _save(figure, path)
    shown = "; ".join(f"{label} {value:.0%}" for label, value in list(zip(labels, values))[:8])
    more = f"; and {len(labels) - 8} more in the table below" if len(labels) > 8 else ""
    return f"Bar chart: {title}. {shown}{more}."


# --- the page -------------------------------------------------------------------------------------------------

def _e(text) -> str:
    return html.escape(str(text))


def _pct(value) -> str:
    return "n/a" if value is None or value == "" else f"{float(value):.0%}"


def _num(value) -> str:
    return "n/a" if value is None or value == "" else f"{float(value):.3g}"


def _table(caption: str, headers: list[str], rows: list[list], empty: str = "None.") -> str:
    if not rows:
        return f"<p><em>{_e(caption)}:</em> {_e(empty)}</p>"
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join("<tr>" + f'<th scope="row">{_e(r[0])}</th>' + "".join(f"<td>{_e(c)}</td>" for c in r[1:]) + "</tr>"
                   for r in rows)
    return f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure_html(src: str, alt: str, caption: str) -> str:
    return (f'<figure><img src="{_e(src)}" alt="{_e(alt)}" width="720">'
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "assignment"


def _pick(rows: list[Measure], section: str) -> list[Measure]:
    return [r for r in rows if r.section == section]


def _value(rows: list[Measure], **where):
    for r in rows:
        if all(getattr(r, k) == v for k, v in where.items()):
            return r.value
    return None


STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
table{border-collapse:collapse;margin:0.6rem 0 1.2rem}caption{text-align:left;font-weight:600;padding:0.3rem 0}
th,td{border:1px solid #767676;padding:0.25rem 0.6rem;text-align:left}thead th{background:#eef2f6}
td{font-variant-numeric:tabular-nums}figure{margin:0.5rem 0 1.2rem}img{max-width:100%;height:auto}
.note{border-left:4px solid #b35900;padding:0.3rem 0.8rem;background:#fff7ef}dt{font-weight:600}
"""


def page(assignment: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class report: {_e(assignment)}</title><style>{STYLE}</style></head>"
            f"<body><main><h1>Class report: {_e(assignment)}</h1>{body}</main></body></html>\n")


def render(data: ClassData, rows: list[Measure], out: Path, db_shown: str) -> None:
    """Write report.html and its PNGs into `out` (report.csv is written by the caller)."""
    parts = [f"<p>Made {datetime.now():%Y-%m-%d %H:%M} from the gradebook {_e(db_shown)} and the autograded "
             f"notebooks. {len(data.submitted)} of {len(data.students)} students in the gradebook submitted this "
             f"assignment. Every number here is also in <a href=\"report.csv\">report.csv</a>; how each is defined is "
             f'at the <a href="#definitions">end of the page</a>.</p>']
    if data.problems:
        items = "".join(f"<li>{_e(p)}</li>" for p in data.problems)
        parts.append(f'<div class="note" role="note"><p>Some files could not be used:</p><ul>{items}</ul></div>')
    parts += [_scores(data, rows, out), _criteria(rows, out), _moves(rows, out), _quiz(data, rows),
              _flags(rows), _agreement(data, rows), DEFINITIONS.format(pass_mark=pass_mark(), band=BORDERLINE,
                                                                       near=NEAR_IDENTICAL)]
    (out / "report.html").write_text(page(data.assignment, "\n".join(parts)), encoding="utf-8")


def _scores(data: ClassData, rows: list[Measure], out: Path) -> str:
    parts = ['<section aria-labelledby="scores"><h2 id="scores">Score distribution</h2>']
    groups = dict(data.notebook_scores)
    if len(groups) != 1:
        groups[ASSIGNMENT] = data.totals
    table = []
    for notebook, scores in groups.items():
        maximum = data.max_score if notebook == ASSIGNMENT else data.notebooks[notebook]
        name = f"the whole assignment {data.assignment}" if notebook == ASSIGNMENT else f"notebook {notebook}"
        got = [r for r in rows if r.section == "scores" and r.notebook == notebook]
        table.append([notebook, len(scores), f"{maximum:g}"] + [_num(_value(got, measure=m)) for m in
                                                                ("mean", "median", "min", "max")])
        if scores and maximum:
            file = f"scores_{_slug(notebook)}.png"
            alt = histogram(list(scores.values()), maximum, f"Scores on {name} (out of {maximum:g})", out / file)
            parts.append(_figure_html(file, alt, f"How many students got each score on {name}."))
    parts.append(_table("Scores per notebook (points; manual scores from the formgrader count)",
                        ["notebook", "students", "max", "mean", "median", "min", "max scored"], table))
    return "".join(parts) + "</section>"


def _criteria(rows: list[Measure], out: Path) -> str:
    parts = ['<section aria-labelledby="criteria"><h2 id="criteria">Rubric criteria: what the class masters</h2>']
    exercise_rows = _pick(rows, "exercises")
    exercises = list(dict.fromkeys(r.item for r in exercise_rows))
    parts.append(_table("Each rewrite exercise, re-graded from the reply text", ["exercise", "students", "answered",
                        "passed", "mean checker score"],
                        [[e, next(r.n for r in exercise_rows if r.item == e)] +
                         [_pct(_value(exercise_rows, item=e, measure=m)) for m in
                          ("share_answered", "share_passed", "mean_checker_score")] for e in exercises],
                        empty="This assignment has no rewrite exercises, or no notebook could be read."))
    criteria = _pick(rows, "criteria")
    if criteria:
        ordered = sorted(criteria, key=lambda r: (r.value, r.item, r.detail))
        alt = bars([f"{r.item} · {r.detail}" for r in ordered], [r.value for r in ordered],
                   "Share of students meeting each rubric criterion (lowest first)", "students meeting it",
                   out / "criteria.png")
        parts.append(_figure_html("criteria.png", alt, "Criteria met by the fewest students are at the top."))
        parts.append(_table("Share of students meeting each criterion, per exercise",
                            ["exercise", "criterion", "students", "met by"],
                            [[r.item, r.detail, r.n, _pct(r.value)] for r in criteria]))
    return "".join(parts) + "</section>"


def _moves(rows: list[Measure], out: Path) -> str:
    parts = ['<section aria-labelledby="moves"><h2 id="moves">The 16 moves across the class</h2>']
    moves = _pick(rows, "moves")
    if not moves:
        return "".join(parts) + "<p>No readable replies yet.</p></section>"
    names = list(dict.fromkeys(r.item for r in moves))
    mastery = sorted(((m, _value(moves, item=m, measure="mastery")) for m in names), key=lambda p: (p[1], p[0]))
    alt = bars([f"{m} ({'helpful' if m in HELPFUL_MOVES else 'roadblock'})" for m, _ in mastery],
               [v for _, v in mastery], "Mastery of each move (lowest first)", "students", out / "moves.png")
    parts.append(_figure_html("moves.png", alt, "Moves at the top are the ones most students miss: a helpful move "
                                                "they never make, or a roadblock they fall into."))
    parts.append(_table("Each move in the class's readable replies",
                        ["move", "kind", "share of replies making it", "students making it at least once", "mastery"],
                        [[m, "helpful" if m in HELPFUL_MOVES else "roadblock",
                          _pct(_value(moves, item=m, measure="share_of_replies")),
                          _pct(_value(moves, item=m, measure="share_of_students")), _pct(v)] for m, v in mastery]))
    return "".join(parts) + "</section>"


def _quiz(data: ClassData, rows: list[Measure]) -> str:
    parts = ['<section aria-labelledby="quiz"><h2 id="quiz">Graded quiz questions: item analysis</h2>']
    quiz = _pick(rows, "quiz")
    ids = list(dict.fromkeys(r.item for r in quiz))
    parts.append(_table("Difficulty (mean share right: higher is easier) and discrimination (item-rest correlation)",
                        ["question", "type", "students", "difficulty", "discrimination", "no answer"],
                        [[q, next(r.detail for r in quiz if r.item == q), next(r.n for r in quiz if r.item == q),
                          _pct(_value(quiz, item=q, measure="difficulty")),
                          _num(_value(quiz, item=q, measure="discrimination")),
                          _pct(_value(quiz, item=q, measure="no_answer"))] for q in ids],
                        empty="No graded questions (no quiz_keys.yaml), or no answers to analyse."))
    options = _pick(rows, "options")
    if options:
        parts.append(_table("How often each option was chosen (for spot questions: reply=label)",
                            ["question", "option", "right answer?", "chosen by"],
                            [[r.item, r.detail, "yes" if r.measure == "chose_key" else "no", _pct(r.value)]
                             for r in options]))
    return "".join(parts) + "</section>"


def _flags(rows: list[Measure]) -> str:
    flags = _pick(rows, "flags")
    same = [[r.item, r.detail, r.value] for r in flags if r.measure == "same_text"]
    template = [[r.detail, r.item, _pct(r.value)] for r in flags if r.measure == "template_reuse"]
    border = [[r.item, r.detail, _pct(r.value)] for r in flags if r.measure == "borderline_score"]
    return ('<section aria-labelledby="flags"><h2 id="flags">Replies to look at yourself</h2>'
            + _table("The same reply from several students (ignoring case and spacing)",
                     ["exercise", "students", "how many"], same)
            + _table("One student's reply reused across exercises (near-identical text)",
                     ["student", "exercises", "similarity"], template)
            + _table(f"Borderline checker scores (within {BORDERLINE:g} of the pass mark {pass_mark():g})",
                     ["exercise", "student", "checker score"], border)
            + "</section>")


def _agreement(data: ClassData, rows: list[Measure]) -> str:
    parts = ['<section aria-labelledby="agreement"><h2 id="agreement">Checker and instructor</h2>']
    found = overrides(data)
    if not found:
        return "".join(parts) + ("<p>No instructor has changed a reply's score in the formgrader yet, so there is "
                                 "nothing to compare.</p></section>")
    agreement = _pick(rows, "agreement")
    parts.append(f"<p>Overall the checker and the instructor agree on {_pct(_value(agreement, item='all'))} of the "
                 f"{len(found)} replies an instructor scored by hand.</p>")
    parts.append(_table("Each reply scored by hand", ["student", "exercise", "checker score", "checker passed",
                                                      "checker points", "instructor points", "instructor passed",
                                                      "agree"],
                        [[o.student, o.exercise.id, _pct(o.reply.result.score) if o.reply else "n/a",
                          "yes" if o.checker_passed else "no", _num(o.auto), _num(o.manual),
                          "yes" if o.instructor_passed else "no", "yes" if o.agree else "no"] for o in found]))
    parts.append(_table("Agreement per exercise", ["exercise", "replies scored by hand", "agreement",
                                                   "mean change (points)"],
                        [[r.item, r.n, _pct(r.value), _num(_value(agreement, item=r.item, measure="mean_change"))]
                         for r in agreement if r.measure == "agreement" and r.item != "all"]))
    parts.append(_table("Agreement per rubric criterion (criterion met ⇔ instructor passed the reply)",
                        ["exercise", "criterion", "replies", "agreement"],
                        [[r.item, r.detail, r.n, _pct(r.value)] for r in agreement
                         if r.measure == "criterion_agreement"]))
    return "".join(parts) + "</section>"


DEFINITIONS = """
<section aria-labelledby="definitions"><h2 id="definitions">How these numbers are defined</h2><dl>
<dt>Scores</dt><dd>The gradebook's score of each submitted notebook: the autograder's points, or the instructor's
manual score where one was given. Students without a submission are not in the distribution. Histograms use ten
equal bins from 0 to the maximum.</dd>
<dt>Criterion met by</dt><dd>Each reply is read from its cell in the autograded notebook (nothing is run) and graded
again by the checker. The share is over students whose notebook could be read; an empty reply meets no criterion.
Passed: checker score at least {pass_mark:g} and every required criterion met.</dd>
<dt>Moves</dt><dd>Only readable replies count (not empty, not code). Share of replies: replies that make the move.
Students making it: students with at least one readable reply who make it in at least one. Mastery of a helpful
move is that share; of a roadblock, one minus it (the share who never fall into it).</dd>
<dt>Difficulty</dt><dd>The mean share right over the students who submitted the notebook (no answer counts as 0),
from the saved answers file and the keys in source/.</dd>
<dt>Discrimination</dt><dd>The item-rest correlation (Pearson, also called corrected point-biserial): the
correlation between the share right on the question and the student's assignment score minus that question's
points. Near 0 or negative: the question does not separate stronger from weaker students. Not defined (n/a) with
fewer than 3 students or when everyone has the same score. Unstable in small classes.</dd>
<dt>Options</dt><dd>Share of the students who submitted the notebook who chose each option.</dd>
<dt>Same reply</dt><dd>Two or more students' replies to one exercise that are equal after lower-casing and collapsing
white space.</dd>
<dt>Template reuse</dt><dd>One student's replies to two different exercises whose normalised texts are at least
{near:.0%} similar (difflib ratio).</dd>
<dt>Borderline</dt><dd>A readable reply whose checker score is within {band:g} of the pass mark {pass_mark:g}.</dd>
<dt>Agreement</dt><dd>For each reply check cell an instructor gave a manual score: the checker passed the reply
⇔ the instructor gave at least {pass_mark:g} of its points. Per criterion: the criterion is met ⇔ the
instructor passed the reply (a criterion that often disagrees is worth tuning). Mean change: instructor's points
minus the autograder's.</dd>
</dl></section>
"""
