"""Plain-text page dumps: the article among menus, promos and teasers, line by line.

The dump becomes the table of its lines (:mod:`presslens.clean.table`); the learned line
classifier gives each line a probability of being article body and :func:`presslens.clean.body.
select_body` chooses the body (the heuristic body when no model is shipped); the removal rules of
:mod:`presslens.clean.cleaner` then read the metadata above it, clean inside it and give every
other line its reason.
"""

from __future__ import annotations

from presslens.clean.body import select_body
from presslens.clean.cleaned import Extraction
from presslens.clean.cleaner import clean_lines
from presslens.clean.features import FEATURE_NAMES, page_features
from presslens.clean.line_model import LineModel, TwoPassLineModel, as_two_pass, load_line_predictor
from presslens.clean.table import PageLines


def line_probabilities(page: PageLines, model: LineModel | TwoPassLineModel | None) -> list[float] | None:
    """The line model's probability of each line being body; None without a model."""
    if model is None:
        return None
    page.features = page_features(page)
    return as_two_pass(model).predict_page(page, page.features)


def clean_text(
    text: str, title_hint: str | None = None, model: LineModel | TwoPassLineModel | None = None
) -> Extraction:
    """Clean a plain-text page dump: the article text, its metadata, and every line's verdict.

    ``model``: a line model given by the caller (cross-validation) instead of the shipped one.
    """
    page = PageLines.from_text(text)
    if not len(page):
        return Extraction()
    model = model or load_line_predictor("text", FEATURE_NAMES)
    body = select_body(page, line_probabilities(page, model))
    return clean_lines(page, body, title_hint)


def filter_extracted(text: str, title_hint: str | None = None) -> Extraction:
    """The removal rules over text that is all body already (teasers, promos, captions inside it)."""
    page = PageLines.from_text(text)
    return clean_lines(page, list(range(len(page))), title_hint, body_only=True)
