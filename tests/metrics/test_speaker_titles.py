"""A speaker is the person: an occupation written as a title before the name is not part of it (issue 29).

Bug guarded: "Nurse Samuel Okafor" was the speaker of the bundled example's quote, so the quote's label and the
sourcing table named "Nurse Samuel Okafor" beside "Okafor" elsewhere. Pages written for the test (fictional).
"""

from presslens.metrics.sourcing import analyse_sourcing
from presslens.text import paragraph_sentences

PAGE = """Crews closed the Tarn Lane footbridge on Monday after inspectors found rust in its deck.

Nurse Amara Velt, who cycles over the footbridge to the clinic, said the detour added half an hour. "Nobody warned \
the night shift," she said.

Detective Joren Pask told reporters that two cyclists had been hurt on the deck last month. "We asked for a fence \
in the spring," Pask said.

Coach Ilse Marrow said the team would train across the river until the bridge reopens."""


def sourcing_of(text: str):
    paragraphs = paragraph_sentences(text)
    sentences = [s for paragraph in paragraphs for s in paragraph]
    paragraph_of = [p for p, paragraph in enumerate(paragraphs) for _s in paragraph]
    return analyse_sourcing(sentences, None, paragraph_of)


def test_occupation_title_is_not_part_of_the_speaker():
    found = sourcing_of(PAGE)
    speakers = {q.text: q.speaker for q in found.quotes}
    assert speakers["Nobody warned the night shift"] == "Amara Velt"
    assert speakers["We asked for a fence in the spring"] == "Joren Pask"
    assert "Ilse Marrow" in found.speakers
    assert not any(s.split()[0] in {"Nurse", "Detective", "Coach"} for s in found.speakers)
