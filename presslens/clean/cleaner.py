"""The removal rules: which lines of the table are not the article, each with its reason.

Shared by plain-text and HTML pages. Given the table of lines and the body the selection chose
(:mod:`presslens.clean.body`), :class:`LineCleaner`

1. reads the lines just above the body for metadata (title, date, byline, dateline),
2. runs :data:`BODY_RULES` over each body line, in their order — the first rule that fires gives
   the line its reason — then removes long blocks that repeat kept text,
3. reads a dateline or wire credit opening the first kept paragraph,
4. gives every line outside the body a reason with :func:`outside_reasons` (:data:`OUTSIDE_RULES`),
5. reads the syndication source.

The audit trail (:func:`audit_trail`) is read off the table: one block per line, kept or with
its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from presslens.clean import lines as L
from presslens.clean.table import PageLines, headline_shaped
from presslens.clean.topic import OffTopicJudge
from presslens.model import Block, Extraction

HEADER_LOOKBACK = 25  # lines above the body searched for title, byline, date
# Rule labels removed even inside the body the selection chose: what they mark is never article
# text. Masthead lines are not among them (removing them cost recall on HTML: docs/benchmarks.md).
REMOVED_IN_BODY = ("share", "promo", "comments", "syndication", "footer", "caption", "related")
REPEAT_MIN_WORDS = 50  # long blocks only: repeated short blocks (a meal plan's days, a refrain) are content
REPEAT_SHARE = 0.8  # share of a block's word 4-grams already kept above it that makes it a copy
COPY_BLOCK_MIN_WORDS = 150  # a block this long that holds several kept lines above it word for word ...
COPY_MIN_LINES = 3  # ... at least this many: those lines are the copy (a bullet summary of the story)
BIO_MAX_LINES = 3  # paragraphs of a bio box below its "About <Name>" heading
SOURCES_MAX_LINES = 40  # lines below a "Sources:" heading outside the body read as its list
WIRE_LINE_MAX_WORDS = 4  # "The Associated Press" on a line of its own is a credit, not a sentence


def title_key(text: str) -> str:
    """A headline as compared: its words, lower case, straight apostrophes."""
    return " ".join(w.lower() for w in L.words(text.replace("’", "'")))


def same_title(a: str, b: str) -> bool:
    """Two headlines that differ only in quotes, case or spacing."""
    return bool(a and b) and title_key(a) == title_key(b)


@dataclass(frozen=True)
class Rule:
    """A removal rule: the reason it gives (or "label": the line's own rule label), why, and its test."""

    reason: str
    why: str
    test: Callable[..., str | None]  # (the cleaner or the outside state, row) -> the reason, or None


class LineCleaner:
    """Gives each line of one page's table a removal reason, and reads the article's metadata.

    ``body``: the rows the selection chose. ``body_only``: the table holds only the body (an HTML
    page's chosen lines: its header was read by trafilatura, and the comment rule is for text
    dumps, where the line model cannot see a comment thread's markup).
    """

    def __init__(self, page: PageLines, body: list[int], title_hint: str | None = None, body_only: bool = False):
        self.page = page
        self.body = body
        self.title_hint = title_hint
        self.body_only = body_only
        self.meta = Extraction()
        self.reasons: dict[int, str] = {}  # row -> removal reason
        self.in_teasers = False  # inside the teaser run below a "Related" heading

    @property
    def texts(self) -> list[str]:
        return self.page.texts

    def run(self) -> Extraction:
        """The cleaned article: its text, metadata and the audit trail of every line."""
        if not len(self.page):
            return self.meta
        body = self.body
        self.read_header(body[0] if body else len(self.page))
        self.sources_from = self.first_below(body, L.is_sources_heading)
        self.comments_from = None if self.body_only else self.first_below(body, L.is_comments)
        self.judge = OffTopicJudge([self.texts[i] for i in body if self.page.scores[i] > 0], title=self.meta.title)
        self.title = self.meta.title or self.title_hint
        self.title_key = title_key(self.title) if self.title else ""
        self.bio = self.bio_box(body) | self.company_profile(body)
        for i in self.bio - set(body):
            self.reasons[i] = "masthead"  # a bio heading just outside the body
        for i in body:
            for rule in BODY_RULES:
                reason = rule.test(self, i)
                if reason:
                    self.reasons[i] = reason
                    break
        self.drop_repeated_text(body)
        self.read_lead(body)
        self.reasons.update(outside_reasons(self.page, set(body), self.reasons, self.meta.title, self.sources_from))
        self.read_syndication()
        kept = [i for i in body if i not in self.reasons]
        self.meta.text = "\n\n".join(self.texts[i] for i in kept)
        self.meta.blocks = audit_trail(self.page, set(kept), self.reasons)
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

    # -- the body: structures found before the rules run ---------------------------------
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

    # -- the body rules (BODY_RULES holds their order) ------------------------------------
    def below_comments(self, i: int) -> str | None:
        return "comments" if self.comments_from is not None and i > self.comments_from else None

    def in_bio(self, i: int) -> str | None:
        return "masthead" if i in self.bio else None

    def below_sources(self, i: int) -> str | None:
        return "footer" if self.sources_from is not None and i >= self.sources_from else None

    def metadata_line(self, i: int) -> str | None:
        """A date line, byline, metadata field ("Edited by: …") or bare wire credit ("The
        Associated Press") inside the body: it is metadata, read as such, never article text.
        A date in brackets ("(Published Monday, Nov. 18, 2019)") closes a video's description
        and stays with it."""
        text = self.texts[i]
        if text.lstrip().startswith("("):
            return None
        if self.take_date_or_byline(text) or L.is_meta_field(text):
            return "metadata"
        wire = L.wire_credit(text) if len(L.words(text)) <= WIRE_LINE_MAX_WORDS else None
        if wire:
            self.meta.original_source = self.meta.original_source or wire
            return "metadata"
        return None

    def interface_line(self, i: int) -> str | None:
        return "interface" if L.is_interface(self.texts[i]) else None

    def repeated_title(self, i: int) -> str | None:
        return "duplicate-title" if self.title and title_key(self.texts[i]) == self.title_key else None

    def labelled(self, i: int) -> str | None:
        label = self.page.labels[i]
        if label not in REMOVED_IN_BODY:
            return None
        self.in_teasers = label == "related" and L.is_related_heading(self.texts[i])
        return label

    def teaser_after_related(self, i: int) -> str | None:
        prose = self.page.scores[i] > 0
        if self.in_teasers and not (prose and self.judge.on_topic(self.texts[i])):
            return "related"
        self.in_teasers = False
        return None

    # -- the body: copies ----------------------------------------------------------------
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


# The rules for a line inside the body, highest priority first: the first that fires gives the reason.
BODY_RULES: tuple[Rule, ...] = (
    Rule("comments", "below a comments heading (text dumps)", LineCleaner.below_comments),
    Rule("masthead", "a bio box or the company profile closing a press release", LineCleaner.in_bio),
    Rule("footer", "from a 'Sources:' heading on", LineCleaner.below_sources),
    Rule("metadata", "a date line, byline, metadata field or bare wire credit", LineCleaner.metadata_line),
    Rule("duplicate-title", "the headline again", LineCleaner.repeated_title),
    Rule("label", "a rule label never article text (REMOVED_IN_BODY)", LineCleaner.labelled),
    Rule("interface", "the site's interface: a captcha, a sign-in prompt, a player notice", LineCleaner.interface_line),
    Rule("related", "the teasers below a 'Related' heading", LineCleaner.teaser_after_related),
)


@dataclass
class _Outside:
    """What the outside rules read: the page, the body, the reasons so far and their state."""

    page: PageLines
    in_body: set[int]
    judge: OffTopicJudge
    title: str | None
    start: int
    end: int
    sources_from: int | None
    title_seen: bool  # the headline already has its line (read with the header)
    after_related: bool = False
    title_key: str = field(init=False)  # the headline as compared, once per page

    def __post_init__(self) -> None:
        self.title_key = title_key(self.title) if self.title else ""


def _the_title(o: _Outside, i: int) -> str | None:
    if not (o.title and title_key(o.page.texts[i]) == o.title_key):
        return None
    seen, o.title_seen = o.title_seen, True
    return "duplicate-title" if seen else "metadata"


def _own_label(o: _Outside, i: int) -> str | None:
    label = o.page.labels[i]
    if label in ("related", "comments") and i > o.start:
        o.after_related = True  # what follows it outside the body is teasers or comments
    return label


def _after_related(o: _Outside, i: int) -> str | None:
    return "related" if o.after_related and i > o.start else None


def _interface(o: _Outside, i: int) -> str | None:
    return "interface" if L.is_interface(o.page.texts[i]) else None


def _under_sources(o: _Outside, i: int) -> str | None:
    below = o.sources_from is not None and o.sources_from <= i < o.sources_from + SOURCES_MAX_LINES
    return "footer" if below else None


def _metadata(o: _Outside, i: int) -> str | None:
    text = o.page.texts[i]
    return "metadata" if L.is_date_or_byline(text) or L.is_meta_field(text) else None


def _off_topic(o: _Outside, i: int) -> str | None:
    return "off-topic" if o.page.n_words(i) >= 6 and not o.judge.on_topic(o.page.texts[i]) else None


def _above_body(o: _Outside, i: int) -> str | None:
    if i >= o.start:
        return None
    return "masthead" if i == 0 else "navigation"


# The rules for a line outside the body, highest priority first.
OUTSIDE_RULES: tuple[Rule, ...] = (
    Rule("metadata", "the headline (a second time: duplicate-title)", _the_title),
    Rule("label", "the line's own rule label", _own_label),
    Rule("related", "after a 'Related' or comments heading below the body's start", _after_related),
    Rule("interface", "the site's interface: a captcha, a sign-in prompt, a player notice", _interface),
    Rule("footer", "the list under a 'Sources:' heading", _under_sources),
    Rule("metadata", "a date line, byline or metadata field", _metadata),
    Rule("off-topic", "six words or more on another subject", _off_topic),
    Rule("masthead", "above the body: the first line is the masthead, the rest navigation", _above_body),
    Rule("boilerplate", "anything else outside the body", lambda o, i: "boilerplate"),
)


def outside_reasons(
    page: PageLines, in_body: set[int], reasons: dict[int, str], title: str | None, sources_from: int | None = None
) -> dict[int, str]:
    """The reason of every line outside the body that has none yet (:data:`OUTSIDE_RULES`, in order)."""
    kept = [page.texts[i] for i in sorted(in_body) if i not in reasons]
    o = _Outside(
        page,
        in_body,
        OffTopicJudge(kept, title=title),
        title,
        min(in_body) if in_body else len(page),
        max(in_body) + 1 if in_body else 0,
        sources_from,
        bool(title) and any(r == "metadata" and same_title(page.texts[i], title) for i, r in reasons.items()),
    )
    found: dict[int, str] = {}
    for i in range(len(page)):
        if i in in_body or i in reasons:
            continue
        found[i] = next(r for rule in OUTSIDE_RULES if (r := rule.test(o, i)))
    return found


def audit_trail(page: PageLines, kept: set[int], reasons: dict[int, str]) -> list[Block]:
    """Every line of the table in page order: kept, or removed with its reason."""
    return [
        Block(text, kept=True) if i in kept else Block(text, kept=False, reason=reasons.get(i, "boilerplate"))
        for i, text in enumerate(page.texts)
    ]
