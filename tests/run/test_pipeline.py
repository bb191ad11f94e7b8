"""The run without Prefect: tables, incremental runs, bad pages, raw/ untouched."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from presslens import processing, workers
from presslens.pipeline import run_pipeline
from tests.conftest import EXAMPLE, snapshot


def test_tables_for_example_and_seeds(work_raw, tmp_path):
    out = tmp_path / "processed"
    before = snapshot(work_raw)
    summary = run_pipeline(work_raw, out)
    assert summary.processed == 6 and not summary.failed
    assert snapshot(work_raw) == before  # raw/ is evidence: byte-identical after a run
    for name in ("articles", "outlets", "errors"):
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    articles = pd.read_parquet(out / "articles.parquet")
    assert len(articles) == 6
    seeds = articles[articles.story == "north-korea-russia-treaty"].set_index("outlet")
    assert set(seeds.index) == {"Sada El Balad", "BNC Global Media Group"}
    assert seeds.loc["BNC Global Media Group", "original_source"] == "NDTV"
    assert (articles.flesch_reading_ease.notna()).all()
    assert (articles.words > 120).all()
    outlets = pd.read_csv(out / "outlets.csv")
    example = outlets[outlets.story == EXAMPLE.name]
    assert set(example.outlet) == {"The Calder Courier", "Northshore Daily", "Valley Wire Service", "Harbourline Radio"}
    assert (example.articles == 1).all()
    record = (out / "articles").glob("*.json")
    assert len(list(record)) == 6


def test_second_run_processes_nothing_and_new_page_costs_one(work_raw, tmp_path, seed_000):
    out = tmp_path / "processed"
    run_pipeline(work_raw, out)
    again = run_pipeline(work_raw, out)
    assert again.processed == 0 and again.unchanged == 6
    shutil.copy(seed_000, work_raw / "north-korea-russia-treaty" / "copy-of-000.txt")
    plan = processing.plan_run(work_raw, out)
    assert [r.relpath for r in plan.todo] == ["north-korea-russia-treaty/copy-of-000.txt"]
    third = run_pipeline(work_raw, out)
    assert third.processed == 1 and third.unchanged == 6


def test_changed_sidecar_reprocesses_that_page_only(work_raw, tmp_path):
    out = tmp_path / "processed"
    run_pipeline(work_raw, out)
    sidecar = work_raw / EXAMPLE.name / "harbourline-radio.txt.meta.json"
    sidecar.write_text(sidecar.read_text().replace("Harbourline Radio", "Harbourline Public Radio"))
    summary = run_pipeline(work_raw, out)
    assert summary.processed == 1
    articles = pd.read_csv(out / "articles.csv")
    assert "Harbourline Public Radio" in set(articles.outlet)


def test_corrupt_pages_go_to_errors_and_the_rest_still_runs(work_raw, tmp_path):
    story = work_raw / EXAMPLE.name
    (story / "empty.html").write_bytes(b"")
    (story / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (story / "nav-only.txt").write_text("Home\nNews\nSports\nWeather\nContact\n")
    (story / "bad-sidecar.txt").write_text((EXAMPLE / "northshore-daily.txt").read_text())
    (story / "bad-sidecar.txt.meta.json").write_text("{oops")
    out = tmp_path / "processed"
    summary = run_pipeline(work_raw, out)
    errors = pd.read_csv(out / "errors.csv")
    by_file = {row.file: (row.stage, row.reason) for row in errors.itertuples()}
    assert by_file[f"{EXAMPLE.name}/empty.html"][1].startswith("empty file")
    assert "binary content" in by_file[f"{EXAMPLE.name}/binary.txt"][1]
    assert "no article text" in by_file[f"{EXAMPLE.name}/nav-only.txt"][1]
    assert by_file[f"{EXAMPLE.name}/bad-sidecar.txt"][0] == "sidecar"
    assert len(summary.failed) == 3
    articles = pd.read_csv(out / "articles.csv")
    assert len(articles) == 7  # six good pages plus the page whose sidecar was ignored


def test_removed_page_leaves_the_tables(work_raw, tmp_path):
    out = tmp_path / "processed"
    run_pipeline(work_raw, out)
    (work_raw / EXAMPLE.name / "northshore-daily.txt").unlink()
    summary = run_pipeline(work_raw, out)
    assert summary.removed == 1
    assert "Northshore Daily" not in set(pd.read_csv(out / "articles.csv").outlet)


@pytest.mark.slow
def test_worker_processes_give_the_same_tables(work_raw, tmp_path, monkeypatch):
    """Batches of 8+ pages go to a process pool; the tables must not depend on it."""
    originals = [p for p in (work_raw / EXAMPLE.name).iterdir() if not p.name.endswith(".meta.json")]
    for i in range(3):  # 6 pages + 12 copies: enough for the parallel path
        for page in originals:
            shutil.copy(page, work_raw / EXAMPLE.name / f"copy{i}-{page.name}")
    serial = run_pipeline(work_raw, tmp_path / "serial", batch_size=50, workers=1)
    workers.release_pool()  # none left by an earlier test
    pools = []
    real_pool = workers.worker_pool
    monkeypatch.setattr(processing, "worker_pool", lambda n, **kw: pools.append(real_pool(n, **kw)) or pools[-1])
    parallel = run_pipeline(work_raw, tmp_path / "parallel", batch_size=50, workers=2)
    assert any(pools) and parallel.processed == serial.processed == 18  # the batch went to worker processes
    a = pd.read_csv(tmp_path / "serial" / "articles.csv")
    b = pd.read_csv(tmp_path / "parallel" / "articles.csv")
    pd.testing.assert_frame_equal(a, b)
