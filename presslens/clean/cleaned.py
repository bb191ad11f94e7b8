"""Small types passed between stages: a page's blocks and why one was removed, and the extracted article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Reason(StrEnum):
    """Why a line is not article text: the one list of removal reasons (docs/outputs.md, "Removal reasons").

    Members are strings (``Reason.SHARE == "share"``), so records, tables and the audit trail hold
    the plain word; ``description`` says what the reason covers.
    """

    description: str

    def __new__(cls, value: str, description: str) -> Reason:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    NAVIGATION = "navigation", "menus, section lists, breadcrumbs, search boxes"
    SHARE = "share", "share/follow buttons and social links"
    MASTHEAD = "masthead", "site name, slogan, staff box at the top; a bio box or company profile closing the article"
    METADATA = "metadata", "title, byline, date or dateline line, moved into the article's metadata"
    DUPLICATE_TITLE = "duplicate-title", "the headline repeated inside the page"
    DUPLICATE = "duplicate", "a long block repeating text already kept above it (a second copy of the body)"
    CAPTION = "caption", "image or video captions and credits"
    PROMO = "promo", "subscribe, newsletter, donation, app and advertising appeals"
    RELATED = "related", "'Related', 'More', 'Don't miss', 'Read more' headings and their teasers"
    SYNDICATION = "syndication", "'originally appeared on', syndicated-feed and wire notes (source kept in metadata)"
    FOOTER = "footer", "copyright, legal, contact and cookie lines; a 'Sources:' list"
    COMMENTS = "comments", "comment sections and their prompts"
    INTERFACE = "interface", "the site's controls and notices: captcha instructions, sign-in prompts, player notices"
    OFF_TOPIC = "off-topic", "a line whose words are not about the article's subject"
    BOILERPLATE = "boilerplate", "lines outside the article body that match nothing more specific"


@dataclass
class Block:
    """One line/paragraph of the page in reading order, kept or removed with a reason."""

    text: str
    kept: bool
    reason: Reason | None = None


@dataclass
class Extraction:
    """What cleaning and extraction learn from one page (no metrics yet)."""

    title: str | None = None
    text: str = ""
    author: str | None = None
    published: str | None = None
    dateline: str | None = None
    original_source: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def removed(self) -> list[dict]:
        return [{"text": b.text, "reason": b.reason} for b in self.blocks if not b.kept]

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p.strip()]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["removed"] = self.removed
        return d
