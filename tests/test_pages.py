"""Reading pages: encodings, HTML vs text by content, gzip, bad bytes, sidecars."""

from __future__ import annotations

import gzip
import json
import shutil

import pandas as pd
import pytest

from presslens.pages import PageError, RawFile, decode_bytes, discover, looks_like_html, read_page
from tests.conftest import EXAMPLE

ARABIC = "صدى البلد: وقعت كوريا الشمالية وروسيا معاهدة للشراكة الاستراتيجية الشاملة في بيونغ يانغ يوم الأربعاء."
FRENCH = "Le traité a été signé à Pyongyang mercredi ; les deux pays s'engagent à coopérer en matière économique."


def raw_file(tmp_path, name, data: bytes, sidecar: str | None = None) -> RawFile:
    path = tmp_path / "story" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if sidecar is not None:
        path.with_name(name + ".meta.json").write_text(sidecar, encoding="utf-8")
    return RawFile(path=path, relpath=f"story/{name}", story="story")


def test_windows_1256_arabic_without_declaration():
    text, enc = decode_bytes(("<p>" + ARABIC * 3 + "</p>").encode("cp1256"))
    assert ARABIC in text, enc


def test_windows_1256_arabic_declared_as_utf8():
    html = '<html><head><meta charset="utf-8"></head><body><p>' + ARABIC * 3 + "</p></body></html>"
    text, _ = decode_bytes(html.encode("cp1256"))
    assert ARABIC in text


def test_latin1_declared_and_undeclared():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>'
    text, enc = decode_bytes((html + FRENCH + "</p></body></html>").encode("latin-1"))
    assert FRENCH in text and enc == "cp1252"
    text, _ = decode_bytes((FRENCH * 4).encode("latin-1"))
    assert FRENCH in text


def test_utf8_declared_latin1_stays_utf8():
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>' + FRENCH + "</p></body></html>"
    text, enc = decode_bytes(html.encode("utf-8"))
    assert FRENCH in text and enc == "utf-8"


def test_bom_utf16():
    text, enc = decode_bytes("\ufeff".encode("utf-16-le") + FRENCH.encode("utf-16-le"))
    assert text == FRENCH and enc == "utf-16-le"


def test_html_detected_by_content_not_extension(tmp_path):
    html = b"<!DOCTYPE html><html><body><p>Hello there, this is a page.</p></body></html>"
    assert read_page(raw_file(tmp_path, "page.txt", html)).is_html
    assert not read_page(raw_file(tmp_path, "page.html", b"Just text.\nA <script> mention is not HTML.\n")).is_html
    assert not looks_like_html("The <b> tag and the <p> tag are HTML tags, said the teacher.")


def test_gzip_and_truncated_gzip(tmp_path):
    body = b"<html><body><p>Compressed page body with enough words.</p></body></html>"
    page = read_page(raw_file(tmp_path, "a.html.gz", gzip.compress(body)))
    assert page.is_html and "Compressed page body" in page.text
    with pytest.raises(PageError, match="truncated or corrupt gzip"):
        read_page(raw_file(tmp_path, "b.html.gz", gzip.compress(body)[:30]))


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\t  \n", "empty file"),
        (bytes(range(256)) * 40, "binary content"),
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), "binary content"),
    ],
)
def test_unreadable_pages_name_the_reason(tmp_path, data, reason):
    with pytest.raises(PageError, match=reason) as info:
        read_page(raw_file(tmp_path, "bad.html", data))
    assert info.value.path == "story/bad.html"


def test_sidecar_values_and_invalid_sidecar(tmp_path):
    good = raw_file(
        tmp_path, "a.txt", b"Some text here.", json.dumps({"outlet": "Example Post", "url": "https://x.example/a"})
    )
    page = read_page(good)
    assert page.sidecar == {"outlet": "Example Post", "url": "https://x.example/a"}
    bad = raw_file(tmp_path, "b.txt", b"Some text here.", "{not json")
    page = read_page(bad)
    assert page.sidecar == {} and "b.txt.meta.json ignored: invalid JSON" in page.warnings[0]


def test_discover_skips_sidecars_hidden_and_readme(tmp_path):
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / "a.html").write_text("x")
    (tmp_path / "s1" / "a.html.meta.json").write_text("{}")
    (tmp_path / "s1" / ".DS_Store").write_text("x")
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "loose page.txt").write_text("x")
    (tmp_path / "unsorted" / "2026").mkdir(parents=True)
    (tmp_path / "unsorted" / "2026" / "b.txt").write_text("x")
    found = {r.relpath: r.story for r in discover(tmp_path)}
    # a folder pins a page to its story; raw/ itself and raw/unsorted/** are left to the grouping
    assert found == {"s1/a.html": "s1", "loose page.txt": None, "unsorted/2026/b.txt": None}


@pytest.mark.parametrize(
    ("line", "promo"),
    [
        ("Subscribe to our newsletter", True),
        ("Support our journalism: become a member today.", True),
        ("Independent reporting from the valley since 1921. Subscribe now for the full archive and more.", True),
        ("If you enjoyed this article, please consider a donation to keep the Courier free for everyone.", True),
        ("The streaming service continued to sign up subscribers across Asia, its quarterly report showed.", False),
        ("“We will support our core growth markets first,” the chief executive said on Tuesday.", False),
        ("Analysts asked how many newsletter subscribers the group keeps once the free trial ends.", False),
        ("Do you rely on Calder Courier reporting? Click here to support it.", True),
        ("Support the Courier so we can keep reporting on the harbour for you and your neighbours.", True),
        ("Residents rely on the ferry to reach the clinic, and the board will support it so we are told.", False),
        ("Have a tip? Mira Osei may be reached at mosei@caldercourier.example. Follow her on Twitter @mirao.", True),
        ("Email Tomas Reyes at treyes@harbourwire.example or follow him @treyes.", True),
        ("Join our Harbour Forums to keep talking ferries, tides and more!", True),
        ("Get breaking harbour news and the latest updates on sailings and closures!", True),
        ("Get the Calder Courier delivered through your letterbox every week. 12 issues for £9.99.", True),
        ("The Courier is committed to fair letters. We'd like to hear what you think about this article.", True),
        ("The harbour master said she could not be reached at the quay by ferry until the bridge reopens.", False),
        ("Click here to get more information about the new timetable.", False),
    ],
)
def test_promo_lines_speak_to_the_reader(line, promo):
    from presslens.clean.lines import is_promo

    assert is_promo(line) is promo


@pytest.mark.parametrize(
    ("line", "teaser"),
    [
        ("Harbour Cafe Reopens After Flood RepairsThe cafe on Quay Street served its first customers on Monday.", True),
        ("Five Walks Along The Calder Estuary?Spring is the best time to see the wading birds, rangers say.", True),
        ("Council approves new bus lanes on Quay Street PORT CALDER: The council voted on Monday to add lanes.", True),
        ("PORT CALDER: The council voted on Monday to add two bus lanes on Quay Street before the summer.", False),
        ("The council bought two new AirPods Pro sets for the front desk, the clerk said.", False),
        ("In a letter to Kevin McAleenan, the harbour board asked for a decision on the ferry grant.", False),
        ("New Price Drop: Calder Harbour Tour Tickets for $19 (Originally $25)", False),
        ("Die Stadtverwaltung teilte am Montag mit, dass die Brücke sechs Wochen gesperrt bleibt.", False),
    ],
)
def test_glued_teaser_cards_are_told_from_camel_case_names(line, teaser):
    """A text dump glues a teaser card's headline to its summary; brand names glue letters too."""
    from presslens.clean.lines import is_glued_teaser
    from presslens.clean.table import rule_label

    assert is_glued_teaser(line) is teaser
    assert (rule_label(line) == "related") is teaser


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Ferry passengers queue at Quay Street on Tuesday, March 3, 2026. (Ana Reyes/The Calder Post via AP)", True),
        ("(Tom Lindqvist / Harbour Wire)", True),
        ("Port Calder's harbour master inspects the swing bridge. (Harbour Wire Photo/Tom Lindqvist)", True),
        ("The ferry will cross at up to 20 (km/h) in the harbour.", False),
        ("The board split the cost 50/50 with the county (and/or the port authority).", False),
        ("A ferry waits at the east quay after the bridge closed Credit: Harbour Wire - Contributor", True),
        ("The swing bridge, closed since March (Image: HARBOUR WIRE )", True),
        ("Councillors at the vote on the ferry budget. (Photo by Ana Reyes/Getty Images for Calder Post)", True),
        ("Commuters wait for the first ferry at Quay Street. Credit... Ana Reyes/The Calder Post", True),
        ("About 900 commuters a day used the bridge before it closed [File: Reuters]", True),
        ("Ana Reyes, AP", True),
        ("Tom Lindqvist/HARBOURWIRE", True),
        ("Harbour master Jo Brandt speaks to commuters at the quay, Tuesday, March 3, 2026, in Port Calder.", True),
        ("Port Calder's swing bridge closed on Tuesday, March 3, after inspectors found cracked bearings.", False),
        ("Updated 10:01 pm PST, Tuesday, March 3, 2026", False),
        ("The council said the ferry would run until the bridge reopens. Credit: to the staff who kept it.", False),
    ],
)
def test_photo_credits_at_the_end_of_a_line_mark_captions(line, caption):
    from presslens.clean.lines import is_caption

    assert is_caption(line) is caption


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Edited by: Jo Brandt", True),
        ("Subjects: Transport, Harbour, Budget", True),
        ("Tags: Port Calder ferry", True),
        ("Filed under: Port Calder, swing bridge", True),
        ("Subjects of the inquiry will include the bearings, the inspections and the budget.", False),
        ("Tags were fixed to every bearing: the inspectors want to follow each one through the repair.", False),
    ],
)
def test_labelled_metadata_fields_are_told_from_sentences(line, field):
    from presslens.clean.lines import is_meta_field

    assert is_meta_field(line) is field


@pytest.mark.parametrize(
    ("line", "word_list"),
    [
        (
            "bridge ferry harbour council budget election flood weather schools police traffic sport culture "
            "tourism business health transport parking housing festival library museum river estuary birds",
            True,
        ),
        (
            "Archives Select Month March 2026 February 2026 January 2026 December 2025 November 2025 October "
            "2025 September 2025 August 2025 July 2025 June 2025 May 2025",
            True,
        ),
        (
            "the board said it would keep the ferry running every twenty minutes while the bridge is closed and "
            "that residents of the east bank would not pay for it at all this spring",
            False,
        ),
        (
            "Jangan lebay dalam mencintai atau membenci sesuatu. Biasa biasa saja menurut para ulama yang "
            "menjelaskan makna hadits tersebut kepada jamaah masjid setelah shalat maghrib berjamaah kemarin",
            False,
        ),
    ],
)
def test_long_lines_without_function_words_are_word_lists_not_prose(line, word_list):
    """A tag cloud or archive select is long but is not prose: it must not outscore the article."""
    from presslens.clean.table import is_word_list, line_score

    assert is_word_list(line) is word_list
    assert (line_score(line, None) < 0) is word_list


def test_a_gzip_bomb_is_refused_at_the_page_limit_in_bounded_memory():
    """A 300 KB file that inflates to 300 MB: gzip.decompress took all of it into memory (issue 20)."""
    import gzip
    import tracemalloc

    from presslens.pages import MAX_PAGE_BYTES, PageError, maybe_gunzip

    bomb = gzip.compress(b" " * (300 * 2**20), compresslevel=9)
    tracemalloc.start()
    try:
        with pytest.raises(PageError, match="inflates to over 16 MiB"):
            maybe_gunzip(bomb, "bomb.html.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_PAGE_BYTES  # the limit, not the 300 MB the file inflates to
    two_members = gzip.compress(b"first ") + gzip.compress(b"second")
    assert maybe_gunzip(two_members, "ok.txt.gz") == b"first second"


def test_a_link_in_raw_to_a_file_outside_it_is_refused_not_read(tmp_path):
    """A symlink in raw/ must not pull a private file (here a fake key) into the tables."""
    from presslens.pipeline import run_pipeline

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET private key material that must never reach a table. " * 20)
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    (raw / "unsorted").mkdir()
    (raw / "unsorted" / "evil.txt").symlink_to(secret)
    inside = raw / EXAMPLE.name / "northshore-daily.txt"
    (raw / "unsorted" / "fine.txt").symlink_to(inside)  # a link inside raw/ is read as usual
    out = tmp_path / "out"
    run_pipeline(raw, out)
    errors = pd.read_csv(out / "errors.csv")
    assert errors.set_index("file").loc["unsorted/evil.txt", "reason"].startswith("a link to a file outside raw/")
    for table in out.glob("*.csv"):
        assert "TOP SECRET" not in table.read_text(encoding="utf-8"), table.name
    assert "unsorted/fine.txt" in set(pd.read_csv(out / "articles.csv").raw_path)
