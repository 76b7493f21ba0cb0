"""Is there a reply here a person could read? Each check is one small function returning a reason or None."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
SENTENCE_END = re.compile(r"[.!?\n]+")
CODE_SYMBOLS = set("{}[]();=<>#$\\|`")
CODE_LINE = re.compile(r"^\s*(def |class |import |from \S+ import |print\(|return\b|for \w+ in |if .*:$|while .*:$|\w+\s*=\s*\S)", re.M)


@lru_cache(maxsize=None)
def settings() -> dict:
    return yaml.safe_load((resources.files("autograder") / "screening.yaml").read_text(encoding="utf-8"))


def placeholder_free(text: str) -> str:
    """The text without the placeholder lines a released cell starts with."""
    placeholders = {p.strip().lower() for p in settings()["placeholders"]}
    lines = [ln for ln in text.splitlines() if ln.strip().lower() not in placeholders]
    return "\n".join(lines).strip()


def unanswered(text: str) -> str | None:
    return "unanswered" if not placeholder_free(text) else None


def no_words(text: str) -> str | None:
    return "no_words" if not WORD.search(text) else None


def code(text: str) -> str | None:
    chars = [c for c in text if not c.isspace()]
    symbol_share = sum(c in CODE_SYMBOLS for c in chars) / max(len(chars), 1)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    code_lines = len(CODE_LINE.findall(text))
    if symbol_share > settings()["thresholds"]["max_code_symbol_share"] or (lines and code_lines / len(lines) >= 0.5):
        return "code"
    return None


def not_english(text: str) -> str | None:
    letters = [c for c in text if c.isalpha()]
    latin = sum("a" <= c.lower() <= "z" or "\u00c0" <= c <= "\u024f" for c in letters)
    if letters and latin / len(letters) < settings()["thresholds"]["min_latin_letter_share"]:
        return "not_english"
    words = [w.lower() for w in WORD.findall(text)]
    other = set(settings()["other_language_words"])
    other_share = sum(w in other for w in words) / max(len(words), 1)
    if len(words) >= 4 and other_share >= settings()["thresholds"]["min_other_language_share"] \
            and other_share > _function_share(words):
        return "not_english"
    return None


def word_list(text: str) -> str | None:
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) >= 4 and _function_share(words) < settings()["thresholds"]["min_function_word_share"]:
        return "word_list"
    return None


def repeated(text: str) -> str | None:
    sentences = [s.strip().lower() for s in SENTENCE_END.split(text) if s.strip()]
    if len(sentences) >= 4 and len(set(sentences)) / len(sentences) < settings()["thresholds"]["min_unique_sentence_share"]:
        return "repeated"
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) >= 20 and len(set(words)) / len(words) < 0.2:
        return "repeated"
    return None


def _function_share(words: list[str]) -> float:
    function_words = set(settings()["function_words"])
    return sum(w in function_words for w in words) / len(words)


CHECKS = (unanswered, no_words, code, not_english, word_list, repeated)


def screen(text: str) -> tuple[str, str] | None:
    """(reason, message for the student) when the text is not a readable reply, else None."""
    for check in CHECKS:
        reason = check(text)
        if reason:
            return reason, settings()["messages"][reason]
    return None
