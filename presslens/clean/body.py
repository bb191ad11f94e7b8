"""Which lines are the article body: the line model's choice, or the heuristic body finder.

:func:`select_body` is the one entry. With the learned line classifier's probabilities
(:mod:`presslens.clean.line_model`), the body is the accepted lines of the page's most
body-like stretch, widened by the lead under the header and the social posts embedded between
paragraphs; when the model accepts nothing, the heuristic body stands in if it holds real
prose or is a whole news brief. Without probabilities the heuristic body is used. It is found by

1. taking the best-scoring runs of lines (maximum subarray) as candidates,
2. keeping the candidate whose prose is most coherent (article paragraphs share
   vocabulary; teaser lists and comment threads do not),
3. growing its longest stretch of prose in both directions while neighbouring prose stays
   on the same subject, across short gaps, stopping at a title block above and at a
   closing "Comments"/"Related" heading below.

The line classifier also reads the heuristic's spans as features (:mod:`presslens.clean.features`).
"""

from __future__ import annotations

import math
import re

import numpy as np

from presslens.clean import lines as L
from presslens.clean.cleaned import Reason
from presslens.clean.table import PageLines, headline_shaped
from presslens.clean.topic import OffTopicJudge, coherence
from presslens.text import script_tokens

MAX_CANDIDATES = 4  # best-scoring runs compared for coherence
GROW_MAX_GAP = 6  # non-prose lines the body may bridge (subheadings, a share bar, an ad slot)
GROW_MAX_MISSES = 2  # consecutive off-subject prose lines that end the body
# labelled lines that count double in a gap the body bridges: furniture, not a subheading
GAP_LABELS = frozenset({Reason.PROMO, Reason.SHARE, Reason.FOOTER, Reason.COMMENTS, Reason.SYNDICATION})


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
    return sum(len(script_tokens(t)) for t in prose) * (0.2 + coherence(prose))


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
    if page.labels[i] == Reason.COMMENTS:
        return True
    if not (page.labels[i] == Reason.RELATED and L.is_related_heading(page.texts[i])):
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
                gap += 2 if page.labels[i] in GAP_LABELS else 1
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


def decode_body(probs: np.ndarray) -> list[int]:
    """The lines the classifier accepts (p >= 0.5), wherever they lie on the page: an article
    split by a long embed or a gallery stays whole."""
    return [i for i, p in enumerate(probs) if p >= 0.5]


EMBED_REACH_ABOVE = 8  # an embedded post's credit this close below a body line ...
EMBED_REACH_BELOW = 5  # ... and above the next one sits inside the article
EMBED_MAX_LINES = 5  # lines of post text above its credit


def with_embedded_posts(body: list[int], texts: list[str]) -> list[int]:
    """Add the social posts the article embeds between its paragraphs ("— Jane Doe (@jane)
    November 18, 2019" under the post's text): they are quoted sources, part of the story,
    though their short, link-filled lines look like page furniture to the line classifier."""
    kept = set(body)
    for credit, text in enumerate(texts):
        if not L.is_embed_credit(text):
            continue
        above = [i for i in body if credit - EMBED_REACH_ABOVE <= i < credit]
        below = [i for i in body if credit < i <= credit + EMBED_REACH_BELOW]
        if not above or not below:
            continue
        first = max(above[-1] + 1, credit - EMBED_MAX_LINES)
        kept.update(range(first, credit + 1))
    return sorted(kept)


LEAD_MAX_LINES = 5  # unlabelled lines between the header and the first accepted line taken as the lead


def with_lead_above(body: list[int], page: PageLines) -> list[int]:
    """Add the few unlabelled lines between the article's header (a date line or byline) and
    the first accepted line: a short opening paragraph or list the model doubted sits where
    only the article's start can be."""
    if not body:
        return body
    above = []
    for i in range(body[0] - 1, max(-1, body[0] - 1 - LEAD_MAX_LINES), -1):
        if L.is_date_or_byline(page.texts[i]):
            return sorted(above) + body
        if page.labels[i] or L.looks_like_name(page.texts[i]):
            break  # a label, or the byline's name on a line of its own ("Jane Doe" under the date)
        above.append(i)
    return body


LIST_MAX_LINES = 60  # lines of a list taken below the accepted line that introduces it
LIST_ITEM_MIN_WORDS = 2  # a shorter line ends the list (an image's file name, a lone label)
LIST_INTRO_MIN_WORDS = 4  # a clause introduces a list ("… the firms bidding:"); "Anzeige:", "Mehr lesen:" are labels


def with_list_below(body: list[int], page: PageLines) -> list[int]:
    """Add the list an accepted line introduces ("… the best offers on Amazon:") when the model
    doubted its items: the lines right below it that are no prose paragraph, up to a paragraph, a
    labelled or one-word line, or LIST_MAX_LINES. A short label ending in ':' ("Share this:",
    "More videos:") introduces page furniture, not the article's list."""
    kept = set(body)
    for i in body:
        if not introduces_list(page, i):
            continue
        for j in range(i + 1, min(len(page), i + 1 + LIST_MAX_LINES)):
            if page.labels[j] or page.scores[j] > 0 or page.n_words(j) < LIST_ITEM_MIN_WORDS:
                break
            kept.add(j)
    return sorted(kept)


def introduces_list(page: PageLines, i: int) -> bool:
    """Whether line ``i`` is a clause that introduces a list: it ends in ':', holds at least
    LIST_INTRO_MIN_WORDS words and opens with no 'Related' heading."""
    text = page.texts[i].rstrip()
    return text.endswith(":") and page.n_words(i) >= LIST_INTRO_MIN_WORDS and not opens_with_related_heading(text)


def opens_with_related_heading(text: str) -> bool:
    """A line whose first words are a 'Related' heading ("Related coverage from …:"): what it
    introduces is teasers, not the article's list."""
    first = text.split()[:RELATED_PREFIX_WORDS]
    return any(L.is_related_heading(" ".join(first[:n])) for n in range(1, len(first) + 1))


RELATED_PREFIX_WORDS = 3
OPENING_QUOTES = '"“„«'  # a paragraph opening with one of these quotes someone
UPDATE_MARKER = re.compile(r"^(?:update[ds]?|correction|clarification|editor'?s note)\b[^:]{0,40}:$", re.I)


def with_announced_text(body: list[int], page: PageLines) -> list[int]:
    """Add what the article announces when the model doubted it: the quoted statement right below
    an accepted line ending in ':' ("… in a statement released by his office:"), and an "UPDATE:"
    marker right above an accepted line (a story's update is its own text, not page furniture)."""
    kept = set(body)
    for i in body:
        below, above = i + 1, i - 1
        text = page.texts[i].rstrip()
        if (
            below < len(page)
            and text.endswith(":")
            and not opens_with_related_heading(text)
            and not page.labels[below]
            and page.scores[below] > 0
            and page.texts[below].lstrip()[:1] in OPENING_QUOTES
        ):
            kept.add(below)
        if above >= 0 and not page.labels[above] and UPDATE_MARKER.match(page.texts[above].strip()):
            kept.add(above)
    return sorted(kept)


def choose_body(page: PageLines, probs: np.ndarray, lists: bool = False) -> list[int]:
    """Indexes of the body lines from the line model's probabilities: the accepted lines
    (:func:`decode_body`), the lead below the header (:func:`with_lead_above`), with ``lists`` a
    list an accepted line introduces (:func:`with_list_below`), a statement or update the article
    announces (:func:`with_announced_text`), and the social posts embedded between them."""
    body = with_lead_above(decode_body(probs), page)
    body = with_announced_text(with_list_below(body, page) if lists else body, page)
    return with_embedded_posts(body, page.texts)


FALLBACK_MIN_PROSE = 25  # line-score sum (about 25 words in sentences) the heuristic body needs as a fallback
BRIEF_MAX_LINES = 12  # a page this short whose stretch is whole sentences is a news brief, however short
BRIEF_MIN_WORDS = 6


def select_body(page: PageLines, probs: np.ndarray | None) -> list[int]:
    """Indexes of the lines that make up a plain-text page's article body (before in-body cleaning).

    ``probs``: the line model's probability per line, or None (no model: the heuristic body). A
    list an accepted line introduces joins the body here only: a text dump has lost the list's
    markup, which the HTML model reads (on HTML pages the rule took menus below "…:" lines in).
    """
    if probs is None:
        start, end = heuristic_body(page)
        return list(range(start, end))
    return choose_body(page, probs, lists=True) or heuristic_fallback(page)


def heuristic_fallback(page: PageLines) -> list[int]:
    """When the line model accepts no line at all, the page's most article-like stretch, if it
    holds real prose: an article the model has never seen the like of is better reported
    from the heuristic than lost ("no article text found" stays for menus and shells)."""
    start, end = heuristic_body(page)
    return list(range(start, end)) if holds_prose(page, start, end) else []


def holds_prose(page: PageLines, start: int = 0, end: int | None = None) -> bool:
    """Whether lines ``start``..``end`` (all by default) are an article by the fallback's measure (real
    prose, or a news brief), not a menu or a shell's few labels."""
    end = len(page) if end is None else end
    prose = sum(max(0.0, page.scores[i]) for i in range(start, end))
    return prose >= FALLBACK_MIN_PROSE or is_brief(page, start, end)


def is_brief(page: PageLines, start: int, end: int) -> bool:
    """A short page (a headline, a date line, one or two sentences) whose best stretch is whole
    sentences: a news brief, not a menu — menus do not end their lines with full stops."""
    lines = [t for t in page.texts if t.strip()]
    stretch = [page.texts[i] for i in range(start, end) if page.texts[i].strip()]
    return (
        0 < len(lines) <= BRIEF_MAX_LINES
        and bool(stretch)
        and all(L.ends_sentence(t) and len(t.split()) >= BRIEF_MIN_WORDS for t in stretch)
    )
