"""Line rules (presslens/clean/lines.py) told apart from article sentences: promos, teasers, captions,
labelled fields and word lists."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("line", "promo"),
    [
        ("Subscribe to our newsletter", True),
        ("Support our journalism: become a member today.", True),
        ("Independent reporting from the valley since 1921. Subscribe now for the full archive and more.", True),
        ("If you enjoyed this article, please consider a donation to keep the Courier free for everyone.", True),
        ("The streaming service continued to sign up subscribers across Asia, its quarterly report showed.", False),
        ("“We will support our core growth markets first,” the chief executive said on Tuesday.", False),
        ("Analysts asked how many newsletter subscribers the group keeps once the free trial ends.", False),
        ("Do you rely on Calder Courier reporting? Click here to support it.", True),
        ("Support the Courier so we can keep reporting on the harbour for you and your neighbours.", True),
        ("Residents rely on the ferry to reach the clinic, and the board will support it so we are told.", False),
        ("Have a tip? Mira Osei may be reached at mosei@caldercourier.example. Follow her on Twitter @mirao.", True),
        ("Email Tomas Reyes at treyes@harbourwire.example or follow him @treyes.", True),
        ("Join our Harbour Forums to keep talking ferries, tides and more!", True),
        ("Get breaking harbour news and the latest updates on sailings and closures!", True),
        ("Get the Calder Courier delivered through your letterbox every week. 12 issues for £9.99.", True),
        ("The Courier is committed to fair letters. We'd like to hear what you think about this article.", True),
        ("The harbour master said she could not be reached at the quay by ferry until the bridge reopens.", False),
        ("Click here to get more information about the new timetable.", False),
    ],
)
def test_promo_lines_speak_to_the_reader(line, promo):
    from presslens.clean.lines import is_promo

    assert is_promo(line) is promo


@pytest.mark.parametrize(
    ("line", "teaser"),
    [
        ("Harbour Cafe Reopens After Flood RepairsThe cafe on Quay Street served its first customers on Monday.", True),
        ("Five Walks Along The Calder Estuary?Spring is the best time to see the wading birds, rangers say.", True),
        ("Council approves new bus lanes on Quay Street PORT CALDER: The council voted on Monday to add lanes.", True),
        ("PORT CALDER: The council voted on Monday to add two bus lanes on Quay Street before the summer.", False),
        ("The council bought two new AirPods Pro sets for the front desk, the clerk said.", False),
        ("In a letter to Kevin McAleenan, the harbour board asked for a decision on the ferry grant.", False),
        ("New Price Drop: Calder Harbour Tour Tickets for $19 (Originally $25)", False),
        ("Die Stadtverwaltung teilte am Montag mit, dass die Brücke sechs Wochen gesperrt bleibt.", False),
    ],
)
def test_glued_teaser_cards_are_told_from_camel_case_names(line, teaser):
    """A text dump glues a teaser card's headline to its summary; brand names glue letters too."""
    from presslens.clean.lines import is_glued_teaser
    from presslens.clean.table import rule_label

    assert is_glued_teaser(line) is teaser
    assert (rule_label(line) == "related") is teaser


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Ferry passengers queue at Quay Street on Tuesday, March 3, 2026. (Ana Reyes/The Calder Post via AP)", True),
        ("(Tom Lindqvist / Harbour Wire)", True),
        ("Port Calder's harbour master inspects the swing bridge. (Harbour Wire Photo/Tom Lindqvist)", True),
        ("The ferry will cross at up to 20 (km/h) in the harbour.", False),
        ("The board split the cost 50/50 with the county (and/or the port authority).", False),
        ("A ferry waits at the east quay after the bridge closed Credit: Harbour Wire - Contributor", True),
        ("The swing bridge, closed since March (Image: HARBOUR WIRE )", True),
        ("Councillors at the vote on the ferry budget. (Photo by Ana Reyes/Getty Images for Calder Post)", True),
        ("Commuters wait for the first ferry at Quay Street. Credit... Ana Reyes/The Calder Post", True),
        ("About 900 commuters a day used the bridge before it closed [File: Reuters]", True),
        ("Ana Reyes, AP", True),
        ("Tom Lindqvist/HARBOURWIRE", True),
        ("Harbour master Jo Brandt speaks to commuters at the quay, Tuesday, March 3, 2026, in Port Calder.", True),
        ("Port Calder's swing bridge closed on Tuesday, March 3, after inspectors found cracked bearings.", False),
        ("Updated 10:01 pm PST, Tuesday, March 3, 2026", False),
        ("The council said the ferry would run until the bridge reopens. Credit: to the staff who kept it.", False),
        # the Times' caption with its credit glued on in a copied page (BASIL 2018, the Farenthold story: the caption
        # opened the article, became an "only The New York Times" fact and hid the dateline)
        ("Harbour master Jo Brandt at the east quay in March.CreditAna Reyes/Reuters", True),
        ("Commuters on the last ferry before the bridge closed.CreditTom Lindqvist for The New York Times", True),
        ("The bank said its CreditSuisse/UBS unit was sold.", False),
    ],
)
def test_photo_credits_at_the_end_of_a_line_mark_captions(line, caption):
    from presslens.clean.lines import is_caption

    assert is_caption(line) is caption


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Edited by: Jo Brandt", True),
        ("Subjects: Transport, Harbour, Budget", True),
        ("Tags: Port Calder ferry", True),
        ("Filed under: Port Calder, swing bridge", True),
        ("Subjects of the inquiry will include the bearings, the inspections and the budget.", False),
        ("Tags were fixed to every bearing: the inspectors want to follow each one through the repair.", False),
    ],
)
def test_labelled_metadata_fields_are_told_from_sentences(line, field):
    from presslens.clean.lines import is_meta_field

    assert is_meta_field(line) is field


@pytest.mark.parametrize(
    ("line", "word_list"),
    [
        (
            "bridge ferry harbour council budget election flood weather schools police traffic sport culture "
            "tourism business health transport parking housing festival library museum river estuary birds",
            True,
        ),
        (
            "Archives Select Month March 2026 February 2026 January 2026 December 2025 November 2025 October "
            "2025 September 2025 August 2025 July 2025 June 2025 May 2025",
            True,
        ),
        (
            "the board said it would keep the ferry running every twenty minutes while the bridge is closed and "
            "that residents of the east bank would not pay for it at all this spring",
            False,
        ),
        (
            "Jangan lebay dalam mencintai atau membenci sesuatu. Biasa biasa saja menurut para ulama yang "
            "menjelaskan makna hadits tersebut kepada jamaah masjid setelah shalat maghrib berjamaah kemarin",
            False,
        ),
    ],
)
def test_long_lines_without_function_words_are_word_lists_not_prose(line, word_list):
    """A tag cloud or archive select is long but is not prose: it must not outscore the article."""
    from presslens.clean.table import is_word_list, line_score

    assert is_word_list(line) is word_list
    assert (line_score(line, None) < 0) is word_list

