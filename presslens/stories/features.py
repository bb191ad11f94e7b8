"""What tells one event from another: an article's weighted terms, names, numbers, years and date.

Two earthquakes, two coach firings or two elections share their vocabulary; what differs is
who (names), how much (numbers), when (years, the publication date) and what the headline and
lead say. Each article becomes a bag of features with the headline and the lead counted
:data:`TITLE_WEIGHT` and :data:`LEAD_WEIGHT` times:

- ``stem``: 6-letter prefix of a content word (the stems :mod:`presslens.clean.topic` uses)
- ``N:name``: a capitalised word that does not open a sentence (people, places, organisations)
- ``#:number``: a number above 10, decimals and thousands kept whole ("5.6", "2,000", "$160")
- ``Y:year``: a year, 1950–2049, from the text and from the publication date

The publication date itself is kept apart (:attr:`EventFeatures.day`) and only when it is
plausible: not before 1990 and not in the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from presslens.clean.lines import CJK_RUN
from presslens.clean.topic import STEM_LEN, STOPWORDS

TITLE_WEIGHT = 2
LEAD_WEIGHT = 2
LEAD_PARAGRAPHS = 2  # the lead: an article's first two paragraphs
MAX_TERMS = 300  # features kept per article (the heaviest): bounds the grouping state per article
EARLIEST_DATE = date(1990, 1, 1)

# a number (decimals, thousands, currency and percent kept whole) or a word
_TOKEN = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_YEAR = re.compile(r"(?:19[5-9]\d|20[0-4]\d)")
_SENTENCE_OPENERS = frozenset(".!?:;\"“‘'«(—–-")


@dataclass
class EventFeatures:
    """What grouping needs of one article; stored with the article's run state."""

    article_id: str
    terms: dict[str, float] = field(default_factory=dict)
    day: str | None = None  # ISO date, plausible publication dates only
    title: str = ""  # the headline, else the article's first words: what a story is called after
    pinned: str | None = None  # the story the user filed it under, if any

    def to_state(self) -> dict:
        return {"terms": self.terms, "day": self.day, "title": self.title}

    @classmethod
    def from_state(cls, article_id: str, state: dict) -> EventFeatures:
        """From an article's run state (processed/state/<article_id>.json)."""
        grouping = state.get("grouping") or {}
        pinned = state.get("story")
        return cls(
            article_id,
            dict(grouping.get("terms") or {}),
            grouping.get("day"),
            grouping.get("title") or "",
            str(pinned) if pinned else None,
        )


def plausible_day(value: object, today: date | None = None) -> str | None:
    """The ISO day of ``value`` when it is a real date from 1990 up to tomorrow, else None."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    today = today or date.today()
    if day < EARLIEST_DATE or day > today + timedelta(days=1):
        return None
    return day.isoformat()


def zone_terms(text: str) -> list[str]:
    """The features of one stretch of text, in order (see the module docstring)."""
    out: list[str] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token[0].isdigit() or token[0] == "$":
            number = token.strip("$%").replace(",", "")
            if _YEAR.fullmatch(number):
                out.append("Y:" + number)
            elif "." in number or (number.isdigit() and int(number) > 10):
                out.append("#:" + number)
            previous_end = match.end()
            continue
        lowered = token.lower()
        gap = text[previous_end : match.start()].strip()
        opens_sentence = match.start() == 0 or (gap[-1:] in _SENTENCE_OPENERS if gap else False)
        previous_end = match.end()
        if CJK_RUN.fullmatch(token):  # unspaced scripts: character pairs stand in for words
            out += [token[i : i + 2] for i in range(max(1, len(token) - 1))]
            continue
        if len(token) < 3 or lowered in STOPWORDS:
            continue
        out.append(lowered[:STEM_LEN])
        if token[0].isupper() and not opens_sentence and not token.isupper():
            out.append("N:" + lowered)
        elif token.isupper() and len(token) >= 3 and not opens_sentence:
            out.append("N:" + lowered)  # acronyms: NATO, UNHCR
    return out


def event_features(
    article_id: str, title: str | None, text: str, published: object = None, pinned: str | None = None
) -> EventFeatures:
    """An article's event features: headline and lead weighted above the body, capped at MAX_TERMS."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    counts: dict[str, float] = {}
    for zone, weight in (
        (title or "", TITLE_WEIGHT),
        (" ".join(paragraphs[:LEAD_PARAGRAPHS]), LEAD_WEIGHT),
        (" ".join(paragraphs[LEAD_PARAGRAPHS:]), 1),
    ):
        for term in zone_terms(zone):
            counts[term] = counts.get(term, 0.0) + weight
    day = plausible_day(published) if published else None
    if day:
        counts["Y:" + day[:4]] = counts.get("Y:" + day[:4], 0.0) + 1
    if len(counts) > MAX_TERMS:
        counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
    return EventFeatures(article_id, counts, day, headline(title, paragraphs), pinned)


HEADLINE_WORDS = 14


def headline(title: str | None, paragraphs: list[str]) -> str:
    """The title, else the first sentence of the article cut to HEADLINE_WORDS words."""
    if title and title.strip():
        return " ".join(title.split())
    if not paragraphs:
        return ""
    from presslens.sentences import split_sentences

    first = (split_sentences(paragraphs[0]) or [paragraphs[0]])[0].split()
    return " ".join(first[:HEADLINE_WORDS]) + (" …" if len(first) > HEADLINE_WORDS else "")
