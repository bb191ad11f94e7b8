"""Plain-text page dumps: find the article among menus, promos and teasers, line by line.

1. The page becomes lines with rule labels and prose scores (:mod:`presslens.clean.body`).
2. The learned line classifier (:mod:`presslens.clean.line_model`) gives each line a
   probability of being article body; the body is the best stretch of accepted lines.
   Without a shipped model, the heuristic body of :func:`body.heuristic_body` is used.
3. The lines just above the body are read for metadata: title, date, byline, dateline,
   caption, a repeated title.
4. Inside the body, labelled boilerplate (share lines, promos, "Read more" teasers,
   captions) and blocks that share no vocabulary with the article are removed.
5. Every removed line keeps the most specific reason we can give.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from presslens.clean import lines as L
from presslens.clean.body import (
    PageLines,
    headline_shaped,
    heuristic_body,
    normalize_line,
    probable_stretch,
    rule_label,
)
from presslens.clean.features import FEATURE_NAMES, page_features
from presslens.clean.line_model import LineModel, TwoPassLineModel, as_two_pass, load_line_predictor
from presslens.clean.topic import OffTopicJudge
from presslens.model import Block, Extraction

__all__ = [
    "TextCleaner",
    "clean_text",
    "filter_extracted",
    "normalize_line",
    "rule_label",
    "same_title",
    "choose_body",
]

HEADER_LOOKBACK = 25  # lines above the body searched for title, byline, date
# Labels removed even inside the body the line classifier chose: what they mark is never
# article text. (Captions and related-teaser lines joined once their rules were precise —
# photo credits and teaser cards, no longer any "Read more" line; masthead lines stay out:
# removing them cost recall on HTML, cross-validated, for no precision.)
RULES_IN_BODY = True
REMOVED_IN_BODY = ("share", "promo", "comments", "syndication", "footer", "caption", "related")


def same_title(a: str, b: str) -> bool:
    """Two headlines that differ only in quotes, case or spacing."""

    def key(s: str) -> str:
        return " ".join(w.lower() for w in L.words(s.replace("’", "'")))

    return bool(a and b) and key(a) == key(b)


def decode_body(probs: np.ndarray, n_words: list[int]) -> list[int]:
    """Indexes of body lines from per-line probabilities.

    Lines the classifier accepts (p >= 0.5), limited to the stretch of the page where the
    accepted lines are: the best run by (p - 0.5) weighted by length, widened to the first
    and last accepted line next to it.
    """
    accepted = [i for i, p in enumerate(probs) if p >= 0.5]
    if not accepted:
        return []
    start, end = probable_stretch(probs, n_words)
    if end <= start:
        return accepted
    return [i for i in accepted if start - DECODE_SLACK <= i < end + DECODE_SLACK]


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


def choose_body(page: PageLines, probs: np.ndarray) -> list[int]:
    """Indexes of the body lines from the line model's probabilities: the accepted lines
    (:func:`decode_body`), the lead below the header (:func:`with_lead_above`) and the social
    posts embedded between them."""
    body = decode_body(probs, [page.n_words(i) for i in range(len(page))])
    return with_embedded_posts(with_lead_above(body, page), page.texts)


REPEAT_MIN_WORDS = 50  # long blocks only: repeated short blocks (a meal plan's days, a refrain) are content
REPEAT_SHARE = 0.8  # share of a block's word 4-grams already kept above it that makes it a copy
COPY_BLOCK_MIN_WORDS = 150  # a block this long that holds several kept lines above it word for word ...
COPY_MIN_LINES = 3  # ... at least this many: those lines are the copy (a bullet summary of the story)
BIO_MAX_LINES = 3  # paragraphs of a bio box below its "About <Name>" heading
FALLBACK_MIN_PROSE = 25  # line-score sum (about 25 words in sentences) the heuristic body needs as a fallback
BRIEF_MAX_LINES = 12  # a page this short whose stretch is whole sentences is a news brief, however short
BRIEF_MIN_WORDS = 6
SOURCES_MAX_LINES = 40  # lines below a "Sources:" heading outside the body read as its list
WIRE_LINE_MAX_WORDS = 4  # "The Associated Press" on a line of its own is a credit, not a sentence
DECODE_SLACK = 100000  # accepted lines this far outside the best run still count (split articles)


class TextCleaner:
    """Cleans one plain-text page dump into an :class:`Extraction`."""

    def __init__(
        self,
        text: str,
        title_hint: str | None = None,
        whole_body: bool = False,
        use_model: bool = True,
        model: LineModel | TwoPassLineModel | None = None,
    ):
        self.page = PageLines.from_text(text)
        self.title_hint = title_hint
        self.whole_body = whole_body  # text already extracted (from HTML): no body search
        self.use_model = use_model
        self.model = model  # a model given by the caller (cross-validation) instead of the shipped one
        self.meta = Extraction()
        self.reasons: dict[int, str] = {}  # line index -> removal reason

    @property
    def texts(self) -> list[str]:
        return self.page.texts

    def body_lines(self) -> list[int]:
        """Indexes of the lines that make up the article body (before in-body cleaning)."""
        n = len(self.page)
        if self.whole_body:
            return list(range(n))
        model = self.model or (load_line_predictor("text", FEATURE_NAMES) if self.use_model else None)
        if model is None:
            start, end = heuristic_body(self.page)
            return list(range(start, end))
        chosen = choose_body(self.page, as_two_pass(model).predict_page(self.page, page_features(self.page)))
        return chosen or self.heuristic_fallback()

    def heuristic_fallback(self) -> list[int]:
        """When the line model accepts no line at all, the page's most article-like stretch, if it
        holds real prose: an article the model has never seen the like of is better reported
        from the heuristic than lost ("no article text found" stays for menus and shells)."""
        start, end = heuristic_body(self.page)
        prose = sum(max(0.0, self.page.scores[i]) for i in range(start, end))
        if prose >= FALLBACK_MIN_PROSE or self.is_brief(start, end):
            return list(range(start, end))
        return []

    def is_brief(self, start: int, end: int) -> bool:
        """A short page (a headline, a date line, one or two sentences) whose best stretch is whole
        sentences: a news brief, not a menu — menus do not end their lines with full stops."""
        lines = [t for t in self.texts if t.strip()]
        stretch = [self.texts[i] for i in range(start, end) if self.texts[i].strip()]
        return (
            0 < len(lines) <= BRIEF_MAX_LINES
            and bool(stretch)
            and all(L.ends_sentence(t) and len(t.split()) >= BRIEF_MIN_WORDS for t in stretch)
        )

    def run(self) -> Extraction:
        if not len(self.page):
            return self.meta
        body = self.body_lines()
        in_body = set(body)
        start = body[0] if body else len(self.page)
        self.read_header(start)
        sources_from = self.first_below(body, L.is_sources_heading)
        self.clean_body(body, sources_from)
        self.drop_repeated_text(body)
        self.read_lead(body)
        self.label_outside(in_body, start, sources_from)
        self.read_syndication()
        kept = [i for i in body if i not in self.reasons]
        self.meta.text = "\n\n".join(self.texts[i] for i in kept)
        kept_set = set(kept)
        self.meta.blocks = [Block(t, kept=i in kept_set, reason=self.reasons.get(i)) for i, t in enumerate(self.texts)]
        return self.meta

    # -- metadata above the body ---------------------------------------------------------
    def read_header(self, start: int) -> None:
        """Title, date, byline, dateline and captions in the lines just above the body."""
        lo = max(0, start - HEADER_LOOKBACK)
        title_at = self.find_title(lo, start)
        if title_at is not None:
            self.meta.title = self.texts[title_at]
            self.reasons[title_at] = "metadata"
            lo = min(lo, title_at)
        title = self.meta.title or self.title_hint
        for i in range(lo, start):
            if i in self.reasons:
                continue
            text = self.texts[i]
            if title and same_title(text, title):
                self.reasons[i] = "duplicate-title"
            elif self.page.labels[i]:
                self.reasons[i] = self.page.labels[i]
            elif self.take_date_or_byline(text):
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

    def find_title(self, lo: int, start: int) -> int | None:
        """The headline: the nearest headline-shaped line above the body (or the hinted title)."""
        if self.title_hint:
            hits = [i for i in range(lo, start) if same_title(self.texts[i], self.title_hint)]
            if hits:
                return hits[0]  # the first occurrence is the title, later ones are duplicates
            self.meta.title = self.title_hint
            return None
        for i in range(start - 1, lo - 1, -1):
            if self.page.labels[i] or not headline_shaped(self.texts[i]):
                continue
            repeats = [j for j in range(max(0, i - HEADER_LOOKBACK), i) if same_title(self.texts[j], self.texts[i])]
            return repeats[0] if repeats else i
        return None

    def near_date(self, i: int) -> bool:
        """True when a date line is within two lines of ``i`` (bylines sit beside dates)."""
        return any(L.is_date_line(self.texts[j]) for j in range(max(0, i - 2), min(len(self.page), i + 3)) if j != i)

    def take_date_or_byline(self, text: str) -> bool:
        """Read a date line or byline into the metadata; False for any other line."""
        if L.is_date_line(text):
            self.take_date_line(text)
            return True
        author = L.parse_byline(text)
        if author is not None:
            self.meta.author = self.meta.author or author
            return True
        return False

    def take_date_line(self, text: str) -> None:
        when = L.parse_date(text)
        if when and not self.meta.published:
            self.meta.published = when.isoformat() if (when.hour or when.minute) else when.date().isoformat()
        if not self.meta.author:
            author = L.author_beside_date(text)
            if author:
                self.meta.author = author

    def read_lead(self, body: list[int]) -> None:
        """A dateline or wire credit opening the first kept paragraph ("SEOUL (Reuters) - ...")."""
        first = next((self.texts[i] for i in body if i not in self.reasons), None)
        if first is None:
            return
        place = L.dateline(first)
        if place and place[1]:
            self.meta.dateline = self.meta.dateline or place[0]
        wire = L.wire_credit(first)
        if wire:
            self.meta.original_source = self.meta.original_source or wire

    # -- the body ------------------------------------------------------------------------
    def drop_repeated_text(self, body: list[int]) -> None:
        """A long kept block that repeats text already kept above it (a second copy of the body,
        a summary stitched from its sentences) is a duplicate: counting it twice would double
        the article's words, frames and quotes."""
        seen: set[tuple[str, ...]] = set()
        for i in body:
            if i in self.reasons:
                continue
            grams = L.shingle_set(self.texts[i], 4)
            if self.page.n_words(i) >= REPEAT_MIN_WORDS and len(grams & seen) >= REPEAT_SHARE * len(grams):
                self.reasons[i] = "duplicate"
            else:
                seen |= grams
        self.drop_copies_of_a_longer_block(body)

    def drop_copies_of_a_longer_block(self, body: list[int]) -> None:
        """Several kept lines whose words all recur in one long block below them (a list of the
        story's points above the full story run together as one block): the long block is the
        fuller copy, and the lines would count its words twice."""
        kept = [i for i in body if i not in self.reasons]
        long_blocks = [j for j in kept if self.page.n_words(j) >= COPY_BLOCK_MIN_WORDS]
        if not long_blocks:
            return
        grams = {i: L.shingle_set(self.texts[i], 4) for i in kept}
        for j in long_blocks:
            copies = [
                i for i in kept if i < j and grams[i] and len(grams[i] & grams[j]) >= REPEAT_SHARE * len(grams[i])
            ]
            if len(copies) >= COPY_MIN_LINES:
                for i in copies:
                    self.reasons[i] = "duplicate"

    def first_below(self, body: list[int], is_heading: Callable[[str], bool]) -> int | None:
        """The first line below the start of the body that ``is_heading`` accepts: a comments
        heading ("Comments", "[ 167 comments ]", "Leave a reply": readers' comments are not the
        article, however on-topic) or a "Sources:" heading (the bibliography that closes a
        fact-check or report)."""
        if not body:
            return None
        return next((i for i in range(body[0] + 1, len(self.page)) if is_heading(self.texts[i])), None)

    def bio_box(self, body: list[int]) -> set[int]:
        """An "About <Name>" heading in the body and the prose right below it that names that
        person or company (or any prose below "About the author"): a bio box, not the article."""
        found: set[int] = set()
        if not body:
            return found
        for i in range(body[0], min(body[-1] + 1, len(self.page))):  # the heading may be outside the body
            name = L.bio_heading(self.texts[i])
            if name is None:
                continue
            tokens = [w.lower() for w in L.words(name) if len(w) >= 3]
            if name and not tokens:
                continue
            below = []
            for j in range(i + 1, min(i + 1 + BIO_MAX_LINES, len(self.page))):
                words = {w.lower() for w in L.words(self.texts[j])}
                if self.page.scores[j] <= 0 or (name and not words.intersection(tokens)):
                    break
                below.append(j)
            if below:
                found.update([i, *below])
        return found

    def company_profile(self, body: list[int]) -> set[int]:
        """The company profile closing a press release, when it has no "About X" heading: the last
        paragraphs of the body, each one "X is a … provider / company …" or "… is headquartered in"."""
        found: set[int] = set()
        for i in reversed(body):
            if self.page.labels[i]:
                continue  # a footer or share line below the profile
            if not L.is_company_profile(self.texts[i]):
                break
            found.add(i)
        return found

    def clean_body(self, body: list[int], sources_from: int | None) -> None:
        """Remove labelled lines, teaser runs after a 'Related' heading, off-topic teasers, bio
        boxes and company profiles, metadata lines, and everything after a comments or sources
        heading."""
        judge = OffTopicJudge([self.texts[i] for i in body if self.page.scores[i] > 0], title=self.meta.title)
        title = self.meta.title or self.title_hint
        in_teasers = False
        # (text dumps only: the rule was measured there; an HTML body comes from the line model,
        # which sees the comment thread's markup)
        comments_from = self.first_below(body, L.is_comments) if not self.whole_body else None
        bio = self.bio_box(body) | self.company_profile(body)
        for i in bio:
            self.reasons[i] = "masthead"
        for i in body:
            text, label = self.texts[i], self.page.labels[i]
            if comments_from is not None and i > comments_from:
                self.reasons[i] = "comments"
                continue
            if i in bio:
                continue
            if sources_from is not None and i >= sources_from:
                self.reasons[i] = "footer"
                continue
            if self.take_metadata_line(text):
                self.reasons[i] = "metadata"
                continue
            if title and same_title(text, title):
                self.reasons[i] = "duplicate-title"
                continue
            if RULES_IN_BODY and label in REMOVED_IN_BODY:
                self.reasons[i] = label
                in_teasers = label == "related" and L.is_related_heading(text)
                continue
            prose = self.page.scores[i] > 0
            if RULES_IN_BODY and in_teasers and not (prose and judge.on_topic(text)):
                self.reasons[i] = "related"
                continue
            in_teasers = False
            if self.teaser_shaped(i) and not judge.on_topic(text) and self.off_topic_teaser(i, judge):
                self.reasons[i] = "off-topic"

    def take_metadata_line(self, text: str) -> bool:
        """A date line, byline, metadata field ("Edited by: …") or bare wire credit ("The
        Associated Press") inside the body: it is metadata, read as such, never article text.
        A date in brackets ("(Published Monday, Nov. 18, 2019)") closes a video's description
        and stays with it."""
        if text.lstrip().startswith("("):
            return False
        if self.take_date_or_byline(text):
            return True
        if L.is_meta_field(text):
            return True
        wire = L.wire_credit(text) if len(L.words(text)) <= WIRE_LINE_MAX_WORDS else None
        if wire:
            self.meta.original_source = self.meta.original_source or wire
            return True
        return False

    def teaser_shaped(self, i: int) -> bool:
        """Headline-like lines (no sentence end, not introducing a list, not a list item)."""
        text = self.texts[i].rstrip()
        return (
            self.page.n_words(i) >= 5
            and not L.ends_sentence(text)
            and not text.endswith(":")
            and text[:1] not in "-–—•*·0123456789|"
        )

    def off_topic_teaser(self, i: int, judge: OffTopicJudge) -> bool:
        """Share nothing with the article, and stand alone: a list of such lines is content."""
        shared, _total = judge.overlap(self.texts[i])
        if shared:
            return False
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(self.page)]
        return not all(self.teaser_shaped(j) for j in neighbours)

    # -- reasons for what is not the body ------------------------------------------------
    def label_outside(self, in_body: set[int], start: int, sources_from: int | None) -> None:
        """Give every line outside the body the most specific reason we can."""
        judge = OffTopicJudge([self.texts[i] for i in sorted(in_body) if i not in self.reasons], title=self.meta.title)
        end = max(in_body) + 1 if in_body else 0
        after_related = False
        for i, text in enumerate(self.texts):
            if i in in_body or i in self.reasons:
                continue
            label = self.page.labels[i]
            if label:
                self.reasons[i] = label
                if i >= end and label in ("related", "comments"):
                    after_related = True
            elif i >= end and after_related:
                self.reasons[i] = "related"
            elif sources_from is not None and sources_from <= i < sources_from + SOURCES_MAX_LINES:
                self.reasons[i] = "footer"
            elif L.is_date_or_byline(text) or L.is_meta_field(text):
                self.reasons[i] = "metadata"
            elif self.page.n_words(i) >= 6 and not judge.on_topic(text):
                self.reasons[i] = "off-topic"
            elif i < start:
                self.reasons[i] = "masthead" if i == 0 else "navigation"
            else:
                self.reasons[i] = "boilerplate"

    def read_syndication(self) -> None:
        """The credited original: a syndication note, else a wire agency's copyright line."""
        for i, text in enumerate(self.texts):
            if self.page.labels[i] == "syndication":
                source = L.syndication_source(text)
                if source and not self.meta.original_source:
                    self.meta.original_source = source
        if not self.meta.original_source:
            for i, text in enumerate(self.texts):
                wire = L.wire_copyright(text) if self.page.labels[i] == "footer" else None
                if wire:
                    self.meta.original_source = wire
                    break


def clean_text(
    text: str, title_hint: str | None = None, model: LineModel | TwoPassLineModel | None = None
) -> Extraction:
    """Clean a plain-text page dump: the article text, its metadata, and every removed line."""
    return TextCleaner(text, title_hint=title_hint, model=model).run()


def filter_extracted(text: str, title_hint: str | None = None) -> Extraction:
    """Second pass over text an HTML extractor already chose: teasers, promos, captions inside it."""
    return TextCleaner(text, title_hint=title_hint, whole_body=True).run()
