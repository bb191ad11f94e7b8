"""Claims benchmark on BASIL: are the report's "every outlet reports" and "only X reports" right?

Gold (``benchmarks/data/basil_claims/<year>-<uuid8>.json``, read by hand; format in
benchmarks/data/basil_claims/README.md, summarised here): for one BASIL event (Fox, NYT, HuffPost), its facts — each a
clause in the readers' own words — and the sentences ([paragraph, sentence] of BASIL's
``body-paragraphs``, or "title") with which each outlet states it. No article text is stored.

Each event's three articles (title and body as published) go into ``raw/<event>/`` as one story
and through ``presslens run``. Every claim of :func:`presslens.compare.claims.story_claims` is
mapped to gold facts through the sentence it shows for each outlet (a presslens sentence maps to
the BASIL sentences it contains or lies inside):

- "every outlet reports P" is right when one fact all three outlets state is stated by the
  sentence shown for each outlet;
- "only X reports P" is right when X's sentence states a fact only X states (gold);
- "X and Y report P, Z does not" (a blindspot) is right when X's and Y's sentences state one fact
  exactly X and Y state;
- a claim whose sentences state no gold fact at all (an author's aside, a sentence the readers
  judged uncheckable) is not judged, and counted apart.

Claim precision = right / judged "every" and "only" claims; unique-fact recall = the facts only
one outlet states that an "only X" claim shows with one of their sentences. Events of 2010–2011
tune; 2012–2013 are held out and never tuned on. References scored the same way: every sentence
its own key point (each sentence an "only X" claim), TF-IDF average-link sentence clusters.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

GOLD = Path(__file__).parent / "data" / "basil_claims"
OUTLETS = ("fox", "nyt", "hpo")
TUNING_YEARS = (2010, 2011)
SHOWN = 10  # claims the report shows per list (presslens.report.MATTERS_SHOWN)
Cell = tuple  # (paragraph, sentence) or ("title",)


@dataclass
class Event:
    uuid: str
    year: int
    articles: dict[str, dict]  # outlet -> the BASIL article
    facts: list[dict]
    sentences: dict[str, dict[Cell, str]] = field(default_factory=dict)  # outlet -> cell -> text

    def support(self, fact: dict) -> dict[str, set[Cell]]:
        out = {}
        for outlet, cells in fact.get("support", {}).items():
            found = {("title",) if c == "title" else (int(c[0]), int(c[1])) for c in cells}
            if found:
                out[outlet.lower()] = found
        return out


def load_events(shared: str | Path, gold: Path = GOLD) -> list[Event]:
    """The events with a gold file, their three articles read from ``shared``'s BASIL copy."""
    root = Path(shared) / "bench" / "corpora" / "basil" / "articles"
    events = []
    for path in sorted(gold.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        year = int(data["year"])
        articles = {}
        for outlet, info in data["articles"].items():
            articles[outlet.lower()] = json.loads((root / str(year) / info["file"]).read_text(encoding="utf-8"))
        event = Event(data["event"], year, articles, data["facts"])
        for outlet, article in articles.items():
            cells: dict[Cell, str] = {("title",): article.get("title", "")}
            for p, paragraph in enumerate(article.get("body-paragraphs", [])):
                for s, sentence in enumerate(paragraph if isinstance(paragraph, list) else [paragraph]):
                    cells[(p, s)] = sentence
            event.sentences[outlet] = cells
        events.append(event)
    return events


def page_text(article: dict) -> str:
    """Title, then each paragraph, blank lines between: the article as published."""
    paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in article.get("body-paragraphs", [])]
    return "\n\n".join([article.get("title", ""), *paragraphs]) + "\n"


def write_raw(events: list[Event], raw: Path) -> None:
    for event in events:
        folder = raw / event.uuid[:8]
        folder.mkdir(parents=True, exist_ok=True)
        for outlet, article in event.articles.items():
            (folder / f"{outlet}.txt").write_text(page_text(article), encoding="utf-8")
            meta = {"outlet": outlet, "published": article.get("date", "")}
            (folder / f"{outlet}.txt.meta.json").write_text(json.dumps(meta), encoding="utf-8")


_NOT_WORD = re.compile(r"\W+")


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


def map_cells(text: str, headline: bool, cells: dict[Cell, str]) -> set[Cell]:
    """The BASIL sentences a presslens sentence holds or lies inside."""
    if headline:
        return {("title",)}
    target = _norm(text)
    if len(target) < 8:
        return set()
    out = set()
    for cell, sentence in cells.items():
        if cell == ("title",):
            continue
        source = _norm(sentence)
        if source and (source in target or target in source):
            out.add(cell)
    return out


@dataclass
class Tally:
    right: int = 0
    judged: int = 0
    unjudged: int = 0

    def add(self, verdict: bool | None) -> None:
        if verdict is None:
            self.unjudged += 1
        else:
            self.judged += 1
            self.right += verdict

    @property
    def precision(self) -> float:
        return self.right / self.judged if self.judged else 0.0


@dataclass
class Scores:
    claims: dict[str, Tally] = field(
        default_factory=lambda: {k: Tally() for k in ("every", "only", "blindspot", "later")}
    )
    unique_found: int = 0
    unique_total: int = 0
    per_event: dict[str, str] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        right = self.claims["every"].right + self.claims["only"].right
        judged = self.claims["every"].judged + self.claims["only"].judged
        return right / judged if judged else 0.0

    @property
    def recall(self) -> float:
        return self.unique_found / self.unique_total if self.unique_total else 0.0

    def merge(self, other: Scores) -> None:
        for kind, tally in other.claims.items():
            mine = self.claims[kind]
            mine.right, mine.judged, mine.unjudged = (
                mine.right + tally.right,
                mine.judged + tally.judged,
                mine.unjudged + tally.unjudged,
            )
        self.unique_found += other.unique_found
        self.unique_total += other.unique_total
        self.per_event.update(other.per_event)


# a claim as scored: (kind, reporting outlets, outlet -> the BASIL cells of the sentence it shows)
ScoredClaim = tuple[str, list[str], dict[str, set[Cell]]]


def judge(claim: ScoredClaim, event: Event) -> bool | None:
    """Whether the gold says the claim is right (None: its sentences state no gold fact)."""
    kind, reporting, cells = claim
    supports = [event.support(f) for f in event.facts]
    stated = [s for s in supports if any(s.get(o, set()) & cells.get(o, set()) for o in reporting)]
    if not stated:
        return None
    if kind == "only":
        (outlet,) = reporting
        return any(set(s) == {outlet} and s[outlet] & cells[outlet] for s in stated)
    return any(set(s) == set(reporting) and all(s[o] & cells[o] for o in reporting) for s in stated)


def score_event(event: Event, claims: list[ScoredClaim]) -> Scores:
    scores = Scores()
    for claim in claims:
        scores.claims[claim[0]].add(judge(claim, event))
    only = [c for c in claims if c[0] == "only"]
    for fact in event.facts:
        support = event.support(fact)
        if len(support) != 1:
            continue
        (outlet,) = support
        scores.unique_total += 1
        scores.unique_found += any(c[1] == [outlet] and c[2][outlet] & support[outlet] for c in only)
    return scores


def presslens_claims(
    events: list[Event], backend: str
) -> tuple[dict[str, list[ScoredClaim]], dict[str, list[ScoredClaim]]]:
    """event uuid -> the claims presslens's tables make, and the first SHOWN of each list (the report's)."""
    from presslens.compare.claims import story_claims
    from presslens.corpus_tables import read_table
    from presslens.pipeline import run_pipeline

    out: dict[str, list[ScoredClaim]] = {}
    shown: dict[str, list[ScoredClaim]] = {}
    with tempfile.TemporaryDirectory(prefix="presslens-claims-") as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "out"
        write_raw(events, raw)
        run_pipeline(raw, processed, similarity=backend, workers=1)
        coverage, sentences = read_table(processed, "coverage"), read_table(processed, "sentences")
        shutil.rmtree(tmp, ignore_errors=True)
    headline_of = {
        (str(a), int(i)): bool(h)
        for a, i, h in zip(sentences["article_id"], sentences["index"], sentences["is_headline"], strict=True)
    }
    for event in events:
        story = event.uuid[:8]
        found = story_claims(story, coverage, sentences, backend)
        out[event.uuid], shown[event.uuid] = [], []
        for kind, listed in found.items():
            for rank, claim in enumerate(listed):
                cells = {
                    o: map_cells(text, headline_of.get((a, i), False), event.sentences[o])
                    for o, (a, i, text) in claim.evidence.items()
                }
                out[event.uuid].append((kind, list(claim.outlets), cells))
                if rank < SHOWN:
                    shown[event.uuid].append((kind, list(claim.outlets), cells))
    return out, shown


def _kind(reporting: set[str]) -> str:
    return "every" if len(reporting) == len(OUTLETS) else "only" if len(reporting) == 1 else "blindspot"


def reference_every_sentence(events: list[Event]) -> dict[str, list[ScoredClaim]]:
    """Every body sentence its own key point: each an "only X" claim."""
    return {
        e.uuid: [("only", [o], {o: {c}}) for o, cells in e.sentences.items() for c in cells if c != ("title",)]
        for e in events
    }


def reference_tfidf(events: list[Event], distance: float = 0.8) -> dict[str, list[ScoredClaim]]:
    """Each event's body sentences clustered by TF-IDF cosine (English stop words, average link < distance);
    a cluster's claim shows each outlet's first sentence in it."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = {}
    for event in events:
        cells = [(o, c) for o, found in event.sentences.items() for c in found if c != ("title",)]
        vectors = TfidfVectorizer(stop_words="english").fit_transform([event.sentences[o][c] for o, c in cells])
        dist = (1.0 - (vectors @ vectors.T).toarray()).clip(0, None)
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
        ).fit(dist)
        groups: dict[int, dict[str, set[Cell]]] = {}
        for (outlet, cell), label in zip(cells, labels.labels_, strict=True):
            groups.setdefault(int(label), {}).setdefault(outlet, {cell})
        out[event.uuid] = [(_kind(set(g)), sorted(g), g) for g in groups.values()]
    return out


def scores_of(events: list[Event], claims: dict[str, list[ScoredClaim]]) -> Scores:
    total = Scores()
    for event in events:
        one = score_event(event, claims.get(event.uuid, []))
        one.per_event[f"{event.year}-{event.uuid[:8]}"] = (
            f"precision {one.precision:.2f} ({one.claims['every'].right + one.claims['only'].right}/"
            f"{one.claims['every'].judged + one.claims['only'].judged}), unique recall {one.recall:.2f} "
            f"({one.unique_found}/{one.unique_total})"
        )
        total.merge(one)
    return total


def line(label: str, s: Scores) -> str:
    e, o, b = s.claims["every"], s.claims["only"], s.claims["blindspot"]
    return (
        f"  {label:<40} precision {s.precision:.3f} (every {e.right}/{e.judged}, only {o.right}/{o.judged}; "
        f"{e.unjudged + o.unjudged} unjudged)  unique-fact recall {s.recall:.3f} ({s.unique_found}/{s.unique_total})"
        f"  [blindspots {b.right}/{b.judged}]"
    )


def run(shared: str | Path, backend: str | None = None, gold: Path = GOLD) -> str:
    from presslens.compare.keypoints import similarity_backend

    backend = similarity_backend(backend)
    events = load_events(shared, gold)
    if not events:
        return f"claims benchmark: no gold files in {gold}"
    ours, shown = presslens_claims(events, backend)
    references = [
        ("reference: every sentence its own point", reference_every_sentence(events)),
        ("reference: TF-IDF sentence clusters", reference_tfidf(events)),
    ]
    lines = [
        f"claims benchmark: {len(events)} BASIL events read by hand ({gold}); {backend} key points.",
        "  precision of 'every outlet reports' + 'only X reports' claims (judged by the sentence each shows);",
        "  unique-fact recall = facts only one outlet states, shown by an 'only X' claim. Aims: >= 0.90, >= 0.70.",
    ]
    for part, chosen in (
        (f"tuning ({'-'.join(map(str, TUNING_YEARS))})", [e for e in events if e.year in TUNING_YEARS]),
        ("held out (2012-2013, never tuned on)", [e for e in events if e.year not in TUNING_YEARS]),
        ("all events", events),
    ):
        if not chosen:
            continue
        lines.append(f" {part}: {len(chosen)} events, {sum(len(e.facts) for e in chosen)} facts")
        mine = scores_of(chosen, ours)
        lines.append(line(f"presslens ({backend}), every claim", mine))
        lines.append(line(f"presslens, the {SHOWN} shown per list", scores_of(chosen, shown)))
        for label, claims in references:
            lines.append(line(label, scores_of(chosen, claims)))
        if part.startswith("all"):
            lines += [f"    {name}: {text}" for name, text in sorted(mine.per_event.items())]
    return "\n".join(lines)
