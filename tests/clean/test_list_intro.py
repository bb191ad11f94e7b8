"""Only a clause introduces the article's list; a short label ending in ':' introduces page furniture
(pages written here)."""

from __future__ import annotations

import numpy as np

from presslens.clean.body import select_body
from presslens.clean.table import PageLines
from tests.conftest import FOOTBRIDGE_PARAGRAPHS

LIST_INTRO = "The council named the three firms still bidding for the work:"
BIDDERS = ["Harbour Steel and Sons", "Northern Bridgeworks Ltd", "Ashworth Civil Engineering"]
FURTHER_LABEL = "Further information:"
LINKS = ["The council's footbridge consultation (PDF)", "East bank ward councillors and their surgeries"]
AD_LABEL = "Advertisement:"
TEASERS = ["Ferry timetable changes for the summer season", "Ten years of the harbour festival in pictures"]


def test_a_short_label_ending_in_a_colon_brings_no_list_into_the_body():
    """On trafilatura's evaluation pages rendered to text, the plain-text list rule took page furniture
    into the body below short labels the model accepted: teasers under "Mehr lesen:" and "Anzeige:",
    links under "Weitere Informationen:", a "most read" box. A line introduces a list only when it is
    a clause of at least four words ("… the three firms still bidding for the work:"); the lines below
    a label of fewer words stay out, while the clause's list still joins the body."""
    texts = [
        "Council approves the Ashworth footbridge",
        *FOOTBRIDGE_PARAGRAPHS[:2],
        LIST_INTRO,
        *BIDDERS,
        FOOTBRIDGE_PARAGRAPHS[2],
        FURTHER_LABEL,
        *LINKS,
        AD_LABEL,
        *TEASERS,
    ]
    page = PageLines.from_text("\n".join(texts))
    accepted = {*FOOTBRIDGE_PARAGRAPHS[:3], LIST_INTRO, FURTHER_LABEL, AD_LABEL}  # what a model accepted
    probs = np.array([0.95 if text in accepted else 0.05 for text in page.texts])
    body = [page.texts[i] for i in select_body(page, probs)]
    assert body == [*FOOTBRIDGE_PARAGRAPHS[:2], LIST_INTRO, *BIDDERS, FOOTBRIDGE_PARAGRAPHS[2], FURTHER_LABEL, AD_LABEL]
