"""The run, as plain functions: plan what is new, process pages in batches, rebuild tables.

``flows/`` wraps these in Prefect tasks; :func:`run_pipeline` runs them without Prefect
(tests, ``presslens extract``-style use, benchmarks). A page is processed again only when
its bytes, its sidecar or :data:`presslens.PIPELINE_VERSION` changed.
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from presslens import PIPELINE_VERSION
from presslens.compare.actors import actor_labels
from presslens.compare.tables import (
    articles_table,
    errors_table,
    labelling_text,
    measures_table,
    outlets_table,
    sentences_table,
)
from presslens.compare.wordchoice import distinctive_terms
from presslens.extract import extract_article
from presslens.metrics import article_metrics
from presslens.pages import PageError, RawFile, discover, read_page
from presslens.store import Store, atomic_write_json, write_table


def fingerprint(raw: RawFile) -> str:
    """What decides whether a page must be processed again: its bytes, its sidecar, the pipeline version."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in (raw.path, raw.sidecar_path):
        h.update(b"\0")
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class RunPlan:
    todo: list[RawFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)

    def batches(self, size: int) -> list[list[RawFile]]:
        return [self.todo[i : i + size] for i in range(0, len(self.todo), size)]


def plan_run(raw_dir: str | Path, out_dir: str | Path) -> RunPlan:
    """Compare raw/ with processed/state: which pages are new or changed, unchanged, or gone."""
    store = Store(out_dir)
    states = store.load_states()
    plan = RunPlan()
    seen = set()
    for raw in discover(raw_dir):
        aid = raw.article_id
        seen.add(aid)
        fp = fingerprint(raw)
        plan.fingerprints[aid] = fp
        if states.get(aid, {}).get("fingerprint") == fp:
            plan.unchanged.append(aid)
        else:
            plan.todo.append(raw)
    plan.removed = sorted(set(states) - seen)
    return plan


@dataclass
class PageOutcome:
    article_id: str
    raw_path: str
    ok: bool
    errors: list[dict] = field(default_factory=list)


def process_page(raw: RawFile, store: Store, fp: str) -> PageOutcome:
    """Read, clean, extract and measure one page; write its record. Never raises for bad input."""
    aid = raw.article_id
    errors: list[dict] = []
    stage = "read"
    try:
        page = read_page(raw)
        errors.extend({"file": raw.relpath, "stage": "sidecar", "reason": w, "article_id": aid} for w in page.warnings)
        stage = "extract"
        article = extract_article(page)
        if not article.text.strip():
            raise PageError(
                raw.relpath,
                "extract",
                "no article text found (the page may be only navigation, a paywall or a script-rendered shell)",
            )
        stage = "metrics"
        record = article.to_dict()
        measures = article_metrics(article)
        record["metrics"] = measures.metrics
        record["sentences"] = measures.sentences
        record["quotes"] = measures.quotes
        record["pipeline_version"] = PIPELINE_VERSION
        atomic_write_json(store.article_path(aid), record)
        ok = True
    except PageError as exc:
        errors.append({"file": raw.relpath, "stage": exc.stage, "reason": exc.reason, "article_id": aid})
        ok = False
    except Exception as exc:  # a bug or a pathological page: record it, keep the run going
        last = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})"
        errors.append({"file": raw.relpath, "stage": stage, "reason": reason, "article_id": aid})
        ok = False
    if not ok:
        with_record = store.article_path(aid)
        if with_record.exists():
            with_record.unlink()
    store.save_state(
        aid,
        {"fingerprint": fp, "ok": ok, "raw_path": raw.relpath, "errors": errors, "pipeline_version": PIPELINE_VERSION},
    )
    return PageOutcome(aid, raw.relpath, ok, errors)


def process_pages(
    pages: list[RawFile], out_dir: str | Path, fingerprints: dict[str, str] | None = None
) -> list[PageOutcome]:
    """Process a batch of pages (one Prefect task's worth of work)."""
    store = Store(out_dir)
    fingerprints = fingerprints or {}
    return [process_page(raw, store, fingerprints.get(raw.article_id) or fingerprint(raw)) for raw in pages]


def forget_removed(article_ids: list[str], out_dir: str | Path) -> None:
    store = Store(out_dir)
    for aid in article_ids:
        store.forget(aid)


@dataclass
class TableSummary:
    articles: int
    outlets: int
    stories: int
    errors: int
    paths: list[Path]


def build_tables(out_dir: str | Path) -> TableSummary:
    """Rebuild every table in processed/ from the per-article records and states."""
    store = Store(out_dir)
    records = store.load_articles()
    articles = articles_table(records)
    sentences = sentences_table(records)
    outlets = outlets_table(articles, sentences)
    errors = errors_table([e for state in store.load_states().values() for e in state.get("errors", [])])
    texts = {r["article_id"]: r.get("text", "") for r in records}
    labelled_texts = {r["article_id"]: labelling_text(r) for r in records}
    tables = {
        "articles": articles,
        "outlets": outlets,
        "errors": errors,
        "sentences": sentences,
        "measures": measures_table(articles, sentences),
        "terms": distinctive_terms(articles, texts),
        "actor_labels": actor_labels(articles, labelled_texts),
    }
    paths = []
    for name, df in tables.items():
        paths += write_table(df, out_dir, name)
    return TableSummary(len(articles), len(outlets), articles["story"].nunique(), len(errors), paths)


@dataclass
class RunSummary:
    processed: int
    unchanged: int
    removed: int
    failed: list[PageOutcome]
    tables: TableSummary


def run_pipeline(raw_dir: str | Path, out_dir: str | Path, batch_size: int = 25) -> RunSummary:
    """The whole run without Prefect (same functions the flow composes)."""
    plan = plan_run(raw_dir, out_dir)
    outcomes: list[PageOutcome] = []
    for batch in plan.batches(batch_size):
        outcomes += process_pages(batch, out_dir, plan.fingerprints)
    forget_removed(plan.removed, out_dir)
    tables = build_tables(out_dir)
    return RunSummary(len(plan.todo), len(plan.unchanged), len(plan.removed), [o for o in outcomes if not o.ok], tables)
