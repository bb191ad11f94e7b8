"""Flow ``collect-articles``: fetch new items of the feeds and URL lists in sources.yaml into raw/.

One task per outlet (its feeds and URLs), then, unless told otherwise, ``compare-coverage``
as a subflow so the new pages are processed in the same scheduled run.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from flows.compare_coverage import compare_coverage
from presslens.collect import CollectResult, Source, collect_source, load_sources


@task(name="collect-outlet", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=30)
def collect_outlet(source: Source, raw_dir: str, allow_private: bool, max_items: int) -> CollectResult:
    return collect_source(source, Path(raw_dir), allow_private, max_items)


@flow(name="collect-articles", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=True)
def collect_articles(
    sources: str = "sources.yaml", raw_dir: str = "raw", out_dir: str = "processed", then_compare: bool = True
) -> dict:
    """Fetch what is new for every outlet in ``sources``, then (by default) run compare-coverage."""
    config = load_sources(sources)
    futures = [
        collect_outlet.submit(s, raw_dir, config.allow_private, config.max_items_per_feed) for s in config.outlets
    ]
    wait(futures)
    results = [f.result() for f in futures]
    summary = {
        "outlets": len(config.outlets),
        "added": [str(p) for r in results for p in r.added],
        "skipped": sum(r.skipped for r in results),
        "errors": [e for r in results for e in r.errors],
    }
    from prefect.artifacts import create_markdown_artifact

    lines = [
        f"# collected {len(summary['added'])} new page(s) from {summary['outlets']} outlet(s)",
        f"{summary['skipped']} already fetched",
        "",
        *[f"- `{p}`" for p in summary["added"]],
    ]
    if summary["errors"]:
        lines += ["", "Errors:", *[f"- {e}" for e in summary["errors"]]]
    create_markdown_artifact(markdown="\n".join(lines), key="collect-summary", description="what was fetched")
    if then_compare:
        summary["compare"] = compare_coverage(raw_dir=raw_dir, out_dir=out_dir)
    return summary


if __name__ == "__main__":
    print(collect_articles())
