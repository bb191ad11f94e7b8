"""The stories table: one row per story, with its title, outlets, size and dates."""

from __future__ import annotations

import pandas as pd

STORY_COLUMNS = [
    "story",
    "title",  # the story's most central headline (or the title stories.yaml gives it)
    "outlets",
    "outlet_list",
    "articles",
    "first_published",
    "last_published",
    "words",
    "key_point_similarity",  # the backend that matched the story's key points: lexical or semantic
]


def stories_table(
    articles: pd.DataFrame, key_point_similarity: str = "lexical", titles: dict[str, str] | None = None
) -> pd.DataFrame:
    titles = titles or {}
    rows = []
    for story, group in articles.groupby("story", sort=True):
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
                "words": int(group["words"].fillna(0).sum()),
                "key_point_similarity": key_point_similarity,
            }
        )
    return pd.DataFrame(rows, columns=STORY_COLUMNS)
