"""The learned line classifier: gradient-boosted trees over :mod:`presslens.clean.features`.

Weights live in ``presslens/data/line_model_<kind>.json`` (split features, thresholds and
leaf values: numbers only, no page text) and are produced by
``python -m benchmarks.train_lines`` (scikit-learn's HistGradientBoostingClassifier). Inference
walks all trees for all lines at once (trees stacked into arrays, one numpy step per tree level)
and does not use scikit-learn, which presslens needs for TF-IDF and clustering anyway.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np


class LineModel:
    """Sum of regression trees plus a baseline, through a logistic link (as scikit-learn's
    HistGradientBoostingClassifier computes it)."""

    def __init__(self, data: dict):
        self.features = tuple(data["features"])
        self.baseline = float(data["baseline"])
        self.trees = [
            {k: np.asarray(v) for k, v in tree.items()} for tree in data["trees"]
        ]  # each: feature, threshold, left, right, leaf (bool), value
        self.depth = int(data.get("max_depth", 64))
        self.threshold = float(data.get("threshold", 0.5))
        self.info = data.get("info", {})
        self._stack_trees()

    def _stack_trees(self) -> None:
        """All trees' nodes in flat arrays (children as global indices): one numpy step moves every tree."""
        offsets = np.cumsum([0] + [len(t["leaf"]) for t in self.trees[:-1]]).astype(np.int64)
        self._roots = offsets
        self._feature = np.concatenate([t["feature"] for t in self.trees]).astype(np.int64)
        self._thresh = np.concatenate([t["threshold"] for t in self.trees]).astype(np.float64)
        self._left = np.concatenate([t["left"] + o for t, o in zip(self.trees, offsets, strict=True)])
        self._right = np.concatenate([t["right"] + o for t, o in zip(self.trees, offsets, strict=True)])
        self._leaf = np.concatenate([t["leaf"] for t in self.trees]).astype(bool)
        self._value = np.concatenate([t["value"] for t in self.trees]).astype(np.float64)

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Probability that each line belongs to the article body."""
        n = len(features)
        if n == 0:
            return np.zeros(0)
        flat = np.ascontiguousarray(features, dtype=np.float64).ravel()
        n_trees = len(self._roots)
        node = np.tile(self._roots, n)  # row-major: (line, tree)
        row_start = np.repeat(np.arange(n, dtype=np.int64) * len(self.features), n_trees)
        active = np.arange(node.size)
        for _ in range(self.depth):  # only the (line, tree) pairs not yet at a leaf move on
            current = node[active]
            moving = ~self._leaf[current]
            if not moving.any():
                break
            active, current = active[moving], current[moving]
            go_left = flat[row_start[active] + self._feature[current]] <= self._thresh[current]
            node[active] = np.where(go_left, self._left[current], self._right[current])
        node = node.reshape(n, n_trees)
        raw = self.baseline + self._value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-np.clip(raw, -30, 30)))

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "baseline": self.baseline,
            "max_depth": self.depth,
            "threshold": self.threshold,
            "info": self.info,
            "trees": [{k: v.tolist() for k, v in tree.items()} for tree in self.trees],
        }

    @classmethod
    def from_sklearn(cls, clf, names: tuple[str, ...]) -> LineModel:
        """Export a fitted HistGradientBoostingClassifier (binary, numeric features)."""
        trees, depth = [], 0
        for (predictor,) in clf._predictors:
            nodes = predictor.nodes
            trees.append(
                {
                    "feature": nodes["feature_idx"].astype(int).tolist(),
                    "threshold": nodes["num_threshold"].astype(float).tolist(),
                    "left": nodes["left"].astype(int).tolist(),
                    "right": nodes["right"].astype(int).tolist(),
                    "leaf": nodes["is_leaf"].astype(bool).tolist(),
                    "value": nodes["value"].astype(float).tolist(),
                }
            )
            depth = max(depth, int(nodes["depth"].max()) + 1)
        baseline = float(np.ravel(clf._baseline_prediction)[0])
        return cls({"features": list(names), "baseline": baseline, "trees": trees, "max_depth": depth})


@functools.lru_cache(maxsize=4)
def load_line_model(kind: str, features: tuple[str, ...]) -> LineModel | None:
    """The shipped model for ``kind`` ("text" or "html"), or None when none is shipped.

    A model trained on other features than ``features`` is an error, not a silent mismatch.
    """
    path = resources.files("presslens.data").joinpath(f"line_model_{kind}.json")
    if not path.is_file():
        return None
    return _read_model(path, tuple(features))


class TwoPassLineModel:
    """The line model, optionally followed by a second one that also reads the first's
    probabilities around each line (:func:`presslens.clean.features.context_features`).

    ``combine`` says how the two passes make one probability, chosen per kind of page by
    cross-validation (``benchmarks.train_lines.SECOND_PASS``): ``"max"`` lets the second
    pass only raise a line — it recovers body lines the first pass doubted (subheadings, rules,
    the paragraphs after them) and never overrules one the first was sure of (plain text);
    ``"mean"`` averages them (HTML, where the first pass already sees trafilatura's choice)."""

    def __init__(self, first: LineModel, second: LineModel | None = None, combine: str = "max"):
        if combine not in ("max", "mean"):
            raise ValueError(f"unknown way to combine the two passes: {combine!r}")
        self.first = first
        self.second = second
        self.combine = combine

    def predict_page(self, page, features: np.ndarray) -> np.ndarray:
        """Probability that each line of ``page`` (with its feature matrix) is article body."""
        from presslens.clean.features import context_features

        probs = self.first.predict_proba(features)
        if self.second is None or not len(probs):
            return probs
        later = self.second.predict_proba(np.hstack([features, context_features(page, probs)]))
        return np.maximum(probs, later) if self.combine == "max" else (probs + later) / 2


def as_two_pass(model: LineModel | TwoPassLineModel) -> TwoPassLineModel:
    return model if isinstance(model, TwoPassLineModel) else TwoPassLineModel(model)


@functools.lru_cache(maxsize=4)
def load_line_predictor(kind: str, features: tuple[str, ...]) -> TwoPassLineModel | None:
    """The shipped line model for ``kind`` with its second pass when one is shipped
    (``line_model_<kind>_context.json``)."""
    from presslens.clean.features import CONTEXT_NAMES

    first = load_line_model(kind, features)
    if first is None:
        return None
    path = resources.files("presslens.data").joinpath(f"line_model_{kind}_context.json")
    if not path.is_file():
        return TwoPassLineModel(first)
    second = _read_model(path, tuple(features) + CONTEXT_NAMES)
    return TwoPassLineModel(first, second, combine=second.info.get("combine", "max"))


def _read_model(path, features: tuple[str, ...]) -> LineModel:
    model = LineModel(json.loads(path.read_text(encoding="utf-8")))
    if model.features != tuple(features):
        raise ValueError(
            f"{path.name} was trained on other features: retrain with python -m benchmarks.train_lines"
        )
    return model
