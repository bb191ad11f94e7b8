"""Syndicated and duplicate copies: the same text published by two sites.

Two articles are copies when most of the shorter one's word 5-grams appear in the other
(containment >= COPY_CONTAINMENT; wire stories keep that even with a changed headline or a
trimmed ending). The original is the article whose outlet the other names as its source,
else the earlier published, else the longer one.
"""

from __future__ import annotations

import pandas as pd

from presslens.compare.tables import column_rows
from presslens.text import shingle_set

COPY_CONTAINMENT = 0.6


def find_copies(articles: pd.DataFrame, texts: dict[str, str]) -> dict[str, tuple[str, float]]:
    """article_id of a copy -> (article_id of its original, containment)."""
    copies: dict[str, tuple[str, float]] = {}
    for _story, group in articles.groupby("story"):
        rows = column_rows(group, ["article_id", "outlet", "original_source", "published"])
        shingles = {r.article_id: shingle_set(texts.get(r.article_id, "")) for r in rows}
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if a.outlet == b.outlet:
                    continue
                sa, sb = shingles[a.article_id], shingles[b.article_id]
                if not sa or not sb:
                    continue
                containment = len(sa & sb) / min(len(sa), len(sb))
                if containment < COPY_CONTAINMENT:
                    continue
                original, copy = _order(a, b, len(sa), len(sb))
                if copy.article_id not in copies or copies[copy.article_id][1] < containment:
                    copies[copy.article_id] = (original.article_id, round(containment, 3))
    return copies


def _order(a, b, len_a: int, len_b: int):
    if getattr(b, "original_source", None) == a.outlet:
        return a, b
    if getattr(a, "original_source", None) == b.outlet:
        return b, a
    pa, pb = str(a.published or ""), str(b.published or "")
    if pa and pb and pa != pb and pa != "nan" and pb != "nan":
        return (a, b) if pa < pb else (b, a)
    return (a, b) if len_a >= len_b else (b, a)
