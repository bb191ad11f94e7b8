"""Killing a run half-way loses nothing: the next run completes and every table is whole."""

from __future__ import annotations

import signal
import subprocess
import time

import pandas as pd
import pytest

from presslens.corpus_tables import read_table
from presslens.pipeline import run_pipeline
from presslens.settings import resolve_settings
from tests.conftest import copy_example_stories, local_run_command, snapshot

pytestmark = pytest.mark.slow  # a real multi-page run: `pytest -m 'not slow'` leaves it out


def test_killed_run_then_rerun(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    copy_example_stories(raw, 25)  # 100 pages: the kill lands long before the run could finish
    before = snapshot(raw)
    cmd, env = local_run_command(raw, out, "--batch-size", "2")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.glob("state/*.json"))) < 2:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(out.glob("state/*.json")))
    assert 0 < done_before < 100  # it really was interrupted part-way
    for table in [*out.glob("*.parquet"), *out.glob("tables/*/*.parquet")]:  # whatever the killed run wrote is whole
        pd.read_parquet(table)
    summary = run_pipeline(raw, out, resolve_settings(workers=1))  # the settings the killed command resolved
    assert summary.processed == 100 - done_before and not summary.failed
    articles = pd.read_parquet(out / "articles.parquet")
    assert len(articles) == 100 and len(pd.read_csv(out / "articles.csv")) == 100
    for name in ("outlets", "stories", "coverage", "sentences", "measures"):
        read_table(out, name)  # every table parses
    assert snapshot(raw) == before
