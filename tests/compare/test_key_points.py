"""Key points with evidence, at any story size (issue 18)."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pandas as pd
import pytest

from presslens.compare import coverage as coverage_module
from presslens.compare import keypoints
from presslens.compare.keypoints import COVER_NEIGHBOURS, Unit, unit_graph
from presslens.pipeline import run_pipeline
from tests.conftest import EXAMPLE, REPO, SHARED, gva_page_text, need_backend, need_shared, table_csv

WILDFIRE = REPO / "raw" / "unsorted"


@pytest.fixture(scope="module", params=["lexical", "semantic"])
def seeds_processed(request, tmp_path_factory):
    need_backend(request.param)
    root = tmp_path_factory.mktemp(f"seeds-{request.param}")
    story = root / "raw" / "nk-russia-treaty"
    story.mkdir(parents=True)
    for seed in ("000_9d96712d07ff0cab.txt", "001_4aafd163f21e6d67.txt"):
        shutil.copy(need_shared(SHARED / "seeds" / seed), story / seed)
    run_pipeline(root / "raw", root / "out", similarity=request.param)
    return root / "out"


def cited(sentences: pd.DataFrame) -> dict[tuple[str, str], set[int]]:
    """(outlet, key point) -> indexes of the outlet's sentences whose key_points cite it."""
    out: dict[tuple[str, str], set[int]] = {}
    for row in sentences.itertuples():
        for kp in str(row.key_points).split():
            out.setdefault((row.outlet, kp), set()).add(int(row.index))
    return out


def test_sentences_cite_exactly_the_key_points_their_outlet_covers(seeds_processed):
    sentences = table_csv(seeds_processed, "sentences", keep_default_na=False)
    coverage = table_csv(seeds_processed, "coverage", keep_default_na=False)
    citations = cited(sentences)
    covered = {(r.outlet, r.key_point) for r in coverage.itertuples() if r.covered}
    assert covered and covered <= set(citations)  # every covered cell has its evidence sentence
    body_citations = {key for key, indexes in citations.items() if any(i >= 0 for i in indexes)}
    assert body_citations <= covered  # and no body sentence cites a point its outlet does not cover
    for row in coverage[coverage.covered].itertuples():
        first = int(str(row.sentences).split()[0].rpartition(":")[2])  # the strongest evidence cites it too
        assert first in citations[(row.outlet, row.key_point)]
    # a fact only one outlet reports is cited by that outlet's sentences only
    ratification = sentences[sentences.sentence.str.contains("ratification", case=False)]
    assert set(ratification.outlet) == {"BNC Global Media Group"}
    points = {kp for ids in ratification.key_points for kp in ids.split()}
    assert points and not {kp for (outlet, kp) in citations if outlet == "Sada El Balad"} & points


def test_both_outlets_sentences_naming_article_51_cite_one_point(tmp_path):
    story = tmp_path / "raw" / "nk-russia-treaty"
    story.mkdir(parents=True)
    for seed in ("000_9d96712d07ff0cab.txt", "001_4aafd163f21e6d67.txt"):
        shutil.copy(need_shared(SHARED / "seeds" / seed), story / seed)
    run_pipeline(tmp_path / "raw", tmp_path / "out")  # the default, lexical backend
    sentences = table_csv(tmp_path / "out", "sentences", keep_default_na=False)
    naming = sentences[sentences.sentence.str.contains("Article 51") & ~sentences.is_headline]
    assert set(naming.outlet) == {"Sada El Balad", "BNC Global Media Group"}
    assert set.intersection(*[set(ids.split()) for ids in naming.key_points])


def test_a_fact_one_outlet_alone_reports_is_evidenced_by_its_sentence(tmp_path):
    """The wildfire pages (own text): only the Courier says the Red Cross set up 600 cots at the shelter."""
    shutil.copytree(WILDFIRE, tmp_path / "raw" / "orrin-fire")
    out = tmp_path / "out"
    run_pipeline(tmp_path / "raw", out)
    sentences = table_csv(out, "sentences", keep_default_na=False)
    (line,) = sentences[sentences.sentence.str.contains("Red Cross")].itertuples()
    assert line.outlet == "The Calder Courier"
    coverage = table_csv(out, "coverage", keep_default_na=False)
    labels = dict(zip(coverage.key_point, coverage.label, strict=False))
    (point,) = [kp for kp in line.key_points.split() if "Red Cross" in labels[kp]]
    rows = coverage[(coverage.key_point == point) & coverage.covered]
    assert set(rows.outlet) == {"The Calder Courier"}
    assert rows.sentences.iloc[0].split()[0] == f"{line.article_id}:{line.index}"  # that very sentence
    cited_elsewhere = sentences[
        (sentences.outlet != line.outlet) & sentences.key_points.str.split().apply(lambda ids: point in ids)
    ]
    assert cited_elsewhere.empty
    report = (out / "stories" / "orrin-fire" / "report.html").read_text(encoding="utf-8")
    opening = report[report.index('class="matters"') : report.index('class="grid"')]
    assert "Reported by one outlet only" in opening and "Red Cross set up 600 cots" in opening
    assert "Reported by every outlet" in opening and "What each outlet leads with" in opening


def test_a_big_story_keeps_each_clause_to_its_strongest_partners(monkeypatch):
    """300 copies of one wire story: without a bound every clause links to ~300 others (n² pairs)."""
    monkeypatch.setattr(keypoints, "EXACT_UNITS", 100)
    text = (EXAMPLE / "northshore-daily.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if len(p.split()) > 12][:4]
    units = [
        Unit(f"outlet {k}", f"a{k}", order, order, order, order / 4, paragraph)
        for k in range(300)
        for order, paragraph in enumerate(paragraphs)
    ]
    graph = unit_graph(units, "lexical", keypoints.COVER_SIMILARITY)
    assert len(graph.edges) <= len(units) * COVER_NEIGHBOURS
    assert graph.capped  # and the cut is counted, never silent
    same_outlet = [(i, j) for i, j in graph.edges if units[i].outlet == units[j].outlet]
    assert not same_outlet


@pytest.mark.slow
def test_a_big_story_says_what_was_bounded(tmp_path, monkeypatch):
    """A story of real pages at a size CI can afford, with the bounds lowered so every bound is crossed."""
    from benchmarks.scale_corpus import build_scale_corpus

    monkeypatch.setattr(keypoints, "EXACT_UNITS", 300)
    monkeypatch.setattr(coverage_module, "MAX_COVERAGE_CELLS", 2000)
    spread, story = tmp_path / "spread", tmp_path / "raw" / "one-big-story"
    story.mkdir(parents=True)
    need_shared(SHARED / "bench")
    for k, page in enumerate(build_scale_corpus(SHARED, spread, 40)):
        shutil.copy(page, story / f"{k:03d}-{page.name}")
    out = tmp_path / "out"
    run_pipeline(tmp_path / "raw", out)
    row = pd.read_csv(out / "stories.csv").iloc[0]
    assert row.articles >= 35 and row.kp_units > 300
    assert row.kp_units_capped > 0
    assert row.coverage_rows == "covering outlets only"
    coverage = table_csv(out, "coverage")
    assert coverage.covered.all() and len(coverage) > 0
    assert re.search(r"\d", str(row.key_points))


# --- issue 29: a key point is one claim (own-written pages) ---


def _points_with(analysis, pattern: str):
    return [kp for kp in analysis.points if any(re.search(pattern, u.text) for u in kp.units)]


def test_a_rounded_figure_is_one_fact_and_a_different_figure_another():
    """Issue 29: Fox's "$1.4 billion" was listed as unique though NYT gave "$1.375 billion" (rounding), while
    "$5.7 billion" (what was asked) is another fact than "$1.4 billion" (what was granted)."""
    analysis = keypoints.key_point_analysis(
        [
            ("a", "Ledger", "The spending bill gives the administration $1.4 billion for new border barriers."),
            (
                "b",
                "Courier",
                "The spending bill gives the administration $1.375 billion for new border barriers.\n"
                "The administration had asked Congress for $5.7 billion for new border barriers.",
            ),
        ]
    )
    (granted,) = _points_with(analysis, r"\$1\.4 billion")
    assert set(granted.covered_by) == {"Ledger", "Courier"}
    assert any("$1.375 billion" in u.text for u in granted.units)
    (asked,) = _points_with(analysis, r"\$5\.7 billion")
    assert asked is not granted and set(asked.covered_by) == {"Courier"}


def test_two_facts_sharing_a_topic_phrase_stay_apart():
    """Issue 29: Ann Coulter's "our president is an idiot" (one outlet) was counted as covered by another
    outlet because one of its sentences shares "national emergency"."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Ledger",
                "President Trump declared a national emergency on Friday to pay for the border wall.\n"
                'Ann Coulter said on her podcast that "our president is an idiot" for declaring a national emergency.',
            ),
            (
                "b",
                "Courier",
                "President Trump declared a national emergency on Friday to pay for the border wall.\n"
                "The president said he was declaring a national emergency because Congress gave him too little.",
            ),
        ]
    )
    (coulter,) = _points_with(analysis, r"Coulter")
    assert set(coulter.covered_by) == {"Ledger"}
    (declared,) = _points_with(analysis, r"^President Trump declared")
    assert set(declared.covered_by) == {"Ledger", "Courier"}


def test_a_surname_and_a_full_name_are_one_speaker_and_another_speaker_another_fact():
    """Issue 29: "Mr. Trump" and "Donald Trump" saying the same words are one quote; the same topic in
    Pelosi's words is another fact (the named speaker must agree)."""
    analysis = keypoints.key_point_analysis(
        [
            ("a", "Ledger", '"We are going to confront the security crisis at the border," Donald Trump said.'),
            ("b", "Courier", '"We are going to confront the crisis at our border," Mr. Trump said on Friday.'),
            ("c", "Herald", '"There is no security crisis at our border," Nancy Pelosi said on Friday.'),
        ]
    )
    (trump,) = _points_with(analysis, r"Donald Trump")
    assert set(trump.covered_by) == {"Ledger", "Courier"}
    (pelosi,) = _points_with(analysis, r"Pelosi")
    assert pelosi is not trump and set(pelosi.covered_by) == {"Herald"}


def test_one_long_quote_credited_to_two_speakers_is_one_statement():
    """Issue 29: "His conduct is unbecoming of a member of Congress" was Thompson's in NYT and Etheridge's in Fox's
    copy (the speaker finder), so the two identical quotes made two key points, each "only" its outlet's. Quoted
    words agreeing verbatim over SAME_QUOTE_WORDS content words are one statement whoever each outlet credits."""
    quote = "The mayor's conduct is unbecoming of anyone who holds public office in this city"
    analysis = keypoints.key_point_analysis(
        [
            ("a", "Ledger", f'"{quote}," said Jon Hale, a spokesman for the council.'),
            ("b", "Courier", f'Council member Rita Moss told reporters on the steps: "{quote}."'),
        ]
    )
    (point,) = _points_with(analysis, r"unbecoming")
    assert set(point.covered_by) == {"Ledger", "Courier"}
    assert {u.outlet for u in point.units} == {"Ledger", "Courier"}


def test_a_short_shared_phrase_in_two_peoples_quotes_is_two_statements():
    """The verbatim rule above must not join two people's different quotes that share a phrase."""
    hale = keypoints.fact_signature('"He is no longer fit to be a member of Congress," Hale said.', frozenset({"hale"}))
    moss = keypoints.fact_signature('"She is the best member of Congress we have had," Moss said.', frozenset({"moss"}))
    assert not keypoints.same_statement(hale, moss) and not keypoints.compatible(hale, moss)


def test_a_tweet_after_an_outlet_published_is_published_before_not_left_out():
    """Issue 29: Harris's tweet "on Twitter Sunday" (Fox, Sunday) against NYT's and HuffPost's Friday articles:
    they were published before it happened, they did not leave it out."""
    from presslens.compare.claims import story_claims
    from presslens.compare.coverage import coverage_table

    texts = {
        "fox": (
            "Fox",
            "2019-03-24",
            "The special counsel delivered his report to the attorney general on Friday.\n"
            'Senator Kamala Harris tweeted Sunday that the full report "must be made public now."',
        ),
        "nyt": ("NYT", "2019-03-22", "The special counsel delivered his report to the attorney general on Friday."),
        "hpo": ("HuffPost", "2019-03-22", "The special counsel delivered his report to the attorney general Friday."),
    }
    analysis = keypoints.key_point_analysis([(a, o, t) for a, (o, _d, t) in texts.items()])
    outlet_of = {a: o for a, (o, _d, _t) in texts.items()}
    coverage = coverage_table("s", analysis, outlet_of, {a: d for a, (_o, d, _t) in texts.items()})
    (tweet,) = _points_with(analysis, r"Harris")
    rows = coverage[coverage.key_point == tweet.id].set_index("outlet")
    assert rows.loc["Fox", "covered"] and bool(rows.loc["NYT", "published_before"])
    assert bool(rows.loc["HuffPost", "published_before"])
    sentences = pd.DataFrame(
        [
            {"article_id": a, "story": "s", "outlet": o, "index": i, "is_headline": False, "sentence": s}
            for a, (o, _d, t) in texts.items()
            for i, s in enumerate(t.split("\n"))
        ]
    )
    claims = story_claims("s", coverage, sentences)
    (only,) = [c for c in claims["only"] if c.key_point == tweet.id]
    assert only.missing == [] and only.earlier == ["HuffPost", "NYT"]
    assert not [c for c in claims["blindspot"] if c.key_point == tweet.id]
    # the Friday delivery, in all three, is "every outlet" (a day on or before Friday's articles)
    (delivered,) = _points_with(analysis, r"delivered")
    assert delivered.id in {c.key_point for c in claims["every"]}


def test_a_fact_of_an_earlier_year_is_left_out_not_published_before():
    """A later article's fact dated in a past year ("in 1998", "a 2009 recording") was there to report before the
    earlier article came out: the earlier outlet left it out (it was "published before" whatever the point said)."""
    from presslens.compare.coverage import coverage_table, days_named

    assert days_named("the 2009 recording", date(2017, 11, 10)) == [date(2009, 12, 31)]
    assert days_named("paid $1,998 for the 2005-06 season", date(2017, 11, 10)) == []
    # BASIL 2018 (Mattis): a Sunday tweet naming "January 1, 2019" read as Jan. 1, 2018, a day before Thursday's
    # articles, so they "left out" what was tweeted after they came out
    assert days_named("will take over starting January 1, 2019, Trump wrote Sunday", date(2018, 12, 23)) == [
        date(2018, 12, 23),
        date(2019, 1, 1),
    ]
    texts = {
        "ledger": ("Ledger", "2017-11-09", "The Orrin council voted on Thursday to close the Mill Street footbridge."),
        "courier": (
            "Courier",
            "2017-11-10",
            "The Orrin council voted on Thursday to close the Mill Street footbridge.\n"
            "The footbridge was last rebuilt in 1998 after a barge struck its east ramp.",
        ),
    }
    analysis = keypoints.key_point_analysis([(a, o, t) for a, (o, _d, t) in texts.items()])
    outlet_of = {a: o for a, (o, _d, _t) in texts.items()}
    coverage = coverage_table("s", analysis, outlet_of, {a: d for a, (_o, d, _t) in texts.items()})
    (rebuilt,) = _points_with(analysis, r"1998")
    rows = coverage[coverage.key_point == rebuilt.id].set_index("outlet")
    assert rows.loc["Courier", "covered"] and not rows.loc["Ledger", "covered"]
    assert not bool(rows.loc["Ledger", "published_before"])


def _one_story(texts: dict[str, tuple[str, str]]):
    """Story "s" of ``texts`` ({article id: (outlet, text)}, a sentence a line): its key points, coverage rows and
    sentences table, as the report reads them."""
    from presslens.compare.coverage import coverage_table

    analysis = keypoints.key_point_analysis([(a, o, t) for a, (o, t) in texts.items()])
    coverage = coverage_table("s", analysis, {a: o for a, (o, _t) in texts.items()})
    sentences = pd.DataFrame(
        [
            {"article_id": a, "story": "s", "outlet": o, "index": i, "is_headline": False, "sentence": s}
            | {"key_points": []}
            for a, (o, t) in texts.items()
            for i, s in enumerate(t.split("\n"))
        ]
    )
    return analysis, coverage, sentences


def test_one_outlets_sentence_under_several_points_is_one_entry_of_the_report():
    """BASIL 2017 (Roy Moore): HuffPost's one sentence of the press secretary's statement was the evidence of three
    points Fox told in three sentences, so the blindspot list showed it three times. One entry now, with every
    sentence of both outlets."""
    from presslens.compare.claims import story_claims
    from presslens.report import what_matters

    bolts = "Inspectors found corroded anchor bolts under the east ramp of the Mill Street footbridge."
    texts = {
        "ledger": (
            "Ledger",
            f"{bolts}\nSpeaking to reporters at the town hall, Mayor Ana Ruiz also cautioned against a rush to "
            "judgment.\n"
            "“Like most residents, I believe we cannot shut a bridge over one inspection report,” Ruiz said.\n"
            "“However, I also believe that if the inspectors are right, the council will do the right thing and close "
            "it for repairs.”",
        ),
        "courier": (
            "Courier",
            f"{bolts}\nMayor Ana Ruiz, speaking at the town hall, told reporters that she “believes that we cannot "
            "shut a bridge over one inspection report” but that if the inspectors are right, “the council will do "
            "the right thing and close it for repairs.”",
        ),
        "gazette": ("Gazette", f"{bolts}\nThe footbridge carries about 4,000 walkers a day across the Orrin River."),
    }
    analysis, coverage, sentences = _one_story(texts)
    statement = [kp.id for kp in analysis.points if set(kp.covered_by) == {"Courier", "Ledger"}]
    assert len(statement) == 3  # the three points of the statement, each Courier's one sentence as evidence
    (entry,) = [c for c in story_claims("s", coverage, sentences)["blindspot"] if c.key_point in statement]
    assert sorted([entry.key_point, *(part.key_point for part in entry.folded)]) == sorted(statement)
    (shown,) = next(s for s in what_matters("s", {"coverage": coverage, "sentences": sentences})["sections"]
                    if s["title"].startswith("Reported by some"))["claims"]
    assert [e["outlet"] for e in shown["evidence"]].count("Ledger") == 3
    assert [e["outlet"] for e in shown["evidence"]].count("Courier") == 1


def test_an_only_x_relative_clause_is_shown_with_what_it_is_about():
    """BASIL 2018 (pipe bombs): "Only Fox News: … which is less than 10 miles from Aventura" was the part of a shared
    sentence only Fox wrote, a clause about nothing a reader could see. It is shown with the words it is about."""
    from presslens.compare.claims import story_claims

    arrest = "Police arrested a man in Calder Bay on Friday in connection with the parcel bombs.\n"
    texts = {
        "ledger": (
            "Ledger",
            f"{arrest}Several of the parcels went through the Orrin postal depot, which stands beside the disused "
            "Aventine ferry marina.",
        ),
        "courier": (
            "Courier",
            f"{arrest}Several of the parcels went through the Orrin postal depot, investigators said.",
        ),
    }
    _points, coverage, sentences = _one_story(texts)
    (only,) = story_claims("s", coverage, sentences)["only"]
    assert only.clause == (
        "Several of the parcels went through the Orrin postal depot, which stands beside the disused Aventine ferry "
        "marina"
    )



def test_an_outlet_quoting_the_same_words_twice_is_one_only_x_entry():
    """BASIL 2017 (elephant trophies): Fox quoted Royce's "wrong move at the wrong time" twice, once labelling the
    policy with it, once with Royce's whole sentence; the report listed two "Only Fox" facts. Sentences of one outlet
    quoting the same run of words are one statement: one entry showing both sentences."""
    from presslens.compare.claims import story_claims
    from presslens.report import what_matters

    vote = "The Orrin council voted on Tuesday to close the Mill Street footbridge for repairs."
    texts = {
        "ledger": (
            "Ledger",
            f"{vote}\nThe vote came hours after the harbour board's chairman called the closure \"a costly answer to "
            "a question nobody asked.\"\nCaptain Ilse Moravec said the ferry could carry walkers in the meantime, "
            "but added: \"Frankly, this is a costly answer to a question nobody asked.\"",
        ),
        "courier": ("Courier", f"{vote}\nThe footbridge carries about 4,000 walkers a day across the Orrin River."),
    }
    _points, coverage, sentences = _one_story(texts)
    quoting = [c for c in story_claims("s", coverage, sentences)["only"] if "costly answer" in c.evidence["Ledger"][2]]
    assert len(quoting) == 1
    (entry,) = quoting
    told = {entry.evidence["Ledger"][2], *(part.evidence["Ledger"][2] for part in entry.folded)}
    assert len(told) == 2 and all("a costly answer to a question nobody asked" in t for t in told)
    section = next(
        s for s in what_matters("s", {"coverage": coverage, "sentences": sentences})["sections"]
        if s["title"].startswith("Reported by one outlet only")
    )
    entries = [[c["text"], *(e["sentence"] for e in c["evidence"])] for c in section["claims"]]  # text, sentences
    (read,) = [texts for texts in entries if "costly answer" in " ".join(texts)]
    assert next(c for c in section["claims"] if c["text"] == read[0])["id"].endswith("the same quote")
    assert {t.strip(" .") for t in told} <= {t.strip(" .") for t in read}


# --- issue 29, second round: claims need the fact's own words (own-written sentences and coverage rows) ---

FOOTBRIDGE = {
    "Ledger": [
        "The Orrin council voted on Tuesday to close the Mill Street footbridge for repairs.",
        "Inspectors found corroded anchor bolts under the east ramp of the footbridge.",
    ],
    "Courier": [
        "Orrin's council voted on Tuesday to shut the Mill Street footbridge for repairs.",
        "The trouble lies under the east ramp, where the anchor bolts have corroded, inspectors say.",
    ],
    "Herald": [
        "The Orrin council voted on Tuesday to close the Mill Street footbridge for repairs.",
        "The mayor said a ferry would run across the river while the footbridge is closed.",
    ],
}


def _claims_on(points: list[tuple[str, dict[str, int | float]]], texts: dict[str, list[str]] = FOOTBRIDGE):
    """story_claims on coverage rows written by hand: each point (label, outlet -> the index of the sentence
    that reports it, or a float: the nearest similarity of an outlet that does not)."""
    from presslens.compare.claims import story_claims

    sentences = pd.DataFrame(
        [
            {
                "article_id": outlet.lower(),
                "story": "s",
                "outlet": outlet,
                "index": i,
                "is_headline": False,
                "sentence": s,
            }
            for outlet, lines in texts.items()
            for i, s in enumerate(lines)
        ]
    )
    rows = []
    for number, (label, cells) in enumerate(points, start=1):
        for outlet in texts:
            cell = cells.get(outlet, 0.0)
            covered = isinstance(cell, int)
            rows.append(
                {
                    "story": "s",
                    "key_point": f"kp{number:03d}",
                    "label": label,
                    "outlet": outlet,
                    "covered": covered,
                    "first_position": 0.5 if covered else None,
                    "sentences": str(cell) if covered else "",
                    "in_headline": False,
                    "in_first_paragraph": False,
                    "nearest": None if covered else cell,
                    "published_before": False,
                }
            )
    return story_claims("s", pd.DataFrame(rows), sentences)


def test_a_line_that_introduces_a_list_is_no_fact_every_outlet_reports():
    """GVA's November 2016 stream: "Reported by every outlet: Arrangement for Parker Hess from the Republic Volunteer
    Fire Company:", met by the other outlet's lead through the names alone. A line ending in a colon introduces what
    follows; it states nothing a reader can quote."""
    texts = {
        "Ledger": ["Arrangements for Tobin Marsh from the Orrin Volunteer Fire Company:"],
        "Courier": ["Tobin Marsh, a junior firefighter, was shot inside the Orrin Volunteer Fire Company on Sunday."],
    }
    label = "Arrangements for Tobin Marsh from the Orrin Volunteer Fire Company:"
    claims = _claims_on([(label, {"Ledger": 0, "Courier": 0})], texts)
    assert not any(claims.values())


def test_an_outlet_with_the_facts_own_words_is_not_said_to_leave_it_out():
    """Issue 29: "only X reports" was wrong when another outlet told the fact in words of its own order that the
    similarity scored low (the grabbed-wrist paraphrases): Courier names the corroded anchor bolts under the east
    ramp, so "only Ledger" cannot be claimed, however low its nearest similarity."""
    bolts = "Inspectors found corroded anchor bolts under the east ramp of the footbridge"
    claims = _claims_on([(bolts, {"Ledger": 1, "Courier": 0.05, "Herald": 0.0})])
    assert not claims["only"] and not claims["blindspot"]


def test_an_outlet_without_the_facts_own_words_leaves_it_out_though_its_topic_is_near():
    """Issue 29: a fact only one outlet reports went unlisted when another outlet's sentence on the same topic
    came near: the ferry is Herald's alone though Ledger's and Courier's footbridge sentences come near (0.3),
    for neither names a mayor, a ferry or a river."""
    ferry = "The mayor said a ferry would run across the river while the footbridge is closed"
    claims = _claims_on([(ferry, {"Herald": 1, "Ledger": 0.3, "Courier": 0.3})])
    (only,) = claims["only"]
    assert only.outlets == ["Herald"] and only.missing == ["Courier", "Ledger"]


def test_every_outlet_claim_needs_each_outlets_sentence_to_hold_the_fact():
    """Issue 29: "every outlet reports" was shown with a sentence of one outlet that shares the topic, not the
    fact (Fox's "my account was hacked" for "he hired a security company"): Herald's ferry sentence is no evidence
    of the corroded bolts, so the claim is not made; the vote, which all three state, is."""
    bolts = "Inspectors found corroded anchor bolts under the east ramp of the footbridge"
    vote = "The Orrin council voted on Tuesday to close the Mill Street footbridge for repairs"
    claims = _claims_on(
        [(bolts, {"Ledger": 1, "Courier": 1, "Herald": 1}), (vote, {"Ledger": 0, "Courier": 0, "Herald": 0})]
    )
    assert [c.label for c in claims["every"]] == [vote]


def test_a_quote_label_names_its_speaker():
    """Issue 29: a quote's label read '"…," she said' without her name though the sourcing step knew it;
    a "he" inside the quoted words is the speaker's word and stays."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Ledger",
                "Fire chief Ines Varga spoke at the Mill Street footbridge on Tuesday.\n"
                '"The anchor bolts under the east ramp are corroded and he knew it," she said.',
            ),
            ("b", "Courier", '"The anchor bolts under the east ramp are corroded and he knew it," Ines Varga said.'),
        ]
    )
    (bolts,) = _points_with(analysis, r"anchor bolts")
    assert set(bolts.covered_by) == {"Ledger", "Courier"}
    assert keypoints.named_label(
        '"The anchor bolts under the east ramp are corroded and he knew it," she said', "Ines Varga"
    ) == ('"The anchor bolts under the east ramp are corroded and he knew it," Ines Varga said')
    (alone,) = _points_with(
        keypoints.key_point_analysis(
            [
                (
                    "a",
                    "Ledger",
                    "Fire chief Ines Varga spoke at the Mill Street footbridge on Tuesday.\n"
                    '"The anchor bolts under the east ramp are corroded and he knew it," she said.',
                ),
                ("b", "Courier", "The council of Orrin voted to close the Mill Street footbridge for repairs."),
            ]
        ),
        r"anchor bolts",
    )
    assert alone.label.endswith('he knew it," Ines Varga said')
    # a unit that is all quoted words (its sentence's attribution in another clause) names her after a dash
    assert keypoints.named_label('"The bolts are corroded."', "Ines Varga") == '"The bolts are corroded." — Ines Varga'


def test_a_blindspot_reads_who_reports_it_and_who_does_not():
    """Issue 29: the blindspot list read "Ledger and Courier report, Herald not"; it names who has the fact and
    who does not as a sentence would."""
    from presslens.compare.claims import Claim, claim_lead

    assert (
        claim_lead(Claim("blindspot", "kp001", "x", ["Courier", "Ledger"], ["Herald"]))
        == "Courier and Ledger, not Herald"
    )
    assert claim_lead(Claim("blindspot", "kp001", "x", ["Ledger"], ["Herald", "Post"])) == "Ledger, not Herald or Post"
    assert claim_lead(Claim("only", "kp001", "x", ["Ledger"], ["Herald"])) == "Only Ledger"


def test_a_sentence_naming_no_one_and_nothing_is_no_fact_to_list():
    """Issue 29: the bundled wildfire story listed "Only Northshore Daily: No one else was hurt." — a sentence with
    two content words, no name and no figure, is no fact a journalist would quote as one outlet's; a short sentence
    with a name ("Ines Varga resigned.") still is."""
    texts = {
        "Ledger": ["A firefighter was treated for smoke on Tuesday.", "No one else was hurt.", "Ines Varga resigned."],
        "Courier": ["A firefighter was treated for smoke on Tuesday."],
        "Herald": ["A firefighter was treated for smoke on Tuesday."],
    }
    claims = _claims_on(
        [
            ("No one else was hurt", {"Ledger": 1, "Courier": 0.0, "Herald": 0.0}),
            ("Ines Varga resigned", {"Ledger": 2, "Courier": 0.0, "Herald": 0.0}),
        ],
        texts,
    )
    assert [c.label for c in claims["only"]] == ["Ines Varga resigned"]


def test_a_speech_verb_used_as_a_noun_keeps_who_acted_in_the_fact():
    """Read as a user on BASIL 2017: "Rep. X backed Y's comments in a press conference on Capitol Hill Wednesday"
    was read as an attribution ending at "comments in a press" and cut to "conference on Capitol Hill Wednesday",
    so another outlet's sentence about cancelled events on Capitol Hill that Wednesday became its evidence and the
    report claimed a blindspot. "comments" after a possessive or an article is a noun: nothing is cut."""
    backed = "Councillor Ada Brenner backed the mayor's comments in a press conference at City Hall on Wednesday"
    assert keypoints.fact_text(backed) == backed
    assert keypoints.fact_text("The reports of a second fire were false, the fire chief said.") == (
        "The reports of a second fire were false"
    )
    texts = {
        "Ledger": ["The Orrin council voted on Tuesday to close the Mill Street footbridge.", backed + "."],
        "Courier": [
            "Orrin's council voted on Tuesday to shut the Mill Street footbridge.",
            "Several meetings at City Hall were cancelled on Wednesday, including a budget hearing.",
        ],
        "Herald": ["The Orrin council voted on Tuesday to close the Mill Street footbridge."],
    }
    claims = _claims_on([(backed, {"Ledger": 1, "Courier": 1, "Herald": 0.0})], texts)
    assert not claims["blindspot"] and not claims["every"]


def test_a_clause_merged_back_reads_as_its_sentence_did():
    """Read as a user on BASIL 2017: a label read "X was, interviewed by FBI agents …": the sentence was cut on
    the space before "interviewed by", the short "X was" merged back with a comma. A merged clause keeps the
    words that joined it; a cut on a semicolon keeps the semicolon."""
    sentence = "Ines Varga was interviewed by Calder County investigators about the fire at the Mill Street bakery."
    assert [unit for _s, _p, unit in keypoints.split_units(sentence)] == [sentence.rstrip(".")]
    listed = "The storm injured three people; Ada Brenner, a teacher; Tom Ilse, a baker."
    assert [unit for _s, _p, unit in keypoints.split_units(listed)] == [listed.rstrip(".")]


def test_an_aside_opened_by_and_stays_in_its_clause():
    """Read as a user on BASIL 2018: "X's resignation letter was the sharpest, and most public, protest from …" was
    cut at ", and", leaving "X's resignation letter was the sharpest" as a label that every outlet mentioning a
    resignation letter seemed to report. An "and" aside closed by a comma within a few words is no clause."""
    aside = "Ines Varga's letter was the sharpest, and most public, protest from inside the council over the contract."
    assert [unit for _s, _p, unit in keypoints.split_units(aside)] == [aside.rstrip(".")]
    two = "The council voted to close the footbridge, and the mayor said a ferry would run across the river."
    assert len(keypoints.split_units(two)) == 2  # "and" joining two clauses still cuts


def test_an_aside_between_the_subject_and_its_verb_stays_in_its_clause():
    """Read as a user on BASIL 2018 (Strzok fired): "The inspector general said the email" was a point every outlet
    reported: the Times' "The inspector general said the email, which included a draft of the search warrant
    affidavit, contained information …" was cut at ", which", leaving a subject without its verb and a "which …,
    contained …" without its subject (29 such cuts in BASIL and the Zyte pages). An aside between commas that the
    sentence's own verb follows is no clause; a "which" clause that ends the sentence still is."""
    aside = (
        "The harbour board said the report, which included a draft of the lease, contained figures that were never "
        "published."
    )
    assert [unit for _s, _p, unit in keypoints.split_units(aside)] == [aside.rstrip(".")]
    trailing = (
        "The council closed the Mill Street footbridge on Monday, which cut the quickest walk from the Orrin estate "
        "to the railway station for thousands of commuters."
    )
    assert len(keypoints.split_units(trailing)) == 2


def test_a_label_tells_what_happened_rather_than_only_whom_a_list_names():
    """Read as a user on BASIL 2017: a point every outlet reports was labelled with one outlet's list item
    ("X, a staffer from Rep. Y's office", cut from "The attack injured A; B; X, …") though another outlet's
    clause says what happened to X: the label is the clause with a verb."""
    analysis = keypoints.key_point_analysis(
        [
            (
                "a",
                "Ledger",
                "The storm injured three people in Fallow Creek on Monday; Ada Brenner, a teacher from Fallow Creek; "
                "Tom Ilse, a baker at the Mill Street bakery; and a volunteer firefighter.",
            ),
            ("b", "Courier", "Ada Brenner, a teacher from Fallow Creek, was hurt by a falling branch on Monday."),
        ]
    )
    (brenner,) = _points_with(analysis, r"^Ada Brenner")
    assert set(brenner.covered_by) == {"Ledger", "Courier"}
    assert brenner.label == "Ada Brenner, a teacher from Fallow Creek, was hurt by a falling branch on Monday"


def test_a_quote_told_in_other_words_beside_its_speakers_name_is_not_one_outlets():
    """Issue 29: "only X" was claimed for a quote another outlet tells in its own words right after naming the
    speaker ("It was a prank," Weiner reiterated / "a hacker or a prankster", Mr. Weiner said): Courier's sentences
    around Ann Lee hold most of the toll quote's distinguishing words (harbour, tunnel, spring, pay), though fewer
    than DISTINCT_PRESENT over its whole article and its closest sentence scores low."""
    texts = {
        "Ledger": [
            "The Orrin council voted on Tuesday to close the Mill Street footbridge for repairs.",
            '"The toll on the harbour tunnel will double next spring to pay for the bridge," Mayor Ann Lee said.',
        ],
        "Courier": [
            "Orrin's council voted on Tuesday to shut the Mill Street footbridge for repairs.",
            "Mayor Ann Lee spoke to reporters after the vote.",
            "She said drivers in the harbour tunnel would pay for the repairs next spring.",
            "The weather was mild.",
        ],
        "Herald": [
            "The Orrin council voted on Tuesday to close the Mill Street footbridge for repairs.",
            "The mayor said a ferry would run across the river while the footbridge is closed.",
        ],
    }
    toll = '"The toll on the harbour tunnel will double next spring to pay for the bridge," Mayor Ann Lee said'
    claims = _claims_on([(toll, {"Ledger": 1, "Courier": 0.05, "Herald": 0.0})], texts)
    assert not claims["only"] and not claims["blindspot"]


def test_key_points_take_each_sentences_speakers_from_the_record(tmp_path, monkeypatch):
    """Issue 33: the story build ran the sourcing step again over every article (~6% of key points) for who each
    sentence quotes, which the page step had read already. The record keeps it; the build takes it from there
    and gives the same key points."""
    import json

    from presslens import building

    shutil.copytree(WILDFIRE, tmp_path / "raw" / "orrin-fire")
    out = tmp_path / "out"
    run_pipeline(tmp_path / "raw", out)
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "articles").glob("*.json"))]
    assert records and all(r["speakers"] is not None for r in records)
    for r in records:
        assert keypoints.recorded_speakers(r["quotes"], r["speakers"]) == keypoints.sentence_speakers(r["text"])
    assert any(r["speakers"] for r in records)  # the wildfire pages quote people: not a vacuous check
    before = table_csv(out, "coverage", keep_default_na=False)

    def read_again(text):
        raise AssertionError("the build read a recorded article's speakers again")

    monkeypatch.setattr(keypoints, "sentence_speakers", read_again)
    building.build_tables(out, full=True)
    pd.testing.assert_frame_equal(table_csv(out, "coverage", keep_default_na=False), before)


def test_a_quote_two_outlets_credit_to_different_people_names_no_one_in_its_label():
    """Issue 29: the joined "His conduct is unbecoming …" point read "… — Bob Etheridge", the speaker the label's
    unit was credited to, though NYT credits Thompson (Fox's speaker finder slipped). Outlets disagreeing one to
    one: the label names no one rather than the wrong person; a speaker most outlets agree on is named."""
    quote = "The mayor's conduct is unbecoming of anyone who holds public office in this city"
    hale = ("a", "Ledger", f'Council spokesman Jon Hale spoke first after the vote.\n"{quote}," he said.')
    moss = ("b", "Courier", f'Council member Rita Moss spoke first after the vote.\n"{quote}," she said.')
    (point,) = _points_with(keypoints.key_point_analysis([hale, moss]), r"unbecoming")
    assert {u.speaker for u in point.units} == {"Jon Hale", "Rita Moss"}  # each outlet credits its own speaker
    assert "Hale" not in point.label and "Moss" not in point.label, point.label
    hale_again = ("c", "Herald", f'Council spokesman Jon Hale spoke first after the vote.\n"{quote}," he added.')
    (point,) = _points_with(keypoints.key_point_analysis([hale, moss, hale_again]), r"unbecoming")
    assert "Hale" in point.label and "Moss" not in point.label, point.label


def test_a_declaration_keeps_its_verb_and_actor_in_the_fact():
    """Read as a user on BASIL 2019: "President Trump declared a national emergency on the border … on Friday" was
    read as an attribution ("Trump declared") and cut to "a national emergency on the border …", so NYT's lead no
    longer met Fox's "Trump said Friday he is declaring a national emergency" and the report showed a quote about a
    "security crisis" as NYT's sentence for the point. A speech verb with a noun phrase after it is the fact's deed."""
    declared = "Mayor Ines Varga declared a state of emergency in Orrin on Friday after the river broke its banks"
    assert keypoints.fact_text(declared) == declared
    assert keypoints.fact_text("Mayor Ines Varga announced that the Mill Street bridge would stay closed") == (
        "the Mill Street bridge would stay closed"
    )
    assert keypoints.fact_text("The Orrin council reported a loss of $2 million on the ferry") == (
        "The Orrin council reported a loss of $2 million on the ferry"
    )


def test_who_said_it_is_no_fact_of_its_own():
    """Read as a user on BASIL 2019: “It actually creates zero precedent,” Mick Mulvaney, the acting White House
    chief of staff, told reporters (NYT) and HuffPost's "…, acting White House chief of staff Mick Mulvaney told
    reporters" (a clause cut at "acting") met on the attribution alone, and the report said HuffPost carried the
    quote. An attribution after a quote, however long the speaker's title, is cut from the fact, and a clause that
    only says who spoke stays with the clause it attributes."""
    quoted = "“It creates no precedent for the next council,” Tom Ilse, the acting deputy mayor, told reporters"
    assert keypoints.fact_text(quoted) == "“It creates no precedent for the next council,”"
    sentence = (
        "The order lets the town spend $3 million from its road fund on the levee, acting deputy mayor Tom Ilse "
        "told reporters."
    )
    assert [unit for _s, _p, unit in keypoints.split_units(sentence)] == [sentence.rstrip(".")]
    articles = [
        ("ledger-1", "Ledger", quoted + ".\nThe council met on Monday to approve the levee repairs at Mill Street."),
        ("courier-1", "Courier", sentence + "\nThe council met on Monday to approve the levee repairs at Mill Street."),
    ]
    analysis = keypoints.key_point_analysis(articles)
    quote = next(kp for kp in analysis.points if 0 in kp.sentences.get("Ledger", []))
    assert "Courier" not in quote.covered_by


def test_a_quote_cut_at_a_dash_leaves_no_point_that_only_names():
    """Read as a user on BASIL 2019: Warren's tweet “Attorney General Barr — release the Mueller report to the
    American public.” was cut at the dash, and its first clause, “Attorney General Barr, became a point every outlet
    reported — through any sentence naming Barr (HuffPost's evidence was another group's statement about him). A
    clause that only names stays with its neighbour; a clause of lower-case words ("has not said what he will do")
    still stands alone."""
    tweet = "“Mayor Ines Varga — reopen the Mill Street footbridge to everyone who crosses it daily.”"
    assert [unit for _s, _p, unit in keypoints.split_units(tweet)] == [tweet.rstrip(".”") + ".”"]
    said = "Former mayor Tom Ilse has not said what he will do, but the Ledger reported that he leans towards a run."
    assert len(keypoints.split_units(said)) == 2
    articles = [
        ("ledger-1", "Ledger", "Councillor Ada Brenner wrote on Sunday:\n" + tweet),
        (
            "courier-1",
            "Courier",
            "“Mayor Ines Varga must not let the contractor decide which parts of the inspection are made known,” the "
            "joint statement said.",
        ),
        ("herald-1", "Herald", "Mayor Ines Varga met the contractor on Monday to discuss the inspection."),
    ]
    analysis = keypoints.key_point_analysis(articles)
    assert not [kp.label for kp in analysis.points if len(kp.covered_by) == 3]


def test_a_label_without_a_verb_reads_as_its_sentence():
    """Read as a user on BASIL 2014: a blindspot read "Fox and NYT, not HuffPost: Spokesmen for the office of the
    United States attorney in Brooklyn, Loretta E. Lynch" — the clause before ", and for the … office declined to
    comment", which says whom and not what. A label whose clause tells no action is its sentence when the sentence
    does; a clause with an irregular past ("drew") or "there's" tells one."""
    sentence = "Spokesmen for the Orrin fire service, Ines Varga, and for the county police declined to comment."
    unit = "Spokesmen for the Orrin fire service, Ines Varga"
    assert [u for _s, _p, u in keypoints.split_units(sentence)][0] == unit
    assert keypoints.quotable_label(unit, sentence) == sentence
    says = "He says that as a member of the Orrin council and its bridge committee, he has seen the inspection report."
    assert keypoints.quotable_label("He says that as a member of the Orrin council", says) == says  # BASIL 2015
    drew = "Their quarrel drew a crowd of reporters to the town hall"
    assert keypoints.quotable_label(drew, drew + ", where the council met on Monday.") == drew
    assert keypoints.tells_action("However, there’s little time left before the vote")


def test_an_outlet_saying_one_fact_twice_is_listed_once():
    """Read as a user on BASIL 2016: "Only Fox News: “Of course the National Enquirer story is 100 percent false!,”
    Pierson tweeted" and, next in the list, "Only Fox News: Of course the National Enquirer story is 100% FALSE!!!"
    (the tweet, embedded). One outlet's units are never one key point, so one fact it tells twice was two "only"
    claims. An outlet's "only" claim that restates one already listed (most of the words, the same figures) is
    not listed again; another figure is another fact."""
    texts = {
        "Ledger": [
            "“The Mill Street footbridge will stay closed until March 3,” Mayor Ines Varga wrote on Twitter.",
            "The Mill Street footbridge will stay closed until March 3!!!",
            "The Mill Street footbridge will stay closed until March 24, the contractor said.",
        ],
        "Courier": ["The council met on Monday."],
        "Herald": ["The council met on Monday."],
    }
    claims = _claims_on(
        [
            ("“The Mill Street footbridge will stay closed until March 3,” Mayor Ines Varga wrote", {"Ledger": 0}),
            ("The Mill Street footbridge will stay closed until March 3!!!", {"Ledger": 1}),
            ("The Mill Street footbridge will stay closed until March 24", {"Ledger": 2}),
        ],
        texts,
    )
    assert len(claims["only"]) == 2
    assert any("March 24" in claim.label for claim in claims["only"])


def test_evidence_that_shares_only_whom_a_fact_names_is_no_evidence():
    """Read as a user on BASIL 2014, 2016 and 2019: "Every outlet reports: Senate Majority Leader Mitch McConnell
    said he will not take up legislation that Trump has not endorsed", Fox's sentence being McConnell saying Trump
    agreed to designate staff; "Fox and HuffPost, not NYT: … Seddique Mateen expressed gratitude toward the Afghan
    Taliban in videos posted online", Fox's sentence being Mateen shouting at officers. Each sentence held the
    fact's names and none of its words in lower case. A claim needs each outlet's sentence to hold one of them;
    a sentence's first word counts when the story writes it in lower case ("Officials in Orrin …")."""
    texts = {
        "Ledger": [
            "Mayor Ines Varga thanked the Mill Street volunteers in a video on the town website.",
            "Officials in Orrin certified the levee repairs on Friday.",
        ],
        "Courier": [
            "Mayor Ines Varga was heard shouting at the Mill Street council meeting on Monday.",
            "Orrin officials approved the work on the embankment on Friday.",
        ],
        "Herald": ["The council met on Monday.", "The ferry ran late."],
    }
    claims = _claims_on(
        [
            ("Mayor Ines Varga thanked the Mill Street volunteers in a video", {"Ledger": 0, "Courier": 0}),
            ("Officials in Orrin certified the levee repairs on Friday", {"Ledger": 1, "Courier": 1}),
        ],
        texts,
    )
    assert [c.label for c in claims["blindspot"]] == ["Officials in Orrin certified the levee repairs on Friday"]


def test_a_date_told_with_its_year_is_a_date():
    """Stop 42's reading of BASIL 2018 saw one end date told as "February 28, 2019" by Fox and "Feb. 28" by
    HuffPost. A day followed by its year was no day to the fact signature, so "… close on February 28, 2019" and
    "… close on March 3" could be one point; and "February" and "Feb." were two words. A date with its year is
    a date, and a month is its three letters."""
    articles = [
        ("ledger-1", "Ledger", "The Mill Street footbridge will close for repairs on February 28, 2019, Orrin said."),
        ("courier-1", "Courier", "The Mill Street footbridge will close for repairs on March 3, Orrin said."),
    ]
    points = keypoints.key_point_analysis(articles).points
    assert sorted(sorted(kp.covered_by) for kp in points) == [["Courier"], ["Ledger"]]
    assert keypoints.features("Feb. 28") == keypoints.features("February 28")


def test_a_unique_part_of_a_shared_sentence_reads_as_a_part():
    """Read as a user on BASIL 2019: "Only The New York Times: before the first presidential primaries" — the part of
    NYT's sentence ("… ended in January 2016 — before the first presidential primaries — and …") that no other
    outlet reports, shown alone because the whole sentence sits under another list. A part that is no clause of
    its own is shown as a part ("… before …"), the sentence beneath it."""
    sentence = "The Orrin council closed the footbridge on Monday — before the spring floods — and reopened the ferry."
    texts = {
        "Ledger": [sentence],
        "Courier": ["The Orrin council closed the footbridge on Monday, its clerk wrote."],
        "Herald": ["On Monday the Orrin council closed the footbridge."],
    }
    claims = _claims_on(
        [
            ("The Orrin council closed the footbridge on Monday", {"Ledger": 0, "Courier": 0, "Herald": 0}),
            ("before the spring floods", {"Ledger": 0, "Courier": 0.0, "Herald": 0.0}),
        ],
        texts,
    )
    assert [c.clause for c in claims["only"]] == ["… before the spring floods"]
    opening = "Rain is due on Monday, which the crews said would help them at the footbridge."
    claims = _claims_on(
        [
            ("which the crews said would help them at the footbridge", {"Ledger": 0, "Courier": 0, "Herald": 0}),
            ("Rain is due on Monday", {"Ledger": 0, "Courier": 0.0, "Herald": 0.0}),
        ],
        {
            "Ledger": [opening],
            "Courier": ["The crews said rain would help them at the footbridge."],
            "Herald": ["Rain would help the crews at the footbridge, they said."],
        },
    )
    assert [c.clause for c in claims["only"]] == ["Rain is due on Monday …"]  # the bundled example's first clause


def test_an_only_claim_on_a_shared_sentence_shows_its_own_part_even_when_the_shared_point_is_not_listed():
    """Read as a user on BASIL 2015: "Only The New York Times: LIVINGSTON, N.J. — Gov. Chris Christie declared an
    uphill candidacy for president on Tuesday …, vowing that “…”" — HuffPost reports the declaration too (no claim
    was listed for it: Fox may tell it in other words), only the vow is NYT's. A sentence that is an outlet's
    evidence of a point others report shows, under "only X", the part that is X's alone."""
    sentence = "The Orrin council closed the footbridge on Monday, vowing that “no one will cross it until the spring.”"
    texts = {
        "Ledger": [sentence],
        "Courier": ["The Orrin council closed the footbridge on Monday, its clerk wrote."],
        "Herald": ["Council members in Orrin closed the footbridge on Monday."],
    }
    claims = _claims_on(
        [
            ("The Orrin council closed the footbridge on Monday", {"Ledger": 0, "Courier": 0, "Herald": 0.0}),
            ("vowing that “no one will cross it until the spring.”", {"Ledger": 0, "Courier": 0.0, "Herald": 0.0}),
        ],
        texts,
    )
    assert not claims["blindspot"] and not claims["every"]
    assert [c.clause for c in claims["only"]] == ["… vowing that “no one will cross it until the spring.”"]


def test_a_passive_verb_stays_with_its_auxiliary():
    """Read as a user on BASIL 2015: an "every outlet" label read "Three weeks ago, the State Department handed over
    the Benghazi emails to the House Select Committee on Benghazi, which is" — the clause cut fell between "is" and
    "led by Representative Trey Gowdy". A participle with "by" after a form of "be" is the clause's own verb; after
    a noun or "being" it still opens a clause of its own."""
    sentence = "The clerk sent the emails to the bridge committee, which is led by Councillor Ada Brenner of Calder."
    units = [unit for _s, _p, unit in keypoints.split_units(sentence)]
    assert not [u for u in units if u.endswith(" is")], units


def test_tfidf_vectors_are_scikit_learns_to_the_last_bit():
    """The key points' own TF-IDF (scikit-learn's per-call checks cost more than the counting) must give
    TfidfVectorizer's numbers exactly: a last-bit change moves pairs across the similarity thresholds, so the
    entries' order within a row (the sum order of cosines and norms) must be the vectorizer's too."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = []
    for seed in ("000_9d96712d07ff0cab.txt", "001_4aafd163f21e6d67.txt"):
        text = need_shared(SHARED / "seeds" / seed).read_text(encoding="utf-8")
        docs += [keypoints.features(keypoints.fact_text(unit)) for _s, _p, unit in keypoints.split_units(text)]
    assert len(docs) > 50
    vectors, idf, vocabulary = keypoints.tfidf_vectors(docs)
    reference = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True)
    expected = reference.fit_transform(docs)
    assert vocabulary == reference.vocabulary_
    assert np.array_equal(idf, reference.idf_)
    assert np.array_equal(vectors.indptr, expected.indptr)
    assert np.array_equal(vectors.indices, expected.indices)  # not sorted within rows: the vectorizer's order
    assert np.array_equal(vectors.data, expected.data)


AIRPORT_PAGES = (  # GVA dev: four reports of the Fort Lauderdale airport shooting (January 2017)
    "24db181b64dadbf4badbb6c2dbe77617",  # krem.com: a Q&A with headings ("Here's what we know:", "What happened?")
    "81d30874de71b24b34f18e7bafb4cf4d",  # nydailynews.com
    "ad1fd8e27e52b2e0c8e12194138a21df",  # nbcmiami.com, and its update of the same day (same quotes)
    "f2298ff53bfd1332ee67598371994c03",
)


@pytest.fixture(scope="module")
def airport_story(tmp_path_factory):
    import json

    from benchmarks.stories import gva_page_html

    docs = need_shared(SHARED / "bench" / "events" / "gva-dev" / "docs.jsonl")
    root = tmp_path_factory.mktemp("airport")
    story = root / "raw" / "airport"
    story.mkdir(parents=True)
    for line in docs.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["doc"] in AIRPORT_PAGES:
            (story / f"{doc['doc']}.html").write_text(gva_page_html(doc["title"], doc["text"]), encoding="utf-8")
            sidecar = {"outlet": doc["outlet"], "published": doc["published"], "url": doc["url"]}
            (story / f"{doc['doc']}.html.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    run_pipeline(root / "raw", root / "out")
    return root / "out"


def test_a_heading_is_no_evidence_of_the_facts_it_shares_a_word_with(airport_story):
    """krem.com's "Here's what we know:" covered five key points at the cover level (one content word: its cosine
    with any sentence holding "know" is ~0.38), and the report said krem.com and the Daily News reported Kim's "he
    was the greatest person you could know", with "Here's what we know:" as krem.com's sentence."""
    sentences = table_csv(airport_story, "sentences", keep_default_na=False)
    for heading in ("Here's what we know:", "What happened?", "Who is the suspect?"):
        cited = sentences[sentences.sentence == heading].key_points.iloc[0].split()
        assert len(cited) <= 1, (heading, cited)  # its own point at most
    report = (airport_story / "stories" / "airport" / "report.html").read_text(encoding="utf-8")
    assert "Here&#39;s what we know:" not in report.split("What each outlet leads with")[0]


def test_a_sentence_an_outlets_update_repeats_is_listed_once(airport_story):
    """nbcmiami.com's two articles of the day both quote Sheriff Israel ("At this point, it looks like he acted
    alone"): an outlet's units are never one key point, so there were two points, and the report listed the same
    claim, with the same sentences, twice."""
    report = (airport_story / "stories" / "airport" / "report.html").read_text(encoding="utf-8")
    claims = re.findall(r'<li>(?:<strong>([^<]*)</strong>: )?([^<]*)\n<span class="note">\((kp\d+)', report)
    assert any("acted alone" in text for _lead, text, _kp in claims)
    shown = [(lead, text) for lead, text, _kp in claims]
    assert len(shown) == len(set(shown)), sorted(c for c in shown if shown.count(c) > 1)


def test_a_list_items_bullet_is_not_part_of_its_label(airport_story):
    """krem.com lists the victims as "► Terry Andres, of Virginia.": the point's label kept the "►"."""
    coverage = table_csv(airport_story, "coverage", keep_default_na=False)
    andres = coverage[coverage.label.str.contains("Terry Andres")]
    assert len(andres)
    assert not andres.label.str.contains("►").any()


def test_an_embedded_post_is_labelled_as_whose_post_it_is(tmp_path):
    """nbcnews.com's Bourbon Street shooting report embeds a reporter's tweet, which the captured page runs into one
    line with its picture's link and credit; the report listed "Only nbcnews.com: On scene at the shooting on Bourbon
    @wdsu pic.twitter.com/GzzlNoQkOR — megan k mackel (@nolacameragirl) November 27, 2016" as a fact."""
    import json

    from benchmarks.stories import gva_page_html

    docs = need_shared(SHARED / "bench" / "events" / "gva-dev" / "docs.jsonl")
    story = tmp_path / "raw" / "bourbon-street"
    story.mkdir(parents=True)
    for line in docs.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["doc"] in ("ee66eb599c130373a26fe35fa2b63cf7", "96084c3491f279f2aced6693747ecfe5"):
            (story / f"{doc['doc']}.html").write_text(gva_page_html(doc["title"], doc["text"]), encoding="utf-8")
            sidecar = {"outlet": doc["outlet"], "published": doc["published"], "url": doc["url"]}
            (story / f"{doc['doc']}.html.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    run_pipeline(tmp_path / "raw", tmp_path / "out")
    labels = set(table_csv(tmp_path / "out", "coverage", keep_default_na=False).label)
    assert "A post by @nolacameragirl: “On scene at the shooting on Bourbon @wdsu”" in labels
    assert not [label for label in labels if "pic.twitter.com" in label]


def test_a_pages_note_on_itself_is_no_key_point():
    """NBC New York's Hofstra shooting page opens with its video's summary, "… Katherine Creag reports. (Published
    Wednesday, Dec. 14, 2016)", and the Daily News' page keeps a credit "(NBC4)": the report listed each as a fact
    only that outlet reported. A bracketed date or credit and a video's "<reporter> reports." are no key point; a
    bracketed sentence is."""
    text = gva_page_text("c002b8233bdcc493b250cad008857319")
    units = [unit for _s, _p, unit in keypoints.split_units(text)]
    assert not any("Published" in u or "Creag" in u for u in units)
    assert "Officers found the teen lying on the ground with a gunshot wound to his head" in units
    own = "The ferry was late.\n(NBC4)\n(The crossing took twenty minutes.)"
    kept = ["The ferry was late", "(The crossing took twenty minutes.)"]
    assert [u for _s, _p, u in keypoints.split_units(own)] == kept
