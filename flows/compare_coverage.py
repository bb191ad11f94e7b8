"""Flow ``compare-coverage``: process what is new in raw/ and rebuild the tables in processed/.

Tasks work on batches of pages, never single pages or sentences: a task run costs
~10 ms here plus ~50–75 ms of API-server time (../shared/notes/prefect.md).

Batches run on two threads by default, each handing its pages to a process pool so both
cores work. With ``PRESSLENS_DASK_ADDRESS`` set (or ``presslens run --dask ADDRESS``) they run
on that Dask cluster instead, through prefect-dask's DaskTaskRunner (the ``dask`` extra);
each Dask worker then processes its batch in its own process.
"""

from __future__ import annotations

import os
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from presslens import building, pipeline, processing
from presslens.pipeline import RunSummary, Steps
from presslens.processing import RunPlan
from presslens.settings import DEFAULT_BATCH_SIZE, RunSettings, resolve_settings
from presslens.store import run_lock
from presslens.table_registry import TABLES
from presslens.timing import timed

DASK_ADDRESS_ENV = "PRESSLENS_DASK_ADDRESS"


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
        futures = [
            process_batch.submit(
                batch,
                out_dir,
                {r.article_id: plan.fingerprints[r.article_id] for r in batch},
                settings.workers,
                settings.entities,
            )
            for batch in plan.batches(settings.batch_size)
        ]
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


@flow(name="compare-coverage", task_runner=task_runner_for(os.environ.get(DASK_ADDRESS_ENV)), log_prints=True)
def compare_coverage(
    raw_dir: str = "raw",
    out_dir: str = "processed",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
    similarity: str | None = None,
    stories_file: str = "stories.yaml",
    outlets_file: str = "outlets.yaml",
    regroup: bool = False,
    entities: str = "auto",
    workers: int | None = None,
    raw_csv: bool = False,
) -> dict:
    """Process new or changed pages in ``raw_dir``, group articles into stories, rebuild every table in ``out_dir``.

    ``similarity`` is the key-point backend (lexical or semantic; default $PRESSLENS_SIMILARITY, else
    lexical); ``entities`` reads the names of the entities table (spacy, rules, or auto: spacy when
    installed); ``workers`` the page-processing processes (default $PRESSLENS_WORKERS, else the
    cores). ``stories_file`` holds the story decisions applied on every run; ``outlets_file`` the
    outlets followed, with their leans; ``regroup`` clusters every article again instead of only
    what new pages touch; ``raw_csv`` writes CSV cells that start like a spreadsheet formula as they are
    (by default they are neutralised). A broken file, an extra that is not installed or an output folder
    inside the raw folder stops the run before any work.
    """
    pipeline.check_folders(raw_dir, out_dir)
    settings = resolve_settings(batch_size, workers, similarity, entities, stories_file, outlets_file, regroup, raw_csv)
    raw_dir, out_dir = str(Path(raw_dir).resolve()), str(Path(out_dir).resolve())  # Dask workers may have another cwd
    with timed("flow"):
        with run_lock(out_dir):
            summary = pipeline.run_pipeline(raw_dir, out_dir, settings, steps=prefect_steps(progress))
        publish_artifacts(out_dir, summary)
    return summary.to_dict()


if __name__ == "__main__":
    print(compare_coverage())
