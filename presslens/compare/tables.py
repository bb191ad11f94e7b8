"""The tidy tables written to processed/: articles, outlets, errors."""

from __future__ import annotations

import pandas as pd

from presslens.metrics.readability import READABILITY

ARTICLE_COLUMNS = [
    "article_id",
    "story",
    "outlet",
    "url",
    "title",
    "published",
    "author",
    "dateline",
    "original_source",
    "language",
    "words",
    "sentences",
    "paragraphs",
    "reading_time_min",
    *READABILITY,
    "readability_note",
    "kind",
    "raw_path",
]
MEAN_COLUMNS = ["words", "sentences", "paragraphs", "reading_time_min", *READABILITY]
ERROR_COLUMNS = ["file", "stage", "reason", "article_id"]


def articles_table(records: list[dict]) -> pd.DataFrame:
    """One row per article, metadata then metrics."""
    rows = []
    for rec in records:
        row = {k: rec.get(k) for k in ARTICLE_COLUMNS}
        row.update({k: rec.get("metrics", {}).get(k) for k in ARTICLE_COLUMNS if k in rec.get("metrics", {})})
        rows.append(row)
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    for col in MEAN_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df.sort_values(["story", "outlet", "article_id"], kind="stable").reset_index(drop=True)


def outlets_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story x outlet: how many articles and their mean metrics."""
    if articles.empty:
        return pd.DataFrame(columns=["story", "outlet", "articles", *[f"mean_{c}" for c in MEAN_COLUMNS]])
    grouped = articles.groupby(["story", "outlet"], sort=True, dropna=False)
    out = grouped.size().rename("articles").to_frame()
    means = grouped[MEAN_COLUMNS].mean().round(2).add_prefix("mean_")
    return out.join(means).reset_index()


def errors_table(errors: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(errors, columns=ERROR_COLUMNS)
    return df.sort_values(["file", "stage"], kind="stable").reset_index(drop=True)
