"""Sourcing benchmark on BASIL: are the direct quotes found, and credited to the right speaker?

``sourcing_gold.json`` (beside this file) holds 32 BASIL articles read by hand: every quoted span
that :func:`quoted_spans_of` lists in a paragraph is labelled with its speaker, ``-`` (not a direct
quote: a title, a name, a scare quote) or ``~`` (left out: one quoted word, a broken quote mark).
Each article's paragraphs go through presslens's sentence splitter and
:func:`presslens.metrics.sourcing.analyse_sourcing`, as a page's text does in a run. A quote
presslens reports is placed at its opening words; it is right when it falls in a span labelled with
a speaker (the first time; a second quote in the same span counts as wrong: one quote counted
twice), wrong in a ``-`` span or outside every span, and not scored in a ``~`` span.

Reported per split (tune: 20 articles of 2010-2013 the rules were tuned on; check: 10 of 2014-2016,
not tuned on; issue: the two 2019 articles of issue 29): quote precision and recall, speaker
accuracy (of the quotes found, the share whose speaker names the labelled person or organisation:
surnames compared, titles ignored), and the count error per article, beside a trivial reader that
takes every quoted span of three or more words as a quote of the sentence's first name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from presslens.metrics.sourcing import analyse_sourcing
from presslens.text import split_sentences

GOLD = Path(__file__).with_name("sourcing_gold.json")
SPLITS = ("tune", "check", "held", "issue")
_TITLE_WORDS = frozenset("mr mrs ms dr sen rep gov president senator representative the a an jr sr ii iii".split())


def quoted_spans_of(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level quoted span: from its opening mark to after its closing mark,
    or to the paragraph's end when it is never closed. Permissive on purpose: the labels decide."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    kind = ""
    for i, ch in enumerate(paragraph):
        prev = paragraph[i - 1] if i else " "
        nxt = paragraph[i + 1] if i + 1 < len(paragraph) else " "
        if open_at is None:
            single = (ch == "‘" and not prev.isalnum()) or (ch == "'" and not prev.isalnum() and nxt.isalnum())
            if ch in '“"' or single:
                open_at, kind = i, ch
        elif kind == "“" and ch == "“":  # a new opening mark: the old one was never closed
            out.append((open_at, i))
            open_at = i
        elif (kind in '“"' and ch in '”"') or (kind in "‘'" and ch in "’'" and not nxt.isalnum()):
            out.append((open_at, i + 1))
            open_at = None
    if open_at is not None:
        out.append((open_at, len(paragraph)))
    return out


def load_articles(shared: str | Path) -> list[dict]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    root = Path(shared) / "bench" / "corpora" / "basil" / "articles"
    articles = []
    for name, labels in gold.items():
        data = json.loads((root / f"{name}.json").read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in data["body-paragraphs"]]
        articles.append({"name": name, "outlet": data["source"].lower(), "paragraphs": paragraphs, **labels})
    return articles


def _tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [t for t in re.findall(r"[a-z]+", folded.replace("'", "")) if t not in _TITLE_WORDS]


def same_speaker(predicted: str | None, gold: str) -> bool:
    """The predicted speaker names one of the labelled alternatives: the alternative's last word is
    among its words, or its last word among the alternative's ("Mr. Ryan" is "Paul Ryan")."""
    said = _tokens(predicted or "")
    if not said:
        return False
    for alternative in gold.split("|"):
        wanted = _tokens(alternative)
        if wanted and (wanted[-1] in said or said[-1] in wanted):
            return True
    return False


def _placed(paragraphs: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """The article's sentences and, per sentence, (paragraph, offset of the sentence in it)."""
    sentences, where = [], []
    for p, paragraph in enumerate(paragraphs):
        cursor = 0
        for sentence in split_sentences(paragraph):
            at = paragraph.find(sentence, cursor)
            at = cursor if at < 0 else at
            sentences.append(sentence)
            where.append((p, at))
            cursor = at + len(sentence)
    return sentences, where


def trivial_quotes(sentences: list[str]) -> list[tuple[int, str, str | None]]:
    """The baseline: every quoted span of 3+ words, credited to the first capitalised pair of words."""
    out = []
    for i, sentence in enumerate(sentences):
        first = re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", sentence)
        for m in re.finditer(r"[“\"]([^”\"]{1,600})[”\"]", sentence):
            if len(m.group(1).split()) >= 3:
                out.append((i, m.group(1), first.group(0) if first else None))
    return out


def score_article(article: dict, reader: str = "presslens") -> dict:
    paragraphs = article["paragraphs"]
    sentences, where = _placed(paragraphs)
    if reader == "presslens":
        paragraph_of = [p for p, _at in where]
        found = [(q.sentence, q.text, q.speaker) for q in analyse_sourcing(sentences, paragraphs=paragraph_of).quotes]
    else:
        found = trivial_quotes(sentences)
    spans = {p: quoted_spans_of(paragraph) for p, paragraph in enumerate(paragraphs)}
    labels = article["quotes"]
    gold = {key for key, label in labels.items() if label not in ("-", "~")}
    hits: dict[str, str | None] = {}
    wrong = 0
    for sentence, text, speaker in found:
        p, at = where[sentence]
        position = paragraphs[p].find(text[:40], at)
        key = None
        if position >= 0:
            key = next((f"{p}.{k}" for k, (a, b) in enumerate(spans[p]) if a <= position < b), None)
        label = labels.get(key or "", "-")
        if label == "~":
            continue
        if key in gold and key not in hits:
            hits[key] = speaker
        else:
            wrong += 1
    right_speaker = sum(same_speaker(speaker, labels[key]) for key, speaker in hits.items())
    return {
        "gold": len(gold),
        "found": len(hits) + wrong,
        "right": len(hits),
        "right_speaker": right_speaker,
        "count_error": abs(len(hits) + wrong - len(gold)),
    }


def summary(articles: list[dict], reader: str) -> str:
    totals = {"gold": 0, "found": 0, "right": 0, "right_speaker": 0, "count_error": 0}
    for article in articles:
        for key, value in score_article(article, reader).items():
            totals[key] += value
    precision = totals["right"] / max(1, totals["found"])
    recall = totals["right"] / max(1, totals["gold"])
    speakers = totals["right_speaker"] / max(1, totals["right"])
    return (
        f"quotes P {precision:.3f} R {recall:.3f} ({totals['right']} of {totals['gold']} found, "
        f"{totals['found'] - totals['right']} wrong)  speaker accuracy {speakers:.3f}  "
        f"count error {totals['count_error'] / max(1, len(articles)):.1f} per article"
    )


def run(shared: str | Path) -> str:
    articles = load_articles(shared)
    lines = [f"sourcing benchmark: direct quotes and speakers in {len(articles)} BASIL articles read by hand"]
    for split in SPLITS:
        chosen = [a for a in articles if a["split"] == split]
        quotes = sum(1 for a in chosen for label in a["quotes"].values() if label not in ("-", "~"))
        lines.append(f"  {split} ({len(chosen)} articles, {quotes} quotes)")
        lines.append(f"    presslens  {summary(chosen, 'presslens')}")
        lines.append(f"    trivial    {summary(chosen, 'trivial')}")
    return "\n".join(lines)
