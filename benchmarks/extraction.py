"""Extraction benchmark with the Zyte article-extraction benchmark's own metric.

Tokens are the matches of ``\\w+`` (Unicode, case kept); a text is the multiset of its word
4-grams (fewer than 4 tokens: one shingle); per page precision = matched / predicted and
recall = matched / true; precision is averaged over pages with a non-empty prediction,
recall over all pages; F1 is the harmonic mean of the two averages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.zyte import page_scores


@dataclass
class PageResult:
    page_id: str
    url: str
    language: str | None
    precision: float | None
    recall: float

    @property
    def f1(self) -> float:
        p = self.precision or 0.0
        return 2 * p * self.recall / (p + self.recall) if p + self.recall else 0.0


@dataclass
class BenchResult:
    name: str
    pages: list[PageResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        ps = [p.precision for p in self.pages if p.precision is not None]
        return sum(ps) / len(ps) if ps else 0.0

    @property
    def recall(self) -> float:
        return sum(p.recall for p in self.pages) / len(self.pages) if self.pages else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def pages_per_second(self) -> float:
        return len(self.pages) / self.seconds if self.seconds else 0.0

    def by_language(self) -> dict[str, BenchResult]:
        groups: dict[str, BenchResult] = {}
        for page in self.pages:
            groups.setdefault(page.language or "?", BenchResult(self.name)).pages.append(page)
        return groups

    def summary(self) -> str:
        if self.pages_per_second > 1e5:  # a baseline that does no work has no meaningful rate
            return (
                f"{self.name:<28} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"({len(self.pages)} pages)"
            )
        return (
            f"{self.name:<28} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"{self.pages_per_second:7.1f} pages/s  ({len(self.pages)} pages)"
        )


def _language(text: str) -> str | None:
    from presslens.extract import detect_language

    return detect_language(text)[0]


def run(name: str, extract: Callable[[str, str], str], dataset: list[tuple[str, str, dict]]) -> BenchResult:
    outputs = []
    start = time.perf_counter()
    for _page_id, content, truth in dataset:
        outputs.append(extract(content, truth.get("url")) or "")
    return score(name, dataset, outputs, time.perf_counter() - start)


CV_REPEATS = 3  # fold splits averaged: one split of 102 pages moves F1 by about ±0.003


def cross_validated(
    name: str, dataset: list[tuple[str, str, dict]], kind: str, folds: int = 5, repeats: int = CV_REPEATS
) -> BenchResult:
    """presslens with a line model trained on the other folds only: its score on unseen pages.

    Repeated with ``repeats`` different fold splits; each page's precision and recall are its
    means over the repeats, so every page still counts once.
    """

    from benchmarks.train_lines import SECOND_PASS, fold_models, training_matrix
    from presslens.clean.features import FEATURE_NAMES
    from presslens.clean.html import HTML_FEATURE_NAMES
    from presslens.extract import extract_text

    names = FEATURE_NAMES if kind == "text" else HTML_FEATURE_NAMES
    pages, ys = training_matrix(dataset, kind)
    runs: list[BenchResult] = []
    for split in range(repeats):
        outputs: list[str] = [""] * len(dataset)
        seconds = 0.0
        for held, model in fold_models(pages, ys, folds, names, split_seed=split, combine=SECOND_PASS.get(kind)):
            start = time.perf_counter()
            for i in held:
                _page_id, content, truth = dataset[i]
                outputs[i] = extract_text(content, url=truth.get("url"), line_model=model).text
            seconds += time.perf_counter() - start
        runs.append(score(name, dataset, outputs, seconds))
    result = BenchResult(name, seconds=sum(r.seconds for r in runs) / len(runs))
    for per_run in zip(*(r.pages for r in runs), strict=True):
        precisions = [p.precision for p in per_run if p.precision is not None]
        first = per_run[0]
        result.pages.append(
            PageResult(
                first.page_id,
                first.url,
                first.language,
                sum(precisions) / len(precisions) if precisions else None,
                sum(p.recall for p in per_run) / len(per_run),
            )
        )
    return result


def score(name: str, dataset: list[tuple[str, str, dict]], outputs: list[str], seconds: float) -> BenchResult:
    result = BenchResult(name, seconds=seconds)
    for (page_id, _content, truth), predicted in zip(dataset, outputs, strict=True):
        precision, recall = page_scores(predicted, truth.get("articleBody", ""))
        result.pages.append(
            PageResult(page_id, truth.get("url", ""), _language(truth.get("articleBody", "")), precision, recall)
        )
    return result


def whole_page(content: str, url: str | None) -> str:
    """Baseline: the page's whole text, as captured."""
    return content


def presslens_extract(content: str, url: str | None) -> str:
    from presslens.extract import extract_text

    return extract_text(content, url=url).text


def trafilatura_extract(content: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(content, url=url, favor_precision=True, include_comments=False) or ""


def report(results: list[BenchResult], worst: int = 10) -> str:
    lines = [r.summary() for r in results]
    main = results[0]
    lines.append(
        f"per language ({main.name}): "
        + ", ".join(f"{lang} F1 {r.f1:.3f} (n={len(r.pages)})" for lang, r in sorted(main.by_language().items()))
    )
    lines.append(f"worst {worst} pages ({main.name}):")
    for page in sorted(main.pages, key=lambda p: p.f1)[:worst]:
        p = "-" if page.precision is None else f"{page.precision:.2f}"
        lines.append(f"  F1 {page.f1:.3f}  P {p}  R {page.recall:.2f}  {page.page_id[:12]}  {page.url}")
    return "\n".join(lines)
