"""Coverage of a story's key points by each outlet: the matrix, leads, headlines, outlet stats.

``coverage`` rows: story, key_point, label, outlet, covered, first_position (0 = top of the
article, 1 = its end), sentences (indexes), in_headline, in_first_paragraph.
"""

from __future__ import annotations

import pandas as pd

from presslens.compare.keypoints import KeyPoint, similarity_matrix

HEADLINE_SIMILARITY = 0.15  # headlines are short and worded apart from the body: a lower bar
HEADLINE_NEAR_BEST = 0.8  # and only the key points nearly as close as the closest one

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


def headline_points(key_points: list[KeyPoint], headlines: dict[str, str]) -> dict[str, set[str]]:
    """Key points each outlet's headline reports (similar enough to one of the key point's units)."""
    out: dict[str, set[str]] = {outlet: set() for outlet in headlines}
    if not key_points:
        return out
    unit_texts = [u.text for kp in key_points for u in kp.units]
    owners = [kp.id for kp in key_points for _u in kp.units]
    outlets = [o for o, h in headlines.items() if h]
    sim = similarity_matrix(unit_texts + [headlines[o] for o in outlets])
    for k, outlet in enumerate(outlets):
        row = sim[len(unit_texts) + k, : len(unit_texts)]
        bar = max(HEADLINE_SIMILARITY, HEADLINE_NEAR_BEST * float(row.max()))
        for i, score in enumerate(row):
            if score >= bar:
                out[outlet].add(owners[i])
    return out


def coverage_table(
    story: str, key_points: list[KeyPoint], outlets: list[str], headlines: dict[str, str]
) -> pd.DataFrame:
    in_headline = headline_points(key_points, headlines)
    rows = []
    for kp in key_points:
        first_par = {u.outlet for u in kp.units if u.paragraph == 0}
        for outlet in outlets:
            covered = outlet in kp.covered_by
            rows.append(
                {
                    "story": story,
                    "key_point": kp.id,
                    "label": kp.label,
                    "outlet": outlet,
                    "covered": covered,
                    "first_position": kp.covered_by.get(outlet) if covered else None,
                    "sentences": " ".join(str(s) for s in sorted(kp.sentences.get(outlet, []))),
                    "in_headline": kp.id in in_headline.get(outlet, set()),
                    "in_first_paragraph": outlet in first_par,
                }
            )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


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
