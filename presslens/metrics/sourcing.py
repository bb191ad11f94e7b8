"""Sourcing: direct quotes and who is quoted, attributions, named vs anonymous sources.

A quoted span is a *direct quote* when the text attributes it: a speech verb ("said", "told the
crowd", "wrote on Twitter", "tweeted", "posted", "said in a statement"), "according to", or a verb
that quotes what it reports ("called the deal “a steep price”", "praised the group “for …”"). A
quote may run over several sentences of its paragraph; a sentence that is only a quote continues
the quote before it ("“A,” she said. “B.”"), and a sentence ending "… reports:" introduces the
quote after it. Quoted names of things — a title, a scare quote after "so-called" — are not quotes.

The speaker is the subject of the attributing verb: the name before it (its title, "of New
Jersey", a party tag and an appositive set aside), the name after a verb that follows the quote
("…,” said Jim Manley), or, for "…, saying “…”", the sentence's subject. "He"/"she" is the last
person the article named as a speaker or a sentence's subject, "the congressman" the person it
gave that title. A place, a day or a group noun near the verb is never the speaker. Sources are
*named* (a name), *anonymous* ("officials", "a spokesman", "a source familiar with …") or
*institutional* ("the ministry", "a city statement", "the report").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from presslens.names import CALENDAR_WORDS, ORGANISATION_WORDS, ROLE_WORDS, is_place, strip_titles, title_role
from presslens.text import LOOSE_WORD, NAME_SUFFIXES

# finite reporting verbs: an attribution on their own (key points strip them from facts too)
SPEECH_VERBS = (
    "said says say told tells tell added adds stated states asked asks warned warns declared declares noted notes "
    "explained explains wrote writes tweeted tweets posted insisted insists argued argues claimed claims announced "
    "announces acknowledged acknowledges confirmed confirms urged urges replied replies responded responds remarked "
    "commented comments recalled recalls continued continues cautioned cautions predicted predicts described "
    "describes reiterated reiterates admitted admits testified testifies conceded concedes reported reports quipped "
    "joked shouted stressed asserted asserts"
).split()
# verbs that attribute the quote they govern ("called the report “a cruel hoax”"), not a sentence without one
QUOTING_VERBS = (
    "called calls labeled labelled branded praised praises accused accuses blasted slammed decried derided dismissed "
    "criticized criticised blamed hailed touted promised promises vowed vows pledged demanded demands charged "
    "recommended suggested pleaded lamented complained boasted apologized wondered questioned texted emailed "
    "retweeted reads read"
).split()
# "…, saying “…”": the subject is the sentence's
PARTICIPLES = (
    "saying telling adding stating asking warning declaring noting explaining writing tweeting posting insisting "
    "arguing claiming announcing acknowledging confirming urging replying responding remarking commenting recalling "
    "continuing cautioning predicting describing admitting reiterating testifying conceding calling praising "
    "accusing blasting slamming decrying deriding dismissing criticizing criticising blaming hailing touting "
    "promising vowing pledging demanding charging recommending suggesting pleading lamenting complaining boasting "
    "asserting"
).split()
# verbs that may come before their subject, right after the quote ("…,” said Jim Manley; "Added Gibbs:")
INVERTIBLE = frozenset(
    "said says added adds wrote writes asked continued explained noted replied responded recalled tweeted insisted "
    "argued declared warned".split()
)
QUOTE_CHARS = 1500  # longest quote read (characters): a quote that runs further is not one
SUBJECT_WINDOW = 300  # characters before a verb searched for its subject (a run-on "sentence" stays linear)
_MARK = "⁂"  # stands for a quoted span in a sentence's text outside quotes
_ALL_VERBS = frozenset({*SPEECH_VERBS, *QUOTING_VERBS, *PARTICIPLES, "according"})
_ACCORDING_TO = re.compile(r"according to\b", re.I)
_SPEECH = frozenset(SPEECH_VERBS) | {"according to"}
_Q = QUOTE_CHARS
_QUOTES = re.compile(
    rf"[“\"](?P<a>[^“”\"]{{1,{_Q}}})[”\"]|«(?P<c>[^»]{{1,{_Q}}})»|„(?P<d>[^“”]{{1,{_Q}}})[“”]|"
    r"‘(?P<e>[^’]{2,600}?)’(?=[\s,.;:!?)]|$)|(?:(?<=\s)|^)'(?P<f>[^']{3,600}?)'(?=[\s,.;:!?)]|$)|"
    rf"“(?P<g>[^“”\"]{{20,{_Q}}})(?=“|$)"  # never closed: the quote runs to the next opening mark or paragraph end
)
_TITLE_FUNCTION_WORDS = {"of", "on", "the", "and", "between", "for", "in", "to", "a", "an", "de", "la", "du", "with"}
_NAMING_CUES = re.compile(
    r"(?:(?<!he )(?<!she )(?<!they )(?<!who )(?<!we )called|named|dubbed|titled|entitled|known as|so-called|signed|"
    r"sign|the (?:name|word|term|phrase|slogan|hashtag|subject line))\s+(?:the\s+)?$",
    re.I,
)
_TOKEN = r"(?:[A-Z][\w’'.&-]*|[A-Z]\.)"
_NAME_RUN = rf"{_TOKEN}(?:\s+(?:(?:de|van|von|der|bin|al|da|di|du|le|la)\s+)?{_TOKEN}){{0,5}}"
_ROLE_NOUNS = (
    r"spokesman|spokeswoman|spokesperson|spokespeople|official|officials|aide|aides|adviser|advisers|advisor|"
    r"advisors|source|sources|person|people|insider|insiders|diplomat|diplomats|analyst|analysts|expert|experts|"
    r"economist|economists|observer|observers|critic|critics|resident|residents|witness|witnesses|worker|workers|"
    r"parent|parents|protester|protesters|activist|activists|lawmaker|lawmakers|member|members|leader|leaders|"
    r"candidate|congressman|congresswoman|senator|governor|president|mayor|minister|chairman|chairwoman|director|"
    r"lawyer|lawyers|attorney|attorneys|woman|man|someone|student|voters?|supporters?|opponents?|group|campaign|"
    r"statement|report|letter|ad|memo|email|e-mail|tweet|post|poll|survey|ministry|government|city|council|"
    r"department|agency|office|company|court|police|military|army|administration|commission|committee|authority|"
    r"authorities|embassy|newspaper|paper|website|site|network|slides|document|documents|filing|complaint|"
    r"indictment|ruling|judge|prosecutors?|investigators?|officer|officers|secretary|speaker|aide"
)
_DOCUMENTS = frozenset(
    "statement report letter ad memo email e-mail tweet post poll survey ministry government city council department "
    "agency office company court police military army administration commission committee authority authorities "
    "embassy newspaper paper website site network slides document documents filing complaint indictment ruling "
    "group campaign".split()
)
_PERSON_TITLES = frozenset(
    "congressman congresswoman senator governor president mayor minister chairman chairwoman director secretary "
    "speaker judge".split()
)
_ROLE_NP = re.compile(
    rf"(?:(?:the|a|an|one|two|three|several|some|many|other|his|her|its|their)\s+)?"
    rf"(?:(?!\w+ed\b|\w+s\s+(?:a|an|the)\b|(?:he|she|it|they|we|i)\b)[\w’'.-]+\s+|unnamed\s+|retired\s+){{0,4}}?"
    rf"(?:{_ROLE_NOUNS})"
    rf"(?:\s+(?:for|of|at|with)\s+(?:the\s+)?{_NAME_RUN})?",
    re.I,
)
_NP_AT_END = re.compile(
    rf"(?:(?P<name>{_NAME_RUN})|(?P<role>{_ROLE_NP.pattern})|(?P<pron>\b[Hh]e|\b[Ss]he|\b[Tt]hey|\b[Ww]e|\bI))$"
)
_NP_AT_START = re.compile(
    rf"^\s*(?:(?:[a-z-]+\s+){{0,3}}?(?P<name>{_NAME_RUN})|(?P<role>{_ROLE_NP.pattern})|(?P<pron>he|she|they)\b)"
)
_DAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|morning|afternoon|evening|night|today|yesterday|"
    r"tonight|week|month|earlier|later)"
)
_STRIP_AT_END = [
    re.compile(r"\s*\([^()]{1,40}\)$"),  # a party tag: (D-Calif.)
    re.compile(r",\s*[RDI]-[A-Z][\w.]*,?$"),  # , D-N.Y.,
    re.compile(rf"\s+(?:(?:on|late|early|earlier|this|last|next)\s+)?{_DAY}(?:[’']s)?$", re.I),
    re.compile(
        r"\s+(?:also|then|later|again|once|still|just|only|first|himself|herself|themselves|itself|though|however|"
        r"meanwhile|has|have|had|did|does|do|would|will|could|can|may|might|should|must|is|was|were|are|been|not|"
        r"never|\w+ly),?$",
        re.I,
    ),
    re.compile(
        r"\s*,?\s+(?:in|on|during|via|through|at)\s+(?:a|an|the|his|her|its|their)\s+(?:[\w’'-]+\s+){0,3}?"
        r"(?:statement|interview|tweet|post|letter|speech|release|email|e-mail|video|briefing|conference|call|"
        r"appearance|op-ed|memo|message)s?,?$",
        re.I,
    ),
    re.compile(r"\s+familiar with (?:the\s+)?(?:[\w-]+\s*){1,3}$", re.I),
    re.compile(r"\s+who\s+(?:spoke|asked|requested|declined|insisted)\b[^,]{0,100}$", re.I),  # "a source who spoke …"
    re.compile(rf"\s+(?:of|from|for|at|in|with|on)\s+(?:the\s+)?{_NAME_RUN}(?:[’']s)?(?:\s+[a-z]+){{0,2}}$"),
]
_APPOSITIVE_AT_END = re.compile(rf",\s*(?P<app>[^,{_MARK}]{{2,160}}?)\s*,$")
_WHO_AT_END = re.compile(r",?\s+who$")
_CONJUNCTION_AT_END = re.compile(r"(?:,|\s)\s*(?:and|but|or|then)$")
_INVERSION_SLOT = re.compile(rf"^(?:\s*{_MARK}[,.?!:;]?\s*,?)*\s*(?:(?:[Aa]nd|[Bb]ut|[Tt]hen)\s+)?$")
_OPENING_CONJUNCTION = re.compile(
    r"^(?:But|And|Yet|So|Still|Then|Now|Meanwhile|However|Also|Instead|Indeed|Moreover|Separately)\b,?\s*"
)
_OPENING_ADVERBIAL = re.compile(
    r"^(?i:in|on|at|After|Before|When|While|As|During|Asked|Speaking|Earlier|Later|Last|This|Since|Until|Despite|"
    r"Citing|Responding|Opening|Unlike|Like|Under|According|Although|Though|Because|If|Once|With|Without|For|From|"
    r"over|amid|following|(?:several|two|three|four|five|a few|hours|days|weeks|a)\s+(?:hours?|days?|weeks?|months?|"
    r"years?|minutes?|moments?)\b)\b[^,]{0,150},\s*"
)
_OPENING_PLACE = re.compile(  # "South Bend, Ind., Mayor …"; a dateline "WASHINGTON — "
    r"^(?:[A-Z][\w .’'-]{1,40},\s*[A-Z][a-z]{1,5}\.,\s*|[A-Z][A-Z .,’'-]{2,40}\s*[—–-]{1,2}\s*)"
)
_SUBJECT_WORDS = re.compile(
    r"(?:(?:(?i:(?:director|secretary|minister|chairman|chairwoman|head|chief|governor|speaker|leader)\s+of"
    r"(?:\s+the)?)|[A-Z][\w’'.&-]*|former|presidential|nominee|then|top|senior|chief|deputy|state|majority|"
    r"minority|union|campaign|party|longtime|veteran|" + "|".join(sorted(_PERSON_TITLES)) + r")\s*){1,9}"
)
_DETERMINERS = frozenset(
    "The A An This That These Those It He She They We I His Her Its Their Our There Here What Who Some Many Several "
    "Other Another Each Every No Both All Most One Two Three".split()
)
_NAME_RUN_RE = re.compile(_NAME_RUN)
_ROLE_NOUN_RE = re.compile(_ROLE_NOUNS)
_THE_NAME = re.compile(rf"[Tt]he\s+{_NAME_RUN}\b(?![’'-]|\s+(?:{_ROLE_NOUNS})\b)")  # "The NRA"; not "The X campaign"
_THE_NAME_ONLY = re.compile(rf"[Tt]he\s+{_NAME_RUN}$")
_PRONOUN_OR_ROLE = re.compile(rf"(?P<pron>[Hh]e|[Ss]he|[Tt]hey)\b|(?P<role>{_ROLE_NP.pattern})")
_ROLE_FIRST = re.compile(rf"(?:{_ROLE_NOUNS})\b")
_CAPITALISED_ROLE = re.compile(rf"[A-Z][a-z]+\s+(?:{_ROLE_NOUNS})|(?:{_ROLE_NOUNS})", re.I)
_POSSESSIVE = re.compile(r"[’']s?$")
_GROUPS = frozenset("Democrats Republicans Americans Conservatives Liberals Progressives Independents".split())
STATE_MEDIA = re.compile(
    r"\b(?:state(?:-run|-owned|-controlled)?\s+(?:media|news agency|television|tv|broadcaster|newspaper|outlet)|"
    r"official (?:news agency|media)|kcna|korean central news agency|xinhua|tass|ria novosti|rodong sinmun|"
    r"cctv|global times|irna|sana|press tv|rt\b|sputnik)",
    re.I,
)


@dataclass
class Quote:
    text: str
    speaker: str | None
    sentence: int  # the sentence the quote opens in


@dataclass
class Sourcing:
    quotes: list[Quote] = field(default_factory=list)
    quote_words: int = 0
    attributions: int = 0
    named: int = 0
    anonymous: int = 0
    institutional: int = 0
    speakers: set[str] = field(default_factory=set)
    sentence_speakers: dict[int, str] = field(default_factory=dict)  # sentence -> the person it attributes words to
    state_media: int = 0
    outlet_mentions: dict[str, int] = field(default_factory=dict)

    def summary(self, words: int) -> dict[str, float | int | None]:
        return {
            "quotes": len(self.quotes),
            "quote_word_share": round(self.quote_words / words, 4) if words else None,
            "attributions": self.attributions,
            "named_sources": self.named,
            "anonymous_sources": self.anonymous,
            "institutional_sources": self.institutional,
            "distinct_speakers": len(self.speakers),
            "state_media_refs": self.state_media,
            "outlet_refs": sum(self.outlet_mentions.values()),
        }


@dataclass
class _Source:
    speaker: str | None
    kind: str | None  # named, anonymous, institutional
    verb: str
    start: int  # the verb's place in the sentence's text outside quotes
    end: int


@dataclass
class _Span:
    first: int  # sentence where the quote opens
    last: int  # sentence where it closes
    text: str
    marks: dict[int, int] = field(default_factory=dict)  # sentence -> where the quote's mark sits in its outside text


def is_title(inner: str) -> bool:
    """A quoted name of a thing: Title Case apart from short function words ("Treaty on ... Partnership")."""
    words = LOOSE_WORD.findall(inner)
    content = [w for w in words if w.lower() not in _TITLE_FUNCTION_WORDS]
    return len(words) >= 2 and bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def _is_name_of_thing(inner: str, before: str) -> bool:
    """A title, a capitalised single name ("Romney-Ryan"), or a short term after a naming cue."""
    stripped = inner.strip(" ,.")
    if is_title(inner) or (" " not in stripped and stripped[:1].isupper() and not stripped.isupper()):
        return True
    return bool(
        _NAMING_CUES.search(before) and len(inner.split()) <= 6 and not inner.rstrip().endswith((".", "!", "?", ","))
    )


def _outside_texts(sentences: list[str], paragraphs: list[int]) -> tuple[list[str], list[_Span]]:
    """Each sentence's text with every quoted span replaced by one mark, and the spans (a span may run
    over several sentences of its paragraph)."""
    outside = [""] * len(sentences)
    spans: list[_Span] = []
    start = 0
    while start < len(sentences):
        stop = start
        while stop + 1 < len(sentences) and paragraphs[stop + 1] == paragraphs[start]:
            stop += 1
        offsets = list(itertools.accumulate((len(x) + 1 for x in sentences[start:stop]), initial=0))
        joined = " ".join(sentences[start : stop + 1])
        found = []
        for m in _QUOTES.finditer(joined):
            inner = next(g for g in m.groups() if g is not None)
            first = start + bisect.bisect_right(offsets, m.start()) - 1
            last = start + bisect.bisect_left(offsets, m.end()) - 1
            found.append((m.start(), m.end(), _Span(first, last, inner)))
        k = 0  # the first span that may reach into the sentence: spans and sentences are both in order
        for s in range(start, stop + 1):
            lo, hi = offsets[s - start], offsets[s - start] + len(sentences[s])
            while k < len(found) and found[k][1] <= lo:
                k += 1
            pieces, cursor, length = [], lo, 0
            for a, b, span in found[k:]:
                if a >= hi:
                    break
                pieces.append(joined[cursor : max(a, lo)])
                length += len(pieces[-1])
                span.marks[s] = length + 1
                closing = span.text.rstrip()[-1:] if b <= hi and span.text.rstrip()[-1:] in ",.:;?!" else ""
                pieces.append(f" {_MARK}{closing} ")  # "“47 percent,”": the comma still ends a clause
                length += len(pieces[-1])
                cursor = min(b, hi)
            pieces.append(joined[cursor:hi])
            outside[s] = "".join(pieces)
        spans += [span for _a, _b, span in found]
        start = stop + 1
    return outside, spans


def outside_quotes(sentences: list[str], paragraphs: list[int]) -> list[str]:
    """Each sentence's own words: its text without the quoted spans (a quote may run over the sentences
    of its paragraph)."""
    return [" ".join(text.replace(_MARK, " ").split()) for text in _outside_texts(sentences, paragraphs)[0]]


def _strip_modifiers(left: str) -> tuple[str, str | None]:
    """The text before a verb without what stands between the subject and the verb (a day, an adverb,
    "of Vermont", "(D-Calif.)", appositives), and a person's name found as an appositive."""
    named = None
    for _ in range(12):  # each pass takes one modifier off the end
        left = left.rstrip()
        m = _APPOSITIVE_AT_END.search(left)
        if m and left[: m.start()].strip() and not left[: m.start()].rstrip(" ,").endswith(_MARK):
            app = m.group("app").strip()
            if _NAME_RUN_RE.fullmatch(app) and 2 <= len(app.split()) <= 4 and not set(app.split()) & ORGANISATION_WORDS:
                named = app  # "A spokesman for the committee, Brad Woodhouse, said"
            left = left[: m.start()] + ","  # the comma before it may close an appositive before that one
            continue
        left = left.rstrip(" ,") if not re.search(r",\s*[RDI]-[A-Z][\w.]*,$", left) else left
        for pattern in _STRIP_AT_END:
            m = pattern.search(left)
            rest = left[: m.start()] if m else ""
            if m and rest.strip() and (pattern is not _STRIP_AT_END[-1] or _NP_AT_END.search(rest.rstrip(" ,"))):
                left = rest  # "… of Vermont" only after a name or a role: "a call from Sen. Amy Klobuchar" stays
                break
        else:
            return left, named
    return left, named


def _np_before(left: str) -> str | None:
    """The subject right before a verb, or None."""
    left, named = _strip_modifiers(left)
    if named:
        return named
    left = _WHO_AT_END.sub("", left.rstrip())
    left, _named = _strip_modifiers(left)
    m = _NP_AT_END.search(left.rstrip())
    if not m:
        return None
    return m.group(0).strip()


def _np_after(right: str) -> str | None:
    m = _NP_AT_START.match(right)
    if not m or re.match(r"\s*(?:of|to|in|on|at|by|that|with)\b", right):
        return None
    return (m.group("name") or m.group("role") or m.group("pron")).strip()


def _sentence_subject(outside: str, mid_caps: frozenset[str] = frozenset()) -> tuple[str | None, bool]:
    """The subject of a sentence's main clause — its first noun phrase after an opening conjunction,
    adverbial or place — and whether it is only a possessive ("Mueller’s investigation"). A capitalised
    first word never capitalised elsewhere in the article (``mid_caps``: the words it capitalises
    inside sentences) is an ordinary word, not a name."""
    text = outside.strip(" ,").lstrip(f"{_MARK} ,")
    for _ in range(4):
        stripped = _OPENING_PLACE.sub("", _OPENING_ADVERBIAL.sub("", _OPENING_CONJUNCTION.sub("", text)))
        if stripped == text:
            break
        text = stripped
    first = text.split(" ", 1)[0]
    if first in ("The", "the") and _THE_NAME.match(text):
        text, first = text[4:], text[4:].split(" ", 1)[0]  # "The NRA said", "The Washington Post reported"
    if first in _DETERMINERS or not first[:1].isupper():
        m = _PRONOUN_OR_ROLE.match(text)
        return (m.group(0), False) if m else (None, False)
    m = _SUBJECT_WORDS.match(text)
    if not m:
        return None, False
    runs: list[list[str]] = [[]]  # the capitalised runs of the phrase: "Republican", "Mitt Romney"
    for word in m.group(0).split():
        if word[:1].isupper():
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    named = [r for r in runs if r and any(title_role(w) is None and w.lower() not in ROLE_WORDS for w in r)]
    lone = named[0][0] if len(named) == 1 and len(named[0]) == 1 and text.startswith(named[0][0]) else None
    if lone and mid_caps and _POSSESSIVE.sub("", lone) not in mid_caps:
        return None, False  # "Close to three dozen …": a word capitalised only because it opens the sentence
    phrase = " ".join(named[-1]).rstrip(",") if named else ""
    if not phrase:
        return None, False
    following = text[m.end() :] if m.group(0).endswith(" ") else text[m.end() :].lstrip()
    if _ROLE_FIRST.match(following):  # "Senior White House officials"
        return f"{phrase} {following.split()[0]}", False
    possessive = bool(re.match(r"[’']s\b", text[m.end() :]) or _POSSESSIVE.search(phrase))
    return (_POSSESSIVE.sub("", phrase) if possessive else phrase), possessive


def _person_name(name: str) -> str:
    """A long capitalised run before a person's name keeps only the name: "National Intelligence James
    Clapper" -> "James Clapper" (a given name, initials, a surname and Jr.)."""
    words = name.split()
    if len(words) < 4 or set(words) & ORGANISATION_WORDS:
        return name
    suffix = [words.pop()] if words[-1].rstrip(".") in NAME_SUFFIXES else []
    tail = [words.pop()]
    while words and re.fullmatch(r"[A-Z]\.", words[-1]):
        tail.insert(0, words.pop())
    if words:
        tail.insert(0, words.pop())
    return " ".join(tail + suffix)


_FEMALE = frozenset("mrs ms miss congresswoman spokeswoman chairwoman businesswoman".split())
_MALE = frozenset("mr congressman spokesman chairman businessman".split())


_BLOCK_OF = re.compile(r"\bblock\s+of\s+$")
_THE = re.compile(r"\b[Tt]he\s+$")  # "at the Burger King": a place or a business ("the Rev. Ada Brenner" has a title)
_STREET_KIND = re.compile(
    r"\s+(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Highway|Hwy|Parkway|Pkwy)\b\.?"
)


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is a street or a place ("the 1900 block of E. Pawnee", "Walker Mill
    Road", "at the Burger King"): the person "he" refers to is never one."""
    before = text[max(0, start - 20) : start]
    if _THE.search(before) and strip_titles(text[start:end])[0] == text[start:end]:
        return True  # no title stripped off it
    return bool(_BLOCK_OF.search(before) or _STREET_KIND.match(text, end))


class _Resolver:
    """Who "he", "she" and "the congressman" are: the persons the article named so far, in order."""

    def __init__(self, mid_caps: frozenset[str]) -> None:
        self.mid_caps = mid_caps
        self.recent: list[str] = []  # persons named as a subject or a speaker, the latest last
        self.persons: list[str] = []  # every person named, for "Mr. Reyes" -> "Tomas Reyes"
        self.by_role: dict[str, str] = {}
        self.gender: dict[str, str] = {}  # from "Mrs.", "Mr.", "spokeswoman" … before the name

    def pronoun(self, word: str, subject: str | None) -> str | None:
        """The person "he" or "she" is: the sentence's own subject when it is a name, else the latest
        person named whose title does not say otherwise."""
        wanted = {"he": "m", "she": "f"}.get(word)
        if subject and subject in self.persons:
            return subject
        for person in reversed(self.recent):
            if self.gender.get(person, wanted) == wanted:
                return person
        named = [p for p in self.persons if self.gender.get(p, wanted) == wanted]
        return named[-1] if named and not self.recent else None  # no subject yet: the person named last

    def classify(self, np: str | None, subject: str | None = None) -> tuple[str | None, str | None]:
        """(speaker, kind) of a noun phrase; (None, None) when it cannot be a speaker."""
        if not np:
            return None, None
        np = np.strip(" ,")
        lowered = np.lower()
        if lowered in ("he", "she", "i"):
            person = self.pronoun(lowered, subject)
            return (person, "named") if person else (lowered, "anonymous")
        if lowered in ("they", "we"):
            return lowered, "anonymous"
        if _THE_NAME_ONLY.match(np):
            np = np[4:]  # "the Washington Post", "The NRA"
        if _CAPITALISED_ROLE.fullmatch(np) and np.split()[0] not in self.mid_caps:
            np = np.lower()  # "Officials said", "Senate aides told": a role, capitalised to open the sentence
        if np[:1].isupper() and _NAME_RUN_RE.fullmatch(np):
            name = _person_name(strip_titles(_POSSESSIVE.sub("", np))[0])
            if name.endswith(".") and len(name.split()[-1]) > 3 and name.split()[-1][:-1] not in NAME_SUFFIXES:
                name = name[:-1]  # "according to CNN." ends the sentence, not the name
            words = name.split()
            if not words or all(w.rstrip(".") in CALENDAR_WORDS for w in words) or is_place(name):
                return None, None
            if words[0] in _DETERMINERS:
                return None, None
            if name in _GROUPS:
                return name, "anonymous"
            if set(words) & ORGANISATION_WORDS or (name.isupper() and len(name) <= 6):
                return name, "institutional"
            return self.full_name(name), "named"
        head = re.findall(r"[\w-]+", lowered)
        noun = next((w for w in reversed(head) if _ROLE_NOUN_RE.fullmatch(w)), head[-1] if head else "")
        if lowered.startswith("the ") and noun in _PERSON_TITLES:
            person = self.by_role.get(" ".join(head[1:])) or self.by_role.get(noun)
            if person:
                return person, "named"
        if noun in _DOCUMENTS:
            return np, "institutional"
        return np, "anonymous"

    def full_name(self, name: str) -> str:
        """ "Reyes" or "Mr. Reyes" after "Tomas Reyes" is the same person."""
        if " " not in name:
            for full in reversed(self.persons):
                if full.split()[-1] == name:
                    return full
        return name

    def saw_name(self, raw: str, subject: bool) -> str | None:
        """A person's name in the text: its titles say who "the governor" is, and whether "he" or "she";
        a subject or a speaker is who "he" or "she" is next. The person's full name, or None."""
        bare = _POSSESSIVE.sub("", raw.strip(" ,"))
        name, roles = strip_titles(bare)
        name = _person_name(name)
        words = name.split()
        if not words or words[0] in _DETERMINERS or name in _GROUPS or is_place(name):
            return None
        if set(words) & ORGANISATION_WORDS or name.isupper() or all(w.rstrip(".") in CALENDAR_WORDS for w in words):
            return None
        full = self.full_name(name)
        if full not in self.persons:
            self.persons.append(full)
        honorific = bare.split()[0].rstrip(".").lower() if " " in bare else ""
        for word in [honorific, *roles]:
            if word in _FEMALE or word.endswith("woman"):
                self.gender[full] = "f"
            elif word in _MALE or word.endswith("man"):
                self.gender[full] = "m"
        if subject:
            if full in self.recent:
                self.recent.remove(full)
            self.recent.append(full)
            del self.recent[:-20]  # the persons of the last few paragraphs are enough
        for role in roles:
            self.by_role[role] = full
            self.by_role[role.split()[-1]] = full
        return full


def _sources(outside: str, resolver: _Resolver, subject: str | None, person: str | None) -> list[_Source]:
    """Every attributing verb of a sentence with its speaker (None when no subject is found).
    ``subject``: the sentence's subject as written; ``person``: the person it names, if any."""
    found: list[_Source] = []
    for m in _verbs(outside):
        verb = m.group(0).lower()
        if m.group(0)[:1].isupper() and outside[: m.start()].strip(f" {_MARK},.:;?!"):
            continue  # "the United States": a capitalised verb only opens a sentence ("Added Gibbs:")
        if verb in ("called", "calls", "calling") and re.match(r"\s+(?:for|on|off|out|up)\b", outside[m.end() :]):
            continue  # "called for the report to be released"
        left, right = outside[max(0, m.start() - SUBJECT_WINDOW) : m.start()], outside[m.end() : m.end() + 200]
        np = None
        if verb == "according to" or (verb in INVERTIBLE and _INVERSION_SLOT.fullmatch(left)):
            np = _np_after(right)
        if np is None and verb != "according to":
            if verb in PARTICIPLES and (earlier := [s for s in found if s.kind and s.verb not in PARTICIPLES]):
                found.append(_Source(earlier[-1].speaker, earlier[-1].kind, verb, m.start(), m.end()))
                continue  # "…, Hutchinson said, adding, “…”": the participle is his
            if verb in PARTICIPLES or _CONJUNCTION_AT_END.search(_strip_modifiers(left)[0].rstrip()):
                own, possessive = _sentence_subject(outside[: m.start()][:SUBJECT_WINDOW], resolver.mid_caps)
                np = (own if not possessive else None) or _np_before(left) or subject
            else:
                np = _np_before(left)
        speaker, kind = resolver.classify(np, person)
        found.append(_Source(speaker, kind, verb, m.start(), m.end()))
    return found


def _verbs(outside: str) -> Iterator[re.Match]:
    """The attributing verbs of a sentence's text outside quotes, "according to" as one."""
    for m in LOOSE_WORD.finditer(outside):
        word = m.group(0).lower()
        if word in _ALL_VERBS:
            if word != "according":
                yield m
            elif (to := _ACCORDING_TO.match(outside, m.start())) is not None:
                yield to


def _speaker_of(span: _Span, outside: list[str], sources: list[list[_Source]], paragraphs: list[int]) -> _Source | None:
    """The attribution of a quote: a verb right after it (in its sentence, or opening the next one of its
    paragraph when the quote ends with "!" or "?": "…Jail!” Trump tweeted"), else the nearest verb
    before it in its sentence, else a verb in a sentence it runs over."""
    last_mark = span.marks.get(span.last)
    if last_mark is not None:
        after = [s for s in sources[span.last] if s.start > last_mark and s.kind]
        gap = outside[span.last][last_mark + 1 : after[0].start] if after else ""
        if after and _MARK not in gap and len(gap.split()) <= 10:
            first_mark = span.marks.get(span.first)
            own = [s for s in sources[span.first] if first_mark is not None and s.end <= first_mark and s.kind]
            if after[0].verb == "according to" and own:
                return own[-1]  # "Trump asserted that he had “…,” according to CNN": CNN reports, Trump said
            return after[0]
        following = span.last + 1
        cut = span.text.rstrip()[-1:] in "!?" and not outside[span.last][last_mark + 1 :].strip(" ,.?!:;")
        if cut and following < len(outside) and paragraphs[following] == paragraphs[span.last]:
            opening = [s for s in sources[following] if s.kind and s.verb in _SPEECH]
            lead = outside[following][: opening[0].start] if opening else _MARK
            if _MARK not in lead and len(lead.split()) <= 6:
                return opening[0]
    first_mark = span.marks.get(span.first)
    if first_mark is not None:
        before = [s for s in sources[span.first] if s.end <= first_mark and s.kind]
        if before:
            return before[-1]
    for s in range(span.first, span.last + 1):
        attributed = [x for x in sources[s] if x.kind]
        if attributed:
            return attributed[0]
    return None


def analyse_sourcing(
    sentences: list[str], outlet_names: dict[str, str] | None = None, paragraphs: list[int] | None = None
) -> Sourcing:
    """Quotes, speakers and sources of an article's sentences (English cues).

    ``paragraphs``: the paragraph of each sentence (a quote may run over the sentences of one
    paragraph); None reads every sentence as its own paragraph."""
    result = Sourcing()
    paragraphs = paragraphs if paragraphs is not None else list(range(len(sentences)))
    outside, spans = _outside_texts(sentences, paragraphs)
    resolver = _Resolver(_capitalised_inside(outside))
    sources: list[list[_Source]] = []
    quoted = {s for span in spans for s in span.marks}
    for index, text in enumerate(outside):
        for m in _NAME_RUN_RE.finditer(text):  # "Mr. Ryan", "Gov. Rick Perry": a person, a title
            if len(m.group(0).split()) >= 2 and m.start() > 0 and not _names_a_place(text, m.start(), m.end()):
                resolver.saw_name(m.group(0), subject=False)
        subject, possessive = _sentence_subject(text, resolver.mid_caps)
        person = resolver.saw_name(subject, subject=False) if subject and _NAME_RUN_RE.fullmatch(subject) else None
        # "he" and "the governor" as the sentences before named them
        found = _sources(text, resolver, None if possessive else subject, None if possessive else person)
        sources.append(found)
        named = [s for s in found if s.kind == "named" and s.speaker]
        for source in named:
            resolver.saw_name(source.speaker, subject=True)
        if not named and person:
            resolver.saw_name(person, subject=True)  # "Huckabee’s religion …" too: "he" is Huckabee next
        attributed = [s for s in found if s.kind and (s.verb in _SPEECH or index in quoted)]
        if attributed:
            _count_source(result, attributed[0])
            if attributed[0].kind == "named" and attributed[0].speaker:
                result.sentence_speakers[index] = attributed[0].speaker
        result.state_media += len(STATE_MEDIA.findall(sentences[index]))
    previous: tuple[int, str | None] | None = None  # the last sentence of the last quote, its speaker
    for span in spans:
        source = _speaker_of(span, outside, sources, paragraphs)
        if source is None and span.first > 0 and outside[span.first - 1].rstrip().endswith(":"):
            lead = [s for s in sources[span.first - 1] if s.kind]
            source = lead[-1] if lead else None  # "Politico reports:" then the quote
        if source is not None:
            speaker = source.speaker
        elif previous and previous[0] >= span.first - 1 and len(outside[span.first].replace(_MARK, " ").split()) <= 2:
            speaker = previous[1]  # "“A,” she said. “B.”": B is hers too
        else:
            continue  # quoted words nobody is said to have said
        if _is_name_of_thing(span.text, outside[span.first][: span.marks[span.first]]):
            continue
        result.quotes.append(Quote(span.text.strip(" ,"), speaker, span.first))
        result.quote_words += len(re.findall(r"\w+", span.text))
        previous = (span.last, speaker)
    if outlet_names:
        pattern, names = _alias_regex(tuple(outlet_names.items()))
        for sentence in sentences:
            for name in {names[m.group(0)] for m in pattern.finditer(sentence)}:  # each outlet once per sentence
                result.outlet_mentions[name] = result.outlet_mentions.get(name, 0) + 1
    return result


def _capitalised_inside(texts: list[str]) -> frozenset[str]:
    """Words the article capitalises inside a sentence (not as its first word)."""
    words = set()
    for text in texts:
        words.update(re.findall(r"(?<=[\w,;:)”’\"] )[A-Z][\w’'.-]*", text))
    return frozenset(_POSSESSIVE.sub("", w.rstrip(".,")) for w in words)


def _count_source(result: Sourcing, source: _Source) -> None:
    result.attributions += 1
    if source.kind == "named":
        result.named += 1
        result.speakers.add(source.speaker)
    elif source.kind == "anonymous":
        result.anonymous += 1
    else:
        result.institutional += 1


@functools.lru_cache(maxsize=8)
def _alias_regex(aliases: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One alternation of every alias (longest first), instead of one search per alias per sentence."""
    names = dict(aliases)
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in ordered) + r")\b"), names
