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
    first = compare_coverage(raw_dir=str(work_raw), out_dir=str(out), settings={"batch_size": 2})
    assert first["processed"] == 7 and first["failed"] == 1 and first["articles"] == 6
    assert snapshot(work_raw) == before
    errors = pd.read_csv(out / "errors.csv")
    assert errors.iloc[0].file.endswith("broken.html.gz") and "gzip" in errors.iloc[0].reason

    second = compare_coverage(raw_dir=str(work_raw), out_dir=str(out))
    assert second["processed"] == 0 and second["unchanged"] == 7

    shutil.copy(seed_000, work_raw / EXAMPLE.name / "new-page.txt")
    third = compare_coverage(raw_dir=str(work_raw), out_dir=str(out))
    assert third["processed"] == 1 and third["articles"] == 7


def test_run_command_reads_its_user_files_once(prefect_api, work_raw, tmp_path, monkeypatch):
    """presslens run resolved its settings, then the flow resolved them again from the file paths:
    outlets.yaml and stories.yaml were read twice, and a file changed in between could give the run
    settings the command had not checked (issue 33). The flow now takes the resolved settings."""
    from presslens import roster as roster_module
    from presslens.cli import main
    from presslens.stories import overrides as overrides_module

    reads: list[str] = []
    for module, name in ((roster_module, "load_roster"), (overrides_module, "load_overrides")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda path, real=real: reads.append(str(path)) or real(path))
    outlets, stories, out = tmp_path / "outlets.yaml", tmp_path / "stories.yaml", tmp_path / "processed"
    outlets.write_text("outlets:\n  - name: The Calder Courier\n    lean: centre\n", encoding="utf-8")
    stories.write_text("rename: []\n", encoding="utf-8")
    arguments = [
        "--raw",
        str(work_raw),
        "--out",
        str(out),
        "--outlets-file",
        str(outlets),
        "--stories-file",
        str(stories),
    ]
    assert main(["run", *arguments]) == 0
    assert sorted(reads) == sorted([str(outlets), str(stories)])  # each once, by the command
    articles = read_table(out, "articles")
    assert set(articles.loc[articles["outlet"] == "The Calder Courier", "lean"]) == {"centre"}


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
    from tests.run.test_collect import Handler  # the same feed and pages as the collect tests

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

    from flows.compare_coverage import compare_coverage
    from presslens.pipeline import run_pipeline
    from presslens.settings import TIMINGS_ENV
    from presslens.timing import read_intervals, record_timings

    out, timings = tmp_path / "processed", tmp_path / "timings.jsonl"
    # read once, where the flow resolves its options; the batches carry it to the Dask workers,
    # each of which records the pid it ran in
    monkeypatch.setenv(TIMINGS_ENV, str(timings))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # a deployment's parameters: plain data, resolved in the flow; no roster: the local run it is
        # compared with is given none either
        options = {"batch_size": 2, "outlets_file": str(tmp_path / "none"), "dask_address": cluster.scheduler_address}
        summary = compare_coverage(raw_dir=str(work_raw), out_dir=str(out), settings=options)
        with Client(cluster) as client:
            worker_pids = set(client.run(os.getpid).values())
    record_timings(None)  # the flow pointed this process at the file: later tests record nothing
    assert summary["processed"] == 6 and summary["failed"] == 0 and len(worker_pids) == 2
    batch_pids = {i["pid"] for i in read_intervals(timings) if i["name"] == "process_pages"}
    assert batch_pids and batch_pids <= worker_pids and os.getpid() not in batch_pids
    states = [pd.read_json(p, typ="series") for p in (out / "state").glob("*.json")]
    assert len(states) == 6 and all(s["ok"] for s in states)

    local = tmp_path / "local"
    run_pipeline(work_raw, local)
    for name in ("articles", "outlets", "coverage", "sentences"):
        assert read_table(out, name).equals(read_table(local, name)), name
