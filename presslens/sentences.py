"""Sentence and word splitting shared by metrics and coverage (regex; scripts with and without spaces)."""

from __future__ import annotations

import re

WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)
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
        "rep",
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
_CANDIDATE = re.compile(
    r"""([.!?…。！？]+["'”’»)\]]*)(\s+)(?=["'“‘«(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF\u0600-\u06FF–—-])"""
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
            ):
                continue
            piece = para[start:end].strip()
            if piece:
                sentences.append(piece)
            start = match.end()
        tail = para[start:].strip()
        if tail:
            sentences.append(tail)
    return paragraphs


def words(text: str) -> list[str]:
    return WORD.findall(text)
