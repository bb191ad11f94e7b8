"""``stories.yaml``: the story decisions a person made, applied on every run like a pin.

The file lives beside ``sources.yaml`` and is read on every run; ``presslens stories merge /
move / rename`` append to it (the rest of the file, comments included, is kept)::

    merge:                       # these stories are one: their articles stay together under `into`
      - into: port-calder-bridge-closure
        stories: [calder-bridge-shut-for-repairs]
    move:                        # this article belongs to that story, whatever grouping says
      - article: unsorted--a1b2c3d4e5f6a7b8-txt-0c1d2e
        story: port-calder-bridge-closure
    rename:                      # a story's id (and optionally its title) as the user wants it
      - story: calder-bridge-shut-for-repairs
        to: calder-bridge
        title: Calder bridge closed for repairs
    split:                       # these articles report another event than the rest of their story
      - story: port-calder-bridge-closure
        articles: [unsorted--c3d4e5f6a7b8c9d0-html-1a2b3c]
        to: calder-ferry-strike
        title: Calder ferry strike   # optional

Unknown keys or values of the wrong type are an error naming the line; a run reports it and
groups without the file rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from presslens.userfile import Field, line_of, load_yaml, typed_mapping

DEFAULT_PATH = "stories.yaml"
HEADER = (
    "# Story decisions for presslens, applied on every run (see README, 'Stories').\n"
    "# Written by `presslens stories merge / move / rename / split`; you may edit it by hand.\n"
)


class OverridesError(ValueError):
    """stories.yaml cannot be used; the message names the file, the line and the reason."""


@dataclass(frozen=True)
class Split:
    """Articles that leave ``story`` for a story of their own, ``to``, and stay apart from it."""

    story: str
    articles: tuple[str, ...]
    to: str
    title: str | None = None


@dataclass
class Overrides:
    merges: list[tuple[str, list[str]]] = field(default_factory=list)  # (into, [stories merged into it])
    moves: dict[str, str] = field(default_factory=dict)  # article id -> story
    renames: list[tuple[str, str, str | None]] = field(default_factory=list)  # (story, new id, new title)
    splits: list[Split] = field(default_factory=list)
    digest: str = ""  # of the file's bytes: a change regroups every story

    def merged_into(self) -> dict[str, str]:
        """story -> the story it was merged into (chains followed: a -> b -> c gives a -> c)."""
        target = {story: into for into, stories in self.merges for story in stories if story != into}
        resolved = {}
        for story in target:
            seen, current = {story}, target[story]
            while current in target and current not in seen:
                seen.add(current)
                current = target[current]
            resolved[story] = current
        return resolved


def load_overrides(path: str | Path) -> Overrides:
    """Read and validate stories.yaml; a missing file is no decisions."""
    path = Path(path)
    read = load_yaml(path, OverridesError)
    if read is None:
        return Overrides()
    root, digest = read
    result = Overrides(digest=digest)
    if root is None:
        return result
    sections = typed_mapping(path, root, {key: Field("entries") for key in _FIELDS}, OverridesError)
    for key, fields in _FIELDS.items():
        for item in sections[key] or []:
            entry = typed_mapping(path, item, fields, OverridesError, f"a {key} entry")
            if key == "merge":
                if not all(entry["stories"]):
                    raise OverridesError(f"{path}:{line_of(item)}: merge needs `stories`, a list of story ids")
                result.merges.append((entry["into"], entry["stories"]))
            elif key == "move":
                result.moves[entry["article"]] = entry["story"]
            elif key == "split":
                if not all(entry["articles"]):
                    raise OverridesError(f"{path}:{line_of(item)}: split needs `articles`, a list of article ids")
                if entry["to"] == entry["story"]:
                    raise OverridesError(f"{path}:{line_of(item)}: split's `to` must be another story than its own")
                result.splits.append(Split(entry["story"], tuple(entry["articles"]), entry["to"], entry["title"]))
            else:
                if entry["to"] is None and entry["title"] is None:
                    raise OverridesError(f"{path}:{line_of(item)}: rename needs `to`, `title` or both")
                result.renames.append((entry["story"], entry["to"] or entry["story"], entry["title"]))
    return result


_FIELDS = {
    "merge": {"into": Field("text", required=True), "stories": Field("texts", required=True)},
    "move": {"article": Field("text", required=True), "story": Field("text", required=True)},
    "rename": {"story": Field("text", required=True), "to": Field("text"), "title": Field("text")},
    "split": {
        "story": Field("text", required=True),
        "articles": Field("texts", required=True),
        "to": Field("text", required=True),
        "title": Field("text"),
    },
}


def append_decision(path: str | Path, kind: str, entry: dict) -> None:
    """Add one decision to stories.yaml, keeping what is there (comments included); atomic."""
    import yaml

    from presslens.store import atomic_write_text

    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    load_overrides(path)  # refuse to add to a file that is already broken
    block = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, default_flow_style=None)
    indented = "".join(f"  {line}\n" for line in block.splitlines())
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.rstrip() in (f"{kind}:", f"{kind}: []"):
            lines[i] = f"{kind}:\n"
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "-", "\t")) or not lines[end].strip()):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            lines[end:end] = [indented]
            atomic_write_text(path, "".join(lines))
            return
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write_text(path, f"{text}{kind}:\n{indented}")
