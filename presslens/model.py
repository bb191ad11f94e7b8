"""Small dataclasses passed between stages: a page's blocks, and the extracted article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Why a block was removed. Documented in docs/outputs.md ("Removal reasons"); every removal uses one.
REASONS: dict[str, str] = {
    "navigation": "menus, section lists, breadcrumbs, search boxes",
    "share": "share/follow buttons and social links",
    "masthead": "site name, slogan, staff box (editor, supervisor) at the top",
    "metadata": "title, byline, date or dateline line, moved into the article's metadata",
    "duplicate-title": "the headline repeated inside the page",
    "duplicate": "a long block repeating text already kept above it (a second copy of the body)",
    "caption": "image or video captions and credits",
    "promo": "subscribe, newsletter, donation, app and advertising appeals",
    "related": "'Related', 'More', 'Don't miss', 'Read more' headings and their teasers",
    "syndication": "'originally appeared on', syndicated-feed and wire notes (source kept in metadata)",
    "footer": "copyright, legal, contact and cookie lines",
    "comments": "comment sections and their prompts",
    "interface": "the site's controls and notices: captcha instructions, sign-in prompts, player notices",
    "off-topic": "a block whose words are not about the article's subject",
    "boilerplate": "short lines outside the article body that match nothing more specific",
}


@dataclass
class Block:
    """One line/paragraph of the page in reading order, kept or removed with a reason."""

    text: str
    kept: bool
    reason: str | None = None


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
