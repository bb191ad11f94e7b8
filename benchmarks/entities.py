"""Entity benchmark on BASIL: are an article's annotated main entities among the names it mentions most?

For each of BASIL's 300 articles (title and body as published), each entity reader of
:mod:`presslens.metrics.entities` ranks the names by mentions (then by first position); a main entity
is found when it and one of the top K names contain one another ("Donald Trump" and "Trump"),
case ignored. Reported per reader: recall at K = 3, 5 and 8 over all 612 main entities, for
two-word proper names alone, the kinds it gave, and its CPU time. Then, per reader, what merging
names within a story does (:func:`presslens.compare.entities.story_names`, the three outlets of a
BASIL event being a story): story x outlet x name rows before and after, and the names every outlet
of a story uses (who each outlet names, aligned).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from presslens.compare.entities import story_names
from presslens.metrics.entities import read_entities, reader_label, spacy_available
from presslens.workers import one_thread_per_library

TOP_K = (3, 5, 8)


def load_basil(shared: str | Path) -> list[dict]:
    root = Path(shared) / "bench" / "corpora" / "basil" / "articles"
    articles = []
    for path in sorted(root.rglob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = article.get("body-paragraphs", [])
        text = "\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs)
        articles.append(
            {
                "title": article.get("title", ""),
                "text": text,
                "main": article.get("main-entities", []),
                "story": path.stem.rsplit("_", 1)[0],
                "outlet": str(article.get("source", "")).lower(),
            }
        )
    return articles


def score(articles: list[dict], reader: str) -> str:
    started = time.process_time()
    read = read_entities([a["title"] for a in articles], [a["text"] for a in articles], reader)
    seconds = time.process_time() - started
    found = {k: 0 for k in TOP_K}
    two_words = {k: 0 for k in TOP_K}
    total = total_two = 0
    kinds: Counter = Counter()
    for article, entities in zip(articles, read, strict=True):
        kinds.update(e["kind"] for e in entities.values())
        ranked = [
            n.lower()
            for n, _e in sorted(entities.items(), key=lambda kv: (-kv[1]["mentions"], kv[1]["first_position"]))
        ]
        for main in article["main"]:
            wanted = main.lower()
            total += 1
            is_name = len(main.split()) == 2 and main.istitle()
            total_two += is_name
            for k in TOP_K:
                if any(wanted == t or wanted in t or t in wanted for t in ranked[:k]):
                    found[k] += 1
                    two_words[k] += is_name
    words = sum(len(a["text"].split()) for a in articles)
    lines = [f"  {reader_label(reader)}: {seconds:.1f} s CPU for {words:,} words"]
    for k in TOP_K:
        lines.append(
            f"    top {k}: recall {found[k] / total:.3f}   (two-word proper names, {total_two} of them: "
            f"{two_words[k] / max(1, total_two):.3f})"
        )
    shares = ", ".join(f"{kind} {n / max(1, sum(kinds.values())):.0%}" for kind, n in kinds.most_common())
    lines.append(f"    kinds given: {shares}")
    lines.append(story_merge(articles, read))
    return "\n".join(lines)


def story_merge(articles: list[dict], read: list[dict[str, dict]]) -> str:
    """Rows and names shared by every outlet of a story, before and after the story's names are merged."""
    stories: dict[str, list[tuple[str, dict[str, dict]]]] = {}
    for article, entities in zip(articles, read, strict=True):
        stories.setdefault(article["story"], []).append((article["outlet"], entities))
    rows_before = rows_after = shared_before = shared_after = 0
    for members in stories.values():
        renamed, _kinds = story_names(
            (n, e["kind"], e["mentions"]) for _o, entities in members for n, e in entities.items()
        )
        before: dict[str, set[str]] = {}
        for outlet, entities in members:
            before.setdefault(outlet, set()).update(entities)
        after = {outlet: {renamed.get(n, n) for n in names} for outlet, names in before.items()}
        rows_before += sum(len(n) for n in before.values())
        rows_after += sum(len(n) for n in after.values())
        if len(before) >= 2:
            shared_before += len(set.intersection(*before.values()))
            shared_after += len(set.intersection(*after.values()))
    return (
        f"    merged within {len(stories)} stories: {rows_before:,} -> {rows_after:,} story x outlet x name rows "
        f"({rows_before - rows_after:,} merged); names every outlet of a story uses: {shared_before:,} -> "
        f"{shared_after:,}"
    )


def run(shared: str | Path) -> str:
    one_thread_per_library()  # the CPU time a pool worker pays, not two BLAS threads' sum
    articles = load_basil(shared)
    total = sum(len(a["main"]) for a in articles)
    lines = [f"entity benchmark: BASIL main entities among each article's most mentioned names ({total} entities)"]
    for reader in ("spacy", "rules"):
        if reader == "spacy" and not spacy_available():
            lines.append("  spaCy: not installed (pip install 'presslens[ner]'); skipped")
            continue
        lines.append(score(articles, reader))
    return "\n".join(lines)
