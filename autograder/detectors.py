"""The 16 communication-move detectors: one small function per move, rules over lexicons kept as data.

`detect_all(text, context)` maps each move found to the student's words that show it. Phrases, word lists
and exceptions live in `lexicons/*.yaml` (schema: `schemas/lexicon.schema.json`); this module holds only
the logic that is awkward as data: question form, imperatives, and who an emotion word is about.
Lexicons are loaded and compiled once, at the first call, so `import autograder` stays cheap.
"""
from __future__ import annotations

import re
from pathlib import Path

from .text import Doc

LEXICON_DIR = Path(__file__).parent / "lexicons"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def load_lexicon_files(directory: Path = LEXICON_DIR) -> dict[str, dict]:
    """Parsed lexicon files by stem (the schema test uses this too)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader keeps first use fast
    return {p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=loader) for p in sorted(directory.glob("*.yaml"))}


def alternation(phrases) -> str:
    """Longest-first alternation of literal phrases (longest first so "worn out" beats "worn")."""
    return "|".join(re.escape(p).replace("\\ ", " ") for p in sorted(set(phrases), key=len, reverse=True))


def expand(pattern: str, terms: dict[str, list[str]]) -> str:
    """Replace {group} with the alternation of that terms group."""
    return _PLACEHOLDER.sub(lambda m: alternation(terms[m.group(1)]), pattern)


_WORD = re.compile(r"\w+")
_EDGE = "\x00"  # stands for a zero-width word edge (\b, ^, $) inside a literal run


def anchors(pattern: str) -> tuple[frozenset, ...]:
    """Word sets such that every match of `pattern` contains a word of each set, as a whole run of letters.

    A cheap, exact pre-check (`_find`): a sentence that lacks every word of some set cannot match, so the
    regex is not run. Read from the parsed pattern: a literal run ("so much", "\\bthat's") shows the letter
    runs that it holds whole; an alternation helps when every branch has one. At most three sets, smallest
    first; a pattern with none is always run."""
    from re import _parser as sre_parse  # noqa: PLC0415 (stdlib parser, used once per pattern)

    def words(run: str) -> frozenset | None:
        out = []
        for m in _WORD.finditer(run):
            a, b = m.start(), m.end()
            if a > 0 and b < len(run):  # bounded inside the run, so a whole letter run in any match
                out.append(m.group())
        return frozenset([max(out, key=len)]) if out else None

    def best(cands):
        cands = [c for c in cands if c]
        return min(cands, key=len) if cands else None

    def is_edge(item) -> bool:  # the next character is not part of a letter run
        op, av = item
        if str(op) == "LITERAL":
            return not (chr(av).isalnum() or chr(av) == "_")
        return str(op) == "AT" and str(av) != "AT_NON_BOUNDARY"

    def ends_with_edge(item, before: bool) -> bool:  # is the character after `item` known not a letter?
        op, av = item
        name = str(op)
        if name == "SUBPATTERN":
            return bool(av[-1].data) and ends_with_edge(av[-1].data[-1], before)
        if name == "BRANCH":
            return all(b.data and ends_with_edge(b.data[-1], before) for b in av[1])
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            body = av[2].data
            last = bool(body) and ends_with_edge(body[-1], before)
            return last and (before or av[0] >= 1)
        return is_edge(item)

    def starts_with_edge(item) -> bool:  # is the character at `item` known not a letter?
        op, av = item
        name = str(op)
        if name == "ASSERT" and av[0] == 1:  # a lookahead whose every branch starts with a non-letter
            body = av[1].data
            return bool(body) and starts_with_edge(body[0])
        if name == "SUBPATTERN":
            return bool(av[-1].data) and starts_with_edge(av[-1].data[0])
        if name == "BRANCH":
            return all(b.data and starts_with_edge(b.data[0]) for b in av[1])
        if name == "AT":
            return str(av) in ("AT_END", "AT_END_STRING", "AT_BOUNDARY")
        return is_edge(item) if name == "LITERAL" else False

    def seq(items, left=False, right=False, top=False):
        cands, run = [], [_EDGE] if left else []
        edge_before = left
        for i, (op, av) in enumerate(items):
            name = str(op)
            if name == "LITERAL":
                run.append(chr(av))
                edge_before = is_edge((op, av))
                continue
            if name == "AT":
                if str(av) != "AT_NON_BOUNDARY":
                    run.append(_EDGE)
                    edge_before = True
                continue
            if name in ("ASSERT", "ASSERT_NOT"):
                continue  # zero-width: the literal run goes on
            after = starts_with_edge(items[i + 1]) if i + 1 < len(items) else right
            cands.append(words("".join(run)))
            run = []
            if name == "SUBPATTERN":
                cands.append(seq(av[-1].data, edge_before, after))
            elif name == "BRANCH":
                parts = [seq(b.data, edge_before, after) for b in av[1]]
                cands.append(None if any(p is None for p in parts) else frozenset().union(*parts))
            elif name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] >= 1:
                cands.append(seq(av[2].data))
            edge_before = ends_with_edge((op, av), edge_before)
            run = [_EDGE] if edge_before else []
        if right:
            run.append(_EDGE)
        cands.append(words("".join(run)))
        if top:
            return sorted({c for c in cands if c}, key=len)[:6]
        return best(cands)

    try:
        return tuple(seq(sre_parse.parse(pattern).data, top=True))
    except Exception:  # an unusual construct: no pre-check, the regex decides
        return ()


class Lexicon:
    """Every lexicon file merged and compiled: term sets, word regexes and pattern regexes by name."""

    FOUND = ("validates", "offers_choice", "affirms_strength", "collaborates", "honest_limits", "sympathy",
             "minimizing", "judgment", "advice", "false_reassurance", "self_focus")
    WORD_GROUPS = ("emotion", "emotion_ambiguous", "emotion_missing", "emotion_idiom", "emotion_situation", "label",
                   "term")

    def __init__(self, files: dict[str, dict]):
        terms, patterns, spelling = {}, {}, {}
        for data in files.values():
            terms.update(data.get("terms") or {})
            patterns.update(data.get("patterns") or {})
            spelling.update(data.get("map") or {})
        self.spelling = spelling
        self.sets = {name: frozenset(values) for name, values in terms.items()}
        self.pat = {name: re.compile("|".join(f"(?:{expand(p, terms)})" for p in plist))
                    for name, plist in patterns.items() if name not in self.FOUND}
        # the wording moves, one regex per pattern with its literal pre-check (see `_find`)
        self.parts = {name: [(re.compile(x), anchors(x)) for x in (expand(p, terms) for p in patterns[name])]
                      for name in self.FOUND if name in patterns}
        # word -> (move, pattern number) for the word set of each pattern with the longest words: a sentence
        # is tried only on the patterns that one of its words points to (and those with no word set)
        self.index: dict[str, list[tuple[str, int]]] = {}
        self.always = {name: [] for name in self.parts}
        for name, parts in self.parts.items():
            for j, (_, needs) in enumerate(parts):
                if not needs:
                    self.always[name].append(j)
                    continue
                key = max(needs, key=lambda ws: min(map(len, ws)))
                for w in key:
                    self.index.setdefault(w, []).append((name, j))
        self.word = {name: re.compile(rf"\b(?:{alternation(terms[name])})\b") for name in self.WORD_GROUPS}
        self.acronyms = frozenset(terms["acronym"])
        # first words of each word group: a sentence without any of them cannot match (cheap prefilter)
        self.firsts = {name: frozenset(p.split(" ")[0] for p in terms[name]) for name in self.WORD_GROUPS}


_LEX: Lexicon | None = None


def lexicon() -> Lexicon:
    global _LEX
    if _LEX is None:
        _LEX = Lexicon(load_lexicon_files())
    return _LEX


# ----------------------------------------------------------------------------------------------- helpers
def _overlaps(m, others) -> bool:
    return any(o.start() < m.end() and m.start() < o.end() for o in others)


def _find(doc: Doc, L: Lexicon, name: str, own_words: bool = False) -> str | None:
    """First match of pattern `name` in any sentence that no `name_not` exception overlaps.

    With own_words, a match that reports what someone else says is skipped: "everyone keeps telling you to
    move on", "your sister said it could be worse" are the client's world, not the worker's move."""
    parts, nots = L.parts[name], L.pat.get(name + "_not")
    if "words" not in doc.cache:
        doc.cache["words"] = _candidates(doc, L)
    for (start, end, _), (present, cands) in zip(doc.sentences, doc.cache["words"]):
        todo = cands.get(name)
        if not todo and not L.always[name]:
            continue
        s = doc.norm[start:end]
        best = None
        for j in sorted(set(todo or ()).union(L.always[name])):  # leftmost match of the patterns that may match
            pat, needs = parts[j]
            if needs and any(present.isdisjoint(need) for need in needs):
                continue
            for m in pat.finditer(s):
                if best is not None and m.start() >= best.start():
                    break
                if nots is not None and _overlaps(m, nots.finditer(s)):
                    continue
                if own_words and _reported(s.split(" "), s.count(" ", 0, m.start())):
                    continue
                best = m
                break
        if best is not None:
            return doc.span(start + best.start(), start + best.end())
    return None


def _candidates(doc: Doc, L: Lexicon) -> list[tuple[frozenset, dict]]:
    """Per sentence: its letter runs, and move -> numbers of the patterns that one of them points to."""
    out = []
    index = L.index
    for a, b, _ in doc.sentences:
        present = frozenset(_WORD.findall(doc.norm[a:b]))
        cands: dict[str, set] = {}
        for w in present:
            for name, j in index.get(w, ()):
                cands.setdefault(name, set()).add(j)
        out.append((present, cands))
    return out


_REPORTING = frozenset("say says said saying tell tells told telling ask asks asked asking insist insists insisted "
                       "claim claims claimed heard hear hears".split())
_OPINION = frozenset("think thinks thought believe believes believed reckon reckons reckoned feels".split())
_WORKER = frozenset("i i'd i'll i'm we we'll we'd let".split())


def _reported(toks: list[str], k: int) -> bool:
    """Is token k inside what someone other than the worker says ("they keep telling you to ...")?"""
    for j in range(k - 1, max(-1, k - 5), -1):
        if toks[j] in _REPORTING:
            return j == 0 or toks[j - 1] not in _WORKER
        if toks[j] in _OPINION:  # "your brother thinks you should have...", not "I honestly think you should..."
            return j > 0 and _WORKER.isdisjoint(toks[max(0, j - 3):j])
        if toks[j] in ".?;":
            break
    return False


def _skip(toks: list[str], i: int, words: frozenset) -> int:
    """Index of the first token at or after i that is not a filler word, a comma or a two-word filler."""
    n = len(toks)
    while i < n:
        t = toks[i]
        if t in words or t == ",":
            i += 1
        elif i + 1 < n and (t, toks[i + 1]) in _FILLER_PAIRS:
            i += 2
        elif t == "you" and i + 2 < n and toks[i + 1] == "know" and toks[i + 2] == ",":
            i += 3  # "you know, ..." as a filler; "you know what I mean?" is not skipped
        else:
            break
    return i


_FILLER_PAIRS = frozenset({("i", "mean"), ("i", "guess"), ("i", "see"), ("sort", "of"), ("kind", "of"), ("hello", "there"),
                           ("hi", "there")})


# ----------------------------------------------------------------------------------------------- questions
_INVERSION_PREV_BLOCK = frozenset("so neither nor as than if what how why when where who which that i".split())
# a wh-word followed by a subject opens a subordinate clause when a comma follows ("When you think about
# it, what ...?"): the question, if any, starts after the comma
_SUBORDINATOR = frozenset("when whenever where if while once".split())
_PREPOSITION = frozenset("to in at for from with about on by".split())  # "to what extent", "with whom"
_IN_SITU = frozenset("what how why".split())  # "Acting out would be what?"


def _head(toks: list[str], L: Lexicon, asked: bool) -> tuple[str, int] | None:
    """('wh'|'aux', index) if the clause opens like a question; without a '?' demand a clear opening."""
    starts = [0] + ([i + 1 for i, t in enumerate(toks) if t in ",-:"] if asked else [])
    wh, aux, subject = L.sets["wh"], L.sets["aux"], L.sets["subject"]
    for s in starts:
        i = _skip(toks, s, L.sets["discourse"])
        if i + 1 < len(toks) and toks[i] in _PREPOSITION and toks[i + 1] in wh:
            i += 1
        if i >= len(toks):
            continue
        tok, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else ""
        if tok in wh:
            if asked and tok in _SUBORDINATOR and nxt in subject and "," in toks[i + 2:]:
                continue
            if asked or (tok != "which" and _wh_inverts(tok, nxt, L)):
                return "wh", i
            if tok in ("how", "what") and i + 3 < len(toks) and toks[i + 2] in aux and toks[i + 3] in subject:
                return "wh", i  # "how confident are you ... ." written without a question mark
            if tok == "what" and nxt not in subject and nxt.isalpha():
                for j in range(i + 2, min(i + 6, len(toks))):  # "what part (of the week) has been hardest"
                    if toks[j] in aux:
                        return "wh", i
                    if not toks[j].isalpha() or (toks[j] in subject and toks[j] not in ("the", "your")):
                        break
        elif tok in aux and (nxt in subject or (asked and nxt not in ",?")):
            return "aux", i
    return None


def _wh_inverts(wh: str, nxt: str, L: Lexicon) -> bool:
    """A wh-word opens a question (not a free relative like "what you did") without a '?'."""
    if wh.endswith("'s"):
        return nxt not in L.sets["subject"] or nxt == "the"
    if nxt in L.sets["aux"] or nxt in ("been", "going", "else", "about", "come"):
        return True
    return nxt not in L.sets["subject"] and nxt not in ("to", "and", "or", ",") and nxt.endswith(("s", "ed"))


def _kind(clause: str, asked: bool, L: Lexicon) -> str | None:
    """open / closed, or the move a question-shaped clause really makes (advice, judgment...)."""
    if L.pat["judgment_q"].search(clause):
        return "judgment_q"
    if L.pat["open_frame"].search(clause):  # "why don't you tell me about..." invites, it does not advise
        return "open"
    for kind in ("advice_q", "collab_q", "rhetorical_q"):
        if L.pat[kind].search(clause):
            return kind
    toks = clause.split(" ")
    head = _head(toks, L, asked)
    if head is None:
        if not asked:
            return None
        if _skip(toks, 0, L.sets["backchannel"]) >= len(toks) - 1:
            return None  # "Yeah?", "Uh-huh?", "Right?": a continuer, not a question
        if len(toks) > 2 and toks[-2] in _IN_SITU:
            return "open"  # "Acting out would be what?"
        if L.pat["rising_reflection"].search(clause):
            return None  # "So you feel like you're doing this alone?": a reflection said with a rising tone
        return "closed"  # "So the hearing is on Monday?": asks for confirmation
    kind, i = head
    if kind == "wh":
        return "closed" if L.pat["wh_closed"].search(" ".join(toks[i:])) else "open"
    return "closed"


def _midstream_starts(toks: list[str], L: Lexicon) -> list[int]:
    """Where a question begins inside a reply written without any sentence punctuation."""
    starts = []
    for i in range(1, len(toks) - 1):
        tok, prev, nxt = toks[i], toks[i - 1], toks[i + 1]
        if tok in L.sets["wh"] and tok != "which" and prev not in L.sets["embedding"] and (
                _wh_inverts(tok, nxt, L) or (tok in ("what", "how") and i + 2 < len(toks) and toks[i + 2] in L.sets["aux"]
                                             and nxt not in L.sets["subject"] and nxt.isalpha())):
            starts.append(i)  # "...never hearing back what part has been the hardest"
        elif tok in L.sets["aux"] and nxt == "you" and prev not in _INVERSION_PREV_BLOCK and prev not in L.sets["wh"]:
            starts.append(i)
    return starts


def question_clauses(doc: Doc, L: Lexicon) -> list[tuple[str, str]]:
    """(kind, evidence) for every question-shaped clause of the reply."""
    out = []
    for start, end, asked in doc.sentences:
        s = doc.norm[start:end]
        toks = s.split(" ")
        cuts = [0] + (_midstream_starts(toks, L) if not doc.has_end_punct else []) + [len(toks)]
        offset = start
        for a, b in zip(cuts, cuts[1:]):
            clause = " ".join(toks[a:b])
            if doc.has_end_punct and not asked and not L.pat["open_frame"].search(clause):
                kind = next((k for k in ("judgment_q", "advice_q", "collab_q", "rhetorical_q")
                             if L.pat[k].search(clause)), None)
            else:
                kind = _kind(clause, asked and b == len(toks), L)
            if kind:
                out.append((kind, doc.span(offset, offset + len(clause))))
            offset += len(clause) + 1
    return out


# ----------------------------------------------------------------------------------------------- feelings
_YOU = frozenset("you you're you've you'd you'll yourself ya".split())
_OTHER = frozenset("i i'm i've i'd i'll me my myself we we're we've us our he she they he's she's they're his "
                   "her their him them it's anyone anybody everyone everybody people nobody".split())
_NEG = frozenset("not n't never no don't didn't doesn't isn't aren't wasn't weren't won't can't cannot "
                 "nothing without shouldn't".split())
_FEEL_BEFORE = frozenset("feel feeling felt feels seem seems seemed sound sounds sounded look looks looked are "
                         "'re be been being is was were get getting got so really very pretty bit quite too real "
                         "kinda little totally you you're".split())
_YOU_BE = frozenset("are must feel seem sound were might may have get 'd".split())
_MODAL = frozenset("will 'll can could should would 'd shall ought".split())
_PAST = frozenset("felt were was got became had".split())
_CONDITIONAL = frozenset("if when whenever anytime unless until once whether".split())
_CLAUSE_STOP = frozenset(", - : ; but because though although while".split())


def _about_client(toks: list[str], k: int, context_words: frozenset, word: str, lo: int = 0,
                  default: bool | None = None) -> bool:
    """Is the emotion word at token k attributed to the client (not the worker or a third person)?

    Scans back to token `lo`. With no one named there, `default` decides (True inside a reflective frame:
    "It sounds like the fear is with you day and night"), else whether the client used the word."""
    if _any_neg(toks, max(0, k - 3), k):
        return False  # "don't be scared", "you're not alone", "you don't seem upset"
    if k and toks[k - 1] not in ("i'm", "am", "i", "was", "feel"):  # not "I'm glad you came"
        after = toks[k + 1:k + 7]
        for j, t in enumerate(after):  # "I can hear how angry (and hurt) you are"
            if t in ("you're", "you've") or (t == "you" and j + 1 < len(after) and after[j + 1] in _YOU_BE):
                return True
            if t in _CLAUSE_STOP or t in _OTHER:
                break
    for j in range(k - 1, max(lo - 1, k - 9), -1):
        t = toks[j]
        if t in _YOU:  # not "when you're down, call a friend", "you will be happy", "you can be proud"
            conditional = j and toks[j - 1] in _CONDITIONAL and not (  # "when you felt ashamed": one past time
                toks[j - 1] in ("when", "once") and not _PAST.isdisjoint(toks[j + 1:k + 1]))
            return not conditional and _MODAL.isdisjoint(toks[j + 1:k])
        if t in ("your", "ur"):  # "your fear", typo "your really scared"; but "your son seemed upset"
            return all(x in _FEEL_BEFORE or x in ("so", "really", "very") for x in toks[j + 1:k])
        if t in _OTHER or t in _CLAUSE_STOP:
            return False
    if default is not None:
        return default
    return word[:5] in context_words  # no one named: an emotion echoed from the client's own words


def _any_neg(toks: list[str], a: int, b: int) -> bool:
    """A negator among toks[a:b]; "no" in "no wonder", "no doubt" does not negate what follows."""
    for i in range(a, b):
        if toks[i] in _NEG and not (toks[i] == "no" and i + 1 < len(toks) and toks[i + 1] in ("wonder", "doubt")):
            return True
    return False


def _negated_at(toks: list[str], k: int) -> bool:
    return _any_neg(toks, max(0, k - 2), k + 1)


def _feeling_in(s: str, L: Lexicon, context_words: frozenset) -> re.Match | None:
    toks = s.split(" ")
    if toks[-1] == "?":
        head = _head(toks, L, True)
        if head is not None:  # "Are you scared?", "Why are you sad?": asking about a feeling does not reflect it
            if head[1] < 3:
                return None
            s, toks = " ".join(toks[:head[1]]), toks[:head[1]]  # "I hear your frustration, have you...?"
    nots = L.pat["reflect_not"].search(s)
    if nots:  # "I hope you feel better": only what comes before the wish can reflect
        s = s[:nots.start()].rstrip()
        if not s:
            return None
        toks = s.split(" ")
    # "you feel pushed aside", "you miss Grace", "it really matters to you", "you must be exhausted":
    # a predicate about the client's inner state, whatever the words for the state
    for m in L.pat["reflect_inner"].finditer(s):
        if not _negated_at(toks, s.count(" ", 0, m.start())):
            return m
    frame = L.pat["reflect_scope"].search(s)  # "it sounds like", "you seem", "I can see/hear/tell", ...
    lo = s.count(" ", 0, frame.end()) + 1 if frame else 0
    if frame:
        for m in L.pat["reflect_inner_framed"].finditer(s, frame.end()):  # "...like you want a say"
            if not _negated_at(toks, s.count(" ", 0, m.start())):
                return m
    present = set(toks)
    groups = ("emotion_idiom", "emotion", "emotion_missing", "emotion_ambiguous") + (("emotion_situation",) if frame else ())
    for group in groups:
        if present.isdisjoint(L.firsts[group]):
            continue
        for m in L.word[group].finditer(s):
            k = s.count(" ", 0, m.start())
            if group == "emotion_idiom":
                if not _any_neg(toks, max(0, k - 3), k):
                    return m
            elif group == "emotion_ambiguous" and (k == 0 or toks[k - 1] not in _FEEL_BEFORE):
                continue
            elif frame and k >= lo:  # inside the frame: the client's unless someone else is named
                if _about_client(toks, k, context_words, m.group(), lo, default=True):
                    return m
            elif group != "emotion_situation" and _about_client(toks, k, context_words, m.group()):
                return m
    for name in ("reflect_frame", "reflect_copula", "reflect_known", "reflect_being", "reflect_there"):
        m = L.pat[name].search(s)
        if m and not _negated_at(toks, s.count(" ", 0, m.start())):
            return m
    return None


# ----------------------------------------------------------------------------------------------- imperatives
_IMPERATIVE_LEAD = frozenset("so well okay ok then maybe perhaps please just and but also first now honestly "
                             "really seriously instead next definitely yeah right look listen oh hey um uh".split())
_NOT_ADVICE_AFTER = {  # verb -> next words that make it an invitation or courtesy, not advice
    "tell": {"me", "us"}, "let": {"me", "us"}, "call": {"me", "us"}, "text": {"me", "us"}, "email": {"me", "us"},
    "ring": {"me", "us"}, "phone": {"me", "us"}, "give": {"me", "us"}, "see": {"you"}, "keep": {"me", "us", "in"},
    "take": {"your", "care", "a", "all"}, "go": {"on", "ahead"}, "get": {"back", "in"}, "try": {"not"},
    "be": {"with"}, "look": {",", "at"}, "listen": {","}, "wait": {",", "a"}, "walk": {"me", "us"},
    "fill": {"me", "us"}, "show": {"me", "us"}, "catch": {"me"},
}


def _imperative(doc: Doc, L: Lexicon) -> str | None:
    verbs = L.sets["imperative_verb"]
    for start, end, asked in doc.sentences:
        if asked:
            continue
        toks = doc.norm[start:end].split(" ")
        for c in (0,):  # only a sentence-initial verb: mid-sentence verbs are mostly not commands
            i = _skip(toks, c, _IMPERATIVE_LEAD)
            if i < len(toks) and toks[i] in ("don't", "never"):
                i += 1
                if i < len(toks) and toks[i] in ("be", "feel", "get") and i + 1 < len(toks):
                    continue  # "don't be scared" is minimizing, handled there
            if i >= len(toks):
                continue
            verb, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else ""
            two = f"{verb} {nxt}"
            if " ".join(toks[i + 1:i + 3]) in ("to me", "with me", "to us", "with us", "me about"):
                continue  # "talk to me about it" invites the client to talk
            if (verb in verbs or two in verbs) and nxt not in _NOT_ADVICE_AFTER.get(verb, ()):
                if nxt in ("?", "'s") or (nxt == "." and verb in ("see", "wait")):
                    continue
                offset = start + len(" ".join(toks[:c]))
                return doc.span(offset, end)
    return None


# ----------------------------------------------------------------------------------------------- detectors
def reflects_feeling(doc, L, ctx):
    for start, end, _ in doc.sentences:
        m = _feeling_in(doc.norm[start:end], L, ctx)
        if m:
            return doc.span(start + m.start(), start + m.end())
    return None


def validates(doc, L, ctx):
    return _find(doc, L, "validates") or _question_move(doc, L, "rhetorical_q")


def open_question(doc, L, ctx):
    return _question_move(doc, L, "open")


def closed_question(doc, L, ctx):
    return _question_move(doc, L, "closed")


def offers_choice(doc, L, ctx):
    return _find(doc, L, "offers_choice")


def affirms_strength(doc, L, ctx):
    return _find(doc, L, "affirms_strength")


def collaborates(doc, L, ctx):
    return _find(doc, L, "collaborates") or _question_move(doc, L, "collab_q")


def honest_limits(doc, L, ctx):
    return _find(doc, L, "honest_limits")


def sympathy(doc, L, ctx):
    return _find(doc, L, "sympathy")


def minimizing(doc, L, ctx):
    return _find(doc, L, "minimizing", own_words=True)


def judgment(doc, L, ctx):
    return _find(doc, L, "judgment", own_words=True) or _question_move(doc, L, "judgment_q")


def advice(doc, L, ctx):
    return _find(doc, L, "advice", own_words=True) or _question_move(doc, L, "advice_q") or _imperative(doc, L)


def false_reassurance(doc, L, ctx):
    return _find(doc, L, "false_reassurance", own_words=True)


# a term explained in plain words is not jargon: "an IEP meeting (the plan for his extra help)", "the plan for
# his extra help (IEP)", "an IEP - that's where they write down...", "TANF, which is cash help for families"
_GLOSS_AFTER = re.compile(r"(?:[ \t]+[A-Za-z][\w-]*){0,2}[ \t]*(?:\(|[—–-]+\s*(?:that's|that is|which is|which means|it's|it is|this is"
                          r"|meaning|i\.e\.|basically|in other words|a |an |the )|,\s*(?:which (?:is|means)|that is|that's|"
                          r"meaning|i\.e\.|basically|in other words|or |a |an |the )|:|\s+(?:means|stands for|is (?:a|an|the|where|when|"
                          r"what|how|just|basically|when)\b))", re.I)


def _glossed(text: str, start: int, end: int) -> bool:
    i = text.rfind("(", max(0, start - 25), start)  # the term is the bracketed short form: "...help (an IEP)"
    if i != -1 and ")" not in text[i:start] and 0 <= text.find(")", end, end + 25):
        return True
    return _GLOSS_AFTER.match(text, end) is not None


def jargon(doc, L, ctx):
    text = doc.text
    for norm, s, e in doc.tokens:  # acronyms count only in capitals unless never an ordinary word
        word = text[s:e]
        if (word in L.acronyms or (word.endswith("s") and word[:-1] in L.acronyms and word[:-1].isupper())
                or norm in L.sets["acronym_any_case"]) and not _glossed(text, s, e):
            return word
    if set(t[0] for t in doc.tokens).isdisjoint(L.firsts["term"]):
        return None
    for m in L.word["term"].finditer(doc.norm):
        first, last = doc.token_range(m.start(), m.end())
        if not _glossed(text, doc.tokens[first][1], doc.tokens[last][2]):
            return doc.span(m.start(), m.end())
    return None


def self_focus(doc, L, ctx):
    return _find(doc, L, "self_focus")


def deficit_label(doc, L, ctx):
    for start, end, _ in doc.sentences:
        s = doc.norm[start:end]
        if set(s.split(" ")).isdisjoint(L.firsts["label"]):
            continue
        for m in L.word["label"].finditer(s):
            if not _overlaps(m, L.pat["label_not"].finditer(s)):
                return doc.span(start + m.start(), start + m.end())
    return None


def _question_move(doc, L, kind):
    if "questions" not in doc.cache:
        doc.cache["questions"] = question_clauses(doc, L)
    for k, evidence in doc.cache["questions"]:
        if k == kind:
            return evidence
    return None


DETECTORS = (reflects_feeling, validates, open_question, closed_question, offers_choice, affirms_strength,
             collaborates, honest_limits, sympathy, minimizing, judgment, advice, false_reassurance, jargon,
             self_focus, deficit_label)


def _detect(text: str, context: str | None) -> dict[str, str]:
    L = lexicon()
    doc = Doc(text, L.spelling)
    ctx = frozenset()
    if context:
        ctx = frozenset(w[:5] for w in Doc(context, L.spelling).norm.split(" ") if len(w) > 2)
    found = {}
    for fn in DETECTORS:
        evidence = fn(doc, L, ctx)
        if evidence:
            found[fn.__name__] = evidence
    return found


def detect_all(text: str, context: str | None) -> dict[str, str]:
    """Moves found in `text` -> the student's words that show each. Never raises: no moves on failure."""
    try:
        return _detect(text if isinstance(text, str) else "", context if isinstance(context, str) else None)
    except Exception:  # a checker that crashes on odd input would cost a student marks; tests call _detect
        return {}
