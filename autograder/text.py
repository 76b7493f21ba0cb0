"""Shared text normalisation for the detectors.

Every rule runs on one normalised form of a reply: lowercase tokens joined by single spaces, punctuation
as its own token, informal and dialect spellings mapped to one standard spelling (lexicons/spelling.yaml).
So one pattern serves "you're", "youre", "ur" and "You’re", and evidence is still cut from the student's
own words: `Doc.span` maps a match in the normalised string back to the original text.
"""
from __future__ import annotations

import re
from bisect import bisect_right

# Words (any script, with inner apostrophes/hyphens), runs of sentence punctuation, dashes, and paragraph
# breaks. A single line break inside a paragraph is only a hard wrap ("What would\nhelp you feel safer?")
# and is read as a space; a blank line, or a line break before a list bullet, ends a sentence.
_TOKEN = re.compile(r"[^\W_]+(?:['’‘`´-][^\W_]+)*|[.!?;:,…]+|[—–]|(?<=\s)-+(?=\s)"
                    r"|\n(?:[ \t\r\f\v]*\n)+|\n(?=[ \t]*(?:[-*•‣◦]|\d{1,2}[.)])[ \t])")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# Longest reply analysed: far beyond any real answer, and keeps the worst case fast (documented).
MAX_CHARS = 20_000


def _norm_punct(tok: str) -> str:
    if "?" in tok:
        return "?"
    if tok[0] in ".!…":
        return "."
    if tok[0] == "\n":
        return "\n"
    if tok[0] in "—–-":
        return "-"
    return tok[0]  # , ; :


def _destutter(tok: str) -> str:
    """Spoken or typed disfluency: "wh-what" -> "what", "i-i-it" -> "it", "and-and" -> "and"."""
    if "-" not in tok:
        return tok
    parts = tok.split("-")
    last = parts[-1]
    if all(p and last.startswith(p) for p in parts[:-1]):
        return last
    # a self-repair between function words: "what's-how have you been", "do-are you"
    return last if len(parts) == 2 and parts[0] in _REPAIRABLE and last in _REPAIRABLE else tok


_REPAIRABLE = frozenset("what what's how how's why where when who which do does did is are was were can could "
                        "would will have has i you it we they".split())


_FILLERS = frozenset("um umm uh uhh uhm er erm".split())
_LINKING = frozenset("sounds sound seems seem looks look feels feel is 's was are 're".split())


def _drop_fillers(tokens: list) -> list:
    """Hesitations carry no move. "um"/"uh" go, with the comma after them, so the clause break stays one comma
    ("There, um, what brings you in?" reads "there, what brings you in?"); a hedging "like" between commas after
    a linking verb goes with both commas ("that sounds, like, really lonely" reads "that sounds really lonely")."""
    if not any(t[0] in _FILLERS or t[0] == "like" for t in tokens):
        return tokens
    out = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i][0]
        if tok in _FILLERS:
            i += 1
            if i < n and tokens[i][0] == "," and (not out or out[-1][0] == ","):
                i += 1
            continue
        if (tok == "like" and len(out) > 1 and out[-1][0] == "," and out[-2][0] in _LINKING and i + 1 < n
                and tokens[i + 1][0] == ","):
            out.pop()
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


class Doc:
    """A reply as normalised tokens, a normalised string, and sentences over that string."""

    __slots__ = ("text", "norm", "tokens", "_starts", "sentences", "has_question_mark", "has_end_punct",
                 "cache")

    def __init__(self, text: str, spelling: dict[str, str]):
        self.text = text[:MAX_CHARS]
        tokens = []  # (normalised form, start, end in the original text)
        low = self.text.lower().translate(_APOSTROPHES)
        if len(low) != len(self.text):  # a few characters change length when lowered: keep offsets exact
            low = None
        get = spelling.get
        for m in _TOKEN.finditer(low if low is not None else self.text):
            tok = m.group()
            if tok[0].isalnum():
                if low is None:
                    tok = tok.lower().translate(_APOSTROPHES)
                if "-" in tok:
                    tok = _destutter(tok)
                tokens.append((get(tok, tok), m.start(), m.end()))
            else:
                norm = _norm_punct(tok)
                if norm == "\n":  # a line break ends a sentence only after a word
                    if not tokens or not tokens[-1][0][0].isalnum():
                        continue
                    norm = "."
                tokens.append((norm, m.start(), m.end()))
        self.tokens = tokens = _drop_fillers(tokens)
        starts, parts, pos = [], [], 0
        for norm, _, _ in tokens:
            starts.append(pos)
            parts.append(norm)
            pos += len(norm) + 1
        self._starts = starts
        self.norm = " ".join(parts)
        self.has_question_mark = any(t[0] == "?" for t in tokens)
        # written sentence punctuation (a paragraph break does not count): replies without any are scanned
        # for questions that start mid-stream ("...your home what has been going on for you")
        self.has_end_punct = any(t[0] in ".?" and self.text[t[1]] != "\n" for t in tokens)
        self.sentences = self._split()
        self.cache: dict = {}  # per-reply results shared by detectors (question clauses)

    def _split(self) -> list[tuple[int, int, bool]]:
        """(start, end, ends_with_question_mark) offsets into `norm`, one per sentence."""
        out, begin = [], None
        for i, (norm, _, _) in enumerate(self.tokens):
            if begin is None:
                if norm in ".?;":
                    continue
                begin = i
            if norm in ".?;":
                out.append((self._starts[begin], self._starts[i] + len(norm), norm == "?"))
                begin = None
        if begin is not None:
            last = len(self.tokens) - 1
            out.append((self._starts[begin], self._starts[last] + len(self.tokens[last][0]), False))
        return out

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices of the first and last token covering normalised offsets [start, end)."""
        first = max(bisect_right(self._starts, start) - 1, 0)
        return first, max(bisect_right(self._starts, max(end - 1, start)) - 1, first)

    def span(self, start: int, end: int) -> str:
        """The student's own words covering normalised offsets [start, end)."""
        if not self.tokens or end <= start:
            return ""
        first = max(bisect_right(self._starts, start) - 1, 0)
        last = max(bisect_right(self._starts, max(end - 1, start)) - 1, first)
        return self.text[self.tokens[first][1]:self.tokens[last][2]].strip()


def words(s: str) -> list[str]:
    """Tokens of an already normalised string."""
    return s.split(" ") if s else []
