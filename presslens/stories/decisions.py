"""The stories a run found, and a person's decisions about them (recorded in stories.yaml).

Each decision is checked against the last run's grouping first: an unknown story or article
raises :class:`DecisionError` and nothing is written. A recorded decision takes effect on the
next run, and on every run after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from presslens.pages import slugify
from presslens.stories.membership import Confidence, Membership, load_membership, new_story_id
from presslens.stories.overrides import append_decision, load_overrides


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown story or article, a clash); nothing was changed."""


@dataclass
class StoryRow:
    story: str
    title: str
    outlets: str
    articles: int
    dates: str
    pinned: bool
    confidence: Confidence = field(default_factory=Confidence)
    weakest_title: str = ""  # the headline of the story's weakest article
    check: str = ""  # what a person should look at ("" when the grouping is clear)

    def sureness(self) -> str:
        """The confidence in words: the weakest link inside the story, the closest other story."""
        return self.confidence.describe(self.weakest_title)


def list_stories(out_dir: str | Path, check_only: bool = False) -> list[StoryRow]:
    """Every story of the last run, most recent first (then by id), with its outlets, dates and how
    sure its grouping is; ``check_only``: the stories worth a look, the least sure first."""
    import pandas as pd

    from presslens.stories.grouping import shipped_model

    out = Path(out_dir)
    membership = load_membership(out)
    members = membership.members()
    details: dict[str, dict] = {}
    table = out / "stories.parquet"
    if table.exists():
        for row in pd.read_parquet(table).to_dict("records"):
            details[str(row["story"])] = row
    headlines: dict[str, str] = {}
    articles = out / "articles.parquet"
    if articles.exists():
        frame = pd.read_parquet(articles, columns=["article_id", "title"])
        frame = frame[frame["title"].notna()]
        headlines = {str(a): str(t) for a, t in zip(frame["article_id"], frame["title"], strict=True)}
    threshold = shipped_model().threshold
    rows = []
    for story, aids in members.items():
        info = details.get(story, {})
        first, last = info.get("first_published"), info.get("last_published")
        dates = "" if not isinstance(first, str) else first if first == last else f"{first} to {last}"
        confidence = membership.confidence.get(story, Confidence())
        rows.append(
            StoryRow(
                story=story,
                title=membership.titles.get(story, ""),
                outlets=str(info.get("outlet_list") or ""),
                articles=len(aids),
                dates=dates,
                pinned=story in membership.pinned,
                confidence=confidence,
                weakest_title=headlines.get(confidence.weakest_article or "", ""),
                check=confidence.check(threshold),
            )
        )
    rows.sort(key=lambda r: r.story)
    rows.sort(key=lambda r: r.dates.split(" to ")[-1], reverse=True)
    if check_only:
        rows = [r for r in rows if r.check]
        rows.sort(key=lambda r: min(r.confidence.weakest or 1.0, 1.0 - r.confidence.closest))
    return rows


def _membership(out_dir: str | Path) -> Membership:
    membership = load_membership(out_dir)
    if not membership.assignment:
        raise DecisionError(f"no stories in {out_dir}: run `presslens run` first")
    return membership


def _known_story(membership: Membership, story: str) -> str:
    if story not in set(membership.assignment.values()):
        close = sorted(s for s in set(membership.assignment.values()) if story.lower() in s)[:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (`presslens stories` lists them)"
        raise DecisionError(f"unknown story {story!r}{hint}")
    return story


def resolve_article(out_dir: str | Path, membership: Membership, article: str) -> str:
    """An article id from an id or a page's path (relative to raw/, or with raw/ in front)."""
    if article in membership.assignment:
        return article
    from presslens.store import Store

    wanted = Path(article).as_posix().removeprefix("./")
    for aid, state in Store(out_dir).load_states().items():
        raw_path = str(state.get("raw_path") or "")
        if aid in membership.assignment and raw_path and (wanted == raw_path or wanted.endswith("/" + raw_path)):
            return aid
    raise DecisionError(f"unknown article {article!r}: give an article id or a page's path under raw/")


def record_merge(out_dir: str | Path, stories_file: str | Path, into: str, stories: list[str]) -> str:
    membership = _membership(out_dir)
    _known_story(membership, into)
    others = [_known_story(membership, s) for s in stories if s != into]
    if not others:
        raise DecisionError("merge needs at least one story besides the one merged into")
    load_overrides(stories_file)
    append_decision(stories_file, "merge", {"into": into, "stories": others})
    return f"recorded in {stories_file}: {', '.join(others)} merged into {into} (from the next run on)"


def record_move(out_dir: str | Path, stories_file: str | Path, article: str, story: str) -> str:
    membership = _membership(out_dir)
    aid = resolve_article(out_dir, membership, article)
    _known_story(membership, story)
    load_overrides(stories_file)
    append_decision(stories_file, "move", {"article": aid, "story": story})
    was = membership.assignment[aid]
    return f"recorded in {stories_file}: {aid} moves from {was} to {story} (from the next run on)"


def record_rename(
    out_dir: str | Path, stories_file: str | Path, story: str, new_id: str | None, title: str | None
) -> str:
    membership = _membership(out_dir)
    _known_story(membership, story)
    if new_id is None and not title:
        raise DecisionError("rename needs a new id, --title, or both")
    new = slugify(new_id) if new_id else story
    if new_id and new != new_id:
        raise DecisionError(f"story ids are slugs: use {new!r} instead of {new_id!r}")
    if new != story and new in set(membership.assignment.values()):
        raise DecisionError(f"{new!r} is another story: merge them instead (`presslens stories merge {new} {story}`)")
    entry: dict = {"story": story}
    if new != story:
        entry["to"] = new
    if title:
        entry["title"] = title
    load_overrides(stories_file)
    append_decision(stories_file, "rename", entry)
    what = f"{story} -> {new}" if new != story else story
    return f"recorded in {stories_file}: rename {what}{f' titled {title!r}' if title else ''} (from the next run on)"


def record_split(
    out_dir: str | Path,
    stories_file: str | Path,
    story: str,
    articles: list[str],
    new_id: str | None = None,
    title: str | None = None,
) -> str:
    """Record that ``articles`` report another event than the rest of ``story``: they become a story
    of their own (``new_id``, else one named after the first one's headline) and the two never meet."""
    out = Path(out_dir)
    membership = _membership(out)
    _known_story(membership, story)
    aids = list(dict.fromkeys(resolve_article(out, membership, a) for a in articles))
    strangers = [a for a in aids if membership.assignment[a] != story]
    if strangers:
        raise DecisionError(f"{strangers[0]} is not in {story} but in {membership.assignment[strangers[0]]}")
    if len(aids) >= len(membership.members()[story]):
        raise DecisionError(f"that is every article of {story}: rename it instead (`presslens stories rename`)")
    known = set(membership.assignment.values()) | membership.retired
    if new_id is not None:
        to = slugify(new_id)
        if to != new_id:
            raise DecisionError(f"story ids are slugs: use {to!r} instead of {new_id!r}")
        if to in known:
            raise DecisionError(f"{to!r} is another story: move the articles there instead (`presslens stories move`)")
    else:
        from presslens.store import Store

        state = Store(out).load_states().get(aids[0], {})
        to = new_story_id(str((state.get("grouping") or {}).get("title") or ""), aids[0], known)
    load_overrides(stories_file)
    entry: dict = {"story": story, "articles": aids, "to": to}
    if title:
        entry["title"] = title
    append_decision(stories_file, "split", entry)
    return (
        f"recorded in {stories_file}: {len(aids)} article(s) leave {story} for a story of their own, {to} "
        "(from the next run on; the two stay apart)"
    )
