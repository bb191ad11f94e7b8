"""The table of a page's lines: each line's text, number on the page, tag, rule label and prose score.

Plain text is split at its line breaks; an HTML page is rendered to one line per block element
(:func:`presslens.clean.html.render_lines`). Every later step — features, the line model, the
body selection, the removal rules and the audit trail — reads and writes this table by line
number, so a line is never looked up by its text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presslens.clean import lines as L
from presslens.clean.cleaned import Reason
from presslens.text import script_tokens

PROSE_MIN_WORDS = 8


_SPACES = re.compile(r"[ \t\f\v]+")


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "")
    return _SPACES.sub(" ", line).strip()


# A line's rule label: the boilerplate family its form alone shows, the first match in this order.
# Labels are read before the body is chosen: the line model sees them as features (a change here
# moves the model's input: retrain with benchmarks/train_lines.py), the prose score and the removal
# rules (:data:`presslens.clean.cleaner.RULES`) read them too.
LABELS: tuple[tuple[Reason, Callable[[str], bool]], ...] = (
    (Reason.SHARE, L.is_share),
    (Reason.RELATED, L.is_related_heading),
    (Reason.COMMENTS, L.is_comments),
    (Reason.SYNDICATION, L.is_syndication),
    (Reason.CAPTION, L.is_caption),
    (Reason.MASTHEAD, L.is_masthead_staff),
    (Reason.PROMO, lambda text: L.is_promo(text) and len(script_tokens(text)) <= 60),
    (Reason.FOOTER, lambda text: L.is_footer(text) and len(script_tokens(text)) <= 40),
    (Reason.RELATED, lambda text: L.is_inline_teaser(text) and not L.ends_sentence(text)),
    (Reason.RELATED, L.is_glued_teaser),
)
LABEL_REASONS: tuple[Reason, ...] = tuple(dict.fromkeys(reason for reason, _test in LABELS))


LABEL_CACHE_LINES = 8192  # lines whose label is kept: menus and footers recur from page to page of a site


@functools.lru_cache(maxsize=LABEL_CACHE_LINES)
def rule_label(text: str) -> Reason | None:
    """The boilerplate family a line belongs to by its form alone (:data:`LABELS`), or None; remembered
    for the last LABEL_CACHE_LINES lines (~40% of the Zyte pages' lines recur on another page)."""
    return next((reason for reason, test in LABELS if test(text)), None)


_INNER_PUNCTUATION = re.compile(r"[.,;:!?،。、，]\s")
WORD_LIST_SHORT_SHARE = 0.15  # prose in the dev languages has 30-50% words of <= 3 letters


def is_word_list(text: str) -> bool:
    """Many words, no punctuation, hardly a function word: a tag cloud, an archive or category
    select ("adote um amigo agua alerta ambiente …"), not an unpunctuated paragraph."""
    found = script_tokens(text)
    if len(found) < 25 or L.ends_sentence(text) or _INNER_PUNCTUATION.search(text):
        return False
    return sum(1 for w in found if len(w) <= 3) / len(found) < WORD_LIST_SHORT_SHARE


def line_score(text: str, label: Reason | None) -> float:
    """Positive for article prose, negative for menus, teasers and labelled boilerplate."""
    if label:
        return -20.0
    n = len(script_tokens(text))
    if n >= PROSE_MIN_WORDS and L.ends_sentence(text):
        return float(min(n, 80))
    if n >= 25 and not is_word_list(text):
        return 0.7 * min(n, 80)
    if n <= 3:
        return -3.0
    return -1.5


def headline_shaped(text: str) -> bool:
    """3–30 words, no full stop at the end, not a date, byline, menu word or dateline."""
    n = len(script_tokens(text))
    if not 3 <= n <= 30 or len(text) > 250:
        return False
    if text.endswith(".") and not text.endswith("..."):
        return False
    if L.is_date_or_byline(text) or L.is_nav_word(text) or L.dateline(text):
        return False
    first = text[:1]  # capitalised, or a script without case (Japanese, Chinese, Arabic …)
    return any(c.isupper() for c in text[:3]) or not first.isalpha() or first.lower() == first.upper()


@dataclass
class PageLines:
    """A page's non-empty lines with their rule labels and prose scores, one row per line."""

    texts: list[str]
    labels: list[Reason | None] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    blank_before: list[int] = field(default_factory=list)  # empty lines just above each line
    numbers: list[int] = field(default_factory=list)  # each line's number in the page it came from
    tags: list[str] = field(default_factory=list)  # the HTML element of each line ("" for plain text)
    features: Any = None  # the line model's feature matrix, one row per line, once computed

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = [rule_label(t) for t in self.texts]
        if not self.scores:
            self.scores = [line_score(t, lab) for t, lab in zip(self.texts, self.labels, strict=True)]
        self.numbers = self.numbers or list(range(len(self.texts)))
        self.tags = self.tags or [""] * len(self.texts)

    @classmethod
    def from_text(cls, text: str) -> PageLines:
        texts, blanks, run = [], [], 0
        for raw in text.splitlines():
            line = normalize_line(raw)
            if not line:
                run += 1
                continue
            texts.append(line)
            blanks.append(run)
            run = 0
        return cls(texts, blank_before=blanks)

    def subset(self, rows: list[int]) -> PageLines:
        """The table of these rows only (a page of its own, adjacent lines), keeping their numbers."""
        return PageLines(
            [self.texts[i] for i in rows],
            [self.labels[i] for i in rows],
            [self.scores[i] for i in rows],
            [0] * len(rows),
            [self.numbers[i] for i in rows],
            [self.tags[i] for i in rows],
            None if self.features is None else self.features[rows],
        )

    def blocks(self) -> list[int]:
        """Block number of each line: blocks are separated by empty lines (paragraphs vs menus)."""
        numbers, current = [], -1
        for i in range(len(self.texts)):
            if i == 0 or (self.blank_before and self.blank_before[i] > 0):
                current += 1
            numbers.append(current)
        return numbers

    def __len__(self) -> int:
        return len(self.texts)

    def n_words(self, i: int) -> int:
        return len(script_tokens(self.texts[i]))

    def prose(self, start: int, end: int) -> list[str]:
        return [self.texts[i] for i in range(start, end) if self.scores[i] > 0]
