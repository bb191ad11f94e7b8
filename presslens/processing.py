"""Page processing: plan what is new in raw/, and process each new page — read, cleaned, extracted,
measured, its names read.

A page is processed again only when its bytes, its sidecar, the entity reader or
:data:`presslens.PIPELINE_VERSION` changed. Each page leaves a state file (:func:`page_state`) and,
when readable, an :class:`presslens.record.ArticleRecord`; pages of a batch are spread over the
worker processes of :mod:`presslens.workers` a few at a time, a worker reading their names in one call.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import stat
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from presslens import PIPELINE_VERSION
from presslens.extract import cut_article_words, extract_article
from presslens.metrics import article_metrics
from presslens.metrics.entities import read_entities
from presslens.pages import (
    MAX_PAGE_BYTES,
    MAX_SIDECAR_BYTES,
    PageError,
    RawFile,
    discover,
    page_bytes,
    read_page,
    sidecar_bytes,
)
from presslens.record import ArticleRecord
from presslens.settings import RunSettings
from presslens.store import Store, atomic_write_json
from presslens.stories.features import event_features
from presslens.timing import record_timings, timed
from presslens.workers import start_workers, wait_for_warm_up, warm_worker, worker_pool

MAX_ARTICLE_WORDS = 50_000  # metrics, sentences and names of one article: docs/internals.md "Bounds" gives the cost
HEADLINE_WORDS = 3  # an HTML page with no article text under a headline of this many words is that headline
NO_TEXT = "no article text found (the page may be only navigation, a paywall or a script-rendered shell)"
HEADLINE_ONLY = (
    "headline only: no article text found under it (a paywall, a video page or leftover furniture); "
    "the article is its headline, grouped into a story by it"
)


def is_headline(title: str | None) -> bool:
    """Whether an HTML page's own title (h1, og:title, <title>) can stand for its article: a short
    report's headline rather than a one-word site name (a text dump's first line is no headline)."""
    return len((title or "").split()) >= HEADLINE_WORDS


def fingerprint(raw: RawFile, entities: str = "rules") -> str:
    """What decides whether a page must be processed again: its bytes, its sidecar, the pipeline
    version and the entity reader (the page's names are read with it). Both files are read by the safe
    path: a page or sidecar that cannot be read (too big, a FIFO, a link out of raw/) counts by its reason."""
    h = hashlib.sha256(f"{PIPELINE_VERSION}:{entities}".encode())
    try:
        h.update(b"\0" + page_bytes(raw))
    except PageError as exc:
        h.update(b"\0unreadable page: " + exc.reason.encode("utf-8", "backslashreplace"))
    sidecar, warning = sidecar_bytes(raw)
    h.update(b"\0" + (sidecar if sidecar is not None else (warning or "").encode("utf-8", "backslashreplace")))
    return h.hexdigest()


@dataclass
class RunPlan:
    todo: list[RawFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)

    def batches(self, size: int) -> list[list[RawFile]]:
        return [self.todo[i : i + size] for i in range(0, len(self.todo), size)]


PAGE_SIGNATURES = "page-signatures.json"
MAX_SIGNED_PAGES = 10_000_000  # pages whose signatures one file keeps (a bound on the loop that writes it)


def page_signature(raw: RawFile) -> list | None:
    """Size, mtime and inode of the page and of its sidecar (None: it has none), when both are
    regular files; None when the page must be fingerprinted whatever it looks like (a link, a FIFO,
    a name that is not UTF-8, a file that cannot be looked at)."""
    if raw.problem:
        return None
    try:
        page = os.lstat(raw.path)
    except OSError:
        return None
    if not stat.S_ISREG(page.st_mode):
        return None
    try:
        sidecar = os.lstat(raw.sidecar_path)
    except FileNotFoundError:
        return [page.st_size, page.st_mtime_ns, page.st_ino, None]
    except OSError:
        return None
    if not stat.S_ISREG(sidecar.st_mode):
        return None
    return [page.st_size, page.st_mtime_ns, page.st_ino, [sidecar.st_size, sidecar.st_mtime_ns, sidecar.st_ino]]


def _signatures_key(entities: str) -> str:
    """What a fingerprint depends on besides the files: kept signatures of another key are dropped."""
    return f"{PIPELINE_VERSION}:{entities}:{MAX_PAGE_BYTES}:{MAX_SIDECAR_BYTES}"


def _newest_ns(signature: list) -> int:
    return max(signature[1], signature[3][1] if signature[3] else 0)


@timed("plan_run")
def plan_run(raw_dir: str | Path, out_dir: str | Path, entities: str = "rules") -> RunPlan:
    """Compare raw/ with processed/state: which pages are new or changed, unchanged, or gone
    (``entities``: the run's entity reader, part of every page's fingerprint).

    A page is hashed again only when its size, mtime or inode (or its sidecar's) differ from
    processed/page-signatures.json, or when it was written less than RACY_SECONDS before that look
    (a second write within the clock's resolution would leave them unchanged); the states'
    fingerprints come from the grouping store, which reads only the state files that changed."""
    from presslens.stories.grouping_store import RACY_SECONDS, load_store

    out = Path(out_dir)
    store, _report = load_store(out)
    kept = {aid: store.fingerprints[r] for aid, r in store.row_of.items()}
    signatures = _read_signatures(out / PAGE_SIGNATURES, entities)
    now_ns = time.time_ns()
    racy_before = int(signatures.get("seen_ns") or 0) - int(RACY_SECONDS * 1e9)
    known = signatures.get("pages") or {}
    signed: dict[str, list] = {}
    plan = RunPlan()
    seen = set()
    for raw in discover(raw_dir):
        aid = raw.article_id
        seen.add(aid)
        signature = page_signature(raw)
        before = known.get(raw.relpath)
        if signature is not None and before and before[:-1] == signature and _newest_ns(signature) < racy_before:
            fp = before[-1]
        else:
            fp = fingerprint(raw, entities)
        if signature is not None and len(signed) < MAX_SIGNED_PAGES:
            signed[raw.relpath] = [*signature, fp]
        plan.fingerprints[aid] = fp
        if kept.get(aid) == fp:
            plan.unchanged.append(aid)
        else:
            plan.todo.append(raw)
    plan.removed = sorted(set(kept) - seen)
    with contextlib.suppress(OSError):
        out.mkdir(parents=True, exist_ok=True)
        signatures = {"key": _signatures_key(entities), "seen_ns": now_ns, "pages": signed}
        # a cache, not flushed: one a crash left empty or torn does not parse, and every page is hashed again
        atomic_write_json(out / PAGE_SIGNATURES, signatures, indent=None, durable=False)
    return plan


def _read_signatures(path: Path, entities: str) -> dict:
    """The kept page signatures, or none when the file is missing, damaged or of another key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != _signatures_key(entities):
        return {}
    pages = data.get("pages")
    if not isinstance(pages, dict) or not all(isinstance(v, list) and len(v) == 5 for v in pages.values()):
        return {}
    return data


@dataclass
class PageOutcome:
    article_id: str
    raw_path: str
    ok: bool
    errors: list[dict] = field(default_factory=list)


# pages whose names one call of the reader reads: spaCy's ner reads 8 texts in one batch ~15% faster a page than one
# at a time, with the same names (docs/benchmarks.md, "2026-12-07, stop 47"); the rules reader gains nothing
NAMES_TOGETHER = {"spacy": 8}


def process_page(raw: RawFile, store: Store, fp: str, entities: str = "rules") -> PageOutcome:
    """Read, clean, extract and measure one page, read its names with the ``entities`` reader;
    write its record. Never raises for bad input."""
    return process_pages_together([raw], store, [fp], entities)[0]


def process_pages_together(
    raws: list[RawFile], store: Store, fps: list[str], entities: str = "rules"
) -> list[PageOutcome]:
    """:func:`process_page` for a few pages (at most :data:`NAMES_TOGETHER` for the reader), their names read in
    one call of the ``entities`` reader; if that call fails, each page's names are read alone: a page costs only
    itself."""
    works = [_PageWork(raw, fp, story=raw.story) for raw, fp in zip(raws, fps, strict=True)]
    for work in works:
        work.run(work.read_and_measure)
    ready = [work for work in works if work.record is not None]
    names: list[dict] | None = None
    if len(ready) > 1:
        with contextlib.suppress(Exception):  # read again page by page below, where a failure is the page's own
            names = read_entities([w.record.title or "" for w in ready], [w.record.text for w in ready], entities)
    for k, work in enumerate(ready):
        work.run(lambda work=work, k=k: work.name_and_save(store, entities, names[k] if names else None))
    return [work.finish(store) for work in works]


@dataclass
class _PageWork:
    """One page on its way through :func:`process_pages_together`: its errors so far, the stage it is in, its record."""

    raw: RawFile
    fp: str
    errors: list[dict] = field(default_factory=list)
    stage: str = "read"
    story: str | None = None  # the sidecar's pin when the page is read; the raw file's folder until then
    ok: bool = True
    grouping: dict | None = None
    record: ArticleRecord | None = None

    def run(self, step) -> None:
        """Run ``step`` unless the page already failed; a failure is recorded with its reason (a bug or a pathological
        page names where it happened), and the run goes on."""
        if not self.ok:
            return
        try:
            step()
        except PageError as exc:
            self.fail(exc.stage, exc.reason)
        except Exception as exc:
            last = traceback.extract_tb(exc.__traceback__)[-1]
            self.fail(self.stage, f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})")

    def note(self, stage: str, reason: str) -> None:
        """An error row of the page (the page may still have its record: a bound that degraded it, a warning)."""
        raw = self.raw
        self.errors.append({"file": raw.relpath, "stage": stage, "reason": reason, "article_id": raw.article_id})

    def fail(self, stage: str, reason: str) -> None:
        self.note(stage, reason)
        self.ok, self.grouping, self.record = False, None, None

    def read_and_measure(self) -> None:
        raw, aid = self.raw, self.raw.article_id
        page = read_page(raw)
        self.story = page.story
        for bound in page.bounds:
            self.note("read", bound)
        for warning in page.warnings:
            self.note("sidecar", warning)
        self.stage = "extract"
        article = extract_article(page)
        n_words = cut_article_words(article.extraction, MAX_ARTICLE_WORDS)
        if n_words:
            cut = (
                f"extracted text has {n_words:,} words: cut to the first {MAX_ARTICLE_WORDS:,} "
                "(bound processing.MAX_ARTICLE_WORDS; a whole site, a feed or a book?)"
            )
            self.note("extract", cut)
            article.warnings.append(cut)
        if not article.text.strip():
            if article.kind != "html" or not is_headline(article.extraction.title):
                raise PageError(raw.relpath, "extract", NO_TEXT + " and no headline")
            self.note("extract", HEADLINE_ONLY)
            article.warnings.append(HEADLINE_ONLY)
        self.stage = "metrics"
        self.grouping = event_features(
            aid, article.extraction.title, article.text, article.extraction.published, outlet=article.outlet
        ).to_state()
        self.record = ArticleRecord.from_article(article, article_metrics(article), PIPELINE_VERSION)

    def name_and_save(self, store: Store, entities: str, names: dict | None) -> None:
        """The record's names (``names``: read with other pages' already), then the record written."""
        self.stage = "entities"
        record = self.record
        if names is None:
            names = read_entities([record.title or ""], [record.text], entities)[0]
        record.entities = names
        store.save_article(record)

    def finish(self, store: Store) -> PageOutcome:
        """The page's state written (and a record of an earlier run removed when the page failed now)."""
        aid = self.raw.article_id
        if not self.ok:
            with_record = store.article_path(aid)
            if with_record.exists():
                with_record.unlink()
        store.save_state(aid, page_state(self.fp, self.ok, self.story, self.raw.relpath, self.errors, self.grouping))
        return PageOutcome(aid, self.raw.relpath, self.ok, self.errors)


def page_state(
    fp: str, ok: bool, story: str | None, raw_path: str, errors: list[dict], grouping: dict | None = None
) -> dict:
    """What processed/state/<article_id>.json holds: the page's fingerprint, whether it gave an
    article, the story it is pinned to (None: the run groups it), its errors, its grouping features."""
    return {
        "fingerprint": fp,
        "ok": ok,
        "story": story,
        "raw_path": raw_path,
        "errors": errors,
        "pipeline_version": PIPELINE_VERSION,
        "grouping": grouping,
    }


PARALLEL_MIN_PAGES = 8  # below this, starting worker processes costs more than it saves


def prepare_run(raw_dir: str | Path, out_dir: str | Path, workers: int, entities: str = "rules") -> None:
    """Get ready for the pages the run will process while the caller does something else (Prefect
    starting its API server): enough new pages for the worker processes start them (each loads its
    models); a few are processed here, so this process loads the models instead."""
    todo = len(plan_run(raw_dir, out_dir, entities).todo)
    started = todo >= PARALLEL_MIN_PAGES and start_workers(workers, warm_for=entities)
    if todo and not started:
        warm_worker(entities)


def _process_group(raws: list[RawFile], out_dir: str, fps: list[str], entities: str) -> list[PageOutcome]:
    return process_pages_together(raws, Store(out_dir), fps, entities)


def name_groups(n: int, entities: str) -> list[range]:
    """A batch's ``n`` pages cut into runs of about equal length, each at most :data:`NAMES_TOGETHER` pages for the
    reader: the pages a worker processes together (25 pages, spaCy: 6, 6, 7, 6)."""
    size = NAMES_TOGETHER.get(entities, 1)
    count = -(-n // size)
    cuts = [round(k * n / count) for k in range(count + 1)] if n else [0]
    return [range(a, b) for a, b in itertools.pairwise(cuts)]


def process_pages(
    pages: list[RawFile],
    out_dir: str | Path,
    fingerprints: dict[str, str] | None = None,
    settings: RunSettings | None = None,
) -> list[PageOutcome]:
    """Process a batch of pages (one Prefect task's worth of work), on ``settings.workers`` processes
    when it pays, reading names with ``settings.entities``. The batch may run in another process than
    the run's (a Dask worker): it records its timings where the settings say."""
    settings = settings or RunSettings()
    record_timings(settings.timings_file)
    with timed("process_pages"):
        return _process_batch(pages, str(out_dir), fingerprints or {}, settings.workers, settings.entities)


def _process_batch(
    pages: list[RawFile], out_dir: str, fingerprints: dict[str, str], workers: int, entities: str
) -> list[PageOutcome]:
    fps = [fingerprints.get(raw.article_id) or fingerprint(raw, entities) for raw in pages]
    groups = name_groups(len(pages), entities)
    pool = worker_pool(workers, warm_for=entities) if len(pages) >= PARALLEL_MIN_PAGES else None
    outcomes: list[PageOutcome] = []
    if pool is None:
        store = Store(out_dir)
        wait_for_warm_up()  # a warm-up still loading models in this process (prepare_run) finishes first
        for g in groups:
            outcomes += process_pages_together(pages[g.start : g.stop], store, fps[g.start : g.stop], entities)
        return outcomes
    futures = [
        pool.submit(_process_group, pages[g.start : g.stop], out_dir, fps[g.start : g.stop], entities) for g in groups
    ]
    for group, future in zip(groups, futures, strict=True):
        try:
            outcomes.extend(future.result())
        except Exception as exc:  # a worker that died (out of memory, killed): its pages fail with the reason, as
            store = Store(out_dir)  # any failed page does (no fingerprint: the next run tries them again)
            for raw in pages[group.start : group.stop]:
                work = _PageWork(raw, "", story=raw.story)
                work.fail("extract", f"worker process failed: {type(exc).__name__}: {exc}")
                outcomes.append(work.finish(store))
    return outcomes


@timed("forget_removed")
def forget_removed(article_ids: list[str], out_dir: str | Path) -> None:
    store = Store(out_dir)
    for aid in article_ids:
        store.forget(aid)
