"""Story grouping benchmark: pages dropped into raw/ unsorted, scored against the gold events.

Corpora (read from ../shared, written into a temporary raw/, never copied into the repo):
- ECB+ dev (``bench/events/ecbplus-dev``): 462 documents, 22 topics of two events of the
  same kind each; a document is a plain-text page (its sentences as paragraphs) with a
  sidecar naming it as its own outlet; the gold story is its ``subtopic``.
- BASIL (``bench/corpora/basil``): 300 articles, 100 events x Fox / NYT / HuffPost, each
  rendered as a news page in a made-up site's chrome (:mod:`benchmarks.scale_corpus`),
  no sidecar: the date and outlet come from the page.

Each corpus goes through ``presslens run --local`` (the real pipeline: cleaning, grouping,
tables) once with every page at once, then again arriving in :data:`ARRIVAL_RUNS` runs in a
random order. Scored with B-cubed precision, recall and F1 of each page's story against its
gold event; a page that fails to process counts as a story of its own. References scored the
same way: every page alone, one story per ECB+ topic, and TF-IDF cosine (English stop words)
with average linkage at distance < 0.85 over the cleaned texts.

``--cost`` measures the grouping step alone on 1,000 pages (ECB+, BASIL, the Zyte pages as
HTML and as text dumps, and 34 BASIL text dumps): grouped from scratch, and one new page added,
with wall time and peak memory (tracemalloc) of the step.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ARRIVAL_RUNS = 5
COST_PAGES = 1000


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


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of ``predicted`` clusters against ``gold`` (both item -> label)."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
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
    """page name -> its story after a run; a page that failed is a story of its own."""
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
        return f"  {self.label:<44} {scores}  ({self.stories} stories)"


def score(label: str, predicted: dict[str, str], pages: list[GoldPage]) -> Score:
    gold = {p.name: p.gold for p in pages}
    precision, recall, f1 = bcubed(predicted, gold)
    return Score(label, precision, recall, f1, len(set(predicted.values())))


def tfidf_reference(out: Path, pages: list[GoldPage]) -> dict[str, str]:
    """The issue's reference: TF-IDF (English stop words) cosine, average linkage at distance < 0.85."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from presslens.pages import article_id_for
    from presslens.store import Store

    store = Store(out)
    texts = {}
    for page in pages:
        record = store.load_article(article_id_for(page.name))
        if record and record.get("text"):
            texts[page.name] = f"{record.get('title') or ''}\n{record['text']}"
    names = sorted(texts)
    predicted = {p.name: f"alone:{p.name}" for p in pages}
    if len(names) >= 2:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([texts[n] for n in names])
        distance = 1.0 - (vectors @ vectors.T).toarray()
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=0.85
        ).fit(distance.clip(0, None))
        predicted.update({n: f"tfidf:{label}" for n, label in zip(names, labels.labels_, strict=True)})
    return predicted


def run_corpus(name: str, pages: list[GoldPage], work: Path, seed: int = 0, topics: bool = False) -> list[str]:
    """All at once, then in ARRIVAL_RUNS runs of random order; scores and references as report lines."""
    from presslens.pipeline import run_pipeline
    from presslens.settings import RunSettings, default_workers

    settings = RunSettings(workers=default_workers())
    lines = [f"{name}: {len(pages)} pages, {len({p.gold for p in pages})} events"]
    raw, out = work / f"{name}-raw", work / f"{name}-out"
    write_pages(pages, raw)
    started = time.perf_counter()
    summary = run_pipeline(raw, out, settings)
    seconds = time.perf_counter() - started
    ours = score("presslens, every page in one run", predicted_stories(out, pages), pages)
    lines.append(ours.line())
    order = list(pages)
    random.Random(seed).shuffle(order)
    raw2, out2 = work / f"{name}-arrival-raw", work / f"{name}-arrival-out"
    for k in range(ARRIVAL_RUNS):
        write_pages(order[len(order) * k // ARRIVAL_RUNS : len(order) * (k + 1) // ARRIVAL_RUNS], raw2)
        run_pipeline(raw2, out2, settings)
    arrival = score(f"presslens, arriving in {ARRIVAL_RUNS} runs (random order)", predicted_stories(out2, pages), pages)
    lines.append(arrival.line() + f"  |ΔF1| {abs(arrival.f1 - ours.f1):.3f}")
    lines.append(score("reference: every page alone", {p.name: p.name for p in pages}, pages).line())
    if topics:
        lines.append(score("reference: one story per topic", {p.name: p.topic for p in pages}, pages).line())
    lines.append(score("reference: TF-IDF average link, distance < 0.85", tfidf_reference(out, pages), pages).line())
    lines += date_lines(out, pages)
    failed = len(summary.failed)
    lines.append(
        f"  {failed} page(s) failed to process (scored as stories of their own); one run {seconds:.0f} s "
        f"incl. cleaning and tables"
    )
    lines += split_and_merge_lines(predicted_stories(out, pages), pages)
    return lines


def date_lines(out: Path, pages: list[GoldPage]) -> list[str]:
    """How much the grouping owes to publication dates: pages with one, and the score with dates hidden."""
    from presslens.pages import article_id_for
    from presslens.store import Store
    from presslens.stories.features import EventFeatures
    from presslens.stories.membership import Membership, regroup
    from presslens.stories.overrides import Overrides

    states = Store(out).load_states()
    features = {
        aid: EventFeatures.from_state(aid, st) for aid, st in states.items() if st.get("ok") and st.get("grouping")
    }
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
    lines = [f"  pages with a plausible publication date: {len(dated)} of {len(pages)}"]
    if cross:
        lines.append(
            f"  pairs of pages from two events of one topic with both dates known: {both} of {cross} "
            f"({both / cross:.0%}): the date cannot separate the others"
        )
    for feature in features.values():
        feature.day = None
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


def cost_lines(shared: Path, ecbplus: Path, work: Path) -> list[str]:
    """The grouping step on 1,000 unsorted pages from scratch, then with one page added: time and peak memory."""
    from presslens.building import group_stories
    from presslens.processing import plan_run, process_pages
    from presslens.settings import default_workers
    from presslens.stories.membership import STATE_FILE

    basil_text = basil_pages(shared, "text")
    pages = ecbplus_pages(ecbplus) + basil_pages(shared) + zyte_pages(shared)
    needed = max(0, COST_PAGES - len(pages))
    pages, extra = pages + basil_text[:needed], basil_text[needed]
    raw, out = work / "cost-raw", work / "cost-out"
    write_pages(pages, raw)
    plan = plan_run(raw, out)
    process_pages(plan.todo, out, plan.fingerprints, default_workers())
    n = len(pages)
    lines = [f"grouping cost: {n} unsorted pages (ECB+, BASIL, Zyte HTML and text dumps, BASIL text dumps)"]

    def measure(full: bool, fresh: bool):
        """Wall time of the step, then its peak memory in a second, traced run of the same step."""
        timings = []
        for traced in (False, True):
            if fresh:
                (out / STATE_FILE).unlink(missing_ok=True)
            else:
                shutil.copy(out / f"{STATE_FILE}.before", out / STATE_FILE)
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            report = group_stories(out, full=full)
            timings.append(time.perf_counter() - started)
            if traced:
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
        return report, timings[0], peak

    report, seconds, peak = measure(full=True, fresh=True)
    all_pairs = n * (n - 1) // 2
    lines.append(
        f"  from scratch: {seconds:.2f} s, peak {peak:.0f} MB (tracemalloc), {report.pairs:,} similar pairs "
        f"kept of {all_pairs:,} possible, {report.capped} article(s) capped at the candidate limit"
    )
    shutil.copy(out / STATE_FILE, out / f"{STATE_FILE}.before")
    write_pages([extra], raw)
    plan = plan_run(raw, out)
    process_pages(plan.todo, out, plan.fingerprints, default_workers())
    report, seconds, peak = measure(full=False, fresh=False)
    lines.append(
        f"  one new page into {n}: {seconds:.2f} s, peak {peak:.0f} MB; {report.regrouped} article(s) clustered "
        f"again, {report.pairs:,} pairs compared"
    )
    predicted = predicted_stories(out, pages)
    for label, keep in (
        ("ECB+", lambda p: p.gold.endswith(("ecb", "ecbplus"))),
        ("BASIL", lambda p: not p.gold.startswith("zyte:") and not p.gold.endswith(("ecb", "ecbplus"))),
    ):
        subset = [p for p in pages if keep(p)]
        lines.append(score(f"in the mixed corpus, {label}", {p.name: predicted[p.name] for p in subset}, subset).line())
    captures: dict[str, set[str]] = {}
    for p in pages:
        if p.gold.startswith("zyte:"):
            captures.setdefault(p.gold, set()).add(predicted[p.name])
    together = sum(1 for stories in captures.values() if len(stories) == 1)
    lines.append(
        f"  in the mixed corpus, Zyte pages: {together} of {len(captures)} land with their other capture "
        "(HTML and text dump); pages of different sites that share a story are not counted as errors here: "
        "the set holds several reports of one event (a plague case, a band's tour, a NASA contract)"
    )
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shared", default="../shared", help="the shared material folder (default: ../shared)")
    parser.add_argument("--ecbplus", help="an ECB+ folder with docs.jsonl (default: <shared>/bench/events/ecbplus-dev)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random arrival order (default: 0)")
    parser.add_argument("--cost", action="store_true", help="also time the grouping step on 1,000 pages")
    parser.add_argument("--skip-basil", action="store_true", help="score ECB+ only")


def run(args: argparse.Namespace) -> str:
    shared = Path(args.shared)
    ecbplus = Path(args.ecbplus) if args.ecbplus else shared / "bench" / "events" / "ecbplus-dev"
    lines = ["story grouping benchmark (B-cubed against the gold events)"]
    with tempfile.TemporaryDirectory(prefix="presslens-stories-") as tmp:
        work = Path(tmp)
        lines += run_corpus("ECB+", ecbplus_pages(ecbplus), work, args.seed, topics=True)
        if not args.skip_basil:
            lines += run_corpus("BASIL", basil_pages(shared), work, args.seed)
        if args.cost:
            lines += cost_lines(shared, ecbplus, work)
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(lines)
