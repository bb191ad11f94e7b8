"""Who covered a story, when, and who did not: trusted dates, attention per day, blindspots.

- :func:`date_problem` — why an article's date cannot be used to say who reported first: in the
  future, before 1990, or not the date the page itself gives (a sidecar or feed date that
  disagrees by more than a day). Such dates stay in the tables, flagged.
- :func:`attention_table` — story × outlet × day: articles and words.
- :func:`blindspots_table` — per story, the followed outlets (outlets.yaml) that did not cover it
  and the leans that did not; per key point, the leans that reported it and the leans of the
  story's outlets that did not (a fact one side reports and the other omits).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from presslens.roster import Roster
from presslens.stories.features import EARLIEST_DATE
from presslens.table_registry import columns_of

ATTENTION_COLUMNS = columns_of("attention")
BLINDSPOT_COLUMNS = columns_of("blindspots")
DATE_AGREEMENT_DAYS = 1


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_problem(published, page_published=None, today: date | None = None) -> str | None:
    """Why ``published`` is not trusted for "first reported" (None when it is)."""
    if published is None or (isinstance(published, float) and pd.isna(published)):
        return None
    day = _day(published)
    if day is None:
        return f"not a date: {published!r}"
    today = today or date.today()
    if day > today + timedelta(days=1):
        return f"in the future ({day.isoformat()})"
    if day < EARLIEST_DATE:
        return f"before {EARLIEST_DATE.year} ({day.isoformat()})"
    page_day = _day(page_published) if isinstance(page_published, str) else None
    if page_day and (page_day.month, page_day.day) == (1, 1) and page_day != day:
        page_day = None  # a year the page names (its copyright line), read as January 1: no day to disagree with
    if page_day and abs((page_day - day).days) > DATE_AGREEMENT_DAYS:
        return f"the page itself says {page_day.isoformat()}"
    return None


def attention_table(articles: pd.DataFrame) -> pd.DataFrame:
    """story × outlet × day (trusted publication dates only) -> articles, words."""
    trusted = articles[articles["published_flag"].isna() & articles["published"].notna()].copy()
    if trusted.empty:
        return pd.DataFrame(columns=ATTENTION_COLUMNS)
    trusted["day"] = trusted["published"].astype(str).str[:10]
    grouped = trusted.groupby(["story", "outlet", "day"], sort=True).agg(
        articles=("article_id", "size"), words=("words", "sum")
    )
    out = grouped.reset_index()
    out["words"] = out["words"].fillna(0).astype(int)
    return out[ATTENTION_COLUMNS]


def first_reported(group: pd.DataFrame) -> tuple[str | None, str | None, str | None, int]:
    """(outlet, time) of the earliest trusted date, the latest trusted date, and how many dates were flagged."""
    trusted = group[group["published_flag"].isna() & group["published"].notna()]
    flagged = int(group["published_flag"].notna().sum())
    if trusted.empty:
        return None, None, None, flagged
    ordered = trusted.assign(_when=trusted["published"].astype(str)).sort_values(["_when", "outlet"], kind="stable")
    first = ordered.iloc[0]
    return str(first["outlet"]), str(first["published"]), str(ordered["_when"].iloc[-1]), flagged


def leans_of(group: pd.DataFrame) -> str | None:
    """ "left 2; right 1": the story's articles by the lean of their outlet (outlets.yaml)."""
    if "lean" not in group or group["lean"].isna().all():
        return None
    counts = group["lean"].dropna().value_counts().sort_index()
    return "; ".join(f"{lean} {n}" for lean, n in counts.items())


def blindspots_table(articles: pd.DataFrame, coverage: pd.DataFrame, roster: Roster) -> pd.DataFrame:
    """Story-level and fact-level blindspots (see the module docstring)."""
    rows = []
    lean_of = {o.name: o.lean for o in roster.outlets}
    for story, group in articles.groupby("story", sort=True):
        present = set(group["outlet"].astype(str))
        story_leans = {lean_of[o] for o in present if lean_of.get(o)}
        followed_leans = {o.lean for o in roster.followed() if o.lean}
        missing_outlets = sorted(o.name for o in roster.followed() if o.name not in present)
        rows.append(
            {
                "story": story,
                "level": "story",
                "key_point": None,
                "label": None,
                "leans_reporting": "; ".join(sorted(story_leans)) or None,
                "leans_missing": "; ".join(sorted(followed_leans - story_leans)) or None,
                "outlets_missing": "; ".join(missing_outlets) or None,
            }
        )
        if len(story_leans) < 2 or coverage.empty:
            continue
        mine = coverage[(coverage["story"] == story) & coverage["covered"].astype(bool)]
        for (kp, label), cells in mine.groupby(["key_point", "label"], sort=True):
            reporting = {lean_of[o] for o in cells["outlet"].astype(str) if lean_of.get(o)}
            if reporting and reporting != story_leans:
                rows.append(
                    {
                        "story": story,
                        "level": "key_point",
                        "key_point": kp,
                        "label": label,
                        "leans_reporting": "; ".join(sorted(reporting)),
                        "leans_missing": "; ".join(sorted(story_leans - reporting)),
                        "outlets_missing": None,
                    }
                )
    return pd.DataFrame(rows, columns=BLINDSPOT_COLUMNS)
