"""Issue 29: a key point's label is a clause a journalist can quote — who did what, a quote with its speaker —
not a fragment cut from a sentence ("former Representative John Delaney, and Julián Castro")."""

from __future__ import annotations

from presslens.compare import keypoints


def _label_with(analysis: keypoints.KeyPointAnalysis, words: str) -> str:
    (label,) = [kp.label for kp in analysis.points if words in kp.label]
    return label


def test_a_fragment_label_reads_as_its_sentence():
    """The label was the clause after the dash, "former Mayor Ines Varga, and …", which says nobody did anything."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Ledger",
                "Four candidates for the Orrin Valley seat debated at the Calder library on Tuesday night — "
                "former Mayor Ines Varga, and harbour engineer Tomas Brandt among them.",
            ),
            (
                "b",
                "Courier",
                "Two newcomers were also on the ballot — former Mayor Ines Varga, and harbour engineer Tomas Brandt.",
            ),
        ]
    )
    label = _label_with(analysis, "Tomas Brandt")
    assert keypoints.readable(label)
    assert not label.startswith("former Mayor")
    assert "debated" in label or "were also on the ballot" in label
    # the unit itself is kept beside the label: the claims step weighs its words
    (point,) = [kp for kp in analysis.points if "Tomas Brandt" in kp.label]
    assert not keypoints.readable(point.clause) and point.clause in label


def test_a_quote_over_two_sentences_is_labelled_whole_with_its_speaker():
    """A quote running over two sentences gave the label '"The bridge stays shut until … replaced — Ann Lee' (an
    unclosed quote mark) and '… ferry riders," Lee said.' (a closing mark with no opening one)."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Ledger",
                "Mayor Ann Lee spoke at the Merrow Street Bridge on Friday.\n"
                '"The bridge stays shut until the anchor bolts are replaced. '
                'We will not take chances with the ferry riders and their children," Lee said.',
            ),
            (
                "b",
                "Courier",
                'Lee said the bridge stays shut until the anchor bolts are replaced. "We will not take chances with '
                'the ferry riders and their children," she added.',
            ),
        ]
    )
    for words in ("anchor bolts", "ferry riders"):
        label = _label_with(analysis, words)
        straight, opening, closing = label.count('"'), label.count("“"), label.count("”")
        assert straight % 2 == 0 and opening == closing, label
        assert "Lee" in label, label


def test_a_label_does_not_open_with_but_and_names_a_person_not_a_description():
    """'But Ann Lee said …' is quoted as 'Ann Lee said …'; the sourcing step's "New York Democrat" for "he" is a
    description, not a name to put in a quote's mouth."""
    assert (
        keypoints.quotable_label("x", "But Ann Lee said the repairs would take four more weeks.", "")
        == "Ann Lee said the repairs would take four more weeks."
    )
    quote = '"I am not going to let this distract me from my work," he said'
    assert keypoints.quotable_label(quote, quote, "New York Democrat") == quote
    assert keypoints.quotable_label(quote, quote, "Anthony Weiner").endswith("Anthony Weiner said")


def test_a_label_read_from_its_sentence_leaves_the_dateline_out():
    """A fragment's sentence as the label kept its dateline ("WASHINGTON — Representative Anthony D. Weiner, trying
    to put to rest …"): the place and wire tag are no part of the fact."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Valley Wire",
                "ORRIN, Nov. 8 (Valley Wire) — Four candidates for the Orrin Valley seat debated at the Calder "
                "library on Tuesday night — former Mayor Ines Varga, and harbour engineer Tomas Brandt among them.",
            ),
            (
                "b",
                "Courier",
                "CALDER — Two newcomers were also on the ballot — former Mayor Ines Varga, and harbour engineer "
                "Tomas Brandt.",
            ),
        ]
    )
    labels = [kp.label for kp in analysis.points if "Tomas Brandt" in kp.label]
    assert labels and all(label.startswith(("Four candidates", "Two newcomers")) for label in labels), labels


def test_a_dateline_is_no_key_point_and_no_part_of_one():
    """The bundled bridge story listed "PORT CALDER, Oct. 14 (Valley Wire)" as a key point of its own and labelled
    another "PORT CALDER, The city closed …": the sentence's clauses were cut at its dash and the dateline joined
    to the first or stood alone. The dateline is read off before the clauses are cut."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Coast Wire",
                "PORT ELLIS, Oct. 3 (Coast Wire) — The harbour board closed the ferry pier on Monday after divers "
                "found cracks in two of its pilings.\nRepairs will take six weeks, the board said.",
            ),
            (
                "b",
                "Ledger",
                "PORT ELLIS — The harbour board closed the ferry pier on Monday after divers found cracks in its "
                "pilings.\nCommuters will take buses to the mainland.",
            ),
            (  # HuffPost's dateline takes a horizontal bar (U+2015): "WASHINGTON ― The White House relayed …"
                "c",
                "Gazette",
                "PORT ELLIS ― Ferry passengers can claim refunds at the harbour office until Friday, the board said.",
            ),
        ]
    )
    units = [unit for kp in analysis.points for unit in (kp.label, kp.clause)]
    assert units and not [u for u in units if "PORT ELLIS" in u or "Coast Wire" in u], units
    assert any(u.startswith("The harbour board closed the ferry pier") for u in units), units


def test_a_dateline_with_a_state_abbreviation_is_read_off():
    """Read as a user on BASIL 2015: "Only The New York Times: LIVINGSTON, N.J. — Gov. Chris Christie declared …": a
    dateline whose state is written with dots ("N.J.", "D.C.") was not read as one, and stayed in the label."""
    for dateline in ("ORRIN, N.J. — ", "PORT ELLIS, D.C. -- "):
        units = keypoints.split_units(dateline + "The harbour board closed the ferry pier on Monday after a storm.")
        assert units[0][2].startswith("The harbour board"), units
