"""Stage 3 — extract: one :class:`Article` per page, with metadata resolved from every source.

Cleaning (:mod:`presslens.clean`) says which blocks are the article and what the page itself
states; here those clues are resolved in a fixed order of trust — the user's sidecar, then
the page's own metadata, then the URL, then text clues — and the language is detected.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlparse

from presslens.clean.byline import read_byline
from presslens.clean.cleaned import Extraction
from presslens.clean.html import clean_html
from presslens.clean.metadata import strip_site_suffix
from presslens.clean.plain_text import clean_text
from presslens.pages import SIDECAR_FIELD_CHARS, UNPRINTABLE, Page, looks_like_html
from presslens.urls import stored_url

UNKNOWN_OUTLET = "unknown"


@dataclass
class Article:
    """A cleaned article with its identity and metadata: the unit every metric works on."""

    article_id: str
    pinned_story: str | None  # the story the user filed the page under; None: the run groups it
    outlet: str
    raw_path: str
    sha256: str
    kind: str  # "html" or "text"
    encoding: str
    extraction: Extraction
    outlet_source: str = ""  # where the outlet name came from: sidecar, page, url, text
    warnings: list[str] = field(default_factory=list)
    page_published: str | None = None  # the date the page itself gives, when a sidecar gives another
    metadata_sources: dict[str, str] = field(default_factory=dict)  # date/title/author -> sidecar, page, feed, none

    @property
    def text(self) -> str:
        return self.extraction.text

    def to_dict(self) -> dict:
        data = {
            k: getattr(self, k)
            for k in (
                "article_id",
                "pinned_story",
                "outlet",
                "raw_path",
                "sha256",
                "kind",
                "encoding",
                "outlet_source",
                "warnings",
                "page_published",
                "metadata_sources",
            )
        }
        data.update(self.extraction.to_dict())
        return data


# --- outlets ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def outlet_registry() -> list[dict]:
    """Known outlets (name, domains, aliases), from presslens/data/outlets.json."""
    return json.loads(resources.files("presslens.data").joinpath("outlets.json").read_text(encoding="utf-8"))


def outlet_for_domain(url_or_host: str | None) -> str | None:
    if not url_or_host:
        return None
    host = urlparse(url_or_host).hostname if "//" in url_or_host else url_or_host
    host = (host or "").lower().removeprefix("www.")
    for outlet in outlet_registry():
        if any(host == d or host.endswith("." + d) for d in outlet["domains"]):
            return outlet["name"]
    return None


def canonical_outlet(name: str | None) -> str | None:
    """The registry's name for ``name`` ("Ndtv.com" -> "NDTV"), else ``name`` tidied."""
    if not name:
        return None
    name = name.strip(" .,:;|-")
    lowered = name.lower()
    for outlet in outlet_registry():
        if lowered == outlet["name"].lower() or lowered in (a.lower() for a in outlet["aliases"]):
            return outlet["name"]
    if re.fullmatch(r"[\w-]+(\.[\w-]+)+", name):
        return outlet_for_domain(name) or name
    return name


_ORG_SENTENCE = re.compile(
    r"(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,5})\s+is\s+an?\s+(?:\w+\s+){0,3}"
    r"(?:news|media)\s+(?:organi[sz]ation|outlet|site|website|company|platform|agency)"
)
_COPYRIGHT = re.compile(
    r"(?:©|copyright)\s*(?:\d{4}\s*[-–]?\s*)?(?:\d{4}\s*)?(?P<name>[A-Z][\w&.' -]{2,50}?)(?:\.|,|\s+all rights|$)", re.I
)


def outlet_from_text(lines: list[str]) -> str | None:
    """An outlet named by the page's own text: a known masthead, "X is a news organization", "© X"."""
    head = "\n".join(lines[:5])
    for outlet in outlet_registry():
        for alias in [outlet["name"], *outlet["aliases"]]:
            if len(alias) >= 4 and alias in head:
                return outlet["name"]
    for text in lines:
        match = _ORG_SENTENCE.search(text)
        if match:
            return canonical_outlet(match.group("name"))
    masthead = lines[0].strip() if lines and 1 <= len(lines[0].split()) <= 5 else None
    for text in reversed(lines):
        match = _COPYRIGHT.search(text)
        if match and len(text) < 200:
            holder = match.group("name").strip()
            # "© 2026 Northshore Daily Media" under a "Northshore Daily" masthead: the masthead is the name
            if masthead and holder.lower().startswith(masthead.lower()):
                return canonical_outlet(masthead)
            return canonical_outlet(holder)
    return None


# --- language -----------------------------------------------------------------------------


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and a 0–1 confidence; (None, 0) when the text is too short to tell."""
    if len(re.findall(r"\w+", text)) < 5:
        return None, 0.0
    lang, prob = _language_identifier().classify(text[:5000])
    return lang, float(prob)


@functools.lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


# --- articles -----------------------------------------------------------------------------


def extract_text(
    content: str, url: str | None = None, is_html: bool | None = None, line_model=None, tree=None
) -> Extraction:
    """Clean and extract one page given as a string (HTML or a plain-text dump).

    ``line_model`` replaces the shipped line classifier (used by cross-validated benchmarks); ``tree`` is the
    HTML as :func:`presslens.pages.parse_html` gave it, when the caller has parsed it.
    """
    html = looks_like_html(content) if is_html is None else is_html
    if html:
        extraction = clean_html(content, url=url, model=line_model, tree=tree)
    else:
        extraction = clean_text(content, model=line_model)
    if not extraction.url:
        extraction.url = url
    byline = read_byline(extraction.author)  # every author, from trafilatura or the page's lines: persons only
    extraction.author = byline.author
    extraction.original_source = extraction.original_source or byline.agency
    if extraction.text:
        extraction.language = detect_language(extraction.text)[0]
    return extraction


def cut_article_words(extraction: Extraction, limit: int) -> int:
    """Cut the article's text to its first ``limit`` words, whole paragraphs first; the words it had when
    cut, 0 when it was within the bound (then the text is untouched)."""
    words = len(extraction.text.split())
    if words <= limit:
        return 0
    kept: list[str] = []
    budget = limit
    for paragraph in extraction.text.split("\n"):  # stops at the bound: ends within ``limit`` words
        size = len(paragraph.split())
        if size >= budget:
            kept.append(" ".join(paragraph.split()[:budget]))
            break
        kept.append(paragraph)
        budget -= size
    extraction.text = "\n".join(kept)
    return words


def extract_article(page: Page) -> Article:
    """Turn a decoded page into an Article, the sidecar's values winning over inferred ones."""
    sidecar = page.sidecar
    extraction = extract_text(page.text, url=sidecar.get("url"), is_html=page.is_html, tree=page.tree)
    if sidecar.get("url"):
        extraction.url = sidecar["url"]
    extraction.url = stored_url(extraction.url)  # no user:password@ in tables and records; None if malformed
    page_published = extraction.published
    sources = feed_fallback(extraction, sidecar)
    if sidecar.get("published"):
        extraction.published = str(sidecar["published"])
        sources["date"] = "sidecar"
    extraction.original_source = canonical_outlet(extraction.original_source)
    outlet, source = resolve_outlet(page, extraction)
    extraction.title = strip_site_suffix(extraction.title, [outlet, extraction.sitename, extraction.url])
    if extraction.original_source and extraction.original_source == outlet:
        extraction.original_source = None  # a page is not syndicated from itself
    return Article(
        article_id=page.raw.article_id,
        pinned_story=page.story,
        outlet=outlet,
        raw_path=page.raw.relpath,
        sha256=page.sha256,
        kind="html" if page.is_html else "text",
        encoding=page.encoding,
        extraction=extraction,
        outlet_source=source,
        warnings=[*page.bounds, *page.warnings],
        page_published=page_published,
        metadata_sources=sources,
    )


# Article metadata a feed may give (the sidecar's feed_* field) when the page gives none
FEED_FALLBACKS = {
    "date": ("published", "feed_published"),
    "title": ("title", "feed_title"),
    "author": ("author", "feed_author"),
}


def feed_fallback(extraction: Extraction, sidecar: dict) -> dict[str, str]:
    """Fill the date, title and author the page does not give from what its feed said (collect's
    ``feed_*`` sidecar fields): the page's own metadata wins. Where each came from: page, feed or none."""
    sources = {}
    for what, (attribute, key) in FEED_FALLBACKS.items():
        if getattr(extraction, attribute):
            sources[what] = "page"
        elif sidecar.get(key):
            setattr(extraction, attribute, str(sidecar[key]))
            sources[what] = "feed"
        else:
            sources[what] = "none"
    return sources


def page_outlet_name(name: str) -> str:
    """A site name a page gives, as an outlet name: one line without control characters, cut at a word
    before the sidecar's outlet limit (a page's og:site_name of 8,000 characters went into every table)."""
    name = " ".join(UNPRINTABLE.sub(" ", name).split())
    limit = SIDECAR_FIELD_CHARS["outlet"]
    if len(name) > limit:
        name = name[: name.rfind(" ", 0, limit) if " " in name[:limit] else limit].rstrip(" ,;:-|") + "…"
    return name


def resolve_outlet(page: Page, extraction: Extraction) -> tuple[str, str]:
    """(outlet, where it came from). The outlet is the site the page was captured from."""
    if page.sidecar.get("outlet"):
        return str(page.sidecar["outlet"]), "sidecar"
    sitename = page_outlet_name(extraction.sitename or "")
    if sitename:
        return canonical_outlet(sitename) or sitename, "page"
    by_domain = outlet_for_domain(extraction.url)
    if by_domain:
        return by_domain, "url"
    by_text = page_outlet_name(outlet_from_text([b.text for b in extraction.blocks]) or "")
    if by_text:
        return by_text, "text"
    if extraction.url:
        host = (urlparse(extraction.url).hostname or "").removeprefix("www.")
        if host:
            return host, "url"
    return UNKNOWN_OUTLET, "none"
