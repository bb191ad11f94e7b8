"""Flow ``collect-articles``: fetch new items of the feeds and URL lists in sources.yaml into raw/.

The collect run of :func:`presslens.collect.collect_run` with one task per outlet (its feeds and
URLs), then, unless told otherwise, ``compare-coverage`` as a subflow so the new pages are
processed in the same scheduled run. ``presslens collect --local`` runs the same steps in turn.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.compare_coverage import compare_coverage
from presslens.collect import CollectResult, CollectSummary, Source, Sources, collect_run, collect_source, load_sources


@task(name="collect-outlet", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=30)
def collect_outlet(source: Source, raw_dir: str, allow_private: bool, max_items: int) -> CollectResult:
    return collect_source(source, Path(raw_dir), allow_private, max_items)


def collect_as_tasks(sources: Sources, raw_dir: str) -> Iterable[CollectResult]:
    """Every outlet submitted as a task, results gathered as they finish."""
    futures = [
        collect_outlet.submit(s, raw_dir, sources.allow_private, sources.max_items_per_feed) for s in sources.outlets
    ]
    for future in as_completed(futures):
        yield future.result()


def publish_summary(summary: CollectSummary) -> None:
    """What was fetched, as a markdown artifact for the Prefect UI."""
    from prefect.artifacts import create_markdown_artifact

    data = summary.to_dict()
    lines = [
        f"# collected {data['new']} new page(s) from {data['outlets']} outlet(s)",
        f"{data['fetched']} fetched, {data['skipped']} skipped, {data['failed']} failed",
        "",
        *[f"- `{p}`" for p in data["added"]],
    ]
    if data["skipped_by_reason"]:
        lines += ["", "Skipped:", *[f"- {n} {reason}" for reason, n in data["skipped_by_reason"].items()]]
    if data["errors"]:
        lines += ["", "Failed:", *[f"- {e}" for e in data["errors"]]]
    create_markdown_artifact(markdown="\n".join(lines), key="collect-summary", description="what was fetched")


def _stderr_line(line: str) -> None:
    sys.stderr.write(f"  {line}\n")  # not print(): log_prints would turn it into a log record


@flow(name="collect-articles", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=True)
def collect_articles(
    sources: str = "sources.yaml",
    raw_dir: str = "raw",
    out_dir: str = "processed",
    then_compare: bool = True,
    progress: bool = False,
) -> dict:
    """Fetch what is new for every outlet in ``sources``, then (by default) run compare-coverage.
    ``progress`` writes a line per outlet to standard error as it is collected."""
    config = load_sources(sources)
    summary = collect_run(config, raw_dir, each=collect_as_tasks, progress=_stderr_line if progress else None)
    publish_summary(summary)
    result = summary.to_dict()
    if then_compare:
        result["compare"] = compare_coverage(raw_dir=raw_dir, out_dir=out_dir)
    return result


if __name__ == "__main__":
    print(collect_articles())
