"""A page's state file is not flushed to disk (issue 33: an fsync cost ~4 ms of wall time a page);
its record is. A state a crash left empty is unreadable, and the next run redoes that page."""

from __future__ import annotations

import os
from pathlib import Path

from presslens.pages import discover
from presslens.pipeline import run_pipeline
from presslens.processing import fingerprint, process_page
from presslens.store import Store


def test_a_page_flushes_its_record_and_not_its_state(tmp_path, monkeypatch):
    raw = tmp_path / "raw" / "a-story"
    raw.mkdir(parents=True)
    (raw / "page.txt").write_text(
        "Bridge closed for repairs\n\nThe council closed the old bridge on Monday after engineers found cracks "
        "in two of its piers. Repairs will take at least six weeks, the council said.\n",
        encoding="utf-8",
    )
    flushed: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(Path(os.readlink(f"/proc/self/fd/{fd}")).parent.name)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    (page,) = discover(tmp_path / "raw")
    outcome = process_page(page, Store(tmp_path / "out"), fingerprint(page, "rules"))
    assert outcome.ok
    assert flushed == ["articles"]  # the record is durable; the state (written after it) is not fsynced


def test_a_state_file_a_crash_left_empty_is_redone(work_raw, tmp_path):
    out = tmp_path / "processed"
    first = run_pipeline(work_raw, out, workers=1)
    assert first.processed > 1 and not first.failed
    state = sorted((out / "state").glob("*.json"))[0]
    state.write_bytes(b"")  # what a crash can leave of a renamed file whose data was never flushed
    again = run_pipeline(work_raw, out, workers=1)
    assert again.processed == 1 and again.unchanged == first.processed - 1
    assert (out / "articles" / state.name).is_file() and state.stat().st_size > 0
