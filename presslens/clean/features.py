"""Numeric features of each line of a page, for the learned line classifier.

A line's own form (length, punctuation, case, rule labels), its neighbours' form, and how it
relates to the page's most article-like stretch (vocabulary overlap, position). The same code
computes features at training time (``benchmarks/train_lines.py``) and at run time, so the
two can never drift apart. No feature names a site, a page or a language.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from presslens.clean import lines as L
from presslens.clean.body import core_span, heuristic_body, probable_stretch
from presslens.clean.table import LABEL_REASONS, PageLines
from presslens.clean.topic import OffTopicJudge, coherence, related_overlap
from presslens.text import script_tokens

RULES = LABEL_REASONS  # one feature per rule label: is the line's label this one
OWN = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_colon",
    "starts_bullet",
    "starts_digit",
    "has_pipe",
    "capitalised_share",
    "short_word_share",
    "digit_share",
    "comma_rate",
    "prose_score",
    "is_nav_word",
    "is_date_line",
    "is_byline",
    "headline_shaped",
    "repeated",
    "ellipsis",
    "is_related_heading",
    "is_embed_credit",
    "glued_teaser",
    *(f"rule_{r}" for r in RULES),
)
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
NEIGHBOUR_KEYS = (
    "log_words",
    "ends_sentence",
    "prose_score",
    "is_date_line",
    "headline_shaped",
    "is_related_heading",
    "is_embed_credit",  # the lines above an embedded post's credit are the post
)
WINDOWS = (2, 5, 12)
RUNS = ("short_run_log", "prose_above_log", "prose_below_log")
BLOCK = (
    "blank_before",
    "blank_after",
    "block_log_lines",
    "block_log_words",
    "block_prose_share",
    "block_first",
    "block_last",
)
PAGE = (
    "rel_position",
    "in_core",
    "in_body",
    "before_body",
    "after_body",
    "dist_body",
    "vocab_share",
    "vocab_related",
    "closings_before",
    "closings_after_body",
    "body_coherence",
    "log_page_lines",
    "prose_rank",
)
FEATURE_NAMES = (
    OWN
    + tuple(f"n{o}_{k}" for o in NEIGHBOURS for k in NEIGHBOUR_KEYS)
    + tuple(f"w{w}_{k}" for w in WINDOWS for k in ("prose", "log_words", "vocab_share"))
    + RUNS
    + BLOCK
    + PAGE
)


def own_features(text: str, label: str | None, score: float, repeated: bool) -> dict[str, float]:
    """The line's own form (:data:`OWN`, in that order), from its text, rule label and prose score."""
    return dict(zip(OWN, _own_values(text, label, score, repeated), strict=True))


OWN_CACHE = 16384  # lines: a site's menus, footers and share bars repeat on every page of it


@functools.lru_cache(maxsize=OWN_CACHE)
def _own_values(text: str, label: str | None, score: float, repeated: bool) -> tuple[float, ...]:
    words = script_tokens(text)
    n = len(words)
    stripped = text.strip()
    f = {
        "log_words": math.log1p(n),
        "log_chars": math.log1p(len(stripped)),
        "ends_sentence": float(L.ends_sentence(stripped)),
        "ends_colon": float(stripped.endswith(":")),
        "starts_bullet": float(stripped[:1] in "-–—•*·▪►"),
        "starts_digit": float(stripped[:1].isdigit()),
        "has_pipe": float("|" in stripped),
        "capitalised_share": sum(1 for w in words if w[:1].isupper()) / n if n else 0.0,
        "short_word_share": sum(1 for w in words if len(w) <= 3) / n if n else 0.0,
        "digit_share": sum(1 for w in words if w.isdigit()) / n if n else 0.0,
        "comma_rate": stripped.count(",") / n if n else 0.0,
        "prose_score": max(-20.0, min(score, 80.0)) / 20.0,
        "is_nav_word": float(L.is_nav_word(stripped)),
        "is_date_line": float(L.is_date_line(stripped)),
        "is_byline": float(L.parse_byline(stripped) is not None),
        "headline_shaped": float(3 <= n <= 30 and not L.ends_sentence(stripped)),
        "repeated": float(repeated),
        "ellipsis": float(stripped.endswith(("...", "…"))),
        "is_related_heading": float(L.is_related_heading(stripped) or L.is_comments(stripped)),
        "is_embed_credit": float(L.is_embed_credit(stripped)),
        "glued_teaser": float(L.is_glued_teaser(stripped)),
    }
    for rule in RULES:
        f[f"rule_{rule}"] = float(label == rule)
    return tuple(f[name] for name in OWN)


def window_sum(values, w: int) -> np.ndarray:
    """For every line, the sum of ``values`` over lines i-w .. i+w (clipped at the page's ends)."""
    n = len(values)
    sums = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(n)
    return sums[np.minimum(n, idx + w + 1)] - sums[np.maximum(0, idx - w)]


def window_mean(values, w: int) -> np.ndarray:
    """For every line, the mean of ``values`` over lines i-w .. i+w (clipped at the page's ends)."""
    idx = np.arange(len(values))
    return window_sum(values, w) / (np.minimum(len(values), idx + w + 1) - np.maximum(0, idx - w))


def gaps_to(flags) -> tuple[list[int], list[int]]:
    """For every line, how many lines up to the nearest flagged line above it and down to the
    nearest one below it (the page's length when there is none)."""
    n = len(flags)
    above, below = [n] * n, [n] * n
    last = None
    for i in range(n):
        above[i] = i - last if last is not None else n
        if flags[i]:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        below[i] = last - i if last is not None else n
        if flags[i]:
            last = i
    return above, below


def page_features(page: PageLines) -> np.ndarray:
    """Feature matrix (lines x FEATURE_NAMES) for one page."""
    n = len(page.texts)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    counts: dict[str, int] = {}
    for t in page.texts:
        counts[t] = counts.get(t, 0) + 1
    own = [
        own_features(t, lab, sc, counts[t] > 1) for t, lab, sc in zip(page.texts, page.labels, page.scores, strict=True)
    ]
    core_s, core_e = core_span(page)
    body_s, body_e = heuristic_body(page)
    body_prose = page.prose(body_s, body_e)
    judge = OffTopicJudge(body_prose)
    vocab_share, vocab_related = [], []
    for t in page.texts:
        shared, total = judge.overlap(t)
        vocab_share.append(shared / total if total else 0.0)
        vocab_related.append(float(related_overlap(shared, total)) if body_prose else 0.0)
    body_coh = coherence(body_prose)
    closing = [o["is_related_heading"] for o in own]
    closings_before = np.cumsum([0.0] + closing[:-1])
    prose_words = [o["log_words"] if page.scores[i] > 0 else 0.0 for i, o in enumerate(own)]
    ranks = np.argsort(np.argsort(-np.array(prose_words)))
    prose = np.array([1.0 if s > 0 else 0.0 for s in page.scores])
    log_words = np.array([o["log_words"] for o in own])
    vshare = np.array(vocab_share)

    block_of = page.blocks()
    block_lines: dict[int, list[int]] = {}
    for i, b in enumerate(block_of):
        block_lines.setdefault(b, []).append(i)
    blank = page.blank_before or [0] * n

    # runs of consecutive non-prose lines (menus are long runs; subheadings are runs of one)
    run_len = [0] * n
    i = 0
    while i < n:
        if page.scores[i] > 0:
            i += 1
            continue
        j = i
        while j < n and page.scores[j] <= 0:
            j += 1
        for k in range(i, j):
            run_len[k] = j - i
        i = j
    above, below = gaps_to([s > 0 for s in page.scores])
    windows = {
        (w, name): window_mean(values, w)
        for w in WINDOWS
        for name, values in (("prose", prose), ("log_words", log_words), ("vocab_share", vshare))
    }
    block_words = {b: math.log1p(sum(page.n_words(j) for j in members)) for b, members in block_lines.items()}
    block_prose = {
        b: sum(1 for j in members if page.scores[j] > 0) / len(members) for b, members in block_lines.items()
    }

    # one column per feature, each computed over the whole page (the same arithmetic, line by line)
    columns: dict[str, list[float]] = {name: [o[name] for o in own] for name in own[0]}
    for o in NEIGHBOURS:
        for k in NEIGHBOUR_KEYS:
            columns[f"n{o}_{k}"] = [own[i + o][k] if 0 <= i + o < n else -1.0 for i in range(n)]
    for (w, name), values in windows.items():
        columns[f"w{w}_{name}"] = values
    columns["short_run_log"] = [math.log1p(r) for r in run_len]
    columns["prose_above_log"] = [math.log1p(a) for a in above]
    columns["prose_below_log"] = [math.log1p(b) for b in below]
    members_of = [block_lines[block_of[i]] for i in range(n)]
    columns["blank_before"] = [float(blank[i] > 0) for i in range(n)]
    columns["blank_after"] = [float(i + 1 < n and blank[i + 1] > 0) for i in range(n)]
    columns["block_log_lines"] = [math.log1p(len(m)) for m in members_of]
    columns["block_log_words"] = [block_words[block_of[i]] for i in range(n)]
    columns["block_prose_share"] = [block_prose[block_of[i]] for i in range(n)]
    columns["block_first"] = [float(m[0] == i) for i, m in enumerate(members_of)]
    columns["block_last"] = [float(m[-1] == i) for i, m in enumerate(members_of)]
    dist = [0 if body_s <= i < body_e else (body_s - i if i < body_s else i - body_e + 1) for i in range(n)]
    after_closings = closings_before[min(body_e, n - 1)]
    columns.update(
        {
            "rel_position": [i / max(1, n - 1) for i in range(n)],
            "in_core": [float(core_s <= i < core_e) for i in range(n)],
            "in_body": [float(body_s <= i < body_e) for i in range(n)],
            "before_body": [float(i < body_s) for i in range(n)],
            "after_body": [float(i >= body_e) for i in range(n)],
            "dist_body": [math.log1p(d) for d in dist],
            "vocab_share": vocab_share,
            "vocab_related": vocab_related,
            "closings_before": [math.log1p(c) for c in closings_before],
            "closings_after_body": [float(i >= body_e and closings_before[i] > after_closings) for i in range(n)],
            "body_coherence": [body_coh] * n,
            "log_page_lines": [math.log1p(n)] * n,
            "prose_rank": [math.log1p(float(r)) for r in ranks],
        }
    )
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURE_NAMES])


# Second pass ("auto-context"): the first model's probabilities around each line. A body is one
# stretch of the page, so a line the first pass doubts (a subheading, a "___" rule, a paragraph
# after them) is judged again knowing that the lines above it were body and what they were about.
CONTEXT_WINDOWS = (1, 2, 4, 8, 16)
CONTEXT_NAMES = (
    ("p",)
    + tuple(f"p_mean_w{w}" for w in CONTEXT_WINDOWS)
    + tuple(f"p_word_mean_w{w}" for w in CONTEXT_WINDOWS)
    + ("p_n-2", "p_n-1", "p_n1", "p_n2")
    + ("accepted_words_above", "accepted_words_below", "dist_accepted_log", "in_best_run", "dist_best_run_log")
    + ("page_accepted_share", "page_accepted_words_log", "p_rank", "vocab_share_accepted", "related_to_accepted")
)


def context_features(page: PageLines, probs: np.ndarray) -> np.ndarray:
    """Feature matrix (lines x CONTEXT_NAMES) from a first pass's body probabilities."""
    n = len(probs)
    if n == 0:
        return np.zeros((0, len(CONTEXT_NAMES)))
    p = np.asarray(probs, dtype=np.float64)
    n_words = np.array([page.n_words(i) for i in range(n)], dtype=np.float64)
    accepted = p >= 0.5
    idx = np.arange(n)
    cols = [p]
    cols += [window_mean(p, w) for w in CONTEXT_WINDOWS]
    cols += [window_sum(p * n_words, w) / np.maximum(1.0, window_sum(n_words, w)) for w in CONTEXT_WINDOWS]
    for offset in (-2, -1, 1, 2):
        shifted = np.full(n, -1.0)
        if offset < 0:
            shifted[-offset:] = p[:offset]
        else:
            shifted[:-offset] = p[offset:]
        cols.append(shifted)
    mass = accepted * n_words
    total = mass.sum() or 1.0
    cum = np.cumsum(mass)
    cols += [(cum - mass) / total, (mass.sum() - cum) / total]
    above, below = gaps_to(accepted)  # distance to the nearest accepted line (0 for one)
    cols.append(np.log1p(np.where(accepted, 0.0, np.minimum(above, below)).astype(float)))
    start, end = probable_stretch(p, n_words)
    in_run = (idx >= start) & (idx < end)
    to_run = np.where(idx < start, start - idx, np.where(idx >= end, idx - end + 1, 0))
    if end <= start:
        to_run = np.full(n, n)
    cols += [in_run.astype(float), np.log1p(to_run.astype(float))]
    cols += [np.full(n, accepted.mean()), np.full(n, math.log1p(mass.sum()))]
    cols.append(np.argsort(np.argsort(-p, kind="stable"), kind="stable") / max(1, n - 1))
    judge = OffTopicJudge([page.texts[i] for i in range(n) if accepted[i]])
    shares, related = [], []
    for text in page.texts:
        shared, n_stems = judge.overlap(text)
        shares.append(shared / n_stems if n_stems else 0.0)
        related.append(float(related_overlap(shared, n_stems)))
    cols += [np.array(shares), np.array(related)]
    return np.column_stack(cols)
