"""Can the rubric be gamed? Every exercise is attacked with the same kinds of non-answers (the original poor reply,
an echo of the client, stock templates, keyword lists, an empathic reply about someone else, an empathic opening
followed by a harmful move, bad input); the share that fails to pass is reported (target ≥ 95%), beside the
share of model answers that pass with a score ≥ 0.9 (target: all). Writes docs/checker-gaming.md.

    python bench/eval_gaming.py
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import exercise_bank, grade  # noqa: E402
from autograder.model_answers import model_answers  # noqa: E402

TEMPLATES = [
    "It sounds like you are feeling really overwhelmed right now. That makes sense. What would help most?",
    "I hear how hard this is for you. Your feelings are valid. Can you tell me more about what is going on?",
    "That sounds so difficult, and it makes sense you feel this way. What has this been like for you?",
    "It sounds like you're going through a lot. Anyone would feel the same. How are you coping with all of it?",
]
KEYWORDS = ["empathy validation reflection open question feelings strengths",
            "reflect feeling validate open-ended question collaborate choice empower"]
HARMFUL_TAILS = [
    " But honestly, you brought this on yourself.",
    " At least it could be worse, so try not to dwell on it.",
    " You need to call a lawyer today and stop waiting.",
    " Don't worry, I promise everything will work out fine.",
    " When the same thing happened to me, I just got over it.",
    " Addicts like you have to hit bottom first.",
]
BAD_INPUT = ["", "Write your reply here, replacing this line.", "🙏😢💔🙏", "print('I understand')\nx = 1",
             "Entiendo que estás muy preocupada por tu casa. ¿Qué es lo que más te preocupa?"]


def attacks(exercise, models: dict[str, str], others: list[str]) -> list[tuple[str, str]]:
    """(kind, text) for one exercise."""
    model = models[exercise.id]
    found = []
    if exercise.original_response:
        found.append(("original reply", exercise.original_response))
        found.append(("original with an empathic opening",
                      "I hear you, that sounds hard. " + exercise.original_response))
    found.append(("echo of the client", exercise.client_statement))
    found += [("stock template", t) for t in TEMPLATES]
    found += [("keyword list", k) for k in KEYWORDS]
    found += [("empathic reply about someone else", o) for o in others]
    found += [("empathic opening, then a harmful move", model + tail) for tail in HARMFUL_TAILS]
    found += [("bad input", b) for b in BAD_INPUT]
    found.append(("model answer repeated", (model + " ") * 20))
    return found


def measure() -> dict:
    models = model_answers(REPO / "source")
    exercises = sorted(exercise_bank.all_exercises().values(), key=lambda e: e.id)
    passed, total = Counter(), Counter()
    for n, exercise in enumerate(exercises):
        # model answers of two exercises from another setting: empathic, but about someone else
        others = [models[e.id] for e in exercises[n + 1:] + exercises[:n] if e.setting != exercise.setting][:2]
        for kind, text in attacks(exercise, models, others):
            total[kind] += 1
            passed[kind] += grade(exercise, text).passed
    model_results = [grade(e, models[e.id]) for e in exercises]
    return {"total": total, "passed": passed, "exercises": len(exercises),
            "models_ok": sum(r.passed and r.score >= 0.9 for r in model_results),
            "model_min": min(r.score for r in model_results)}


def main() -> int:
    result = measure()
    total, passed = result["total"], result["passed"]
    failed_share = 1 - sum(passed.values()) / sum(total.values())
    lines = ["# Gaming the checker", "",
             f"Every one of the {result['exercises']} rewrite exercises attacked with the same non-answers; generated "
             "by `python bench/eval_gaming.py`.", "",
             f"**{failed_share:.1%} of {sum(total.values())} gaming attempts fail** (target ≥ 95%). "
             f"Model answers passing with a score ≥ 0.9: **{result['models_ok']} of {result['exercises']}** "
             f"(lowest score {result['model_min']:.2f}).", "",
             "| attempt | tried | passed (should be 0) |", "|---|---:|---:|"]
    lines += [f"| {kind} | {total[kind]} | {passed[kind]} |" for kind in total]
    (REPO / "docs" / "checker-gaming.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if failed_share >= 0.95 and result["models_ok"] == result["exercises"] else 1


if __name__ == "__main__":
    sys.exit(main())
