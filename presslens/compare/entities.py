"""Who each outlet names: people, organisations, places and groups per story and outlet.

The table is read by one of the readers of :mod:`presslens.compare.ner` (spaCy's model when the
``ner`` extra is installed); this module holds the table and the model-free reader, whose clues
the model's reader reuses.

The model-free reader takes names off the text the way a reader spots them — runs of capitalised
words inside a sentence ("Howard Pemberton", "Calder State University", "NATO"). A surname alone
("Varga") counts for the full name the same article used ("Ines Varga"); a word that is only ever
capitalised at the start of a sentence is not a name. The kind is a guess from the name's own
words and its context: a role or a title before it, or "said" after it, makes a person; an
organisation word (Council, Department, Party …) an organisation; a place word (Street, Valley,
Creek …), or "in" or "near" before a one-word name, a place; the rest are "name". The labels are
the ones the actor-label table found for that name (:mod:`presslens.compare.actors`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from presslens.compare.tables import column_rows
from presslens.names import ORGANISATION_WORDS, PLACE_WORDS, ROLE_WORDS, strip_titles
from presslens.table_registry import columns_of

ENTITY_COLUMNS = columns_of("entities")
TOP_PER_OUTLET = 25  # entities kept per story and outlet, the most mentioned
_NAME = re.compile(
    r"(?:[A-Z][\w’'&.-]*[a-z\d][\w’'.-]*|[A-Z]{2,}[\w-]*)"
    r"(?:\s+(?:(?:of|de|van|von|bin|al|the|for)\s+)?(?:[A-Z][\w’'&.-]*|[A-Z]{2,}))*"
)
_NOT_NAMES = frozenset(
    """The A An This That These Those He She It They We I You His Her Its Their Our But And Or So If When While
    After Before As At In On For From To With By Of Mr Mrs Ms Dr Sen Rep Gov Prof Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October November December
    Here There What Who Why How Some Many Most Other Another Also Still Yet Now Then Today Yesterday Tomorrow
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split()
)
_TITLES = re.compile(r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Prof|President|Judge|Chief)\.?\s+$")
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Sen Rep Gov Prof St Jr Sr Gen Lt Col Capt U.S".split())
_PLACE_BEFORE = re.compile(r"\b(?:in|near|from|across|outside|into)\s+$")
_SAID_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|warned|announced)\b")


def _spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every capitalised run that can be a name; a run is cut where a
    sentence ends inside it ("… Friday. Mr. Steele" gives "Mr. Steele", then "Steele")."""
    out = []
    for match in _NAME.finditer(text):
        segment: list[tuple[str, int, int]] = []
        pieces = [
            (m.group(0), match.start() + m.start(), match.start() + m.end())
            for m in re.finditer(r"\S+", match.group(0))
        ]
        for k, (word, w_start, w_end) in enumerate(pieces):
            segment.append((word, w_start, w_end))
            ends = word.endswith(".") and word.rstrip(".") not in _ABBREVIATIONS and len(word) > 2
            if ends or k == len(pieces) - 1:
                name = _tidy(segment)
                if name:
                    out.append(name)
                segment = []
    return out


def _tidy(segment: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """A run's name without a leading "The", title or role word, trailing joiners or a possessive."""
    while segment and (segment[0][0].rstrip(".") in _NOT_NAMES or segment[0][0].lower() in ROLE_WORDS):
        segment = segment[1:]
    while segment and segment[-1][0] in ("of", "de", "van", "von", "bin", "al", "the", "for"):
        segment = segment[:-1]
    if not segment:
        return None
    name = re.sub(r"[’']s$", "", " ".join(w for w, _s, _e in segment).rstrip(".,")).rstrip(".’'")  # "Obama’s" is Obama
    return (name, segment[0][1], segment[-1][2]) if name else None


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start]
    if start == 0 or not before.strip() or "\n" in before[len(before.rstrip()) :]:
        return True  # the text's or a paragraph's first word
    before = before.rstrip()
    if before[-1] == "." and before.split()[-1].rstrip(".") in _ABBREVIATIONS:
        return False  # "Mr. Steele": a title, not the end of a sentence
    closed = re.sub(r"[”’\"')»]+$", "", before)  # a sentence may end inside its closing quote
    return closed[-1:] in (".", "!", "?", ":") or before[-1] in ("“", '"')


def kind_from_words(name: str) -> str | None:
    """organisation or place when the name carries such a word ("… University", "… Creek"), else None."""
    words = set(name.split())
    if words & ORGANISATION_WORDS or (name.isupper() and len(name) <= 6):
        return "organisation"
    if words & PLACE_WORDS:
        return "place"
    return None


def titled(text: str, start: int) -> bool:
    """A title or a role word stands right before the name ("Mr.", "Fire chief"): a person."""
    if _TITLES.search(text[max(0, start - 12) : start]):
        return True
    before = text[max(0, start - 40) : start].lower().split()
    return bool(before) and before[-1] in ROLE_WORDS


def surnames(names: Iterable[str]) -> dict[str, str]:
    """A last word alone -> the longest name of two or more words ending with it in the article;
    of equally long names, the one the article used first (``names`` in text order)."""
    first_use = {name: k for k, name in reversed(list(enumerate(names)))}
    surname_of: dict[str, str] = {}
    for full in sorted((n for n in first_use if len(n.split()) >= 2), key=lambda n: (-len(n), first_use[n])):
        surname_of.setdefault(full.split()[-1], full)
    return surname_of


def merge_shouted(found: dict[str, dict]) -> dict[str, dict]:
    """A name in capitals ("PORT CALDER", a dateline) counts for the same name in its usual case."""
    usual = {name.lower(): name for name in found if not name.isupper()}
    for name in [n for n in found if n.isupper() and len(n) > 6 and n.lower() in usual]:
        entry, target = found.pop(name), found[usual[name.lower()]]
        target["mentions"] += entry["mentions"]
        target["first_position"] = min(target["first_position"], entry["first_position"])
        target["in_headline"] = target["in_headline"] or entry["in_headline"]
    return found


def article_entities(title: str, text: str) -> dict[str, dict]:
    """name -> {mentions, first_position, in_headline, kind} for one article (headline and text)."""
    body_spans = _spans(text)
    mid_sentence = {name for name, start, _end in body_spans if not _opens_sentence(text, start)}
    surname_of = surnames(name for name, _s, _e in body_spans)
    found: dict[str, dict] = {}
    length = max(1, len(text))
    evidence: dict[str, Counter] = {}
    for name, start, end in body_spans:
        if len(name.split()) == 1 and name not in mid_sentence and not name.isupper():
            continue  # a word only ever capitalised because it opens a sentence
        if len(name) < 2:
            continue
        name = surname_of.get(name, name) if len(name.split()) == 1 else name
        entry = found.setdefault(name, {"mentions": 0, "first_position": start / length, "in_headline": False})
        entry["mentions"] += 1
        clues = evidence.setdefault(name, Counter())
        clues["person"] += titled(text, start) + bool(_SAID_AFTER.match(text[end : end + 12]))
        if _PLACE_BEFORE.search(text[max(0, start - 10) : start]) and len(name.split()) == 1:
            clues["place"] += 1
    for name, _start, _end in _spans(title or ""):
        name = surname_of.get(name, name) if len(name.split()) == 1 else name
        if name in found:
            found[name]["in_headline"] = True
    for name, entry in found.items():
        clues = evidence.get(name, Counter())
        if kind := kind_from_words(name):
            entry["kind"] = kind
        elif clues["place"] > clues["person"]:
            entry["kind"] = "place"
        elif clues["person"]:
            entry["kind"] = "person"
        else:
            entry["kind"] = "name"
    return merge_shouted(found)


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

    ``names``: article id -> the names page processing read in it (:func:`presslens.compare.ner.
    read_entities`, with ``reader``). Names are merged across the story's articles first
    (:func:`story_names`), so every outlet's row for a person carries the same name.
    """
    from presslens.compare.ner import reader_label

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
