"""Story membership as an output of the run: which story each article is in, with stable ids.

:func:`regroup` brings the grouping up to date with the processed articles. Only the part of
the corpus that changed is clustered again — the new or changed articles, the stories their
candidates belong to, and the stories that lost an article — because groups with no similar
pair never merge (:mod:`.grouping`), so that part clusters as it would with everything. A
change of ``stories.yaml`` or of :data:`GROUPING_VERSION` regroups everything.

A group inherits the id of the previous story it holds most articles of, so a story keeps its
id when it grows; a new story is named after its most central headline. Pins win: an article
in ``raw/<story>/`` or with a sidecar story is in that story; the articles of merged stories
stay together under the story they were merged into; the articles split off a story form
their own and never meet the rest of it again. An article moved by ``stories.yaml`` takes no
part in the clustering (it would pull its old story-mates along): it joins its story afterwards.

Each story regrouped gets its :class:`Confidence`: its weakest link (the article least similar
to the rest of it) and the closest other story, so a person knows which groupings to check.

The state is ``processed/grouping.json`` (written atomically by the caller).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from presslens.pages import slugify
from presslens.stories import grouping
from presslens.stories.features import EventFeatures
from presslens.stories.overrides import Overrides

WEAKEST_TITLE_CHARS = 100  # the weakest article's outlet and headline, as a listing names it, cut at a word
GROUPING_VERSION = "2026.12.08.51"  # bump when features or clustering change: everything is regrouped
STATE_FILE = "grouping.json"
REGION_SHARE = 0.5  # a new article's candidate this share of the threshold pulls its story in
SLUG_WORDS = 10


@dataclass
class Confidence:
    """How sure a story's grouping is: its weakest link and the closest other story (mean
    probabilities of one event, the measure average linkage merges by)."""

    weakest: float | None = None  # the lowest mean of an article with the rest of the story; None: one article
    weakest_article: str | None = None
    closest: float = 0.0  # the highest mean between this story and another
    closest_story: str | None = None

    def to_dict(self) -> dict:
        return {
            "weakest": self.weakest,
            "weakest_article": self.weakest_article,
            "closest": self.closest,
            "closest_story": self.closest_story,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Confidence:
        data = data if isinstance(data, dict) else {}
        weakest = data.get("weakest")
        return cls(
            float(weakest) if isinstance(weakest, int | float) else None,
            data.get("weakest_article"),
            float(data.get("closest") or 0.0),
            data.get("closest_story"),
        )

    def describe(self, weakest_title: str = "") -> str:
        """The weakest link inside the story and the closest other story, in words."""
        if len(weakest_title) > WEAKEST_TITLE_CHARS:
            weakest_title = weakest_title[:WEAKEST_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
        headline = f": {weakest_title!r}" if weakest_title else ""
        inside = (
            f"weakest link {self.weakest:.2f} ({self.weakest_article}{headline})"
            if self.weakest is not None
            else "one article"
        )
        outside = "no close story"
        if self.closest_story:
            outside = f"closest other story {self.closest_story} at {self.closest:.2f}"
        return f"{inside}; {outside}"

    def check(self, threshold: float) -> str:
        """What a person should look at, in words ("" when the grouping is clear)."""
        notes = []
        if self.weakest is not None and self.weakest < threshold + CHECK_MARGIN:
            notes.append(f"{self.weakest_article} barely belongs ({self.weakest:.2f})")
        if self.closest_story and self.closest >= threshold - CHECK_MARGIN:
            notes.append(f"close to {self.closest_story} ({self.closest:.2f})")
        return "; ".join(notes)


CHECK_MARGIN = 0.1  # a weakest link or a closest story this near the threshold is worth a look
NAMING_SHARE = 0.5  # a story is named after one of its articles at least this share as central as the most central
_WEB_ADDRESS = re.compile(r"https?:|www\.", re.I)
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_JOINERS = frozenset("and the for with from".split())
_SITE_NAME_WORDS = frozenset("news weather sports channel tv radio daily times post herald tribune".split())
NAME_TITLE_WORDS = 4  # a title of capitalised words this short is a name ("The Cleveland Daily Banner")


def reads_as_headline(title: str) -> bool:
    """Whether a title tells something, not a paper's or a site's name ("The Cleveland Daily Banner", "Utah News,
    Sports, Weather and Classifieds"), a date line ("04/28/09 07:35 PM ET") or a web address: a story is named
    after such a title last. A word in lower case tells ("Five wounded in East Side shooting"); so do five
    capitalised words without a site's ("1 Killed, 2 Injured in Shooting in Hallandale Beach")."""
    if not title or _WEB_ADDRESS.search(title):
        return False
    words = _TITLE_WORD.findall(title)
    if not any(len(w) >= 3 for w in words):
        return False
    if any(w[0].islower() and len(w) >= 3 and w not in _JOINERS for w in words):
        return True
    capitalised = [w for w in words if w[0].isupper()]
    return len(capitalised) > NAME_TITLE_WORDS and not any(w.lower() in _SITE_NAME_WORDS for w in capitalised)


class SortedView(Mapping):
    """A str-keyed mapping read in key order, each value made by ``make`` when it is read."""

    def __init__(self, source: dict[str, Any], make: Callable[[Any], Any] | None = None):
        self.source, self.make, self.keys_sorted = source, make, sorted(source)

    def __getitem__(self, key: str) -> Any:
        value = self.source[key]
        return self.make(value) if self.make else value

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_sorted)

    def __len__(self) -> int:
        return len(self.keys_sorted)


@dataclass
class Membership:
    """Where every grouped article is, and each story's title; the content of grouping.json."""

    assignment: dict[str, str] = field(default_factory=dict)  # article id -> story id
    titles: dict[str, str] = field(default_factory=dict)  # story id -> title
    pinned: set[str] = field(default_factory=set)  # story ids the user gave (folder, sidecar, stories.yaml)
    created: dict[str, str] = field(default_factory=dict)  # story id -> day it first appeared
    grouped: dict[str, str] = field(default_factory=dict)  # article id -> fingerprint it was grouped with
    how: dict[str, str] = field(default_factory=dict)  # article id -> pinned, moved, merged, split or grouped
    retired: set[str] = field(default_factory=set)  # ids of stories that are gone (never reused)
    confidence: dict[str, Confidence] = field(default_factory=dict)  # story id -> how sure its grouping is
    version: str = GROUPING_VERSION
    overrides_digest: str = ""

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for aid, story in sorted(self.assignment.items()):
            out.setdefault(story, []).append(aid)
        return out

    def json_view(self) -> dict:
        """grouping.json's content, its big mappings made as they are read (keys sorted): a streamed
        write walks it without a second copy of every article's entries (``store.atomic_write_json_stream``)."""

        def story(s: str) -> dict:
            return {
                "title": self.titles.get(s, ""),
                "pinned": s in self.pinned,
                "created": self.created.get(s),
                "confidence": self.confidence.get(s, Confidence()).to_dict(),
            }

        return {
            "version": self.version,
            "overrides_digest": self.overrides_digest,
            "assignment": SortedView(self.assignment),
            "stories": SortedView({s: s for s in set(self.assignment.values())}, story),
            "grouped": SortedView(self.grouped),
            "how": SortedView(self.how),
            "retired": sorted(self.retired),
        }

    def to_dict(self) -> dict:
        return {k: dict(v) if isinstance(v, SortedView) else v for k, v in self.json_view().items()}

    @classmethod
    def from_dict(cls, data: dict) -> Membership:
        stories = data.get("stories") or {}
        return cls(
            assignment=dict(data.get("assignment") or {}),
            titles={s: v.get("title", "") for s, v in stories.items()},
            pinned={s for s, v in stories.items() if v.get("pinned")},
            created={s: v.get("created") for s, v in stories.items() if v.get("created")},
            grouped=dict(data.get("grouped") or {}),
            how=dict(data.get("how") or {}),
            retired=set(data.get("retired") or []),
            confidence={s: Confidence.from_dict(v.get("confidence")) for s, v in stories.items()},
            version=str(data.get("version") or ""),
            overrides_digest=str(data.get("overrides_digest") or ""),
        )


def load_membership(out_dir: str | Path) -> Membership:
    """The last run's grouping, or an empty one (a first run, or an unreadable file: regroup all)."""
    path = Path(out_dir) / STATE_FILE
    try:
        return Membership.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError):
        return Membership(version="")


@dataclass
class GroupingReport:
    """What a regroup did, for the run summary and the tables' rebuild."""

    regrouped: int = 0  # articles clustered again this run
    full: bool = False
    pairs: int = 0  # similarity pairs computed
    capped: int = 0  # articles with more candidates than MAX_CANDIDATES (the rest were not compared)
    stories: int = 0
    warnings: list[str] = field(default_factory=list)


def effective_pins(
    filed: dict[str, str | None], previous: Membership, overrides: Overrides
) -> tuple[dict[str, str], dict[str, str]]:
    """(article -> story it must be in, article -> why): moves, splits, sidecar/folder pins, merges;
    ``filed``: each article's story from its folder or sidecar (None: none).

    Story ids go through stories.yaml's merges and renames, so a pin names the story as it is now.
    A split pins the articles it names to their new story and the rest of the old story to it.
    """
    pins: dict[str, str] = {}
    why: dict[str, str] = {}
    merged_into = overrides.merged_into()
    renamed = {old: new for old, new, _title in overrides.renames}

    def current(story: str) -> str:
        story = merged_into.get(story, story)
        return renamed.get(story, story)

    merged = set(merged_into) | {current(s) for s in merged_into.values()}
    split_off = {aid: split.to for split in overrides.splits for aid in split.articles}
    split_from = {current(split.story) for split in overrides.splits}
    for aid, folder_pin in filed.items():
        before = previous.assignment.get(aid)
        if aid in overrides.moves:
            pins[aid], why[aid] = current(overrides.moves[aid]), "moved"
        elif aid in split_off:  # a decision about a filed page wins over its folder, as a move does
            pins[aid], why[aid] = current(split_off[aid]), "split"
        elif folder_pin:
            pins[aid], why[aid] = current(folder_pin), "pinned"
        elif before is not None and before in merged:
            pins[aid], why[aid] = current(before), "merged"
        elif before is not None and current(before) in split_from:
            pins[aid] = current(before)  # the rest of a split story stays apart from what left it
    return pins, why


def regroup(
    articles: dict[str, EventFeatures] | grouping.Corpus,
    fingerprints: dict[str, str],
    previous: Membership,
    overrides: Overrides,
    full: bool = False,
    today: date | None = None,
    model: grouping.PairModel | None = None,
) -> tuple[Membership, GroupingReport]:
    """The stories of ``articles`` (every processed article: their features, or their corpus with
    the rows in article id order), reusing ``previous`` where nothing changed."""
    today = today or date.today()
    model = model or grouping.shipped_model()
    report = GroupingReport()
    full = (
        full
        or previous.version != GROUPING_VERSION
        or previous.overrides_digest != overrides.digest
        or not previous.assignment
    )
    if isinstance(articles, grouping.Corpus):
        corpus = articles
    else:
        corpus = grouping.build_corpus([articles[a] for a in sorted(articles)])
    ids = corpus.ids
    index = corpus.index
    present = set(ids)
    pins, why = effective_pins(dict(zip(ids, corpus.pinned, strict=True)), previous, overrides)
    moved = {a: story for a, story in pins.items() if why.get(a) == "moved"}
    members_before = previous.members()

    if full:
        region = set(ids)
    else:
        changed = {a for a in ids if previous.grouped.get(a) != fingerprints.get(a) or a not in previous.assignment}
        removed = set(previous.assignment) - present
        affected = {previous.assignment[a] for a in removed}
        affected |= {previous.assignment[a] for a in changed if a in previous.assignment}
        affected |= {pins[a] for a in changed if a in pins}
        near = grouping.candidate_edges(corpus, [index[a] for a in changed], model=model)
        for (i, j), s in near.edges.items():
            if s >= REGION_SHARE * model.threshold:
                for k in (i, j):
                    story = previous.assignment.get(ids[k])
                    if story is not None:
                        affected.add(story)
        region = set(changed) | {a for s in affected for a in members_before.get(s, []) if a in present}
        region |= {a for a, story in pins.items() if story in affected}
    report.full = full
    report.regrouped = len(region)

    rows = sorted(index[a] for a in region)
    candidates = grouping.candidate_edges(corpus, rows, model=model)  # partners outside the region too
    report.pairs, report.capped = len(candidates.edges), candidates.capped
    clustered = {i for i in rows if ids[i] not in moved}
    inside = grouping.Candidates(
        {pair: p for pair, p in candidates.edges.items() if pair[0] in clustered and pair[1] in clustered},
        candidates.capped,
        {pair for pair in candidates.copies if pair[0] in clustered and pair[1] in clustered},
    )
    groups = grouping.group_articles(
        sorted(clustered), inside, {index[a]: p for a, p in pins.items() if a in region and a not in moved}, model
    )

    kept = {a: s for a, s in previous.assignment.items() if a in present and a not in region}
    taken = set(kept.values())
    known = taken | set(previous.assignment.values()) | previous.retired
    assignment = dict(kept)
    titles = {s: previous.titles.get(s, "") for s in taken}
    pinned = {s for s in taken if s in previous.pinned}

    # each article's similarity to the rest of its group, in one pass over the edges
    group_of = {i: g for g, group in enumerate(groups) for i in group}
    centrality = dict.fromkeys(group_of, 0.0)
    for (i, j), s in inside.edges.items():
        if group_of.get(i) == group_of.get(j) and i in group_of:
            centrality[i] += s
            centrality[j] += s

    def central(group: list[int]) -> int:
        """The article that names the group: of those at least NAMING_SHARE as central as the most central one,
        one whose title reads as a headline, then the most central, the earliest."""
        most = max(round(centrality[i], 6) for i in group)
        near = [i for i in group if round(centrality[i], 6) >= NAMING_SHARE * most]
        return min(
            near,
            key=lambda i: (
                not reads_as_headline(corpus.titles[i]),
                -round(centrality[i], 6),
                day_order(corpus.dates[i, 0]),
                ids[i],
            ),
        )

    # pinned groups first, then the others by how many of a previous story's articles they hold
    named: dict[int, str] = {}
    for g, group in enumerate(groups):
        labels = {pins[ids[i]] for i in group if ids[i] in pins}
        if labels:
            named[g] = labels.pop()
            pinned.add(named[g])
    used = taken | set(named.values())
    overlaps = []
    for g, group in enumerate(groups):
        if g in named:
            continue
        counts: dict[str, int] = {}
        for i in group:
            story = previous.assignment.get(ids[i])
            if story is not None and story not in used:
                counts[story] = counts.get(story, 0) + 1
        overlaps += [(-n, previous.created.get(s) or "", s, g) for s, n in counts.items()]
    for _n, _created, story, g in sorted(overlaps):
        if g in named or story in used:
            continue
        named[g] = story
        used.add(story)
    for g, group in enumerate(groups):
        title = corpus.titles[central(group)]
        if g not in named:
            named[g] = new_story_id(title, ids[group[0]], used | known)
            used.add(named[g])
        story = named[g]
        titles[story] = title or titles.get(story) or previous.titles.get(story, "")
        for i in group:
            assignment[ids[i]] = story
    for aid, story in moved.items():
        if aid in region:
            assignment[aid] = story
            titles.setdefault(story, previous.titles.get(story) or corpus.titles[index[aid]])

    created = {s: previous.created.get(s) or today.isoformat() for s in set(assignment.values())}
    confidence = {s: c for s, c in previous.confidence.items() if s in taken}
    confidence.update(story_confidence(candidates.edges, ids, assignment, {ids[i] for i in rows}))
    membership = Membership(
        assignment=assignment,
        titles=titles,
        pinned=pinned & set(assignment.values()),
        created=created,
        grouped={a: fingerprints.get(a, "") for a in assignment},
        how={a: why.get(a, "grouped") for a in assignment},
        retired=(previous.retired | set(previous.assignment.values())) - set(assignment.values()),
        confidence=confidence,
        overrides_digest=overrides.digest,
    )
    for split in overrides.splits:
        if split.title and split.to in created:
            membership.titles[split.to] = split.title
    report.warnings += apply_renames(membership, overrides)
    report.stories = len(set(membership.assignment.values()))
    return membership, report


def day_order(ordinal: float) -> float:
    """A publication day's ordinal as a sort key; no day sorts last."""
    return float(ordinal) if ordinal == ordinal else float("inf")


def story_confidence(
    edges: dict[tuple[int, int], float], ids: list[str], assignment: dict[str, str], regrouped: set[str]
) -> dict[str, Confidence]:
    """The :class:`Confidence` of every story holding an article of ``regrouped``, from the
    candidate edges of those articles (pairs with articles outside them included)."""
    stories = {assignment[a] for a in regrouped if a in assignment}
    size: dict[str, int] = {}
    for story in assignment.values():
        size[story] = size.get(story, 0) + 1
    inner: dict[str, float] = {}  # article -> sum of its edges inside its story
    between: dict[tuple[str, str], float] = {}
    for (i, j), p in edges.items():
        a, b = ids[i], ids[j]
        sa, sb = assignment.get(a), assignment.get(b)
        if sa is None or sb is None:
            continue
        if sa == sb:
            inner[a] = inner.get(a, 0.0) + p
            inner[b] = inner.get(b, 0.0) + p
        elif sa in stories or sb in stories:
            key = (min(sa, sb), max(sa, sb))
            between[key] = between.get(key, 0.0) + p
    out = {story: Confidence() for story in stories}
    for aid, story in assignment.items():
        if story in out and size[story] > 1:
            mean = round(inner.get(aid, 0.0) / (size[story] - 1), 4)
            found = out[story]
            if found.weakest is None or (mean, aid) < (found.weakest, found.weakest_article or ""):
                found.weakest, found.weakest_article = mean, aid
    for (sa, sb), total in sorted(between.items()):
        mean = round(total / (size[sa] * size[sb]), 4)
        for story, other in ((sa, sb), (sb, sa)):
            if story in out and mean > out[story].closest:
                out[story].closest, out[story].closest_story = mean, other
    return out


def apply_renames(membership: Membership, overrides: Overrides) -> list[str]:
    """Give stories the ids and titles stories.yaml asks for; a clash is reported, not guessed."""
    warnings = []
    for old, new, title in overrides.renames:
        current = set(membership.assignment.values())
        if old not in current:
            if new in current and title:
                membership.titles[new] = title  # renamed on an earlier run
            continue
        if new != old and new in current:
            warnings.append(f"stories.yaml: rename {old} -> {new} skipped: {new} is another story")
            continue
        for aid, story in membership.assignment.items():
            if story == old:
                membership.assignment[aid] = new
        for table in (membership.titles, membership.created, membership.confidence):
            if old in table:
                table[new] = table.pop(old)
        for confidence in membership.confidence.values():
            if confidence.closest_story == old:
                confidence.closest_story = new
        if old in membership.pinned:
            membership.pinned.discard(old)
        membership.pinned.add(new)
        membership.retired.discard(new)
        if title:
            membership.titles[new] = title
    return warnings


def new_story_id(title: str, fallback: str, taken: set[str]) -> str:
    """A slug of the headline's first words (else of ``fallback``), not one of ``taken``."""
    base = slugify(" ".join(title.split()[:SLUG_WORDS]), 60) if title.strip() else ""
    base = base or f"story-{slugify(fallback, 20)}"
    candidate, k = base, 2
    while candidate in taken:
        candidate, k = f"{base}-{k}", k + 1
    return candidate


@dataclass
class Guess:
    story: str | None  # the processed story the page would join, None for a story of its own
    similarity: float  # mean similarity to that story's articles (the average-linkage measure)
    message: str


def best_guess(new: EventFeatures, known: list[EventFeatures], membership: Membership) -> Guess:
    """Which processed story ``new`` would join if it arrived alone: its mean similarity to each story."""
    if not known:
        return Guess(None, 0.0, "story: decided by the next run (nothing processed yet to compare with)")
    corpus = grouping.build_corpus([*known, new])
    row = len(known)
    edges = grouping.candidate_edges(corpus, [row]).edges
    members = membership.members()
    totals: dict[str, float] = {}
    for (i, j), s in edges.items():
        other = known[j if i == row else i].article_id
        story = membership.assignment.get(other)
        if story is not None:
            totals[story] = totals.get(story, 0.0) + s
    ranked = sorted(((t / len(members[s]), s) for s, t in totals.items()), reverse=True)
    how = "the next run decides, grouping it with all new pages; pin it with --story"
    threshold = grouping.shipped_model().threshold
    if ranked and ranked[0][0] >= threshold:
        score, story = ranked[0]
        title = membership.titles.get(story, "")
        return Guess(
            story,
            score,
            f"story (best guess): {story} — {title!r}, mean similarity {score:.2f} to its "
            f"{len(members[story])} article(s), joining needs {threshold} ({how})",
        )
    closest = f"closest: {ranked[0][1]} at {ranked[0][0]:.2f}" if ranked else "no similar story"
    return Guess(
        None,
        ranked[0][0] if ranked else 0.0,
        f"story (best guess): a new story ({closest}; joining needs {threshold}) ({how})",
    )
