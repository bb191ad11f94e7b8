"""Stage 4 — metrics: numbers computed for one article (size, readability; more per issue)."""

from __future__ import annotations

from presslens.extract import Article
from presslens.metrics.readability import readability_metrics, size_metrics


def article_metrics(article: Article) -> dict:
    """All per-article metrics as a flat dict (None where a metric does not apply, with a note)."""
    text = article.text
    metrics: dict = size_metrics(text)
    scores, note = readability_metrics(text, article.extraction.language)
    metrics.update(scores)
    metrics["readability_note"] = note
    return metrics
