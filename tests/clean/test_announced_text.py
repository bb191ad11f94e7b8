"""An update and a statement the article announces are its text, on pages written here."""

from __future__ import annotations

import numpy as np

from presslens.clean.body import choose_body
from presslens.clean.table import PageLines
from tests.conftest import FOOTBRIDGE_PARAGRAPHS

ANNOUNCEMENT = "Council leader Mara Holt said in a statement released by her office on Thursday:"
STATEMENT = (
    "“We heard the east bank loud and clear, and the footbridge is our answer to three years of waiting. "
    "Work starts in the spring.”"
)


def test_an_update_and_the_statement_it_announces_stay_in_the_body():
    """BASIL's HuffPost story 6b541575 (as the claims benchmark gives it, a bare article) lost its
    last update: the model doubted the second "UPDATE:" line and the quoted statement below "… in a
    statement released by his office:", so they went as boilerplate and the other outlets' quotes of
    that statement became 'only NYT' claims. An update marker above an accepted line, and a
    quotation right below an accepted line ending in ':', join the body; a quotation below a line
    the model rejected, or one not announced, does not."""
    texts = ["Council approves the Ashworth footbridge", *FOOTBRIDGE_PARAGRAPHS[:3], "UPDATE:", ANNOUNCEMENT, STATEMENT]
    texts += ["Share on Facebook", "“Best pies on the quay,” says our food critic. Read the review."]
    page = PageLines.from_text("\n".join(texts))
    probs = np.array([0.4, 1.0, 1.0, 1.0, 0.38, 0.92, 0.41, 0.1, 0.2])  # what the model gave that page's lines
    body = choose_body(page, probs)
    assert [page.texts[i] for i in body] == [*FOOTBRIDGE_PARAGRAPHS[:3], "UPDATE:", ANNOUNCEMENT, STATEMENT]
