"""Words that say what a capitalised name is, shared by sourcing (who is quoted) and the entity readers.

Titles and roles stand before a person's name ("Sen.", "President", "spokesman"); organisation and
place words sit inside a name ("… Committee", "… County"); calendar words and the US states are
capitalised but never a speaker or a person.
"""

from __future__ import annotations

import re

ROLE_WORDS = frozenset(
    "leader president minister chairman chairwoman chief director mayor governor senator secretary ambassador "
    "spokesperson spokesman spokeswoman official officials general commander premier chancellor king queen prince "
    "dictator strongman ruler head founder ceo engineer councillor member judge lawyer attorney professor expert "
    "analyst activist lawmaker envoy counterpart deputy vice supreme foreign defense defence prime state".split()
)
# honorifics and titles written before a name, with and without a full stop; the value is the role they name
TITLES = {
    "mr": None,
    "mrs": None,
    "ms": None,
    "miss": None,
    "dr": None,
    "prof": "professor",
    "professor": "professor",
    "sen": "senator",
    "senator": "senator",
    "rep": "representative",
    "representative": "representative",
    "congressman": "congressman",
    "congresswoman": "congresswoman",
    "gov": "governor",
    "governor": "governor",
    "lt": None,
    "gen": "general",
    "general": "general",
    "president": "president",
    "vice": None,
    "speaker": "speaker",
    "leader": "leader",
    "chairman": "chairman",
    "chairwoman": "chairwoman",
    "chair": "chairman",
    "secretary": "secretary",
    "judge": "judge",
    "justice": "justice",
    "mayor": "mayor",
    "councillor": "councillor",
    "councilor": "councillor",
    "councilman": "councilman",
    "councilwoman": "councilwoman",
    "commissioner": "commissioner",
    "sheriff": "sheriff",
    "superintendent": "superintendent",
    "chief": "chief",
    "director": "director",
    "attorney": None,
    "prosecutor": "prosecutor",
    "counsel": "counsel",
    "ambassador": "ambassador",
    "minister": "minister",
    "premier": "premier",
    "chancellor": "chancellor",
    "king": "king",
    "queen": "queen",
    "prince": "prince",
    "pope": "pope",
    "rev": None,
    "reverend": None,
    "sgt": None,
    "col": None,
    "capt": None,
    "adm": None,
    "former": None,
    "editor-in-chief": "editor",
    "ceo": "ceo",
    "host": "host",
    "historian": "historian",
    "spokesman": "spokesman",
    "spokeswoman": "spokeswoman",
    "spokesperson": "spokesperson",
    # occupations written as a title before a name ("Nurse Samuel Okafor"): the speaker is the person
    "nurse": "nurse",
    "officer": "officer",
    "detective": "detective",
    "inspector": "inspector",
    "constable": "constable",
    "sergeant": "sergeant",
    "captain": "captain",
    "lieutenant": "lieutenant",
    "trooper": "trooper",
    "firefighter": "firefighter",
    "coach": "coach",
    "pastor": "pastor",
    "rabbi": "rabbi",
    "imam": "imam",
    "bishop": "bishop",
    "archbishop": "archbishop",
    "principal": "principal",
    "teacher": "teacher",
    "chef": "chef",
    "farmer": "farmer",
}
ORGANISATION_WORDS = frozenset(
    """Council Department Ministry Party Committee University College Agency Association Court Congress Senate House
    Commission Office Police Service Services Board Bank Inc Corp Company Group Union Authority Administration Army
    Navy Institute Foundation Times News Post Network Club Campaign Hospital Radio Daily Wire Courier School
    Journal Press Tribune Herald Bureau Center Centre Coalition Organization Organisation Federation Caucus Kremlin
    Pentagon""".split()
)
PLACE_WORDS = frozenset(
    """Street Road Lane Avenue Bridge River Valley Island City County Province State Creek Hills Bay Park Square
    Gulf Sea Ocean Lake Mountain Mountains Region District Republic Kingdom""".split()
)
CALENDAR_WORDS = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Today Yesterday Tomorrow
    Tonight""".split()
)
US_STATES = frozenset(
    """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois
    Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana
    Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin
    Wyoming""".split()
) | frozenset(
    ["New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island",
     "South Carolina", "South Dakota", "West Virginia", "District of Columbia"]
)  # fmt: skip
_TITLE_TOKEN = re.compile(r"[\w-]+")


def title_role(word: str) -> str | None:
    """The role a title word names ("Sen." -> "senator"), "" for an honorific (Mr., Mrs.), None when not a title."""
    key = word.rstrip(".").lower()
    if key not in TITLES:
        return None
    return TITLES[key] or ""


def strip_titles(name: str) -> tuple[str, list[str]]:
    """("Texas Gov. Rick Perry" -> "Rick Perry", ["governor"]): the words after the last title word of a name,
    and the roles the titles named. A name that is all titles is returned as it is."""
    words = name.split()
    last = -1
    roles: list[str] = []
    for i, word in enumerate(words[:-1]):
        role = title_role(word)
        if role == "general" and word != "Gen." and (i == 0 or title_role(words[i - 1]) is None):
            role = None  # "General Motors"; but "Gen. Petraeus", "Attorney General William Barr"
        if role is not None:
            last = i
            if role and i and title_role(words[i - 1]) == "" and words[i - 1].lower() in ("vice", "attorney"):
                role = f"{words[i - 1].lower()} {role}"  # "Vice President", "Attorney General"
            if role:
                roles.append(role)
    rest = words[last + 1 :]
    if not rest or set(rest) & (ORGANISATION_WORDS | PLACE_WORDS):  # "Justice Department", "King County"
        return name, []
    return " ".join(rest), roles


def is_place(name: str) -> bool:
    """A US state or a name ending in a place word ("Cook County"): never a speaker."""
    return name in US_STATES or name.split()[-1] in PLACE_WORDS
