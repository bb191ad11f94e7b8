"""Story grouping benchmark: pages dropped into raw/ unsorted, scored against the gold events.

Corpora (read from ../shared, written into a temporary raw/, never copied into the repo):
- GVA dev (``bench/events/gva-dev``): 3,104 dated local news documents about 1,822 shooting
  incidents, as the held-out half is scored: each document an HTML page directly in raw/ (h1 =
  its title, a <p> per text line) with a sidecar {outlet, published, url}; the gold story is its
  incident. A document filed under two incidents is one page scored once per incident.
- ECB+ dev (``bench/events/ecbplus-dev``): 462 documents, 22 topics of two events of the same
  kind each; a document is a plain-text page (its sentences as paragraphs) with a sidecar naming
  it as its own outlet; the gold story is its ``subtopic``.
- BASIL (``bench/corpora/basil``): 300 articles, 100 events x Fox / NYT / HuffPost, each
  rendered as a news page in a made-up site's chrome (:mod:`benchmarks.scale_corpus`), no
  sidecar: the date and outlet come from the page.

Each corpus goes through ``presslens run --local`` (the real pipeline: cleaning, grouping,
tables) once with every page at once, then again arriving in :data:`ARRIVAL_RUNS` runs in a
random order. Scored with B-cubed precision, recall and F1 of each page's story against its gold
event; a page with no article row counts as a story of its own. References scored the same way:
every page alone, one story per ECB+ topic, and TF-IDF cosine (English stop words, headline and
text) with average linkage, at distance < 0.85 and at its best distance on the corpus (an
oracle's choice), without and with a wall: pages more than :data:`DATE_WALL_DAYS` days apart
never in one story.

Cross-validated figure: each corpus' events (ECB+ topics, GVA incidents, BASIL events) are cut
in two halves by a hash; the pair model is fitted and its threshold and cohesion chosen on one
half of every corpus, then each corpus' other half is grouped alone and scored, both ways.
``--train`` fits the shipped model (``presslens/data/grouping_model.json``) on all of dev, and writes it unless
it groups a corpus worse than the model it would replace (``--force-train`` writes it anyway).

``--mixed`` groups BASIL as people collect it, once for each third of its articles saved as the browser's
text dump (no publication date) beside the others' dated HTML pages: the mixed case no dev corpus holds
(GVA and BASIL are all dated, ECB+ all undated).

``--cost`` measures the grouping step alone on 1,000, 3,000 and 6,000 unsorted pages: grouped from
scratch (grouping store included), and one new page added, with the best wall and CPU time of
:data:`COST_REPEATS` runs and the peak memory of one more (tracemalloc).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ARRIVAL_RUNS = 5
COST_PAGES = (1000, 3000, 6000)
COST_REPEATS = 3  # timings are the best of this many runs (the machine is shared)
DATE_WALL_DAYS = 7
CV_SALT = "presslens-cv:"  # GVA dev is itself one half of a hash split: the halves use another hash
# the grids the threshold and cohesion are chosen from: the choice must lie inside them (with 0.3 as
# the lowest threshold and 0.5 / 0.7 as the cohesions, 0.3 and 0.7 were chosen every time and ECB+'s
# held-out half moved by 0.02 with 0.2% of the training pairs: docs/benchmarks.md, 2026-12-05)
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
COHESIONS = (0.0, 0.5, 0.6, 0.7)
TFIDF_DISTANCES = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
FIT_C = 1.0  # inverse regularisation of the logistic pair model
TRAIN_TOLERANCE = 0.005  # --train keeps the shipped model when a corpus' one-run F1 would fall by more
CORPORA = ("gva", "ecbplus", "basil")


@dataclass(frozen=True)
class GoldPage:
    name: str  # file name in raw/
    content: bytes
    gold: str  # the event
    topic: str  # ECB+ topic (the event for corpora without topics)
    sidecar: dict | None = None


def ecbplus_pages(folder: str | Path) -> list[GoldPage]:
    pages = []
    for line in (Path(folder) / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = "\n\n".join(doc["sentences"]) + "\n"
        pages.append(
            GoldPage(f"{doc['doc']}.txt", text.encode(), doc["subtopic"], str(doc["topic"]), {"outlet": doc["doc"]})
        )
    return pages


def gva_page_html(title: str, text: str) -> str:
    """A GVA document as the held-out half is scored: h1 = its title, a <p> per text line."""
    from html import escape

    body = "".join(f"<p>{escape(line.strip())}</p>\n" for line in text.split("\n") if line.strip())
    head = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
    return f"{head}<h1>{escape(title)}</h1>\n{body}</body></html>\n"


def gva_pages(folder: str | Path, kind: str = "html") -> list[GoldPage]:
    """GVA dev: every document a page directly in raw/ with a sidecar {outlet, published, url}
    (``kind`` "text": the same documents as plain-text dumps, for the cost corpus)."""
    pages = []
    for line in (Path(folder) / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        sidecar = {"outlet": doc["outlet"], "published": doc["published"], "url": doc["url"]}
        title, text = doc.get("title") or "", doc.get("text") or ""
        if kind == "html":
            name, content = f"{doc['doc']}.html", gva_page_html(title, text)
        else:
            name, content = f"gva-text-{doc['doc']}.txt", f"{title}\n\n{text}\n"
        pages.append(GoldPage(name, content.encode(), str(doc["incident"]), str(doc["incident"]), sidecar))
    return pages


def basil_pages(shared: str | Path, kind: str = "html") -> list[GoldPage]:
    from benchmarks.scale_corpus import _basil_articles, render_html, render_text

    articles = _basil_articles(Path(shared))
    titles = [a.get("title", "") for a in articles]
    render = render_html if kind == "html" else render_text
    pages = []
    for i, article in enumerate(articles):
        teasers = [titles[(i * 7 + k * 13 + 5) % len(titles)] for k in range(5)]
        event = article.get("triplet-uuid", article["_file"])
        suffix = ".html" if kind == "html" else ".txt"
        content = render(article, teasers, "edition 1").encode()
        pages.append(GoldPage(f"{article['_file']}{suffix}", content, event, event))
    return pages


def zyte_pages(shared: str | Path) -> list[GoldPage]:
    """The extraction benchmark's pages as HTML and as text dumps: each page's two captures are one story."""
    pages = []
    for kind, folder, suffix in (("html-dev", "html", ".html.gz"), ("text-dev", "text", ".txt")):
        root = Path(shared) / "bench" / "extraction" / kind / folder
        for path in sorted(root.glob(f"*{suffix}")):
            page_id = path.name.removesuffix(suffix)
            pages.append(GoldPage(f"zyte-{kind}-{path.name}", path.read_bytes(), f"zyte:{page_id}", f"zyte:{page_id}"))
    return pages


def basil_mixed_pages(shared: str | Path, shift: int = 0) -> list[GoldPage]:
    """BASIL as people collect it: pages saved as HTML (dated), and every third article (those at ``shift``,
    ``shift`` + 3, …) as the browser's text dump instead, which carries no publication date."""
    html, text = basil_pages(shared), basil_pages(shared, "text")
    return [t if i % 3 == shift else h for i, (h, t) in enumerate(zip(html, text, strict=True))]


def mixed_lines(shared: Path, work: Path) -> list[str]:
    """Story grouping on :func:`basil_mixed_pages`, each third of the articles in turn as the text dumps (one
    run each; not part of the cross-validation or of the shipped model's training)."""
    from presslens.pipeline import run_pipeline
    from presslens.settings import RunSettings, default_workers

    lines = ["basil, mixed: every third article a text dump without a date, the others dated HTML pages"]
    for shift in range(3):
        pages = basil_mixed_pages(shared, shift)
        raw, out = work / f"mixed{shift}-raw", work / f"mixed{shift}-out"
        write_pages(pages, raw)
        run_pipeline(raw, out, RunSettings(workers=default_workers()))
        predicted = predicted_stories(out, pages)
        label = f"presslens, text dumps: articles {shift}, {shift + 3}, {shift + 6}, …"
        lines.append(score(label, predicted, pages).line())
        lines += split_and_merge_lines(predicted, pages, limit=3)
        shutil.rmtree(raw, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    return lines


def corpus_pages(name: str, shared: Path, args: argparse.Namespace | None = None) -> list[GoldPage]:
    folder = getattr(args, name, None) if args is not None else None
    if name == "gva":
        return gva_pages(Path(folder) if folder else shared / "bench" / "events" / "gva-dev")
    if name == "ecbplus":
        return ecbplus_pages(Path(folder) if folder else shared / "bench" / "events" / "ecbplus-dev")
    return basil_pages(shared)


def bcubed(predicted: dict, gold: dict) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of ``predicted`` clusters against ``gold`` (both item -> label)."""
    by_pred: dict[str, set] = {}
    by_gold: dict[str, set] = {}
    for item in gold:
        by_pred.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in gold:
        mine, true = by_pred[predicted[item]], by_gold[gold[item]]
        shared = len(mine & true)
        precision += shared / len(mine)
        recall += shared / len(true)
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def write_pages(pages: list[GoldPage], raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (raw / page.name).write_bytes(page.content)
        if page.sidecar:
            (raw / f"{page.name}.meta.json").write_text(json.dumps(page.sidecar), encoding="utf-8")


def predicted_stories(out: Path, pages: list[GoldPage]) -> dict[str, str]:
    """page name -> its story after a run; a page with no article row is a story of its own."""
    from presslens.pages import article_id_for
    from presslens.stories.membership import load_membership

    assignment = load_membership(out).assignment
    return {p.name: assignment.get(article_id_for(p.name), f"failed:{p.name}") for p in pages}


@dataclass
class Score:
    label: str
    precision: float
    recall: float
    f1: float
    stories: int

    def line(self) -> str:
        scores = f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
        return f"  {self.label:<64} {scores}  ({self.stories} stories)"


def score(label: str, predicted: dict[str, str], pages: list[GoldPage]) -> Score:
    """B-cubed of ``predicted`` (page name -> story) over ``pages``, one item per (page, gold event)."""
    precision, recall, f1 = bcubed(
        {k: predicted[p.name] for k, p in enumerate(pages)}, {k: p.gold for k, p in enumerate(pages)}
    )
    return Score(label, precision, recall, f1, len({predicted[p.name] for p in pages}))


# --- references ---------------------------------------------------------------------------


def tfidf_distances(out: Path, pages: list[GoldPage], wall_days: int | None):
    """The pages with an article, and their TF-IDF (English stop words, headline + text) cosine
    distances; with ``wall_days``, pages further apart than that are at an infinite distance."""
    from datetime import date

    from sklearn.feature_extraction.text import TfidfVectorizer

    from presslens.pages import article_id_for
    from presslens.store import Store

    store = Store(out)
    texts, days = {}, {}
    for page in pages:
        record = store.load_article(article_id_for(page.name))
        if record is not None and page.name not in texts:
            texts[page.name] = f"{record.get('title') or ''}\n{record.get('text') or ''}"
            try:
                days[page.name] = date.fromisoformat(str(record.get("published"))[:10]).toordinal()
            except ValueError:
                days[page.name] = None
    names = sorted(texts)
    if len(names) < 2:
        return names, None
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([texts[n] for n in names])
    distance = (1.0 - (vectors @ vectors.T).toarray()).clip(0, None)
    if wall_days is not None:
        ordinals = np.array([days[n] if days[n] is not None else np.nan for n in names])
        with np.errstate(invalid="ignore"):
            apart = np.abs(ordinals[:, None] - ordinals[None, :]) > wall_days
        distance[apart] = 1e6
    return names, distance


def tfidf_tree(distance):
    """The average-linkage merge tree of a distance matrix (None for fewer than two pages)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    return None if distance is None else linkage(squareform(distance, checks=False), method="average")


def tfidf_clusters(names: list[str], tree, threshold: float, pages: list[GoldPage]) -> dict[str, str]:
    """Average linkage cut where the merges reach ``threshold`` (as scikit-learn's distance_threshold)."""
    from scipy.cluster.hierarchy import fcluster

    predicted = {p.name: f"alone:{p.name}" for p in pages}
    if tree is not None:
        labels = fcluster(tree, t=threshold - 1e-12, criterion="distance")
        predicted.update({n: f"tfidf:{label}" for n, label in zip(names, labels, strict=True)})
    return predicted


def reference_lines(out: Path, pages: list[GoldPage], topics: bool) -> list[str]:
    lines = [score("reference: every page alone", {p.name: p.name for p in pages}, pages).line()]
    if topics:
        lines.append(score("reference: one story per topic", {p.name: p.topic for p in pages}, pages).line())
    for wall in (None, DATE_WALL_DAYS):
        names, distance = tfidf_distances(out, pages, wall)
        tree = tfidf_tree(distance)
        what = "TF-IDF average link" + (f", {wall}-day wall" if wall else "")
        at_085 = score(f"reference: {what}, distance < 0.85", tfidf_clusters(names, tree, 0.85, pages), pages)
        best = max(
            (
                score(f"reference: {what}, best distance ({d})", tfidf_clusters(names, tree, d, pages), pages)
                for d in TFIDF_DISTANCES
            ),
            key=lambda s: s.f1,
        )
        lines += [at_085.line(), best.line()]
    return lines


# --- the grouping alone, from processed features --------------------------------------------


@dataclass
class GroupingCase:
    """One corpus (or a half of one) ready to group: its features, candidate pairs and their features."""

    name: str
    pages: list[GoldPage]
    features: list  # EventFeatures of the pages with an article
    i: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    j: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def processed_features(out: Path) -> dict:
    from presslens.store import Store
    from presslens.stories.features import EventFeatures

    states = Store(out).load_states()
    return {aid: EventFeatures.from_state(aid, st) for aid, st in states.items() if st.get("ok") and st.get("grouping")}


def half_of(topic: str) -> int:
    return int(hashlib.sha256(f"{CV_SALT}{topic}".encode()).hexdigest(), 16) % 2


def grouping_case(name: str, pages: list[GoldPage], features: dict) -> GroupingCase:
    """The candidate pairs of ``pages`` grouped alone (idf over them), with their pair features and labels."""
    from presslens.pages import article_id_for
    from presslens.stories import grouping

    gold: dict[str, set[str]] = {}
    for page in pages:
        gold.setdefault(article_id_for(page.name), set()).add(page.gold)
    feats = [features[a] for a in sorted(gold) if a in features]
    case = GroupingCase(name, pages, feats)
    if not feats:
        return case
    corpus = grouping.build_corpus(feats)
    case.i, case.j, _capped = grouping.candidate_pairs(corpus, range(len(feats)))
    case.x = grouping.pair_features(corpus, case.i, case.j)
    ids = [f.article_id for f in feats]
    case.y = np.array([bool(gold[ids[a]] & gold[ids[b]]) for a, b in zip(case.i, case.j, strict=True)], dtype=bool)
    return case


def group_case(case: GroupingCase, model) -> dict[str, str]:
    """page name -> story when the case's pages are grouped from scratch with ``model`` (as a full regroup)."""
    from presslens.pages import article_id_for
    from presslens.stories import grouping

    candidates = grouping.scored_pairs(case.i, case.j, case.x, model)
    groups = grouping.group_articles(range(len(case.features)), candidates, model=model)
    story = {case.features[k].article_id: f"g{g}" for g, group in enumerate(groups) for k in group}
    return {p.name: story.get(article_id_for(p.name), f"failed:{p.name}") for p in case.pages}


def fit_model(cases: list[GroupingCase]):
    """The logistic pair model on the cases' candidate pairs, with the threshold and cohesion that
    give the best mean B-cubed F1 over the cases."""
    from sklearn.linear_model import LogisticRegression

    from presslens.stories.grouping import PairModel

    x = np.vstack([c.x for c in cases])
    y = np.concatenate([c.y for c in cases])
    fitted = LogisticRegression(C=FIT_C, max_iter=5000).fit(x, y)
    weights, intercept = tuple(float(w) for w in fitted.coef_[0]), float(fitted.intercept_[0])
    best = None
    for threshold in THRESHOLDS:
        for cohesion in COHESIONS:
            model = PairModel(weights, intercept, threshold, cohesion)
            mean = sum(score("", group_case(c, model), c.pages).f1 for c in cases) / len(cases)
            if best is None or mean > best[0] + 1e-9:
                best = (mean, model)
    return best[1]


def cross_validated_lines(
    cases: dict[str, tuple[GroupingCase, GroupingCase]], outs: dict[str, Path] | None = None
) -> list[str]:
    """Fit on one half of every corpus, score each corpus' other half; both ways. With ``outs`` (the
    corpora's processed folders), each half's references beside its score: every page alone and
    TF-IDF average link at distance < 0.85 without and with the date wall, on that half's pages."""
    lines = ["cross-validated (model fitted, threshold and cohesion chosen on one half of every corpus's events):"]
    for trained in (0, 1):
        model = fit_model([halves[trained] for halves in cases.values()])
        chosen = f"threshold {model.threshold}, cohesion {model.cohesion}"
        for name, halves in cases.items():
            test = halves[1 - trained]
            s = score(
                f"{name}: half {1 - trained} ({len(test.pages)} items), fitted on half {trained}",
                group_case(test, model),
                test.pages,
            )
            lines.append(s.line())
            if outs and name in outs:
                lines.append("      references on this half: " + half_references(outs[name], test.pages))
        lines.append(f"    (chosen on half {trained}: {chosen})")
    return lines


def half_references(out: Path, pages: list[GoldPage]) -> str:
    """F1 of every page alone and of TF-IDF average link (< 0.85; with the date wall) on ``pages``."""
    alone = score("", {p.name: p.name for p in pages}, pages).f1
    tfidf = []
    for wall in (None, DATE_WALL_DAYS):
        names, distance = tfidf_distances(out, pages, wall)
        tfidf.append(score("", tfidf_clusters(names, tfidf_tree(distance), 0.85, pages), pages).f1)
    walled = f"with a {DATE_WALL_DAYS}-day wall {tfidf[1]:.3f}"
    return f"every page alone {alone:.3f}; TF-IDF < 0.85 {tfidf[0]:.3f}, {walled}"


def model_comparison(cases: list[GroupingCase], shipped, fitted) -> tuple[list[str], list[str]]:
    """Each case grouped whole with the ``shipped`` and the ``fitted`` model: report lines, and the cases
    whose F1 the fitted model lowers by more than :data:`TRAIN_TOLERANCE`."""
    lines, worse = ["one run of each corpus, shipped model -> fitted model:"], []
    for case in cases:
        before, after = (score("", group_case(case, m), case.pages).f1 for m in (shipped, fitted))
        lines.append(f"  {case.name:<10} {before:.3f} -> {after:.3f}")
        if after < before - TRAIN_TOLERANCE:
            worse.append(case.name)
    return lines, worse


def train_and_save(cases: list[GroupingCase], path: Path, force: bool = False) -> list[str]:
    """Fit the model on every case and write it where presslens reads it — unless it groups a corpus worse
    than the model in ``path`` does and ``force`` is not given: a refit moves with the texts cleaning gives
    (docs/benchmarks.md, "2026-12-07, stop 50"), and nothing else would tell."""
    from presslens.store import atomic_write_text
    from presslens.stories.grouping import PAIR_FEATURES, PairModel

    model = fit_model(cases)
    lines = [f"pair model fitted on {', '.join(c.name for c in cases)}:"]
    lines += [f"  {name:<20} {w:+.3f}" for name, w in zip(PAIR_FEATURES, model.weights, strict=True)]
    lines.append(f"  intercept {model.intercept:+.3f}; threshold {model.threshold}, cohesion {model.cohesion}")
    try:
        shipped = PairModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as error:  # none yet, or of other features: nothing to compare with
        lines.append(f"not compared with {path.name} ({error!r}): the cross-validated lines below are the check")
        shipped = None
    if shipped is not None:
        compared, worse = model_comparison(cases, shipped, model)
        lines += compared
        if worse and not force:
            lines.append(f"not written: it groups {', '.join(worse)} worse than {path.name} (--force-train writes it)")
            return lines
    atomic_write_text(path, json.dumps(model.to_dict(), indent=1) + "\n")
    lines.append(f"written to {path}")
    return lines


# --- one corpus end to end --------------------------------------------------------------------


@dataclass
class CorpusRun:
    name: str
    pages: list[GoldPage]
    out: Path
    lines: list[str]


def run_corpus(name: str, pages: list[GoldPage], work: Path, seed: int = 0, topics: bool = False) -> CorpusRun:
    """All at once, then in ARRIVAL_RUNS runs of random order; scores and references as report lines."""
    from presslens.pipeline import run_pipeline
    from presslens.settings import RunSettings, default_workers

    settings = RunSettings(workers=default_workers())
    events = len({p.gold for p in pages})
    lines = [f"{name}: {len({p.name for p in pages})} pages, {len(pages)} scored items, {events} events"]
    raw, out = work / f"{name}-raw", work / f"{name}-out"
    write_pages(pages, raw)
    started, cpu = time.perf_counter(), time.process_time()
    summary = run_pipeline(raw, out, settings)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ours = score("presslens, every page in one run", predicted_stories(out, pages), pages)
    lines.append(ours.line())
    order = list({p.name: p for p in pages}.values())
    random.Random(seed).shuffle(order)
    raw2, out2 = work / f"{name}-arrival-raw", work / f"{name}-arrival-out"
    for k in range(ARRIVAL_RUNS):
        write_pages(order[len(order) * k // ARRIVAL_RUNS : len(order) * (k + 1) // ARRIVAL_RUNS], raw2)
        run_pipeline(raw2, out2, settings)
    arrival = score(f"presslens, arriving in {ARRIVAL_RUNS} runs (random order)", predicted_stories(out2, pages), pages)
    lines.append(arrival.line() + f"  |ΔF1| {abs(arrival.f1 - ours.f1):.3f}")
    shutil.rmtree(raw2, ignore_errors=True)
    shutil.rmtree(out2, ignore_errors=True)
    lines += reference_lines(out, pages, topics)
    lines += date_lines(out, pages)
    lines += page_lines(out, pages, summary)
    lines += check_lines(out, pages)
    lines.append(f"  one run {seconds:.0f} s of wall (this process {cpu:.0f} s of CPU) incl. cleaning and tables")
    lines += split_and_merge_lines(predicted_stories(out, pages), pages)
    return CorpusRun(name, pages, out, lines)


def page_lines(out: Path, pages: list[GoldPage], summary) -> list[str]:
    """How many pages have no article row and why, and how many are only a headline."""
    from presslens.processing import HEADLINE_ONLY

    names = {p.name for p in pages}
    reasons = Counter(e["reason"].split(" (")[0] for o in summary.failed for e in o.errors if e["stage"] != "sidecar")
    headline_only = sum(1 for o in Path(out).glob("state/*.json") if HEADLINE_ONLY in o.read_text(encoding="utf-8"))
    why = "; ".join(f"{n} {reason}" for reason, n in reasons.most_common()) or "none"
    return [
        f"  pages with no article row: {len(summary.failed)} of {len(names)} ({why}); "
        f"articles that are only their headline: {headline_only}"
    ]


def check_lines(out: Path, pages: list[GoldPage]) -> list[str]:
    """How well "check" (a weakest link or a closest story near the threshold) points at wrong stories:
    those mixing events or holding part of an event that another story holds too."""
    from presslens.pages import article_id_for
    from presslens.stories.grouping import shipped_model
    from presslens.stories.membership import load_membership

    membership = load_membership(out)
    threshold = shipped_model().threshold
    events: dict[str, set[str]] = {}
    for page in pages:
        events.setdefault(article_id_for(page.name), set()).add(page.gold)
    stories_of: dict[str, set[str]] = {}
    members = membership.members()
    for story, aids in members.items():
        for aid in aids:
            for event in events.get(aid, ()):
                stories_of.setdefault(event, set()).add(story)
    wrong = {
        story
        for story, aids in members.items()
        if len(set().union(*(events.get(a, set()) for a in aids))) > 1
        or any(len(stories_of[e]) > 1 for a in aids for e in events.get(a, ()))
    }
    flagged = {s for s in members if membership.confidence.get(s) and membership.confidence[s].check(threshold)}
    share = len(wrong & flagged) / len(flagged) if flagged else 0.0
    return [
        f"  stories flagged 'check': {len(flagged)} of {len(members)}; {len(wrong & flagged)} of them wrong "
        f"({share:.0%}), against {len(wrong)} wrong of all ({len(wrong) / max(1, len(members)):.0%}: the chance rate)"
    ]


def date_lines(out: Path, pages: list[GoldPage]) -> list[str]:
    """How much the grouping owes to dates: pages with one, and the score with every date hidden."""
    from presslens.pages import article_id_for
    from presslens.stories.membership import Membership, regroup
    from presslens.stories.overrides import Overrides

    features = processed_features(out)
    dated = {p.name for p in pages if (f := features.get(article_id_for(p.name))) is not None and f.day}
    by_topic: dict[str, dict[str, list[str]]] = {}
    for p in pages:
        by_topic.setdefault(p.topic, {}).setdefault(p.gold, []).append(p.name)
    cross = both = 0
    for events in by_topic.values():
        names = list(events.values())
        for x in range(len(names)):
            for y in range(x + 1, len(names)):
                cross += len(names[x]) * len(names[y])
                both += sum(1 for a in names[x] if a in dated) * sum(1 for b in names[y] if b in dated)
    lines = [f"  pages with a plausible publication date: {len(dated)} of {len({p.name for p in pages})}"]
    if cross:
        lines.append(
            f"  pairs of pages from two events of one topic with both dates known: {both} of {cross} "
            f"({both / cross:.0%}): the date cannot separate the others"
        )
    for feature in features.values():
        feature.day, feature.dates = None, []
        feature.terms = {t: w for t, w in feature.terms.items() if not t.startswith("Y:")}
    membership, _report = regroup(features, {a: "" for a in features}, Membership(), Overrides())
    hidden = {p.name: membership.assignment.get(article_id_for(p.name), f"failed:{p.name}") for p in pages}
    lines.append(score("ablation: dates and years hidden from grouping", hidden, pages).line())
    return lines


def split_and_merge_lines(predicted: dict[str, str], pages: list[GoldPage], limit: int = 8) -> list[str]:
    """The gold events presslens merged with another, and those it split, largest first."""
    by_story: dict[str, Counter] = {}
    by_event: dict[str, Counter] = {}
    for p in pages:
        by_story.setdefault(predicted[p.name], Counter())[p.gold] += 1
        by_event.setdefault(p.gold, Counter())[predicted[p.name]] += 1
    merged = sorted((c for c in by_story.values() if len(c) > 1), key=lambda c: -sum(c.values()))
    split = sorted(((e, c) for e, c in by_event.items() if len(c) > 1), key=lambda ec: -sum(ec[1].values()))
    out = []
    if merged:
        out.append(f"  stories mixing events: {len(merged)}; e.g. " + "; ".join(_counts(c) for c in merged[:limit]))
    if split:
        out.append(
            f"  events split over stories: {len(split)}; e.g. "
            + "; ".join(f"{e} {sorted(c.values(), reverse=True)}" for e, c in split[:limit])
        )
    return out


def _counts(counter: Counter) -> str:
    return " + ".join(f"{n} {event}" for event, n in counter.most_common())


# --- cost ------------------------------------------------------------------------------------


def cost_corpus(shared: Path, size: int) -> list[GoldPage]:
    """``size`` unsorted pages: ECB+, BASIL, the Zyte pages as HTML and as text dumps and BASIL text
    dumps (the 1,000 of earlier stops), then GVA dev as HTML and as text dumps."""
    events = shared / "bench" / "events"
    pages = ecbplus_pages(events / "ecbplus-dev") + basil_pages(shared) + zyte_pages(shared)
    pages += basil_pages(shared, "text") + gva_pages(events / "gva-dev") + gva_pages(events / "gva-dev", "text")
    unique = list({p.name: p for p in pages}.values())
    return unique[: size + 1]  # the last one is the page added afterwards


def cost_lines(shared: Path, work: Path, sizes: tuple[int, ...] = COST_PAGES) -> list[str]:
    """The grouping step on each size of unsorted pages from scratch, then with one page added."""
    from presslens.building import group_stories
    from presslens.processing import plan_run, process_pages
    from presslens.settings import RunSettings, default_workers
    from presslens.stories.grouping_store import LOG_FILE, RACY_SECONDS, STORE_FILE
    from presslens.stories.membership import STATE_FILE

    kept = (STATE_FILE, STORE_FILE, LOG_FILE)  # what a run leaves for the next one
    biggest = cost_corpus(shared, max(sizes))
    raw, processed = work / "cost-raw", work / "cost-processed"
    write_pages(biggest, raw)
    plan = plan_run(raw, processed)
    process_pages(plan.todo, processed, plan.fingerprints, RunSettings(workers=default_workers()))
    lines = []
    for size in sizes:
        pages, extra = biggest[:size], biggest[size]
        out = work / f"cost-{size}"
        (out / "state").mkdir(parents=True, exist_ok=True)
        from presslens.pages import article_id_for

        for page in pages:
            aid = article_id_for(page.name)
            shutil.copy(processed / "state" / f"{aid}.json", out / "state" / f"{aid}.json")
        lines.append(f"grouping cost: {size:,} unsorted pages ({_mix(pages)}), best of {COST_REPEATS} runs")
        new_id = article_id_for(extra.name)

        def measure(full: bool, out: Path = out, new_id: str = new_id):
            """Best wall and CPU time of the step over COST_REPEATS runs, then its peak memory in a
            further, traced run of the same step (each run from the same files)."""
            timings = []
            for run in range(COST_REPEATS + 1):
                traced = run == COST_REPEATS
                for name in kept:
                    if full:
                        (out / name).unlink(missing_ok=True)
                    elif (out / f"{name}.before").exists():
                        shutil.copy(out / f"{name}.before", out / name)
                if not full:  # the new page's state file, written anew (a run writes it just before)
                    shutil.copy(processed / "state" / f"{new_id}.json", out / "state" / f"{new_id}.json")
                if traced:
                    tracemalloc.start()
                started, cpu = time.perf_counter(), time.process_time()
                report = group_stories(out, full=full)
                if traced:
                    peak = tracemalloc.get_traced_memory()[1] / 2**20
                    tracemalloc.stop()
                else:
                    timings.append((time.perf_counter() - started, time.process_time() - cpu))
            return report, (min(t[0] for t in timings), min(t[1] for t in timings)), peak

        report, (seconds, cpu), peak = measure(full=True)
        all_pairs = size * (size - 1) // 2
        lines.append(
            f"  from scratch: {seconds:.2f} s ({cpu:.2f} s CPU), peak {peak:.0f} MB (tracemalloc), "
            f"{report.pairs:,} pairs kept of {all_pairs:,} possible, {report.capped} article(s) capped"
        )
        time.sleep(RACY_SECONDS)  # the states copied just now are no longer "racy" (as after any run)
        group_stories(out)  # nothing new: the store's look at the states is recorded
        for name in kept:
            if (out / name).exists():
                shutil.copy(out / name, out / f"{name}.before")
        report, (seconds, cpu), peak = measure(full=False)
        lines.append(
            f"  one new page into {size:,}: {seconds:.2f} s ({cpu:.2f} s CPU), peak {peak:.0f} MB; "
            f"{report.regrouped} article(s) clustered again, {report.pairs:,} pairs scored"
        )
        predicted = predicted_stories(out, pages)
        for label, prefix in (("GVA", "gva"), ("ECB+", "ecb"), ("BASIL", "basil")):
            subset = [p for p in pages if _source(p) == prefix]
            if subset:
                s = score(
                    f"in the mixed corpus, {label} ({len(subset)})", {p.name: predicted[p.name] for p in subset}, subset
                )
                lines.append(s.line())
    return lines


def _source(page: GoldPage) -> str:
    if page.gold.startswith("zyte:"):
        return "zyte"
    if page.gold.endswith(("ecb", "ecbplus")):
        return "ecb"
    return "gva" if page.gold.isdigit() else "basil"


def _mix(pages: list[GoldPage]) -> str:
    counts = Counter(_source(p) + (" text" if p.name.endswith(".txt") and _source(p) != "ecb" else "") for p in pages)
    return ", ".join(f"{n} {what}" for what, n in counts.most_common())


# --- the command ------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shared", default="../shared", help="the shared material folder (default: ../shared)")
    parser.add_argument("--ecbplus", help="an ECB+ folder with docs.jsonl (default: <shared>/bench/events/ecbplus-dev)")
    parser.add_argument("--gva", help="a GVA folder with docs.jsonl (default: <shared>/bench/events/gva-dev)")
    parser.add_argument("--corpora", default=",".join(CORPORA), help=f"which to score (default: {','.join(CORPORA)})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random arrival order (default: 0)")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="also group BASIL with every third article as an undated text dump (three runs, one per third)",
    )
    parser.add_argument(
        "--cost", action="store_true", help="also time the grouping step on 1,000, 3,000 and 6,000 pages"
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="fit the pair model on all three dev corpora and write it into presslens/ (not when it groups worse)",
    )
    parser.add_argument(
        "--force-train", action="store_true", help="with --train: write the fitted model even when it groups worse"
    )


def run(args: argparse.Namespace) -> str:
    shared = Path(args.shared)
    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    unknown = sorted(set(names) - set(CORPORA))
    if unknown:
        raise SystemExit(f"presslens bench stories: unknown corpus {unknown[0]!r} (known: {', '.join(CORPORA)})")
    lines = ["story grouping benchmark (B-cubed against the gold events)"]
    with tempfile.TemporaryDirectory(prefix="presslens-stories-") as tmp:
        work = Path(tmp)
        runs = [run_corpus(n, corpus_pages(n, shared, args), work, args.seed, topics=n == "ecbplus") for n in names]
        for corpus in runs:
            lines += corpus.lines
        halves, whole = {}, []
        for corpus in runs:
            features = processed_features(corpus.out)
            whole.append(grouping_case(corpus.name, corpus.pages, features))
            halves[corpus.name] = tuple(
                grouping_case(corpus.name, [p for p in corpus.pages if half_of(p.topic) == h], features) for h in (0, 1)
            )
        if args.train:
            from presslens.stories.grouping import MODEL_FILE

            model_path = Path(__file__).resolve().parents[1] / "presslens" / "data" / MODEL_FILE
            lines += train_and_save(whole, model_path, force=args.force_train)
        if halves:  # --corpora "" --cost: the cost alone
            lines += cross_validated_lines(halves, {corpus.name: corpus.out for corpus in runs})
        if args.mixed:
            lines += mixed_lines(shared, work)
        if args.cost:
            lines += cost_lines(shared, work)
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(lines)
