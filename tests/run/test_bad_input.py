"""A corpus of bad pages: each gets a clear reason in errors or a correct result, and the good
pages still produce exactly the tables they produce alone."""

from __future__ import annotations

import gzip
import shutil

import pandas as pd
import pytest

from presslens.pipeline import run_pipeline
from tests.conftest import EXAMPLE, snapshot

pytestmark = pytest.mark.slow  # a real multi-page run: `pytest -m 'not slow'` leaves it out

ARABIC = "وقعت كوريا الشمالية وروسيا معاهدة للشراكة الاستراتيجية الشاملة في بيونغ يانغ يوم الأربعاء. "
FRENCH = "Le traité a été signé à Pyongyang mercredi, a déclaré le ministère des affaires étrangères. "


def book_text(n_words: int) -> str:
    """A long text of varied prose (a book, not one article): paragraphs of seeded random words,
    so no paragraph repeats another (a repeated block would be dropped as a duplicate)."""
    import random

    rng = random.Random(7)
    starts, ends = ("ka", "lo", "mi", "nu", "re", "sa", "to", "ve"), ("ran", "del", "mo", "ps", "tin")
    vocabulary = [a + b for a in starts for b in ends]
    vocabulary += "the river town market winter road council harbour north story long".split()
    paragraphs, count = [], 0
    while count < n_words:
        sentences = [" ".join(rng.choice(vocabulary) for _ in range(12)).capitalize() + "." for _ in range(15)]
        paragraphs.append(" ".join(sentences))
        count += 180
    return "\n\n".join(paragraphs) + "\n"


def bad_pages(folder):
    folder.mkdir(parents=True)
    body = b"<html><body><p>" + b"A sentence of the article that is long enough to count. " * 80 + b"</p></body></html>"
    files = {
        "empty.html": b"",
        "whitespace.txt": b"  \n\n\t ",
        "binary.bin": bytes(range(256)) * 40,
        "truncated.html.gz": gzip.compress(body)[:60],
        "huge.html": b"<html><body>" + b"<p>" + b"word " * 200 + b"</p>" * 1 + b"x" * (50 * 10**6) + b"</body></html>",
        "deep.html": b"<html><body>" + b"<div>" * 5000 + b"<p>Deep.</p>" + b"</div>" * 5000 + b"</body></html>",
        "invalid-utf8.txt": (FRENCH * 10).encode() + b"\xff\xfe\xc3\x28 " + (FRENCH * 10).encode(),
        "arabic-1256-declared-utf8.html": (
            '<html><head><meta charset="utf-8"></head><body><article><p>' + ARABIC * 30 + "</p></article></body></html>"
        ).encode("cp1256"),
        "latin1-undeclared.txt": (FRENCH * 20).encode("latin-1"),
        "navigation-only.txt": b"Home\nNews\nSports\nWeather\nContact us\n",
        "book.txt": book_text(60_000).encode(),
        "name with spaces é.txt": (EXAMPLE / "northshore-daily.txt").read_bytes(),
        "bad-sidecar.txt": (EXAMPLE / "valley-wire.html").read_bytes(),
        "bad-sidecar.txt.meta.json": b"{not json",
    }
    from tests.run.test_hostile import hostile_pages

    # the generated hostile pages too (but the 16 MiB line, which test_hostile times on its own)
    files.update({name: data for name, data in hostile_pages().items() if name != "one-16mib-line.txt"})
    for name, data in files.items():
        (folder / name).write_bytes(data)


def test_bad_pages_get_reasons_and_the_rest_is_unchanged(tmp_path):
    clean_raw, mixed_raw = tmp_path / "clean" / "raw", tmp_path / "mixed" / "raw"
    shutil.copytree(EXAMPLE, clean_raw / EXAMPLE.name)
    shutil.copytree(EXAMPLE, mixed_raw / EXAMPLE.name)
    bad_pages(mixed_raw / "bad")
    before = snapshot(mixed_raw)
    run_pipeline(clean_raw, tmp_path / "clean" / "out")
    run_pipeline(mixed_raw, tmp_path / "mixed" / "out")
    assert snapshot(mixed_raw) == before

    errors = pd.read_csv(tmp_path / "mixed" / "out" / "errors.csv")
    reason: dict[str, str] = {}  # a page cut by a bound and then read has a row for each
    for row in errors.itertuples():
        name = row.file.split("/", 1)[1]
        reason[name] = f"{reason[name]} / {row.reason}" if name in reason else row.reason
    assert reason["empty.html"].startswith("empty file")
    assert reason["whitespace.txt"].startswith("empty file")
    assert "binary content" in reason["binary.bin"]
    assert "truncated or corrupt gzip" in reason["truncated.html.gz"]
    assert "over the 16 MiB limit" in reason["huge.html"]
    assert "no article text" in reason["navigation-only.txt"]
    assert "words: cut to the first 50,000 (bound processing.MAX_ARTICLE_WORDS" in reason["book.txt"]
    assert "invalid JSON" in reason["bad-sidecar.txt"]
    assert "inflates to over 16 MiB" in reason["gzip-bomb.html.gz"]
    assert "cut after the first 20,000 (bound pages.MAX_LINES" in reason["100000-paragraphs.html"]
    assert "words: cut to the first 50,000" in reason["10000-unpunctuated-sentences.txt"]
    assert "no article text" in reason["emoji-only.txt"] and "no article text" in reason["rtl-marks-only.txt"]
    assert "binary content" in reason["nul-bytes.html"] and "binary content" in reason["deflate-bomb.html"]
    assert "HTML nested 5,003 elements deep" in reason["deep.html"] and "pages.MAX_NESTING" in reason["deep.html"]

    articles = pd.read_csv(tmp_path / "mixed" / "out" / "articles.csv").set_index("raw_path")
    assert articles.loc["bad/arabic-1256-declared-utf8.html", "language"] == "ar"
    assert articles.loc["bad/latin1-undeclared.txt", "language"] == "fr"
    assert articles.loc["bad/invalid-utf8.txt", "language"] == "fr"
    assert articles.loc["bad/name with spaces é.txt", "outlet"] == "Northshore Daily"
    assert articles.loc["bad/bad-sidecar.txt", "outlet"] == "Valley Wire Service"
    assert articles.loc["bad/book.txt", "words"] <= 50_000  # cut, not refused (issue 30)

    # the good pages' rows are the same whether or not bad pages sit beside them
    clean = pd.read_csv(tmp_path / "clean" / "out" / "articles.csv")
    mixed = pd.read_csv(tmp_path / "mixed" / "out" / "articles.csv")
    mixed = mixed[mixed.story == EXAMPLE.name].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        clean.drop(columns=["copy_of", "copy_containment"]),
        mixed.drop(columns=["copy_of", "copy_containment"]),
        check_dtype=False,
    )


def test_pages_of_a_worker_that_died_fail_as_any_failed_page_does(tmp_path, monkeypatch):
    """A worker that dies (out of memory, killed) fails its pages with the reason, and they are tried again next run.
    Its own copy of the failure path wrote the state but kept the record of an earlier run of a changed page (every
    other failure removes it: the tables never read a failed page's record, and a stale one sat on disk)."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from presslens import processing
    from presslens.settings import RunSettings
    from presslens.store import Store

    raw = tmp_path / "raw"
    raw.mkdir()
    body = "A sentence of the Orrin ferry story that is long enough to count as an article paragraph. " * 12
    for k in range(processing.PARALLEL_MIN_PAGES):
        (raw / f"page{k}.txt").write_text(f"Orrin ferry story {k}\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "processed"
    run_pipeline(raw, out, settings=RunSettings(workers=1, entities="rules"))
    for k in range(processing.PARALLEL_MIN_PAGES):  # a batch this big goes to the worker pool
        (raw / f"page{k}.txt").write_text(f"Orrin ferry story {k}, updated\n\n{body}\nA new line.\n", encoding="utf-8")

    class DeadPool:
        def submit(self, *args, **kwargs):
            future = Future()
            future.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
            return future

    monkeypatch.setattr(processing, "worker_pool", lambda workers, warm_for=None: DeadPool())
    plan = processing.plan_run(raw, out, "rules")
    store = Store(out)
    assert len(plan.todo) == processing.PARALLEL_MIN_PAGES
    assert all(store.article_path(r.article_id).exists() for r in plan.todo)  # the records of the first run
    outcomes = processing.process_pages(plan.todo, out, plan.fingerprints, RunSettings(workers=2))
    assert not any(o.ok for o in outcomes)
    assert all("worker process failed: BrokenProcessPool" in o.errors[0]["reason"] for o in outcomes)
    assert not any(store.article_path(o.article_id).exists() for o in outcomes)  # no stale record of the old page
    assert len(processing.plan_run(raw, out, "rules").todo) == len(outcomes)  # tried again next run
