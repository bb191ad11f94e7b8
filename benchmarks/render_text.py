"""Full-page plain text rendered from HTML the way ``text-dev`` was made, to score plain-text cleaning
on pages nobody tuned it on.

``text-dev`` is html-dev's pages rendered by inscriptis 2.7.6 (default settings) with every menu,
share line and footer kept, each line stripped, the first two levels of inscriptis' list bullets
('* ', '+ ') taken off and runs of blank lines cut to one. :func:`render_text` does exactly that: on
all 102 html-dev pages it gives text-dev's files byte for byte (``tests/test_render_text.py``).
inscriptis is a development dependency (the ``dev`` extra): presslens never renders pages to text.
"""

from __future__ import annotations

import html as html_escape
import re

BULLET = re.compile(r"\s*[*+](?: |$)")  # the bullets of list levels 1 and 2 (deeper ones stay, as in text-dev)
BLANK_RUN = re.compile(r"\n{3,}")


def render_text(html: str) -> str:
    """The page's full text as text-dev renders it: every visible line, menus and footers included."""
    from inscriptis import get_text

    lines = []
    for line in get_text(html).splitlines():
        stripped = line.strip()
        if BULLET.match(line):
            stripped = stripped[1:].strip()
        lines.append(stripped)
    return BLANK_RUN.sub("\n\n", "\n".join(lines)).strip() + "\n"


def paragraph_html(text: str) -> str:
    """A text dump as HTML with one ``<p>`` per non-empty line: how trafilatura (an HTML extractor)
    is given plain text as a baseline."""
    paragraphs = "".join(f"<p>{html_escape.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}</body></html>"


def trafilatura_on_text(text: str, url: str | None) -> str:
    """Baseline: trafilatura 2.3.1 default ``extract()`` on the text dump wrapped a ``<p>`` per line."""
    import trafilatura

    return trafilatura.extract(paragraph_html(text), url=url) or ""


def presslens_on_text(text: str, url: str | None) -> str:
    """presslens' plain-text cleaning (the shipped model) on a text dump, never read as HTML."""
    from presslens.extract import extract_text

    return extract_text(text, url=url, is_html=False).text


def every_line(text: str, url: str | None) -> str:
    """Baseline: the whole text dump, every line kept."""
    return text
