"""Links to other stories in brackets between paragraphs ("[MORE: …]"), on pages written here."""

from __future__ import annotations

from presslens.clean.cleaned import Reason
from presslens.extract import extract_text
from tests.conftest import FOOTBRIDGE_PARAGRAPHS


def _flat_page(lines: list[str], title: str) -> str:
    """A page as GVA's held-out half is scored: an h1, then a <p> per line."""
    body = "".join(f"<p>{line}</p>\n" for line in lines)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>{title}</h1>\n{body}</body></html>'


def test_a_bracketed_link_to_another_story_goes_but_an_update_note_stays():
    """Links such as "[MORE: Mugshot roundup …]" escaped every rule (issue 30): the off-topic rule spares
    bracketed asides, and 'Read more:' teasers were only known without brackets. A whole line in
    brackets under a capitals label is a link to another page; an editor's "[UPDATE: …]" note is the
    article's own text and stays."""
    teasers = ["[MORE: Harbour festival photo gallery]", "[PREVIOUS STORY: Ferry service ends after forty years]"]
    update = "[UPDATE: The council confirmed on Wednesday that work will begin in April.]"
    lines = [*FOOTBRIDGE_PARAGRAPHS[:2], teasers[0], *FOOTBRIDGE_PARAGRAPHS[2:4], teasers[1], update]
    lines += FOOTBRIDGE_PARAGRAPHS[4:]
    for html in (True, False):
        content = (
            _flat_page(lines, "Council approves the Ashworth footbridge")
            if html
            else "\n\n".join(["Council approves the Ashworth footbridge", *lines])
        )
        extraction = extract_text(content, is_html=html)
        reasons = {b.text: b.reason for b in extraction.blocks if not b.kept}
        for teaser in teasers:
            assert reasons.get(teaser) == Reason.RELATED, (html, reasons)
        assert update in extraction.text
        assert all(p in extraction.text for p in FOOTBRIDGE_PARAGRAPHS)
