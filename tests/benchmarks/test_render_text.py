"""The plain-text renderer of the held-out text check (benchmarks/render_text.py) against text-dev."""

from __future__ import annotations

import gzip

from benchmarks.render_text import paragraph_html, render_text
from tests.conftest import HTML_DEV, TEXT_DEV, need_shared


def test_rendering_html_dev_gives_text_dev_byte_for_byte():
    """Text dumps rendered from pages nobody tuned on are only a fair check of the text cleaning if
    they are made as text-dev was: every html-dev page rendered here equals its text-dev file."""
    need_shared(HTML_DEV)
    need_shared(TEXT_DEV)
    pages = sorted(HTML_DEV.glob("html/*.html.gz"))
    assert len(pages) == 102
    differ = []
    for path in pages:
        page_id = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        if render_text(html) != (TEXT_DEV / "text" / f"{page_id}.txt").read_text(encoding="utf-8"):
            differ.append(page_id)
    assert not differ, f"{len(differ)} pages render unlike text-dev: {differ[:5]}"


def test_text_is_given_to_trafilatura_a_paragraph_per_line_with_markup_escaped():
    html = paragraph_html("First line <b>\n\n  \nSecond & last")
    assert "<p>First line &lt;b&gt;</p>" in html and "<p>Second &amp; last</p>" in html
    assert html.count("<p>") == 2
