"""The Zyte article-extraction benchmark: its pages, and its own metric.

Tokens are the matches of ``\\w+`` (Unicode, case kept); a text is the multiset of its word
4-grams (fewer than 4 tokens: one shingle); per page precision = matched / predicted and
recall = matched / true.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(predicted: str, truth: str) -> tuple[float | None, float]:
    """(precision or None for an empty prediction, recall) of one page."""
    pred, true = shingles(predicted), shingles(truth)
    matched = sum((pred & true).values())
    precision = matched / sum(pred.values()) if pred else None
    recall = matched / sum(true.values()) if true else (1.0 if not pred else 0.0)
    return precision, recall


def load_dataset(folder: str | Path) -> list[tuple[str, str, dict]]:
    """[(page id, page content, truth)] from an html-dev or text-dev folder."""
    root = Path(folder)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for page_id in sorted(truth):
        html_path = root / "html" / f"{page_id}.html.gz"
        text_path = root / "text" / f"{page_id}.txt"
        if html_path.exists():
            content = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        elif text_path.exists():
            content = text_path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        items.append((page_id, content, truth[page_id]))
    return items
