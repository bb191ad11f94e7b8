"""`benchmarks stories --train` writes a refitted pair model only when it groups no corpus worse."""

import json

from benchmarks import stories as bench
from presslens.pages import article_id_for
from presslens.stories.features import event_features
from presslens.stories.grouping import MODEL_FILE, PairModel, shipped_model
from tests.stories.test_story_stream import STREAM


def stream_case() -> bench.GroupingCase:
    """The made-up stream of two shootings (and the first one's follow-up) as a grouping case."""
    pages, features = [], {}
    for name, outlet, published, headline, paragraphs in STREAM:
        incident = "fenwick" if "fenwick" in name else "ostrow"
        pages.append(bench.GoldPage(name, b"", incident, incident))
        aid = article_id_for(name)
        features[aid] = event_features(aid, headline, "\n".join(paragraphs), published, None, outlet)
    return bench.grouping_case("stream", pages, features)


def test_train_keeps_the_shipped_model_when_the_refit_groups_worse(tmp_path, monkeypatch):
    """Refitted on today's texts, the pair model grouped BASIL worse than the shipped one (one run 1.000 -> 0.985)
    and merged a wire's two reports of different shootings; --train wrote it all the same. It now compares the
    two on every corpus and keeps the shipped model, saying why, unless told to write it."""
    path = tmp_path / MODEL_FILE
    shipped = shipped_model()
    path.write_text(json.dumps(shipped.to_dict()), encoding="utf-8")
    kept = path.read_text(encoding="utf-8")
    merges_everything = PairModel(shipped.weights, shipped.intercept, threshold=0.0, cohesion=0.0)
    monkeypatch.setattr(bench, "fit_model", lambda cases: merges_everything)
    case = stream_case()

    lines = bench.train_and_save([case], path)
    assert path.read_text(encoding="utf-8") == kept
    assert lines[-1].startswith("not written: it groups stream worse"), lines
    assert "  stream     1.000 -> 0.676" in lines, lines  # one story of seven pages of two incidents

    bench.train_and_save([case], path, force=True)
    assert json.loads(path.read_text(encoding="utf-8"))["threshold"] == 0.0


def test_train_says_when_the_model_it_replaces_has_other_features(tmp_path, monkeypatch):
    """A change of the pair features makes the model in presslens/data unreadable; --train then skipped the
    comparison without a word and wrote its fit. It writes it (nothing to compare with) and says so."""
    path = tmp_path / MODEL_FILE
    older = shipped_model().to_dict() | {"features": ["similarity", "headline"], "weights": [1.0, 1.0]}
    path.write_text(json.dumps(older), encoding="utf-8")
    monkeypatch.setattr(bench, "fit_model", lambda cases: shipped_model())
    lines = bench.train_and_save([stream_case()], path)
    assert any(line.startswith(f"not compared with {MODEL_FILE}") for line in lines), lines
    assert json.loads(path.read_text(encoding="utf-8"))["features"][-1] == "other_holders"
