"""A corpus that grows (issue 33): the index report paged, and a build killed half-way that leaves no
partition half-written and no bookkeeping vouching for partitions it never wrote."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from presslens.building import STORY_FINGERPRINTS, build_tables
from presslens.corpus_tables import read_table
from presslens.pipeline import run_pipeline
from presslens.report import INDEX_PAGE_STORIES, write_index
from presslens.table_registry import TABLES
from tests.conftest import REPO, copy_example_stories


def stories_rows(n: int) -> pd.DataFrame:
    """A stories table of ``n`` made-up stories, as the index reads it."""
    return pd.DataFrame(
        {
            "story": [f"made-up-story-{i:04d}" for i in range(n)],
            "title": [f"Made-up story {i}" for i in range(n)],
            "outlet_list": ["Calder Courier; Valley Wire"] * n,
            "articles": [2] * n,
            "first_published": [f"2026-01-{1 + i % 28:02d}" for i in range(n)],
            "last_published": [f"2026-02-{1 + i % 28:02d}" for i in range(n)],
            "words": [400] * n,
        }
    )


def test_the_index_report_is_paged(tmp_path):
    """The bug: processed/report.html listed every story on one page, rewritten whole by every run (4,000
    rows at 20,000 pages). It now lists INDEX_PAGE_STORIES per page, each story on exactly one page, the
    pages linked; pages a smaller corpus no longer needs are removed."""
    n = 2 * INDEX_PAGE_STORIES + 7
    write_index(tmp_path, stories_rows(n))
    pages = sorted(tmp_path.glob("report*.html"))
    assert [p.name for p in pages] == ["report-2.html", "report-3.html", "report.html"]
    listed = [re.findall(r"<code>(made-up-story-\d+)</code>", p.read_text(encoding="utf-8")) for p in pages]
    assert sorted(s for page in listed for s in page) == sorted(stories_rows(n)["story"])
    assert max(len(page) for page in listed) == INDEX_PAGE_STORIES
    assert 'href="report-3.html"' in (tmp_path / "report.html").read_text(encoding="utf-8")
    write_index(tmp_path, stories_rows(5))
    assert [p.name for p in tmp_path.glob("report*.html")] == ["report.html"]


KILL_AT_SHARD = """
import os, sys
from pathlib import Path
import presslens.store as store
from presslens.pipeline import run_pipeline

real_replace, renamed = os.replace, []

def replace_then_die(src, dst):
    # the process dies between writing a shard's temporary file and renaming it: a kill -9 mid-build
    if "/tables/" in str(dst):
        renamed.append(dst)
        if len(renamed) == 3:
            os._exit(9)
    real_replace(src, dst)

store.os.replace = replace_then_die
run_pipeline(Path(sys.argv[1]), Path(sys.argv[2]), workers=1)
"""


@pytest.mark.slow
def test_a_build_killed_between_partitions_is_completed_by_the_next_run(tmp_path):
    """A run killed while it rewrites the partitions of changed stories must leave every partition whole
    (temp file + rename) and must not leave story_fingerprints.json vouching for stories whose partitions
    it never wrote (it is written last), so the next run redoes them and the tables equal a fresh build."""
    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(REPO / "raw", raw, ignore=shutil.ignore_patterns("README*"))
    copy_example_stories(raw, 4)
    run_pipeline(raw, out, workers=1)
    fingerprints_before = (out / STORY_FINGERPRINTS).read_bytes()
    for story in ("story-0", "story-2", "story-3"):  # three stories change (a page with no sidecar pinning it)
        page = raw / story / "northshore-daily.txt"
        page.write_text(page.read_text(encoding="utf-8") + "\nUpdated at noon.\n", encoding="utf-8")

    killed = subprocess.run([sys.executable, "-c", KILL_AT_SHARD, str(raw), str(out)], cwd=REPO, timeout=600)
    assert killed.returncode == 9  # it died mid-build, with a temporary file left behind
    assert list((out / "tables").glob("*/.*.tmp"))
    assert (out / STORY_FINGERPRINTS).read_bytes() == fingerprints_before  # nothing vouches for the new rows
    for name in TABLES:
        read_table(out, name)  # every partition that is there is whole

    again = run_pipeline(raw, out, workers=1)
    assert again.processed == 0 and again.tables.rebuilt_stories == 3
    fresh = tmp_path / "fresh"
    shutil.copytree(out, fresh)
    build_tables(fresh, full=True)
    for name in TABLES:
        assert read_table(out, name).equals(read_table(fresh, name)), name
