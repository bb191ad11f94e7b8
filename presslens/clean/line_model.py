"""The learned line classifier: gradient-boosted trees over :mod:`presslens.clean.features`.

Weights live in ``presslens/data/line_model_<kind>.json`` (split features, thresholds and
leaf values: numbers only, no page text) and are produced by
``python -m presslens.bench.train_lines``. Inference walks all trees for all lines at once
in numpy, so no machine-learning library is needed at run time.
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

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Probability that each line belongs to the article body."""
        n = len(features)
        if n == 0:
            return np.zeros(0)
        raw = np.full(n, self.baseline)
        rows = np.arange(n)
        for tree in self.trees:
            node = np.zeros(n, dtype=np.int64)
            for _ in range(self.depth):
                leaf = tree["leaf"][node]
                if leaf.all():
                    break
                go_left = features[rows, tree["feature"][node]] <= tree["threshold"][node]
                nxt = np.where(go_left, tree["left"][node], tree["right"][node])
                node = np.where(leaf, node, nxt)
            raw += tree["value"][node]
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
    model = LineModel(json.loads(path.read_text(encoding="utf-8")))
    if model.features != tuple(features):
        raise ValueError(
            f"{path.name} was trained on other features: retrain with python -m presslens.bench.train_lines"
        )
    return model
