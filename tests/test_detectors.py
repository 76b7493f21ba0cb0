"""Table-driven tests of the 16 move detectors against the hand-labelled replies, plus lexicon checks."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from autograder import FEATURES, analyze
from autograder import detectors

DATA = Path(__file__).parent / "data" / "labelled_replies.yaml"
SCHEMA = Path(detectors.__file__).parent / "schemas" / "lexicon.schema.json"
ITEMS = yaml.safe_load(DATA.read_text(encoding="utf-8"))["items"]
LEXICON_FILES = sorted(detectors.LEXICON_DIR.glob("*.yaml"))
STYLES = ("plain", "informal", "aae", "non_native", "lowercase_nopunct", "no_emotion_word")


def _id(item: dict) -> str:
    return item["text"][:50]


# ------------------------------------------------------------------------------------- the labelled set
def test_labelled_set_is_well_formed():
    assert len(ITEMS) >= 220
    for item in ITEMS:
        assert set(item) <= {"text", "context", "features", "style", "idea", "note", "known_miss"}, item
        assert isinstance(item["text"], str) and item["text"].strip()
        assert set(item["features"]) <= set(FEATURES), item
        assert len(set(item["features"])) == len(item["features"]), item
    ideas = {}
    for item in ITEMS:
        if "style" in item:
            assert item["style"] in STYLES
            ideas.setdefault(item["idea"], set()).add(item["style"])
    assert ideas and all(styles == set(STYLES) for styles in ideas.values()), ideas


def _expected(item: dict):
    """A known miss of the checker stays in the table, shown as an expected failure that must keep failing
    (strict): when a change fixes it, the test says so and the mark comes off."""
    if "known_miss" in item:
        return pytest.param(item, marks=pytest.mark.xfail(strict=True, reason=item["known_miss"]), id=_id(item))
    return pytest.param(item, id=_id(item))


@pytest.mark.parametrize("item", [_expected(i) for i in ITEMS])
def test_reply_has_exactly_the_labelled_moves(item):
    result = analyze(item["text"], item.get("context"))
    assert sorted(result.found()) == sorted(item["features"]), result.evidence


@pytest.mark.parametrize("item", [i for i in ITEMS if i["features"]], ids=_id)
def test_evidence_is_the_students_own_words(item):
    result = analyze(item["text"], item.get("context"))
    for name, words in result.evidence.items():
        assert words and words in item["text"], (name, words)


# ------------------------------------------------------------------------------------- hard cases, named
@pytest.mark.parametrize("text,feature,present", [
    ("I hear you, but you brought this on yourself.", "judgment", True),
    ("I hear you, but you brought this on yourself.", "validates", False),
    ("I'm not going to tell you what to do.", "advice", False),
    ("It takes at least two weeks.", "minimizing", False),
    ("The letter should arrive Friday.", "advice", False),
    ("You need to bring ID to the office.", "advice", False),
    ("Have you thought about calling a lawyer?", "advice", True),
    ("Have you thought about calling a lawyer?", "closed_question", False),
    ("Why didn't you just leave?", "judgment", True),
    ("Why didn't you just leave?", "open_question", False),
    ("Tell me more about your week", "open_question", True),
    ("I can't promise everything will be fine.", "false_reassurance", False),
    ("I can't promise everything will be fine.", "honest_limits", True),
    ("You're not crazy.", "deficit_label", False),
    ("There's a homeless shelter on Main Street.", "deficit_label", False),
    # a reflection is a frame + an inner-state predicate, not a word from a list
    ("It sounds like you miss her in every quiet corner.", "reflects_feeling", True),
    ("It sounds like you feel pushed aside.", "reflects_feeling", True),
    ("It sounds like the fear is with you day and night.", "reflects_feeling", True),
    ("It sounds like your son is scared.", "reflects_feeling", False),
    ("I hope you feel better soon.", "reflects_feeling", False),
    ("How are you feeling today?", "reflects_feeling", False),
    # a hard line wrap is a space
    ("What would\nhelp you feel safer tonight?", "open_question", True),
    ("What would\nhelp you feel safer tonight?", "closed_question", False),
    # invitations to talk are not advice; an option that exists is information
    ("Tell me more about last night.", "advice", False),
    ("Help me understand what happened.", "open_question", True),
    ("If you need help again, you can call our front desk.", "advice", False),
    ("You could call the front desk.", "advice", True),
    # reported speech is not the worker's move
    ("Being told to move on by everyone hurts.", "minimizing", False),
    ("You just need to move on.", "minimizing", True),
    # question-form decisions (docs/checker-validity.md)
    ("So you feel like you're doing this alone?", "closed_question", False),
    ("So the hearing is on Monday?", "closed_question", True),
    ("Yeah?", "closed_question", False),
    ("When you think about it, what worries you most?", "open_question", True),
    ("Where are you staying tonight?", "closed_question", True),
    # (second blind review) constructions, not phrases; and their near misses
    ("That's on you.", "judgment", True),
    ("It's on you to decide.", "judgment", False),
    ("You should have had an interpreter.", "judgment", False),
    ("I don't think you overreact.", "minimizing", False),
    ("I'm sure it won't happen.", "false_reassurance", True),
    ("I won't tell you it'll all work out.", "false_reassurance", False),
    ("Thank you for coming in today.", "affirms_strength", False),
    ("What would you like me to know?", "offers_choice", False),
    ("Again?", "closed_question", False),
    ("There, um, what brings you in today?", "open_question", True),
    ("You must be running on empty.", "advice", False),
])
def test_named_hard_cases(text, feature, present):
    assert analyze(text).features[feature] is present


def test_paragraph_breaks_and_bullets_still_end_sentences():
    from autograder.detectors import lexicon
    from autograder.text import Doc

    L = lexicon()
    assert len(Doc("I hear you\n\nWhat happened next", L.spelling).sentences) == 2
    assert len(Doc("Two things\n- call the clinic\n- wait", L.spelling).sentences) == 3
    assert len(Doc("What would\nhelp you", L.spelling).sentences) == 1


def test_harm_after_an_empathic_opening_is_found():
    reply = ("It sounds like you're exhausted and it makes sense. What's been hardest? "
             "Honestly though, at least you have a job, and you should have seen this coming.")
    found = set(analyze(reply).found())
    assert {"reflects_feeling", "validates", "open_question", "minimizing", "judgment"} <= found


# ------------------------------------------------------------------------------------- lexicons as data
@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", LEXICON_FILES, ids=lambda p: p.name)
def test_lexicon_file_matches_schema(path, schema):
    jsonschema = pytest.importorskip("jsonschema")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["name"] == path.stem
    assert path.read_text(encoding="utf-8").lstrip().startswith("#"), "provenance comment first"


def _all_patterns():
    files = detectors.load_lexicon_files()
    terms = {}
    for data in files.values():
        terms.update(data.get("terms") or {})
    for stem, data in files.items():
        for group, patterns in (data.get("patterns") or {}).items():
            for i, pattern in enumerate(patterns):
                yield pytest.param(pattern, terms, id=f"{stem}.{group}[{i}]")


@pytest.mark.parametrize("pattern,terms", list(_all_patterns()))
def test_every_pattern_compiles(pattern, terms):
    for name in re.findall(r"\{([a-z_]+)\}", pattern):
        assert name in terms, f"unknown terms group {{{name}}}"
    compiled = re.compile(detectors.expand(pattern, terms))
    assert compiled.search("") is None or compiled.pattern.startswith("^"), "a pattern must not match empty text"


def test_term_groups_are_unique_across_files():
    seen = {}
    for stem, data in detectors.load_lexicon_files().items():
        for group in list(data.get("terms") or {}) + list(data.get("patterns") or {}):
            assert group not in seen, f"{group} in both {seen.get(group)} and {stem}"
            seen[group] = stem


# ------------------------------------------------------------------------------------- opt-in: corpora
EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


@pytest.fixture(scope="module")
def corpus_results():
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_detectors", Path(__file__).resolve().parents[1] / "bench" / "eval_detectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TARGETS, module.eval_corpora(EVAL_DIR)


@pytest.mark.eval
@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="../shared/eval not present")
@pytest.mark.parametrize("key", ["annomi:open_question", "annomi:closed_question", "esconv:reflects_feeling",
                                 "annomi:advice"])
def test_detector_meets_target_on_dev_corpora(key, corpus_results, request):
    if "eval" not in (request.config.getoption("-m") or ""):
        pytest.skip("opt-in: run with -m eval")
    targets, results = corpus_results
    assert results is not None
    assert results[key]["f1"] >= targets[key], results[key]


# ------------------------------------------------------------------------------------- the word pre-check
def test_word_precheck_never_hides_a_match():
    """`_find` skips a pattern when a sentence lacks its anchor words; that must never skip a real match."""
    from autograder.text import Doc

    L = detectors.lexicon()
    for item in ITEMS:
        doc = Doc(item["text"], L.spelling)
        for (a, b, _), (present, cands) in zip(doc.sentences, detectors._candidates(doc, L)):
            s = doc.norm[a:b]
            for name, parts in L.parts.items():
                for j, (pat, needs) in enumerate(parts):
                    if pat.search(s):
                        assert all(not present.isdisjoint(need) for need in needs), (name, j, s)
                        assert j in cands.get(name, ()) or j in L.always[name], (name, j, s)


def test_question_kind_precheck_never_hides_a_match():
    """`Lexicon.says` runs a question kind's regex only when the clause holds one pattern's anchor words; a
    clause that one of the patterns matches must always pass that check."""
    import re

    from autograder.text import Doc

    L = detectors.lexicon()
    files = detectors.load_lexicon_files()
    terms, patterns = {}, {}
    for data in files.values():
        terms.update(data.get("terms") or {})
        patterns.update(data.get("patterns") or {})
    compiled = {name: [re.compile(detectors.expand(p, terms)) for p in patterns[name]] for name in L.GATED}
    checked = 0
    for item in ITEMS:
        doc = Doc(item["text"], L.spelling)
        for a, b, _ in doc.sentences:
            s = doc.norm[a:b]
            present = frozenset(detectors._WORD.findall(s))
            for name, regexes in compiled.items():
                for j, regex in enumerate(regexes):
                    if regex.search(s):
                        checked += 1
                        assert detectors._holds_all(present, L.gates[name][j]), (name, j, s)
                        assert L.says(name, s, present), (name, s)
    assert checked > 50  # the labelled set exercises these patterns


def test_anchor_cache_is_fresh():
    """lexicons/anchors.json must hold what the patterns give now (rewrite it: python -m autograder.detectors)."""
    sources = detectors.lexicon_sources()
    cached = detectors._read_anchor_cache(detectors.lexicon_key(sources))
    assert cached is not None, "stale anchor cache: run `.venv/bin/python -m autograder.detectors`"
    fresh = detectors.Lexicon(detectors.load_lexicon_files(sources=sources), cached=None)
    assert cached == {**{name: [needs for _, needs in parts] for name, parts in fresh.parts.items()},
                      **{name: list(gate) for name, gate in fresh.gates.items()}}


def test_anchors_read_with_shared_groups_are_sound():
    """Anchors read from a skeleton with each terms group parsed once must never demand more than the fully
    expanded pattern does: every word set must contain one the full parse found."""
    files = detectors.load_lexicon_files()
    terms, patterns = {}, {}
    for data in files.values():
        terms.update(data.get("terms") or {})
        patterns.update(data.get("patterns") or {})
    groups: dict = {}
    for name in detectors.Lexicon.FOUND:
        for pattern in patterns[name]:
            full = detectors.anchors(detectors.expand(pattern, terms))
            fast = detectors._anchors_of(pattern, terms, groups)
            assert all(any(ws >= f for f in full) for ws in fast), (name, pattern)


@pytest.mark.parametrize("pattern,words", [
    (r"\b(?:that's|it is) (?:so )?hard\b", [{"hard"}]),
    (r"\byou (?:could|might) (?:try|call)\b", [{"you"}]),
])
def test_anchor_words_are_read_from_the_pattern(pattern, words):
    found = detectors.anchors(pattern)
    assert all(set(w) in [set(x) for x in found] for w in words), found
