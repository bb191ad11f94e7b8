"""Key points, coverage, leads, syndicated copies and story grouping (issue 5), on the seeds."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from presslens.building import build_tables
from presslens.cli import extract_record
from presslens.compare.keypoints import split_units, story_key_points
from presslens.pipeline import run_pipeline
from presslens.settings import RunSettings
from tests.conftest import EXAMPLE, SHARED, need_backend, need_shared, table_csv


@pytest.fixture(scope="module", params=["lexical", "semantic"])
def seed_points(request):
    """The seeds' key points under each backend: the issue's acceptance holds for both."""
    need_backend(request.param)
    a = extract_record(need_shared(SHARED / "seeds" / "000_9d96712d07ff0cab.txt"))
    b = extract_record(need_shared(SHARED / "seeds" / "001_4aafd163f21e6d67.txt"))
    return story_key_points([("a", "000", a["text"]), ("b", "001", b["text"])], backend=request.param)


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
    assert len(table_csv(processed, "coverage")) > len(cov)


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


def test_changing_the_key_point_backend_rebuilds_every_story(processed, tmp_path):
    need_backend("semantic")
    out = tmp_path / "out"
    shutil.copytree(processed, out)
    assert build_tables(out, RunSettings(similarity="lexical")).rebuilt_stories == 0  # the fixture ran lexical
    semantic = build_tables(out, RunSettings(similarity="semantic"))
    assert semantic.rebuilt_stories == semantic.stories == 2
    assert build_tables(out, RunSettings(similarity="semantic")).rebuilt_stories == 0
    before = pd.read_csv(processed / "stories" / "nk-russia-treaty" / "coverage.csv")
    after = pd.read_csv(out / "stories" / "nk-russia-treaty" / "coverage.csv")
    assert set(after.outlet) == set(before.outlet) and not before[["label"]].equals(after[["label"]])
    # the tables and the report say which backend matched the key points
    assert set(pd.read_csv(processed / "stories.csv").key_point_similarity) == {"lexical"}
    assert set(pd.read_csv(out / "stories.csv").key_point_similarity) == {"semantic"}
    assert "matched by sentence embeddings" in (out / "stories" / "nk-russia-treaty" / "report.html").read_text()
    assert "matched by shared words" in (processed / "stories" / "nk-russia-treaty" / "report.html").read_text()


def test_unknown_or_missing_backend_is_a_clear_error(monkeypatch, tmp_path, capsys):
    import importlib.util

    from presslens.cli import main
    from presslens.compare.embeddings import SemanticBackendMissing, model_dir
    from presslens.compare.keypoints import similarity_backend

    with pytest.raises(ValueError, match="lexical, semantic"):
        similarity_backend("word2vec")
    monkeypatch.setenv("PRESSLENS_SIMILARITY", "word2vec")
    assert main(["run", "--local", "--raw", str(EXAMPLE), "--out", str(tmp_path / "out")]) == 2
    assert "word2vec" in capsys.readouterr().err and not (tmp_path / "out").exists()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)  # the model package not installed
    with pytest.raises(SemanticBackendMissing, match="make install-semantic"):
        model_dir()


def test_an_outlet_leads_with_the_most_shared_point_its_first_sentence_reports():
    """Read as a user on BASIL 2019: NYT's lead "President Trump declared a national emergency … on Friday in order
    to access billions …" was the sentence the report showed for the point every outlet reports, yet "What each
    outlet leads with" said it was "a point 2 of 3 outlets report" — the group of its first clause alone. The lead
    is the point most outlets report among those whose strongest evidence is the outlet's first sentence."""
    from presslens.compare.coverage import outlet_coverage
    from presslens.compare.keypoints import KeyPoint, Unit

    def unit(outlet: str, order: int, sentence: int) -> Unit:
        return Unit(outlet, outlet.lower(), order, sentence, 0, 0.0, "text")

    first_clause = KeyPoint("kp002", "the first clause", [unit("Ledger", 0, 0), unit("Courier", 4, 3)])
    first_clause.covered_by = {"Ledger": 0.0, "Courier": 0.3}
    declared = KeyPoint("kp001", "the mayor declared an emergency", [unit("Courier", 0, 0), unit("Herald", 0, 0)])
    declared.covered_by = {"Ledger": 0.0, "Courier": 0.0, "Herald": 0.0}
    rows = [
        ("kp001", "Ledger", ["ledger:0"]),
        ("kp001", "Courier", ["courier:0"]),
        ("kp001", "Herald", ["herald:0"]),
        ("kp002", "Ledger", ["ledger:0"]),
        ("kp002", "Courier", ["courier:3"]),
        ("kp002", "Herald", []),
    ]
    coverage = pd.DataFrame(
        [{"story": "s", "key_point": k, "outlet": o, "covered": bool(c), "sentences": c} for k, o, c in rows]
    )
    stats = outlet_coverage(coverage, {"Ledger": 300, "Courier": 300, "Herald": 300}, [declared, first_clause])
    leads = dict(zip(stats["outlet"], stats["lead_key_point"], strict=True))
    assert leads == {"Ledger": "kp001", "Courier": "kp001", "Herald": "kp001"}
