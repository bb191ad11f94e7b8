"""Stories: the stories table, and which story a new page belongs to.

A new page joins the existing story whose articles it is most similar to (TF-IDF cosine of
content stems, best article of the story), when that similarity reaches STORY_SIMILARITY and
the dates are within DATE_WINDOW_DAYS (when both are known); otherwise it starts a new story
named after its title.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from presslens.compare.keypoints import similarity_matrix
from presslens.pages import slugify

STORY_SIMILARITY = 0.2
DATE_WINDOW_DAYS = 7
STORY_COLUMNS = [
    "story",
    "outlets",
    "outlet_list",
    "articles",
    "first_published",
    "last_published",
    "words",
    "key_point_similarity",  # the backend that matched the story's key points: lexical or semantic
]


def stories_table(articles: pd.DataFrame, key_point_similarity: str = "lexical") -> pd.DataFrame:
    rows = []
    for story, group in articles.groupby("story", sort=True):
        published = sorted(str(p)[:10] for p in group["published"].dropna() if str(p) != "nan")
        rows.append(
            {
                "story": story,
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


@dataclass
class StoryChoice:
    story: str
    score: float
    matched: str | None  # the existing story it joins, None for a new one
    candidates: list[tuple[str, float]]


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def assign_story(text: str, title: str | None, published: str | None, records: list[dict]) -> StoryChoice:
    """The story a new article belongs to, with the similarity that decided it."""
    new_day = _day(published) if published else None
    eligible = []
    for rec in records:
        day = _day(rec.get("published")) if rec.get("published") else None
        if new_day and day and abs((new_day - day).days) > DATE_WINDOW_DAYS:
            continue
        if rec.get("text"):
            eligible.append(rec)
    best: dict[str, float] = {}
    if eligible and text.strip():
        sim = similarity_matrix([text] + [r["text"] for r in eligible])[0, 1:]
        for rec, score in zip(eligible, sim, strict=True):
            best[rec["story"]] = max(best.get(rec["story"], 0.0), float(score))
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= STORY_SIMILARITY:
        return StoryChoice(ranked[0][0], round(ranked[0][1], 3), ranked[0][0], ranked[:5])
    slug = slugify(" ".join((title or text).split()[:8])) or "story"
    taken = {r["story"] for r in records}
    candidate, k = slug, 2
    while candidate in taken:
        candidate, k = f"{slug}-{k}", k + 1
    return StoryChoice(candidate, round(ranked[0][1], 3) if ranked else 0.0, None, ranked[:5])
