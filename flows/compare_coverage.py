"""Flow ``compare-coverage``: process what is new in raw/ and rebuild the tables in processed/.

Tasks work on batches of pages, never single pages or sentences: a task run costs
~10 ms here plus ~50–75 ms of API-server time (../shared/notes/prefect.md).

The flow takes the run's settings as its one options parameter: resolved by the caller
(``presslens run``), or the user's choices as plain data (a deployment's parameters), resolved
here once; nothing below reads a file or the environment for them.

Batches run on two threads by default, each handing its pages to a process pool so both
cores work. With a Dask address in the settings (``presslens run --dask ADDRESS``, or
$PRESSLENS_DASK_ADDRESS) they run on that Dask cluster instead, through prefect-dask's
DaskTaskRunner (the ``dask`` extra); each Dask worker then processes its batch in its own process.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from presslens import building, pipeline, processing
from presslens.pipeline import RunSummary, Steps
from presslens.processing import RunPlan
from presslens.project import check_folders
from presslens.settings import RunOptions, RunSettings, resolve_settings
from presslens.store import run_lock
from presslens.table_registry import TABLES
from presslens.timing import record_timings, timed


def task_runner_for(dask_address: str | None = None):
    """Threads on this machine, or the Dask scheduler at ``dask_address`` (tcp://host:8786)."""
    if not dask_address:
        return ThreadPoolTaskRunner(max_workers=2)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise RuntimeError(
            "running on Dask needs the dask extra: pip install -e '.[dask]' (prefect-dask, distributed)"
        ) from exc
    return DaskTaskRunner(address=dask_address)


# The run's steps as tasks: the same library functions presslens run --local calls
plan_task = task(name="plan-run", cache_policy=NO_CACHE)(processing.plan_run)
process_batch = task(name="process-batch", cache_policy=NO_CACHE)(processing.process_pages)
group_task = task(name="group-stories", cache_policy=NO_CACHE)(building.group_stories)
build_task = task(name="build-tables", cache_policy=NO_CACHE)(building.build_tables)


def prefect_steps(progress: bool = False) -> Steps:
    """The run's steps as Prefect tasks; page batches are submitted together and gathered as they finish."""

    def process(plan: RunPlan, out_dir: str, settings: RunSettings):
        with _batch_runner(settings.dask_address) as runner:
            futures = []
            for batch in plan.batches(settings.batch_size):
                fingerprints = {r.article_id: plan.fingerprints[r.article_id] for r in batch}
                parameters = {"pages": batch, "out_dir": out_dir, "fingerprints": fingerprints, "settings": settings}
                future = runner.submit(process_batch, parameters) if runner else process_batch.submit(**parameters)
                futures.append(future)
            bar = _progress(len(plan.todo), progress)
            try:
                for future in as_completed(futures):
                    outcomes = future.result()
                    if bar:
                        bar.advance(bar.task_ids[0], len(outcomes))
                    yield outcomes
            finally:
                if bar:
                    bar.stop()

    return Steps(plan=plan_task, process=process, group=group_task, build=build_task)


def _batch_runner(dask_address: str | None):
    """The Dask task runner the page batches go to, started (None: the flow's own threads)."""
    return task_runner_for(dask_address) if dask_address else contextlib.nullcontext()


def _progress(total: int, enabled: bool):
    if not enabled or not total:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("pages"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    progress.start()
    progress.add_task("pages", total=total)
    return progress


def publish_artifacts(out_dir: str, summary: RunSummary) -> None:
    """The outlet comparison as a table artifact and a short markdown summary, for the Prefect UI."""
    import pandas as pd
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    outlets = pd.read_parquet(Path(out_dir) / "outlets.parquet")
    columns = list(TABLES["outlets"].artifact)
    table = outlets[columns].astype(object).where(outlets[columns].notna(), None).to_dict("records")
    create_table_artifact(
        table=table, key="outlet-comparison", description="presslens: each outlet's coverage of each story"
    )
    blindspots = pd.read_parquet(Path(out_dir) / "blindspots.parquet")
    blindspots = blindspots[blindspots["leans_missing"].notna() | blindspots["outlets_missing"].notna()]
    blindspots = blindspots[list(TABLES["blindspots"].artifact)]
    create_table_artifact(
        table=blindspots.astype(object).where(blindspots.notna(), None).to_dict("records"),
        key="blindspots",
        description="presslens: followed outlets and leans that did not cover a story, and facts one side left out",
    )
    new, failed = summary.new_pages, summary.failed
    lines = [
        f"# presslens run: {summary.processed} new or changed page(s), {summary.unchanged} unchanged, "
        f"{summary.removed} removed",
        "",
    ]
    if new:
        lines += ["New or changed:", *[f"- `{path}`" for path in new[:50]]]
        if len(new) > 50:
            lines.append(f"- … and {len(new) - 50} more")
    if failed:
        lines += [
            "",
            f"Failed ({len(failed)}):",
            *[f"- `{o.raw_path}`: {'; '.join(e['reason'] for e in o.errors)}" for o in failed],
        ]
    else:
        lines += ["", "No page failed."]
    lines += ["", f"Report: `{Path(out_dir) / 'report.html'}`"]
    create_markdown_artifact(markdown="\n".join(lines), key="run-summary", description="what this run did")


@flow(name="compare-coverage", task_runner=task_runner_for(), log_prints=True)
def compare_coverage(
    raw_dir: str = "raw",
    out_dir: str = "processed",
    settings: RunSettings | RunOptions | None = None,
    progress: bool = False,
) -> dict:
    """Process new or changed pages in ``raw_dir``, group articles into stories, rebuild every table in ``out_dir``.

    ``settings``: the run's settings as the caller resolved them (``presslens run``), or the user's
    choices (:class:`presslens.settings.RunOptions`; in a deployment's parameters, e.g. ``{"workers": 2,
    "entities": "rules"}``), resolved here once; None: the defaults (./stories.yaml, ./outlets.yaml,
    the environment). A broken file, an extra that is not installed or an output folder inside the raw
    folder stops the run before any work.
    """
    check_folders(raw_dir, out_dir)
    if not isinstance(settings, RunSettings):
        settings = resolve_settings(settings)
    record_timings(settings.timings_file)
    raw_dir, out_dir = str(Path(raw_dir).resolve()), str(Path(out_dir).resolve())  # Dask workers may have another cwd
    with timed("flow"):
        with run_lock(out_dir):
            summary = pipeline.run_pipeline(raw_dir, out_dir, settings, steps=prefect_steps(progress))
        publish_artifacts(out_dir, summary)
    return summary.to_dict()


if __name__ == "__main__":
    print(compare_coverage())
