"""The removal rules as pure predicates over one page (presslens/clean/cleaner.py), on pages written here."""

from __future__ import annotations

import copy
import re
from dataclasses import asdict

from presslens.clean.body import select_body, with_list_below
from presslens.clean.cleaned import Reason
from presslens.clean.cleaner import RULES, Place, body_view, first_verdict
from presslens.clean.metadata import read_metadata
from presslens.clean.table import LABELS, PageLines
from presslens.extract import extract_text
from tests.conftest import FOOTBRIDGE_PARAGRAPHS, REPO

# An own-written text dump: header (title, date, byline), a body with a date line and a wire
# credit inside it, a 'Related' heading with teasers, an on-topic paragraph after them, a bio box.
TEXT_PAGE = "\n".join(
    [
        "The Ashworth Courier",
        "Home | News | Sport",
        "",
        "Council approves the Ashworth footbridge",
        "March 3, 2021",
        "By Jane Holloway",
        "",
        *FOOTBRIDGE_PARAGRAPHS[:3],
        "Updated March 4, 2021",
        *FOOTBRIDGE_PARAGRAPHS[3:5],
        "Related stories",
        "Harbour festival returns with tall ships and fireworks",
        "Schools close early as the heating fails in two buildings",
        FOOTBRIDGE_PARAGRAPHS[5],
        "About Jane Holloway",
        "Jane Holloway covers the council and transport for the Courier since 2015.",
        "",
        "© 2021 The Ashworth Courier",
    ]
)


def _view():
    page = PageLines.from_text(TEXT_PAGE)
    body = list(range(6, len(page) - 1))  # from the first paragraph to the bio box, as the selection would
    return page, body_view(page, body)


def test_rules_only_judge_a_line_whatever_order_they_run_in():
    """Rules used to write the article's metadata as a side effect (a date line in the body was read
    by the rule that removed it) and to set and reset a flag for the teasers below a 'Related'
    heading, so what a rule said depended on the lines judged before. Now each rule reads the page
    and the metadata read before them: judging the lines backwards gives every line the same
    verdict, and the view (metadata included) is unchanged afterwards."""
    page, view = _view()
    meta_before = copy.deepcopy(asdict(view.meta))
    forward = {i: first_verdict(view, i, Place.BODY) for i in sorted(view.body)}
    _page, fresh = _view()
    backward = {i: first_verdict(fresh, i, Place.BODY) for i in sorted(fresh.body, reverse=True)}
    assert forward == backward
    assert asdict(view.meta) == meta_before
    by_text = {page.texts[i]: r for i, r in forward.items()}
    assert by_text["Updated March 4, 2021"] == Reason.METADATA
    assert by_text["Harbour festival returns with tall ships and fireworks"] == Reason.RELATED
    assert by_text["Schools close early as the heating fails in two buildings"] == Reason.RELATED
    assert by_text[FOOTBRIDGE_PARAGRAPHS[5]] is None  # on-topic prose ends the teasers
    assert by_text["About Jane Holloway"] == Reason.MASTHEAD


def test_metadata_is_read_before_the_rules_from_the_header_and_the_body():
    """The metadata step reads the header's date and byline and the body's date line; the rules
    give those rows `metadata` from what it read."""
    page = PageLines.from_text(TEXT_PAGE)
    body = list(range(6, len(page) - 1))
    meta = read_metadata(page, body[0], body, None)
    assert meta.title == "Council approves the Ashworth footbridge"
    assert meta.published == "2021-03-03"
    assert meta.author == "Jane Holloway"
    assert {page.texts[i] for i in meta.rows} == {"March 3, 2021", "By Jane Holloway", "Updated March 4, 2021"}
    cleaned = extract_text(TEXT_PAGE, is_html=False)
    assert (cleaned.published, cleaned.author) == ("2021-03-03", "Jane Holloway")


def test_every_reason_given_is_a_reason_and_the_docs_document_each():
    """Reasons were plain strings in three files beside a dead registry (model.REASONS); now every
    rule and label gives a Reason, and the docs' "Removal reasons" (docs/outputs.md) names each."""
    given = {rule.reason for rule in RULES if rule.reason} | {reason for reason, _test in LABELS}
    assert given <= set(Reason)
    outputs = (REPO / "docs" / "outputs.md").read_text(encoding="utf-8")
    section = outputs.split("### Removal reasons", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z-]+)`", section))
    assert {r.value for r in Reason} <= documented
    page = PageLines.from_text(TEXT_PAGE)
    extraction = extract_text(TEXT_PAGE, is_html=False)
    assert all(isinstance(b.reason, Reason) for b in extraction.blocks if not b.kept)
    assert len(extraction.blocks) == len(page)


def test_each_rule_names_a_place_and_every_outside_line_gets_a_reason():
    """One ordered list: every rule says where it looks, and the last outside rule names any line."""
    assert all(rule.where and rule.where <= set(Place) for rule in RULES)
    assert RULES[-1].reason == Reason.BOILERPLATE and Place.OUTSIDE in RULES[-1].where
    page = PageLines.from_text(TEXT_PAGE)
    body = select_body(page, None)
    extraction = extract_text(TEXT_PAGE, is_html=False)
    assert body and all(b.kept or b.reason for b in extraction.blocks)


def _flat_page(lines: list[str], title: str) -> str:
    """A page as GVA's held-out half is scored: an h1, then a <p> per line."""
    body = "".join(f"<p>{line}</p>\n" for line in lines)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>{title}</h1>\n{body}</body></html>'


def test_a_lone_teaser_between_paragraphs_is_off_topic_but_list_items_are_not():
    """Since the in-body off-topic rule was removed, flat one-<p>-per-line pages kept a share prompt
    or another story's headline standing alone between paragraphs ("Read or Share this story: …",
    "Weird News Photos: …"): 209 GVA dev pages gained such lines. The rule is back for a lone
    headline-shaped line sharing no word with the article, but not for list items and table rows
    (what its removal had won back: list items, specification rows)."""
    teaser = "Weird Pets Photos: Goat Elected Mayor Of Tiny Alpine Village"
    prompt = "Read or Share this: https://example.org/a1b2c3"
    lines = [*FOOTBRIDGE_PARAGRAPHS[:3], teaser, *FOOTBRIDGE_PARAGRAPHS[3:], prompt]
    extraction = extract_text(_flat_page(lines, "Council approves the Ashworth footbridge"), is_html=True)
    reasons = {b.text: b.reason for b in extraction.blocks if not b.kept}
    assert reasons.get(teaser) == Reason.OFF_TOPIC, reasons
    assert reasons.get(prompt) == Reason.OFF_TOPIC, reasons
    assert all(p in extraction.text for p in FOOTBRIDGE_PARAGRAPHS)
    item = "Lantern Society Band plays Harbour Road Hall"
    cases = [
        (item, "p", Reason.OFF_TOPIC),
        (item, "li", None),
        (item, "tr", None),
        (f"[{item}, page 41]", "p", None),
        (f'"{item} every Friday," Mara Holt recalls', "p", None),  # a quote, not a teaser
        ("They were considering the idea of a night market,", "p", None),  # a sentence broken off
    ]
    for line, tag, verdict in cases:
        texts = [*FOOTBRIDGE_PARAGRAPHS[:3], line, *FOOTBRIDGE_PARAGRAPHS[3:]]
        page = PageLines(texts, tags=["p", "p", "p", tag, "p", "p", "p"])
        view = body_view(page, list(range(len(page))), body_only=True)
        assert first_verdict(view, 3, Place.BODY) == verdict, (line, tag)


def test_a_list_an_accepted_line_introduces_joins_the_body():
    """Held-out text pages lost list articles: the model accepted the paragraph that introduces a
    list ("… the offers not to miss:") and doubted every item below it (numbered products with
    their links, features of a game), so recall fell to a third. The items below an accepted line
    ending in ":" join the body, up to the next paragraph, a labelled or one-word line; a list a
    'Related' heading introduces stays out."""
    items = [
        "1) Harbour Road lantern, brass, 30 cm",
        "https://example.org/l1",
        "2) Northern Glass fishing float set",
        "https://example.org/l2",
        "3) Ferry timetable poster from 1987",
    ]
    intro = "The market opens on Saturday and these are the stalls' best finds, picked by our readers:"
    texts = [
        "Home | Markets | Shop",
        *FOOTBRIDGE_PARAGRAPHS[:2],
        intro,
        *items,
        "img_2041",
        "Share on Facebook",
        "Related coverage from the Courier:",
        "How the market began in a car park",
        "Ten years of the harbour festival",
    ]
    page = PageLines(texts)
    accepted = [1, 2, 3, 11]  # what a line model accepted: the paragraphs and the related intro
    body = with_list_below(accepted, page)
    assert [page.texts[i] for i in body] == [*FOOTBRIDGE_PARAGRAPHS[:2], intro, *items, texts[11]]
