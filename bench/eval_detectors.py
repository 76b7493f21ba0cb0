"""Measure the move detectors against annotated corpora and the hand-labelled replies.

    .venv/bin/python bench/eval_detectors.py            # prints a summary, writes docs/checker-validity.md
    .venv/bin/python bench/eval_detectors.py --no-write # print only

Reads ../shared/eval/*.csv relative to the repo root (never committed; skipped with a message when absent)
and tests/data/labelled_replies.yaml. Unit of analysis: one therapist/supporter utterance, with the
preceding client/seeker text as context.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL_DIR = ROOT.parent / "shared" / "eval"
LABELLED = ROOT / "tests" / "data" / "labelled_replies.yaml"
DOC = ROOT / "docs" / "checker-validity.md"

from autograder import FEATURES, analyze  # noqa: E402

HELPFUL = FEATURES[:8]
STYLES = ("plain", "informal", "aae", "non_native", "lowercase_nopunct", "no_emotion_word")
# The targets the opt-in test asserts (docs/checker-validity.md explains each mapping).
TARGETS = {"annomi:open_question": 0.80, "annomi:closed_question": 0.80, "esconv:reflects_feeling": 0.45,
           "annomi:advice": 0.60}


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:  # fields contain newlines and quotes
        return list(csv.DictReader(f))


def prf(pairs) -> dict:
    """pairs of (gold, predicted) booleans -> counts and precision/recall/F1."""
    c = Counter((bool(g), bool(p)) for g, p in pairs)
    tp, fp, fn = c[(True, True)], c[(False, True)], c[(True, False)]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"n": sum(c.values()), "pos": tp + fn, "tp": tp, "fp": fp, "fn": fn, "p": p, "r": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


# Each mapping: corpus, detector, the gold test on a row, whether it is a target or only indicative.
ANNOMI_MAP = [
    ("open_question", lambda r: r["question_subtype"] == "open", "target"),
    ("closed_question", lambda r: r["question_subtype"] == "closed", "target"),
    ("advice", lambda r: r["therapist_input_subtype"] == "advice", "target"),
    ("reflects_feeling", lambda r: r["reflection_subtype"] == "complex", "indicative (complex reflections, not only feelings)"),
]
ESCONV_MAP = [
    ("reflects_feeling", lambda r: r["strategy"] == "Reflection of feelings", "target"),
    ("advice", lambda r: r["strategy"] == "Providing Suggestions", "indicative (includes suggestions as questions)"),
    ("self_focus", lambda r: r["strategy"] == "Self-disclosure", "indicative (self-disclosure is broader)"),
    ("affirms_strength", lambda r: r["strategy"] == "Affirmation and Reassurance", "recall only (class mixes praise and reassurance)"),
    ("false_reassurance", lambda r: r["strategy"] == "Affirmation and Reassurance", "recall only (class mixes praise and reassurance)"),
    ("open_question", lambda r: r["strategy"] == "Question", "indicative (Question = open or closed)"),
]


def eval_corpora(eval_dir: Path = EVAL_DIR) -> dict | None:
    annomi, esconv = eval_dir / "annomi_dev.csv", eval_dir / "esconv_dev.csv"
    if not (annomi.exists() and esconv.exists()):
        return None
    rows = [r for r in read_csv(annomi) if r["interlocutor"] == "therapist"]
    preds = [analyze(r["utterance_text"], r["prev_client_utterance_text"] or None).features for r in rows]
    results = {"sizes": {"annomi_therapist_utterances": len(rows)}}
    for feat, gold, role in ANNOMI_MAP:
        results[f"annomi:{feat}"] = {**prf((gold(r), p[feat]) for r, p in zip(rows, preds)), "role": role}
    # question unit check: any question detected vs "a question exists"
    results["annomi:any_question"] = {**prf((r["question_subtype"] in ("open", "closed"),
                                            p["open_question"] or p["closed_question"]) for r, p in zip(rows, preds)),
                                      "role": "indicative (question vs no question)"}
    rows = read_csv(esconv)
    preds = [analyze(r["supporter_utterance"], r["prev_seeker_utterance"] or None).features for r in rows]
    results["sizes"]["esconv_supporter_utterances"] = len(rows)
    for feat, gold, role in ESCONV_MAP:
        results[f"esconv:{feat}"] = {**prf((gold(r), p[feat]) for r, p in zip(rows, preds)), "role": role}
    results["esconv:any_question"] = {**prf((r["strategy"] == "Question", p["open_question"] or p["closed_question"])
                                            for r, p in zip(rows, preds)), "role": "indicative"}
    return results


def eval_labelled() -> dict:
    import yaml

    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]
    preds = [analyze(i["text"], i.get("context")).features for i in items]
    per = {f: prf((f in i["features"], p[f]) for i, p in zip(items, preds)) for f in FEATURES}
    styles = {}
    for style in STYLES:
        mine = [(i, p) for i, p in zip(items, preds) if i.get("style") == style]
        wanted = [(f, p) for i, p in mine for f in i["features"] if f in HELPFUL]
        styles[style] = {"replies": len(mine), "helpful_labels": len(wanted),
                         "detected": sum(p[f] for f, p in wanted) / len(wanted) if wanted else 0.0,
                         "exact": sum(set(i["features"]) == {f for f in FEATURES if p[f]} for i, p in mine) / len(mine),
                         "false_harmful": sum(p[f] for i, p in mine for f in FEATURES[8:] if f not in i["features"])}
    return {"n": len(items), "per_feature": per, "macro_f1": sum(v["f1"] for v in per.values()) / len(per),
            "styles": styles}


def render(corpora: dict | None, labelled: dict) -> str:
    out = ["# Checker validity: how often the move detectors agree with human annotators", "",
           "Generated by `bench/eval_detectors.py`; rerun it after changing `autograder/detectors.py` or a lexicon.",
           "", "## Method", "",
           "- Unit: one therapist (AnnoMI) or supporter (ESConv) utterance, analysed as a reply with the previous "
           "client/seeker utterance as context. AnnoMI client utterances are excluded.",
           "- AnnoMI questions: every therapist utterance carries a question annotation; `question_subtype` is "
           "`open`, `closed`, or `n/a` when the annotator found no question (`question_exists == False`). "
           "Those `n/a` utterances are kept as negatives for both question detectors (they are labelled "
           "'no question', not unlabelled). An utterance holding both an open and a closed question has one "
           "gold subtype, so firing both detectors costs one false positive; we accept that rather than "
           "pick one by a rule tuned to the corpus.",
           "- AnnoMI advice: `therapist_input_subtype == advice` (others, including information, negotiation and "
           "options, are negatives).",
           "- ESConv: `strategy` of the supporter turn. `Reflection of feelings` for reflects_feeling; "
           "`Restatement or Paraphrasing` counts as a negative (a near miss). `Providing Suggestions` for advice "
           "is indicative only: it includes suggestions phrased as questions and general information.",
           "- `Affirmation and Reassurance` mixes praise with 'it will be fine', so only recall of "
           "affirms_strength/false_reassurance on it is meaningful.",
           "- The corpora are a development split; the judged split is held out. Nothing from them is committed.",
           "- Hand-labelled set: `tests/data/labelled_replies.yaml`, written and labelled before tuning "
           "(conventions in its header: institutional requirements are information, not advice; suggestion "
           "questions are advice, not closed questions; blaming why-questions are judgment, not open "
           "questions; telling a client not to feel something is minimizing).", ""]
    if corpora is None:
        out += ["## Annotated corpora", "", "Skipped: `../shared/eval/` was not found.", ""]
    else:
        s = corpora["sizes"]
        out += ["## Annotated corpora (development split)", "",
                f"AnnoMI therapist utterances: {s['annomi_therapist_utterances']}; "
                f"ESConv supporter utterances: {s['esconv_supporter_utterances']}.", "",
                "| corpus:detector | gold label | role | gold + | P | R | F1 | target |",
                "|---|---|---|---:|---:|---:|---:|---:|"]
        labels = {f"annomi:{f}": "" for f, _, _ in ANNOMI_MAP}
        gold_names = {"annomi:open_question": "question_subtype=open", "annomi:closed_question": "question_subtype=closed",
                      "annomi:advice": "therapist_input_subtype=advice", "annomi:reflects_feeling": "reflection_subtype=complex",
                      "annomi:any_question": "question_subtype in open/closed",
                      "esconv:reflects_feeling": "Reflection of feelings", "esconv:advice": "Providing Suggestions",
                      "esconv:self_focus": "Self-disclosure", "esconv:affirms_strength": "Affirmation and Reassurance",
                      "esconv:false_reassurance": "Affirmation and Reassurance", "esconv:open_question": "Question",
                      "esconv:any_question": "Question"}
        del labels
        for key, v in corpora.items():
            if key == "sizes":
                continue
            target = f"≥ {TARGETS[key]:.2f}" if key in TARGETS else ""
            out.append(f"| {key} | {gold_names.get(key, '')} | {v['role']} | {v['pos']} | {v['p']:.2f} | "
                       f"{v['r']:.2f} | {v['f1']:.2f} | {target} |")
        out.append("")
    out += ["## Why the corpus numbers are below the targets", "",
            "- AnnoMI codes question type by intent: many rising-intonation statements ('You've been stuck?') "
            "are coded as reflections, others identical in form as closed questions, and scaling or "
            "'how much/how often' questions as open. The checker follows the course definition (closed = yes/no "
            "or single fact), so these disagreements are by design rather than noise we can tune away.",
            "- ESConv's `Reflection of feelings` overlaps heavily with `Restatement`, `Question` and `Affirmation`: "
            "many supporter turns that name the seeker's feeling carry another label, and many labelled ones name "
            "no feeling. Published RoBERTa reaches only ≈ 0.27 F1 on this class.",
            "- AnnoMI `advice` has 67 positives in the dev split, many of them long turns where the advice is "
            "implicit ('one good option would be…', 'having anything in your hand is a good barrier').",
            "- Rules were fixed only where the error was a principled language fact (disfluent 'wh-what', "
            "embedded 'what you might want to do', reported 'told you that you have to'), never to memorise "
            "corpus phrases.", ""]
    out += ["## Hand-labelled social-work replies", "",
            f"{labelled['n']} replies. Macro-F1 over the 16 moves: **{labelled['macro_f1']:.3f}**. "
            "This is in-sample: the set was written and labelled before the detectors, but the detectors were "
            "then corrected on it. The first run, before any correction, gave macro-F1 0.986 with 13 of 351 "
            "replies wrong; both figures come from the checker's own author, so expect lower on text written "
            "by others.", "",
            "| move | gold + | P | R | F1 |", "|---|---:|---:|---:|---:|"]
    for f, v in labelled["per_feature"].items():
        out.append(f"| {f} | {v['pos']} | {v['p']:.2f} | {v['r']:.2f} | {v['f1']:.2f} |")
    out += ["", "## Fairness across writing styles", "",
            "The same ten good-reply ideas written in six styles. *Detected* = share of the labelled helpful "
            "moves found; *exact* = replies whose detected set equals the labels; *false harmful* = harmful "
            "moves wrongly flagged.", "",
            "| style | replies | helpful labels | detected | exact | false harmful |", "|---|---:|---:|---:|---:|---:|"]
    for style, v in labelled["styles"].items():
        out.append(f"| {style} | {v['replies']} | {v['helpful_labels']} | {v['detected']:.2f} | {v['exact']:.2f} | "
                   f"{v['false_harmful']} |")
    out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="print only; do not write docs/checker-validity.md")
    args = ap.parse_args(argv)
    corpora = eval_corpora()
    if corpora is None:
        print(f"annotated corpora not found in {EVAL_DIR}: skipping them")
    labelled = eval_labelled()
    text = render(corpora, labelled)
    print(text)
    if not args.no_write:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
