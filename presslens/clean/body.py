"""Where is the article? Line labels, prose scores and the heuristic body finder.

A page (plain text, or HTML rendered to lines) is a list of lines. Each line gets a rule
label (share, promo, related …) and a prose score; the heuristic body is found by

1. taking the best-scoring runs of lines (maximum subarray) as candidates,
2. keeping the candidate whose prose is most coherent (article paragraphs share
   vocabulary; teaser lists and comment threads do not),
3. growing its longest stretch of prose in both directions while neighbouring prose stays
   on the same subject, across short gaps, stopping at a title block above and at a
   closing "Comments"/"Related" heading below.

The learned line classifier (:mod:`presslens.clean.line_model`) uses all of this as
features; when no model is shipped the heuristic body is used as it is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from presslens.clean import lines as L
from presslens.clean.topic import OffTopicJudge, coherence

PROSE_MIN_WORDS = 8
MAX_CANDIDATES = 4  # best-scoring runs compared for coherence
GROW_MAX_GAP = 6  # non-prose lines the body may bridge (subheadings, a share bar, an ad slot)
GROW_MAX_MISSES = 2  # consecutive off-subject prose lines that end the body


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t\f\v]+", " ", line).strip()


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
    if L.is_glued_teaser(text):
        return "related"
    return None


_INNER_PUNCTUATION = re.compile(r"[.,;:!?،。、，]\s")
WORD_LIST_SHORT_SHARE = 0.15  # prose in the dev languages has 30-50% words of <= 3 letters


def is_word_list(text: str) -> bool:
    """Many words, no punctuation, hardly a function word: a tag cloud, an archive or category
    select ("adote um amigo agua alerta ambiente …"), not an unpunctuated paragraph."""
    found = L.words(text)
    if len(found) < 25 or L.ends_sentence(text) or _INNER_PUNCTUATION.search(text):
        return False
    return sum(1 for w in found if len(w) <= 3) / len(found) < WORD_LIST_SHORT_SHARE


def line_score(text: str, label: str | None) -> float:
    """Positive for article prose, negative for menus, teasers and labelled boilerplate."""
    if label:
        return -20.0
    n = len(L.words(text))
    if n >= PROSE_MIN_WORDS and L.ends_sentence(text):
        return float(min(n, 80))
    if n >= 25 and not is_word_list(text):
        return 0.7 * min(n, 80)
    if n <= 3:
        return -3.0
    return -1.5


def headline_shaped(text: str) -> bool:
    """3–30 words, no full stop at the end, not a date, byline, menu word or dateline."""
    n = len(L.words(text))
    if not 3 <= n <= 30 or len(text) > 250:
        return False
    if text.endswith(".") and not text.endswith("..."):
        return False
    if L.is_date_or_byline(text) or L.is_nav_word(text) or L.dateline(text):
        return False
    first = text[:1]  # capitalised, or a script without case (Japanese, Chinese, Arabic …)
    return any(c.isupper() for c in text[:3]) or not first.isalpha() or first.lower() == first.upper()


def probable_stretch(probs, n_words) -> tuple[int, int]:
    """The page's most body-like stretch by line probability: the best run of (p - 0.5)
    weighted by line length, [start, end); empty when no line reaches 0.5."""
    return best_run([(p - 0.5) * (1.0 + math.log1p(w)) for p, w in zip(probs, n_words, strict=True)])


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


@dataclass
class PageLines:
    """A page's non-empty lines with their rule labels and prose scores."""

    texts: list[str]
    labels: list[str | None] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    blank_before: list[int] = field(default_factory=list)  # empty lines just above each line

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
        labels = [rule_label(t) for t in texts]
        scores = [line_score(t, lab) for t, lab in zip(texts, labels, strict=True)]
        return cls(texts, labels, scores, blanks)

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
        return len(L.words(self.texts[i]))

    def prose(self, start: int, end: int) -> list[str]:
        return [self.texts[i] for i in range(start, end) if self.scores[i] > 0]


def candidate_spans(page: PageLines, limit: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
    """The best-scoring runs of lines, best first, none overlapping."""
    scores = list(page.scores)
    spans = []
    for _ in range(limit):
        s, e = best_run(scores)
        if e <= s:
            break
        spans.append((s, e))
        scores[s:e] = [-1e9] * (e - s)
    return spans


def region_quality(page: PageLines, span: tuple[int, int]) -> float:
    """Prose words weighted by coherence: article paragraphs share vocabulary, teaser lists do not."""
    prose = page.prose(*span)
    return sum(len(L.words(t)) for t in prose) * (0.2 + coherence(prose))


def core_span(page: PageLines) -> tuple[int, int]:
    """The most coherent of the best-scoring runs."""
    spans = candidate_spans(page)
    return max(spans, key=lambda s: region_quality(page, s)) if spans else (0, 0)


def seed_span(page: PageLines, start: int, end: int) -> tuple[int, int]:
    """The longest stretch (in words) of consecutive prose lines inside [start, end)."""
    best, best_span, i = -1, (start, end), start
    while i < end:
        if page.scores[i] <= 0:
            i += 1
            continue
        j, words = i, 0
        while j < end and page.scores[j] > 0:
            words += page.n_words(j)
            j += 1
        if words > best:
            best, best_span = words, (i, j)
        i = j
    return best_span


def is_title_block(page: PageLines, i: int) -> bool:
    """A headline followed within a few lines by a date or byline: the article starts below it."""
    if not headline_shaped(page.texts[i]):
        return False
    following = page.texts[i + 1 : i + 5]
    return any(L.is_date_or_byline(t) for t in following)


def closes_article(page: PageLines, i: int, vocab: OffTopicJudge) -> bool:
    """A comments heading, or a related heading followed by lines on other subjects."""
    if page.labels[i] == "comments":
        return True
    if not (page.labels[i] == "related" and L.is_related_heading(page.texts[i])):
        return False
    after = [page.texts[j] for j in range(i + 1, min(len(page), i + 8)) if page.scores[j] > 0]
    return not after or sum(vocab.related(t) for t in after) < 0.5 * len(after)


def grow(page: PageLines, start: int, end: int) -> tuple[int, int]:
    """Extend [start, end) over neighbouring prose on the same subject, across short gaps."""
    vocab = OffTopicJudge(page.prose(start, end))

    def extend(index: int, step: int) -> int:
        edge, gap, misses = index, 0, 0
        i = index + step
        while 0 <= i < len(page):
            if step > 0 and closes_article(page, i, vocab):
                break
            if step < 0 and is_title_block(page, i):
                break
            if page.scores[i] > 0:
                if vocab.related(page.texts[i]):
                    edge, gap, misses = i, 0, 0
                    vocab.add(page.texts[i])
                else:
                    misses += 1
                    if misses >= GROW_MAX_MISSES:
                        break
            else:
                gap += 2 if page.labels[i] in ("promo", "share", "footer", "comments", "syndication") else 1
                if gap > GROW_MAX_GAP:
                    break
            i += step
        return edge

    if end <= start:
        return start, end
    last = extend(end - 1, +1)
    first = extend(start, -1)
    return first, last + 1


def heuristic_body(page: PageLines) -> tuple[int, int]:
    """The body as one run of lines, without the learned classifier."""
    start, end = core_span(page)
    if end <= start:
        return 0, 0
    return grow(page, *seed_span(page, start, end))
