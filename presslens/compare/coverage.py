"""Coverage of a story's key points by each outlet: the matrix, leads, headlines, outlet stats.

``coverage`` rows: story, key_point, label, outlet, covered, first_position (0 = top of the
article, 1 = its end), sentences (indexes), in_headline, in_first_paragraph, nearest (for an
outlet that does not cover the point: the similarity of its closest sentence that could state
the same fact; an outlet close to a point it does not cover is neither "reports" nor "left out"),
published_before (for an outlet that does not cover the point: all its articles came out before
every article that reports it, and the point names no day on or before then — it may have
happened after; "published before", not "left out").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from presslens.compare.keypoints import KeyPoint, KeyPointAnalysis
from presslens.compare.tables import column_values
from presslens.table_registry import columns_of

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_DAY = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")[a-z]*\.?\s+(\d{1,2})\b(?:(?:st|nd|rd|th)?,?\s+(\d{4})\b)?", re.I
)
_YEAR = re.compile(r"(?<![\d$£€.,:/-])\b(1[89]\d\d|20\d\d)\b(?![.,:/-]?\d)")  # not in $1,979 or 2005-06
_LAST_YEAR = re.compile(r"\blast year\b", re.I)

COVERAGE_COLUMNS = columns_of("coverage")
OUTLET_COVERAGE_COLUMNS = [
    "kp_covered",
    "kp_share",
    "kp_unique",
    "kp_omitted",
    "kp_mean_prominence",
    "words_per_kp",
    "lead_key_point",
]


MAX_COVERAGE_CELLS = 200_000  # key points x outlets above which only the covering outlets get rows


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def days_named(text: str, written: date) -> list[date]:
    """The days a sentence written on ``written`` names: a weekday is the last one on or before it
    ("Sunday" in a Monday article), "Feb. 15" that day of its year ("Jan. 1, 2019" that day of 2019); an earlier
    year ("in 1979", "a 2005 tape", "last year") its last day: what happened then is no news an earlier article could
    not have had."""
    month_days = _MONTH_DAY.findall(text)
    dated = {year for _month, _day, year in month_days if year}  # "Jan. 1, 2019": that day, not the whole year
    found = [date(int(year), 12, 31) for year in _YEAR.findall(text) if int(year) < written.year and year not in dated]
    if _LAST_YEAR.search(text):
        found.append(date(written.year - 1, 12, 31))
    for name in _WEEKDAY.findall(text):
        back = (written.weekday() - _WEEKDAYS.index(name.lower())) % 7
        found.append(written - timedelta(days=back))
    for month, day, year in month_days:
        try:
            found.append(date(int(year or written.year), _MONTHS.index(month[:3].lower()) + 1, int(day)))
        except ValueError:
            continue
    return found


def published_before(kp: KeyPoint, published: dict[str, date | None]) -> Callable[[date | None], bool]:
    """A test of an outlet not covering ``kp``, given the day of its last article (None: it has an article
    of unknown date, or none): whether it published every article before every covering article came out,
    and the point names no day on or before its last one: it could not have reported it. The point's own
    days are read once for all the outlets not covering it."""
    covering = [published.get(u.article_id) for u in kp.units]
    if not covering or None in covering:
        return lambda last: False
    first = min(covering)
    earliest: list[date | None] = []  # the earliest day the point's units name, once needed

    def test(last: date | None) -> bool:
        if last is None or first <= last:
            return False
        if not earliest:
            named = [
                day
                for unit in kp.units
                if (written := published.get(unit.article_id))
                for day in days_named(unit.text, written)
            ]
            earliest.append(min(named) if named else None)
        return earliest[0] is None or not earliest[0] <= last

    return test


def coverage_table(
    story: str, analysis: KeyPointAnalysis, outlet_of: dict[str, str], published: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per key point x outlet (``outlet_of``: the story's article ids -> outlet).

    ``sentences`` are the outlet's sentences that report the point, the strongest evidence first, each
    ``article_id:index`` (a list: one format whatever the number of the outlet's articles).

    In a story so big that this would pass MAX_COVERAGE_CELLS rows, a key point has rows only for
    the outlets that cover it (a missing row is an outlet that does not); :func:`complete_coverage`
    tells which form a story got, and the stories table says so.
    """
    outlets = sorted(set(outlet_of.values()))
    days = {a: _day(v) for a, v in (published or {}).items()}
    days_of: dict[str, list[date | None]] = {outlet: [] for outlet in outlets}
    for article_id, outlet in outlet_of.items():
        days_of[outlet].append(days.get(article_id))
    complete = complete_coverage(analysis, outlets)
    in_headline: dict[str, set[str]] = {}
    for article_id, ids in analysis.headline_points.items():
        in_headline.setdefault(outlet_of[article_id], set()).update(ids)
    last_day = {o: max(d) if d and None not in d else None for o, d in days_of.items()}
    rows = []
    for kp in analysis.points:
        before = published_before(kp, days)
        first_par = {u.outlet for u in kp.units if u.paragraph == 0}
        cited: dict[str, list[tuple[float, str, int]]] = {}
        for article_id, sentences in kp.evidence.items():
            for index, strength in sentences.items():
                cited.setdefault(outlet_of[article_id], []).append((-strength, article_id, index))
        evidence = {outlet: [f"{a}:{i}" for _s, a, i in sorted(cells)] for outlet, cells in cited.items()}
        for outlet in outlets:
            covered = outlet in kp.covered_by
            if not covered and not complete:
                continue
            rows.append(
                {
                    "story": story,
                    "key_point": kp.id,
                    "label": kp.label,
                    "outlet": outlet,
                    "covered": covered,
                    "first_position": kp.covered_by.get(outlet) if covered else None,
                    "sentences": evidence.get(outlet, []),
                    "in_headline": kp.id in in_headline.get(outlet, set()),
                    "in_first_paragraph": outlet in first_par,
                    "nearest": None if covered else kp.nearest.get(outlet, 0.0),
                    "published_before": False if covered else before(last_day[outlet]),
                    "clause": kp.clause or kp.label,
                }
            )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def complete_coverage(analysis: KeyPointAnalysis, outlets: list[str]) -> bool:
    """Whether the story's coverage table lists every outlet for every key point (see coverage_table)."""
    return len(analysis.points) * len(outlets) <= MAX_COVERAGE_CELLS


def _cites_first_sentence(cited) -> bool:
    """Whether a coverage row's strongest evidence (its first ``article_id:index``) is an article's first sentence."""
    if cited is None or isinstance(cited, float) or not len(cited):
        return False
    return str(cited[0]).rpartition(":")[2] == "0"


def outlet_coverage(coverage: pd.DataFrame, words: dict[str, float], key_points: list[KeyPoint]) -> pd.DataFrame:
    """Per outlet: points covered, share, unique, omitted (all others have it), prominence, words per point."""
    if coverage.empty:
        return pd.DataFrame(columns=["story", "outlet", *OUTLET_COVERAGE_COLUMNS])
    story = coverage["story"].iloc[0]
    outlets = sorted(coverage["outlet"].unique())
    n_points = coverage["key_point"].nunique()
    # plain Python over the key points: this runs once per story, and pandas' per-call cost dominated it
    by_point = {kp.id: {o for o in kp.covered_by if o in outlets} for kp in key_points}
    lead_points = {}
    for kp in key_points:
        for u in kp.units:
            if u.order == 0:
                lead_points[u.outlet] = kp.id
    # an outlet's lead reports several points (one per clause): name the one most outlets report, of those whose
    # strongest evidence is its first sentence ("Trump declared a national emergency …" is NYT's lead and every
    # outlet's point, though its first clause alone is a point of two)
    rank = {kp.id: k for k, kp in enumerate(key_points)}
    lead_of: dict[str, tuple[int, bool, int, str]] = {}
    for kp_id, outlet, cited in zip(
        column_values(coverage["key_point"]),
        column_values(coverage["outlet"].astype(str)),
        column_values(coverage["sentences"]),
        strict=True,
    ):
        if kp_id not in by_point or outlet not in by_point[kp_id] or not _cites_first_sentence(cited):
            continue
        key = (len(by_point[kp_id]), lead_points.get(outlet) == kp_id, -rank[kp_id], kp_id)
        if outlet not in lead_of or key > lead_of[outlet]:
            lead_of[outlet] = key
    lead_points.update({outlet: key[-1] for outlet, key in lead_of.items()})
    rows = []
    for outlet in outlets:
        mine = {kp_id for kp_id, who in by_point.items() if outlet in who}
        unique = sum(1 for kp_id in mine if by_point[kp_id] == {outlet})
        others = set(outlets) - {outlet}
        omitted = sum(1 for who in by_point.values() if others and others <= who and outlet not in who)
        shared = [
            1 - float(kp.covered_by[outlet] or 0)
            for kp in key_points
            if outlet in by_point[kp.id] and len(by_point[kp.id]) > 1
        ]
        prominence = sum(shared) / len(shared) if shared else None
        rows.append(
            {
                "story": story,
                "outlet": outlet,
                "kp_covered": len(mine),
                "kp_share": round(len(mine) / n_points, 4) if n_points else None,
                "kp_unique": unique,
                "kp_omitted": omitted,
                "kp_mean_prominence": round(prominence, 4) if prominence is not None else None,
                "words_per_kp": round(words.get(outlet, 0) / len(mine), 1) if mine else None,
                "lead_key_point": lead_points.get(outlet),
            }
        )
    return pd.DataFrame(rows)
