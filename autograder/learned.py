"""A light learned layer over the rules: one logistic regression per move, on the reply's words and word pairs and
on the rule detectors' verdicts, trained on the course's own labelled replies (`python -m autograder.train`).

Why: rules written from one set of writers miss the next writers' wording (a reflection with no emotion word, a
strength named in new words). The rules stay the strongest feature; the weights add what plain words predict.
Inference is a sum of a few dozen weights per move in pure Python (no numpy in a student's kernel).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .text import Doc

MODEL = Path(__file__).resolve().parent / "lexicons" / "learned_moves.json"
RULE = "rule:"  # feature naming a rule detector's verdict, e.g. "rule:validates"


def sentence_features(doc: Doc) -> list[tuple[tuple[int, int], list[str]]]:
    """(sentence span in doc.norm, its words and adjacent word pairs), sentence by sentence."""
    out = []
    for start, end, _ in doc.sentences:
        words = doc.norm[start:end].split(" ")
        out.append(((start, end), words + [f"{a} {b}" for a, b in zip(words, words[1:])]))
    return out


def reply_features(doc: Doc, rules) -> set[str]:
    """Every feature of the reply: its sentences' words and pairs, and one feature per rule verdict."""
    found = {f for _, feats in sentence_features(doc) for f in feats}
    return found | {RULE + move for move in rules}


@lru_cache(maxsize=1)
def model() -> dict:
    """{"moves": {move: {"bias": b, "weights": {feature: w}}}, ...}; no moves if the file is missing or unreadable."""
    try:
        return json.loads(MODEL.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"moves": {}}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple], dict[str, float], frozenset]:
    """The model turned around for speed: feature -> ((move, weight), ...), one lookup per word for every move."""
    by_feature: dict[str, list] = {}
    for move, params in model()["moves"].items():
        for feature, weight in params["weights"].items():
            by_feature.setdefault(feature, []).append((move, weight))
    biases = {move: params["bias"] for move, params in model()["moves"].items()}
    return ({f: tuple(ws) for f, ws in by_feature.items()}, biases,
            frozenset(model().get("no_harm_where_worker_negates", ())))


def _worker_negates(words: list[str]) -> bool:
    """'I can't promise…', 'I'm not going to tell you…', 'we won't…': the worker negating their own act."""
    for i, w in enumerate(words):
        if w in WORKER:
            for nxt in words[i + 1:i + 4]:
                if nxt in NEGATIONS or nxt.endswith("n't"):
                    return True
    return False


# A bag of words cannot read negation ("I can't promise everything will be fine" holds "will be fine"), so the
# model adds no harmful move from a sentence where the worker negates their own act: the rules decide there.
WORKER = frozenset({"i", "i'm", "i've", "i'll", "i'd", "we", "we're", "we'll", "we've"})
NEGATIONS = frozenset({"not", "never", "no", "cannot"})


def decide(doc: Doc, rules: dict[str, str], withheld: dict[str, frozenset] | None = None) -> dict[str, str]:
    """The moves found: every rule verdict (with its evidence), plus each move the model finds that no rule did,
    shown by the sentence that weighs most for it. The model only adds: it never overrules a rule, so a harmful
    move a rule catches is always reported. `withheld`: move -> numbers of the sentences the rules have read as
    not making it, whatever their words (the model adds nothing from them)."""
    table, biases, gated = _table()
    if not biases:
        return rules
    scores = dict(biases)
    for move in rules:
        for m, w in table.get(RULE + move, ()):
            scores[m] += w
    sentences = sentence_features(doc)
    gains: dict[str, list[float]] = {m: [0.0] * len(sentences) for m in biases}
    seen, seen_clean = set(), set()  # a feature counts once per reply, as in training
    for i, (span, feats) in enumerate(sentences):
        negates = _worker_negates(doc.norm[span[0]:span[1]].split(" "))
        for f in feats:
            weights = table.get(f)
            if weights is None:  # most words carry no weight for any move
                continue
            new, new_clean = f not in seen, not negates and f not in seen_clean
            if not (new or new_clean):
                continue
            seen.add(f)
            if not negates:
                seen_clean.add(f)
            for move, w in weights:
                if new_clean if move in gated else new:
                    scores[move] += w
                    gains[move][i] += w
    for move, numbers in (withheld or {}).items():
        for i in numbers:
            if move in gains:
                scores[move] -= gains[move][i]
                gains[move][i] = 0.0
    found = dict(rules)
    for move, score in scores.items():
        if move not in rules and score > 0 and sentences:
            best = max(range(len(sentences)), key=gains[move].__getitem__)
            found[move] = doc.span(*sentences[best][0])
    return found
