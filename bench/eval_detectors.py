"""Measure the move detectors against annotated corpora and the hand-labelled replies.

    .venv/bin/python bench/eval_detectors.py            # prints a summary, writes docs/checker-validity.md
    .venv/bin/python bench/eval_detectors.py --no-write # print only

Reads ../shared/eval/*.csv relative to the repo root (never committed; skipped with a message when absent)
and tests/data/labelled_replies.yaml. Unit of analysis: one therapist/supporter utterance, with the
preceding client/seeker text as context.

Honest generalisation estimate: the development split is cut in two by transcript (AnnoMI) or conversation
(ESConv) id, with a fixed hash (`half_of`). Rules were developed looking only at half A; half B was read only
as numbers, to estimate how the rules do on text nobody tuned them on. The judged split is held out entirely.
"""
from __future__ import annotations

import argparse
import csv
import sys
import zlib
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


def half_of(group_id: str) -> str:
    """'A' (developed on) or 'B' (held out from development) for a transcript / conversation id."""
    return "AB"[zlib.crc32(group_id.encode("utf-8")) % 2]


def _score(rows, preds, mapping, prefix, extra) -> dict:
    out = {}
    for feat, gold, role in mapping:
        out[f"{prefix}:{feat}"] = {**prf((gold(r), p[feat]) for r, p in zip(rows, preds)), "role": role}
    out[f"{prefix}:any_question"] = {**prf((extra(r), p["open_question"] or p["closed_question"])
                                           for r, p in zip(rows, preds)), "role": "indicative"}
    return out


def eval_corpora(eval_dir: Path = EVAL_DIR) -> dict | None:
    """Scores on the whole development split (top-level keys) and on its halves (`halves` -> A / B)."""
    annomi, esconv = eval_dir / "annomi_dev.csv", eval_dir / "esconv_dev.csv"
    if not (annomi.exists() and esconv.exists()):
        return None
    a_rows = [r for r in read_csv(annomi) if r["interlocutor"] == "therapist"]
    a_preds = [analyze(r["utterance_text"], r["prev_client_utterance_text"] or None).features for r in a_rows]
    e_rows = read_csv(esconv)
    e_preds = [analyze(r["supporter_utterance"], r["prev_seeker_utterance"] or None).features for r in e_rows]
    a_q = lambda r: r["question_subtype"] in ("open", "closed")  # noqa: E731
    e_q = lambda r: r["strategy"] == "Question"  # noqa: E731

    def scores(keep_a, keep_e) -> dict:
        ar = [(r, p) for r, p in zip(a_rows, a_preds) if keep_a(r)]
        er = [(r, p) for r, p in zip(e_rows, e_preds) if keep_e(r)]
        out = {"sizes": {"annomi_therapist_utterances": len(ar), "esconv_supporter_utterances": len(er),
                         "annomi_transcripts": len({r["transcript_id"] for r, _ in ar}),
                         "esconv_conversations": len({r["conv_id"] for r, _ in er})}}
        out.update(_score([r for r, _ in ar], [p for _, p in ar], ANNOMI_MAP, "annomi", a_q))
        out.update(_score([r for r, _ in er], [p for _, p in er], ESCONV_MAP, "esconv", e_q))
        return out

    results = scores(lambda r: True, lambda r: True)
    results["halves"] = {h: scores(lambda r, h=h: half_of(r["transcript_id"]) == h,
                                   lambda r, h=h: half_of(r["conv_id"]) == h) for h in "AB"}
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


GOLD_NAMES = {"annomi:open_question": "question_subtype=open", "annomi:closed_question": "question_subtype=closed",
              "annomi:advice": "therapist_input_subtype=advice", "annomi:reflects_feeling": "reflection_subtype=complex",
              "annomi:any_question": "question_subtype in open/closed",
              "esconv:reflects_feeling": "Reflection of feelings", "esconv:advice": "Providing Suggestions",
              "esconv:self_focus": "Self-disclosure", "esconv:affirms_strength": "Affirmation and Reassurance",
              "esconv:false_reassurance": "Affirmation and Reassurance", "esconv:open_question": "Question",
              "esconv:any_question": "Question"}
# Before this revision (same code as the colleague's first version), for the record.
BASELINE = {"annomi:open_question": (0.82, 0.75, 0.78), "annomi:closed_question": (0.65, 0.59, 0.62),
            "esconv:reflects_feeling": (0.29, 0.34, 0.32), "annomi:advice": (0.26, 0.43, 0.36)}


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
           "- **Generalisation estimate.** The development split is cut in two halves by transcript (AnnoMI) or "
           "conversation (ESConv) id (`half_of`: CRC-32 of the id, even = A, odd = B), so no transcript or "
           "conversation is in both. The rules were developed by reading errors on half A only; half B was "
           "looked at only as numbers and is the honest estimate of performance on unseen text. The judged "
           "split is held out entirely. Nothing from the corpora is committed.",
           "- Hand-labelled set: `tests/data/labelled_replies.yaml`, written and labelled before tuning "
           "(conventions in its header: institutional requirements are information, not advice; suggestion "
           "questions are advice, not closed questions; blaming why-questions are judgment, not open "
           "questions; telling a client not to feel something is minimizing).", ""]
    out += ["## Decisions on what counts (and why)", "",
            "- **Reflection of feeling is a construction, not a word list.** A reflective frame (`it sounds like`, "
            "`it seems`, `you seem/sound/look`, `I can see/hear/tell/sense/feel`, `I get the sense`) followed by a "
            "predicate about the client's inner state, or the client as subject of a feeling predicate "
            "(`you feel <anything>`, `you miss…`, `…matters to you`, `you must be <state>`), whatever words name "
            "the state. Inside a frame an emotion word is the client's unless someone else is named "
            "(`…like your son is scared` is not). Asking about a feeling, wishing one (`I hope you feel better`), "
            "condolence formulas (`I'm sorry you feel that way`), a conditional or generic `you` (`when you feel "
            "low, call a friend`) and a future/modal one (`you will be happy`) are not reflections.",
            "- **Closed questions** are auxiliary/modal-initial interrogatives, single-fact wh-questions "
            "(`when/who/which/how long/how many/what time`, `where` only when it asks for a place), tag questions "
            "and declaratives said with a question mark that ask for confirmation (`So the hearing is on "
            "Monday?`). A declarative with a question mark that reflects the client's inner state or view "
            "(`So you feel like you're doing this alone?`, `sounds like you want to stop?`) is a reflection with "
            "a rising tone, not a question; `Yeah?`, `Uh-huh?` are continuers. On half A, AnnoMI coded such "
            "reflective declaratives as no question or open far more often than closed, while other "
            "declaratives were coded closed about half the time, so those stay closed.",
            "- **Open questions**: `how much`, `how often` and scaling questions (`on a scale of 0 to 10, how "
            "confident…`, `what number…`) ask about degree and pattern and are open, as motivational-interviewing "
            "coding treats them (AnnoMI is itself split on them); a fronted subordinate clause (`When you think "
            "about it, what…?`) is skipped to find the real question word; a wh-word at the end (`…would be "
            "what?`) asks openly; `I wonder/I'm curious what…`, `do you have any sense/idea of what…`, `when was a "
            "time…` and invitations (`tell me more`, `say more`, `help me understand`) are open.",
            "- **Advice** is telling the client what to do about their own life: imperatives (except invitations to "
            "talk), `you should/need to/have to` (except institutional requirements, relative clauses such as "
            "`the exam that you have to take`, and reported `they said you have to`), `you could/might (want to) "
            "try/call…`, `you can try`, `I'd suggest`, `why don't you`, `have you tried/thought about` (not `what "
            "have you tried?`), `it might help to`, and an activity recommended by its effect (`writing it down "
            "can help`). `You can call our front desk` tells the client that an option exists: information.",
            "- **Reported speech** is not the worker's move: minimizing, judgment and false reassurance inside "
            "what someone else says (`everyone keeps telling you to move on`, `your sister said it could be "
            "worse`) are not flagged.",
            "- **Text shape**: a single line break inside a paragraph is a hard wrap (a space); a blank line or a "
            "list bullet ends a sentence.",
            "- **Validation is an evaluation, not a phrase** (blind review). The client's load or reaction "
            "judged heavy, fair or common, whatever the words: a demonstrative or the situation as subject of a "
            "difficulty predicate (`that's a lot (to carry)`, `that's heavy`, `this week has been a lot`, `being "
            "judged for your accent is not fair`, `the wait sounds rough`), an evaluative noun phrase (`a hard "
            "place to be`, `a big price to pay`, `a double loss`, `a fair worry`, `you're in a real bind`), the "
            "situation affecting anyone (`that would wear anyone down`, `hard for any parent`), normalising (`a lot "
            "of parents describe that same pull`, `a really common part of grief`, `that's really common`), the "
            "reaction as not wrong (`it's not weird`, `I don't think you're stupid`, `you're not being dramatic`), "
            "and `I'd be worried too`. `That sounds hard` stays validation; a copula with a feeling word about "
            "the situation (`that's discouraging`, `it's worrying when…`, `that hurts`, `it can feel so unfair`, "
            "`that would leave anyone feeling cheated`) reflects the feeling. (Second review, more voices:) "
            "`you're human`, `those what-ifs are so common after a loss`, `there's no right way to grieve`, "
            "`anger and relief make total sense`, any verb after `anybody would` (`anybody would snap`), `that's a "
            "lot of pressure`, a feeling as subject of `normal` (`nervous is normal`, `is normal for mother to "
            "worry`), `course you upset`, `that ain't right`, `I would be losing my mind`, `it's all on you now`, "
            "`you should've been told`. A feeling named as a noun (`that's a really understandable fear`, `that is "
            "so much pain`) and a gerund or any subject with a modal (`hearing that can be terrifying`, `asking felt "
            "awful`) reflect the feeling.",
            "- **Strengths**: the client as agent of effortful, caring or brave action (`you're doing everything "
            "you can`, `you stepped up`, `you've taken on so much`, `you did right to come`, `that took "
            "persistence`, `it came from your own effort`, `that says a lot about you as a parent`, `shows how "
            "much you care`), in any verb form and grammar (second review): persistence (`you're still going`, `you "
            "keep trying`, `that's serious persistence`, `that took a lot`), completion (`you finished every item`, "
            "`you got your GED while you was locked up`, `you still got yourself in here`, `you did it anyway`), "
            "being there (`you were with her through all of it`), knowing one's own child (`you know your son`), "
            "and thanks for the client's honesty (`I appreciate you being honest`); plain `thank you for telling me` "
            "is courtesy, not affirmation.",
            "- **Self-focus** is any first-person anecdote: a relation of the worker's in a past event (`my "
            "brother overdosed twice`), `mine` standing for the worker's own, `when we had… in our first "
            "apartment`, `I'm a single parent too`, `I was nervous before my test too`, `for me it took years`, "
            "`I know exactly what that's like`, and in an informal voice (second review) `I have three papers due "
            "myself`, `my brother's in the Marines so I know how that goes`, `so I totally get it`, `I remember my "
            "first day`, `that's my worst nightmare`, `I'm like that too`.",
            "- **Judgment** includes blame by choice or character (`you made your choices`, `irresponsible of "
            "you`, `that's just reckless`, `you're not taking this seriously`) and rhetorical reproaches (`how do "
            "you not know…?`, `how many times before you learn?`); a denied criticism (`I don't think you're "
            "stupid`) is validation. What someone else thinks (`your brother thinks you should have…`) is "
            "reported, not the worker's judgment or advice. Second review: `that's on you` (but `it's all on you "
            "now` is the load, validation), `you should've thought about that` (but `you should have had an "
            "interpreter` says what the client was owed), blame by presumption (`you probably missed your recert`), "
            "warnings (`you could get in serious trouble`), the client called by a label (`you're probably an "
            "enabler`), and `you can't hardly take care of the ones you got`.",
            "- **Minimizing** (second review) also covers `no biggie`, `you're overthinking it`, `nobody cares`, "
            "`don't say/think that`, `you have so much to live for`, `in a better place`, `everything happen for "
            "a reason`, `you'll feel better with time`, `it's only 30 more days`, `that happens a lot`, `it's very "
            "manageable`, `I doubt she hates you`, and `it's nothing to worry about` (which tells the client the "
            "worry is unwarranted; it was false reassurance before). A denied `overreact` is validation.",
            "- **False reassurance** is any promise of an outcome the worker cannot control (`it'll get better`, "
            "`they'll stop`, `you'll get them back`, `they're totally gonna hire you`, `I'll make sure nothing "
            "happens`); a promise about the worker's own action (`I promise I'll call you by 3`) is not, and a "
            "hedged one (`maybe he'll come around`) is not a promise. Second review: any predicate of a good "
            "outcome (`things will be much better now`, `your baby is going to be perfectly healthy`, `it will "
            "work`, `I'm sure it won't happen`, `somebody there will do it`); `probably` does not hedge a promise "
            "made to comfort (`don't worry, they'll probably let him go`).",
            "- **Honest limits** (second review) also: `I won't pretend`, `I can't undo that`, `I may have to act`, "
            "`what you tell me stays here, with one exception`, `I won't tell you it'll all work out`, `I can't "
            "say`.",
            "- **Jargon** spans benefits, health, mental health, child welfare, courts, immigration and schools "
            "(lexicons/jargon.yaml); a term explained in plain words right beside it (`an IEP (the school's "
            "written plan)`, `an IEP meeting - that's where…`, `…extra help (an IEP)`) is not jargon, and neither "
            "is the client's own word echoed back (`ADHD` after `my kid has ADHD`).",
            "- **Offers choice** is the decision as the client's or a preference about the client's own action "
            "(`what would work best for you`, `you decide`, `whatever feels right`, a list of options); `what "
            "would you like the judge to know` asks for content, not a choice. Second review: an either-or question "
            "(`would bus passes help, or is it more the time?`), `where do you want to start`, `what feels okay "
            "to talk about`, an offer of help as a question (`want me to…?`, `do you want help filing?`), "
            "`it's yours to make`, `whatever's easiest for you`, `it's your home`; `which of these worries you "
            "most?` asks the client to weigh their own troubles (open question, not a choice).",
            "- **Question form** (second review): a verbless echo said with surprise (`Again?`, `Oof, a whole "
            "week?`, `three at once?`) is not a question; the last sentence left without punctuation is read like "
            "a reply written without any (`…so frustrating. do u have the letter`), unless broken off with a dash; "
            "`what's it like…` opens a question; `have you tried` is advice only as a question's opening (`what "
            "areas have you tried?` is open). Hesitations are dropped before any rule (`tell me, um, more`, `that "
            "sounds, like, really lonely`).",
            "- **Speed**: each wording pattern carries the words any match must contain (read from the parsed "
            "regex); a sentence is tried only on patterns whose words it holds, and each clause only on the "
            "question kinds (invitation, reproach, suggestion...) whose words it holds. Tests check this never "
            "hides a match. Those words are read once per lexicon text and kept in `lexicons/anchors.json` (rewrite it "
            "with `python -m autograder.detectors` after editing a lexicon; a test fails while it is stale, and a "
            "stale file is ignored, not trusted); each regex is compiled the first time a reply needs it.", ""]
    if corpora is None:
        out += ["## Annotated corpora", "", "Skipped: `../shared/eval/` was not found.", ""]
    else:
        s, ha, hb = corpora["sizes"], corpora["halves"]["A"]["sizes"], corpora["halves"]["B"]["sizes"]
        out += ["## Annotated corpora (development split, and its two halves)", "",
                f"AnnoMI therapist utterances: {s['annomi_therapist_utterances']} "
                f"(half A {ha['annomi_therapist_utterances']} in {ha['annomi_transcripts']} transcripts, "
                f"half B {hb['annomi_therapist_utterances']} in {hb['annomi_transcripts']}); "
                f"ESConv supporter utterances: {s['esconv_supporter_utterances']} "
                f"(half A {ha['esconv_supporter_utterances']} in {ha['esconv_conversations']} conversations, "
                f"half B {hb['esconv_supporter_utterances']} in {hb['esconv_conversations']}).", "",
                "| corpus:detector | gold label | role | gold + (dev) | P | R | F1 dev | F1 half A (developed on) "
                "| F1 half B (held out) | target |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for key, v in corpora.items():
            if key in ("sizes", "halves"):
                continue
            a, b = corpora["halves"]["A"][key], corpora["halves"]["B"][key]
            target = f"≥ {TARGETS[key]:.2f}" if key in TARGETS else ""
            out.append(f"| {key} | {GOLD_NAMES.get(key, '')} | {v['role']} | {v['pos']} | {v['p']:.2f} | "
                       f"{v['r']:.2f} | **{v['f1']:.2f}** | {a['f1']:.2f} | {b['f1']:.2f} | {target} |")
        out += ["", "Before this revision (F1 half A / half B / dev): " + "; ".join(
            f"{k} {a:.2f} / {b:.2f} / {d:.2f}" for k, (a, b, d) in BASELINE.items()) + ".", ""]
    out += ["## Why the corpus numbers are below the targets", "",
            "- AnnoMI codes question type by intent, and the same form gets different codes: on half A, "
            "declaratives with a question mark split roughly evenly between closed and 'no question', `Yeah?` "
            "is coded closed about as often as not, scaling questions are coded open and closed about equally, "
            "and aux-initial requests (`Do you have a plan…?`, `Has there been a time…?`) are often coded open. "
            "Many utterances hold both an open and a closed question but carry one gold subtype. A form-based "
            "checker that follows the course definition (closed = yes/no or one fact) cannot reach 0.80 on "
            "closed questions against these labels without memorising the corpus; the half-B figure is the "
            "honest one.",
            "- ESConv's `Reflection of feelings` overlaps heavily with `Restatement`, `Question` and "
            "`Affirmation`: on half A, turns such as 'So you're feeling anxious about it' are as often "
            "`Restatement`, 'I can feel how anxious you are' is `Affirmation`, and many labelled turns name no "
            "feeling at all ('I totally understand', 'That's terrible'). Published RoBERTa reaches only ≈ 0.27 "
            "F1 on this class; the rules now beat that, but 0.45 would need the corpus's idiosyncrasies.",
            "- AnnoMI `advice` has 67 positives in the whole dev split (32 in half A), most of them implicit or "
            "fragments of a longer turn ('Apples for breakfast.', 'Probably a little bit sooner would be good'); "
            "the per-half F1 swings by ±0.1 on a handful of utterances.",
            "- Rules were fixed only where the error was a principled language fact (hard line wraps, fronted "
            "subordinate clauses, self-repairs like 'what's-how', continuers, reflective declaratives, "
            "invitations to talk, reported speech, conditional 'you'), never to memorise corpus phrases.",
            "- Would training on the corpora close the gap? `bench/corpus_ceiling.py` trains a model of the learned "
            "layer's kind on one half and scores it on the other (docs/checker-ceiling.md). It does not beat the "
            "rules on open or closed questions or advice, and on ESConv reflection of feelings its best F1, with "
            "the threshold picked on the answers, is 0.34-0.38: below every target it misses. So the learned layer "
            "is trained on the course's own labelled replies only, and these four targets stay unmet.", ""]
    out += ["## Replies written blind by another author", "",
            "An independent author wrote and labelled social-work replies to these definitions without seeing "
            "the rules. Before this review the checker scored macro-F1 0.73 on them (recall was the problem: "
            "validates R 0.35, affirms_strength 0.27, self_focus 0.29), and only 48% of the good replies passed "
            "the default rubric (12% in the no-emotion-word style). The rules were then rewritten as "
            "constructions (above) by reading errors on the development half only; its items are not in this "
            "repository and the other half is held out. On the development half after the review: macro-F1 "
            "0.97 (every move ≥ 0.88), good replies passing the default rubric 91% (no-emotion-word 80%, plain "
            "87%, informal, AAE, non-native and lowercase 100%). Those are in-sample figures for the rules; the "
            "held-out half is the honest estimate. The new cases in `tests/data/labelled_replies.yaml` (the "
            "'blind review' block) are our own wording for each construction, not copies.", "",
            "A second blind author (more varied voices: texting, regional, AAE, non-native, students' clumsy "
            "attempts) then wrote another set, also split by a hash. On the held-out halves of both sets the "
            "checker scored macro-F1 0.755 and passed 77% of good replies (AAE 73%, no-emotion-word 66%, "
            "non-native 67%). The second review read the errors of both development halves only, grouped them "
            "into constructions (listed above) and added our own wording of each to the labelled set. On the "
            "development halves, before → after: set 1 macro-F1 0.966 → 0.970, good replies passing 91% → 91%; "
            "set 2 macro-F1 0.706 → 0.955, good replies passing 82% → 100% (AAE 71% → 100%, non-native 56% → "
            "100%). These are in-sample; the held-out halves are the honest estimate. Some set-2 labels were left "
            "unmatched on purpose where they contradict the conventions above or set 1 (e.g. `how much is left?` "
            "coded closed, `that's exhausting` coded validation only, `you're not a burden` coded minimizing "
            "only).", "",
            "**Third review: four more blind annotators and a learned layer.** Four more annotators (a skills-lab "
            "teacher writing as her students do, a hospital and hospice worker, a child-welfare and school worker, "
            "a crisis-line supervisor) each wrote about 300 labelled replies blind to the checker (sets 4-7). "
            "Measured once as they arrived, with the rules alone: macro-F1 0.781, 0.732, 0.755 and 0.734, and only "
            "61%, 59%, 61% and 50% of their good replies passed the default rubric (no-emotion-word replies 14-38%). "
            "The rules had been fitted to the wording of the writers they were tuned on. Two changes followed. "
            "(1) Rules: a feeling word about the situation after any subject (`failing when you try is so "
            "frustrating`), a verbless exclamation (`So frustrating.`, `How scary.`), and `stings`/`hits "
            "different` with any subject. (2) A learned layer (`autograder/learned.py`, trained by `python -m "
            "autograder.train`): per move except the two question moves, a logistic regression on the reply's "
            "words and word pairs plus the rule verdicts, trained on the hand-labelled set (weighted 5× for "
            "harmful moves, where it holds the negation and neutral-use cases), the development halves of sets 1 "
            "and 2, and sets 4-7. It only adds moves (a rule verdict is never removed), adds no harmful move from "
            "a sentence in which the worker negates their own act (`I can't promise…`), and reports the sentence "
            "that weighs most as evidence. Trained without sets 6 and 7, it scored macro-F1 0.813 on them (good "
            "replies passing 82%); trained without 4 and 5, 0.823 on them (82%): estimates for writers it has not "
            "seen. With everything, on the held-out replies (never read): macro-F1 0.776 → 0.830, good replies "
            "passing 75% → 90%, every style between 85% and 92%. Weights are plain JSON (0.6 MB), read without "
            "numpy; the speed and memory budgets still hold (docs/performance.md).", "",
            "**Fourth pass: do more rules help writers they were not read from?** The weakest held-out moves were "
            "judgment, affirms_strength and false_reassurance. Training without set 7 and reading set 7's errors "
            "gave rules for a judgment whose subject is the client's act (`skipping is just lazy`, `lying to "
            "your officer was not smart`), blame by outcome (`you blew it for yourself`), achievements "
            "(`that's you putting in the work`, `no small feat`, `quick thinking`), predictions (`before you "
            "know it`, `nobody will remember`), siding with the client against how they were treated (`what "
            "your landlord did to you was wrong`, which is not a judgment of the client) and two false "
            "judgments the old rules made (`like that is unacceptable`, `to you was selfish`). On set 7, "
            "leave-one-out macro-F1 went 0.809 → 0.855, but that is in-sample. On the other writers, trained "
            "without each in turn, it stayed level: set 4 0.838 → 0.835, set 5 0.832 → 0.826, set 6 0.835 → "
            "0.835. On the held-out replies: macro-F1 0.830 → 0.829 (judgment 0.58 → 0.63, affirms_strength "
            "0.70 → 0.66, false_reassurance 0.79 → 0.77; each a reply or two). The rules stay, because they fix "
            "real misses a student would meet, but more rules of this kind do not raise the held-out numbers. "
            "The next gain needs new labelled writers, not more patterns from the ones already read.", "",
            "**Two more blind annotators, held out.** After that pass, a school and youth social worker and an MSW "
            "field instructor whose students write English as a second language each wrote about 250 labelled "
            "replies blind to the checker (sets 8 and 9, 498 replies). Measured once as they arrived and kept held "
            "out (the trainer never reads them; a test checks): macro-F1 0.773, good replies passing the default "
            "rubric 88% (each style 79-95%). The weakest moves on them are judgment (F1 0.51, recall 0.39), "
            "affirms_strength (0.55), minimizing (0.58, recall 0.46) and reflects_feeling (0.69: precision 0.58, "
            "partly a convention, since one of them labels `it makes sense you'd be scared` as validation only). "
            "Over all 1,286 held-out replies: macro-F1 0.812, good replies passing 89% "
            "(docs/checker-independent.md).", "",
            "**Fifth pass: two more writers as training data.** To test that last claim, two more annotators (a "
            "veterans' and aging-services worker in the rural South who trains volunteers, and a housing and "
            "harm-reduction outreach worker who supervises multilingual case aides) wrote 500 labelled replies "
            "blind to the checker (sets 10 and 11). Measured once on arrival: macro-F1 0.757 and 0.794 (0.780 "
            "together), good replies passing 89% (each style 83-96%); weakest judgment 0.49 (recall 0.39), "
            "affirms_strength 0.63, false_reassurance 0.67, minimizing 0.69. They then became development data: "
            "the learned layer trains on them (the hand-labelled set now weighted 2x for helpful moves too, so its "
            "conventions hold), and their errors gave rules for being told not to feel something with a modal "
            "(`you don't need to be ashamed`, which no longer counts as a reflection), `a good mother don't`, "
            "`no business`, `no excuse`, `blessing in disguise`, `not that deep`, `quit beating yourself up`, "
            "`who cares` (a dismissal, not a question), a feared act denied of someone else (`he won't find you`, "
            "`nobody is taking your kids`) and `totally safe`. The learned layer may no longer add a reflection "
            "from a sentence whose frame is about someone else (`it sounds like your son is scared`). Then the good "
            "replies of sets 10-11 that failed the default rubric (21 of 176) were read: most were flagged as "
            "advice or minimizing by a rule, the error that hurts a student most. Fixed as constructions: `you "
            "must be dead on your feet` (a guess at a state), `so you could get` (a purpose), `you sound proud, "
            "and you should be` (an echo), `the medicine you need` (a relative clause), `make sense you feel...` "
            "(`(it) makes sense` with the subject dropped, as AAE and learner English write it), `X is just a way "
            "of...` (explaining a word); and `how's she doing` written without a mark now opens a question, "
            "`Till 4am?` is an echo. On sets 10-11 (in-sample now) macro-F1 0.780 → 0.93. On the 1,286 held-out "
            "replies: macro-F1 0.812 → 0.813, good replies passing 89% → 88% (styles 85-91%); minimizing 0.71 → "
            "0.72, false_reassurance 0.76 → 0.81, judgment 0.57 → 0.55. The held-out numbers were printed four "
            "times while this pass was in progress; no choice was made on them. So more writers of the same kind, "
            "as training data or as rules, leave the held-out level where it is: about 0.81 macro-F1 is what rules plus a bag-of-words layer reach on "
            "new writers, and judgment (implicit blame: `you know better`, `like last time`) is the move most "
            "often missed.", ""]
    out += ["## Hand-labelled social-work replies", "",
            f"{labelled['n']} replies. Macro-F1 over the 16 moves: **{labelled['macro_f1']:.3f}**. "
            "This is in-sample: the set was written and labelled before the detectors, but the detectors were "
            "then corrected on it. The first run, before any correction, gave macro-F1 0.986 with 13 of 351 "
            "replies wrong; both figures come from the checker's own author, so expect lower on text written "
            "by others. The first review added 53 replies built like the course authors' model answers (frames "
            "with any inner-state predicate, hard line wraps, invitations to talk, information about options, "
            "reported speech, question-form decisions), each label checked by hand against the definitions "
            "above; the rules were then changed until they pass, so they are in-sample too. The blind review "
            "added 118 more, one general construction each in new wording; on their first run 13 failed, 3 were "
            "relabelled (a reflection the file's own conventions call one: `a lot to carry`, `stuck`, `your "
            "worries`) and the rules were fixed for the rest, so these are in-sample as well. The second blind "
            "review added 80 more (one construction each, with near misses as negatives); on their first run 13 "
            "failed: 4 were relabelled or reworded (an offer of help is not collaboration, an emotion word is the "
            "client's only with their words as context, a feeling adjective in a noun phrase is also validation, "
            "or a test sentence reworded) and the rules were fixed for the other 9.", "",
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
