"""Key points, coverage, leads, syndicated copies and story grouping (issue 5), on the seeds."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from presslens.bench.coverage import run as run_coverage_bench
from presslens.cli import extract_record
from presslens.compare.keypoints import split_units, story_key_points
from presslens.compare.stories import assign_story
from presslens.pipeline import run_pipeline
from tests.conftest import EXAMPLE, SHARED, need_shared


@pytest.fixture(scope="module")
def seed_points():
    a = extract_record(need_shared(SHARED / "seeds" / "000_9d96712d07ff0cab.txt"))
    b = extract_record(need_shared(SHARED / "seeds" / "001_4aafd163f21e6d67.txt"))
    return story_key_points([("a", "000", a["text"]), ("b", "001", b["text"])])


def covering(points, pattern: str) -> list[set[str]]:
    """Outlets covering each key point that has a unit matching ``pattern``."""
    return [set(kp.covered_by) for kp in points if any(re.search(pattern, u.text, re.I) for u in kp.units)]


@pytest.mark.parametrize(
    "pattern",
    [
        r"Article 51",
        r"\bUN\b|United Nations",
        r"\btrade\b",
        r"economic zones",
        r"artificial intelligence",
        r"terrorism",
        r"organi[sz]ed crime",
        r"money laundering",
        r"information security",
    ],
)
def test_shared_key_points(seed_points, pattern):
    assert {"000", "001"} in covering(seed_points, pattern)


@pytest.mark.parametrize(
    "pattern, outlet",
    [
        (r"November 28, 1996", "000"),
        (r"indefinitely", "000"),
        (r"alliance", "001"),
        (r"ratification", "001"),
        (r"product standards", "001"),
        (r"legal assistance|extradition", "001"),
        (r"false information", "001"),
    ],
)
def test_key_points_of_one_outlet_only(seed_points, pattern, outlet):
    found = covering(seed_points, pattern)
    assert found and all(who == {outlet} for who in found), found


def test_leads(seed_points):
    lead = {
        o: next(kp for kp in seed_points if any(u.outlet == o and u.order == 0 for u in kp.units))
        for o in ("000", "001")
    }
    assert re.search(r"state media .* released the full text", lead["001"].label)
    assert re.search(r"Kim Jong Un.*Vladimir Putin.*signed", lead["000"].label)
    assert lead["000"].id != lead["001"].id


def test_units_split_clauses_but_not_short_lists():
    units = [
        u
        for _s, _p, u in split_units(
            "Both sides agreed to cooperate in agriculture, education, health and tourism; "
            "the pact takes effect upon ratification, which Kim said would elevate bilateral ties to an alliance."
        )
    ]
    assert units == [
        "Both sides agreed to cooperate in agriculture, education, health and tourism",
        "the pact takes effect upon ratification",
        "which Kim said would elevate bilateral ties to an alliance",
    ]


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    root = tmp_path_factory.mktemp("coverage")
    raw = root / "raw"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    nk = raw / "nk-russia-treaty"
    nk.mkdir()
    for seed in ("000_9d96712d07ff0cab.txt", "001_4aafd163f21e6d67.txt"):
        shutil.copy(need_shared(SHARED / "seeds" / seed), nk / seed)
    # a second site republishing the Northshore Daily story word for word, under its own masthead
    copy = (EXAMPLE / "northshore-daily.txt").read_text(encoding="utf-8").replace("Northshore Daily", "Bayside Post")
    copy += "\nThis story originally appeared on Northshore Daily.\n"
    (raw / EXAMPLE.name / "bayside-post.txt").write_text(copy, encoding="utf-8")
    (raw / EXAMPLE.name / "bayside-post.txt.meta.json").write_text('{"outlet": "Bayside Post"}')
    run_pipeline(raw, root / "out")
    return root / "out"


def test_coverage_table(processed):
    cov = pd.read_csv(processed / "stories" / "nk-russia-treaty" / "coverage.csv")
    assert list(cov.columns[:7]) == ["story", "key_point", "label", "outlet", "covered", "first_position", "sentences"]
    assert set(cov.outlet) == {"Sada El Balad", "BNC Global Media Group"}
    covered = cov[cov.covered]
    assert covered.first_position.between(0, 1).all()
    assert cov.in_first_paragraph.any() and cov.in_headline.any()
    assert len(pd.read_csv(processed / "coverage.csv")) > len(cov)


def test_outlet_coverage_statistics(processed):
    outlets = pd.read_csv(processed / "outlets.csv").set_index(["story", "outlet"])
    bnc = outlets.loc[("nk-russia-treaty", "BNC Global Media Group")]
    sada = outlets.loc[("nk-russia-treaty", "Sada El Balad")]
    assert 0 < bnc.kp_share <= 1 and bnc.kp_unique > 0 and sada.kp_unique > 0
    # with two outlets, what one omits is what only the other covers
    assert bnc.kp_omitted == sada.kp_unique and sada.kp_omitted == bnc.kp_unique
    assert bnc.original_source == "NDTV"
    assert bnc.words_per_kp > 0 and 0 <= bnc.kp_mean_prominence <= 1


def test_syndicated_copy_is_marked(processed):
    articles = pd.read_csv(processed / "articles.csv").set_index("outlet")
    original = articles.loc["Northshore Daily", "article_id"]
    assert articles.loc["Bayside Post", "copy_of"] == original
    assert pd.isna(articles.loc["Northshore Daily", "copy_of"])
    outlets = pd.read_csv(processed / "outlets.csv").set_index("outlet")
    assert outlets.loc["Bayside Post", "copies_outlet"] == "Northshore Daily"
    stories = pd.read_csv(processed / "stories.csv").set_index("story")
    assert stories.loc[EXAMPLE.name, "outlets"] == 5


def test_story_grouping_joins_similar_and_starts_new():
    a = extract_record(need_shared(SHARED / "seeds" / "000_9d96712d07ff0cab.txt"))
    b = extract_record(need_shared(SHARED / "seeds" / "001_4aafd163f21e6d67.txt"))
    bridge = extract_record(EXAMPLE / "calder-courier.html")
    records = [
        {"story": "nk", "text": a["text"], "published": a["published"]},
        {"story": "bridge", "text": bridge["text"], "published": bridge["published"]},
    ]
    choice = assign_story(b["text"], b["title"], None, records)
    assert choice.story == "nk" and choice.matched == "nk" and choice.score >= 0.2
    other = assign_story("Scientists measured record ice loss in the Arctic this summer.", "Arctic ice", None, records)
    assert other.matched is None and other.story == "arctic-ice"
    far = assign_story(b["text"], b["title"], "2026-01-01", records)  # outside the date window of 000
    assert far.matched is None


def test_coverage_benchmark_reports_per_event_and_mean():
    out = run_coverage_bench(need_shared(SHARED / "bench" / "coverage" / "newswcl50-dev"))
    assert out.count("Spearman") >= 6 and "mean Spearman over events" in out
    assert "reference, length product: mean" in out and "reference, shared names: mean" in out


def test_coverage_benchmark_reference_pairings_are_scored_like_ours():
    """The length-product reference is Spearman of word-count products against the gold concept Jaccard."""
    from itertools import combinations

    from scipy.stats import spearmanr

    from presslens.bench.coverage import jaccard, load_event, reference_correlations

    texts, concepts = load_event(need_shared(SHARED / "bench" / "coverage" / "newswcl50-dev" / "event-0"))
    pairs = list(combinations(sorted(texts), 2))
    lengths = [len(texts[a].split()) * len(texts[b].split()) for a, b in pairs]
    gold = [jaccard(concepts[a], concepts[b]) for a, b in pairs]
    refs = reference_correlations(texts, concepts)
    assert refs["length product"] == pytest.approx(spearmanr(lengths, gold).statistic)
    assert -1.0 <= refs["shared names"] <= 1.0
