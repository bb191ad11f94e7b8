"""Property-based tests: random text and HTML never crash cleaning or metrics, and the audit
trail always accounts for every line of a page."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presslens.clean.plain_text import clean_text
from presslens.clean.table import normalize_line
from presslens.extract import extract_text
from presslens.metrics.frames import classify_sentence
from presslens.metrics.readability import readability_metrics, size_metrics
from presslens.metrics.sourcing import analyse_sourcing
from presslens.text import split_sentences

WORDS = st.sampled_from(
    [
        "the",
        "bridge",
        "closed",
        "Mayor",
        "said",
        "“quote”",
        "Share",
        "on",
        "facebook",
        "Related",
        "2024",
        "Seoul:",
        "—",
        "By",
        "Jane",
        "Doe",
        "Sun 23 Jun 2024",
        ".",
        ",",
        "?",
        "|",
        "(file)",
        "كوريا",
        "Россия",
        "日本",
        "\u00a0",
        "<b>",
        "&amp;",
        "READ",
        "MORE:",
    ]
)
LINES = st.lists(WORDS, min_size=0, max_size=25).map(" ".join)
PAGES = st.lists(LINES, min_size=0, max_size=40).map("\n".join)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(PAGES)
def test_text_cleaning_accounts_for_every_line(page):
    extraction = clean_text(page)
    lines = [normalize_line(x) for x in page.splitlines() if normalize_line(x)]
    assert [b.text for b in extraction.blocks] == lines
    assert all(b.kept or b.reason for b in extraction.blocks)
    kept = [b.text for b in extraction.blocks if b.kept]
    assert extraction.text == "\n\n".join(kept)


@FAST
@given(
    st.lists(
        st.tuples(st.sampled_from(["p", "div", "li", "h1", "a", "span", "nav", "footer", "script"]), LINES), max_size=30
    )
)
def test_html_extraction_never_crashes(elements):
    html = "<html><body>" + "".join(f"<{tag}>{text}</{tag}>" for tag, text in elements) + "</body></html>"
    extraction = extract_text(html, is_html=True)
    # every removed block has a reason, every kept block is in the article, and an article has kept blocks
    assert all(b.kept or b.reason for b in extraction.blocks)
    assert all(b.text in extraction.text for b in extraction.blocks if b.kept)
    assert not extraction.text.strip() or any(b.kept for b in extraction.blocks)


@FAST
@given(st.lists(st.tuples(st.sampled_from(["p", "div", "h1", "nav", "footer"]), LINES), max_size=30))
def test_html_article_lines_come_from_the_page(elements):
    """Nothing is invented: every line of the article is text of the page (inline elements: see below)."""
    from lxml import html as lxml_html

    page = "<html><body>" + "".join(f"<{tag}>{text}</{tag}>" for tag, text in elements) + "</body></html>"
    extraction = extract_text(page, is_html=True)
    squeezed = re.sub(r"\s+", "", lxml_html.fromstring(page).text_content()) if elements else ""
    for line in filter(None, extraction.text.split("\n\n")):
        assert re.sub(r"\s+", "", line) in squeezed, line


# Two bugs the properties above found, fixed by cleaning as one table of lines (issue 21):
def test_two_equal_html_lines_each_get_their_own_verdict():
    """The audit trail was matched by text, so the second "the" was removed though the text kept it."""
    extraction = extract_text("<html><body><div>the</div><div>the</div></body></html>", is_html=True)
    assert extraction.text == "\n\n".join(b.text for b in extraction.blocks if b.kept)


@pytest.mark.parametrize("page", ["<li>the</li><li>the</li>", "<span>the</span><nav>bridge</nav><span>the</span>"])
def test_words_either_side_of_a_removed_block_are_not_glued(page):
    """When the line model accepted nothing, trafilatura's own text was the body, and it glues list
    items and the text around a removed block ("thethe"); the rendered lines it kept are used now."""
    extraction = extract_text(f"<html><body>{page}</body></html>", is_html=True)
    assert "thethe" not in extraction.text


@FAST
@given(PAGES)
def test_metrics_never_crash(text):
    sentences = split_sentences(text)
    assert all(s.strip() for s in sentences)
    size = size_metrics(text)
    assert size["words"] >= 0 and size["sentences"] == len(sentences)
    scores, note = readability_metrics(text, "en")
    assert note or all(v is not None for v in scores.values())
    analyse_sourcing(sentences)
    for sentence in sentences[:5]:
        result = classify_sentence(sentence)
        assert result.frame is None or 0 < result.confidence <= 1
