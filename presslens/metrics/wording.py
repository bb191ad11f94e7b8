"""Loaded language and hedging: rates per 1,000 words from two small English lexicons.

Loaded terms are intensifiers and evaluative words a neutral report avoids ("slammed",
"shocking", "regime"); hedges mark uncertainty or distance ("reportedly", "allegedly",
"may", "could"). Counts are per word occurrence; phrases count once.
"""

from __future__ import annotations

import re

HEDGES = (
    "reportedly allegedly apparently possibly probably perhaps likely unlikely may might could seemingly "
    "supposedly purportedly presumably suggest suggests suggested appear appears appeared seem seems seemed "
    "unconfirmed unverified claimed claims"
).split()
HEDGE_PHRASES = (
    "it is unclear",
    "it was unclear",
    "according to reports",
    "is believed to",
    "are believed to",
    "was believed to",
    "is thought to",
    "are thought to",
    "it remains unclear",
    "sources say",
)
LOADED = (
    "very extremely incredibly hugely massive massively huge enormous shocking shocked outrageous outrage "
    "disgraceful disgrace slammed slams blasted blasts lashed ripped stunning stunned devastating devastated "
    "catastrophic catastrophe disaster disastrous brutal brutally horrific horrifying terrifying furious fury "
    "chaos chaotic crisis scandal scandalous radical extremist regime thug thugs propaganda puppet notorious "
    "infamous ruthless reckless absurd ridiculous pathetic evil heroic historic unprecedented dramatic dramatically "
    "explosive bombshell blistering scathing fierce fiercely vicious slaughter massacre crackdown draconian "
    "sham hoax lies lying corrupt despicable outright totally absolutely clearly obviously undeniably"
).split()
_LOWER_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def _count(text: str, vocabulary: set[str], phrases: tuple[str, ...] = ()) -> int:
    lowered = text.lower()
    return sum(1 for w in _LOWER_WORD.findall(lowered) if w in vocabulary) + sum(lowered.count(p) for p in phrases)


_HEDGES, _LOADED = set(HEDGES), set(LOADED)


def hedge_count(text: str) -> int:
    return _count(text, _HEDGES, HEDGE_PHRASES)


def loaded_count(text: str) -> int:
    return _count(text, _LOADED)


def per_thousand(count: int, words: int) -> float | None:
    return round(1000.0 * count / words, 2) if words else None
