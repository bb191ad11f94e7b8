"""A 'Related' box between two paragraphs of the article: every teaser in it goes, on pages written here."""

from __future__ import annotations

from presslens.clean.cleaned import Reason
from presslens.clean.cleaner import Place, body_view, first_verdict
from presslens.clean.table import PageLines
from presslens.extract import extract_text
from tests.conftest import FOOTBRIDGE_PARAGRAPHS

TEASERS = [
    "Harbour Gulls win the cup final after extra time",
    "Ten places to find the best pies along the quay",
]


def _page_with_related_box() -> str:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in FOOTBRIDGE_PARAGRAPHS[:4])
    after = "".join(f"<p>{p}</p>\n" for p in FOOTBRIDGE_PARAGRAPHS[4:])
    items = "".join(f'<li><a href="/story/{n}">{t}</a></li>' for n, t in enumerate(TEASERS))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council approves the Ashworth footbridge</title>'
        "</head><body><main><article><h1>Council approves the Ashworth footbridge</h1>\n"
        f'<div class="article-body">{paragraphs}<div class="related-box"><h3>Related stories</h3><ul>{items}</ul>'
        f"</div>\n{after}</div></article></main></body></html>"
    )


def test_every_teaser_of_a_related_box_inside_the_article_goes():
    """The bundled example's Calder Courier page kept "Ten places to find the best chowder…", the
    second teaser of a 'Related stories' box between two paragraphs, and the report then listed it
    as a fact only that outlet reported: the line model left the box's heading and first teaser out
    of the body but took the last teaser in with the paragraphs around it, so the body's cleaning
    never saw the heading that makes it a teaser. The body's cleaning now sees the 'Related' headings
    inside the body's span (HTML) or the gaps the body skips (text), and a teaser run starts there."""
    extraction = extract_text(_page_with_related_box(), is_html=True)
    reasons = {b.text: b.reason for b in extraction.blocks if not b.kept}
    for teaser in TEASERS:
        assert teaser not in extraction.text
        assert reasons.get(teaser) == Reason.RELATED, reasons
    assert all(p in extraction.text for p in FOOTBRIDGE_PARAGRAPHS)


def test_a_teaser_run_starts_below_a_related_heading_the_text_body_skips():
    """The same box in a text dump: the heading and first teaser outside the body, the body going on
    with the second teaser; the teaser is removed as related, the paragraph after it kept."""
    texts = [*FOOTBRIDGE_PARAGRAPHS[:4], "Related stories", *TEASERS, *FOOTBRIDGE_PARAGRAPHS[4:]]
    page = PageLines.from_text("\n".join(texts))
    body = [0, 1, 2, 3, 6, 7, 8]  # the box's heading and first teaser left out, as a line model may
    view = body_view(page, body)
    assert first_verdict(view, 6, Place.BODY) == Reason.RELATED
    assert first_verdict(view, 7, Place.BODY) is None
