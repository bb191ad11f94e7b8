"""Sourcing: direct quotes and who is quoted, attributions, named vs anonymous sources.

A quoted span is a *direct quote* when its sentence attributes it (a speech verb such as
"said" or "told", or "according to"); quoted names of things — a treaty's title, a scare
quote after "called" or "dubbed" — are not quotes, however long. The speaker is the name,
role or pronoun next to the speech verb; a pronoun is resolved to the last named speaker.
Sources are *named* (a person's name), *anonymous* ("officials said", "a source familiar
with …") or *institutional* ("the ministry said", "a city statement said").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

SPEECH_VERBS = (
    "said says say told tells tell added adds stated states asked asks warned warns declared declares noted notes "
    "explained explains wrote writes tweeted insisted insists argued argues claimed claims announced announces "
    "acknowledged acknowledges confirmed confirms urged urges replied replies remarked commented comments "
    "recalled recalls continued continues cautioned cautions predicted predicts described describes"
).split()
_VERB = r"(?:" + "|".join(SPEECH_VERBS) + r")"
_QUOTES = re.compile(
    r"“(?P<a>[^”]{1,600})”|\"(?P<b>[^\"]{1,600})\"|«(?P<c>[^»]{1,600})»|„(?P<d>[^“”]{1,600})[“”]|"
    r"‘(?P<e>[^’]{2,600}?)’(?=[\s,.;:!?)]|$)|(?:(?<=\s)|^)'(?P<f>[^']{3,600}?)'(?=[\s,.;:!?)]|$)"
)
_TITLE_FUNCTION_WORDS = {"of", "on", "the", "and", "between", "for", "in", "to", "a", "an", "de", "la", "du", "with"}
_NAMING_CUES = re.compile(
    r"(?:called|named|dubbed|titled|entitled|known as|so-called|signed|sign)\s+(?:the\s+)?$", re.I
)
_NAME = r"(?:[A-Z][\w’'.-]+(?:\s+(?:bin|al|de|van|von|der)?\s*[A-Z][\w’'.-]+){0,3})"
_ROLE = (
    r"(?:leader|president|prime minister|minister|spokesperson|spokesman|spokeswoman|official|chairman|"
    r"chairwoman|chief|director|mayor|governor|senator|secretary|ambassador|engineer|analyst|expert|professor|"
    r"economist|member|commander|general|councillor|council member|head|ceo|founder|nurse|owner|resident)"
)
ANONYMOUS = re.compile(
    r"\b(?:(?:a|an|one|two|three|several)\s+(?:senior\s+|former\s+|government\s+|administration\s+|u\.s\.\s+)?"
    r"(?:officials?|sources?|person|people|diplomats?|insiders?|aides?)|"
    r"officials|sources|people familiar|persons? familiar|familiar with the (?:matter|plans|talks|discussions)|"
    r"on condition of anonymity|who (?:spoke|asked) (?:on condition of|not to be named)|declined to be named|"
    r"analysts|experts|economists|observers|critics|insiders|residents|witnesses|shopkeepers|commuters|workers|"
    r"parents|protesters|locals|neighbours|neighbors|activists|a spokesperson|a spokesman|a spokeswoman)\b",
    re.I,
)
INSTITUTIONAL = re.compile(
    r"\b(?:the|a)\s+(?:\w+\s+){0,3}(?:ministry|government|city|council|department|agency|office|company|"
    r"statement|report|court|police|military|army|administration|commission|committee|authority|authorities|"
    r"kremlin|white house|pentagon|state media|embassy)\b",
    re.I,
)
STATE_MEDIA = re.compile(
    r"\b(?:state(?:-run|-owned|-controlled)?\s+(?:media|news agency|television|tv|broadcaster|newspaper|outlet)|"
    r"official (?:news agency|media)|kcna|korean central news agency|xinhua|tass|ria novosti|rodong sinmun|"
    r"cctv|global times|irna|sana|press tv|rt\b|sputnik)",
    re.I,
)
PRONOUNS = {"he", "she", "they", "we", "i"}


@dataclass
class Quote:
    text: str
    speaker: str | None
    sentence: int


@dataclass
class Sourcing:
    quotes: list[Quote] = field(default_factory=list)
    quote_words: int = 0
    attributions: int = 0
    named: int = 0
    anonymous: int = 0
    institutional: int = 0
    speakers: set[str] = field(default_factory=set)
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


def quoted_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every quoted span in the sentence."""
    spans = []
    for m in _QUOTES.finditer(sentence):
        inner = next(g for g in m.groups() if g is not None)
        spans.append((m.start(), m.end(), inner))
    return spans


def is_title(inner: str) -> bool:
    """A quoted name of a thing: Title Case apart from short function words ("Treaty on ... Partnership")."""
    words = re.findall(r"[\w’'-]+", inner)
    content = [w for w in words if w.lower() not in _TITLE_FUNCTION_WORDS]
    return len(words) >= 2 and bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def find_speaker(sentence: str) -> tuple[str | None, str | None]:
    """(speaker, kind) next to the sentence's speech verb; kind is named/anonymous/institutional/pronoun."""
    outside = _QUOTES.sub(" ", sentence)
    patterns = [
        rf"(?P<who>(?:{_ROLE}\s+)?{_NAME})\s*,?\s+(?:who\s+\w+\s+)?(?:\w+ly\s+)?{_VERB}\b",
        rf"(?P<who>(?:{_ROLE}\s+)?{_NAME})\s*,\s*[^,“”\"]{{3,90}},\s*(?:\w+ly\s+)?{_VERB}\b",
        rf"\b{_VERB}\s+(?P<who>(?:the\s+)?(?:{_ROLE}\s+)?{_NAME})",
        rf"according to\s+(?P<who>(?:the\s+)?(?:{_ROLE}\s+)?{_NAME})",
        rf"\b(?P<who>[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I)\s+(?:\w+ly\s+)?{_VERB}\b",
        rf"\b{_VERB}\s+(?P<who>he|she|they)\b",
    ]
    anonymous = ANONYMOUS.search(outside)
    for pattern in patterns:
        m = re.search(pattern, outside)
        if m:
            who = m.group("who").strip()
            if who.lower() in PRONOUNS:
                return who.lower(), "pronoun"
            if anonymous and anonymous.start() <= m.end() and m.start() <= anonymous.end() + 40:
                return anonymous.group(0), "anonymous"
            if INSTITUTIONAL.fullmatch(who) or re.match(r"(?:the|a)\s", who, re.I):
                return who, "institutional"
            return _strip_role(who), "named"
    if anonymous:
        return anonymous.group(0), "anonymous"
    inst = INSTITUTIONAL.search(outside)
    if inst and re.search(rf"{_VERB}\b|according to", outside):
        return inst.group(0), "institutional"
    return None, None


def _full_name(name: str, known: set[str]) -> str:
    """'Reyes' after 'Tomas Reyes' is the same speaker."""
    if " " not in name:
        for full in known:
            if full.split()[-1] == name:
                return full
    return name


def _strip_role(who: str) -> str:
    return re.sub(rf"^(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?{_ROLE})\s+", "", who, flags=re.I).strip()


def has_attribution(sentence: str) -> bool:
    outside = _QUOTES.sub(" ", sentence)
    return bool(re.search(rf"\b{_VERB}\b|\baccording to\b", outside, re.I))


def analyse_sourcing(sentences: list[str], outlet_names: dict[str, str] | None = None) -> Sourcing:
    """Quotes, speakers and sources of an article's sentences (English cues)."""
    result = Sourcing()
    last_named: str | None = None
    aliases = _alias_regex(tuple(outlet_names.items())) if outlet_names else None
    for index, sentence in enumerate(sentences):
        speaker, kind = find_speaker(sentence) if has_attribution(sentence) else (None, None)
        if kind == "pronoun":
            speaker, kind = (last_named, "named") if last_named else (speaker, "anonymous")
        if kind:
            result.attributions += 1
            if kind == "named":
                result.named += 1
                speaker = _full_name(speaker, result.speakers)
                last_named = speaker
                result.speakers.add(speaker)
            elif kind == "anonymous":
                result.anonymous += 1
            else:
                result.institutional += 1
        for start, _end, inner in quoted_spans(sentence):
            before = sentence[:start]
            if (
                not kind
                or is_title(inner)
                or (
                    _NAMING_CUES.search(before)
                    and len(inner.split()) <= 6
                    and not inner.rstrip().endswith((".", "!", "?", ","))
                )
            ):
                continue
            result.quotes.append(Quote(inner.strip(" ,"), speaker, index))
            result.quote_words += len(re.findall(r"\w+", inner))
        result.state_media += len(STATE_MEDIA.findall(sentence))
        if aliases:
            pattern, names = aliases
            for name in {names[m.group(0)] for m in pattern.finditer(sentence)}:  # each outlet once per sentence
                result.outlet_mentions[name] = result.outlet_mentions.get(name, 0) + 1
    return result


@functools.lru_cache(maxsize=8)
def _alias_regex(aliases: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One alternation of every alias (longest first), instead of one search per alias per sentence."""
    names = dict(aliases)
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in ordered) + r")\b"), names
