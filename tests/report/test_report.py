"""The HTML report: self-contained, escaped, and checked in a real headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

from presslens.pipeline import run_pipeline
from tests.conftest import EXAMPLE
from tests.report.browser import Chromium, find_chromium

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    raw = root / "raw"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    hostile = (
        (EXAMPLE / "harbourline-radio.txt")
        .read_text(encoding="utf-8")
        .replace("At the ferry landing on Harbour Street,", f"At the ferry landing {XSS} on Harbour Street,")
    )
    (raw / EXAMPLE.name / "hostile.txt").write_text(hostile, encoding="utf-8")
    (raw / EXAMPLE.name / "hostile.txt.meta.json").write_text('{"outlet": "Hostile <b>Outlet</b>"}')
    run_pipeline(raw, root / "out")
    return root / "out"


def test_report_files_are_self_contained_and_escaped(report_dir):
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    assert (report_dir / "stories" / EXAMPLE.name / "report.html").exists()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert XSS not in page and "<b>Outlet</b>" not in page
    assert "<script" not in page.lower()  # the report itself needs no script at all
    assert "http://" not in page and "https://" not in page.replace("https://calder", "")  # no CDN
    assert page.count("data:image/svg+xml;base64,") >= 3  # frames, tone, coverage heat map
    for outlet in ("The Calder Courier", "Northshore Daily", "Valley Wire Service", "Harbourline Radio"):
        assert outlet in page


@pytest.fixture(scope="module")
def chromium():
    executable = find_chromium()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    browser = Chromium(executable)
    yield browser
    browser.close()


@pytest.mark.browser
def test_report_in_headless_chromium(report_dir, chromium, tmp_path):
    expression = """JSON.stringify({
        images: [...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight]),
        scripts: document.querySelectorAll('script').length,
        text: document.body.textContent.includes('<script>alert(1)</script>'),
        cards: document.querySelectorAll('.card').length
    })"""
    shot = tmp_path / "report.png"
    visit = chromium.visit((report_dir / "report.html").as_uri(), expression, shot)
    import json

    state = json.loads(visit.evaluated)
    assert visit.dialogs == []  # the hostile page's alert(1) never ran
    assert visit.console_errors == []
    assert state["scripts"] == 0 and state["text"] is True
    assert state["cards"] == 5
    assert len(state["images"]) >= 3 and all(c and w > 100 and h > 50 for c, w, h in state["images"])
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_script_and_javascript_urls_in_every_shown_field_stay_text(tmp_path):
    """Title, author, outlet, URL, dateline, story title: a page's metadata is attacker-controlled."""
    import json
    import re
    import shutil

    from presslens.pipeline import run_pipeline

    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    raw = tmp_path / "raw" / "evil-story"
    raw.mkdir(parents=True)
    shutil.copy(EXAMPLE / "calder-courier.html", raw / "page.html")
    page = (raw / "page.html").read_text(encoding="utf-8")
    page = page.replace("Merrow Street Bridge closed after inspectors find cable corrosion", f"Bridge {evil} closed")
    page = page.replace("Dana Whitcombe", f"Dana {evil}").replace("PORT CALDER —", f"PORT {evil} —")
    (raw / "page.html").write_text(page, encoding="utf-8")
    sidecar = {"outlet": f"Courier {evil}", "url": "javascript:alert(3)", "published": "2026-10-14"}
    (raw / "page.html.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    shutil.copy(EXAMPLE / "northshore-daily.txt", raw / "other.txt")
    out = tmp_path / "out"
    run_pipeline(tmp_path / "raw", out)
    for report in [out / "report.html", *out.glob("stories/*/report.html")]:
        html = report.read_text(encoding="utf-8")
        assert "<script" not in html.lower() and not re.search(r"<img[^>]*onerror", html, re.I)
        assert not re.search(r"""<[^>]+\\s(?:href|src)\\s*=\\s*["']?\\s*javascript:""", html, re.I)
        assert "&lt;script&gt;" in html  # the text is shown, escaped


def test_control_characters_stay_out_of_every_chart_and_the_page():
    """An outlet name with a control character made every SVG chart unreadable XML (issue 31)."""
    import base64
    import re
    from xml.etree import ElementTree

    import pandas as pd

    from presslens.charts import attention_chart, coverage_heatmap, frame_chart, tone_chart
    from presslens.report import render_page

    outlet, point = "North\x01shore\x1b Daily", "kp1"
    charts = [
        frame_chart({outlet + "\ud800": {"Economic": 0.6, "Political": 0.4}}),  # a lone surrogate too
        tone_chart(pd.DataFrame({"outlet": [outlet], "title": ["T\x0bitle"], "tone_mean": [0.2]})),
        coverage_heatmap(
            pd.DataFrame(
                {
                    "key_point": [point, point],
                    "label": ["A fact\x02", "A fact\x02"],
                    "outlet": [outlet, "Valley Wire"],
                    "covered": [True, False],
                    "first_position": [0.1, None],
                    "story": ["s", "s"],
                }
            )
        ),
        attention_chart(pd.DataFrame({"story": ["s"], "outlet": [outlet], "day": ["2026-10-14"], "articles": [1]})),
    ]
    for chart in charts:
        assert chart is not None
        svg = base64.b64decode(chart).decode("utf-8")
        ElementTree.fromstring(svg)  # well-formed
        assert "Northshore Daily" in svg
    page = render_page(f"presslens: {outlet}\ud800", [])
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", page) and "Northshore Daily" in page


def readable_text(page: str) -> str:
    """What a person reads on a report page: its text without tags, styles and embedded images."""
    import html
    import re

    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'src="data:[^"]*"', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("roster", ["leans", "none"])
def test_no_missing_value_reads_nan_or_none_in_a_report(tmp_path, roster):
    """Issue 29: every story report said "Leans with no article: nan." — a story row of blindspots.csv with
    no lean missing is read back as NaN, and Jinja prints NaN (and finds it true in an {% if %}). Every
    followed outlet has a lean and covers the story here, so nothing is missing; without outlets.yaml
    nothing is followed."""
    import re

    from presslens.roster import load_roster

    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    settings = {}
    if roster == "leans":
        path = tmp_path / "outlets.yaml"
        path.write_text(
            "outlets:\n"
            + "".join(
                f"  - name: {name}\n    lean: {lean}\n"
                for name, lean in (
                    ("The Calder Courier", "centre"),
                    ("Northshore Daily", "left"),
                    ("Valley Wire Service", "right"),
                    ("Harbourline Radio", "left"),
                )
            ),
            encoding="utf-8",
        )
        settings["roster"] = load_roster(path)
    run_pipeline(raw, tmp_path / "out", **settings)
    pages = [tmp_path / "out" / "report.html", tmp_path / "out" / "stories" / EXAMPLE.name / "report.html"]
    for page in pages:
        text = readable_text(page.read_text(encoding="utf-8"))
        assert not re.findall(r".{0,60}\b(?:nan|NaN|None|NaT|<NA>)\b.{0,20}", text), page


def test_the_report_says_what_tone_measures(report_dir):
    """Issue 29: VADER gave NYT's hard-news lead -0.88 and the report did not say that tone scores the
    words of the events reported, not the outlet's stance."""
    page = readable_text((report_dir / "stories" / EXAMPLE.name / "report.html").read_text(encoding="utf-8"))
    assert "not the outlet's stance" in page and "events reported" in page


def test_an_earlier_outlet_is_said_to_publish_before_the_point_was_reported_not_before_it_happened(report_dir):
    """The over-claim this guards: an "only X" point of a later article (a bakery owner's quote, which names
    no day) was shown with "The Calder Courier … published before it happened"; that the earlier outlets
    published before any outlet reported it is all the dates show."""
    page = readable_text((report_dir / "stories" / EXAMPLE.name / "report.html").read_text(encoding="utf-8"))
    assert "published before any outlet reported it" in page
    assert "before it happened" not in page and "before these happened" not in page


def test_an_articles_frame_says_how_many_of_its_sentences_carry_it(report_dir):
    """The misreading this guards: a card showed "frame Economic" for Harbourline Radio's commuter story, read
    off one sentence of nine (the wildfire story's cards likewise, one of ten). The card now says "N of M
    sentences" beside the frame, so one sentence is not taken for the article's framing."""
    import re

    page = readable_text((report_dir / "stories" / EXAMPLE.name / "report.html").read_text(encoding="utf-8"))
    shown = re.findall(r"frame\s+([A-Z][\w ,]*?),\s+(\d+) of (\d+) sentences\s+\(headline", page)
    assert len(shown) >= 4  # one per outlet with a frame
    assert all(1 <= int(n) <= int(m) for _frame, n, m in shown)
    assert any(int(n) == 1 for _frame, n, _m in shown)  # the weak case the count exists for


def test_the_frame_chart_says_how_many_sentences_each_bar_rests_on(report_dir):
    """The misreading this guards: the example's frame chart drew full "Economic" bars for outlets whose one
    framed sentence of nine or ten was all it read. Each outlet's label now carries framed / body sentences,
    the counts of the sentences table."""
    import base64
    import re

    from presslens.corpus_tables import read_table
    from presslens.report import body_frames, framed_counts

    page = (report_dir / "stories" / EXAMPLE.name / "report.html").read_text(encoding="utf-8")
    encoded = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    svgs = [base64.b64decode(b).decode("utf-8") for b in encoded]
    chart = next(svg for svg in svgs if "share of framed sentences" in svg)
    counts = framed_counts(body_frames(read_table(report_dir, "sentences"), EXAMPLE.name, "outlet"))
    framed = {outlet: c for outlet, c in counts.items() if c[0]}
    assert len(framed) >= 3 and all(0 < n <= m for n, m in framed.values())
    assert all(f"({n}/{m})" in chart for n, m in framed.values())
