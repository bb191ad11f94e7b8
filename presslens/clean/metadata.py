"""The article's metadata read from its lines: title, date, byline, dateline and wire credit.

:func:`read_metadata` runs before the removal rules (:mod:`presslens.clean.cleaner`) and only
reads: it returns the metadata and the rows it read them from, and the rules give those rows the
reason ``metadata`` without finding dates and bylines again. The first value found wins (the header
above the body before the body, the body in reading order). :func:`read_lead` and
:func:`read_syndication` read what only the rules' verdicts show: the first kept paragraph's
dateline and the credited original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from presslens.clean import lines as L
from presslens.clean.cleaned import Reason
from presslens.clean.table import PageLines, headline_shaped
from presslens.text import script_tokens

HEADER_LOOKBACK = 25  # lines above the body searched for title, byline, date
WIRE_LINE_MAX_WORDS = 4  # "The Associated Press" on a line of its own is a credit, not a sentence


def title_key(text: str) -> str:
    """A headline as compared: its words, lower case, straight apostrophes."""
    return " ".join(w.lower() for w in script_tokens(text.replace("’", "'")))


def same_title(a: str | None, b: str | None) -> bool:
    """Two headlines that differ only in quotes, case or spacing."""
    return bool(a and b) and title_key(a) == title_key(b)


# "Headline - WALB.com, South Georgia News, Weather, Sports", "Headline | CBS46 News": a page title's site part
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-–—|:]|::)\s+")
SITE_KEY_MIN = 5  # a site's name is found inside the run-together words of a title's tail from this length on
TITLE_HEAD_WORDS = 3  # what is left must still read as a headline
# words of a site's name ("Action News 5 - Memphis, Tennessee", "FOX 8 WVUE New Orleans News, Weather, Sports"):
# a part of a title with one of them and no word in lower case but these joiners is the site's
_SITE_WORDS = frozenset("news weather sports channel tv radio online headlines report abc cbs nbc fox cw pbs".split())
# a US station's call sign on its own ("WBOY", "KPHO", "WJTV-TV"): the station's name
_CALL_SIGN = re.compile(r"^[KW][A-Z]{2,3}(?:-(?:TV|DT|FM|AM))?$")
_SITE_JOINERS = frozenset("of and the for on in at com net org".split()) | _SITE_WORDS


def _site_keys(name: str) -> set[str]:
    """A site as its title writes it, run together: "walb" (walb.com), "44news" and "wevv" (44news.wevv.com),
    "kait8" and "kait" (kait8.com), "thenewyorktimes" (an outlet's name)."""
    host = name.strip().lower().removeprefix("https://").removeprefix("http://").split("/")[0].split(":")[0]
    if "." in host and " " not in host:
        labels = [re.sub(r"[^a-z0-9]", "", label) for label in host.removeprefix("www.").split(".")[:-1]]
        # a station's call letters without its channel: "KAIT Jonesboro, AR" on kait8.com
        calls = [label.rstrip("0123456789") for label in labels]
        return {key for key in labels + [c for c in calls if len(c) >= SITE_KEY_MIN - 1]} - {""}
    return {re.sub(r"[^a-z0-9]", "", host)} - {""}


def _only_names(part: str) -> bool:
    """Whether a part of a title has no word in lower case but joiners ("Columbia, South Carolina", "Region 8 News,
    weather, sports")."""
    return not any(w[0].islower() and w.lower() not in _SITE_JOINERS for w in re.findall(r"[A-Za-z][\w'’]*", part))


def _names_site(part: str, keys: set[str]) -> bool:
    """Whether a part of a title is its site's name: a station's call sign, or it holds the site's name (``keys``:
    :func:`_site_keys`), or it is only capitalised words and joiners with a word of a station's or paper's name
    ("News", "Weather", "CBS")."""
    if _CALL_SIGN.match(part.strip()):
        return True
    words = re.findall(r"[a-z0-9]+", part.lower())
    if any(key in words or (len(key) >= SITE_KEY_MIN and key in "".join(words)) for key in keys):
        return True
    return _only_names(part) and any(w.strip(".") in _SITE_WORDS for w in words)


def strip_site_suffix(title: str | None, sites: list[str | None]) -> str | None:
    """The headline without its site's name before or after a separator ("… - KSLA News 12 Shreveport, Louisiana
    News Weather & Sports" on a page of ksla.com, "WJTV News Channel 12 - Five Injured in Nightclub Shooting"):
    such parts put "News", "Weather", "Shreveport" into every headline of a station, and stories of different events
    met. The title is cut at the first separator followed by the site's name and then only names (where it is); then a
    site's name before the first separator goes, and a headline run into itself is kept once; what is left keeps
    TITLE_HEAD_WORDS words or the title stays whole."""
    if not title:
        return title
    keys = {key for site in sites if site for key in _site_keys(site)}
    separators = list(_TITLE_SEPARATOR.finditer(title))
    head = title
    for k, separator in enumerate(separators):
        parts = [title[separator.end() : nxt.start()] for nxt in separators[k + 1 :]]
        parts.append(title[(separators[-1].end()) :])
        if _names_site(parts[0], keys) and all(_names_site(part, keys) or _only_names(part) for part in parts[1:]):
            head = title[: separator.start()].rstrip()
            break
    first = _TITLE_SEPARATOR.search(head)
    if first and _names_site(head[: first.start()], keys):
        head = head[first.end() :].lstrip()
    head = _undoubled(head.strip(" |"))
    return head if len(head.split()) >= TITLE_HEAD_WORDS else title


def _undoubled(title: str) -> str:
    """A headline a page ran into itself ("Trumbull News: Man Accidentally Shoots HimselfTrumbull News: Man
    Accidentally Shoots Himself") once; any other title as it is."""
    half, rest = divmod(len(title), 2)
    if not rest and half and title[:half] == title[half:]:
        return title[:half]
    if rest and title[half] == " " and title[:half] == title[half + 1 :]:
        return title[:half]
    return title


@dataclass
class PageMetadata:
    """What one page's lines say about its article, and where they say it."""

    title: str | None = None  # the headline found above the body, else the caller's hint
    title_row: int | None = None  # the headline's line, when it is on the page
    author: str | None = None
    published: str | None = None  # ISO date, or date and time when the line gives a time
    dateline: str | None = None
    original_source: str | None = None
    header: range = range(0)  # the lines above the body read as its header
    rows: set[int] = field(default_factory=set)  # lines read as metadata (besides the title's)


def read_metadata(page: PageLines, body_start: int, body_rows: list[int], title_hint: str | None) -> PageMetadata:
    """Title, date, byline and dateline from the lines just above the body (from ``body_start`` up),
    then date lines, bylines, labelled fields ("Edited by: …") and bare wire credits inside the body
    (``body_rows``: the body lines no structure rule removes first)."""
    reader = _Reader(page, PageMetadata())
    reader.read_header(body_start, title_hint)
    for i in body_rows:
        reader.read_body_line(i)
    return reader.meta


def read_lead(meta: PageMetadata, first_kept: str | None) -> None:
    """A dateline or wire credit opening the first kept paragraph ("SEOUL (Reuters) - ...")."""
    if first_kept is None:
        return
    place = L.dateline(first_kept)
    if place and place[1]:
        meta.dateline = meta.dateline or place[0]
    wire = L.wire_credit(first_kept)
    if wire:
        meta.original_source = meta.original_source or wire


def read_syndication(page: PageLines, meta: PageMetadata) -> None:
    """The credited original: a syndication note, else a wire agency's copyright line."""
    for i, text in enumerate(page.texts):
        if page.labels[i] == Reason.SYNDICATION:
            source = L.syndication_source(text)
            if source and not meta.original_source:
                meta.original_source = source
    if not meta.original_source:
        for i, text in enumerate(page.texts):
            wire = L.wire_copyright(text) if page.labels[i] == Reason.FOOTER else None
            if wire:
                meta.original_source = wire
                break


@dataclass
class _Reader:
    """Reads lines into one page's metadata, the first value found winning."""

    page: PageLines
    meta: PageMetadata

    @property
    def texts(self) -> list[str]:
        return self.page.texts

    def read_header(self, start: int, title_hint: str | None) -> None:
        """Title, date, byline, dateline and the author's name on a line of its own, above the body."""
        lo = max(0, start - HEADER_LOOKBACK)
        title_at = self.find_title(lo, start, title_hint)
        if title_at is not None:
            self.meta.title = self.texts[title_at]
            self.meta.title_row = title_at
            lo = min(lo, title_at)
        else:
            self.meta.title = title_hint
        self.meta.header = range(lo, start)
        title = self.meta.title
        for i in self.meta.header:
            if i == title_at:
                continue
            text = self.texts[i]
            if (title and same_title(text, title)) or self.page.labels[i]:
                continue  # the headline again, or a line the rules name by its label
            if self.take_date_or_byline(text):
                self.meta.rows.add(i)
            elif (place := L.dateline(text)) is not None and not place[1]:
                self.meta.dateline = self.meta.dateline or place[0]
                self.meta.rows.add(i)
            elif (
                title_at is not None
                and i > title_at
                and not self.meta.author
                and L.looks_like_name(text)
                and self.near_date(i)
            ):
                self.meta.author = text
                self.meta.rows.add(i)

    def find_title(self, lo: int, start: int, title_hint: str | None) -> int | None:
        """The headline's line: the hinted title's first occurrence, else the nearest headline-shaped
        line above the body (or its first repeat above it)."""
        if title_hint:
            hits = [i for i in range(lo, start) if same_title(self.texts[i], title_hint)]
            return hits[0] if hits else None
        for i in range(start - 1, lo - 1, -1):
            if self.page.labels[i] or not headline_shaped(self.texts[i]) or L.is_menu_line(self.texts[i]):
                continue
            repeats = [j for j in range(max(0, i - HEADER_LOOKBACK), i) if same_title(self.texts[j], self.texts[i])]
            return repeats[0] if repeats else i
        return None

    def near_date(self, i: int) -> bool:
        """True when a date line is within two lines of ``i`` (bylines sit beside dates)."""
        return any(L.is_date_line(self.texts[j]) for j in range(max(0, i - 2), min(len(self.page), i + 3)) if j != i)

    def read_body_line(self, i: int) -> None:
        """A date line, byline, metadata field or bare wire credit inside the body is metadata. A
        date in brackets ("(Published Monday, Nov. 18, 2019)") closes a video's description and
        stays with it."""
        text = self.texts[i]
        if text.lstrip().startswith("("):
            return
        if self.take_date_or_byline(text) or L.is_meta_field(text):
            self.meta.rows.add(i)
            return
        wire = L.wire_credit(text) if len(script_tokens(text)) <= WIRE_LINE_MAX_WORDS else None
        if wire:
            self.meta.original_source = self.meta.original_source or wire
            self.meta.rows.add(i)

    def take_date_or_byline(self, text: str) -> bool:
        """Read a date line or byline into the metadata; False for any other line."""
        if L.is_date_line(text):
            self.take_date_line(text)
            return True
        author = L.parse_byline(text)
        if author is not None:
            self.meta.author = self.meta.author or author
            return True
        return False

    def take_date_line(self, text: str) -> None:
        when = L.parse_date(text)
        if when and not self.meta.published:
            self.meta.published = when.isoformat() if (when.hour or when.minute) else when.date().isoformat()
        if not self.meta.author:
            author = L.author_beside_date(text)
            if author:
                self.meta.author = author
