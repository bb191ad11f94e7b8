"""The learned line classifier: gradient-boosted trees over :mod:`presslens.clean.features`.

Weights live in ``presslens/data/line_model_<kind>.json`` (split features, thresholds and
leaf values: numbers only, no page text) and are produced by
``python -m benchmarks.train_lines`` (scikit-learn's HistGradientBoostingClassifier). Inference
walks each tree with the compiled routine that classifier's own ``predict`` uses: a private
function of scikit-learn, whose range pyproject.toml pins; training checks the exported model
against the fitted classifier (``benchmarks.train_lines.fit``, run by the tests).
"""

from __future__ import annotations

import functools
import importlib
import json
from importlib import resources

import numpy as np

# slow to import (all of sklearn.ensemble): the page workers' forkserver imports it once for them
PREDICTOR_MODULE = "sklearn.ensemble._hist_gradient_boosting._predictor"
NODE_FIELDS = {  # scikit-learn's node record field -> this file's tree key
    "feature_idx": "feature",
    "num_threshold": "threshold",
    "left": "left",
    "right": "right",
    "is_leaf": "leaf",
    "value": "value",
}


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
        self._tree_nodes()

    def _tree_nodes(self) -> None:
        """Each tree as scikit-learn's node records (numeric splits; a missing value goes right, as
        ``nan <= threshold`` is false)."""
        from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE

        self._walk_tree = importlib.import_module(PREDICTOR_MODULE)._predict_from_raw_data
        self._nodes = []
        for tree in self.trees:
            nodes = np.zeros(len(tree["leaf"]), dtype=PREDICTOR_RECORD_DTYPE)
            for field, key in NODE_FIELDS.items():
                nodes[field] = tree[key]
            self._nodes.append(nodes)
        self._no_categories = np.zeros((0, 8), dtype=np.uint32)
        self._feature_map = np.zeros(len(self.features), dtype=np.uint32)

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Probability that each line belongs to the article body."""
        n = len(features)
        if n == 0:
            return np.zeros(0)
        x = np.ascontiguousarray(features, dtype=np.float64)
        leaves = np.empty((len(self._nodes), n))  # each tree's leaf value for each line
        for nodes, out in zip(self._nodes, leaves, strict=True):
            self._walk_tree(nodes, x, self._no_categories, self._no_categories, self._feature_map, 1, out)
        raw = self.baseline + np.ascontiguousarray(leaves.T).sum(axis=1)
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
        raise ValueError(f"{path.name} was trained on other features: retrain with python -m benchmarks.train_lines")
    return model
