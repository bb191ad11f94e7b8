"""The comparison of one story: every table's rows for its articles.

Each story's rows depend on its own records only, which is what lets a run rebuild only the
stories whose pages changed (:mod:`presslens.building`).
"""

from __future__ import annotations

from presslens.compare.actors import actor_labels
from presslens.compare.attention import attention_table, blindspots_table, date_problem
from presslens.compare.coverage import coverage_table, outlet_coverage
from presslens.compare.entities import entities_table
from presslens.compare.keypoints import key_point_analysis, recorded_speakers
from presslens.compare.stories_table import stories_table
from presslens.compare.syndication import find_copies
from presslens.compare.tables import (
    articles_table,
    column_rows,
    labelling_text,
    measures_table,
    outlets_table,
    sentences_table,
)
from presslens.compare.wordchoice import distinctive_terms
from presslens.record import ArticleRecord
from presslens.roster import Roster
from presslens.table_registry import STORY_TABLES, declared


def story_tables(
    records: list[ArticleRecord],
    backend: str = "lexical",
    titles: dict[str, str] | None = None,
    roster: Roster | None = None,
    entities: str = "rules",
) -> dict:
    """Every table's rows for the stories of ``records`` (the tables of :data:`presslens.table_registry.
    STORY_TABLES`, with their declared columns); each story's rows depend on its own records only.

    Each record carries its ``story`` (from the grouping). ``backend`` is the key-point similarity
    backend (:data:`presslens.compare.keypoints.BACKENDS`); ``titles`` the stories' titles;
    ``roster`` the outlets the user follows (outlets.yaml): names, leans, blindspots; ``entities``
    the entity reader (spacy or rules, :mod:`presslens.metrics.entities`).
    """
    import pandas as pd

    roster = roster or Roster()
    for rec in records:
        entry = roster.canonical(rec.outlet, rec.url)
        rec.outlet = entry.name if entry else rec.outlet
        rec.lean = entry.lean if entry else None
        rec.published_flag = date_problem(rec.published, rec.page_published)
    articles = articles_table(records)
    texts = {r.article_id: r.text for r in records}
    copies = find_copies(articles, texts)
    articles["copy_of"] = articles["article_id"].map(lambda a: copies.get(a, (None, None))[0])
    articles["copy_containment"] = articles["article_id"].map(lambda a: copies.get(a, (None, None))[1])
    sentences = sentences_table(records)
    by_story: dict[str, list[ArticleRecord]] = {}
    for rec in records:
        by_story.setdefault(rec.story, []).append(rec)
    coverage_frames, stat_frames, analyses = [], [], {}
    for story, group in sorted(by_story.items()):
        coverage, stats, analyses[story] = story_coverage(story, group, articles[articles["story"] == story], backend)
        coverage_frames.append(coverage)
        stat_frames.append(stats)
    if by_story:
        coverage, outlet_cov = pd.concat(coverage_frames, ignore_index=True), pd.concat(stat_frames, ignore_index=True)
    else:
        coverage, outlet_cov, _ = story_coverage("", [], articles)
    sentences["key_points"] = sentence_key_points(sentences, analyses)
    outlets = add_outlet_columns(outlets_table(articles, sentences), articles, outlet_cov)
    labelled_texts = {r.article_id: labelling_text(r) for r in records}
    actors = actor_labels(articles, labelled_texts)
    tables = {
        "articles": articles,
        "outlets": outlets,
        "stories": stories_table(articles, backend, titles or {}, analyses),
        "sentences": sentences,
        "measures": measures_table(articles, sentences),
        "terms": distinctive_terms(articles, texts),
        "actor_labels": actors,
        "entities": entities_table(articles, {r.article_id: r.entities for r in records}, actors, entities),
        "coverage": coverage,
        "attention": attention_table(articles),
        "blindspots": blindspots_table(articles, coverage, roster),
    }
    return {name: declared(tables[name], name) for name in STORY_TABLES}  # every table as the registry declares it


def sentence_key_points(sentences, analyses: dict) -> list[list[str]]:
    """For each sentence row, the ids of its story's key points it reports (a list, empty for none)."""
    reported: dict[tuple[str, int], set[str]] = {}
    for analysis in analyses.values():
        for kp in analysis.points:
            for article_id, indexes in kp.evidence.items():  # sentence -> strength
                for index in indexes:
                    reported.setdefault((article_id, index), set()).add(kp.id)
        for article_id, ids in analysis.headline_points.items():
            reported.setdefault((article_id, -1), set()).update(ids)
    keys = zip(sentences["article_id"].tolist(), sentences["index"].tolist(), strict=True)
    return [sorted(reported.get((a, int(i)), ())) for a, i in keys]


def story_coverage(story: str, records: list[ArticleRecord], articles, backend: str = "lexical") -> tuple:
    """One story's key-point coverage matrix, its per-outlet statistics and the key-point analysis."""
    words = articles.groupby("outlet")["words"].sum().to_dict()
    analysis = key_point_analysis(
        [(r.article_id, r.outlet, r.text) for r in records],
        headlines={r.article_id: r.title or "" for r in records},
        backend=backend,
        speakers={r.article_id: recorded_speakers(r.quotes, r.speakers) for r in records if r.speakers is not None},
    )
    outlet_of = {r.article_id: r.outlet for r in records}
    trusted = articles[articles["published_flag"].isna()] if "published_flag" in articles else articles
    published = {a: p for a, p in zip(trusted["article_id"], trusted["published"], strict=True) if isinstance(p, str)}
    coverage = coverage_table(story, analysis, outlet_of, published)
    outlet_names = sorted(set(outlet_of.values()))
    stats = outlet_coverage(coverage, {o: words.get(o, 0) for o in outlet_names}, analysis.points)
    return coverage, stats, analysis


def add_outlet_columns(outlets, articles, outlet_cov):
    """Coverage statistics and syndication (which original an outlet's articles copy) per story x outlet."""
    merged = outlets.merge(outlet_cov, on=["story", "outlet"], how="left")
    outlet_of = dict(zip(articles["article_id"], articles["outlet"], strict=True))
    copies_outlet, sources = {}, {}
    for row in column_rows(articles, ["story", "outlet", "copy_of", "original_source"]):
        key = (row.story, row.outlet)
        if isinstance(row.copy_of, str):
            copies_outlet.setdefault(key, set()).add(outlet_of.get(row.copy_of, row.copy_of))
        if isinstance(row.original_source, str):
            sources.setdefault(key, set()).add(row.original_source)
    keys = list(zip(merged["story"], merged["outlet"], strict=True))
    merged["copies_outlet"] = ["; ".join(sorted(copies_outlet.get(key, []))) or None for key in keys]
    merged["original_source"] = ["; ".join(sorted(sources.get(key, []))) or None for key in keys]
    return merged
