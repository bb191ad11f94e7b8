"""Incremental table builds give the same tables as a full rebuild, and two runs at once stay safe."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from benchmarks.scale_corpus import build_scale_corpus
from presslens.building import build_tables
from presslens.corpus_tables import DETAIL_TABLES, read_table, shard_of
from presslens.pipeline import run_pipeline
from tests.conftest import SHARED, copy_example_stories, local_run_command, need_shared, snapshot

pytestmark = pytest.mark.slow  # a real multi-page run: `pytest -m 'not slow'` leaves it out

TABLES = ("articles", "outlets", "stories", "sentences", "measures", "terms", "actor_labels", "coverage", "errors")


def tables_bytes(out) -> dict[str, bytes]:
    return {name: read_table(out, name).to_csv(index=False).encode() for name in TABLES}


@pytest.fixture(scope="module")
def scale_raw(tmp_path_factory):
    """A 30-page mix of real benchmark pages (HTML, .gz, text dumps) and rendered BASIL stories."""
    raw = tmp_path_factory.mktemp("scale") / "raw"
    need_shared(SHARED / "bench")
    build_scale_corpus(SHARED, raw, 30)
    return raw


def test_incremental_build_matches_full_rebuild(scale_raw, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(scale_raw, raw)
    first = run_pipeline(raw, out)
    assert first.processed == 30 and first.tables.rebuilt_stories == first.tables.stories

    basil = sorted(p for p in raw.glob("basil-*/*.html"))
    # change one story (a page rewritten), remove a page from another, add a page to a third
    changed = basil[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("</p>", " Updated at noon.</p>", 1))
    removed = next(p for p in sorted(raw.glob("*/*.txt")) if len(list(p.parent.glob("*.txt"))) >= 2)
    removed.unlink()
    other = next(p for p in sorted(raw.glob("html-dev-*/*.gz")))
    shutil.copy(other, raw / "html-dev-000" / "added-copy.html.gz")
    shards_before = shard_files(out)
    second = run_pipeline(raw, out)
    assert second.processed == 2 and second.removed == 1
    touched = {changed.parent.name, removed.parent.name, "html-dev-000"}
    assert second.tables.rebuilt_stories == len(touched)  # and no other story

    # the bug this guards: every corpus table was read and rewritten whole on each run. Now only the
    # shards holding a rebuilt story are written; the others are the same files, untouched.
    touched_shards = {shard_of(story) for story in touched}
    shards_after = shard_files(out)
    untouched = {path: key for path, key in shards_before.items() if int(path.stem[-2:]) not in touched_shards}
    assert untouched and all(shards_after[path] == key for path, key in untouched.items())
    rewritten = {path for path, key in shards_after.items() if shards_before.get(path) != key}
    assert rewritten and {int(path.stem[-2:]) for path in rewritten} <= touched_shards

    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(out, rebuilt)
    build_tables(rebuilt, full=True)
    incremental, full = tables_bytes(out), tables_bytes(rebuilt)
    for name in TABLES:
        assert incremental[name] == full[name], f"{name}.csv differs between incremental and full build"
    articles = pd.read_csv(out / "articles.csv")
    assert len(articles) == 30 and removed.relative_to(raw).as_posix() not in set(articles["raw_path"])

    third = run_pipeline(raw, out)  # nothing new: no story is rebuilt, the tables stay byte-identical
    assert third.processed == 0 and third.tables.rebuilt_stories == 0
    assert tables_bytes(out) == incremental
    for name in DETAIL_TABLES:  # the documented one-liner reads the shards as one table: their column types agree
        whole = pd.read_parquet(out / "tables" / name)
        assert len(whole) == len(read_table(out, name)) > 0, name


def shard_files(out) -> dict:
    """Each detail-table shard with its inode and modification time: a rewrite (temp file + rename) changes both."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted((out / "tables").glob("*/part-*.parquet"))}


def test_a_run_while_another_holds_the_lock_exits_with_a_clear_message(tmp_path):
    """Deterministic: this test holds processed/'s lock itself (no race over which run gets there first)."""
    from presslens.store import run_lock

    raw, out = tmp_path / "raw", tmp_path / "processed"
    copy_example_stories(raw, 3)
    before = snapshot(raw)
    cmd, env = local_run_command(raw, out)
    with run_lock(out):
        blocked = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert blocked.returncode == 3, blocked.stderr
    assert "is being updated by another run" in blocked.stderr and str(out) in blocked.stderr
    assert not (out / "articles.csv").exists()  # it did no work
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert snapshot(raw) == before
    alone = tmp_path / "alone"
    run_pipeline(raw, alone)
    assert tables_bytes(out) == tables_bytes(alone)  # the run after the lock was released wrote what one run would


def test_an_incremental_build_writes_the_same_parquet_bytes_as_a_full_one(tmp_path):
    """A column all null in the rebuilt story's rows (headline_frame) made an incremental build's Parquet
    `string` where a full build's was `large_string` (issue 31); the README promises byte-identical files."""
    from tests.conftest import REPO

    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(REPO / "raw", raw, ignore=shutil.ignore_patterns("README*"))
    run_pipeline(raw, out, workers=1)
    page = raw / "unsorted" / "northshore-orrin-shelter.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nUpdated at noon.\n", encoding="utf-8")
    assert run_pipeline(raw, out, workers=1).tables.rebuilt_stories == 1
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(out, rebuilt)
    build_tables(rebuilt, full=True)

    def parquet_files(folder):
        return sorted(p.relative_to(folder) for p in [*folder.glob("*.parquet"), *folder.glob("tables/*/*.parquet")])

    files = parquet_files(out)
    assert files == parquet_files(rebuilt)
    differ = [str(f) for f in files if (out / f).read_bytes() != (rebuilt / f).read_bytes()]
    assert not differ


def test_a_new_tables_version_rebuilds_every_story_and_processes_no_page(work_raw, tmp_path, monkeypatch):
    """The gap this guards: a change to the story tables or reports alone (the report's "published before"
    wording, issue 29) left every existing processed/ with the old reports, since a story was rebuilt only
    when its pages' records changed. TABLES_VERSION is part of each story's fingerprint."""
    from presslens import building

    out = tmp_path / "processed"
    first = run_pipeline(work_raw, out, workers=1)
    stories = first.tables.stories
    reports = sorted((out / "stories").glob("*/report.html"))
    same = run_pipeline(work_raw, out, workers=1)
    assert same.processed == 0 and same.tables.rebuilt_stories == 0
    written = [r.stat().st_mtime_ns for r in reports]
    monkeypatch.setattr(building, "TABLES_VERSION", building.TABLES_VERSION + "-next")
    again = run_pipeline(work_raw, out, workers=1)
    assert again.processed == 0 and again.unchanged == first.processed
    assert stories >= 2 and again.tables.rebuilt_stories == stories == len(reports)
    assert all(r.stat().st_mtime_ns > before for r, before in zip(reports, written, strict=True))
