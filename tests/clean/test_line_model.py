"""The learned line classifier's second pass: what it reads of the first, and how the two are joined."""

from __future__ import annotations

import numpy as np

from benchmarks.zyte import load_dataset
from tests.conftest import TEXT_DEV, need_shared


def test_second_pass_sees_the_first_pass_around_each_line():
    """The context features: what the first pass said of the neighbours, and where the body's stretch is."""
    from presslens.clean.features import CONTEXT_NAMES, context_features
    from presslens.clean.table import PageLines

    texts = [
        "Home",
        "The ferry will run every twenty minutes while the swing bridge is closed for repairs.",
        "WHAT HAPPENS TO THE BUSES?",
        "Buses will cross at the north bridge instead, adding ten minutes to the route.",
        "Contact us",
    ]
    page = PageLines.from_text("\n\n".join(texts))
    assert page.texts == texts
    ctx = context_features(page, np.array([0.05, 0.95, 0.3, 0.9, 0.02]))
    col = {name: ctx[:, k] for k, name in enumerate(CONTEXT_NAMES)}
    assert ctx.shape == (5, len(CONTEXT_NAMES)) and np.isfinite(ctx).all()
    assert col["p_n-1"][2] == 0.95 and col["p_n1"][2] == 0.9 and col["p_n-1"][0] == -1.0
    assert list(col["in_best_run"]) == [0, 1, 1, 1, 0]  # the doubted subheading sits inside the body's stretch
    assert col["dist_accepted_log"][2] == np.log1p(1) and col["dist_accepted_log"][1] == 0
    assert col["related_to_accepted"][3] == 1.0 and col["vocab_share_accepted"][0] == 0.0


def test_shipped_second_pass_joins_the_first_as_chosen_per_kind():
    from benchmarks.train_lines import SECOND_PASS
    from presslens.clean.features import FEATURE_NAMES, page_features
    from presslens.clean.html import HTML_FEATURE_NAMES
    from presslens.clean.line_model import load_line_predictor
    from presslens.clean.table import PageLines

    text = load_line_predictor("text", FEATURE_NAMES)
    html = load_line_predictor("html", HTML_FEATURE_NAMES)
    assert (text.combine, html.combine) == (SECOND_PASS["text"], SECOND_PASS["html"]) == ("max", "mean")
    assert text.second is not None and html.second is not None
    _page_id, content, _truth = load_dataset(need_shared(TEXT_DEV))[0]
    page = PageLines.from_text(content)
    x = page_features(page)
    two, one = text.predict_page(page, x), text.first.predict_proba(x)
    assert two.shape == one.shape and not np.allclose(two, one)  # the second pass does change the judgement
    assert (two >= one).all()  # "max": it only ever raises a line


def test_a_line_seen_on_an_earlier_page_is_not_measured_again():
    """The cost: a line's own features (~25 µs of regexes each) were computed again on every page, though
    a site's menus, footers and share bars repeat on each of its pages (40% of the lines of the Zyte dev
    pages had been seen before). Measured once per process, they must give the same matrix."""
    from presslens.clean import features
    from presslens.clean.table import PageLines

    first = "Home\nWorld\nPolitics\n\nThe Orrin river rose two metres overnight, fire chief Ines Varga said.\n\nShare\n"
    second = "Home\nWorld\nPolitics\n\nAbout 1,400 residents of Fallow Creek left their homes on Monday.\n\nShare\n"
    features._own_values.cache_clear()
    features.page_features(PageLines.from_text(first))
    before = features._own_values.cache_info()
    again = features.page_features(PageLines.from_text(second))
    after = features._own_values.cache_info()
    assert after.hits - before.hits >= 4  # Home, World, Politics, Share
    features._own_values.cache_clear()
    assert np.array_equal(again, features.page_features(PageLines.from_text(second)))
