"""The removal rules: which lines of the table are not the article, each with its :class:`Reason`.

Shared by plain-text and HTML pages. Given the table of lines (:mod:`presslens.clean.table`, where
each line already carries its rule label) and the body the selection chose
(:mod:`presslens.clean.body`), :func:`clean_lines`

1. finds the page's structures: a comments heading, a "Sources:" heading, a bio box (:class:`Structures`),
2. reads the metadata — title, date, byline, dateline — from the header above the body and from
   the body (:func:`presslens.clean.metadata.read_metadata`; it writes nothing else),
3. judges every line with :data:`RULES`, one ordered list: each rule says where it looks (inside
   the body, in the header just above it, or anywhere outside the body) and only judges a line;
   the first rule for the line's place that fires gives the reason,
4. marks long kept blocks that repeat kept text as ``duplicate`` (a page-level pass),
5. reads the dateline or wire credit opening the first kept paragraph and the syndication source.

Where a new rule goes: a line's form alone marks it and the line model should see it → a label in
:data:`presslens.clean.table.LABELS`; it is metadata → :mod:`presslens.clean.metadata`; any other
verdict → a :class:`Rule` in :data:`RULES`, at the place of its priority. The audit trail
(:func:`audit_trail`) is read off the table: one block per line, kept or with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from presslens.clean import lines as L
from presslens.clean.cleaned import Block, Extraction, Reason
from presslens.clean.metadata import PageMetadata, read_lead, read_metadata, read_syndication, same_title, title_key
from presslens.clean.table import PageLines
from presslens.clean.topic import OffTopicJudge
from presslens.text import script_tokens, shingle_set

# Rule labels removed even inside the body the selection chose: what they mark is never article
# text. Masthead lines are not among them (removing them cost recall on HTML: docs/benchmarks.md).
REMOVED_IN_BODY = frozenset(
    {
        Reason.SHARE,
        Reason.PROMO,
        Reason.COMMENTS,
        Reason.SYNDICATION,
        Reason.FOOTER,
        Reason.CAPTION,
        Reason.RELATED,
    }
)
REPEAT_MIN_WORDS = 50  # long blocks only: repeated short blocks (a meal plan's days, a refrain) are content
REPEAT_SHARE = 0.8  # share of a block's word 4-grams already kept above it that makes it a copy
COPY_BLOCK_MIN_WORDS = 150  # a block this long that holds several kept lines above it word for word ...
COPY_MIN_LINES = 3  # ... at least this many: those lines are the copy (a bullet summary of the story)
BIO_MAX_LINES = 3  # paragraphs of a bio box below its "About <Name>" heading
SOURCES_MAX_LINES = 40  # lines below a "Sources:" heading outside the body read as its list
OFF_TOPIC_MIN_WORDS = 6  # a line outside the body this long on another subject is off-topic
TEASER_MIN_WORDS = 5  # a headline-shaped line in the body this long sharing no word with the article is a teaser
LIST_TAGS = frozenset({"li", "td", "th", "dt", "dd", "tr"})  # elements whose lines are list items or table rows
LIST_MARKERS = "-–—•*·0123456789|"  # a line opening with one of these is a list item
QUOTATION_MARKS = '"“”„«»'  # a line quoting someone is not another story's teaser


class Place(Enum):
    """Where a rule looks: inside the body; in the header just above it (and at a bio box's heading
    beside the body), before the body's verdicts; anywhere else outside the body, after them."""

    BODY = "body"
    HEADER = "header"
    OUTSIDE = "outside"


@dataclass(frozen=True)
class Structures:
    """What the rules read about the page as a whole, found before any line is judged."""

    comments_from: int | None = None  # a comments heading below the body's start (text dumps)
    sources_from: int | None = None  # a "Sources:" heading below the body's start
    bio: frozenset[int] = frozenset()  # a bio box or the company profile closing a press release

    def removes(self, i: int) -> bool:
        """Whether a line is in one of these structures (the rules above the metadata's)."""
        below_comments = self.comments_from is not None and i > self.comments_from
        below_sources = self.sources_from is not None and i >= self.sources_from
        return below_comments or below_sources or i in self.bio


@dataclass
class PageView:
    """Everything a rule may read about one page: the table, the body, the structures, the metadata
    and, for the lines outside the body, what the body's verdicts left kept. Rules read it, never write it."""

    page: PageLines
    body: frozenset[int]
    structures: Structures
    meta: PageMetadata
    judge: OffTopicJudge  # the article's vocabulary: the body's prose (inside), its kept lines (outside)
    start: int  # the body's first line (len(page) when there is no body)
    body_order: tuple[int, ...] = ()  # the body's lines in page order
    title_first_outside: int | None = None  # the headline's first line outside the body, if not read above it
    related_from: int | None = None  # the first removed 'Related' or comments heading below the body's start
    title_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.title_key = title_key(self.meta.title) if self.meta.title else ""

    def text(self, i: int) -> str:
        return self.page.texts[i]

    def is_title(self, i: int) -> bool:
        return bool(self.meta.title) and title_key(self.page.texts[i]) == self.title_key

    @cached_property
    def teasers(self) -> frozenset[int]:
        """The body lines below a 'Related' heading up to the first on-topic prose: the run goes on
        across lines a rule above :func:`teaser_after_related` removes, and a rule label removed in
        the body ends it (unless it is another 'Related' heading, which starts a new run). A run also
        starts where the body resumes below a 'Related' heading left outside it (the box's first
        items outside, the rest taken into the body between two paragraphs)."""
        found: set[int] = set()
        inside = False
        earlier = RULES[: RULES.index(_TEASER_RULE)]
        previous = self.body_order[0] if self.body_order else 0
        for i in self.body_order:
            if any(related_heading(self.page, j) for j in range(previous + 1, i)):
                inside = True  # the body resumes inside a 'Related' box whose heading lies outside it
            previous = i
            rule = next((r for r in earlier if Place.BODY in r.where and r.test(self, i)), None)
            if rule is _LABEL_IN_BODY_RULE:
                inside = related_heading(self.page, i)
            elif rule is not None:
                continue
            elif inside and not (self.page.scores[i] > 0 and self.judge.on_topic(self.text(i))):
                found.add(i)
            else:
                inside = False
        return frozenset(found)


def related_heading(page: PageLines, i: int) -> bool:
    """A 'Related' heading ("Related stories", "More from …"): the teasers of other stories follow it."""
    return page.labels[i] == Reason.RELATED and L.is_related_heading(page.texts[i])


# -- the rules: each judges one line (True: the line is not article text) -------------------
def below_comments(v: PageView, i: int) -> bool:
    """Below a comments heading ("Comments", "[ 167 comments ]", "Leave a reply"): readers'
    comments are not the article, however on-topic (text dumps)."""
    return v.structures.comments_from is not None and i > v.structures.comments_from


def in_bio(v: PageView, i: int) -> bool:
    """A bio box ("About <Name>" and the prose below it that names that person) or the company
    profile closing a press release."""
    return i in v.structures.bio


def below_sources(v: PageView, i: int) -> bool:
    """From a "Sources:" heading on: the bibliography closing a fact-check or report."""
    return v.structures.sources_from is not None and i >= v.structures.sources_from


def read_as_metadata(v: PageView, i: int) -> bool:
    """A line the metadata was read from: a date line, byline, dateline, labelled field or bare
    wire credit (:func:`presslens.clean.metadata.read_metadata`)."""
    return i in v.meta.rows


def is_headline_line(v: PageView, i: int) -> bool:
    """The headline's own line above the body."""
    return i == v.meta.title_row


def same_as_headline(v: PageView, i: int) -> bool:
    """The headline again (quotes, case and spacing aside)."""
    return same_title(v.text(i), v.meta.title)


def repeats_headline(v: PageView, i: int) -> bool:
    """The headline again inside the body."""
    return bool(v.meta.title) and title_key(v.text(i)) == v.title_key


def has_label(v: PageView, i: int) -> bool:
    """The line's own rule label (:data:`presslens.clean.table.LABELS`)."""
    return v.page.labels[i] is not None


def has_label_removed_in_body(v: PageView, i: int) -> bool:
    """A rule label whose lines are never article text, even inside the body (:data:`REMOVED_IN_BODY`)."""
    return v.page.labels[i] in REMOVED_IN_BODY


def is_interface(v: PageView, i: int) -> bool:
    """The site's interface: a captcha, a sign-in prompt, a player notice."""
    return L.is_interface(v.text(i))


def in_media_block(v: PageView, i: int) -> bool:
    """A photo gallery's or video player's controls and captions run into one line (longer than a caption label
    allows), or a photo's caption under its "Buy Photo" button."""
    return L.is_media_block(v.text(i))


def in_video_playlist(v: PageView, i: int) -> bool:
    """An item of a video playlist: a running time and a title ("2:51 Surprise parole makes man's day"), with the
    line before or after an item too. A page's playlist lists other stories' videos; one such line alone stays."""
    if not L.is_video_item(v.text(i)):
        return False
    return any(0 <= j < len(v.page) and L.is_video_item(v.text(j)) for j in (i - 1, i + 1))


def teaser_after_related(v: PageView, i: int) -> bool:
    """A teaser below a 'Related' heading inside the body (:attr:`PageView.teasers`)."""
    return i in v.teasers


def off_topic_teaser(v: PageView, i: int) -> bool:
    """A lone headline-shaped line that shares no word with the article: a teaser of another story
    or a share prompt between paragraphs. List items and table rows are content however unrelated
    their words (:func:`list_item`)."""
    text = v.text(i).rstrip()
    if v.page.n_words(i) < TEASER_MIN_WORDS or L.ends_sentence(text) or text.endswith((":", ",")):
        return False  # a sentence, a list's introduction, a sentence broken off at a comma
    if any(mark in text for mark in QUOTATION_MARKS):
        return False  # someone quoted: the article's own text
    if list_item(v.page, i) or v.judge.on_topic(text):
        return False
    shared, _total = v.judge.overlap(v.text(i))
    return not shared


def list_item(page: PageLines, i: int) -> bool:
    """An item of a list or a row of a table (or an aside in brackets, a citation): its element
    says so (HTML), it opens with a list marker or a bracket, it follows a line introducing a list,
    or a neighbour is no sentence either (the list's other items)."""
    text = page.texts[i].lstrip()
    if page.tags[i] in LIST_TAGS or text[:1] in LIST_MARKERS or text[:1] in "([":
        return True
    if i > 0 and page.texts[i - 1].rstrip().endswith(":"):
        return True
    return any(0 <= j < len(page) and not page.labels[j] and not L.ends_sentence(page.texts[j]) for j in (i - 1, i + 1))


def first_headline_outside(v: PageView, i: int) -> bool:
    """The headline's first line outside the body, when the header did not hold it."""
    return i == v.title_first_outside


def headline_again_outside(v: PageView, i: int) -> bool:
    """The headline again outside the body."""
    return v.is_title(i)


def after_related(v: PageView, i: int) -> bool:
    """Below a removed 'Related' or comments heading, below the body's start: teasers or comments."""
    return v.related_from is not None and i > v.related_from


def under_sources(v: PageView, i: int) -> bool:
    """The list under a "Sources:" heading."""
    return v.structures.sources_from is not None and 0 <= i - v.structures.sources_from < SOURCES_MAX_LINES


def contact_line(v: PageView, i: int) -> bool:
    """A reporter's contact in the body ("jroe@example.com", "(313) 222-2058", "Contact Jane Roe at …"); read in the
    body only: in a header it sits among the byline's lines, which the header reads. After a line that ends in a
    colon it is that sentence's object ("… a dedicated mailbox:" then the address), the article's text."""
    return L.is_contact_line(v.text(i)) and not (i > 0 and v.text(i - 1).rstrip().endswith(":"))


def update_stamp(v: PageView, i: int) -> bool:
    """A live story's "UPDATE @ 2:38 p.m." between its paragraphs: when, not what."""
    return L.is_update_stamp(v.text(i))


def date_byline_or_field(v: PageView, i: int) -> bool:
    """A date line, byline or metadata field outside the body."""
    return L.is_date_or_byline(v.text(i)) or L.is_meta_field(v.text(i))


def off_topic(v: PageView, i: int) -> bool:
    """Six words or more on another subject than the article's."""
    return v.page.n_words(i) >= OFF_TOPIC_MIN_WORDS and not v.judge.on_topic(v.text(i))


def first_line_above_body(v: PageView, i: int) -> bool:
    """The page's first line, above the body: the masthead."""
    return i == 0 < v.start


def above_body(v: PageView, i: int) -> bool:
    """Above the body: menus and navigation."""
    return i < v.start


def anything(v: PageView, i: int) -> bool:
    """Any line outside the body no other rule names."""
    return True


@dataclass(frozen=True)
class Rule:
    """A removal rule: the reason it gives (None: the line's own rule label), where it looks, its test."""

    reason: Reason | None
    where: frozenset[Place]
    test: Callable[[PageView, int], bool]


_BODY = frozenset({Place.BODY})
_HEADER = frozenset({Place.HEADER})
_OUTSIDE = frozenset({Place.OUTSIDE})
_LABEL_IN_BODY_RULE = Rule(None, _BODY, has_label_removed_in_body)
_TEASER_RULE = Rule(Reason.RELATED, _BODY, teaser_after_related)

# Every removal rule, highest priority first. A line inside the body is judged by the BODY rules; a
# line outside it by the HEADER rules (when it is in the header just above the body) and then the
# OUTSIDE rules, which read what the body's verdicts kept. The first rule that fires gives the reason.
RULES: tuple[Rule, ...] = (
    Rule(Reason.COMMENTS, _BODY, below_comments),
    Rule(Reason.MASTHEAD, frozenset({Place.BODY, Place.HEADER}), in_bio),
    Rule(Reason.FOOTER, _BODY, below_sources),
    Rule(Reason.METADATA, _BODY, read_as_metadata),
    Rule(Reason.METADATA, _BODY, update_stamp),
    Rule(Reason.DUPLICATE_TITLE, _BODY, repeats_headline),
    _LABEL_IN_BODY_RULE,
    Rule(Reason.INTERFACE, _BODY, is_interface),
    Rule(Reason.PROMO, _BODY, contact_line),
    Rule(Reason.RELATED, _BODY, in_video_playlist),
    Rule(Reason.CAPTION, _BODY, in_media_block),
    _TEASER_RULE,
    Rule(Reason.OFF_TOPIC, _BODY, off_topic_teaser),
    Rule(Reason.METADATA, _HEADER, is_headline_line),
    Rule(Reason.DUPLICATE_TITLE, _HEADER, same_as_headline),
    Rule(None, _HEADER, has_label),
    Rule(Reason.METADATA, _HEADER, read_as_metadata),
    Rule(Reason.METADATA, _OUTSIDE, first_headline_outside),
    Rule(Reason.DUPLICATE_TITLE, _OUTSIDE, headline_again_outside),
    Rule(None, _OUTSIDE, has_label),
    Rule(Reason.RELATED, _OUTSIDE, after_related),
    Rule(Reason.INTERFACE, _OUTSIDE, is_interface),
    Rule(Reason.RELATED, _OUTSIDE, in_video_playlist),
    Rule(Reason.FOOTER, _OUTSIDE, under_sources),
    Rule(Reason.METADATA, _OUTSIDE, date_byline_or_field),
    Rule(Reason.OFF_TOPIC, _OUTSIDE, off_topic),
    Rule(Reason.MASTHEAD, _OUTSIDE, first_line_above_body),
    Rule(Reason.NAVIGATION, _OUTSIDE, above_body),
    Rule(Reason.BOILERPLATE, _OUTSIDE, anything),
)


_RULES_AT = {place: tuple(rule for rule in RULES if place in rule.where) for place in Place}  # RULES by place


def first_verdict(v: PageView, i: int, place: Place) -> Reason | None:
    """The reason of the first rule for ``place`` that fires on line ``i``, or None (kept)."""
    for rule in _RULES_AT[place]:
        if rule.test(v, i) and (reason := rule.reason or v.page.labels[i]):
            return reason
    return None


def find_structures(page: PageLines, body: list[int], body_only: bool) -> Structures:
    """The comments heading (not on ``body_only`` tables: an HTML page's chosen lines, where the
    line model sees a comment thread's markup), the "Sources:" heading and the bio box."""
    return Structures(
        None if body_only else _first_below(page, body, L.is_comments),
        _first_below(page, body, L.is_sources_heading),
        frozenset(_bio_box(page, body) | _company_profile(page, body)),
    )


def _first_below(page: PageLines, body: list[int], is_heading: Callable[[str], bool]) -> int | None:
    """The first line below the start of the body that ``is_heading`` accepts."""
    if not body:
        return None
    return next((i for i in range(body[0] + 1, len(page)) if is_heading(page.texts[i])), None)


def _bio_box(page: PageLines, body: list[int]) -> set[int]:
    """An "About <Name>" heading in the body and the prose right below it that names that
    person or company (or any prose below "About the author"): a bio box, not the article."""
    found: set[int] = set()
    if not body:
        return found
    for i in range(body[0], min(body[-1] + 1, len(page))):  # the heading may be outside the body
        name = L.bio_heading(page.texts[i])
        if name is None:
            continue
        tokens = [w.lower() for w in script_tokens(name) if len(w) >= 3]
        if name and not tokens:
            continue
        below = []
        for j in range(i + 1, min(i + 1 + BIO_MAX_LINES, len(page))):
            words = {w.lower() for w in script_tokens(page.texts[j])}
            if page.scores[j] <= 0 or (name and not words.intersection(tokens)):
                break
            below.append(j)
        if below:
            found.update([i, *below])
    return found


def _company_profile(page: PageLines, body: list[int]) -> set[int]:
    """The company profile closing a press release, when it has no "About X" heading: the last
    paragraphs of the body, each one "X is a … provider / company …" or "… is headquartered in"."""
    found: set[int] = set()
    for i in reversed(body):
        if page.labels[i]:
            continue  # a footer or share line below the profile
        if not L.is_company_profile(page.texts[i]):
            break
        found.add(i)
    return found


def body_view(page: PageLines, body: list[int], title_hint: str | None = None, body_only: bool = False) -> PageView:
    """Steps 1 and 2: the page's structures and its metadata, read before any line is judged."""
    structures = find_structures(page, body, body_only)
    start = body[0] if body else len(page)
    meta = read_metadata(page, start, [i for i in body if not structures.removes(i)], title_hint)
    judge = OffTopicJudge([page.texts[i] for i in body if page.scores[i] > 0], title=meta.title)
    return PageView(page, frozenset(body), structures, meta, judge, start, tuple(body))


def clean_lines(page: PageLines, body: list[int], title_hint: str | None = None, body_only: bool = False) -> Extraction:
    """The cleaned article of one page's table: its text, metadata and the audit trail of every line.

    ``body``: the rows the selection chose. ``body_only``: the table holds only the body (an HTML
    page's chosen lines: its header was read by trafilatura).
    """
    if not len(page):
        return Extraction()
    view = body_view(page, body, title_hint, body_only)
    structures, meta = view.structures, view.meta
    reasons: dict[int, Reason] = {}
    for i in body:
        if reason := first_verdict(view, i, Place.BODY):
            reasons[i] = reason
    for i in sorted((set(meta.header) | structures.bio) - view.body):  # the header, a bio heading beside the body
        if reason := first_verdict(view, i, Place.HEADER):
            reasons[i] = reason
    reasons.update(_repeated_text(page, body, reasons))
    read_lead(meta, next((page.texts[i] for i in body if i not in reasons), None))
    reasons.update(outside_reasons(page, set(body), reasons, meta.title, structures.sources_from))
    read_syndication(page, meta)
    kept = [i for i in body if i not in reasons]
    return Extraction(
        title=meta.title,
        text="\n\n".join(page.texts[i] for i in kept),
        author=meta.author,
        published=meta.published,
        dateline=meta.dateline,
        original_source=meta.original_source,
        blocks=audit_trail(page, set(kept), reasons),
    )


def _repeated_text(page: PageLines, body: list[int], reasons: dict[int, Reason]) -> dict[int, Reason]:
    """Long kept blocks that repeat text already kept above them (a second copy of the body, a
    summary stitched from its sentences), and several kept lines whose words all recur in one long
    block below them (a list of the story's points above the full story run together): counting
    either twice would double the article's words, frames and quotes."""
    found: dict[int, Reason] = {}
    seen: set[tuple[str, ...]] = set()
    for i in body:
        if i in reasons:
            continue
        grams = shingle_set(page.texts[i], 4)
        if page.n_words(i) >= REPEAT_MIN_WORDS and len(grams & seen) >= REPEAT_SHARE * len(grams):
            found[i] = Reason.DUPLICATE
        else:
            seen |= grams
    kept = [i for i in body if i not in reasons and i not in found]
    long_blocks = [j for j in kept if page.n_words(j) >= COPY_BLOCK_MIN_WORDS]
    if not long_blocks:
        return found
    by_line = {i: shingle_set(page.texts[i], 4) for i in kept}
    for j in long_blocks:
        copies = [
            i for i in kept if i < j and by_line[i] and len(by_line[i] & by_line[j]) >= REPEAT_SHARE * len(by_line[i])
        ]
        if len(copies) >= COPY_MIN_LINES:
            for i in copies:
                found[i] = Reason.DUPLICATE
    return found


def outside_reasons(
    page: PageLines,
    in_body: set[int],
    reasons: dict[int, Reason],
    title: str | None,
    sources_from: int | None = None,
) -> dict[int, Reason]:
    """The reason of every line outside the body that has none yet (the OUTSIDE rules of :data:`RULES`)."""
    start = min(in_body) if in_body else len(page)
    kept = [page.texts[i] for i in sorted(in_body) if i not in reasons]
    meta = PageMetadata(title=title)
    view = PageView(
        page, frozenset(in_body), Structures(sources_from=sources_from), meta, OffTopicJudge(kept, title=title), start
    )
    waiting = [i for i in range(len(page)) if i not in in_body and i not in reasons]
    title_read = bool(title) and any(
        r == Reason.METADATA and same_title(page.texts[i], title) for i, r in reasons.items()
    )
    if not title_read:
        view.title_first_outside = next((i for i in waiting if view.is_title(i)), None)
    removed = sorted(set(waiting) | set(reasons))  # a 'Related' heading the body's cleaning removed counts too
    view.related_from = next(
        (
            i
            for i in removed
            if i > start and page.labels[i] in (Reason.RELATED, Reason.COMMENTS) and not view.is_title(i)
        ),
        None,
    )
    return {i: first_verdict(view, i, Place.OUTSIDE) or Reason.BOILERPLATE for i in waiting}


def audit_trail(page: PageLines, kept: set[int], reasons: dict[int, Reason]) -> list[Block]:
    """Every line of the table in page order: kept, or removed with its reason."""
    return [
        Block(text, kept=True) if i in kept else Block(text, kept=False, reason=reasons.get(i, Reason.BOILERPLATE))
        for i, text in enumerate(page.texts)
    ]
