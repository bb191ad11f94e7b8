"""Stage 2 — clean: which lines of one decoded page are the article, and what the page says of itself.

Takes: one page's text (HTML or a plain-text dump, decoded by :mod:`presslens.pages`); entries
:func:`.html.clean_html` and :func:`.plain_text.clean_text`.
Hands on: an ``Extraction`` (:mod:`presslens.clean.cleaned`): the article's text, the metadata its own lines state
(title, date, byline, dateline, wire or syndication source) and a verdict for every line (kept, or removed
with its reason). Never: judges a line by the site it came from, knows of outlets, stories or tables, or
reads files other than its shipped models.
"""
