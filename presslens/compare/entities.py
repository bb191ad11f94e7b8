"""Who each outlet names: people, organisations, places and groups per story and outlet.

Each article's names are read when its page is processed, by one of the readers of
:mod:`presslens.metrics.entities` (spaCy's model when the ``ner`` extra is installed), and kept in
its record; this module merges them over a story's articles into the table. The labels are the
ones the actor-label table found for that name (:mod:`presslens.compare.actors`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from presslens.compare.tables import column_rows
from presslens.metrics.entities import reader_label
from presslens.names import ORGANISATION_WORDS, strip_titles
from presslens.table_registry import columns_of

ENTITY_COLUMNS = columns_of("entities")
TOP_PER_OUTLET = 25  # entities kept per story and outlet, the most mentioned
_JOINERS = frozenset("of the and for de van von bin al".split())
_SUFFIXES = frozenset(("Jr", "Sr", "II", "III"))


def _person_key(name: str) -> str:
    """A person's name without titles, middle initials and Jr./Sr.: "President Donald J. Trump" -> "Donald Trump"."""
    bare = strip_titles(name)[0]
    words = [w for w in bare.split() if not re.fullmatch(r"[A-Z]\.", w) and w.rstrip(".") not in _SUFFIXES]
    return " ".join(words) or bare


def _organisation_word(name: str) -> bool:
    return bool(set(name.split()) & ORGANISATION_WORDS) or name.isupper()


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _JOINERS and w[:1].isupper())


def story_names(entries: Iterable[tuple[str, str, int]]) -> tuple[dict[str, str], dict[str, str]]:
    """The story's one name for each name its articles use, and each name's kind in the story, from
    (name, kind, mentions) of every article of every outlet.

    "President Trump", "Mr. Trump", "Donald J. Trump" and "Trump" all become the story's most mentioned
    full form ("Donald Trump"); an acronym ("FBI") and the name it abbreviates become the more mentioned of
    the two. A surname joins a full name only when one person of the story has it ("Cheney" stays alone
    beside "Liz Cheney" and "Dick Cheney"); a place or a group never joins a person. The kind is the
    story's majority over all outlets, so an entity has one kind in every outlet's row."""
    mentions: Counter = Counter()
    kinds: dict[str, Counter] = {}
    for name, kind, count in entries:
        mentions[name] += count
        kinds.setdefault(name, Counter())[kind] += count
    kind_of = {n: next((k for k, _c in c.most_common() if k != "name"), "name") for n, c in kinds.items()}
    # the small model calls an unseen person an organisation now and then: a name without an organisation
    # word joins a person of the same name
    people = [n for n in mentions if kind_of[n] != "place" and kind_of[n] != "group" and not _organisation_word(n)]
    groups: dict[str, list[str]] = {}  # "Donald Trump" -> "Donald J. Trump", "President Donald Trump", …
    for name in people:
        if len(key := _person_key(name).split()) >= 2:
            groups.setdefault(" ".join(key), []).append(name)
    groups = {k: forms for k, forms in groups.items() if any(kind_of[f] in ("person", "name") for f in forms)}
    canonical: dict[str, str] = {}
    for forms in groups.values():
        best = max(forms, key=lambda n: (mentions[n], -len(n), n))
        canonical.update(dict.fromkeys(forms, best))
    by_surname: dict[str, set[str]] = {}
    for key, forms in groups.items():
        by_surname.setdefault(key.split()[-1], set()).add(canonical[forms[0]])
    for name in mentions:  # "Trump", "Mr. Trump", "President Trump" (any kind but a place or a group)
        if name not in canonical and kind_of[name] not in ("place", "group"):
            full = by_surname.get(_person_key(name), set()) if len(_person_key(name).split()) == 1 else set()
            if len(full) == 1:
                canonical[name] = next(iter(full))
    for name in mentions:  # "FBI" and "Federal Bureau of Investigation"
        if name.isupper() and 2 <= len(name) <= 6 and name not in canonical:
            longer = [n for n in mentions if len(n.split()) >= 2 and _initials(n) == name and n not in canonical]
            if len(longer) == 1:
                canonical[name] = canonical[longer[0]] = max((name, longer[0]), key=lambda n: (mentions[n], n))
    renamed = {name: target for name, target in canonical.items() if name != target}
    merged_kinds: dict[str, Counter] = {}
    for name, counts in kinds.items():
        merged_kinds.setdefault(renamed.get(name, name), Counter()).update(counts)
    story_kind = {n: next((k for k, _c in c.most_common() if k != "name"), "name") for n, c in merged_kinds.items()}
    return renamed, story_kind


def entities_table(
    articles: pd.DataFrame, names: dict[str, dict[str, dict]], actor_labels: pd.DataFrame, reader: str = "rules"
) -> pd.DataFrame:
    """story × outlet × entity: mentions, articles, first position, in a headline, kind, labels.

    ``names``: article id -> the names page processing read in it (:func:`presslens.metrics.entities.
    read_entities`, with ``reader``). Names are merged across the story's articles first
    (:func:`story_names`), so every outlet's row for a person carries the same name.
    """
    labels: dict[tuple[str, str, str], list[str]] = {}
    if not actor_labels.empty:
        for row in column_rows(actor_labels, ["story", "actor", "outlet", "label"]):
            labels.setdefault((row.story, row.outlet, row.actor), []).append(row.label)
    read = {a: names.get(a, {}) for a in articles["article_id"].tolist()}
    found_by = reader_label(reader)
    rows = []
    for story, in_story in articles.groupby("story", sort=True):
        ids = in_story["article_id"].tolist()
        renamed, kinds = story_names(
            (name, entry["kind"], entry["mentions"]) for article_id in ids for name, entry in read[article_id].items()
        )
        for outlet, group in in_story.groupby("outlet", sort=True):
            rows += _outlet_rows(story, outlet, [read[a] for a in group["article_id"].tolist()], renamed, kinds)
    for row in rows:
        row["labels"] = sorted(set(labels.get((row["story"], row["outlet"], row["entity"]), [])))
        row["reader"] = found_by
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)


def _outlet_rows(
    story: str, outlet: str, read: list[dict[str, dict]], renamed: dict[str, str], kinds: dict[str, str]
) -> list[dict]:
    """One outlet's most mentioned names in a story, each under the story's name and kind for it."""
    merged: dict[str, dict] = {}
    for names in read:
        in_article: dict[str, dict] = {}
        for name, entry in names.items():
            seen = in_article.setdefault(
                renamed.get(name, name), {"mentions": 0, "first_position": 1.0, "in_headline": False}
            )
            seen["mentions"] += entry["mentions"]
            seen["first_position"] = min(seen["first_position"], entry["first_position"])
            seen["in_headline"] = seen["in_headline"] or entry["in_headline"]
        for name, seen in in_article.items():
            total = merged.setdefault(name, {"mentions": 0, "articles": 0, "first_position": 1.0, "in_headline": False})
            total["mentions"] += seen["mentions"]
            total["articles"] += 1
            total["first_position"] = min(total["first_position"], seen["first_position"])
            total["in_headline"] = total["in_headline"] or seen["in_headline"]
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1]["mentions"], kv[1]["first_position"], kv[0]))
    rows = []
    for name, total in ranked[:TOP_PER_OUTLET]:
        rows.append(
            {
                "story": story,
                "outlet": outlet,
                "entity": name,
                "kind": kinds.get(name, "name"),
                "mentions": total["mentions"],
                "articles": total["articles"],
                "first_position": round(total["first_position"], 4),
                "in_headline": total["in_headline"],
            }
        )
    return rows
