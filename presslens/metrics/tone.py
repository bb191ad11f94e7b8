"""Tone per sentence with VADER (Hutto & Gilbert 2014), a lexicon-and-rules sentiment model.

VADER scores how positive or negative the words of a sentence are, quotes included. On hard news
that is mostly the words of the events reported ("attack", "killed", "war"), not the outlet's
stance toward them: the report and README say so, and ``presslens bench tone`` measures it against
BASIL's annotated author feeling. VADER ships its lexicon inside the package (no download);
for other languages tone is left empty with a reason rather than guessed. The usual VADER
thresholds apply: compound >= 0.05 positive, <= -0.05 negative.
"""

from __future__ import annotations

import functools

POSITIVE, NEGATIVE = 0.05, -0.05
SUPPORTED_LANGUAGES = frozenset({"en"})


@functools.lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def valence(word: str) -> float:
    """VADER's valence of one lower-case word (0.0 when the lexicon does not have it)."""
    return float(_analyzer().lexicon.get(word, 0.0))


def sentence_tone(sentence: str) -> float:
    """VADER compound score in [-1, 1]."""
    return round(float(_analyzer().polarity_scores(sentence)["compound"]), 4)


def tone_summary(compounds: list[float]) -> dict[str, float | None]:
    """Mean compound and the shares of positive and negative sentences."""
    if not compounds:
        return {"tone_mean": None, "tone_positive_share": None, "tone_negative_share": None}
    n = len(compounds)
    return {
        "tone_mean": round(sum(compounds) / n, 4),
        "tone_positive_share": round(sum(c >= POSITIVE for c in compounds) / n, 4),
        "tone_negative_share": round(sum(c <= NEGATIVE for c in compounds) / n, 4),
    }
