"""The run, as plain functions: plan what is new, process pages in batches, rebuild tables.

``flows/`` wraps these in Prefect tasks; :func:`run_pipeline` runs them without Prefect
(tests, ``presslens extract``-style use, benchmarks). A page is processed again only when
its bytes, its sidecar or :data:`presslens.PIPELINE_VERSION` changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from presslens import PIPELINE_VERSION
from presslens.compare.actors import actor_labels
from presslens.compare.attention import attention_table, blindspots_table, date_problem
from presslens.compare.coverage import coverage_table, outlet_coverage
from presslens.compare.entities import entities_table
from presslens.compare.keypoints import key_point_analysis, similarity_backend
from presslens.compare.stories import stories_table
from presslens.compare.syndication import find_copies
from presslens.compare.tables import (
    articles_table,
    column_rows,
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
from presslens.report import story_folder, write_index, write_story_report
from presslens.roster import Roster
from presslens.store import Store, atomic_write_json, write_table
from presslens.stories.features import EventFeatures, event_features
from presslens.stories.membership import STATE_FILE as GROUPING_FILE
from presslens.stories.membership import GroupingReport, Membership, load_membership, regroup
from presslens.stories.overrides import Overrides
from presslens.timing import timed

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


@timed("plan_run")
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
    story = raw.story
    try:
        page = read_page(raw)
        story = page.story
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
        grouping = event_features(aid, article.extraction.title, article.text, article.extraction.published).to_state()
        measures = article_metrics(article)
        record["metrics"] = measures.metrics
        record["sentences"] = measures.sentences
        record["quotes"] = measures.quotes
        record["pipeline_version"] = PIPELINE_VERSION
        atomic_write_json(store.article_path(aid), record)
        ok = True
    except PageError as exc:
        errors.append({"file": raw.relpath, "stage": exc.stage, "reason": exc.reason, "article_id": aid})
        ok, grouping = False, None
    except Exception as exc:  # a bug or a pathological page: record it, keep the run going
        last = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})"
        errors.append({"file": raw.relpath, "stage": stage, "reason": reason, "article_id": aid})
        ok, grouping = False, None
    if not ok:
        with_record = store.article_path(aid)
        if with_record.exists():
            with_record.unlink()
    store.save_state(
        aid,
        {
            "fingerprint": fp,
            "ok": ok,
            "story": story,  # pinned by the user, or None: the run groups it
            "raw_path": raw.relpath,
            "errors": errors,
            "pipeline_version": PIPELINE_VERSION,
            "grouping": grouping,
        },
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
            # a daemonic process (a Dask worker, a multiprocessing pool's worker) may not have children:
            # there the engine already spreads batches over processes, so the batch runs in this one
            if workers < 2 or multiprocessing.current_process().daemon:
                return None
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))
        return _pool


def release_pool() -> None:
    """Stop the worker processes when no more work needs them: a big story's single build then
    does not share the machine's memory with two idle workers (they start again on demand)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown()
            _pool = None


def _process_one(raw: RawFile, out_dir: str, fp: str) -> PageOutcome:
    return process_page(raw, Store(out_dir), fp)


@timed("process_pages")
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


@timed("forget_removed")
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
    rebuilt_stories: int = 0


# Every corpus table is the concatenation of per-story tables (nothing compares across stories),
# so a run recomputes only the stories whose pages changed and splices them into the tables.
STORY_TABLES = (
    "articles",
    "outlets",
    "stories",
    "sentences",
    "measures",
    "terms",
    "actor_labels",
    "coverage",
    "attention",
    "blindspots",
    "entities",
)
STORY_FINGERPRINTS = "story_fingerprints.json"


@timed("group_stories")
def group_stories(out_dir: str | Path, overrides: Overrides | None = None, full: bool = False) -> GroupingReport:
    """Bring processed/grouping.json up to date: every processed article in a story (see presslens.stories)."""
    out = Path(out_dir)
    states = Store(out).load_states()
    features = {
        aid: EventFeatures.from_state(aid, state)
        for aid, state in states.items()
        if state.get("ok") and state.get("grouping") is not None
    }
    fingerprints = {aid: str(states[aid].get("fingerprint")) for aid in features}
    membership, report = regroup(features, fingerprints, load_membership(out), overrides or Overrides(), full=full)
    atomic_write_json(out / GROUPING_FILE, membership.to_dict())
    return report


def story_members(states: dict[str, dict], membership: Membership) -> dict[str, list[str]]:
    """story -> its processed pages' article ids (pages that failed belong to no story's tables)."""
    members: dict[str, list[str]] = {}
    for aid, story in membership.assignment.items():
        if states.get(aid, {}).get("ok"):
            members.setdefault(story, []).append(aid)
    return members


def story_fingerprints(
    states: dict[str, dict], members: dict[str, list[str]], membership: Membership, backend: str = "lexical"
) -> dict[str, str]:
    """story -> hash of its pages, its title and the key-point backend: a story is rebuilt when this changes."""
    out = {}
    for story, aids in members.items():
        h = hashlib.sha256(f"{PIPELINE_VERSION}:{backend}:{membership.titles.get(story, '')}".encode())
        for aid in sorted(aids):
            h.update(f"{aid}:{states[aid].get('fingerprint')}:{membership.how.get(aid, '')}".encode() + b"\0")
        out[story] = h.hexdigest()
    return out


def story_tables(
    records: list[dict],
    backend: str = "lexical",
    titles: dict[str, str] | None = None,
    roster: Roster | None = None,
    entities: str = "rules",
) -> dict:
    """Every table's rows for the stories of ``records``; each story's rows depend on its own records only.

    Each record carries its ``story`` (from the grouping). ``backend`` is the key-point similarity
    backend (:data:`presslens.compare.keypoints.BACKENDS`); ``titles`` the stories' titles;
    ``roster`` the outlets the user follows (outlets.yaml): names, leans, blindspots; ``entities``
    the entity reader (spacy or rules, :mod:`presslens.compare.ner`).
    """
    import pandas as pd

    roster = roster or Roster()
    for rec in records:
        entry = roster.canonical(rec.get("outlet"), rec.get("url"))
        rec["outlet"] = entry.name if entry else rec.get("outlet")
        rec["lean"] = entry.lean if entry else None
        rec["published_flag"] = date_problem(rec.get("published"), rec.get("page_published"))
    articles = articles_table(records)
    texts = {r["article_id"]: r.get("text", "") for r in records}
    copies = find_copies(articles, texts)
    articles["copy_of"] = articles["article_id"].map(lambda a: copies.get(a, (None, None))[0])
    articles["copy_containment"] = articles["article_id"].map(lambda a: copies.get(a, (None, None))[1])
    sentences = sentences_table(records)
    by_story: dict[str, list[dict]] = {}
    for rec in records:
        by_story.setdefault(rec["story"], []).append(rec)
    coverage_frames, stat_frames, analyses = [], [], {}
    for story, group in sorted(by_story.items()):
        coverage, stats, analyses[story] = story_coverage(story, group, articles[articles["story"] == story], backend)
        coverage_frames.append(coverage)
        stat_frames.append(stats)
    if by_story:
        coverage, outlet_cov = pd.concat(coverage_frames, ignore_index=True), pd.concat(stat_frames, ignore_index=True)
    else:
        coverage, outlet_cov, _ = story_coverage("", [], articles)
    sentences["key_points"] = sentence_key_points(sentences, analyses)
    outlets = add_outlet_columns(outlets_table(articles, sentences), articles, outlet_cov)
    labelled_texts = {r["article_id"]: labelling_text(r) for r in records}
    actors = actor_labels(articles, labelled_texts)
    return {
        "articles": articles,
        "outlets": outlets,
        "stories": stories_table(articles, backend, titles or {}, analyses),
        "sentences": sentences,
        "measures": measures_table(articles, sentences),
        "terms": distinctive_terms(articles, texts),
        "actor_labels": actors,
        "entities": entities_table(articles, texts, actors, entities),
        "coverage": coverage,
        "attention": attention_table(articles),
        "blindspots": blindspots_table(articles, coverage, roster),
    }


def sentence_key_points(sentences, analyses: dict) -> list[str]:
    """For each sentence row, the ids of its story's key points it reports (space-separated, "" for none)."""
    reported: dict[tuple[str, int], set[str]] = {}
    for analysis in analyses.values():
        for kp in analysis.points:
            for article_id, indexes in kp.evidence.items():  # sentence -> strength
                for index in indexes:
                    reported.setdefault((article_id, index), set()).add(kp.id)
        for article_id, ids in analysis.headline_points.items():
            reported.setdefault((article_id, -1), set()).update(ids)
    keys = zip(sentences["article_id"].tolist(), sentences["index"].tolist(), strict=True)
    return [" ".join(sorted(reported.get((a, int(i)), ()))) for a, i in keys]


STORY_CHUNK_ARTICLES = 120  # stories are rebuilt in groups of about this many articles: one unit of work


def build_story_chunk(
    out_dir: str,
    stories: list[str],
    members: dict[str, list[str]],
    backend: str = "lexical",
    titles: dict[str, str] | None = None,
    how: dict[str, str] | None = None,
    roster: Roster | None = None,
    entities: str = "rules",
) -> dict:
    """Recompute a group of stories: their rows of every table, coverage files and reports.

    Runs in a worker process when many stories changed; reads only these stories' records.
    ``how`` says for each article whether it was pinned, moved, merged or grouped into its story.
    """
    out = Path(out_dir)
    store = Store(out)
    how = how or {}
    records = []
    for story in stories:
        for aid in sorted(members[story]):
            record = store.load_article(aid)
            if record:
                record["story"], record["story_by"] = story, how.get(aid, "grouped")
                records.append(record)
    tables = story_tables(records, backend, titles, roster, entities)
    parts = {name: dict(iter(df.groupby("story", sort=False))) for name, df in tables.items()}
    by_story: dict[str, list[dict]] = {}
    for rec in records:
        by_story.setdefault(rec["story"], []).append(rec)
    for story, story_records in sorted(by_story.items()):
        mine = {name: parts[name].get(story, tables[name].iloc[0:0]) for name in tables}
        write_table(mine["coverage"], story_folder(out, story), "coverage")
        write_story_report(out, story, story_records, mine)
    return tables


def _story_chunks(stories: list[str], members: dict[str, list[str]]) -> list[list[str]]:
    chunks, current, size = [], [], 0
    for story in stories:
        current.append(story)
        size += len(members.get(story, []))
        if size >= STORY_CHUNK_ARTICLES:
            chunks.append(current)
            current, size = [], 0
    return chunks + ([current] if current else [])


@functools.cache
def empty_tables() -> dict:
    """Each story table with its columns and no rows (a corpus with no readable page)."""
    return story_tables([])


def _previous_tables_usable(out: Path) -> bool:
    return (out / STORY_FINGERPRINTS).exists() and all((out / f"{n}.parquet").exists() for n in STORY_TABLES)


@timed("build_tables")
def build_tables(
    out_dir: str | Path,
    full: bool = False,
    similarity: str | None = None,
    roster: Roster | None = None,
    entities: str = "rules",
) -> TableSummary:
    """Bring every table and report in processed/ up to date with the per-article records.

    Only stories whose pages changed since the last build are recomputed (their records are
    the only ones read); their rows replace the old ones in each corpus table. The story
    fingerprints are written last, so a build killed half-way is redone by the next run, and
    every table it did replace is already consistent story by story. ``full`` (or a missing
    table) recomputes every story, and so does a change of the key-point backend ``similarity``
    (default: $PRESSLENS_SIMILARITY, else lexical) or of the entity reader ``entities``.
    """
    import pandas as pd

    out = Path(out_dir)
    store = Store(out)
    states = store.load_states()
    membership = load_membership(out)
    members = story_members(states, membership)
    backend = similarity_backend(similarity)
    roster = roster or Roster()
    current = story_fingerprints(states, members, membership, f"{backend}:{entities}:{roster.digest}")
    full = full or not _previous_tables_usable(out)
    previous = {} if full else _read_fingerprints(out / STORY_FINGERPRINTS)
    changed = sorted(s for s, fp in current.items() if previous.get(s) != fp)
    gone = sorted(set(previous) - set(current))

    fresh: dict[str, list] = {name: [] for name in STORY_TABLES}
    paths: list[Path] = []
    chunks = _story_chunks(changed, members)
    pool = worker_pool() if len(chunks) >= 2 else release_pool()
    titles = {s: membership.titles.get(s, "") for s in changed}
    how = {a: membership.how.get(a, "grouped") for s in changed for a in members[s]}
    if pool is None:
        results = (
            build_story_chunk(str(out), chunk, members, backend, titles, how, roster, entities) for chunk in chunks
        )
    else:
        n = len(chunks)
        results = pool.map(
            build_story_chunk,
            [str(out)] * n,
            chunks,
            [members] * n,
            [backend] * n,
            [titles] * n,
            [how] * n,
            [roster] * n,
            [entities] * n,
        )
    for tables in results:
        for name in STORY_TABLES:
            fresh[name].append(tables[name])
    paths += [story_folder(out, story) / "report.html" for story in changed]
    for story in gone:
        shutil.rmtree(story_folder(out, story), ignore_errors=True)

    replaced = set(changed) | set(gone)
    summary = {}
    if not full and not replaced:  # nothing changed in any story: the tables on disk are current
        summary = {n: pd.read_parquet(out / f"{n}.parquet", columns=["story"]) for n in ("articles", "outlets")}
    else:
        for name in STORY_TABLES:
            frames = [] if full else [_without_stories(pd.read_parquet(out / f"{name}.parquet"), replaced)]
            frames += fresh[name]
            frames = [f for f in frames if not f.empty] or [empty_tables()[name]]
            table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            table = table.sort_values("story", kind="stable").reset_index(drop=True)
            paths += write_table(table, out, name)
            summary[name] = table
        paths.append(write_index(out, summary["stories"], summary.get("attention")))
    errors = errors_table([e for state in states.values() for e in state.get("errors", [])])
    paths += write_table(errors, out, "errors")
    atomic_write_json(out / STORY_FINGERPRINTS, current)
    return TableSummary(
        len(summary["articles"]),
        len(summary["outlets"]),
        summary["articles"]["story"].nunique(),
        len(errors),
        paths,
        rebuilt_stories=len(changed),
    )


def _read_fingerprints(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _without_stories(df, stories: set[str]):
    return df[~df["story"].astype(str).isin(stories)] if stories and not df.empty else df


def story_coverage(story: str, records: list[dict], articles, backend: str = "lexical") -> tuple:
    """One story's key-point coverage matrix, its per-outlet statistics and the key-point analysis."""
    words = articles.groupby("outlet")["words"].sum().to_dict()
    analysis = key_point_analysis(
        [(r["article_id"], r["outlet"], r.get("text", "")) for r in records],
        headlines={r["article_id"]: r.get("title") or "" for r in records},
        backend=backend,
    )
    outlet_of = {r["article_id"]: r["outlet"] for r in records}
    coverage = coverage_table(story, analysis, outlet_of)
    outlet_names = sorted(set(outlet_of.values()))
    stats = outlet_coverage(coverage, {o: words.get(o, 0) for o in outlet_names}, analysis.points)
    return coverage, stats, analysis


def add_outlet_columns(outlets, articles, outlet_cov):
    """Coverage statistics and syndication (which original an outlet's articles copy) per story x outlet."""
    merged = outlets.merge(outlet_cov, on=["story", "outlet"], how="left")
    outlet_of = dict(zip(articles["article_id"], articles["outlet"], strict=True))
    copies_outlet, sources = {}, {}
    for row in column_rows(articles, ["story", "outlet", "copy_of", "original_source"]):
        key = (row.story, row.outlet)
        if isinstance(row.copy_of, str):
            copies_outlet.setdefault(key, set()).add(outlet_of.get(row.copy_of, row.copy_of))
        if isinstance(row.original_source, str):
            sources.setdefault(key, set()).add(row.original_source)
    keys = list(zip(merged["story"], merged["outlet"], strict=True))
    merged["copies_outlet"] = ["; ".join(sorted(copies_outlet.get(key, []))) or None for key in keys]
    merged["original_source"] = ["; ".join(sorted(sources.get(key, []))) or None for key in keys]
    return merged


@dataclass
class RunSummary:
    processed: int
    unchanged: int
    removed: int
    failed: list[PageOutcome]
    tables: TableSummary
    grouping: GroupingReport = field(default_factory=GroupingReport)

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
    batch_size: int = 25,
    similarity: str | None = None,
    overrides: Overrides | None = None,
    regroup_all: bool = False,
    roster: Roster | None = None,
    entities: str = "rules",
) -> RunSummary:
    """The whole run without Prefect (same functions the flow composes).

    ``overrides`` are the story decisions of stories.yaml; ``regroup_all`` clusters every article
    again instead of only the part new pages touch; ``roster`` is outlets.yaml; ``entities`` the
    entity reader, resolved by the caller (:func:`presslens.compare.ner.entity_reader`).
    """
    plan = plan_run(raw_dir, out_dir)
    outcomes: list[PageOutcome] = []
    for batch in plan.batches(batch_size):
        outcomes += process_pages(batch, out_dir, plan.fingerprints)
    forget_removed(plan.removed, out_dir)
    grouping = group_stories(out_dir, overrides, full=regroup_all)
    tables = build_tables(out_dir, similarity=similarity, roster=roster, entities=entities)
    failed = [o for o in outcomes if not o.ok]
    return RunSummary(len(plan.todo), len(plan.unchanged), len(plan.removed), failed, tables, grouping)
