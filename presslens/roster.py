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

from presslens.userfile import Field, line_of, load_yaml, typed_mapping

DEFAULT_PATH = "outlets.yaml"


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
    path = Path(path)
    read = load_yaml(path, RosterError)
    if read is None:
        return Roster()
    root, digest = read
    roster = Roster(digest=digest)
    if root is None:
        return roster
    top = typed_mapping(path, root, {"outlets": Field("entries")}, RosterError)
    names: set[str] = set()
    for item in top["outlets"] or []:
        entry = _entry(path, item)
        if entry.name.lower() in names:
            raise RosterError(f"{path}:{line_of(item)}: {entry.name!r} is listed twice")
        names.add(entry.name.lower())
        roster.outlets.append(entry)
    return roster


FIELDS = {
    "name": Field("text", required=True),
    "aliases": Field("texts", default=[]),
    "domains": Field("texts", default=[]),
    "lean": Field("text"),
    "country": Field("text"),
    "owner": Field("text"),
    "follow": Field("bool", default=True),
}


def _entry(path: Path, node) -> Outlet:
    data = typed_mapping(path, node, FIELDS, RosterError, "an outlet")
    lists = {key: tuple(v for v in data[key] if v) for key in ("aliases", "domains")}
    domains = tuple(d.lower().removeprefix("www.") for d in lists["domains"])
    return Outlet(data["name"], lists["aliases"], domains, data["lean"], data["country"], data["owner"], data["follow"])
