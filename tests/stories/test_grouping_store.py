"""The grouping store (issue 32, cost): a run reads only the state files that changed, and what it
groups with is the same, to the last bit, as what a run from scratch would compute.

The pages and states are written here: fictional outlets, towns and people."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from presslens.building import group_stories
from presslens.pages import article_id_for
from presslens.pipeline import run_pipeline
from presslens.processing import page_state
from presslens.store import Store
from presslens.stories import grouping, grouping_store
from presslens.stories.features import event_features
from presslens.stories.grouping_store import LOG_FILE, STORE_FILE, load_store
from presslens.stories.membership import load_membership
from tests.stories.test_story_stream import STREAM, write_stream

TOWNS = ["Port Calder", "Fallow Creek", "Orrin Valley", "Mossbank", "Tarrow Point", "Lindqvist Bay"]
PEOPLE = ["Delmar Quist", "Tobin Marsh", "Nessa Korr", "Ilse Marsh", "Corwin Batt", "Adaeze Fenn", "Pim Oduya"]


def write_state(out: Path, n: int, version: int = 0) -> str:
    """Article ``n``'s state file, as processing writes it: a made-up local report (``version``: another text)."""
    town, person = TOWNS[n % len(TOWNS)], PEOPLE[(n * 3 + version) % len(PEOPLE)]
    text = (
        f"{town.upper()} — A {20 + n % 30}-year-old was hurt in the {100 * (n % 9 + 1)} block of Ostrow Avenue "
        f"on Sunday, {town} police said.\n{person} was taken to Calder General Hospital.\n"
        f"Report {n} of the series, revision {version}, {n % 4 + 2} witnesses."
    )
    aid = f"page-{n:03d}"
    features = event_features(
        aid, f"{person} hurt in {town}", text, f"2026-03-{n % 27 + 1:02d}", outlet=f"o{n % 5}.example"
    )
    state = page_state(f"fp-{n}-{version}", True, None, f"{aid}.html", [], features.to_state())
    Store(out).save_state(aid, state)
    return aid


def scratch_corpus(out: Path) -> grouping.Corpus:
    """The corpus a run from scratch groups with: every state file read, counted anew."""
    fresh = out.parent / f"{out.name}-scratch"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(out / "state", fresh / "state")
    return grouping.corpus_of(load_store(fresh)[0])


def assert_same_corpus(left: grouping.Corpus, right: grouping.Corpus) -> None:
    """Same articles, same idf of every term they hold, same retrieval, same pair features."""
    assert left.ids == right.ids
    for a, b in ((left, right), (right, left)):
        used = np.unique(a.terms[a.terms >= 0])
        terms = [a.vocab.terms[t] for t in used]
        other = b.vocab.ids(terms)
        assert [b.vocab.terms[t] for t in other] == terms
        assert np.array_equal(a.idf[used], b.idf[other])  # bit for bit: the same formula on the same counts

    def retrieved(c: grouping.Corpus) -> list[set[str]]:
        r = c.retrieval.tocsr()
        return [{c.vocab.terms[t] for t in r.indices[r.indptr[k] : r.indptr[k + 1]]} for k in range(r.shape[0])]

    assert retrieved(left) == retrieved(right)
    i, j, _ = grouping.candidate_pairs(left, range(len(left.ids)))
    assert len(i) > 0
    assert np.array_equal(grouping.pair_features(left, i, j), grouping.pair_features(right, i, j))


def test_an_updated_store_counts_as_a_store_built_from_scratch(tmp_path):
    """The document frequencies are kept as counts updated by the changed states only: a state
    replaced (its old terms no longer counted), a state gone and new ones give the same idf,
    retrieval and pair features as counting every state anew. Guards the counts of a replaced or
    gone article (without taking them off, every idf is off by them)."""
    out = tmp_path / "out"
    for n in range(12):
        write_state(out, n)
    load_store(out)
    write_state(out, 3, version=1)  # changed: another person named
    (Store(out).state_path("page-007")).unlink()  # gone
    for n in range(12, 15):
        write_state(out, n)
    store, report = load_store(out)
    assert report.read == 4 and report.removed == 1 and not report.rebuilt
    assert_same_corpus(grouping.corpus_of(store), scratch_corpus(out))
    # and again from the base and its log, as the next run reads them
    store, report = load_store(out)
    assert report.read == 0 and not report.rebuilt
    assert_same_corpus(grouping.corpus_of(store), scratch_corpus(out))


@pytest.mark.parametrize(
    "damage", ["empty", "truncated", "garbage", "other version", "log of another base", "torn log line"]
)
def test_a_damaged_or_stale_store_is_rebuilt_from_the_state_files(tmp_path, damage):
    """A store that cannot be trusted is rebuilt from every state file, never used nor a crash."""
    out = tmp_path / "out"
    for n in range(8):
        write_state(out, n)
    load_store(out)
    write_state(out, 8)
    load_store(out)  # the new state is in the log
    path, log = out / STORE_FILE, out / LOG_FILE
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "garbage":
        path.write_bytes(b"not a store at all")
    elif damage == "other version":
        grouping_store.STORE_VERSION += 1
    elif damage == "log of another base":
        entry = json.loads(log.read_text().splitlines()[0])
        log.write_text(log.read_text() + json.dumps({**entry, "generation": entry["generation"] + 1}) + "\n")
    else:
        log.write_text(log.read_text() + '{"generation": 1, "id": "page-0')
    try:
        store, report = load_store(out)
    finally:
        if damage == "other version":
            grouping_store.STORE_VERSION -= 1
    assert report.rebuilt
    assert_same_corpus(grouping.corpus_of(store), scratch_corpus(out))


def test_a_state_rewritten_within_the_clock_resolution_is_read_again(tmp_path):
    """A state file written again with the same size and mtime (two writes within the file system's
    timestamp resolution) is read again when it was written less than RACY_SECONDS before the store
    looked: its size and mtime alone cannot tell. Guards the racy rule."""
    out = tmp_path / "out"
    for n in range(6):
        write_state(out, n)
    path = Store(out).state_path("page-002")
    stat = path.stat()
    load_store(out, now_ns=stat.st_mtime_ns + 10**9)  # the store looked one second after the write
    state = json.loads(path.read_text())
    state["grouping"]["terms"] = {k.replace("o", "0"): v for k, v in state["grouping"]["terms"].items()}
    path.write_text(json.dumps(state, ensure_ascii=False) + "\n", encoding="utf-8")  # same length, other terms
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    same_signature = (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    store, report = load_store(out)
    assert same_signature and report.read == 1
    assert_same_corpus(grouping.corpus_of(store), scratch_corpus(out))


def test_a_load_that_finds_nothing_new_does_not_flush_the_log(tmp_path, flushed_files):
    """The cost this guards (issue 33): every load fsynced the log, two or three a run that changed nothing
    (~5 ms of wall each on a loaded disk). A load with new or removed rows still flushes them; one that only
    notes when it looked does not: losing that line only has the racy files read again."""
    out = tmp_path / "out"
    for n in range(3):
        write_state(out, n)
    load_store(out)
    flushed_files.clear()  # the later loads' flushes only
    time.sleep(0.01)
    store, report = load_store(out, now_ns=time.time_ns() + 10**10)  # past the racy window: nothing to read
    assert report.read == 0 and flushed_files == []
    assert len((out / LOG_FILE).read_text().splitlines()) == len(store.log)  # the look is logged, not flushed
    write_state(out, 3)
    _store, report = load_store(out, now_ns=time.time_ns() + 10**10)
    assert report.read == 1 and [p.name for p in flushed_files] == [LOG_FILE]


def test_the_log_is_folded_into_the_base_past_its_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(grouping_store, "MAX_LOG_ENTRIES", 4)
    out = tmp_path / "out"
    for n in range(5):
        write_state(out, n)
    load_store(out)
    compacted = []
    for n in range(5, 9):
        write_state(out, n)
        store, report = load_store(out)
        compacted.append(report.compacted)
        assert len(store.log) <= 4 and len((out / LOG_FILE).read_text().splitlines()) <= 4
    assert any(compacted)
    assert_same_corpus(grouping.corpus_of(store), scratch_corpus(out))


def test_the_store_holds_the_terms_articles_have_not_a_full_block_each(tmp_path):
    """An article holds ~140 of its MAX_TERMS slots (GVA, ECB+): the store packs the terms each row
    holds, so its term arrays, read back from the file and after a row is replaced, cost what the
    articles hold. Guards the blocks of MAX_TERMS slots a row that were 20 MB at 6,000 pages and
    copied whole when a row was appended (peak 61 MB for one new page at 6,000, now 35 MB)."""
    out = tmp_path / "out"
    for n in range(10):
        write_state(out, n)
    load_store(out)
    write_state(out, 4, version=1)
    store, _report = load_store(out)
    scratch = scratch_corpus(out)
    held = sum(len(f.terms) for f in (scratch.store.row(r).features for r in range(len(scratch.ids))))
    live = [r for r in range(len(store.ids)) if store.ids[r]]
    assert sum(len(store.terms.row(r)[0]) for r in live) == held
    entries = len(store.terms.ids)  # the replaced row's terms stay until the base is written anew
    assert held < entries <= held + grouping_store.MAX_TERMS
    assert store.terms.ids.nbytes + store.terms.counts.nbytes == 8 * entries
    assert held < len(live) * grouping_store.MAX_TERMS / 5
    assert_same_corpus(grouping.corpus_of(store), scratch)


def test_an_incremental_run_of_n_pages_and_one_equals_a_run_from_scratch(tmp_path):
    """Pages arriving over three runs (one of them changed, one removed on the way) end in the same
    stories as one run over the last raw/ (story ids aside: a story keeps the id it got first; and
    the confidence of a story no run regrouped since is the one computed when it last was)."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_stream(raw, STREAM[:4])
    run_pipeline(raw, out)
    write_stream(raw, STREAM[4:6])
    (raw / STREAM[0][0]).write_text((raw / STREAM[0][0]).read_text().replace("late Sunday", "on Sunday night"))
    run_pipeline(raw, out)
    write_stream(raw, STREAM[6:])
    (raw / STREAM[1][0]).unlink()
    run_pipeline(raw, out)
    group_stories(out)  # nothing changed: the store is read from its base and log
    scratch = tmp_path / "scratch"
    run_pipeline(raw, scratch)

    def content(folder: Path) -> tuple:
        data = json.loads((folder / "grouping.json").read_text())
        groups = sorted(sorted(a for a, s in data["assignment"].items() if s == story) for story in data["stories"])
        return groups, data["grouped"], data["how"]

    assert content(out) == content(scratch)
    assert len(load_membership(out).assignment) == len(STREAM) - 1


def test_planning_hashes_again_a_page_rewritten_within_the_clock_resolution(tmp_path, monkeypatch):
    """Planning reuses a page's fingerprint while its size, mtime and inode (and its sidecar's) are
    those it saw — but not for a page written less than RACY_SECONDS before it looked: a page
    rewritten in place with the same size and mtime is processed again. Guards the racy rule."""
    from presslens import processing

    raw, out = tmp_path / "raw", tmp_path / "out"
    write_stream(raw, STREAM[:3])
    page = raw / STREAM[1][0]
    # Its mtime ahead of the clock: however slowly the run below gets to look at it (a loaded machine),
    # the page was written "less than RACY_SECONDS" before that look, as a page written just before is.
    ahead = time.time_ns() + 600 * 10**9
    os.utime(page, ns=(ahead, ahead))
    run_pipeline(raw, out)
    before = page.stat()
    hashed = []
    real = processing.fingerprint
    monkeypatch.setattr(processing, "fingerprint", lambda r, e="rules": hashed.append(r.relpath) or real(r, e))
    plan = processing.plan_run(raw, out)
    assert not plan.todo and len(plan.unchanged) == 3
    text = page.read_text()
    page.write_text(text.replace("Monday", "Sunday"))  # same length, in place: same inode
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns, page.stat().st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    plan = processing.plan_run(raw, out)
    assert [r.relpath for r in plan.todo] == [STREAM[1][0]]
    # once the pages are older than the racy window, an unchanged page is not read at all
    signatures = json.loads((out / processing.PAGE_SIGNATURES).read_text())
    signatures["seen_ns"] = ahead + 10 * 10**9  # as if the last look was ten seconds after every write
    (out / processing.PAGE_SIGNATURES).write_text(json.dumps(signatures))
    hashed.clear()
    plan = processing.plan_run(raw, out)
    assert hashed == [] and [r.relpath for r in plan.todo] == [STREAM[1][0]]


def test_a_state_file_that_cannot_be_read_leaves_the_store_and_its_page_is_processed_again(tmp_path):
    """As when every state was parsed each run: a damaged state file is no article of the grouping,
    and planning sees no state for its page, which is processed again."""
    from presslens import processing

    raw, out = tmp_path / "raw", tmp_path / "out"
    write_stream(raw, STREAM[:3])
    run_pipeline(raw, out)
    damaged = Store(out).state_path(article_id_for(STREAM[2][0]))
    damaged.write_text("{not json", encoding="utf-8")
    store, _report = load_store(out)
    assert article_id_for(STREAM[2][0]) not in grouping.corpus_of(store).ids
    plan = processing.plan_run(raw, out)
    assert [r.relpath for r in plan.todo] == [STREAM[2][0]]


def test_the_tables_read_each_states_outcome_and_errors_from_the_store(tmp_path):
    """The tables' build takes each page's ok, fingerprint and error rows from the store instead of
    parsing every state file: the same as the state files say, after a page changed and one failed."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_stream(raw, STREAM[:2])
    (raw / "menu.html").write_text("<html><body><ul><li>Home</li></ul></body></html>", encoding="utf-8")
    run_pipeline(raw, out)
    (raw / "menu.html").write_text("<html><body><ul><li>News</li></ul></body></html>", encoding="utf-8")
    run_pipeline(raw, out)
    states = Store(out).load_states()
    expected = {a: {"ok": s["ok"], "fingerprint": s["fingerprint"], "errors": s["errors"]} for a, s in states.items()}
    assert load_store(out)[0].summaries() == expected
    assert any(v["errors"] for v in expected.values()) and not all(v["ok"] for v in expected.values())
