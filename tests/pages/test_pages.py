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
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), "a PNG image, not a web page"),
        # a PDF or a Word file saved instead of the page: its first bytes are text, so it was read as a page and
        # failed as "no article text found", which did not say what to do
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20, "a PDF document, not a web page: save"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml" + b"x" * 500, "a ZIP archive .*Word"),
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
