"""A page's state file is not flushed to disk (issue 33: an fsync cost ~4 ms of wall time a page);
its record is. A state a crash left empty is unreadable, and the next run redoes that page. A table
build flushes only its manifest; a table or report a crash left empty or torn is rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

from presslens import building
from presslens.building import STORY_FINGERPRINTS, TABLES_MANIFEST, build_tables
from presslens.pages import discover
from presslens.pipeline import run_pipeline
from presslens.processing import fingerprint, process_page
from presslens.store import Store


def test_a_page_flushes_its_record_and_not_its_state(tmp_path, flushed_files):
    raw = tmp_path / "raw" / "a-story"
    raw.mkdir(parents=True)
    (raw / "page.txt").write_text(
        "Bridge closed for repairs\n\nThe council closed the old bridge on Monday after engineers found cracks "
        "in two of its piers. Repairs will take at least six weeks, the council said.\n",
        encoding="utf-8",
    )
    (page,) = discover(tmp_path / "raw")
    outcome = process_page(page, Store(tmp_path / "out"), fingerprint(page, "rules"))
    assert outcome.ok
    # the record is durable; the state (written after it) is not fsynced
    assert [p.parent.name for p in flushed_files] == ["articles"]


def test_a_state_file_a_crash_left_empty_is_redone(work_raw, tmp_path):
    out = tmp_path / "processed"
    first = run_pipeline(work_raw, out, workers=1)
    assert first.processed > 1 and not first.failed
    state = sorted((out / "state").glob("*.json"))[0]
    state.write_bytes(b"")  # what a crash can leave of a renamed file whose data was never flushed
    again = run_pipeline(work_raw, out, workers=1)
    assert again.processed == 1 and again.unchanged == first.processed - 1
    assert (out / "articles" / state.name).is_file() and state.stat().st_size > 0


def test_a_table_build_flushes_only_its_manifest(work_raw, tmp_path, flushed_files):
    """The bug (issue 33): a table build fsynced each of the ~1,000 files it wrote for 1,000 pages (2-5 ms
    of wall time each). It now flushes one file, the manifest of them all, written last."""
    out = tmp_path / "processed"
    run_pipeline(work_raw, out, workers=1)
    flushed_files.clear()  # the table build's flushes only
    summary = build_tables(out, full=True)
    assert summary.rebuilt_stories == 2
    flushed = [p.name.split(".tmp")[0].lstrip(".") for p in flushed_files]
    tables = [name.rsplit(".json", 1)[0] for name in flushed if not name.startswith("grouping-store")]
    assert tables == ["tables_manifest"]  # (the grouping store's log, which loading it may append to, aside)
    manifest = json.loads((out / TABLES_MANIFEST).read_text(encoding="utf-8"))["files"]
    assert {"articles.parquet", STORY_FINGERPRINTS, "report.html"} <= set(manifest)
    assert any(name.startswith("tables/sentences/part-") for name in manifest)
    assert sum(name.startswith("stories/") for name in manifest) == 6  # coverage.csv, section.html, report.html


def test_a_build_that_changed_nothing_leaves_the_manifest_as_it_is(work_raw, tmp_path, flushed_files):
    """The cost this guards (issue 33): a run with nothing new made six fsyncs: the manifest (although every
    file it lists was rewritten byte for byte), the page signatures (a cache), grouping.json, and the grouping
    store's log at each of its three loads (a note of when it looked). A changed story still writes the manifest."""
    out = tmp_path / "processed"
    run_pipeline(work_raw, out, workers=1)
    manifest = out / TABLES_MANIFEST
    before = manifest.stat().st_mtime_ns, manifest.read_bytes()
    flushed_files.clear()  # the second run's flushes only
    again = run_pipeline(work_raw, out, workers=1)
    assert again.processed == 0 and again.tables.rebuilt_stories == 0
    assert (manifest.stat().st_mtime_ns, manifest.read_bytes()) == before
    # what a run with nothing new still flushes: the stories' membership (grouping.json), and only that
    flushed = [p.name.split(".tmp")[0].lstrip(".") for p in flushed_files]
    assert [name.rsplit(".", 1)[0] for name in flushed] == ["grouping.json"]
    page = sorted(p for p in Path(work_raw).rglob("*") if p.is_file() and p.suffix in (".txt", ".html"))[0]
    page.write_text(page.read_text(encoding="utf-8").replace(" the ", " the local ", 1), encoding="utf-8")
    third = run_pipeline(work_raw, out, workers=1)
    assert third.processed == 1 and third.tables.rebuilt_stories == 1
    assert manifest.stat().st_mtime_ns != before[0] and any("tables_manifest" in p.name for p in flushed_files)


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file of the table build, by path (the per-page records and the grouping aside)."""
    skip = ("articles/", "state/", "grouping", "page-signatures", ".lock", TABLES_MANIFEST)
    files = (p for p in sorted(out.rglob("*")) if p.is_file())
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in files
        if not p.relative_to(out).as_posix().startswith(skip)
    }


def test_table_files_a_crash_left_empty_are_rebuilt(work_raw, tmp_path):
    """The bug this guards: with no fsync, a crash after a rename can leave a table or report empty, and the
    next run trusted any file that existed. Now the files that do not match the manifest are rebuilt: a
    detail shard has its stories rebuilt, a story's report its story, and nothing else is redone."""
    out = tmp_path / "processed"
    run_pipeline(work_raw, out, workers=1)
    before = _outputs(out)
    shard = sorted((out / "tables" / "sentences").glob("part-*.parquet"))[0]
    report = sorted((out / "stories").glob("*/report.html"))[-1]
    assert shard.parent.parent.parent == out and report.parent.parent.parent == out
    shard.write_bytes(b"")
    report.write_bytes(b"")
    again = run_pipeline(work_raw, out, workers=1)
    assert again.processed == 0 and again.tables.rebuilt_stories == 2  # (each damaged file is another story's)
    assert _outputs(out) == before
    third = run_pipeline(work_raw, out, workers=1)
    assert third.tables.rebuilt_stories == 0  # the new manifest vouches for the rebuilt files


def test_after_a_reboot_a_torn_table_is_found_by_its_checksum(work_raw, tmp_path, monkeypatch):
    """After a reboot (another boot id), a file the crash left torn at its full size (zeros where the data
    never reached the disk) is found by its crc32, and an index table so found has every table rebuilt."""
    out = tmp_path / "processed"
    run_pipeline(work_raw, out, workers=1)
    before = _outputs(out)
    articles = out / "articles.parquet"
    articles.write_bytes(bytes(articles.stat().st_size))
    monkeypatch.setattr(building, "boot_id", lambda: "another-boot", raising=False)
    again = run_pipeline(work_raw, out, workers=1)
    assert again.processed == 0 and again.tables.rebuilt_stories == 2
    assert _outputs(out) == before
