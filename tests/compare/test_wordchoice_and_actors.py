"""Word choice (log-odds of each outlet's words) and how outlets label the story's actors."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from presslens.compare.actors import actor_labels, label_after, label_before
from presslens.compare.wordchoice import log_odds


def test_log_odds_favours_each_outlets_own_words():
    counts = {"A": Counter({"regime": 8, "bridge": 10}), "B": Counter({"government": 8, "bridge": 10})}
    background = Counter({"regime": 8, "government": 8, "bridge": 20})
    z = log_odds(counts, background).set_index(["outlet", "term"])["z"]
    assert z[("A", "regime")] > 1.96 and z[("B", "government")] > 1.96
    assert abs(z[("A", "bridge")]) < 0.5


def test_two_outlets_of_one_word_each_do_not_stop_the_table_build():
    """Two GVA pages left with one word each ("Close", a dialog's button) in one story divided by zero in the
    log-odds (the word was all of each side's words) and stopped every story's tables in the run."""
    from presslens.compare.wordchoice import distinctive_terms

    counts = {"A": Counter({"close": 1}), "B": Counter({"close": 1})}
    assert log_odds(counts, Counter({"close": 2})).empty
    articles = pd.DataFrame(
        [{"article_id": "a", "story": "s", "outlet": "A"}, {"article_id": "b", "story": "s", "outlet": "B"}]
    )
    assert distinctive_terms(articles, {"a": "Close", "b": "Close"}).empty


def test_actor_label_forms():
    text = "It was signed by North Korean leader Kim Jong Un on Wednesday."
    assert label_before(text, text.index("Kim")) == "North Korean leader"
    text = "Vladimir Putin, President of the Russian Federation, signed it."
    assert label_after(text, len("Vladimir Putin")) == "President of the Russian Federation"
    articles = pd.DataFrame(
        [{"article_id": "a", "story": "s", "outlet": "A"}, {"article_id": "b", "story": "s", "outlet": "B"}]
    )
    texts = {"a": "Mayor Ana Ruiz spoke. Ana Ruiz left.", "b": "Ana Ruiz, the city's mayor, spoke."}
    table = actor_labels(articles, texts)
    assert set(zip(table.outlet, table.label, strict=True)) == {("A", "Mayor"), ("B", "the city's mayor")}

