"""Coverage of a story's key points by each outlet: the matrix, leads, headlines, outlet stats.

``coverage`` rows: story, key_point, label, outlet, covered, first_position (0 = top of the
article, 1 = its end), sentences (indexes), in_headline, in_first_paragraph.
"""

from __future__ import annotations

import pandas as pd

from presslens.compare.keypoints import KeyPoint, KeyPointAnalysis

COVERAGE_COLUMNS = [
    "story",
    "key_point",
    "label",
    "outlet",
    "covered",
    "first_position",
    "sentences",
    "in_headline",
    "in_first_paragraph",
]
OUTLET_COVERAGE_COLUMNS = [
    "kp_covered",
    "kp_share",
    "kp_unique",
    "kp_omitted",
    "kp_mean_prominence",
    "words_per_kp",
    "lead_key_point",
]


def coverage_table(story: str, analysis: KeyPointAnalysis, outlet_of: dict[str, str]) -> pd.DataFrame:
    """One row per key point x outlet (``outlet_of``: the story's article ids -> outlet)."""
    outlets = sorted(set(outlet_of.values()))
    articles_of: dict[str, list[str]] = {}
    for article_id, outlet in sorted(outlet_of.items()):
        articles_of.setdefault(outlet, []).append(article_id)
    rows = []
    for kp in analysis.points:
        first_par = {u.outlet for u in kp.units if u.paragraph == 0}
        for outlet in outlets:
            covered = outlet in kp.covered_by
            mine = articles_of[outlet]
            rows.append(
                {
                    "story": story,
                    "key_point": kp.id,
                    "label": kp.label,
                    "outlet": outlet,
                    "covered": covered,
                    "first_position": kp.covered_by.get(outlet) if covered else None,
                    "sentences": evidence_text(kp, mine),
                    "in_headline": any(kp.id in analysis.headline_points.get(a, ()) for a in mine),
                    "in_first_paragraph": outlet in first_par,
                }
            )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def evidence_text(kp: KeyPoint, article_ids: list[str]) -> str:
    """The sentences of these articles that report ``kp``: "3 7", or "id:3 id:7" when there are several articles."""
    if len(article_ids) == 1:
        return " ".join(str(s) for s in sorted(kp.evidence.get(article_ids[0], ())))
    return " ".join(f"{a}:{s}" for a in article_ids for s in sorted(kp.evidence.get(a, ())))


def outlet_coverage(coverage: pd.DataFrame, words: dict[str, float], key_points: list[KeyPoint]) -> pd.DataFrame:
    """Per outlet: points covered, share, unique, omitted (all others have it), prominence, words per point."""
    if coverage.empty:
        return pd.DataFrame(columns=["story", "outlet", *OUTLET_COVERAGE_COLUMNS])
    story = coverage["story"].iloc[0]
    outlets = sorted(coverage["outlet"].unique())
    n_points = coverage["key_point"].nunique()
    # plain Python over the key points: this runs once per story, and pandas' per-call cost dominated it
    by_point = {kp.id: {o for o in kp.covered_by if o in outlets} for kp in key_points}
    first_units = {}
    for kp in key_points:
        for u in kp.units:
            if u.order == 0:
                first_units[u.outlet] = kp.id
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
                "lead_key_point": first_units.get(outlet),
            }
        )
    return pd.DataFrame(rows)
