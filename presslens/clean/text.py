"""Plain-text page dumps: find the article among menus, promos and teasers, line by line.

How it works, in reading order of the code:

1. every line gets a rule label from :mod:`presslens.clean.lines` (share, promo, related …);
2. every line gets a score — prose lines (long, ending like a sentence) score their word
   count, short unpunctuated lines (menus, teasers) and labelled boilerplate score negative;
3. the article body is the best-scoring contiguous run of lines (maximum subarray), cut at
   a "Related"/"Comments" heading that closes it;
4. the lines just above the body are read for metadata: title, date, byline, dateline,
   caption, a repeated title;
5. inside the body, labelled lines and blocks that share no vocabulary with the article
   (off-topic teasers) are removed. Every removed line keeps its reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from presslens.clean import lines as L
from presslens.clean.topic import OffTopicJudge
from presslens.model import Block, Extraction

HEADER_LOOKBACK = 25  # lines above the body searched for title, byline, date
PROSE_MIN_WORDS = 8


@dataclass
class Line:
    index: int
    text: str
    label: str | None = None
    score: float = 0.0

    @property
    def n_words(self) -> int:
        return len(L.words(self.text))


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t\f\v]+", " ", line).strip()


def same_title(a: str, b: str) -> bool:
    """Two headlines that differ only in quotes, case or spacing."""

    def key(s: str) -> str:
        return " ".join(w.lower() for w in L.words(s.replace("’", "'")))

    return bool(a and b) and key(a) == key(b)


def rule_label(text: str) -> str | None:
    """The boilerplate family a line belongs to by its form alone, or None."""
    if L.is_share(text):
        return "share"
    if L.is_related_heading(text):
        return "related"
    if L.is_comments(text):
        return "comments"
    if L.is_syndication(text):
        return "syndication"
    if L.is_caption(text):
        return "caption"
    if L.is_masthead_staff(text):
        return "masthead"
    n = len(L.words(text))
    if L.is_promo(text) and n <= 60:
        return "promo"
    if L.is_footer(text) and n <= 40:
        return "footer"
    if L.is_inline_teaser(text) and not L.ends_sentence(text):
        return "related"
    return None


def line_score(line: Line) -> float:
    """Positive for article prose, negative for menus, teasers and labelled boilerplate."""
    if line.label:
        return -20.0
    n = line.n_words
    if n >= PROSE_MIN_WORDS and L.ends_sentence(line.text):
        return float(min(n, 80))
    if n >= 25:
        return 0.7 * min(n, 80)
    if n <= 3:
        return -3.0
    return -1.5


def best_run(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous run (Kadane); returns [start, end) indexes, empty when nothing scores."""
    best, best_span = float("-inf"), (0, 0)
    current, start = 0.0, 0
    for i, score in enumerate(scores):
        if current <= 0:
            current, start = score, i
        else:
            current += score
        if current > best:
            best, best_span = current, (start, i + 1)
    return best_span if best > 0 else (0, 0)


class TextCleaner:
    """Cleans one plain-text page dump into an :class:`Extraction`."""

    def __init__(self, text: str, title_hint: str | None = None, whole_body: bool = False):
        raw_lines = [normalize_line(t) for t in text.splitlines()]
        self.lines = [Line(i, t) for i, t in enumerate(raw_lines) if t]
        self.title_hint = title_hint
        self.whole_body = whole_body  # text already extracted (from HTML): no body search
        self.meta = Extraction()
        self.reasons: dict[int, str] = {}  # position in self.lines -> removal reason

    # -- steps ---------------------------------------------------------------------------
    def run(self) -> Extraction:
        if not self.lines:
            return self.meta
        for line in self.lines:
            line.label = rule_label(line.text)
            line.score = line_score(line)
        if self.whole_body:
            start, end = 0, len(self.lines)
        else:
            start, end = best_run([ln.score for ln in self.lines])
        end = self.cut_at_closing_heading(start, end)
        self.read_header(start)
        self.clean_body(start, end)
        self.read_lead(start, end)
        self.label_outside(start, end)
        self.read_syndication()
        kept = [ln.text for i, ln in enumerate(self.lines) if start <= i < end and i not in self.reasons]
        self.meta.text = "\n\n".join(kept)
        self.meta.blocks = [
            Block(ln.text, kept=i not in self.reasons, reason=self.reasons.get(i)) for i, ln in enumerate(self.lines)
        ]
        return self.meta

    def cut_at_closing_heading(self, start: int, end: int) -> int:
        """End the body at a 'Related'/'Comments' heading once most of the prose is behind us."""
        total = sum(ln.n_words for ln in self.lines[start:end] if ln.score > 0)
        seen = 0
        for i in range(start, end):
            line = self.lines[i]
            closing = line.label == "comments" or (line.label == "related" and L.is_related_heading(line.text))
            if closing and seen >= 0.5 * total:
                return i
            if line.score > 0:
                seen += line.n_words
        return end

    def read_header(self, start: int) -> None:
        """Title, date, byline, dateline and captions in the lines just above the body."""
        lo = max(0, start - HEADER_LOOKBACK)
        title_at = self.find_title(lo, start)
        if title_at is not None:
            self.meta.title = self.lines[title_at].text
            self.reasons[title_at] = "metadata"
            lo = min(lo, title_at)
        title = self.meta.title or self.title_hint
        for i in range(lo, start):
            if i in self.reasons:
                continue
            text = self.lines[i].text
            if title and same_title(text, title):
                self.reasons[i] = "duplicate-title"
            elif self.lines[i].label:
                self.reasons[i] = self.lines[i].label
            elif L.is_date_line(text):
                self.take_date_line(text)
                self.reasons[i] = "metadata"
            elif (author := L.parse_byline(text)) is not None:
                self.meta.author = self.meta.author or author
                self.reasons[i] = "metadata"
            elif (place := L.dateline(text)) is not None and not place[1]:
                self.meta.dateline = self.meta.dateline or place[0]
                self.reasons[i] = "metadata"
            elif (
                title_at is not None
                and i > title_at
                and not self.meta.author
                and L.looks_like_name(text)
                and self.near_date(i)
            ):
                self.meta.author = text
                self.reasons[i] = "metadata"

    def read_lead(self, start: int, end: int) -> None:
        """A dateline or wire credit opening the first kept paragraph ("SEOUL (Reuters) - ...")."""
        first = next((self.lines[i].text for i in range(start, end) if i not in self.reasons), None)
        if first is None:
            return
        place = L.dateline(first)
        if place and place[1]:
            self.meta.dateline = self.meta.dateline or place[0]
        wire = L.wire_credit(first)
        if wire:
            self.meta.original_source = self.meta.original_source or wire

    def near_date(self, i: int) -> bool:
        """True when a date line is within two lines of ``i`` (bylines sit beside dates)."""
        return any(
            L.is_date_line(self.lines[j].text) for j in range(max(0, i - 2), min(len(self.lines), i + 3)) if j != i
        )

    def find_title(self, lo: int, start: int) -> int | None:
        """The headline: the nearest headline-shaped line above the body (or the hinted title)."""
        if self.title_hint:
            for i in range(start - 1, lo - 1, -1):
                if same_title(self.lines[i].text, self.title_hint):
                    # the first occurrence is the title, later ones duplicates
                    first = i
                    for j in range(i - 1, lo - 1, -1):
                        if same_title(self.lines[j].text, self.title_hint):
                            first = j
                    return first
            self.meta.title = self.title_hint
            return None
        for i in range(start - 1, lo - 1, -1):
            line = self.lines[i]
            if line.label or not self.headline_shaped(line.text):
                continue
            first = i
            for j in range(i - 1, max(-1, i - HEADER_LOOKBACK), -1):
                if same_title(self.lines[j].text, line.text):
                    first = j
            return first
        return None

    @staticmethod
    def headline_shaped(text: str) -> bool:
        n = len(L.words(text))
        if not 3 <= n <= 30 or len(text) > 250:
            return False
        if text.endswith(".") and not text.endswith("..."):
            return False
        if L.is_date_line(text) or L.parse_byline(text) or L.is_nav_word(text) or L.dateline(text):
            return False
        return any(c.isupper() for c in text[:3]) or not text[:1].isalpha()

    def take_date_line(self, text: str) -> None:
        when = L.parse_date(text)
        if when and not self.meta.published:
            self.meta.published = when.isoformat() if (when.hour or when.minute) else when.date().isoformat()
        if not self.meta.author:
            rest = text
            for pattern in L._DATE_PATTERNS + [L._TIME]:
                rest = pattern.sub(" ", rest)
            rest = re.sub(
                r"\b(?:published|updated|posted|on|at|by|[A-Z]{2,4}T|GMT|UTC|mon|tue|wed|thu|fri|sat|sun)\b",
                " ",
                rest,
                flags=re.I,
            )
            rest = re.sub(r"[|•·,\-–—]+", " ", rest).strip()
            if rest and L.looks_like_name(rest) and len(rest.split()) >= 2:
                self.meta.author = rest

    def clean_body(self, start: int, end: int) -> None:
        """Remove labelled lines, teaser runs after a 'Related' heading, and off-topic blocks."""
        judge = OffTopicJudge([ln.text for ln in self.lines[start:end] if ln.score > 0], title=self.meta.title)
        in_teasers = False
        title = self.meta.title or self.title_hint
        for i in range(start, end):
            line = self.lines[i]
            if title and same_title(line.text, title):
                self.reasons[i] = "duplicate-title"
                continue
            if line.label:
                self.reasons[i] = line.label
                in_teasers = line.label == "related" and L.is_related_heading(line.text)
                continue
            prose = line.score > 0
            if in_teasers and not (prose and judge.on_topic(line.text)):
                self.reasons[i] = "related"
                continue
            in_teasers = False
            if self.teaser_shaped(line) and not judge.on_topic(line.text):
                self.reasons[i] = "off-topic"

    @staticmethod
    def teaser_shaped(line: Line) -> bool:
        """Headline-like lines (no sentence end, not introducing a list) are what teasers look like."""
        text = line.text.rstrip()
        return line.n_words >= 5 and not L.ends_sentence(text) and not text.endswith(":")

    def label_outside(self, start: int, end: int) -> None:
        """Give every line outside the body the most specific reason we can."""
        judge = OffTopicJudge([ln.text for ln in self.lines[start:end] if ln.score > 0], title=self.meta.title)
        after_related = False
        for i, line in enumerate(self.lines):
            if start <= i < end or i in self.reasons:
                continue
            if line.label:
                self.reasons[i] = line.label
                if i >= end and line.label in ("related", "comments"):
                    after_related = True
            elif i >= end and after_related:
                self.reasons[i] = "related"
            elif (i >= end or line.score > 0) and line.n_words >= 6 and not judge.on_topic(line.text):
                self.reasons[i] = "off-topic"
            elif i < start:
                self.reasons[i] = "masthead" if i == 0 else "navigation"
            else:
                self.reasons[i] = "boilerplate"

    def read_syndication(self) -> None:
        for i, line in enumerate(self.lines):
            if self.reasons.get(i) == "syndication" or line.label == "syndication":
                source = L.syndication_source(line.text)
                if source and not self.meta.original_source:
                    self.meta.original_source = source


def clean_text(text: str, title_hint: str | None = None) -> Extraction:
    """Clean a plain-text page dump: the article text, its metadata, and every removed line."""
    return TextCleaner(text, title_hint=title_hint).run()


def filter_extracted(text: str, title_hint: str | None = None) -> Extraction:
    """Second pass over text an HTML extractor already chose: teasers, promos, captions inside it."""
    return TextCleaner(text, title_hint=title_hint, whole_body=True).run()
