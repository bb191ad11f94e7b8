"""Text helpers every stage shares: sentences, the tokenisers, content words (regex; any script).

Three tokenisers, each for one use, none to be swapped for another (each stage's numbers depend on it):

- :func:`reading_words` — words as a reader counts them, "don't" and "well-known" one word each
  (article size, readability, rates per 1,000 words);
- :func:`script_tokens` — a line's tokens in any script, ideographs and kana as words of up to two
  characters, apostrophes and hyphens splitting (the cleaning rules' word counts, shingles, stems);
- :data:`LOOSE_WORD` — letters, digits, apostrophes and hyphens, the run's ends included (the words of
  a name or a quoted title, and those scanned for a speech verb).
"""

from __future__ import annotations

import functools
import re

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "sens",
        "rep",
        "reps",
        "messrs",
        "maj",
        "det",
        "cpl",
        "pvt",
        "supt",
        "atty",
        "rev",
        "hon",
        "pres",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "fig",
        "al",
        "approx",
        "dept",
        "est",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "ft",
        "mt",
    ]
)
NAME_SUFFIXES = frozenset(("Jr", "Sr", "II", "III", "IV"))  # after a surname: "James Smith Jr." is Smith
# a dateline's place and state, before its dash: "AUGUSTA, Me.", "KANSAS CITY, Mo.", "LIVINGSTON, N.J."
_DATELINE_HEAD = re.compile(r"[A-Z][A-Z.' ]+,\s*[A-Z][A-Za-z.]{0,6}\.")
_DATELINE_REST = re.compile(r"(?:\([^()]{1,40}\)\s*)?[—–-]")  # after the state: the dash, or a wire's "(AP) —"
_CLOCK = frozenset(("a.m", "p.m"))  # a time: the sentence may end on it
# what follows a time inside its sentence: a day, a month, a time zone ("7 a.m. Tuesday", "10 p.m. ET"), also in
# brackets ("At approximately 1 p.m. (Monday), Emarjae and another boy came over")
_AFTER_CLOCK = re.compile(
    r"\(?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Eastern|Pacific|Central|"
    r"Mountain|local|[A-Z]{1,4}T\b|GMT\b|UTC\b)"
)
# a sentence end glued to the next sentence, as some captured pages run them ("for their lives.Angela Galbraith
# was", "she said."The"): two lower-case letters, the stop (and a closing quote), a capital and a lower-case letter
# or a space ("shooting.A 14-year-old"); not a web address ("www.DearAbby.com")
_GLUED = (
    r"""(?:(?<=[a-z]{2}[.!?])|(?<=[a-z]{2}[.!?]["”]))(?=“?[A-Z][a-z\s])"""
    r"""(?![A-Za-z0-9-]+\.(?:com|org|net|gov|edu)\b)"""
)
# a question or exclamation quoted, then only who asked it: '“… be approved?” Senate Majority Leader Mitch McConnell,
# R-Ky., asked on Tuesday.' is one sentence (a capital after "?”" would start a new one)
_QUOTE_ASKED = re.compile(r"[?!]+[\"”’']+")
_ATTRIBUTION_ONLY = re.compile(
    r"(?:[A-Z][\w.’'-]*,?\s+){1,8}(?:[\w.’'-]+,?\s+){0,4}?"
    r"(?:(?:said|says|asked|asks|added|adds|wrote|writes|tweeted|replied|wondered|exclaimed|shouted|demanded)\b"
    r"|told(?:\s+[\w.’'-]+){1,4}?(?=[\s,.]))"
    # then nothing, or when, where or to whom ("on Tuesday", "at the council"), never a clause of its own
    r"(?:,?\s+(?:on|in|at|to|during|after|before|with|from|of|last|this|late|early|earlier|later|yesterday|today|"
    r"tonight|reporters|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b[^.!?“”\"]{0,50})?\.(?=\s|$)"
)
_CANDIDATE = re.compile(
    r"""([.!?…。！？]+["'”’»)\]]*)(\s+|"""
    + _GLUED
    + r""")(?=["'“‘«(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF\u0600-\u06FF–—-])"""
    r"""|([。！？]+)(\s*)(?=[^\s」』”’)）])"""  # Chinese, Japanese: no space after; not inside 「…。」
)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; paragraphs (lines) never share a sentence (see :func:`paragraph_sentences`)."""
    return [sentence for paragraph in paragraph_sentences(text) for sentence in paragraph]


def paragraph_sentences(text: str) -> list[list[str]]:
    """The sentences of each non-empty paragraph (line) of the text.

    A full stop ends a sentence when an upper-case letter, digit or dash follows and the word
    before it is not a known abbreviation or a single initial ("Kim Jong Un. The" splits,
    "U.S. officials" and "J. Smith" do not); 。！？ end one whatever follows ("東京で会議。首相は").
    """
    paragraphs: list[list[str]] = []
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        sentences: list[str] = []
        paragraphs.append(sentences)
        start = 0
        for match in _CANDIDATE.finditer(para):
            stop = 1 if match.group(1) is not None else 3
            end = match.end(stop)
            before = para[start : match.start(stop)].rsplit(None, 1)
            last = before[-1].lower().strip("(\"'“‘") if before else ""
            if match.group(stop).startswith(".") and (
                last in ABBREVIATIONS or re.fullmatch(r"\w", last) or re.fullmatch(r"(\w\.)+\w", last)
            ) and not (last in _CLOCK and not _AFTER_CLOCK.match(para, match.end())):
                continue  # "7 a.m. Tuesday" goes on; "by 7 a.m. Nurse Okafor said" is a new sentence
            if stop == 1 and _QUOTE_ASKED.fullmatch(match.group(1)) and _ATTRIBUTION_ONLY.match(para, match.end()):
                continue  # the quote's speaker follows: one sentence
            head = not start and _DATELINE_HEAD.fullmatch(para[: match.end(stop)])
            if head and _DATELINE_REST.match(para, match.end()):
                continue  # "AUGUSTA, Me. — Gov. …", "WICHITA, Kan. (AP) — A …": a dateline's state, not a sentence
            following = match.end()
            if stop == 1 and not match.group(2) and match.group(1).endswith('"') and para.count('"', 0, end) % 2:
                end = following = end - 1  # 'inside a bar."I just sat down,"': the quote opens the next sentence
            piece = para[start:end].strip()
            if piece:
                sentences.append(piece)
            start = following
        tail = para[start:].strip()
        if tail:
            sentences.append(tail)
    return paragraphs


# --- Words as a reader counts them ---

READING_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)


def reading_words(text: str) -> list[str]:
    """Words as a reader counts them: "don't" and "well-known" are one word each."""
    return READING_WORD.findall(text)


# --- Tokens of one line, in any script (the cleaning rules count words with these) ---

# Chinese and Japanese are written without spaces: a run of ideographs or kana would be one
# "word" as long as a sentence, so such runs count as words of up to two characters (about
# the length of a Japanese or Chinese word) and a line's word count means the same in every script.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
SCRIPT_TOKEN = re.compile(f"[{CJK}]{{1,2}}|[^\\W{CJK}]+", re.UNICODE)

# Answers about one line that its rule label and its line features both ask for (its tokens ~8
# times, several predicates twice): remembered for the last LINE_MEMO lines, a few pages' worth, not for
# the corpus. Only immutable answers (bool, str, tuple) are remembered.
LINE_MEMO = 1024
line_memo = functools.lru_cache(maxsize=LINE_MEMO)


@line_memo
def script_tokens(line: str) -> tuple[str, ...]:
    """A line's tokens in any script ("don't" -> "don", "t"; "旋回橋を" -> "旋回", "橋を"), remembered per line."""
    return tuple(SCRIPT_TOKEN.findall(line))


def shingle_set(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The text's lower-cased word n-grams: how much two texts share, whatever their line breaks."""
    tokens = [w.lower() for w in SCRIPT_TOKEN.findall(text)]
    return {tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1))}


# --- Content words: what a line is about, compared by crude prefix stems ---

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "although",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "new",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "same",
        "says",
        "said",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "two",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "year",
        "years",
        "you",
        "your",
    ]
)
STEM_LEN = 6


@functools.lru_cache(maxsize=65536)
def content_stems(text: str) -> frozenset[str]:
    """The line's content-word stems (cached: the off-topic judge asks about the same lines repeatedly)."""
    stems = {
        w.lower()[:STEM_LEN]
        for w in SCRIPT_TOKEN.findall(text)
        if len(w) >= 4 and not w.isdigit() and w.lower() not in STOPWORDS
    }
    for run in CJK_RUN.findall(text):  # unspaced scripts: every pair of characters, wherever words start
        stems.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(stems)


# --- The words of names and titles ---

# Letters, digits, apostrophes and hyphens, the run's ends included ("Jones'", "'90s"): the words of a
# name or a quoted title, and the words scanned for a speech verb.
LOOSE_WORD = re.compile(r"[\w’'-]+")
