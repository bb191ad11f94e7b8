"""Bounds that degrade a page instead of refusing it (issue 30): a page nested deeper than the HTML parser
keeps is re-nested and still extracted; a page of too many lines is cut and the run goes on, saying which
bound cut it. Pages are written here."""

from __future__ import annotations

import pandas as pd

from presslens.extract import extract_article
from presslens.pages import MAX_LINES, RawFile, read_page, renest
from presslens.pipeline import run_pipeline
from presslens.processing import MAX_ARTICLE_WORDS
from tests.conftest import FOOTBRIDGE_PARAGRAPHS

PARAGRAPHS = FOOTBRIDGE_PARAGRAPHS


def deep_page(levels: int) -> str:
    """An article whose middle paragraphs sit ``levels`` unclosed-then-closed elements deep, as pages with
    runaway wrappers nest them."""
    head, deep, tail = PARAGRAPHS[:2], PARAGRAPHS[2:4], PARAGRAPHS[4:]
    return (
        "<html><head><title>Footbridge approved</title></head><body><article><h1>Footbridge approved</h1>"
        + "".join(f"<p>{p}</p>" for p in head)
        + '<div class="wrap">' * levels
        + "".join(f"<p>{p}</p>" for p in deep)
        + "</div>" * levels
        + "".join(f"<p>{p}</p>" for p in tail)
        + "</article></body></html>"
    )


def test_a_page_nested_600_deep_is_extracted_with_its_paragraphs(tmp_path):
    """It was refused ("HTML nested 604 elements deep, over the 400-level limit"); a real held-out page nested
    510 deep by unclosed tags was refused the same way. The HTML parser keeps 255 levels and drops everything
    after, so the page is re-nested at the cap and every paragraph, deep or after the deep part, is read."""
    path = tmp_path / "deep.html"
    path.write_text(deep_page(600))
    page = read_page(RawFile(path, "deep.html", None))
    assert len(page.bounds) == 1 and "pages.MAX_NESTING" in page.bounds[0] and "nested 60" in page.bounds[0]
    text = extract_article(page).text
    for paragraph in PARAGRAPHS:
        assert paragraph in text


def test_nesting_is_read_as_the_parser_nests_implied_closes_included():
    """Unclosed <p> and <li> close one another, an end tag closes the elements left open inside it: a page
    of 1,000 unclosed paragraphs is 3 levels deep, not 1,000, and is not touched."""
    unclosed = "<html><body>" + "<p>A paragraph left open" * 1000 + "<ul>" + "<li>item" * 500 + "</ul></body></html>"
    nesting = renest(unclosed)
    assert nesting.deepest <= 4 and nesting.unwrapped == 0 and nesting.html is unclosed


def test_a_page_of_30000_lines_is_cut_and_the_run_goes_on_with_a_warning(tmp_path):
    """A text page over MAX_LINES was refused ("30,000 lines, over the 20,000 limit"): it is now read as its
    first MAX_LINES lines, its article cut to MAX_ARTICLE_WORDS words (that was a refusal too), and the errors
    table says which bound cut it, how."""
    raw = tmp_path / "raw" / "ferry"
    raw.mkdir(parents=True)
    lines = [f"{PARAGRAPHS[i % len(PARAGRAPHS)]} It was the {i}th remark of the debate." for i in range(30_000)]
    (raw / "timetable.txt").write_text("Ferry timetable\n\n" + "\n".join(lines) + "\n")
    (raw / "bridge.txt").write_text("Footbridge approved\n\n" + "\n\n".join(PARAGRAPHS) + "\n")
    out = tmp_path / "processed"
    summary = run_pipeline(tmp_path / "raw", out)
    assert summary.processed == 2 and not summary.failed
    errors = pd.read_csv(out / "errors.csv")
    cut = errors[errors.file == "ferry/timetable.txt"].set_index("stage").reason
    assert sorted(cut.index) == ["extract", "read"]  # both bounds degrade the page, neither refuses it
    assert cut["read"].startswith("30,00")
    assert f"lines: cut after the first {MAX_LINES:,} (bound pages.MAX_LINES" in cut["read"]
    assert f"cut to the first {MAX_ARTICLE_WORDS:,} (bound processing.MAX_ARTICLE_WORDS" in cut["extract"]
    articles = pd.read_csv(out / "articles.csv").set_index("raw_path")
    assert 0.9 * MAX_ARTICLE_WORDS < articles.loc["ferry/timetable.txt", "words"] <= MAX_ARTICLE_WORDS


def test_unclosed_links_the_parser_nests_flat_are_not_unwrapped(tmp_path):
    """300 unclosed links were read as 302 levels deep: the errors table said "HTML nested 302 elements deep"
    and 102 links were unwrapped, though the parser closes an open <a> at the next one (3 levels). The page is
    read tag by tag only when the parser itself nests it near the cap; this one is left as it is."""
    path = tmp_path / "links.html"
    links = "".join(f'<a href="/story-{i}">Story {i} ' for i in range(300))
    html = f"<html><head><title>Footbridge approved</title></head><body><p>{PARAGRAPHS[0]}</p>{links}</body></html>"
    path.write_text(html)
    page = read_page(RawFile(path, "links.html", None))
    assert page.bounds == [] and page.text == html
