"""Who wrote an article: the persons a byline or an author field names, and a wire agency it credits.

Every author presslens stores goes through :func:`read_byline`: trafilatura's metadata author (HTML pages)
and the page's own byline lines (``lines.parse_byline``, ``lines.author_beside_date``, a name beside the
date). A byline carries more than persons — "Published March 22, 2019", "By Jane Doe | Updated …",
"Jane Doe, Reuters", "WASHINGTON DC", "Condé Nast; Louise Matsakis" — and only the persons are authors;
a wire agency is the article's source, not its author. Dates, stamps, places, organisations, roles and
event names are not persons (:mod:`presslens.names` holds the clues).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from presslens.names import CALENDAR_WORDS, ORGANISATION_WORDS, PLACE_WORDS, US_STATES, title_role

MAX_BYLINE_CHARS = 500  # an author field longer than this is a paragraph, not a byline
MAX_NAME_WORDS = 5  # "María del Carmen García López" is five words; a longer run is a phrase
MAX_PERSONS = 10  # persons kept from one byline

WIRES = {
    "ap": "Associated Press",
    "the associated press": "Associated Press",
    "associated press": "Associated Press",
    "reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "upi": "UPI",
    "dpa": "dpa",
    "bloomberg": "Bloomberg",
    "xinhua": "Xinhua",
    "yonhap": "Yonhap",
    "kcna": "KCNA",
    "tass": "TASS",
    "efe": "EFE",
    "ansa": "ANSA",
    "cnn wire": "CNN Wire",
}
# "By": the words a byline starts with; a stamp word ends the names ("By Jane Doe Updated 2 hours ago")
_BY = re.compile(
    r"^\s*(?:by|written by|words by|story by|reported by|posted by|von|por|par|di|oleh|автор)\b[:\s]*", re.I
)
_STAMP = re.compile(
    r"\b(?:published|updated|posted|last\s+(?:updated|modified)|modified|created|first\s+published|"
    r"veröffentlicht|aktualisiert|publicado|actualizado|publié|mis\s+à\s+jour|reading\s+time|\d+\s+min\s+read|"
    r"tiempo\s+de\s+lectura|lesezeit)\b.*$",
    re.I | re.S,
)
# "and" in lower case only: "Sarah E Needleman", "Bruce Y Lee" are one person each
_SEPARATORS = re.compile(r"\s*(?:[;|•·/\n]|,|\s[-–—]\s|\s+(?i:and)\s+|\s+(?:und|y|et|e)\s+|\s*&\s*)\s*")
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[^\W\d_]\.)$")
PARTICLES = frozenset("de da do dos das del della di du van von der den ter ten la le bin bint al el y e".split())
# words of a byline that are never part of a person's name: roles, desks, publishers, events and victims
NOT_NAME_WORDS = frozenset(
    """staff writer writers reporter reporters correspondent correspondents editor editors editorial desk team
    newsroom contributor contributors columnist guest author authors admin administrator webmaster agency agencies
    wire wires bureau sources source news media magazine online digital web service press publishing publications
    nast hearst gannett mcclatchy meredith dotdash springer plc ltd llc inc gmbh
    victim victims shooting shootings attack attacks bombing crash fire fires storm hurricane earthquake flood
    election elections war protest protests trial scandal massacre nightclub festival awards summit olympics
    cup championship league season series episode review interview update updates live breaking video photo photos
    home page sport sports opinion politics world business health science tech culture www copyright co kg
    noticias redacción redaccion redaktion diario bund verein verband stiftung""".split()
)
# role words a byline puts after the name ("Meg James Staff Writer", "Michael Hiltzik Business Columnist")
ROLE_TAIL = frozenset(
    "staff writer writers reporter correspondent columnist contributor editor business sports national "
    "political security auto".split()
)

CASELESS_ROLES = frozenset(
    "기자 특파원 편집 記者 特派員 编辑 記者 记者 特约记者 通讯员".split()
)  # "김철수 기자": Kim, reporter


@dataclass
class Byline:
    """What a byline says: the persons who wrote the article, and the wire agency it credits (or None)."""

    persons: list[str] = field(default_factory=list)
    agency: str | None = None

    @property
    def author(self) -> str | None:
        """The persons as the author field holds them ("Jane Doe; John Roe"), None when there are none."""
        return "; ".join(self.persons) or None


_INNER_CAPITAL = re.compile(r"^[A-Z][a-z]+[A-Z]")
_INITIAL_SURNAME = re.compile(r"^[A-Z]-[A-Z][a-z]{3,}$")


def without_wire_tail(piece: str) -> tuple[str, str | None]:
    """("Jill Lawless Associated Press" -> "Jill Lawless", "Associated Press"): a wire named after a name."""
    lowered = piece.lower()
    for key, wire in WIRES.items():  # a fixed list of agencies
        if len(key) > 3 and lowered.endswith(" " + key):
            return piece[: -len(key)].strip(" ,"), wire
    return piece, None


def person_name(piece: str) -> str | None:
    """``piece`` as a person's name ("JANE DOE" -> "Jane Doe", "Dr. Jane Doe" -> "Jane Doe"), None when it is
    not one: one word (in a script with capitals), digits, a calendar, place, organisation, role or event
    word, a US state."""
    tokens = piece.strip(" .,:;'\"()[]").split()
    while tokens and (title_role(tokens[0]) is not None or tokens[0] in CALENDAR_WORDS):  # "Monday Joe Doe"
        tokens = tokens[1:]
    tail = len(tokens)
    while tail > 2 and tokens[tail - 1].lower() in ROLE_TAIL:  # "Meg James Staff Writer"
        tail -= 1
    if tail < len(tokens) and tail > 2 and _INNER_CAPITAL.search(tokens[tail - 1]):
        tail -= 1  # "Adam Aaronson PhillyVoice Staff": the outlet before the role
    tokens = tokens[:tail]
    if tokens and tokens[0].lower() in WIRES:  # "AP National Political Writer"
        return None
    if tokens and len(tokens) <= MAX_NAME_WORDS and all(t.lower() == t.upper() and t.isalpha() for t in tokens):
        tokens = [t for t in tokens if t not in CASELESS_ROLES]
        return " ".join(tokens) or None  # a script without capitals (Korean, Japanese, Chinese): "김철수", "山田 太郎"
    if len(tokens) == 1 and _INITIAL_SURNAME.match(tokens[0]):
        return tokens[0]  # an initial and a surname as a handle ("H-Tayea"); "D-Zug" is not one
    if not 2 <= len(tokens) <= MAX_NAME_WORDS or not all(_NAME_TOKEN.match(t) for t in tokens):
        return None
    shouting = all(t.isupper() for t in tokens if len(t) > 1)
    if shouting:
        tokens = [t.lower() if t.lower() in PARTICLES else t.capitalize() for t in tokens]
    if not tokens[0][:1].isupper() or not tokens[-1][:1].isupper():
        return None
    if any(not t[:1].isupper() and t.lower() not in PARTICLES for t in tokens):
        return None
    name = " ".join(tokens)
    bare = [t.strip(".'’") for t in tokens]
    if name in US_STATES or any(b in US_STATES or b in CALENDAR_WORDS for b in bare):
        return None
    if any(b in ORGANISATION_WORDS or b in PLACE_WORDS or b.lower() in NOT_NAME_WORDS for b in bare):
        return None
    if name.lower() in WIRES:
        return None
    return name


def read_byline(text: str | None) -> Byline:
    """The persons and the wire agency of a byline or author field ("By Jane Doe and John Roe | Published
    March 22, 2019" -> Jane Doe, John Roe; "Jane Doe, Reuters" -> Jane Doe and Reuters; "Updated …" ->
    nobody)."""
    byline = Byline()
    if not text or len(text) > MAX_BYLINE_CHARS:
        return byline
    for piece in _SEPARATORS.split(text):  # at most MAX_BYLINE_CHARS pieces
        piece = _STAMP.sub("", _BY.sub("", piece)).strip(" .,:;-–—")
        if not piece:
            continue
        wire = WIRES.get(piece.lower().removesuffix(" staff").removesuffix(" news"))
        if wire:
            byline.agency = byline.agency or wire
            continue
        piece, wire = without_wire_tail(piece)  # "Jill Lawless Associated Press"
        byline.agency = byline.agency or wire
        name = person_name(piece)
        if name and name not in byline.persons and len(byline.persons) < MAX_PERSONS:
            byline.persons.append(name)
    return byline


def person_names(text: str | None) -> list[str]:
    """The persons a byline or author field names, in order (see :func:`read_byline`)."""
    return read_byline(text).persons
