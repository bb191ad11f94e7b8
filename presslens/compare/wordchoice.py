"""Distinctive words per outlet within a story: weighted log-odds with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008), "Fightin' Words", eq. 16–22: for word w, outlet i against
the story's other outlets j,

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var     = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var)

The prior a_w = a0 * (background frequency of w), the background being the story's articles
pooled (Monroe et al.'s pooled corpus), so a word every outlet of the story uses needs more
evidence to stand out, and a story's terms do not change when another story is added. The prior's
total a0 is PRIOR_SIZE, or a quarter of the background's size when that is smaller, so a
small corpus is not swamped by its own prior.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import pandas as pd

from presslens.table_registry import columns_of
from presslens.text import STOPWORDS

PRIOR_SIZE = 1000.0
TOP_TERMS = 15
_TERM = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def terms(text: str) -> list[str]:
    return [t for t in (w.lower().replace("’", "'") for w in _TERM.findall(text)) if len(t) >= 3 and t not in STOPWORDS]


def log_odds(counts: dict[str, Counter], background: Counter, prior_size: float = PRIOR_SIZE) -> pd.DataFrame:
    """z-scores of every word for every outlet (columns: outlet, term, count, z)."""
    total_bg = sum(background.values()) or 1
    prior_size = min(prior_size, total_bg / 4)
    rows = []
    for outlet, own in counts.items():
        rest = Counter()
        for other, c in counts.items():
            if other != outlet:
                rest.update(c)
        n_i, n_j = sum(own.values()), sum(rest.values())
        if not n_i or not n_j:
            continue
        for term, y_i in own.items():
            a_w = prior_size * background.get(term, 0) / total_bg or 0.01
            y_j = rest.get(term, 0)
            rest_i, rest_j = n_i + prior_size - y_i - a_w, n_j + prior_size - y_j - a_w
            if rest_i <= 0 or rest_j <= 0:
                continue  # the term is all the words both sides have ("close" and "close"): no odds to compare
            delta = math.log((y_i + a_w) / rest_i) - math.log((y_j + a_w) / rest_j)
            z = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
            rows.append((outlet, term, y_i, round(z, 3)))
    return pd.DataFrame(rows, columns=["outlet", "term", "count", "z"])


def distinctive_terms(articles: pd.DataFrame, texts: dict[str, str], top: int = TOP_TERMS) -> pd.DataFrame:
    """Top distinctive terms per story x outlet (stories with at least two outlets).

    The prior's background is the story's own articles pooled, so a story's terms never
    depend on which other stories are in processed/.
    """
    frames = []
    for story, group in articles.groupby("story", sort=True):
        if group["outlet"].nunique() < 2:
            continue
        counts: dict[str, Counter] = {}
        for outlet, aid in zip(group["outlet"], group["article_id"], strict=True):
            counts.setdefault(outlet, Counter()).update(terms(texts.get(aid, "")))
        background = Counter()
        for c in counts.values():
            background.update(c)
        scored = log_odds(counts, background)
        if scored.empty:
            continue
        scored = scored.sort_values(["outlet", "z"], ascending=[True, False])
        scored = scored.groupby("outlet", sort=True).head(top).copy()
        scored["rank"] = scored.groupby("outlet").cumcount() + 1
        scored.insert(0, "story", story)
        frames.append(scored)
    columns = columns_of("terms")
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
