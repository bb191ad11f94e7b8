"""``outlets.yaml``: the outlets a user follows, with the metadata only the user can give.

::

    outlets:
      - name: The Calder Courier
        aliases: [Calder Courier, calder-courier.example]
        domains: [calder-courier.example]
        lean: centre            # a free label the user chooses; presslens never rates outlets
        country: XX
        owner: Courier Media Group
        follow: true            # default: a followed outlet that skips a story is a blindspot

An article whose outlet name (or one of the aliases) or URL domain matches an entry is counted
under the entry's name. Unknown keys or values of the wrong type are an error naming the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from presslens.userfile import line_of, read_sections

DEFAULT_PATH = "outlets.yaml"
FIELDS = {"name", "aliases", "domains", "lean", "country", "owner", "follow"}


class RosterError(ValueError):
    """outlets.yaml cannot be used; the message names the file, the line and the reason."""


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    lean: str | None = None
    country: str | None = None
    owner: str | None = None
    follow: bool = True


@dataclass
class Roster:
    outlets: list[Outlet] = field(default_factory=list)
    digest: str = ""  # of the file's bytes: a change rebuilds every story's tables

    def canonical(self, outlet: str | None, url: str | None = None) -> Outlet | None:
        """The entry an article belongs to: by name or alias (any case), else by its URL's domain."""
        wanted = (outlet or "").strip().lower()
        for entry in self.outlets:
            if wanted and wanted in {entry.name.lower(), *(a.lower() for a in entry.aliases)}:
                return entry
        host = (urlparse(url).hostname or "").lower().removeprefix("www.") if url and "//" in url else ""
        for entry in self.outlets:
            if host and any(host == d or host.endswith("." + d) for d in entry.domains):
                return entry
        return None

    def followed(self) -> list[Outlet]:
        return [o for o in self.outlets if o.follow]


def load_roster(path: str | Path) -> Roster:
    """Read and validate outlets.yaml; a missing file is an empty roster."""
    import yaml

    path = Path(path)
    read = read_sections(path, ("outlets",), "expected a mapping with the key `outlets`", RosterError)
    if read is None:
        return Roster()
    sections, digest = read
    roster = Roster(digest=digest)
    for _key, value_node in sections:
        if not isinstance(value_node, yaml.SequenceNode):
            raise RosterError(f"{path}:{line_of(value_node)}: outlets must be a list")
        names: set[str] = set()
        for item in value_node.value:
            entry = _entry(path, item)
            if entry.name.lower() in names:
                raise RosterError(f"{path}:{line_of(item)}: {entry.name!r} is listed twice")
            names.add(entry.name.lower())
            roster.outlets.append(entry)
    return roster


def _entry(path: Path, node) -> Outlet:
    import yaml

    line = line_of(node)
    if not isinstance(node, yaml.MappingNode):
        raise RosterError(f"{path}:{line}: each outlet must be a mapping with at least a name")
    data = yaml.safe_load(yaml.serialize(node))
    for key_node, _value in node.value:
        if key_node.value not in FIELDS:
            raise RosterError(
                f"{path}:{line_of(key_node)}: unknown field {key_node.value!r} (expected {', '.join(sorted(FIELDS))})"
            )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RosterError(f"{path}:{line}: an outlet needs a `name` (text)")
    lists = {}
    for key in ("aliases", "domains"):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise RosterError(f"{path}:{line}: {name}: `{key}` must be a list of texts")
        lists[key] = tuple(v.strip() for v in value)
    texts = {}
    for key in ("lean", "country", "owner"):
        value = data.get(key)
        if value is not None and not isinstance(value, str | int | float):
            raise RosterError(f"{path}:{line}: {name}: `{key}` must be a text")
        texts[key] = str(value).strip() if value is not None else None
    follow = data.get("follow", True)
    if not isinstance(follow, bool):
        raise RosterError(f"{path}:{line}: {name}: `follow` must be true or false")
    domains = tuple(d.lower().removeprefix("www.") for d in lists["domains"])
    return Outlet(name.strip(), lists["aliases"], domains, texts["lean"], texts["country"], texts["owner"], follow)
