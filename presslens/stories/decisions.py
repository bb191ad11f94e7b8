"""The stories a run found, and a person's decisions about them (recorded in stories.yaml).

Each decision is checked against the last run's grouping first: an unknown story or article
raises :class:`DecisionError` and nothing is written. A recorded decision takes effect on the
next run, and on every run after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from presslens.pages import slugify
from presslens.stories.membership import Membership, load_membership
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


def list_stories(out_dir: str | Path) -> list[StoryRow]:
    """Every story of the last run, most recent first (then by id), with its outlets and dates."""
    import pandas as pd

    out = Path(out_dir)
    membership = load_membership(out)
    members = membership.members()
    details: dict[str, dict] = {}
    table = out / "stories.parquet"
    if table.exists():
        for row in pd.read_parquet(table).to_dict("records"):
            details[str(row["story"])] = row
    rows = []
    for story, aids in members.items():
        info = details.get(story, {})
        first, last = info.get("first_published"), info.get("last_published")
        dates = "" if not isinstance(first, str) else first if first == last else f"{first} to {last}"
        rows.append(
            StoryRow(
                story=story,
                title=membership.titles.get(story, ""),
                outlets=str(info.get("outlet_list") or ""),
                articles=len(aids),
                dates=dates,
                pinned=story in membership.pinned,
            )
        )
    rows.sort(key=lambda r: r.story)
    rows.sort(key=lambda r: r.dates.split(" to ")[-1], reverse=True)
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
