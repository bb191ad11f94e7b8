"""The stories table: one row per story, with its title, outlets, size and dates."""

from __future__ import annotations

import pandas as pd

from presslens.compare.attention import first_reported, leans_of
from presslens.table_registry import columns_of

STORY_COLUMNS = columns_of("stories")


def coverage_rows(analysis, articles: pd.DataFrame) -> str:
    from presslens.compare.coverage import complete_coverage

    complete = complete_coverage(analysis, sorted(articles["outlet"].unique()))
    return "every outlet" if complete else "covering outlets only"


def stories_table(
    articles: pd.DataFrame,
    key_point_similarity: str = "lexical",
    titles: dict[str, str] | None = None,
    analyses: dict | None = None,
) -> pd.DataFrame:
    """One row per story; ``analyses`` are the stories' :class:`~presslens.compare.keypoints.KeyPointAnalysis`."""
    titles, analyses = titles or {}, analyses or {}
    rows = []
    for story, group in articles.groupby("story", sort=True):
        analysis = analyses.get(story)
        first_outlet, first_at, last_update, flagged = first_reported(group)
        published = sorted(str(p)[:10] for p in group["published"].dropna() if str(p) != "nan")
        rows.append(
            {
                "story": story,
                "title": titles.get(story) or None,
                "outlets": group["outlet"].nunique(),
                "outlet_list": "; ".join(sorted(group["outlet"].unique())),
                "articles": len(group),
                "first_published": published[0] if published else None,
                "last_published": published[-1] if published else None,
                "first_reported_outlet": first_outlet,
                "first_reported_at": first_at,
                "last_update": last_update,
                "dates_flagged": flagged,
                "leans": leans_of(group),
                "words": int(group["words"].fillna(0).sum()),
                "key_point_similarity": key_point_similarity,
                "key_points": len(analysis.points) if analysis else None,
                "kp_units": analysis.units if analysis else None,
                "kp_articles_truncated": analysis.truncated_articles if analysis else None,
                "kp_units_capped": analysis.capped_units if analysis else None,
                "coverage_rows": coverage_rows(analysis, group) if analysis else None,
            }
        )
    return pd.DataFrame(rows, columns=STORY_COLUMNS)
