"""The tidy tables written to processed/: articles, outlets, sentences, measures, errors."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

import pandas as pd

from presslens.metrics import NUMERIC_MEASURES
from presslens.metrics.frames import FRAMES, frame_shares, primary_frame
from presslens.metrics.readability import READABILITY
from presslens.record import ArticleRecord
from presslens.table_registry import columns_of

SIZE = ["words", "sentences", "paragraphs", "reading_time_min"]
ARTICLE_COLUMNS = [c for c in columns_of("articles") if c not in ("copy_of", "copy_containment")]  # from the record
MEAN_COLUMNS = [*SIZE, *READABILITY, *NUMERIC_MEASURES]
ERROR_COLUMNS = columns_of("errors")
SENTENCE_COLUMNS = columns_of("sentences")
MEASURE_COLUMNS = columns_of("measures")


def articles_table(records: list[ArticleRecord]) -> pd.DataFrame:
    """One row per article, metadata then metrics."""
    rows = []
    for rec in records:
        rows.append({k: rec.get(k) for k in ARTICLE_COLUMNS})  # a metric, else the record's field
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    for col in MEAN_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df.sort_values(["story", "outlet", "article_id"], kind="stable").reset_index(drop=True)


def column_rows(df: pd.DataFrame, columns: Iterable[str] | None = None) -> list[SimpleNamespace]:
    """Rows as attribute records over ``columns`` (default: all).

    ``DataFrame.itertuples`` and ``to_dict("records")`` index every column once per call; on the
    wide article table that made them the slowest part of building a story. Missing values stay NaN.
    """
    cols = list(df.columns if columns is None else columns)
    columns_data = [df[c].tolist() for c in cols]
    return [SimpleNamespace(**dict(zip(cols, values, strict=True))) for values in zip(*columns_data, strict=True)]


def column_values(series: pd.Series) -> list:
    """A column's values as iterating it gives them (nulls as its dtype's missing value), read at once:
    iterating a pyarrow-backed column reads one value at a time, several times slower."""
    from pandas.arrays import ArrowExtensionArray

    if isinstance(series.array, ArrowExtensionArray):
        return series.to_numpy(dtype=object).tolist()
    return series.tolist()


def sentences_table(records: list[ArticleRecord]) -> pd.DataFrame:
    """One row per sentence (headline included, index -1) with its frame and tone."""
    rows = [
        {"article_id": rec.article_id, "story": rec.story, "outlet": rec.outlet, **s}
        for rec in records
        for s in rec.sentences
    ]
    return pd.DataFrame(rows, columns=[c for c in SENTENCE_COLUMNS if c != "key_points"])


def outlets_table(articles: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per story x outlet: how many articles, their mean metrics, the outlet's primary frame."""
    base = ["story", "outlet", "articles", "primary_frame", *[f"mean_{c}" for c in MEAN_COLUMNS]]
    if articles.empty:
        return pd.DataFrame(columns=base)
    grouped = articles.groupby(["story", "outlet"], sort=True, dropna=False)
    out = grouped.size().rename("articles").to_frame()
    means = grouped[MEAN_COLUMNS].mean().round(4).add_prefix("mean_")
    out = out.join(means).reset_index()
    out.insert(3, "primary_frame", None)
    if sentences is not None and not sentences.empty:
        body = sentences[~sentences["is_headline"].astype(bool)]
        primary = body.groupby(["story", "outlet"])["frame"].agg(lambda s: primary_frame(list(s)))
        out["primary_frame"] = [primary.get(key) for key in zip(out["story"], out["outlet"], strict=True)]
    return out


def measures_table(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Long format: level (article or outlet) x measure, with frame shares as ``frame_share:<frame>``."""
    rows = []
    for row in column_rows(articles, ["story", "outlet", "article_id", *NUMERIC_MEASURES]):
        for measure in NUMERIC_MEASURES:
            value = getattr(row, measure)
            if pd.notna(value):
                rows.append(("article", row.story, row.outlet, row.article_id, measure, float(value)))
    body = sentences[~sentences["is_headline"].astype(bool)] if not sentences.empty else sentences
    if not body.empty:
        for aid, group in body.groupby("article_id"):
            story, outlet = group["story"].iloc[0], group["outlet"].iloc[0]
            for frame, share in frame_shares(list(group["frame"])).items():
                rows.append(("article", story, outlet, aid, f"frame_share:{frame}", share))
        for (story, outlet), group in body.groupby(["story", "outlet"]):
            for frame, share in frame_shares(list(group["frame"])).items():
                rows.append(("outlet", story, outlet, None, f"frame_share:{frame}", share))
    if not articles.empty:
        means = articles.groupby(["story", "outlet"])[list(NUMERIC_MEASURES)].mean()
        for (story, outlet), values in means.iterrows():
            for measure, value in values.items():
                if pd.notna(value):
                    rows.append(("outlet", story, outlet, None, measure, round(float(value), 4)))
    df = pd.DataFrame(rows, columns=MEASURE_COLUMNS)
    order = {f"frame_share:{f}": i for i, f in enumerate(FRAMES)}
    df["_order"] = df["measure"].map(lambda m: order.get(m, -1))
    return (
        df.sort_values(
            ["level", "story", "outlet", "article_id", "_order", "measure"], kind="stable", na_position="first"
        )
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def labelling_text(record: ArticleRecord) -> str:
    """Headline, captions and body: everything in which the outlet itself names the actors."""
    captions = [r["text"] for r in record.removed if r.get("reason") == "caption"]
    return "\n".join([record.title or "", *captions, record.text])


def errors_table(errors: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(errors, columns=ERROR_COLUMNS)
    return df.sort_values(["file", "stage"], kind="stable").reset_index(drop=True)
