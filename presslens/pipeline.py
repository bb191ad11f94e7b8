"""The run, defined once: plan → process pages → group stories → build the story tables and reports.

:func:`run_pipeline` composes the steps; :class:`Steps` says how each is executed. ``presslens
run --local`` uses the plain functions (:data:`LOCAL`); the Prefect flow (``flows/``) passes the
same functions wrapped as tasks, so the two can never drift apart. Settings come resolved
(:func:`presslens.settings.resolve_settings`, at the edge) and are handed to every step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from presslens.building import TableSummary, build_tables, group_stories
from presslens.processing import PageOutcome, RunPlan, plan_run, process_pages
from presslens.project import check_folders
from presslens.settings import RunSettings
from presslens.stories.membership import GroupingReport
from presslens.timing import record_timings


def process_batches(plan: RunPlan, out_dir: str, settings: RunSettings) -> Iterable[list[PageOutcome]]:
    """Each batch of the plan's pages processed in turn (the flow submits them as tasks instead)."""
    for batch in plan.batches(settings.batch_size):
        yield process_pages(batch, out_dir, plan.fingerprints, settings)


@dataclass(frozen=True)
class Steps:
    """How each step of the run is executed: the library's functions, or the flow's tasks around them."""

    plan: Callable[[str, str, str], RunPlan] = plan_run
    process: Callable[[RunPlan, str, RunSettings], Iterable[list[PageOutcome]]] = process_batches
    group: Callable[[str, list[str], object, bool], GroupingReport] = group_stories
    build: Callable[[str, RunSettings], TableSummary] = build_tables


LOCAL = Steps()


@dataclass
class RunSummary:
    processed: int
    unchanged: int
    removed: int
    failed: list[PageOutcome]
    tables: TableSummary
    grouping: GroupingReport = field(default_factory=GroupingReport)
    new_pages: list[str] = field(default_factory=list)  # raw/ paths of the pages processed this run

    def to_dict(self) -> dict:
        """The run's counts and failures as plain data (the flow's return value, the CLI's report)."""
        return {
            "processed": self.processed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": len(self.failed),
            "articles": self.tables.articles,
            "outlets": self.tables.outlets,
            "stories": self.tables.stories,
            "errors": self.tables.errors,
            "failures": [{"file": o.raw_path, "reason": "; ".join(e["reason"] for e in o.errors)} for o in self.failed],
            "grouping": {
                "regrouped": self.grouping.regrouped,
                "full": self.grouping.full,
                "capped": self.grouping.capped,
                "warnings": list(self.grouping.warnings),
            },
        }


def run_pipeline(
    raw_dir: str | Path,
    out_dir: str | Path,
    settings: RunSettings | None = None,
    steps: Steps = LOCAL,
    **changes,
) -> RunSummary:
    """The whole run: new or changed pages in ``raw_dir`` processed, stories grouped, ``out_dir`` rebuilt.

    ``changes`` replace fields of ``settings`` (tests: ``run_pipeline(raw, out, batch_size=50)``).
    """
    settings = replace(settings or RunSettings(), **changes)
    check_folders(raw_dir, out_dir)
    record_timings(settings.timings_file)
    raw, out = str(raw_dir), str(out_dir)
    plan = steps.plan(raw, out, settings.entities)
    outcomes = [outcome for batch in steps.process(plan, out, settings) for outcome in batch]
    grouping = steps.group(out, plan.removed, settings.overrides, settings.regroup)
    tables = steps.build(out, settings)
    failed = [o for o in outcomes if not o.ok]
    return RunSummary(
        len(plan.todo),
        len(plan.unchanged),
        len(plan.removed),
        failed,
        tables,
        grouping,
        [r.relpath for r in plan.todo],
    )
