"""Is a block about the article's subject? Lexical overlap with the rest of the article.

Teasers for unrelated stories often carry no "Related" label; what gives them away is that
they share almost no content words with the article around them. Words are compared by a
crude prefix stem so "sanction"/"sanctions"/"sanctioned" match in any Latin or Cyrillic
language without a stemmer per language.
"""

from __future__ import annotations

from collections import Counter

from presslens.text import content_stems

RELATED_SHARE = 0.2
RELATED_MIN_SHARED = 6


class OffTopicJudge:
    """Judges lines against the article's vocabulary, leaving the line itself out."""

    def __init__(self, article_lines: list[str], title: str | None = None):
        self.counts: Counter[str] = Counter()
        self.own: dict[str, frozenset[str]] = {}
        for text in article_lines + ([title] if title else []):
            self.add(text)
        self.empty = len(article_lines) < 2

    def overlap(self, text: str) -> tuple[int, int]:
        """(content stems shared with the rest of the article, content stems in ``text``)."""
        stems = content_stems(text)
        own = self.own.get(text, set())
        shared = sum(1 for s in stems if self.counts[s] - (1 if s in own else 0) > 0)
        return shared, len(stems)

    def add(self, text: str) -> None:
        """Grow the vocabulary with a line accepted into the article."""
        stems = content_stems(text)
        self.own[text] = stems
        self.counts.update(stems)
        self.empty = False

    def related(self, text: str) -> bool:
        """Stricter than :meth:`on_topic`: a real share of the line's words, not two chance matches."""
        return related_overlap(*self.overlap(text))

    def on_topic(self, text: str) -> bool:
        if self.empty:
            return True
        shared, total = self.overlap(text)
        if total == 0:
            return True
        return shared >= 2 or shared / total >= 0.25


def related_overlap(shared: int, total: int) -> bool:
    """:meth:`OffTopicJudge.related` from an overlap already counted (``shared`` of ``total`` stems)."""
    if total == 0:
        return True
    return shared / total >= RELATED_SHARE or shared >= RELATED_MIN_SHARED


def coherence(lines: list[str]) -> float:
    """Mean share of each line's content stems found in the other lines (0 = unrelated lines)."""
    if len(lines) < 2:
        return 0.5
    judge = OffTopicJudge(lines)
    shares = []
    for text in lines:
        shared, total = judge.overlap(text)
        if total:
            shares.append(shared / total)
    return sum(shares) / len(shares) if shares else 0.0
