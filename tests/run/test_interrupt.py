"""Killing a run half-way loses nothing: the next run completes and every table is whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from presslens.corpus_tables import read_table
from presslens.pipeline import run_pipeline
from presslens.settings import RunOptions, resolve_settings
from tests.conftest import REPO, copy_example_stories, local_run_command, snapshot

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
    summary = run_pipeline(raw, out, resolve_settings(RunOptions(workers=1, stories_file=None, outlets_file=None)))
    assert summary.processed == 100 - done_before and not summary.failed
    articles = pd.read_parquet(out / "articles.parquet")
    assert len(articles) == 100 and len(pd.read_csv(out / "articles.csv")) == 100
    for name in ("outlets", "stories", "coverage", "sentences", "measures"):
        read_table(out, name)  # every table parses
    assert snapshot(raw) == before


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), children first."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False


@pytest.mark.prefect
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc (Linux)")
def test_a_run_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    """After `kill -9` of `presslens run`, Prefect's API server (still listening), the resource tracker, the
    forkserver and two pool workers (~265 MB each) lived on, and the workers went on finishing pages."""
    raw, out = tmp_path / "raw", tmp_path / "processed"
    copy_example_stories(raw, 25)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PRESSLENS_WORKERS="2", PREFECT_HOME=str(tmp_path / "prefect-home"))
    cmd = [sys.executable, "-m", "presslens.cli", "run", "--raw", str(raw), "--out", str(out), "--batch-size", "4"]
    cmd += ["--entities", "rules", "--outlets-file", str(tmp_path / "none"), "--stories-file", str(tmp_path / "none")]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while time.time() < deadline and len(list(out.glob("state/*.json"))) < 2 and proc.poll() is None:
            time.sleep(0.05)
        helpers = descendants(proc.pid)
        assert proc.poll() is None and len(helpers) >= 4, helpers  # server, forkserver, tracker, workers
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(running(pid) for pid in helpers):
        time.sleep(0.1)
    alive = [pid for pid in helpers if running(pid)]
    for pid in alive:  # leave the machine clean whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"{len(alive)} of the run's {len(helpers)} helper processes outlived it"
    states = len(list(out.glob("state/*.json")))
    time.sleep(2)
    assert len(list(out.glob("state/*.json"))) == states  # no worker goes on finishing pages
