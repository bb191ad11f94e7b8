"""The article record: what page processing hands to the comparison, one per readable page.

Written to ``processed/articles/<article_id>.json`` by page processing and read back by the
story build; the story fields are filled in there, from the grouping and outlets.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class ArticleRecord:
    article_id: str
    raw_path: str
    outlet: str
    text: str
    kind: str = ""  # "html" or "text"
    sha256: str = ""
    encoding: str = ""
    outlet_source: str = ""  # where the outlet name came from: sidecar, page, url, text
    warnings: list[str] = field(default_factory=list)
    pinned_story: str | None = None  # the story the user filed the page under; None: the run groups it
    page_published: str | None = None  # the date the page itself gives, when a sidecar gives another
    # where the date, title and author came from: page, feed (collect's feed_* sidecar fields, used when
    # the page gives none), sidecar (the user's published date), none; "" in records older than these fields
    date_source: str = ""
    title_source: str = ""
    author_source: str = ""
    title: str | None = None
    author: str | None = None
    published: str | None = None
    dateline: str | None = None
    original_source: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    removed: list[dict] = field(default_factory=list)  # every removed line: text, reason
    metrics: dict[str, Any] = field(default_factory=dict)  # measure -> value (presslens.metrics)
    sentences: list[dict] = field(default_factory=list)  # per sentence: text, frame, tone, quote …
    quotes: list[dict] = field(default_factory=list)
    # sentence index (a JSON key: a string) -> who the sentence attributes words to, as the sourcing step read
    # it; None when it did not run (not English) or in records older than this field
    speakers: dict[str, str] | None = None
    entities: dict[str, dict] = field(default_factory=dict)  # name -> mentions, first_position, in_headline, kind
    pipeline_version: str = ""
    # filled in by the story build, never stored
    story: str | None = None
    story_by: str = "grouped"  # pinned, moved, merged (by the user) or grouped (by the run)
    lean: str | None = None  # the outlet's lean in outlets.yaml
    published_flag: str | None = None  # why the date is not trusted for "first reported"

    @classmethod
    def from_article(cls, article, measures, version: str) -> ArticleRecord:
        """The record of an extracted :class:`presslens.extract.Article` and its measures."""
        ex = article.extraction
        return cls(
            **{f.name: getattr(ex, f.name) for f in fields(ex) if f.name != "blocks"},  # text, title, author …
            article_id=article.article_id,
            raw_path=article.raw_path,
            outlet=article.outlet,
            kind=article.kind,
            sha256=article.sha256,
            encoding=article.encoding,
            outlet_source=article.outlet_source,
            warnings=list(article.warnings),
            pinned_story=article.pinned_story,
            page_published=article.page_published,
            date_source=article.metadata_sources.get("date", ""),
            title_source=article.metadata_sources.get("title", ""),
            author_source=article.metadata_sources.get("author", ""),
            removed=ex.removed,
            metrics=measures.metrics,
            sentences=measures.sentences,
            quotes=measures.quotes,
            speakers=None if measures.speakers is None else {str(i): s for i, s in measures.speakers.items()},
            pipeline_version=version,
        )

    def to_dict(self) -> dict:
        """The stored form (the story fields are not stored: they change with every grouping)."""
        return {name: getattr(self, name) for name in _STORED_ORDER}  # shallow: asdict copies every sentence

    @classmethod
    def from_dict(cls, data: dict) -> ArticleRecord:
        return cls(**{k: v for k, v in data.items() if k in _STORED})

    def get(self, name: str, default: Any = None) -> Any:
        """A field or a metric by name (the articles table takes both)."""
        if name in self.metrics:
            return self.metrics[name]
        return getattr(self, name, default)


_STORED_ORDER = [f.name for f in fields(ArticleRecord) if f.name not in {"story", "story_by", "lean", "published_flag"}]
_STORED = frozenset(_STORED_ORDER)
