"""The run, as plain functions: plan what is new, process pages in batches, rebuild tables.

``flows/`` wraps these in Prefect tasks; :func:`run_pipeline` runs them without Prefect
(tests, ``presslens extract``-style use, benchmarks). A page is processed again only when
its bytes, its sidecar or :data:`presslens.PIPELINE_VERSION` changed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from presslens import PIPELINE_VERSION
from presslens.compare.actors import actor_labels
from presslens.compare.coverage import coverage_table, outlet_coverage
from presslens.compare.keypoints import story_key_points
from presslens.compare.stories import stories_table
from presslens.compare.syndication import find_copies
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
from presslens.pages import PageError, RawFile, discover, read_page, slugify
from presslens.report import write_reports
from presslens.store import Store, atomic_write_json, atomic_write_text, write_table

MAX_ARTICLE_WORDS = 50_000


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
        n_words = len(article.text.split())
        if n_words > MAX_ARTICLE_WORDS:
            raise PageError(
                raw.relpath,
                "extract",
                f"extracted text has {n_words:,} words, over the "
                f"{MAX_ARTICLE_WORDS:,}-word limit for one article (a whole site, a feed or a book?)",
            )
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


PARALLEL_MIN_PAGES = 8  # below this, starting worker processes costs more than it saves
_pool = None
_pool_lock = threading.Lock()


def worker_pool():
    """One process pool per run for all batches (both cores work; Prefect's threads only submit)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            workers = int(os.environ.get("PRESSLENS_WORKERS") or os.cpu_count() or 1)
            if workers < 2:
                return None
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))
        return _pool


def _process_one(raw: RawFile, out_dir: str, fp: str) -> PageOutcome:
    return process_page(raw, Store(out_dir), fp)


def process_pages(
    pages: list[RawFile], out_dir: str | Path, fingerprints: dict[str, str] | None = None
) -> list[PageOutcome]:
    """Process a batch of pages (one Prefect task's worth of work), across processes when it pays."""
    fingerprints = fingerprints or {}
    fps = [fingerprints.get(raw.article_id) or fingerprint(raw) for raw in pages]
    pool = worker_pool() if len(pages) >= PARALLEL_MIN_PAGES else None
    if pool is None:
        store = Store(out_dir)
        return [process_page(raw, store, fp) for raw, fp in zip(pages, fps, strict=True)]
    futures = [pool.submit(_process_one, raw, str(out_dir), fp) for raw, fp in zip(pages, fps, strict=True)]
    outcomes = []
    for raw, future in zip(pages, futures, strict=True):
        try:
            outcomes.append(future.result())
        except Exception as exc:  # a worker that died (out of memory, killed): the page gets the reason
            error = {
                "file": raw.relpath,
                "stage": "extract",
                "article_id": raw.article_id,
                "reason": f"worker process failed: {type(exc).__name__}: {exc}",
            }
            Store(out_dir).save_state(
                raw.article_id,
                {
                    "fingerprint": "",
                    "ok": False,
                    "raw_path": raw.relpath,
                    "errors": [error],
                    "pipeline_version": PIPELINE_VERSION,
                },
            )
            outcomes.append(PageOutcome(raw.article_id, raw.relpath, False, [error]))
    return outcomes


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
    """Rebuild every table in processed/ from the per-article records and states.

    Story-level comparisons (key points, coverage) are recomputed only for stories whose
    articles changed since the last run; the others are read back from processed/stories/.
    """
    store = Store(out_dir)
    records = store.load_articles()
    articles = articles_table(records)
    texts = {r["article_id"]: r.get("text", "") for r in records}
    copies = find_copies(articles, texts)
    articles["copy_of"] = articles["article_id"].map(lambda a: copies.get(a, (None, None))[0])
    articles["copy_containment"] = articles["article_id"].map(lambda a: copies.get(a, (None, None))[1])
    sentences = sentences_table(records)
    outlets = outlets_table(articles, sentences)
    coverage, outlet_cov = story_coverage(store, records, articles)
    outlets = add_outlet_columns(outlets, articles, outlet_cov)
    errors = errors_table([e for state in store.load_states().values() for e in state.get("errors", [])])
    labelled_texts = {r["article_id"]: labelling_text(r) for r in records}
    tables = {
        "articles": articles,
        "outlets": outlets,
        "stories": stories_table(articles),
        "errors": errors,
        "sentences": sentences,
        "measures": measures_table(articles, sentences),
        "terms": distinctive_terms(articles, texts),
        "actor_labels": actor_labels(articles, labelled_texts),
        "coverage": coverage,
    }
    paths = []
    for name, df in tables.items():
        paths += write_table(df, out_dir, name)
    paths += write_reports(out_dir, records, tables)
    return TableSummary(len(articles), len(outlets), articles["story"].nunique(), len(errors), paths)


def story_fingerprint(group: list[dict]) -> str:
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for rec in sorted(group, key=lambda r: r["article_id"]):
        h.update(f"{rec['article_id']}:{rec.get('sha256')}:{rec.get('outlet')}".encode())
    return h.hexdigest()


def story_coverage(store: Store, records: list[dict], articles) -> tuple:
    """Coverage matrix of every story (cached per story) and per-outlet coverage statistics."""
    import pandas as pd

    by_story: dict[str, list[dict]] = {}
    for rec in records:
        by_story.setdefault(rec["story"], []).append(rec)
    coverage_frames, stat_frames = [], []
    words = articles.groupby(["story", "outlet"])["words"].sum().to_dict()
    for story, group in sorted(by_story.items()):
        folder = store.root / "stories" / slugify(story)
        fingerprint_path = folder / "fingerprint.txt"
        fp = story_fingerprint(group)
        cached = folder / "coverage.parquet"
        if (
            fingerprint_path.exists()
            and fingerprint_path.read_text().strip() == fp
            and cached.exists()
            and (folder / "outlet_coverage.parquet").exists()
        ):
            coverage_frames.append(pd.read_parquet(cached))
            stat_frames.append(pd.read_parquet(folder / "outlet_coverage.parquet"))
            continue
        kps = story_key_points([(r["article_id"], r["outlet"], r.get("text", "")) for r in group])
        outlet_names = sorted({r["outlet"] for r in group})
        headlines = {}
        for r in group:
            headlines.setdefault(r["outlet"], r.get("title") or "")
        cov = coverage_table(story, kps, outlet_names, headlines)
        stats = outlet_coverage(cov, {o: words.get((story, o), 0) for o in outlet_names}, kps)
        write_table(cov, folder, "coverage")
        write_table(stats, folder, "outlet_coverage")
        atomic_write_text(fingerprint_path, fp + "\n")
        coverage_frames.append(cov)
        stat_frames.append(stats)
    coverage = pd.concat(coverage_frames, ignore_index=True) if coverage_frames else coverage_table("", [], [], {})
    stats = pd.concat(stat_frames, ignore_index=True) if stat_frames else outlet_coverage(coverage, {}, [])
    return coverage, stats


def add_outlet_columns(outlets, articles, outlet_cov):
    """Coverage statistics and syndication (which original an outlet's articles copy) per story x outlet."""
    merged = outlets.merge(outlet_cov, on=["story", "outlet"], how="left")
    outlet_of = dict(zip(articles["article_id"], articles["outlet"], strict=True))
    copies_outlet, sources = {}, {}
    for row in articles.itertuples():
        key = (row.story, row.outlet)
        if isinstance(row.copy_of, str):
            copies_outlet.setdefault(key, set()).add(outlet_of.get(row.copy_of, row.copy_of))
        if isinstance(row.original_source, str):
            sources.setdefault(key, set()).add(row.original_source)
    merged["copies_outlet"] = [
        "; ".join(sorted(copies_outlet.get((r.story, r.outlet), []))) or None for r in merged.itertuples()
    ]
    merged["original_source"] = [
        "; ".join(sorted(sources.get((r.story, r.outlet), []))) or None for r in merged.itertuples()
    ]
    return merged


@dataclass
class RunSummary:
    processed: int
    unchanged: int
    removed: int
    failed: list[PageOutcome]
    tables: TableSummary

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
        }


def run_pipeline(raw_dir: str | Path, out_dir: str | Path, batch_size: int = 25) -> RunSummary:
    """The whole run without Prefect (same functions the flow composes)."""
    plan = plan_run(raw_dir, out_dir)
    outcomes: list[PageOutcome] = []
    for batch in plan.batches(batch_size):
        outcomes += process_pages(batch, out_dir, plan.fingerprints)
    forget_removed(plan.removed, out_dir)
    tables = build_tables(out_dir)
    return RunSummary(len(plan.todo), len(plan.unchanged), len(plan.removed), [o for o in outcomes if not o.ok], tables)
