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

from presslens import pipeline
from presslens.compare.keypoints import similarity_backend
from presslens.compare.ner import entity_reader
from presslens.pages import RawFile
from presslens.roster import Roster, load_roster
from presslens.store import run_lock
from presslens.stories.membership import GroupingReport
from presslens.stories.overrides import Overrides, load_overrides
from presslens.timing import timed

DEFAULT_BATCH_SIZE = 25
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


@task(name="plan-run", cache_policy=NO_CACHE)
def plan_run(raw_dir: str, out_dir: str) -> pipeline.RunPlan:
    return pipeline.plan_run(raw_dir, out_dir)


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch(pages: list[RawFile], out_dir: str, fingerprints: dict[str, str]) -> list[pipeline.PageOutcome]:
    return pipeline.process_pages(pages, out_dir, fingerprints)


@task(name="group-stories", cache_policy=NO_CACHE)
def group_stories(out_dir: str, removed: list[str], overrides: Overrides, regroup: bool) -> GroupingReport:
    pipeline.forget_removed(removed, out_dir)
    return pipeline.group_stories(out_dir, overrides, full=regroup)


@task(name="build-tables", cache_policy=NO_CACHE)
def build_tables(out_dir: str, similarity: str, roster: Roster, entities: str) -> pipeline.TableSummary:
    return pipeline.build_tables(out_dir, similarity=similarity, roster=roster, entities=entities)


def _progress(total: int, enabled: bool):
    if not enabled or not total:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("pages"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    progress.start()
    progress.add_task("pages", total=total)
    return progress


ARTIFACT_COLUMNS = [
    "story",
    "outlet",
    "articles",
    "primary_frame",
    "mean_words",
    "mean_flesch_reading_ease",
    "mean_tone_mean",
    "mean_quotes",
    "kp_covered",
    "kp_share",
    "kp_unique",
    "kp_omitted",
    "copies_outlet",
    "original_source",
]


def publish_artifacts(out_dir: str, plan: pipeline.RunPlan, failed: list[pipeline.PageOutcome]) -> None:
    """The outlet comparison as a table artifact and a short markdown summary, for the Prefect UI."""
    import pandas as pd
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    outlets = pd.read_parquet(Path(out_dir) / "outlets.parquet")
    columns = [c for c in ARTIFACT_COLUMNS if c in outlets.columns]
    table = outlets[columns].astype(object).where(outlets[columns].notna(), None).to_dict("records")
    create_table_artifact(
        table=table, key="outlet-comparison", description="presslens: each outlet's coverage of each story"
    )
    blindspots = pd.read_parquet(Path(out_dir) / "blindspots.parquet")
    blindspots = blindspots[blindspots["leans_missing"].notna() | blindspots["outlets_missing"].notna()]
    create_table_artifact(
        table=blindspots.astype(object).where(blindspots.notna(), None).to_dict("records"),
        key="blindspots",
        description="presslens: followed outlets and leans that did not cover a story, and facts one side left out",
    )
    lines = [
        f"# presslens run: {len(plan.todo)} new or changed page(s), {len(plan.unchanged)} unchanged, "
        f"{len(plan.removed)} removed",
        "",
    ]
    if plan.todo:
        lines += ["New or changed:", *[f"- `{r.relpath}`" for r in plan.todo[:50]]]
        if len(plan.todo) > 50:
            lines.append(f"- … and {len(plan.todo) - 50} more")
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
) -> dict:
    """Process new or changed pages in ``raw_dir``, group articles into stories, rebuild every table in ``out_dir``.

    ``similarity`` is the key-point backend (lexical or semantic); default $PRESSLENS_SIMILARITY, else lexical.
    ``stories_file`` holds the story decisions applied on every run; ``outlets_file`` the outlets
    followed, with their leans; ``regroup`` clusters every article again instead of only what new
    pages touch. ``entities`` reads the names of the entities table: spacy, rules, or auto (spacy when installed).
    """
    similarity = similarity_backend(similarity)
    entities = entity_reader(entities)  # read here: a Dask worker may not share this environment
    overrides = load_overrides(stories_file)  # a broken file stops the run before any work, naming the line
    roster = load_roster(outlets_file)
    raw_dir, out_dir = str(Path(raw_dir).resolve()), str(Path(out_dir).resolve())  # Dask workers may have another cwd
    with timed("flow"):
        with run_lock(out_dir):
            plan = plan_run(raw_dir, out_dir)
            futures = [
                process_batch.submit(batch, out_dir, {r.article_id: plan.fingerprints[r.article_id] for r in batch})
                for batch in plan.batches(batch_size)
            ]
            bar = _progress(len(plan.todo), progress)
            outcomes: list[pipeline.PageOutcome] = []
            try:
                for future in as_completed(futures):
                    batch_outcomes = future.result()
                    outcomes += batch_outcomes
                    if bar:
                        bar.advance(bar.task_ids[0], len(batch_outcomes))
            finally:
                if bar:
                    bar.stop()
            grouping = group_stories(out_dir, plan.removed, overrides, regroup)
            tables = build_tables(out_dir, similarity, roster, entities)
        failed = [o for o in outcomes if not o.ok]
        publish_artifacts(out_dir, plan, failed)
    summary = pipeline.RunSummary(len(plan.todo), len(plan.unchanged), len(plan.removed), failed, tables, grouping)
    return summary.to_dict()


if __name__ == "__main__":
    print(compare_coverage())
