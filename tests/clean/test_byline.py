"""Bylines (issue 30): the author is the person(s) a byline names, or nobody; a wire agency it credits is
the article's source. Before, "Published March 22, 2019" gave the author "Published March", "By Jane Doe |
Published …" gave "Jane Doe; Published March", and places, events and publishers were authors. Pages are
written here, in the shapes seen on real pages."""

from __future__ import annotations

import pytest

from presslens.extract import extract_text
from tests.conftest import FOOTBRIDGE_PARAGRAPHS

PARAGRAPHS = FOOTBRIDGE_PARAGRAPHS[:5]


def html_page(byline: str) -> str:
    """An article with its byline in a byline element above the date, as news sites mark it up."""
    return (
        "<html><head><title>Footbridge approved</title></head><body><article><h1>Footbridge approved</h1>"
        f'<div class="byline">{byline}</div><p class="date">March 22, 2019</p>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article></body></html>"
    )


def text_page(byline: str) -> str:
    """The same article as a plain-text dump: headline, byline, date, paragraphs."""
    return "Footbridge approved\n\n" + byline + "\nMarch 22, 2019\n\n" + "\n\n".join(PARAGRAPHS) + "\n"


# (byline on the page, the author, the source credited); each was wrong on HTML pages before the fix
HTML_BYLINES = [
    ("Published March 22, 2019", None, None),  # was "Published March"
    ("Updated March 22, 2019 10:31 am", None, None),  # was "Updated March"
    ("By Jane Doe | Published March 22, 2019", "Jane Doe", None),  # was "Jane Doe; Published March"
    ("Jane Doe, Reuters", "Jane Doe", "Reuters"),  # was "Jane Doe; Reuters", no source
    ("By Jane Doe and John Roe, Associated Press", "Jane Doe; John Roe", "Associated Press"),
    ("WASHINGTON DC", None, None),  # a dateline
    ("Pulse Nightclub Shooting", None, None),  # an event
    ("Victim", None, None),
    ("Condé Nast; Louise Matsakis", "Louise Matsakis", None),  # a publisher beside the writer
    ("Beachbody", None, None),  # a company
]


@pytest.mark.parametrize(("byline", "author", "source"), HTML_BYLINES, ids=[b for b, _, _ in HTML_BYLINES])
def test_an_html_byline_gives_its_persons_or_nobody(byline, author, source):
    extraction = extract_text(html_page(byline), is_html=True)
    assert extraction.author == author
    assert extraction.original_source == source
    assert PARAGRAPHS[0] in extraction.text and PARAGRAPHS[-1] in extraction.text


# plain-text pages read their bylines with the line rules; these two were wrong there
TEXT_BYLINES = [
    ("By Jane Doe and John Roe", "Jane Doe; John Roe"),  # was "Jane Doe and John Roe": one author
    ("By Staff Reporter", None),  # was "Staff Reporter"
]


@pytest.mark.parametrize(("byline", "author"), TEXT_BYLINES, ids=[b for b, _ in TEXT_BYLINES])
def test_a_text_byline_gives_its_persons_or_nobody(byline, author):
    extraction = extract_text(text_page(byline), is_html=False)
    assert extraction.author == author
    assert PARAGRAPHS[0] in extraction.text
