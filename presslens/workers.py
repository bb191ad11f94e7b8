"""The worker processes a run spreads its work over, and their warm-up.

One process pool per process, shared by page processing (a batch's pages) and the table build (groups
of stories); Prefect's threads only submit to it. Workers fork from a forkserver that has imported the
page modules once; each ends with the run's process, records its timings where the run does, keeps
BLAS to one thread, and — in a pool started for page processing — loads its models on a made-up page
before its first real one: the forkserver does that once (:mod:`presslens.preload`), so a worker's own
warm-up finds them loaded. :func:`worker_pool` hands out the pool; nothing else holds it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from presslens import PIPELINE_VERSION
from presslens.clean.line_model import PREDICTOR_MODULE
from presslens.extract import extract_article
from presslens.lifetime import exit_with
from presslens.metrics import article_metrics
from presslens.metrics.entities import read_entities
from presslens.pages import Page, RawFile
from presslens.record import ArticleRecord
from presslens.timing import record_timings, timings_file

_pool: ProcessPoolExecutor | None = None
_pool_size = 0  # processes of _pool (0: none)
_pool_lock = threading.Lock()
PRELOADED_READERS = ("rules", "spacy")  # entity readers with a module in presslens.preload
_warming = threading.Lock()  # held while this process warms up: pages processed here wait, not load the same twice
_warmed: dict[str, int] = {}  # entity reader -> the process whose warm-up loaded the models for it


def worker_pool(workers: int, warm_for: str | None = None) -> ProcessPoolExecutor | None:
    """This process's pool of ``workers`` processes, started on first use; None when the work runs in
    this process (fewer than 2 workers, or a daemonic process). A pool of another size (an earlier
    run's) is stopped first. ``warm_for`` (the run's entity reader): a new pool's workers warm up
    for page processing as they start (an existing pool is handed out as it is)."""
    global _pool, _pool_size
    # a daemonic process (a Dask worker, a multiprocessing pool's worker) may not have children:
    # there the engine already spreads batches over processes, so the batch runs in this one
    wanted = 0 if workers < 2 or multiprocessing.current_process().daemon else workers
    with _pool_lock:
        if _pool is not None and _pool_size != wanted:
            _pool.shutdown()
            _pool, _pool_size = None, 0
        if _pool is None and wanted:
            context = multiprocessing.get_context("forkserver")
            # the workers' page modules (imported by this one), the line model's tree walker and, for page
            # processing, the models and dictionaries pages need: loaded once, each worker forks with them
            preload = [__name__, PREDICTOR_MODULE]
            if warm_for in PRELOADED_READERS:
                preload.append(f"presslens.preload.{warm_for}")
            context.set_forkserver_preload(preload)
            _pool = ProcessPoolExecutor(
                max_workers=wanted,
                mp_context=context,
                initializer=start_worker,
                initargs=(warm_for, os.getpid(), timings_file()),
            )
            _pool_size = wanted
        return _pool


def pool_size() -> int:
    """Processes of this process's pool (0: no pool is running)."""
    return _pool_size


def start_workers(workers: int, warm_for: str) -> bool:
    """Start every process of the pool now, each warming up for ``warm_for`` (the entity reader) while
    the caller does something else; False when there is no pool (the work runs in this process)."""
    pool = worker_pool(workers, warm_for=warm_for)
    if pool is None:
        return False
    for _ in range(pool_size()):
        pool.submit(int)  # each submit with no idle worker starts one
    return True


def release_pool() -> None:
    """Stop the worker processes when no more work needs them: a big story's single build then
    does not share the machine's memory with two idle workers (they start again on demand)."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown()
            _pool, _pool_size = None, 0


def start_worker(warm_for: str | None = None, run_pid: int | None = None, timings: str | None = None) -> None:
    """A pool worker's start: it ends when the run's process ``run_pid`` does (a run killed with SIGKILL
    leaves no worker finishing its pages), records its timings where the run does (``timings``),
    :func:`one_thread_per_library`, then the warm-up if asked."""
    if run_pid is not None:
        exit_with(run_pid)
    record_timings(timings)
    one_thread_per_library()
    if warm_for:
        warm_worker(warm_for)


def one_thread_per_library() -> None:
    """BLAS and OpenMP in this process on one thread each: a pool already runs a process per core, and
    workers that each start a BLAS thread per core slow one another down (spaCy's names most)."""
    import numpy  # noqa: F401  threadpoolctl limits the libraries already loaded
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


WARM_UP_TEXT = """Orrin Valley flood: river rises two metres
PORT CALDER — The Orrin river rose two metres overnight, fire chief Ines Varga said on Monday.
"We are moving people out," she said.
About 1,400 residents of Fallow Creek left their homes, according to Calder State University."""


def warm_up_page() -> str:
    """:data:`WARM_UP_TEXT` as a small HTML page (headline, article paragraphs)."""
    title, *paragraphs = WARM_UP_TEXT.split("\n")
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def warm_worker(entities: str = "rules") -> None:
    """Run a small made-up page, as HTML and as text, through extraction, metrics and the entity
    reader, so that this process loads the models and dictionaries pages need before its first
    real page. Never raises: it only saves time."""
    raw = RawFile(Path("warm-up.html"), "warm-up.html", None)
    with _warming:
        if entities in _warmed:
            return  # this process, or the forkserver it forked from, has done it
        try:
            for content, is_html in ((warm_up_page(), True), (WARM_UP_TEXT, False)):
                article = extract_article(Page(raw, content, is_html, "utf-8", ""))
                record = ArticleRecord.from_article(article, article_metrics(article), PIPELINE_VERSION)
                read_entities([record.title or ""], [record.text], entities)
        except Exception:  # a real page that fails the same way is reported, with its reason, when processed
            return
        _warmed[entities] = os.getpid()


def warmed_in(entities: str) -> int | None:
    """The process that warmed this one up for the ``entities`` reader: this one, the forkserver it
    forked from, or None (not warmed up)."""
    return _warmed.get(entities)


def warm_process(entities: str = "rules") -> None:
    """Warm this process as a worker's start does (:func:`one_thread_per_library`, then
    :func:`warm_worker`): the pool's forkserver does it once, and every worker it forks starts with
    the models loaded instead of loading them itself. Never raises: it only saves time."""
    with contextlib.suppress(Exception):  # threadpoolctl failing: each worker limits its threads itself
        one_thread_per_library()
    warm_worker(entities)


def wait_for_warm_up() -> None:
    """Return once a warm-up running in this process (another thread's) has finished: pages processed
    here then use the models it loaded instead of loading them a second time."""
    with _warming:
        pass
