"""CPU per page by stage: where presslens's per-page time goes, beside bare trafilatura.

``presslens bench scale --profile`` processes each corpus in this one process (no pool, so
process CPU time is the page's own) with the library's stage functions wrapped by exclusive
clocks: a stage's time excludes the stages it calls (trafilatura inside HTML cleaning is
trafilatura's, not cleaning's). Corpora: the Zyte HTML pages, the same pages as plain-text
dumps, and BASIL's articles rendered into a made-up site's HTML (:mod:`benchmarks.scale_corpus`).
Then the corpus is grouped into stories and its tables built, timed the same way.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import importlib
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

# (label, module, attribute): each is wrapped while profiling; nested calls are charged to the innermost
STAGES: tuple[tuple[str, str, str], ...] = (
    ("decode (read, gunzip, charset)", "presslens.processing", "read_page"),
    ("render HTML to lines", "presslens.clean.html", "render_lines"),
    ("trafilatura", "presslens.clean.html", "trafilatura_document"),
    ("line rules and scores", "presslens.clean.table.PageLines", "__post_init__"),
    ("line features (text)", "presslens.clean.html", "page_features"),
    ("line features (text)", "presslens.clean.plain_text", "page_features"),
    ("line features (DOM)", "presslens.clean.html", "dom_features"),
    ("line model", "presslens.clean.line_model.TwoPassLineModel", "predict_page"),
    ("body selection", "presslens.clean.html", "choose_body"),
    ("body selection", "presslens.clean.plain_text", "select_body"),
    ("removal rules, header, audit", "presslens.clean.html", "clean_lines"),
    ("removal rules, header, audit", "presslens.clean.plain_text", "clean_lines"),
    ("removal rules, header, audit", "presslens.clean.html", "page_verdicts"),
    ("cleaning, other", "presslens.extract", "clean_html"),
    ("cleaning, other", "presslens.extract", "clean_text"),
    ("metadata, outlet, language", "presslens.processing", "extract_article"),
    ("metrics: size, readability", "presslens.metrics", "size_metrics"),
    ("metrics: size, readability", "presslens.metrics", "readability_metrics"),
    ("metrics: sentences", "presslens.metrics", "split_sentences"),
    ("metrics: frames", "presslens.metrics", "classify_sentence"),
    ("metrics: tone", "presslens.metrics", "sentence_tone"),
    ("metrics: sourcing", "presslens.metrics", "analyse_sourcing"),
    ("metrics: other", "presslens.processing", "article_metrics"),
    ("names (entity reader)", "presslens.processing", "read_entities"),
    ("grouping features", "presslens.processing", "event_features"),
    ("write record and state", "presslens.store.Store", "save_article"),
    ("write record and state", "presslens.store.Store", "save_state"),
    ("page, other", "presslens.processing", "process_pages_together"),
    ("stories: grouping", "presslens.building", "group_stories"),
    ("tables: key points", "presslens.compare.story_tables", "key_point_analysis"),
    ("tables: entities (from the records)", "presslens.compare.story_tables", "entities_table"),
    ("tables: terms", "presslens.compare.story_tables", "distinctive_terms"),
    ("tables: actor labels", "presslens.compare.story_tables", "actor_labels"),
    ("tables: reports", "presslens.building", "write_story_report"),
    ("tables: reports", "presslens.building", "write_index"),
    ("tables: write CSV and Parquet", "presslens.building", "write_table"),
    ("tables: write CSV and Parquet", "presslens.building", "write_shard"),
    ("tables: read the records", "presslens.store.Store", "load_article"),
    ("tables: coverage rows", "presslens.compare.story_tables", "coverage_table"),
    ("tables: articles, outlets, sentences, measures", "presslens.compare.story_tables", "articles_table"),
    ("tables: articles, outlets, sentences, measures", "presslens.compare.story_tables", "outlets_table"),
    ("tables: articles, outlets, sentences, measures", "presslens.compare.story_tables", "sentences_table"),
    ("tables: articles, outlets, sentences, measures", "presslens.compare.story_tables", "measures_table"),
    ("tables: stories, attention, blindspots, copies", "presslens.compare.story_tables", "stories_table"),
    ("tables: stories, attention, blindspots, copies", "presslens.compare.story_tables", "attention_table"),
    ("tables: stories, attention, blindspots, copies", "presslens.compare.story_tables", "blindspots_table"),
    ("tables: stories, attention, blindspots, copies", "presslens.compare.story_tables", "find_copies"),
    ("tables: other", "presslens.building", "build_tables"),
)


class ExclusiveClock:
    """CPU seconds per label, each call's time less the time of the wrapped calls inside it."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.stack: list[list[float]] = []  # [start, time of wrapped calls inside]

    def wrap(self, label: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self.stack.append([time.process_time(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                start, inner = self.stack.pop()
                elapsed = time.process_time() - start
                self.seconds[label] += elapsed - inner
                if self.stack:
                    self.stack[-1][1] += elapsed

        return timed


@contextlib.contextmanager
def profiled(clock: ExclusiveClock) -> Iterator[None]:
    """The stage functions wrapped by ``clock`` for the duration, restored after."""
    saved = []
    for label, where, name in STAGES:
        owner = _resolve(where)
        original = getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, clock.wrap(label, original))
    try:
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


def _resolve(dotted: str):
    """A module, or a class inside one ("presslens.store.Store")."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def corpora(shared: Path, work: Path, basil_pages: int) -> dict[str, Path]:
    """raw/ folders of the three corpora, every page unsorted (the run groups them), with sidecars."""
    import json

    from benchmarks.scale_corpus import _with_edition, base_pages

    sources = base_pages(shared)
    out = {}
    for name, key, limit in (
        ("Zyte HTML", "html-dev", None),
        ("Zyte text", "text-dev", None),
        ("BASIL HTML", "basil-html", basil_pages),
    ):
        raw = work / name.replace(" ", "-")
        (raw / "unsorted").mkdir(parents=True)
        for page in sources[key][:limit]:
            data = _with_edition(page, "edition 1") if page.templated else page.content
            filename = page.name.removesuffix(".gz")
            if page.name.endswith(".gz"):
                data = gzip.decompress(data)
            (raw / "unsorted" / filename).write_bytes(data)
            if page.sidecar:
                sidecar = {k: v for k, v in page.sidecar.items() if v}
                (raw / "unsorted" / f"{filename}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
        out[name] = raw
    return out


def bare_trafilatura_cpu(raw: Path) -> float:
    """CPU seconds of trafilatura.extract (defaults) over every page of ``raw``, this process."""
    import trafilatura

    pages = [p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file() and not p.name.endswith(".meta.json")]
    for data in pages[:3]:
        trafilatura.extract(data)
    start = time.process_time()
    for data in pages:
        trafilatura.extract(data)
    return time.process_time() - start


def profile_corpus(raw: Path, out: Path, entities: str) -> tuple[int, Counter, float, float]:
    """(pages, CPU seconds per stage, total CPU, warm-up CPU) of processing ``raw`` and building its
    tables. The process first starts as a page worker does (one thread per BLAS library, models and
    dictionaries loaded once), so no stage carries a one-off load spread over these few pages."""
    from presslens import building
    from presslens.pipeline import Steps, process_batches, run_pipeline
    from presslens.processing import plan_run
    from presslens.workers import start_worker

    warm_start = time.process_time()
    start_worker(entities)
    warm = time.process_time() - warm_start

    clock = ExclusiveClock()
    steps = Steps(  # looked up at call time, so the wrapped step functions are the ones called
        plan=plan_run,
        process=process_batches,
        group=lambda *args: building.group_stories(*args),
        build=lambda *args: building.build_tables(*args),
    )
    start = time.process_time()
    with profiled(clock):
        summary = run_pipeline(raw, out, steps=steps, workers=1, entities=entities)
    return summary.processed, clock.seconds, time.process_time() - start, warm


def _profile_in_child(raw: str, out: str, entities: str) -> tuple[int, dict, float, float, float]:
    n, stages, total, warm = profile_corpus(Path(raw), Path(out), entities)
    return n, dict(stages), total, bare_trafilatura_cpu(Path(raw)), warm


def run_profile(shared: str | Path, basil_pages: int = 102, entities: str = "rules") -> str:
    """Each corpus profiled in a fresh process: no cache (textstat's, the line model's) carries over."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shared = Path(shared)
    lines = [
        f"CPU per page by stage (ms; one process per corpus; entity reader: {entities}; "
        "each stage's time excludes the stages it calls)"
    ]
    results = {}
    with tempfile.TemporaryDirectory(prefix="presslens-profile-") as tmp:
        work = Path(tmp)
        for name, raw in corpora(shared, work, basil_pages).items():
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                n, stages, total, bare, warm = pool.submit(
                    _profile_in_child, str(raw), str(work / f"{raw.name}-out"), entities
                ).result()
            results[name] = (n, Counter(stages), total, bare, warm)
    labels = list(dict.fromkeys(label for label, _w, _n in STAGES))
    names = list(results)
    lines.append("| stage | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for label in labels:
        cells = [f"{1000 * results[c][1][label] / max(1, results[c][0]):.1f}" for c in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, pick in (
        ("**all (CPU per page)**", lambda r: r[2] / max(1, r[0])),
        ("outside the stages (imports, glue)", lambda r: (r[2] - sum(r[1].values())) / max(1, r[0])),
        ("bare trafilatura.extract, defaults", lambda r: r[3] / max(1, r[0])),
    ):
        lines.append(f"| {label} | " + " | ".join(f"{1000 * pick(results[c]):.1f}" for c in names) + " |")
    lines.append("| pages | " + " | ".join(str(results[c][0]) for c in names) + " |")
    warm = " | ".join(f"{results[c][4]:.2f} s" for c in names)
    lines.append(f"| warm-up before the pages, once per process (not per page) | {warm} |")
    return "\n".join(lines)
