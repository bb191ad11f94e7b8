"""The Prefect flow itself, against a real temporary Prefect API (one per test session)."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from presslens.corpus_tables import read_table
from presslens.store import RunLocked, run_lock
from tests.conftest import EXAMPLE, snapshot

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    from prefect.testing.utilities import prefect_test_harness

    results = tmp_path_factory.mktemp("prefect-results")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(results))
        with prefect_test_harness(server_startup_timeout=120):
            yield


def test_flow_is_incremental_and_survives_bad_pages(prefect_api, work_raw, tmp_path, seed_000):
    from flows.compare_coverage import compare_coverage

    out = tmp_path / "processed"
    (work_raw / EXAMPLE.name / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    before = snapshot(work_raw)
    first = compare_coverage(raw_dir=str(work_raw), out_dir=str(out), batch_size=2)
    assert first["processed"] == 7 and first["failed"] == 1 and first["articles"] == 6
    assert snapshot(work_raw) == before
    errors = pd.read_csv(out / "errors.csv")
    assert errors.iloc[0].file.endswith("broken.html.gz") and "gzip" in errors.iloc[0].reason

    second = compare_coverage(raw_dir=str(work_raw), out_dir=str(out))
    assert second["processed"] == 0 and second["unchanged"] == 7

    shutil.copy(seed_000, work_raw / EXAMPLE.name / "new-page.txt")
    third = compare_coverage(raw_dir=str(work_raw), out_dir=str(out))
    assert third["processed"] == 1 and third["articles"] == 7


def test_flow_publishes_artifacts(prefect_api, work_raw, tmp_path):
    from prefect.client.orchestration import get_client

    from flows.compare_coverage import compare_coverage

    (work_raw / EXAMPLE.name / "empty.txt").write_bytes(b"")
    compare_coverage(raw_dir=str(work_raw), out_dir=str(tmp_path / "processed"))

    async def latest(key: str) -> dict:
        # the REST endpoint, so the check does not depend on the client's filter models
        async with get_client() as client:
            response = await client._client.post(
                "/artifacts/filter",
                json={"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 1},
            )
            response.raise_for_status()
            return response.json()[0]

    import asyncio

    table = asyncio.run(latest("outlet-comparison"))
    assert table["type"] == "table" and "Northshore Daily" in str(table["data"])
    summary = asyncio.run(latest("run-summary"))["data"]
    assert "7 new or changed page(s)" in summary and "empty.txt" in summary and "empty file" in summary


def test_flow_refuses_to_run_beside_another_run(prefect_api, work_raw, tmp_path):
    from flows.compare_coverage import compare_coverage

    out = tmp_path / "processed"
    with run_lock(out), pytest.raises(RunLocked, match="being updated by another run"):
        compare_coverage(raw_dir=str(work_raw), out_dir=str(out))


def test_collect_flow_fetches_then_compares(prefect_api, tmp_path):
    import threading
    from http.server import ThreadingHTTPServer

    from flows.collect_articles import collect_articles
    from tests.test_collect import Handler  # the same feed and pages as the collect tests

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_port}"
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            f"allow_private: true\noutlets:\n  - name: Calder feed\n    feeds: [{base}/feed.xml]\n    story: bridge\n"
        )
        raw, out = tmp_path / "raw", tmp_path / "processed"
        first = collect_articles(sources=str(sources), raw_dir=str(raw), out_dir=str(out))
        assert len(first["added"]) == 3 and first["compare"]["processed"] == 3
        assert (out / "articles.csv").exists() and (out / "report.html").exists()
        second = collect_articles(sources=str(sources), raw_dir=str(raw), out_dir=str(out))
        assert second["added"] == [] and second["skipped"] == 3 and second["compare"]["processed"] == 0
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_flow_runs_its_batches_on_a_dask_cluster(prefect_api, work_raw, tmp_path, monkeypatch):
    """prefect-dask's DaskTaskRunner against a real LocalCluster (worker processes, not threads)."""
    pytest.importorskip("prefect_dask", reason="the dask extra is part of .[dev]")
    from distributed import Client, LocalCluster

    from flows.compare_coverage import compare_coverage, task_runner_for
    from presslens.pipeline import run_pipeline
    from presslens.timing import ENV, read_intervals

    out, timings = tmp_path / "processed", tmp_path / "timings.jsonl"
    monkeypatch.setenv(ENV, str(timings))  # the workers inherit it: each batch records the pid it ran in
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = compare_coverage.with_options(task_runner=task_runner_for(cluster.scheduler_address))
        # no roster: the local run it is compared with is given none either
        summary = on_dask(raw_dir=str(work_raw), out_dir=str(out), batch_size=2, outlets_file=str(tmp_path / "none"))
        with Client(cluster) as client:
            worker_pids = set(client.run(os.getpid).values())
    assert summary["processed"] == 6 and summary["failed"] == 0 and len(worker_pids) == 2
    batch_pids = {i["pid"] for i in read_intervals(timings) if i["name"] == "process_pages"}
    assert batch_pids and batch_pids <= worker_pids and os.getpid() not in batch_pids
    states = [pd.read_json(p, typ="series") for p in (out / "state").glob("*.json")]
    assert len(states) == 6 and all(s["ok"] for s in states)

    local = tmp_path / "local"
    run_pipeline(work_raw, local)
    for name in ("articles", "outlets", "coverage", "sentences"):
        assert read_table(out, name).equals(read_table(local, name)), name
