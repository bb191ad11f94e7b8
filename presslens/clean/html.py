"""HTML pages: trafilatura finds the article, then the plain-text rules clean what it kept.

trafilatura is very good at finding the article container; what survives it is mostly
boilerplate *inside* that container ("READ MORE:" teasers, follow/newsletter lines,
captions), which is exactly what the line rules of :mod:`presslens.clean.text` recognise.
For the audit trail the whole page is also rendered to lines, so that what trafilatura
dropped is listed with a reason too.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html

from presslens.clean import lines as L
from presslens.clean.text import filter_extracted, normalize_line, rule_label
from presslens.clean.topic import OffTopicJudge
from presslens.model import Block, Extraction

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "figure",
        "figcaption",
        "form",
        "br",
        "hr",
        "pre",
        "address",
        "details",
        "summary",
        "title",
        "body",
        "html",
    ]
)
SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head"])


def page_lines(html: str) -> list[str]:
    """Render a page to its visible lines (one per block element), for the audit trail."""
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    chunks: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in SKIP_TAGS:
            if el.tail:
                chunks.append(el.tail)
            return
        block = tag.lower() in BLOCK_TAGS
        if block:
            chunks.append("\n")
        if el.text and tag:
            chunks.append(el.text)
        for child in el:
            walk(child)
        if block:
            chunks.append("\n")
        if el.tail:
            chunks.append(el.tail)

    walk(root)
    return [ln for ln in (normalize_line(x) for x in "".join(chunks).split("\n")) if ln]


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def clean_html(html: str, url: str | None = None) -> Extraction:
    """Extract the article from an HTML page with trafilatura, then remove in-article boilerplate."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=True,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
    )
    if doc is None:
        meta = Extraction()
        meta.blocks = [Block(t, kept=False, reason=rule_label(t) or "boilerplate") for t in page_lines(html)]
        return meta
    info = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = info.get("title") or None
    cleaned = filter_extracted(info.get("text") or "", title_hint=title)
    cleaned.title = title or cleaned.title
    cleaned.author = info.get("author") or cleaned.author
    cleaned.published = info.get("date") or cleaned.published
    cleaned.sitename = info.get("sitename") or None
    cleaned.url = info.get("url") or url
    cleaned.language = info.get("language") or None
    cleaned.blocks = _audit_blocks(html, cleaned)
    return cleaned


def _audit_blocks(html: str, cleaned: Extraction) -> list[Block]:
    """All visible lines of the page in order, marked kept when they are in the cleaned text."""
    kept_keys = {_key(p) for p in cleaned.paragraphs}
    post_removed = {_key(b.text): b.reason for b in cleaned.blocks if not b.kept}
    judge = OffTopicJudge(cleaned.paragraphs, title=cleaned.title)
    blocks: list[Block] = []
    seen_kept: set[str] = set()
    title_seen = after_related = False
    for text in page_lines(html):
        key = _key(text)
        if key in kept_keys and key not in seen_kept:
            blocks.append(Block(text, kept=True))
            seen_kept.add(key)
            continue
        reason = post_removed.get(key) or rule_label(text)
        if cleaned.title and key == _key(cleaned.title):
            reason, title_seen = ("duplicate-title" if title_seen else "metadata"), True
        elif reason:
            after_related = after_related or (reason in ("related", "comments") and bool(seen_kept))
        elif L.is_date_line(text) or L.parse_byline(text):
            reason = "metadata"
        elif after_related:
            reason = "related"
        elif len(L.words(text)) >= 6 and not judge.on_topic(text):
            reason = "off-topic"
        elif not seen_kept:
            reason = "masthead" if not blocks else "navigation"
        else:
            reason = "boilerplate"
        blocks.append(Block(text, kept=False, reason=reason))
    # paragraphs trafilatura assembled from several elements are not single page lines: keep them visible
    for para in cleaned.paragraphs:
        if _key(para) not in seen_kept:
            blocks.append(Block(para, kept=True))
    return blocks
