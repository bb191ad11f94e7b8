"""Stage 4 — metrics: numbers computed for one article.

Takes: one ``extract.Article``. Hands on: :class:`ArticleMeasures` — a flat dict of per-article values
(size, readability, frame shares, primary and headline frame, tone summary, loaded language and hedging
rates, sourcing), a record per sentence (frame with confidence, tone) and the direct quotes — which page
processing stores in the article's record; the names a page mentions (:mod:`.entities`) are read per page
here too. Never: looks at another article (comparisons across outlets are compare's), or writes zeros
that look like data: cues for framing, tone, hedging and sourcing are English, so for other languages
those metrics are left empty and ``metrics_note`` says why.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from presslens.extract import Article, outlet_registry
from presslens.metrics.frames import FRAMES, classify_sentence, frame_shares, primary_frame
from presslens.metrics.readability import readability_metrics, size_metrics
from presslens.metrics.sourcing import analyse_sourcing
from presslens.metrics.tone import sentence_tone, tone_summary
from presslens.metrics.wording import hedge_count, loaded_count, per_thousand
from presslens.text import paragraph_sentences, reading_words, split_sentences

ENGLISH_CUES = frozenset({"en"})
NUMERIC_MEASURES = (
    "tone_mean",
    "tone_positive_share",
    "tone_negative_share",
    "headline_tone",
    "hedges_per_1000",
    "loaded_per_1000",
    "quotes",
    "quote_word_share",
    "attributions",
    "named_sources",
    "anonymous_sources",
    "institutional_sources",
    "distinct_speakers",
    "state_media_refs",
    "outlet_refs",
)


@dataclass
class ArticleMeasures:
    metrics: dict
    sentences: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    # sentence index -> the named person or organisation it attributes words to (the sourcing step's); None
    # when sourcing was not run (English-only cues): key points then read the text's speakers themselves
    speakers: dict[int, str] | None = None


@functools.lru_cache(maxsize=1)
def _outlet_aliases() -> dict[str, str]:
    aliases = {}
    for outlet in outlet_registry():
        for alias in [outlet["name"], *outlet["aliases"]]:
            if len(alias) >= 3 and not alias.islower():
                aliases[alias] = outlet["name"]
    return aliases


NO_TEXT_NOTE = "no article text: the page held only its headline (the errors table says why); nothing is measured"


def article_metrics(article: Article) -> ArticleMeasures:
    """All per-article metrics (flat dict), the per-sentence records and the direct quotes."""
    text = article.text
    language = article.extraction.language
    metrics: dict = size_metrics(text)
    scores, note = readability_metrics(text, language)
    metrics.update(scores)
    metrics["readability_note"] = note
    metrics.update(dict.fromkeys(NUMERIC_MEASURES))
    metrics.update({"primary_frame": None, "headline_frame": None, "frame_shares": None})
    if language not in ENGLISH_CUES:
        metrics["metrics_note"] = (
            NO_TEXT_NOTE
            if not text.strip()
            else "framing, tone, hedging and sourcing cues are English-only; "
            f"this article is in {language or 'an undetected language'}"
        )
        # the sentences are still listed (without frame and tone): key points cite them as evidence
        title = article.extraction.title
        unscored = {"frame": None, "frame_confidence": None, "tone": None}
        records = [{"index": -1, "is_headline": True, "sentence": title, **unscored}] if title else []
        records += [
            {"index": i, "is_headline": False, "sentence": s, **unscored} for i, s in enumerate(split_sentences(text))
        ]
        return ArticleMeasures(metrics, records)
    metrics["metrics_note"] = None
    paragraphs = paragraph_sentences(text)
    sentences = [s for paragraph in paragraphs for s in paragraph]
    title = article.extraction.title
    records = []
    if title:
        frame = classify_sentence(title)
        records.append(
            {
                "index": -1,
                "is_headline": True,
                "sentence": title,
                "frame": frame.frame,
                "frame_confidence": frame.confidence,
                "tone": sentence_tone(title),
            }
        )
    for i, sentence in enumerate(sentences):
        frame = classify_sentence(sentence)
        records.append(
            {
                "index": i,
                "is_headline": False,
                "sentence": sentence,
                "frame": frame.frame,
                "frame_confidence": frame.confidence,
                "tone": sentence_tone(sentence),
            }
        )
    body = [r for r in records if not r["is_headline"]]
    headline = next((r for r in records if r["is_headline"]), None)
    shares = frame_shares([r["frame"] for r in body])
    metrics["frame_shares"] = json.dumps(shares)
    metrics["primary_frame"] = primary_frame([r["frame"] for r in body])
    metrics["headline_frame"] = headline["frame"] if headline else None
    metrics["headline_tone"] = headline["tone"] if headline else None
    metrics.update(tone_summary([r["tone"] for r in body]))
    n_words = len(reading_words(text))
    metrics["hedges_per_1000"] = per_thousand(hedge_count(text), n_words)
    metrics["loaded_per_1000"] = per_thousand(loaded_count(text), n_words)
    paragraph_of = [p for p, paragraph in enumerate(paragraphs) for _s in paragraph]
    sourcing = analyse_sourcing(sentences, _outlet_aliases(), paragraph_of)
    metrics.update(sourcing.summary(n_words))
    quotes = [{"text": q.text, "speaker": q.speaker, "sentence": q.sentence} for q in sourcing.quotes]
    return ArticleMeasures(metrics, records, quotes, dict(sourcing.sentence_speakers))


__all__ = ["FRAMES", "NUMERIC_MEASURES", "ArticleMeasures", "article_metrics"]
