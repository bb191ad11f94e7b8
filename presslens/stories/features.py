"""What tells one event from another: an article's weighted terms, names, places, ages, dates and outlet.

Two shootings in one city, two earthquakes or two elections share their vocabulary; what differs
is who (names), where (streets, places), how old the victims were, how much (numbers), when (the
dates the text gives, the publication date) and what the headline and lead say. Each article
becomes a bag of features with the headline and the lead counted :data:`TITLE_WEIGHT` and
:data:`LEAD_WEIGHT` times:

- ``stem``: 6-letter prefix of a content word (the stems :mod:`presslens.clean.topic` uses)
- ``N:name``: a capitalised word that does not open a sentence (people, places, organisations)
- ``P:two words``: a run of two to four capitalised words in the text ("Walker Mill", "Jennifer Laber")
- ``S:street``: a street, road or avenue, with its house or block number when given ("S:6800 walker mill")
- ``A:age``: an age ("a 13-year-old", "Holmes, 31,", "aged 47")
- ``#:number``: a number above 10, decimals and thousands kept whole ("5.6", "2,000", "$160")
- ``Y:year``: a year, 1950–2049, from the text and from the publication date

Kept apart: the headline's own terms (:attr:`EventFeatures.title_terms`), the publication date
when it is plausible (not before 1990, not in the future), the days the text names
(:attr:`EventFeatures.dates`: "April 28", "March 4, 2013", and a weekday in the headline or lead
read against the publication date) and the outlet.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from presslens.text import CJK_RUN, NAME_SUFFIXES, STEM_LEN, STOPWORDS

TITLE_WEIGHT = 2
LEAD_WEIGHT = 2
LEAD_PARAGRAPHS = 2  # the lead: an article's first two paragraphs
MAX_TERMS = 300  # features kept per article (the heaviest): bounds the grouping state per article
MAX_TITLE_TERMS = 60  # a headline's features kept
MAX_DATES = 8  # days named by the text kept (headline and lead first)
MAX_NAME_WORDS = 4  # a run of capitalised words longer than this is a headline or a list, not a name
EARLIEST_DATE = date(1990, 1, 1)

# a number (decimals, thousands, currency and percent kept whole) or a word
_TOKEN = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_YEAR = re.compile(r"(?:19[5-9]\d|20[0-4]\d)")
_SENTENCE_OPENERS = frozenset(".!?:;\"“‘'«(—–-")

_STREET_KINDS = (
    "street st avenue ave road rd drive boulevard blvd lane ln parkway pkwy highway hwy terrace trail pike circle"
).split()
_STREET_WORD = r"(?:\d+(?:st|nd|rd|th)|[A-Z][a-z'’]+)"
_DIRECTION = r"(?:(?:North|South|East|West|[NSEW])\.?\s+)?"
# "Walker Mill Road", "438 E. Main Street"
_STREET = re.compile(
    rf"(?:\b(?P<number>\d{{2,6}})\s+{_DIRECTION})?\b(?P<name>{_STREET_WORD}(?:\s+[A-Z][a-z'’]+){{0,2}}?)"
    rf"\s+(?:{'|'.join(k.capitalize() for k in _STREET_KINDS)})\b"
)
# "the 6800 block of Walker Mill Road", "the 9000 block of Ward"
_BLOCK = re.compile(
    rf"\b(?P<number>\d{{2,6}})\s+block\s+of\s+{_DIRECTION}(?P<name>{_STREET_WORD}(?:\s+[A-Z][a-z'’]+){{0,3}})"
)
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_AGE = re.compile(
    r"\b(\d{1,3}|[A-Za-z]+)[- ]years?[- ]old\b"
    r"|\b(?:age|aged)\s+(\d{1,3})\b"
    r"|\b[A-Z][a-z'’]+,\s+(\d{1,2}),"
)
_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_DATE = re.compile(
    r"\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d))?"
)
_WEEKDAYS = {d: i for i, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")


@dataclass
class EventFeatures:
    """What grouping needs of one article; stored with the article's run state."""

    article_id: str
    terms: dict[str, float] = field(default_factory=dict)
    day: str | None = None  # ISO date, plausible publication dates only
    title: str = ""  # the headline, else the article's first words: what a story is called after
    pinned: str | None = None  # the story the user filed it under, if any
    title_terms: dict[str, float] = field(default_factory=dict)  # the headline's features alone
    dates: list[str] = field(default_factory=list)  # ISO days the text names (not the publication date)
    outlet: str = ""  # the outlet, as :func:`outlet_key` writes it

    def to_state(self) -> dict:
        return {
            "terms": self.terms,
            "day": self.day,
            "title": self.title,
            "title_terms": self.title_terms,
            "dates": self.dates,
            "outlet": self.outlet,
        }

    @classmethod
    def from_state(cls, article_id: str, state: dict) -> EventFeatures:
        """From an article's run state (processed/state/<article_id>.json)."""
        grouping = state.get("grouping") or {}
        pinned = state.get("story")
        return cls(
            article_id,
            dict(grouping.get("terms") or {}),
            grouping.get("day"),
            grouping.get("title") or "",
            str(pinned) if pinned else None,
            dict(grouping.get("title_terms") or {}),
            list(grouping.get("dates") or []),
            str(grouping.get("outlet") or ""),
        )


def plausible_day(value: object, today: date | None = None) -> str | None:
    """The ISO day of ``value`` when it is a real date from 1990 up to tomorrow, else None."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    today = today or date.today()
    if day < EARLIEST_DATE or day > today + timedelta(days=1):
        return None
    return day.isoformat()


def outlet_key(outlet: str | None) -> str:
    """One spelling per outlet: "WWW.Example.com:80" and "m.example.com" are "example.com"."""
    key = (outlet or "").strip().lower()
    if "//" in key:
        key = key.split("//", 1)[1].split("/", 1)[0]
    if re.fullmatch(r"[\w.-]+(?::\d+)?", key):
        key = key.split(":", 1)[0]
        for prefix in ("www.", "m.", "mobile."):
            key = key.removeprefix(prefix)
    return key


def zone_terms(text: str, runs: bool = True) -> list[str]:
    """The features of one stretch of text, in order (see the module docstring); ``runs``: with
    ``P:`` runs of capitalised words (not for headlines, where every word is capitalised)."""
    out: list[str] = []
    previous_end = 0
    run: list[str] = []

    def close_run() -> None:
        if 2 <= len(run) <= MAX_NAME_WORDS:
            out.append("P:" + " ".join(run))
        run.clear()

    for match in _TOKEN.finditer(text):
        token = match.group(0)
        gap = text[previous_end : match.start()]
        if gap.strip() or not token[0].isupper():
            close_run()
        if token[0].isdigit() or token[0] == "$":
            number = token.strip("$%").replace(",", "")
            if _YEAR.fullmatch(number):
                out.append("Y:" + number)
            elif "." in number or (number.isdigit() and int(number) > 10):
                out.append("#:" + number)
            previous_end = match.end()
            continue
        lowered = token.lower()
        gap = gap.strip()
        opens_sentence = match.start() == 0 or (gap[-1:] in _SENTENCE_OPENERS if gap else False)
        previous_end = match.end()
        if CJK_RUN.fullmatch(token):  # unspaced scripts: character pairs stand in for words
            out += [token[i : i + 2] for i in range(max(1, len(token) - 1))]
            continue
        if runs and token[0].isupper() and (run or lowered not in STOPWORDS):
            run.append(lowered)
        if len(token) < 3 or lowered in STOPWORDS:
            continue
        out.append(lowered[:STEM_LEN])
        if token[0].isupper() and not opens_sentence and not token.isupper():
            out.append("N:" + lowered)
        elif token.isupper() and len(token) >= 3 and not opens_sentence:
            out.append("N:" + lowered)  # acronyms: NATO, UNHCR
    close_run()
    if runs:
        out += place_and_age_terms(text)
    return out


# offices one person holds at a time, so two reports naming different holders tell of different times or places
# (senators, attorneys, prosecutors, directors, spokesmen: not listed, a story names several at once)
SINGLE_HOLDER_OFFICES = frozenset(
    "secretary minister president owner manager gm chief governor mayor sheriff coach commissioner chairman ceo".split()
)
# words after a title that make it no person's title ("Secretary General", "Chief Deputy", "President Emeritus" ...)
OFFICE_QUALIFIERS = frozenset(
    ("vice deputy former assistant acting associate ex lieutenant lt interim general prime first co under "
     "emeritus").split()
)
_NAME_SUFFIXES = frozenset(suffix.lower() for suffix in NAME_SUFFIXES)  # runs are lower case: "mayor john smith jr"


@functools.lru_cache(maxsize=65536)
def office_holder(run: str) -> tuple[str, str] | None:
    """(office, holder's surname) of a ``P:`` run that is an office's title followed by a name, the office with the
    words before its title ("interior secretary ken salazar" -> ("interior secretary", "salazar"); "vice president
    joe biden's" -> ("vice president", "biden")): a police chief and a fire chief are two offices. Else None."""
    words = run.removeprefix("P:").split()
    for k, word in enumerate(words[:-1]):
        if word not in SINGLE_HOLDER_OFFICES:
            continue
        name = words[k + 1 :]
        if any(w in SINGLE_HOLDER_OFFICES or w in OFFICE_QUALIFIERS for w in name):
            continue
        while len(name) > 1 and name[-1].rstrip(".") in _NAME_SUFFIXES:
            name = name[:-1]
        holder = re.sub(r"['’]s$", "", name[-1])
        return (" ".join(words[: k + 1]), holder) if len(holder) > 1 else None
    return None


def place_and_age_terms(text: str) -> list[str]:
    """``S:`` streets (with their house or block number) and ``A:`` ages named in ``text``."""
    out = []
    for pattern in (_STREET, _BLOCK):
        for match in pattern.finditer(text):
            words = match.group("name").lower().split()
            while len(words) > 1 and words[-1] in _STREET_KINDS:
                words.pop()  # "Walker Mill Rd" and "Walker Mill Road" are one street
            name = " ".join(words)
            if pattern is _STREET:
                out.append("S:" + name)
            if match.group("number"):
                out.append(f"S:{match.group('number')} {name}")
    for match in _AGE.finditer(text):
        value = next(g for g in match.groups() if g)
        age = int(value) if value.isdigit() else _NUMBER_WORDS.get(value.lower())
        if age is not None and 0 < age < 110:
            out.append(f"A:{age}")
    return out


def named_dates(text: str, lead: str, published: str | None) -> list[str]:
    """The days ``text`` names, as ISO dates: "April 28" (the last April 28 on or before the
    publication), "March 4, 2013", and a weekday in ``lead`` (the last such day up to the
    publication). Without a publication date only dates with a year are read."""
    pub = date.fromisoformat(published) if published else None
    found: list[str] = []
    for match in _DATE.finditer(text):
        month, day, year = _MONTHS[match.group(1)[:3].lower()], int(match.group(2)), match.group(3)
        if year is None and pub is None:
            continue
        try:
            named = date(int(year) if year else pub.year, month, day)
            if not year and named > pub + timedelta(days=1):
                named = date(pub.year - 1, month, day)
        except ValueError:
            continue
        found.append(named.isoformat())
    if pub is not None:
        for match in _WEEKDAY.finditer(lead):
            back = (pub.weekday() - _WEEKDAYS[match.group(1)]) % 7
            found.append((pub - timedelta(days=back)).isoformat())
    return found


def event_features(
    article_id: str,
    title: str | None,
    text: str,
    published: object = None,
    pinned: str | None = None,
    outlet: str | None = None,
) -> EventFeatures:
    """An article's event features: headline and lead weighted above the body, capped at MAX_TERMS."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    lead = " ".join(paragraphs[:LEAD_PARAGRAPHS])
    counts: dict[str, float] = {}
    for zone, weight, runs in (
        (title or "", TITLE_WEIGHT, False),
        (lead, LEAD_WEIGHT, True),
        (" ".join(paragraphs[LEAD_PARAGRAPHS:]), 1, True),
    ):
        for term in zone_terms(zone, runs):
            counts[term] = counts.get(term, 0.0) + weight
    day = plausible_day(published) if published else None
    if day:
        counts["Y:" + day[:4]] = counts.get("Y:" + day[:4], 0.0) + 1
    if len(counts) > MAX_TERMS:
        counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
    title_terms: dict[str, float] = {}
    for term in zone_terms(title or "", runs=False)[:MAX_TITLE_TERMS]:
        title_terms[term] = title_terms.get(term, 0.0) + 1
    head = f"{title or ''}\n{lead}"
    dates = named_dates(f"{head}\n{text}", head, day)
    return EventFeatures(
        article_id,
        counts,
        day,
        headline(title, paragraphs),
        pinned,
        title_terms,
        list(dict.fromkeys(dates))[:MAX_DATES],
        outlet_key(outlet),
    )


HEADLINE_WORDS = 14


def headline(title: str | None, paragraphs: list[str]) -> str:
    """The title, else the first sentence of the article cut to HEADLINE_WORDS words."""
    if title and title.strip():
        return " ".join(title.split())
    if not paragraphs:
        return ""
    from presslens.text import split_sentences

    first = (split_sentences(paragraphs[0]) or [paragraphs[0]])[0].split()
    return " ".join(first[:HEADLINE_WORDS]) + (" …" if len(first) > HEADLINE_WORDS else "")
