"""Reading level of each module's prose (Flesch-Kincaid grade), written to docs/readability.md.

FK grade = 0.39 * words per sentence + 11.8 * syllables per word - 15.59. Syllables are counted with the usual
vowel-group rule (a silent final "e" not counted, at least one per word); it runs offline and agrees with
dictionary counts to within a few tenths of a grade on ordinary prose. Only what students read is measured:
the Markdown of each module, without the model answers and mark schemes inside directives.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = 10.0
DIRECTIVE = re.compile(r"^:::\{.*?^:::$", re.S | re.M)
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def syllables(word: str) -> int:
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def prose(markdown: str) -> str:
    text = re.sub(r"^---\n.*?\n---\n", "", markdown, flags=re.S)
    text = DIRECTIVE.sub("", text)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#+|[-*+]|\d+\.|>|\|)\s*", "", line).replace("|", " ").strip(" *_")
        if line and line != "+++":
            lines.append(line if re.search(r"[.!?:]$", line) else line + ".")  # a heading or bullet ends a sentence
    return "\n".join(lines)


def fk_grade(text: str) -> tuple[float, int]:
    sentences = [s for s in re.split(r"[.!?]+[\"”’)]?\s", text) if WORD.search(s)]
    words = WORD.findall(text)
    syllable_count = sum(syllables(w) for w in words)
    grade = 0.39 * len(words) / max(len(sentences), 1) + 11.8 * syllable_count / max(len(words), 1) - 15.59
    return round(grade, 1), len(words)


def main() -> int:
    rows = []
    for md in sorted((REPO / "source").glob("*/*.md")):
        grade, words = fk_grade(prose(md.read_text(encoding="utf-8")))
        rows.append((md.stem, grade, words))
    lines = ["# Reading level of the modules", "",
             f"Flesch-Kincaid grade of each notebook's prose (target: grade {TARGET:g} or below). Measured by "
             "`python bench/readability.py` (`make bench`); the method is described in that file.", "",
             "| notebook | FK grade | words | at or below target |", "|---|---:|---:|---|"]
    lines += [f"| {name} | {grade} | {words:,} | {'yes' if grade <= TARGET else 'no'} |" for name, grade, words in rows]
    (REPO / "docs" / "readability.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if all(grade <= TARGET for _, grade, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
