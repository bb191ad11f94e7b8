"""An HTML page is parsed once, as trafilatura parses it, and its metadata read by trafilatura's own steps."""

from __future__ import annotations

from trafilatura.metadata import extract_metadata

from presslens.clean.html import METADATA_READ, clean_html, page_metadata, parse_html, render_lines

# A made-up XHTML page as older sites serve it: an XML declaration naming its encoding, then the doctype.
XHTML_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Calder ferry returns to service</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/port">Port news</a></li><li><a href="/weather">Weather</a></li>
<li><a href="/contact">Contact</a></li></ul></nav>
<div class="content"><h1>Calder ferry returns to service</h1>
<p>The Calder ferry carried its first passengers in three weeks on Tuesday, after repairs to its engine
that the harbour office said had cost about 40,000 crowns.</p>
<p>Harbour master Ines Varga said the crossing would run every hour until the end of the season, and
that a second vessel was being sought for the winter timetable.</p>
<p>Passengers had used a bus around the bay since the breakdown, a journey of some ninety minutes.</p>
</div>
<div class="footer"><p>Copyright Calder Harbour Press. All rights reserved.</p></div>
</body></html>"""


def test_an_xhtml_page_declaring_its_encoding_is_rendered():
    """Bug: lxml refuses a decoded text that declares its encoding (``<?xml … encoding="utf-8"?>``), so such a
    page (3 of traf-eval-dev's 343) rendered to no lines: its menu was never judged, the article was trafilatura's
    text alone."""
    lines = [line.text for line in render_lines(XHTML_PAGE)]
    assert "Home" in lines
    assert any(line.startswith("The Calder ferry carried") for line in lines)
    extraction = clean_html(XHTML_PAGE)
    removed = {block.text for block in extraction.blocks if not block.kept}
    assert {"Home", "Port news", "Weather"} <= removed
    assert extraction.text.startswith("The Calder ferry carried its first passengers")
    assert "Copyright" not in extraction.text


def test_page_metadata_is_trafilaturas_for_the_fields_read(html_pages):
    """page_metadata repeats trafilatura's extract_metadata less the fields nobody reads: on the 102 Zyte pages
    the fields cleaning reads are trafilatura's own (this fails when a trafilatura release changes its steps)."""
    differ = []
    for page_id, (content, truth) in html_pages.items():
        ours = page_metadata(parse_html(content), truth.get("url"))
        theirs = extract_metadata(parse_html(content), truth.get("url"))
        if ours != {name: getattr(theirs, name) for name in METADATA_READ}:
            differ.append(page_id)
    assert not differ
    assert sum(1 for content, truth in html_pages.values() if page_metadata(parse_html(content), None)["title"]) > 90
