"""Key points: the facts of a story, aligned across its outlets.

1. Every article is cut into *units*: sentences, split further at clause boundaries
   (";", ", which", ", while", ", but", ", and <verb>", ", <verb>ing", "as per", a dash,
   and a passive "… <verb>ed … by Name") so a sentence that reports two facts gives two units.
2. Units are compared by TF-IDF cosine over prefix stems and stem bigrams (so "economic"
   matches "economics" and "information security" counts as a phrase), raised to half the
   idf-weighted containment of a short unit in a longer one. Only units that share a
   feature are compared (an inverted index), so a story of 1,000 articles costs about 1,000
   times one article, not a million times: the similarity graph is sparse, and in big stories
   each unit keeps only its strongest partners (:data:`EXACT_UNITS`, :data:`MAX_NEIGHBOURS`).
3. Units are clustered across outlets (average linkage over that graph, mean similarity >=
   SIMILARITY); two units of the same outlet are never linked, so a cluster is one fact as
   several outlets report it, not one outlet's paragraph.
4. An outlet *covers* a key point when one of its units is in the cluster, or when one of
   its units is at least COVER_SIMILARITY-similar to a unit of it (one long sentence can
   report several facts). The sentences holding those units are the key point's *evidence*.

Each key point's label is its most central unit. The default backend is lexical and needs no
model. The optional *semantic* backend (``PRESSLENS_SIMILARITY=semantic`` or ``presslens run
--similarity semantic``; installed by ``make install-semantic``) compares units by the cosine of
their all-MiniLM-L6-v2 sentence embeddings (:mod:`presslens.compare.embeddings`) instead, with
its own thresholds: embedding cosines run higher than TF-IDF cosines for the same pair.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from presslens.clean.lines import MONTHS
from presslens.linkage import average_linkage, shared_term_candidates
from presslens.metrics.sourcing import SPEECH_VERBS
from presslens.text import LOOSE_WORD, content_stems, split_sentences

# what opens a list item ("► Terry Andres, of Virginia."): no word of the fact, not shown in its label
BULLETS = "–—-•*·▪►▸▶■●◆"

SIMILARITY = 0.5  # mean similarity that puts two outlets' units in one key point (README: chosen on ECB+ and the seeds)
COVER_SIMILARITY = 0.2  # similarity for a unit outside the cluster to count as covering it
SEMANTIC_SIMILARITY = 0.65  # the same two thresholds for embedding cosines (README: chosen on the seeds)
SEMANTIC_COVER = 0.6
# backend -> (clustering threshold, cover threshold); both chosen where the seeds' acceptance holds (README)
BACKENDS = {"lexical": (SIMILARITY, COVER_SIMILARITY), "semantic": (SEMANTIC_SIMILARITY, SEMANTIC_COVER)}
MAX_UNITS_PER_ARTICLE = 250  # key points come from an article's first 250 clauses (the stories table counts cuts)
MIN_UNIT_STEMS = 3  # shorter clause fragments stay with their neighbour
LIST_ITEM_STEMS = 4  # both sides of a comma need this many content words to become two units
UNIGRAM_CONTAINMENT = False
CONTAINMENT_WORDS = 5  # a unit with fewer content words counts its containment in another in proportion
CONTAINMENT_WEIGHT = 0.5  # a unit whose weighted words all appear in a longer one counts as 0.5 similar
HEADLINE_SIMILARITY = 0.15  # headlines are short and worded apart from the body: a lower bar
HEADLINE_NEAR_BEST = 0.8  # and only the key points nearly as close as the closest one
# bounds of the similarity graph (near-linear in the units of a story, whatever its size)
MAX_POSTINGS = 2000  # a feature in more units than this is too common to find partners by
MAX_CANDIDATES = 400  # partners scored per unit: those sharing the most features
EXACT_UNITS = 3000  # up to this many units every pair that can be similar is kept
MAX_NEIGHBOURS = 40  # beyond it each unit keeps its 40 most similar partners ...
COVER_NEIGHBOURS = 200  # ... and up to 200 at cover level (wire copies repeat a unit many times)
SEMANTIC_CHUNK = 512  # units whose embedding similarities are computed at once
SEMANTIC_FLOOR = 0.2  # beyond EXACT_UNITS, embedding similarities below this are not kept

_CLAUSE = re.compile(
    r";\s+"
    r"|,\s+(?=(?:which|while|but|whereas|although|with)\b)"
    r"|,\s+(?=and\s+[a-z]+\b(?!\s+(?:and|or)\b)(?![\w\s]{0,16},))"  # not ", and most public," (an aside)
    r"|,\s+(?=[a-z]+ing\b)"
    r"|\s+as per\s+"
    r"|\s+[–—]\s+"
    r"|(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\bwere)(?<!\bbe)(?<!\bbeen)"  # "is led by": one verb
    r"\s+(?=[a-z]+ed\s+(?:[a-z]+\s+){0,3}by\s+[A-Z])"
)


@dataclass
class Unit:
    outlet: str
    article_id: str
    order: int  # unit index in the article (0 = the article's first clause)
    sentence: int  # sentence index in the article (0 = first)
    paragraph: int  # paragraph index (0 = first)
    position: float  # sentence / number of sentences, 0–1
    text: str
    speakers: frozenset[str] = frozenset()  # surnames of who the unit's sentence quotes or attributes words to
    speaker: str = ""  # the first of them by name as the sourcing step read it ("Kelly Townsend"), for labels


@dataclass
class KeyPoint:
    id: str
    label: str
    units: list[Unit] = field(default_factory=list)
    covered_by: dict[str, float] = field(default_factory=dict)  # outlet -> first position (0-1)
    sentences: dict[str, list[int]] = field(default_factory=dict)  # outlet -> sentence indexes
    # article id -> sentence -> how strongly it reports the point (a member unit: 1; a covering one: its similarity)
    evidence: dict[str, dict[int, float]] = field(default_factory=dict)
    # outlet that does not cover it -> the similarity of its closest unit that could state the same fact
    nearest: dict[str, float] = field(default_factory=dict)
    clause: str = ""  # the label's unit as cut from its sentence (its speaker named): the label may read the sentence


_COMMA_LOWER = re.compile(r",\s+(?=(?!and\b|or\b|nor\b)[a-z])")


def _split_long_list(part: str) -> list[str]:
    """Split "A, b …" at a comma before a lower-case word when both sides carry a fact of their own
    ("Promote cooperation in information security, defend equal rights …"); short list items
    ("agriculture, education, health") stay together."""
    pieces = _COMMA_LOWER.split(part)
    out: list[str] = []
    for piece in pieces:
        if out and len(content_stems(out[-1])) >= LIST_ITEM_STEMS and len(content_stems(piece)) >= LIST_ITEM_STEMS:
            out.append(piece)
        elif out:
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def article_sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph index, sentence) of every sentence of an article, in order: a unit's sentence index points here."""
    return [
        (p_index, sentence)
        for p_index, paragraph in enumerate(p for p in text.split("\n") if p.strip())
        for sentence in split_sentences(paragraph)
    ]


# a dateline before the first clause: "WASHINGTON — ", "WASHINGTON ― " (HuffPost), "KANSAS CITY, Mo. — ",
# "LIVINGSTON, N.J. — ", "ORRIN, Nov. 8 (Valley Wire) — "
_DATELINE = re.compile(
    r"^[A-Z][A-Z.' ]+(?:,\s*(?:(?:[A-Z]\.)+|[A-Z][a-z]*\.?)(?:\s+\d{1,2})?)*"
    r"(?:\s*\([^)]{1,40}\))?\s*[—–―-]{1,2}\s+(?=\S)"
)


# an aside between commas, then the sentence's own verb: "the email, which included a draft, contained …"
_ASIDE_OPENER = re.compile(r",\s+(?:which|while|whereas|although|with)\b")  # not "but": a clause of its own
_ASIDE_THEN_VERB = re.compile(
    r"[^,;–—]{1,120},\s+(?:(?:is|was|are|were|has|had|have|will|would|could|can|may|might|must|should|did|does)\b"
    r"|(?!(?:and|or|but|nor|as|officials|authorities|police|sources|experts|critics|analysts|observers)\b)"
    r"[a-z]+(?:ed|es)\b)"
)


def _embedded_asides(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each aside set between commas inside a clause, the sentence going on with its verb after
    it: a cut there leaves "The inspector general said the email" and "which included a draft …, contained
    information …", neither of them a fact."""
    spans = []
    for opener in _ASIDE_OPENER.finditer(sentence):
        aside = _ASIDE_THEN_VERB.match(sentence, opener.end())
        if aside:
            spans.append((opener.start(), aside.end()))
    return spans


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """The clauses :data:`_CLAUSE` cuts a sentence into, each with the words that joined it to the one before
    ("" for the first): a short clause merged back reads as the sentence did ("Varga was hurt by …", not "Varga
    was, hurt by …", where the cut fell on a space). No cut falls inside an embedded aside
    (:func:`_embedded_asides`)."""
    out: list[tuple[str, str]] = []
    start, joint = 0, ""
    asides = _embedded_asides(sentence) if "," in sentence else []
    cuts = [cut for cut in _CLAUSE.finditer(sentence) if not any(a <= cut.start() < b for a, b in asides)]
    for cut in [*cuts, None]:
        piece = sentence[start : cut.start() if cut else len(sentence)]
        if piece.strip(" ,.;"):
            out.append((joint, piece.strip(" ,.;–—-")))
            joint = ""
        if cut:
            separator = cut.group(0)
            joint += separator.rstrip() + " " if separator.strip() else " "
            start = cut.end()
    return out


def _only_attribution(part: str) -> bool:
    """Whether a clause only says who spoke ("acting White House chief of staff Mick Mulvaney told reporters",
    cut off its sentence at "acting"): it stays with the clause it attributes, not a fact of its own."""
    spaced = " " + part
    rest = _without_attribution(_TRAILING_ATTRIBUTION, spaced)
    return rest != spaced and len(content_stems(rest)) < MIN_UNIT_STEMS


LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][\w’'-]*")  # a word that starts in lower case: no name
_NAME_JOINERS = frozenset("of and the for de la le du van von der y".split())  # lower-case words inside names


def _only_names(part: str) -> bool:
    """Whether a clause only names: no word in lower case but those that join names ("“Attorney General Barr", cut
    off its quote at a dash; "Senators Amy Klobuchar of Minnesota"). It stays with a neighbour, as a short clause
    does; "Brown has not said what he will do" says something."""
    return all(word in _NAME_JOINERS for word in LOWER_WORD.findall(part))


def split_units(text: str, sentences: list[tuple[int, str]] | None = None) -> list[tuple[int, int, str]]:
    """(sentence index, paragraph index, clause) for every clause-level unit of an article (``sentences``: its
    :func:`article_sentences`, when the caller has them)."""
    units: list[tuple[int, int, str]] = []
    for sentence_index, (p_index, sentence) in enumerate(article_sentences(text) if sentences is None else sentences):
        dateline = _DATELINE.match(sentence)
        if dateline:  # the place and wire are no fact: "PORT CALDER, Oct. 14 (Valley Wire)" was a key point
            sentence = sentence[dateline.end() :]
        bullet = sentence.lstrip()[:1] in BULLETS
        parts = _clauses(sentence.lstrip(BULLETS + " "))
        if bullet:  # list items join imperative clauses with bare commas ("Promote X, defend Y")
            parts = [
                (joint if k == 0 else ", ", piece)
                for joint, part in parts
                for k, piece in enumerate(_split_long_list(part))
            ]
        merged: list[str] = []
        for joint, part in parts:
            if merged and (len(content_stems(part)) < MIN_UNIT_STEMS or _only_attribution(part) or _only_names(part)):
                merged[-1] = f"{merged[-1]}{joint}{part}"
            elif not merged or (len(content_stems(merged[-1])) >= MIN_UNIT_STEMS and not _only_names(merged[-1])):
                merged.append(part)
            else:
                merged[-1] = f"{merged[-1]}{joint}{part}"
        units += [(sentence_index, p_index, m) for m in merged if content_stems(m) and not is_page_note(m)]
    return units


# the lower-case words a page's own note may hold: a video's "(Published Wednesday, Dec. 14, 2016)", "(NBC4)",
# "Katherine Creag reports." under a station's video
_NOTE_WORDS = frozenset("published updated posted reports has the story of for by via and".split())
_NOTE = re.compile(r"^\([^()]{1,60}\)\.?$|^(?:[\w.’'-]+\s){1,4}reports\.?$")


def is_page_note(unit: str) -> bool:
    """A page's note on itself, not a fact: a bracketed date or credit, or a video's reporter ("Katherine Creag
    reports."); a bracketed sentence ("(The ferry was late.)") is a fact."""
    found = _NOTE.match(unit.strip())
    return bool(found) and all(word in _NOTE_WORDS for word in LOWER_WORD.findall(unit))


_SPEECH = r"(?:" + "|".join(SPEECH_VERBS) + r")"
_LEADING_ATTRIBUTION = re.compile(
    rf"^(?:according to [^,]{{2,80}},\s*|(?:[\w.'’-]+\s+){{1,7}}?(?P<verb>{_SPEECH})"
    rf"(?:\s+(?:on|in|at|late|early|this|last)\s+[\w-]+(?:\s+[\w-]+)?)?(?:\s+that)?\s+)",
    re.I,
)
_TRAILING_ATTRIBUTION = re.compile(
    rf",?\s+(?:according to [^,]{{2,80}}|(?:[\w.'’-]+\s+){{1,6}}(?P<verb>{_SPEECH})(?:\s+[\w.'’-]+){{0,3}})\s*\.?$",
    re.I,
)
# after a closing quote, who said it however long their title ("“…,” Tom Ilse, the acting mayor, told reporters")
_QUOTE_ATTRIBUTION = re.compile(
    rf"(?<=[”\"])\s*[^“”\"]{{1,160}}?\b(?P<verb>{_SPEECH})(?:\s+[\w.'’-]+){{0,3}}\s*\.?$", re.I
)


# what both patterns need somewhere in a unit: "according to" or a speech verb (a verb that contains
# another, "says" and "say", is left out: the shorter finds both); matched as the patterns do (re.I)
_ATTRIBUTION_CUES = ("according to", *(v for v in SPEECH_VERBS if not any(o != v and o in v for o in SPEECH_VERBS)))
_ANY_CUE = re.compile("|".join(re.escape(cue) for cue in _ATTRIBUTION_CUES))  # one scan, not one per cue
FACT_TEXT_CACHE = 16384  # texts: a story's units, then its claims' labels (mostly the same texts)


@functools.lru_cache(maxsize=FACT_TEXT_CACHE)
def fact_text(unit: str) -> str:
    """A unit without who said it ("Fire chief Ines Varga said that …", "…, the city said"): two facts
    from one source must not look alike because they share the source's name."""
    folded = unit.casefold().replace("ı", "i").replace("\u0307", "")  # re.I also takes ı and İ for i
    if not _ANY_CUE.search(folded):  # cheaper than the patterns tried at every space
        return unit
    stripped = _without_attribution(_LEADING_ATTRIBUTION, unit)
    stripped = _without_attribution(_QUOTE_ATTRIBUTION, stripped)
    stripped = _without_attribution(_TRAILING_ATTRIBUTION, stripped)
    return stripped if len(content_stems(stripped)) >= MIN_UNIT_STEMS else unit


# a word before a speech verb that makes it a noun: "the mayor's comments in a press conference", "the reports"
_NOUN_BEFORE = frozenset("the a an his her its their our my your this that these those such news media press".split())
# speech verbs that are the fact's own action when a noun phrase follows ("Trump declared a national emergency",
# "the firm reported a loss"): cut there, the fact would lose its verb and its actor
_DEED_VERBS = frozenset(
    "declared declares announced announces reported reports confirmed confirms acknowledged acknowledges admitted "
    "admits described describes predicted predicts posted continued continues recalled recalls".split()
)
_OBJECT_START = frozenset("a an the his her its their our no new".split())


def _without_attribution(pattern: re.Pattern, text: str) -> str:
    """``text`` with the attribution ``pattern`` finds cut out, unless its speech verb is a noun there (after
    an article or a possessive: "Councillor Brenner backed the mayor's comments in a press conference")."""
    found = pattern.search(text)
    if found is None:
        return text
    if found.group("verb"):
        before = text[: found.start("verb")].split()
        word = before[-1].lower().replace("’", "'") if before else ""
        if word in _NOUN_BEFORE or word.endswith("'s") or word.endswith("s'"):
            return text
        after = text[found.end() :].split(maxsplit=1)
        that = found.group(0).rstrip().lower().endswith(" that")
        if found.group("verb").lower() in _DEED_VERBS and not that and after and after[0].lower() in _OBJECT_START:
            return text
    return text[: found.start()] + text[found.end() :]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_DOUBLED = re.compile(r"([bdgklmnprt])\1$")


WORD_STEM_CACHE = 65536  # words: a run's vocabulary is stemmed once, not at every unit, index and claim


# a month and its abbreviation are one word ("February 28" and "Feb. 28"): each month word as its three letters
_MONTH_ABBREVIATION = {number: word for word, number in MONTHS.items() if len(word) == 3}
_MONTHS = {word: _MONTH_ABBREVIATION[number] for word, number in MONTHS.items()}


@functools.lru_cache(maxsize=WORD_STEM_CACHE)
def word_stem(word: str) -> str:
    """A word without its inflection, lower case: "grabbed", "grabs" and "grab" are "grab"; "studies" is
    "study" (a few suffix rules: reports of one fact inflect its verbs apart); a month is its three letters
    ("February" and "Feb." are "feb")."""
    word = word.lower().replace("’", "'")
    word = word[:-2] if word.endswith("'s") else word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            break
    word = _DOUBLED.sub(r"\1", word)
    return _MONTHS.get(word, word)  # "marched" is "march" is "mar", as "March" is


def word_stems(text: str) -> list[str]:
    """The content words of a text (three letters or more, no stop words, no bare numbers), each as its
    :func:`word_stem`, in order."""
    return list(_text_stems(text))


WORD_STEMS_CACHE = 32768  # texts: a story's units and sentences are stemmed for its key points, again for its claims


@functools.lru_cache(maxsize=WORD_STEMS_CACHE)
def _text_stems(text: str) -> tuple[str, ...]:
    from presslens.text import SCRIPT_TOKEN, STOPWORDS

    tokens = SCRIPT_TOKEN.findall(text)
    return tuple(word_stem(w) for w in tokens if len(w) >= 3 and not w.isdigit() and w.lower() not in STOPWORDS)


def features(text: str) -> list[str]:
    """Prefix stems and adjacent stem bigrams of a unit, and its numbers ("2,300", "5.6"): the figures
    of a fact are part of it, and two reports of it usually give the same ones."""
    from presslens.text import STEM_LEN

    stems = [stem[:STEM_LEN] for stem in word_stems(text)]
    numbers = [f"#{n.replace(',', '')}" for n in _NUMBER.findall(text) if len(n) > 1]
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)] + numbers


_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
_AMOUNT = re.compile(
    r"(?P<dollar>\$\s?)?(?P<value>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m|k)\b)?"
    r"(?:\s*(?P<percent>%|percent\b|per cent\b)|\s+(?P<dollars>dollars\b))?",
    re.I,
)
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_MONTH_DAY = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
)
_QUOTED = re.compile(r"[“\"]([^”\"]{3,400})[”\"]")
NUMBER_TOLERANCE = 0.05  # two amounts within 5% of the larger are one figure rounded ($1.375 billion ~ $1.4 billion)
QUOTE_OVERLAP = 0.5  # two quotes are the same words when half the shorter one's content words are in the other
SAME_QUOTE_WORDS = 4  # quoted words that agree verbatim over a run holding this many content words are one statement
MAX_QUOTED_WORDS = 120  # words read from a unit's quotations for the verbatim comparison


@dataclass(frozen=True)
class FactSignature:
    """What distinguishes one fact from another of its topic: its figures by kind (money, percent, other
    numbers), quoted words, the weekdays and dates it names, and who said it (surnames)."""

    amounts: tuple[tuple[str, float], ...] = ()
    quoted: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    speakers: frozenset[str] = frozenset()
    quotations: tuple[tuple[str, ...], ...] = ()  # each quotation's words in order, lower case (not in __bool__)

    def __bool__(self) -> bool:
        return bool(self.amounts or self.quoted or self.weekdays or self.dates or self.speakers)


def fact_signature(text: str, speakers: frozenset[str] = frozenset()) -> FactSignature:
    """The distinguishing features of a unit (see :class:`FactSignature`); years alone are no figure."""
    amounts = []
    for m in _AMOUNT.finditer(text):
        raw = m.group("value").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        scale = (m.group("scale") or "").lower()
        if scale == "m" and not m.group("dollar"):  # "5 m" is metres more often than millions
            scale = ""
        value *= _SCALE.get(scale, 1.0)
        if m.group("percent"):
            kind = "percent"
        elif m.group("dollar") or m.group("dollars"):
            kind = "money"
        elif not scale and "." not in raw and 1900 <= value <= 2100:
            continue  # a year: the day features carry dates
        elif not scale and value < 10 and "." not in raw:
            continue  # small counts ("2 of the 3") are too common to tell facts apart
        else:
            kind = "number"
        amounts.append((kind, value))
    quoted = frozenset(stem for q in _QUOTED.findall(text) for stem in content_stems(q))
    return FactSignature(
        tuple(amounts),
        quoted if len(quoted) >= 2 else frozenset(),
        frozenset(d.lower() for d in _WEEKDAY.findall(text)),
        frozenset(f"{m[:3].lower()} {int(d)}" for m, d in _MONTH_DAY.findall(text)),
        speakers,
        quotation_words(text),
    )


def quotation_words(text: str) -> tuple[tuple[str, ...], ...]:
    """The words of each quotation in a unit, in order and lower case. A quote the unit opens and does not close
    runs to the unit's end, one it closes without opening runs from its start (a quotation over two sentences);
    a straight quote mark opens after a space or the start, and closes otherwise."""
    spans, start = [], None
    for m in re.finditer(r"[“”\"]", text):
        mark, at = m.group(), m.start()
        opens = mark == "“" or (mark == '"' and (at == 0 or text[at - 1] in " \t\n([—–-"))
        if opens and start is None:
            start = m.end()
        elif not opens:
            spans.append((0 if start is None else start, at))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    out = []
    for first, last in spans:
        words = tuple(w.lower().replace("’", "'") for w in LOOSE_WORD.findall(text[first:last]))[:MAX_QUOTED_WORDS]
        if words:
            out.append(words)
    return tuple(out)


def _content_word(word: str) -> bool:
    return bool(content_stems(word))


def same_statement(a: FactSignature, b: FactSignature) -> bool:
    """Whether two units quote one statement: some quotation of each agrees with one of the other word for word
    over a run holding SAME_QUOTE_WORDS content words or more. Who each outlet's speaker finder credits with
    it does not matter then; a shared short phrase ("a member of Congress") is no such run."""
    for mine in a.quotations:
        for theirs in b.quotations:
            run = [0] * (len(theirs) + 1)  # content words of the common run ending at each word of theirs
            for word in mine:
                content, previous = _content_word(word), run[:]
                for j, other in enumerate(theirs):
                    run[j + 1] = previous[j] + content if word == other else 0
                    if run[j + 1] >= SAME_QUOTE_WORDS:
                        return True
    return False


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= NUMBER_TOLERANCE * max(abs(a), abs(b))


def compatible(a: FactSignature, b: FactSignature) -> bool:
    """Whether two units can state one fact: where both give figures of a kind, one pair agrees (rounding
    tolerated); where both quote, they quote the same words; where both name who said it, or a day, it is
    the same one — unless both quote one statement word for word (:func:`same_statement`), which is one fact
    whoever each outlet credits with it."""
    for kind in {k for k, _v in a.amounts} & {k for k, _v in b.amounts}:
        mine = [v for k, v in a.amounts if k == kind]
        theirs = [v for k, v in b.amounts if k == kind]
        if not any(_close(x, y) for x in mine for y in theirs):
            return False
    if a.quoted and b.quoted and len(a.quoted & b.quoted) < QUOTE_OVERLAP * min(len(a.quoted), len(b.quoted)):
        return False
    if a.speakers and b.speakers and not a.speakers & b.speakers and not same_statement(a, b):
        return False  # the same short words in two people's mouths are two facts; a long verbatim quote is one
    if a.weekdays and b.weekdays and not a.weekdays & b.weekdays:
        return False
    return not (a.dates and b.dates and not a.dates & b.dates)


def states_quote(stems: frozenset[str], quoted: FactSignature) -> bool:
    """Whether a unit with these content stems holds the words a quoting unit quotes (half of them, two at least);
    a unit that quotes nothing is stated by any."""
    shared = len(stems & quoted.quoted)
    return not quoted.quoted or (shared >= QUOTE_OVERLAP * len(quoted.quoted) and shared >= min(2, len(quoted.quoted)))


def states_figures(member: FactSignature, other: FactSignature) -> bool:
    """Whether a unit gives one of the figures of a unit that has figures (rounding tolerated): a sentence
    without the point's number does not state the point."""
    if not member.amounts:
        return True
    return any(k == j and _close(x, y) for k, x in member.amounts for j, y in other.amounts)


def surname(name: str) -> str:
    """The last word of a person's name, lower case: "Donald J. Trump" and "Mr. Trump" meet on "trump"."""
    words = [w for w in LOOSE_WORD.findall(name) if w not in {"Jr", "Sr", "II", "III"}]
    return words[-1].lower().strip("’'") if words else ""


def sentence_speakers(text: str) -> dict[int, tuple[str, ...]]:
    """Sentence index -> the names of the people or organisations it quotes or attributes words to, as the
    sourcing step reads them (presslens.metrics.sourcing; "he" and "the governor" resolved to the name before)."""
    from presslens.metrics.sourcing import analyse_sourcing
    from presslens.text import paragraph_sentences

    paragraphs = paragraph_sentences(text)
    sentences = [s for paragraph in paragraphs for s in paragraph]
    paragraph_of = [p for p, paragraph in enumerate(paragraphs) for _s in paragraph]
    sourcing = analyse_sourcing(sentences, None, paragraph_of)
    return named_speakers([(q.sentence, q.speaker) for q in sourcing.quotes], sourcing.sentence_speakers)


def recorded_speakers(quotes: list[dict], speakers: dict[str, str]) -> dict[int, tuple[str, ...]]:
    """:func:`sentence_speakers` from what the page's sourcing step stored in its record (its quotes, and
    its ``speakers``: sentence index -> who the sentence attributes words to), without reading the text again."""
    return named_speakers(
        [(int(q["sentence"]), q.get("speaker")) for q in quotes], {int(i): s for i, s in speakers.items()}
    )


def named_speakers(quoted: list[tuple[int, str | None]], attributed: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """Sentence index -> the names among the speakers of its quotes (``quoted``: (sentence, speaker), in order)
    and the speaker its words are attributed to (``attributed``)."""
    found: dict[int, list[str]] = {}
    named = [(index, speaker) for index, speaker in quoted if speaker]
    for index, speaker in [*named, *attributed.items()]:
        # a person or organisation's name, not "the lawmaker"
        if surname(speaker) and speaker.split()[-1][:1].isupper() and speaker not in found.get(index, []):
            found.setdefault(index, []).append(speaker)
    return {index: tuple(names) for index, names in found.items()}


_PRONOUN_SPEAKS = re.compile(rf"\b(?:he|she)\s+(?={_SPEECH}\b)", re.I)


def _outside_quotes(text: str) -> list[bool]:
    """Per character: whether it lies outside quoted words. A quote mark after a space (or first) opens, one after
    a word or punctuation closes: a unit may start inside a quote its sentence opened ('… president," he said')."""
    outside, inside, opened = [], False, False
    for k, char in enumerate(text):
        if char in '“”"':
            inside = char == "“" or (char == '"' and (k == 0 or text[k - 1].isspace()))
            if not inside and not opened:  # a close before any open: everything so far was quoted
                outside = [False] * k
            opened = True
        outside.append(not inside)
    return outside


def named_label(text: str, speaker: str) -> str:
    """A unit as a label that names who speaks: '“…,” she said' reads '“…,” Kelly Townsend said' and 'He added: …'
    'Bob Etheridge added: …' when the sourcing step knows the speaker and the unit does not name them; a pronoun
    inside the quoted words is theirs, not the speaker's, and stays. A unit that is all quoted words gets the name
    after a dash ('I wish I did not have to do it." — Donald Trump')."""
    last = surname(speaker)
    if not last or re.search(rf"\b{re.escape(last)}\b", text, re.I):
        return text
    outside = _outside_quotes(text)
    for match in _PRONOUN_SPEAKS.finditer(text):
        if outside[match.start()]:
            return f"{text[: match.start()]}{speaker} {text[match.end() :]}"
    if not any(char.isalnum() for char, out in zip(text, outside, strict=True) if out):
        return f"{text} — {speaker}"
    return text


def similarity_backend(name: str | None = None) -> str:
    """The key-point similarity backend ``name`` checked (None: lexical); a run's choice comes resolved
    (:func:`presslens.settings.resolve_settings`)."""
    chosen = (name or "lexical").strip().lower()
    if chosen not in BACKENDS:
        raise ValueError(f"unknown key-point similarity backend {chosen!r}: choose one of {', '.join(BACKENDS)}")
    return chosen


def tfidf_vectors(docs: list[list[str]]) -> tuple[sp.csr_matrix, np.ndarray, dict[str, int]]:
    """TF-IDF vectors of texts already cut into their :func:`features`: sublinear tf, smoothed idf, rows of unit
    length; and the idf and column of each feature (columns in sorted feature order). The numbers of
    scikit-learn's ``TfidfVectorizer(analyzer=..., sublinear_tf=True)`` to the last bit — its entries in the same
    order within each row — without its per-call checks, which cost a story's key points three times this."""
    from sklearn.preprocessing import normalize

    first_seen: dict[str, int] = {}  # feature -> column in order of first sight (the vectorizer's counting order)
    columns: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for doc in docs:
        counter = Counter(doc)  # each feature once, in order of first sight in the text
        columns.extend(first_seen.setdefault(feature, len(first_seen)) for feature in counter)
        counts.extend(counter.values())
        indptr.append(len(columns))
    matrix = sp.csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(columns, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
        shape=(len(docs), len(first_seen)),
    )
    matrix.sort_indices()  # by column of first sight, as counted; renumbered below without sorting again
    vocabulary = {feature: column for column, feature in enumerate(sorted(first_seen))}
    renumber = np.empty(len(first_seen), dtype=np.int32)
    for feature, column in first_seen.items():
        renumber[column] = vocabulary[feature]
    matrix.indices = renumber.take(matrix.indices, mode="clip")
    df = np.bincount(matrix.indices, minlength=len(vocabulary)).astype(np.float64) + 1.0
    idf = np.full_like(df, fill_value=len(docs) + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    return normalize(matrix, norm="l2", copy=False), idf, vocabulary


class LexicalIndex:
    """TF-IDF vectors (sublinear tf, smoothed idf) of texts over :func:`features`, and their containment.

    Similarity of two texts is the cosine of their vectors, raised to CONTAINMENT_WEIGHT × the
    idf-weighted share of the shorter text's features found in the other (a short unit whose
    words all sit in a longer one).
    """

    def __init__(self, texts: list[str] | None = None, analysed: list[list[str]] | None = None):
        """``analysed``: the texts' :func:`features`, when the caller has them already (one story's
        units are indexed twice: computing their features once saves the second pass)."""
        docs = analysed if analysed is not None else [features(t) for t in texts or []]
        self.n = len(docs)
        if docs:
            self.vectors, idf, vocabulary = tfidf_vectors(docs)
        else:
            self.vectors, idf, vocabulary = sp.csr_matrix((0, 0)), np.zeros(0), {}
        self.presence = (self.vectors > 0).astype(np.float64).tocsr()
        if docs and UNIGRAM_CONTAINMENT:  # containment over words: bigrams would count a paraphrase twice apart
            words = np.zeros(len(idf))
            for feature, column in vocabulary.items():
                words[column] = "_" not in feature
            idf = idf * words
        self.weights = self.presence.multiply(idf).tocsr()
        self.own = np.asarray(self.weights.sum(axis=1)).ravel()
        words = np.zeros(len(idf))
        for feature, column in vocabulary.items():
            words[column] = "_" not in feature and not feature.startswith("#")
        # how far a unit's containment in another counts: "It's not about Mr. Obama" is contained in every
        # sentence naming Obama, and says none of their facts
        n_words = np.asarray((self.presence @ words) if docs else np.zeros(0)).ravel()
        self.contain_scale = np.minimum(1.0, n_words / CONTAINMENT_WORDS)
        df = np.asarray(self.presence.sum(axis=0)).ravel()
        self.retrieval = self.presence @ sp.diags((df <= MAX_POSTINGS).astype(np.float64)) if docs else self.presence
        self.retrieval = sp.csr_matrix(self.retrieval)

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Similarity of the pairs (i[k], j[k]), 0–1."""
        if not len(i):
            return np.zeros(0)
        cosine = np.asarray(self.vectors[i].multiply(self.vectors[j]).sum(axis=1)).ravel()
        shared_ij = np.asarray(self.weights[i].multiply(self.presence[j]).sum(axis=1)).ravel()
        shared_ji = np.asarray(self.weights[j].multiply(self.presence[i]).sum(axis=1)).ravel()
        contain = np.maximum(
            self.contain_scale[i] * shared_ij / np.maximum(self.own[i], 1e-9),
            self.contain_scale[j] * shared_ji / np.maximum(self.own[j], 1e-9),
        )
        return np.clip(np.maximum(cosine, CONTAINMENT_WEIGHT * contain), 0.0, 1.0)

    def candidate_pairs(self, rows, among=None):
        """(rows, partners, rows capped) per chunk: the texts sharing a retrievable feature with each row."""
        return shared_term_candidates(self.retrieval, rows, among, MAX_CANDIDATES)


def similarity_matrix(texts: list[str]) -> np.ndarray:
    """Dense pairwise similarity of a few texts (benchmarks and tests; stories use the sparse graph)."""
    index = LexicalIndex(texts)
    i, j = np.triu_indices(len(texts), k=1)
    sim = np.eye(len(texts))
    sim[i, j] = sim[j, i] = index.similarity(i, j)
    return sim


@dataclass
class UnitGraph:
    """Similarities between the units of different outlets, sparse: {(i, j): similarity}, i < j."""

    edges: dict[tuple[int, int], float]
    capped: set[int] = field(default_factory=set)  # units with partners left out (too many candidates, or cut)


def _strongest_per_row(rows: np.ndarray, sims: np.ndarray, cover: float) -> np.ndarray:
    """Mask of each row's MAX_NEIGHBOURS strongest partners, and up to COVER_NEIGHBOURS at cover level."""
    order = np.lexsort((-sims, rows))  # by row, strongest first
    ranked_rows = rows[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked_rows, ranked_rows, side="left")
    wanted = (rank < MAX_NEIGHBOURS) | ((sims[order] >= cover) & (rank < COVER_NEIGHBOURS))
    keep = np.zeros(len(rows), dtype=bool)
    keep[order[wanted]] = True
    return keep


def unit_graph(
    units: list[Unit],
    backend: str,
    cover: float,
    lexical: LexicalIndex | None = None,
    signatures: list[FactSignature] | None = None,
) -> UnitGraph:
    """The similarity graph of a story's units under ``backend``; units of one outlet are never linked.

    Up to EXACT_UNITS units every pair that can be similar is kept (lexical: every pair sharing a
    feature; semantic: every pair); beyond, each unit keeps its strongest partners (a pair stays
    when it is among the strongest of either unit), so memory and time grow with the number of
    units, not its square.
    """
    n = len(units)
    owners = np.array([u.outlet for u in units])
    graph = UnitGraph({})
    big = n > EXACT_UNITS
    if signatures is None:
        signatures = [fact_signature(u.text, u.speakers) for u in units]
    signed = np.array([bool(sig) for sig in signatures], dtype=bool) if n else np.zeros(0, dtype=bool)

    def add(rows: np.ndarray, partners: np.ndarray, sims: np.ndarray) -> None:
        linked = (owners[rows] != owners[partners]) & (sims > (SEMANTIC_FLOOR if big and semantic else 0))
        rows, partners, sims = rows[linked], partners[linked], sims[linked]
        both = np.nonzero(signed[rows] & signed[partners])[0]  # only units with figures, quotes, days or speakers
        if len(both):
            keep = np.ones(len(rows), dtype=bool)
            for k in both.tolist():
                first, second = signatures[rows[k]], signatures[partners[k]]
                keep[k] = compatible(first, second)
                if keep[k] and semantic and first.amounts and states_figures(first, second):
                    sims[k] = max(sims[k], cover)  # embeddings hardly see figures: one shared figure is evidence
            rows, partners, sims = rows[keep], partners[keep], sims[keep]
        if big:
            keep = _strongest_per_row(rows, sims, cover)
            graph.capped.update(np.unique(rows[~keep]).tolist())
            rows, partners, sims = rows[keep], partners[keep], sims[keep]
        low, high = np.minimum(rows, partners), np.maximum(rows, partners)
        graph.edges.update(zip(zip(low.tolist(), high.tolist(), strict=True), sims.tolist(), strict=True))

    semantic = backend == "semantic"
    if semantic and n:
        from presslens.compare.embeddings import encoder

        vectors = encoder().encode([fact_text(u.text) for u in units])
        for first in range(0, n, SEMANTIC_CHUNK):
            block = np.clip(vectors[first : first + SEMANTIC_CHUNK] @ vectors.T, 0.0, 1.0)
            rows, partners = np.nonzero(block > 0)
            keep = rows + first != partners
            add(rows[keep] + first, partners[keep], block[rows[keep], partners[keep]])
    elif n:
        index = lexical or LexicalIndex([fact_text(u.text) for u in units])
        for rows, partners, capped in index.candidate_pairs(range(n), among=range(n)):
            graph.capped.update(capped)
            add(rows, partners, index.similarity(rows, partners))
    return graph


_FRAGMENT_START = re.compile(r"^(?:and|or|but|nor|while|which|whereas|although|with|as|who|that)\b", re.I)
LABEL_WORDS = 6  # a label reads as a clause from this many words on


def readable(text: str) -> bool:
    """Whether a unit reads as a clause of its own (a label): it opens with a capital or a quote, not with a
    conjunction ("and Julián Castro"), and has LABEL_WORDS words or more."""
    stripped = text.lstrip("“\"‘'([ ")
    return (bool(stripped[:1]) and stripped[:1].isupper() and not _FRAGMENT_START.match(stripped)) and len(
        text.split()
    ) >= LABEL_WORDS


# a word that makes a clause tell what happened: a verb form ("was hurt", "said", "backed", "will vote")
_IRREGULAR_PAST = (
    "told drew spoke took gave made went came saw got won lost ran put set left held met sent began wrote brought "
    "thought found kept felt paid sold fought struck stood chose fell rose grew knew led hit cut let quit shot broke "
    "built spent bought caught meant became heard"
)
_ACTION_WORD = re.compile(
    r"\b(?:am|is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|should|did|does|do|"
    r"says|said|[a-z]{3,}ed|" + _IRREGULAR_PAST.replace(" ", "|") + r")\b"
    r"|\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]here|[Hh]ere|[Tt]hat|[Ww]hat|[Ww]ho)['’]s\b"  # "there's": is
)


def tells_action(text: str) -> bool:
    """Whether a unit tells what someone did or what happened (a verb form in lower case), not only whom it names:
    "Ada Brenner, a teacher, was hurt by a falling branch" rather than "Ada Brenner, a teacher from Fallow Creek",
    the list item of "The storm injured three people; Ada Brenner, …; …". A label prefers such a unit."""
    return bool(_ACTION_WORD.search(text))


_OPENING_CONJUNCTION = re.compile(r"^(?:and|but|or|so|yet)\s+(?=\S)", re.I)
_NOT_A_NAME = {"democrat", "republican", "independent", "spokesman", "spokeswoman", "official", "officials"}


def agreed_speaker(units: list[Unit], preferred: str) -> str:
    """Whom a point's label names: the speaker credited by the most outlets (``preferred``, the label unit's, when
    it is among them); no one when outlets credit different people equally often ("His conduct is unbecoming …" was
    Thompson's in NYT and, by a speaker-finder slip, Etheridge's in Fox's copy: the label named Etheridge)."""
    outlets_of: dict[str, set[str]] = {}
    name_of: dict[str, str] = {}
    for unit in units:
        if unit.speaker:
            outlets_of.setdefault(surname(unit.speaker), set()).add(unit.outlet)
            name_of.setdefault(surname(unit.speaker), unit.speaker)
    if not outlets_of:
        return preferred
    most = max(len(outlets) for outlets in outlets_of.values())
    leaders = [name for name, outlets in outlets_of.items() if len(outlets) == most]
    if len(leaders) > 1:
        return ""
    return preferred if surname(preferred) == leaders[0] else name_of[leaders[0]]


# an embedded post as a captured page runs it into one line: its text, a picture's link, its credit
# ("On scene at the shooting on Bourbon @wdsu pic.twitter.com/GzzlNoQkOR — megan k mackel (@nolacameragirl)
# November 27, 2016"); the credit's form is the cleaning's (clean.lines.EMBED_CREDIT)
_POST_CREDIT = re.compile(
    r"\s*[—–-]\s*[^—–()]{1,80}?\s*\((?P<handle>@[\w.]{1,30})\)\s*(?:on\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})\s*\.?$"
)
_PICTURE_LINK = re.compile(r"\s*\bpic\.twitter\.com/\w+")


def post_label(text: str) -> str | None:
    """An embedded post as a label says whose post it is and quotes it: 'A post by @nolacameragirl: “On scene at
    the shooting on Bourbon @wdsu”'; None when ``text`` is no post with its credit."""
    credit = _POST_CREDIT.search(text)
    if not credit:
        return None
    post = _PICTURE_LINK.sub("", text[: credit.start()]).strip(" “”\"")
    return f"A post by {credit.group('handle')}: “{post}”" if post else None


def quotable_label(unit: str, sentence: str, speaker: str = "") -> str:
    """A key point's label as a journalist can quote it: the unit when it reads as a clause of its own and tells
    what happened, who said it aside (or its sentence does not either), else its whole sentence ("former
    Representative John Delaney, and Julián Castro" reads as the sentence that names what they did); no opening
    "And"/"But"; a quote cut at a sentence end closed or opened so its marks pair; the speaker named
    (:func:`named_label`) when the sourcing step knows a person's name; an embedded post as whose post it is
    (:func:`post_label`)."""
    post = post_label(unit) or post_label(sentence)
    if post:
        return post
    own = readable(unit) and (tells_action(fact_text(unit)) or not tells_action(sentence))
    text = unit if own or not sentence.strip() else sentence.strip().lstrip(BULLETS + " ").rstrip(" ,;")
    dateline = _DATELINE.match(text)
    if dateline and readable(text[dateline.end() :]):
        text = text[dateline.end() :]
    opened = _OPENING_CONJUNCTION.match(text)
    if opened and len(text.split()) > LABEL_WORDS:
        text = text[opened.end() :]
        text = text[:1].upper() + text[1:]
    if '"' in text or "“" in text or "”" in text:
        outside = _outside_quotes(text)
        opening, closing = ('"', '"') if '"' in text else ("“", "”")  # the page's own quote marks
        if not outside[0] and text[:1] not in '“"':  # a quote closed that opened in an earlier sentence
            text = opening + text
        elif not outside[-1]:  # a quote opened and not closed in this sentence
            text = text.rstrip() + closing
    name_words = speaker.split()
    if name_words and name_words[-1].lower() in _NOT_A_NAME:  # "New York Democrat" describes, it does not name
        speaker = ""
    return named_label(text, speaker)


@dataclass
class KeyPointAnalysis:
    """A story's key points, which article headlines report which, and what was bounded."""

    points: list[KeyPoint]
    headline_points: dict[str, set[str]] = field(default_factory=dict)  # article id -> key point ids
    units: int = 0
    truncated_articles: int = 0  # articles with more than MAX_UNITS_PER_ARTICLE units (the rest unused)
    capped_units: int = 0  # units compared with only their strongest partners (big stories)


def key_point_analysis(
    articles: list[tuple[str, str, str]],
    headlines: dict[str, str] | None = None,
    threshold: float | None = None,
    cover_threshold: float | None = None,
    backend: str | None = None,
    speakers: dict[str, dict[int, tuple[str, ...]]] | None = None,
) -> KeyPointAnalysis:
    """Key points of one story from its articles [(article_id, outlet, text)] and their ``headlines``.

    Thresholds default to the backend's own (:data:`BACKENDS`); the backend to :func:`similarity_backend`.
    Headlines are matched lexically whatever the backend (they are short and worded apart from the body).
    ``speakers``: article id -> its :func:`sentence_speakers` where the records hold them (the rest are read).
    """
    speakers = speakers or {}
    backend = similarity_backend(backend)
    default_threshold, default_cover = BACKENDS[backend]
    threshold = default_threshold if threshold is None else threshold
    cover_threshold = default_cover if cover_threshold is None else cover_threshold
    headlines = {a: h for a, h in (headlines or {}).items() if h and h.strip()}
    units: list[Unit] = []
    sentence_text: dict[tuple[str, int], str] = {}  # (article id, sentence index) -> the sentence, for labels
    truncated = 0
    for article_id, outlet, text in articles:
        sentences = article_sentences(text)
        parts = split_units(text, sentences)
        if parts:
            sentence_text.update(((article_id, k), sentence) for k, (_p, sentence) in enumerate(sentences))
        truncated += len(parts) > MAX_UNITS_PER_ARTICLE
        parts = parts[:MAX_UNITS_PER_ARTICLE]
        n_sentences = max((s for s, _p, _t in parts), default=0) + 1
        said = (speakers[article_id] if article_id in speakers else sentence_speakers(text)) if parts else {}
        units += [
            Unit(
                outlet,
                article_id,
                k,
                s,
                p,
                round(s / n_sentences, 4),
                t,
                frozenset(surname(name) for name in said.get(s, ())),
                next(iter(said.get(s, ())), ""),
            )
            for k, (s, p, t) in enumerate(parts)
        ]
    analysis = KeyPointAnalysis([], units=len(units), truncated_articles=truncated)
    if not units:
        return analysis
    unit_features = [features(fact_text(u.text)) for u in units]  # once: the graph and sentence_nearest use them
    lexical = LexicalIndex(analysed=unit_features + [features(h) for h in headlines.values()])
    signatures = [fact_signature(u.text, u.speakers) for u in units]
    graph = unit_graph(units, backend, cover_threshold, lexical, signatures)
    analysis.capped_units = len(graph.capped)
    groups = average_linkage(range(len(units)), graph.edges, threshold)
    group_of = {i: g for g, group in enumerate(groups) for i in group}
    stems = [content_stems(u.text) for u in units]
    in_sentence: dict[tuple[str, int], list] = {}  # the figures of each sentence: a clause may carry them for it
    for u, sig in zip(units, signatures, strict=True):
        in_sentence.setdefault((u.article_id, u.sentence), []).extend(sig.amounts)
    sentence_figures = [FactSignature(tuple(in_sentence[(u.article_id, u.sentence)])) for u in units]
    centrality = np.zeros(len(units))
    covering: dict[int, dict[int, float]] = {}  # group -> units outside it at cover level -> best similarity
    closest: dict[int, dict[str, float]] = {}  # group -> outlet -> its most similar unit outside the group
    for (i, j), s in graph.edges.items():
        if group_of[i] == group_of[j]:
            centrality[i] += s
            centrality[j] += s
            continue
        for unit, member, group in ((i, j, group_of[j]), (j, i, group_of[i])):
            if states_figures(signatures[member], sentence_figures[unit]):
                near = closest.setdefault(group, {})
                near[units[unit].outlet] = max(near.get(units[unit].outlet, 0.0), s)
        if s >= cover_threshold:
            for unit, member, group in ((i, j, group_of[j]), (j, i, group_of[i])):
                if len(stems[unit]) < MIN_UNIT_STEMS:
                    continue  # "Here's what we know:", "What happened?": a heading shares a word with many facts
                if not states_quote(stems[unit], signatures[member]) or not states_figures(
                    signatures[member], sentence_figures[unit]
                ):
                    continue  # a sentence that shares the topic but not the quoted words is no evidence of the quote
                strongest = covering.setdefault(group, {})
                strongest[unit] = max(strongest.get(unit, 0.0), s)
    key_points = []
    for g, group in enumerate(groups):
        label_index = max(
            group, key=lambda i: (readable(units[i].text), tells_action(units[i].text), round(centrality[i], 9), -i)
        )
        label_unit = units[label_index]
        speaker = agreed_speaker([units[i] for i in group], label_unit.speaker)
        label = quotable_label(
            label_unit.text, sentence_text.get((label_unit.article_id, label_unit.sentence), ""), speaker
        )
        kp = KeyPoint(id="", label=label, units=[units[i] for i in group])  # numbered below
        kp.clause = named_label(label_unit.text, speaker)
        strength = {**covering.get(g, {}), **dict.fromkeys(group, 1.0)}
        for i in sorted(strength):
            unit = units[i]
            kp.covered_by[unit.outlet] = min(kp.covered_by.get(unit.outlet, 1.0), unit.position)
            kp.sentences.setdefault(unit.outlet, [])
            if unit.sentence not in kp.sentences[unit.outlet]:
                kp.sentences[unit.outlet].append(unit.sentence)
            cited = kp.evidence.setdefault(unit.article_id, {})
            cited[unit.sentence] = max(cited.get(unit.sentence, 0.0), strength[i])
        key_points.append(kp)
    covered = [set(kp.covered_by) for kp in key_points]
    for g, near in sentence_nearest(units, groups, signatures, unit_features, covered).items():
        for outlet, value in near.items():
            closest.setdefault(g, {})[outlet] = max(closest.get(g, {}).get(outlet, 0.0), value)
    for g, kp in enumerate(key_points):
        kp.nearest = {o: round(v, 4) for o, v in closest.get(g, {}).items() if o not in kp.covered_by}
    key_points.sort(key=lambda k: (-len(k.covered_by), min(k.covered_by.values())))
    for number, kp in enumerate(key_points, start=1):
        kp.id = f"kp{number:03d}"
    analysis.points = key_points
    analysis.headline_points = headline_points(lexical, units, key_points, headlines)
    return analysis


def sentence_nearest(
    units: list[Unit],
    groups: list[list[int]],
    signatures: list[FactSignature],
    unit_features: list[list[str]] | None = None,
    covered: list[set[str]] | None = None,
) -> dict[int, dict[str, float]]:
    """group -> outlet -> the lexical similarity of the outlet's closest whole sentence to a unit of the group
    that could state the same fact: a fact one outlet tells in one clause another may tell over two.
    ``unit_features``: each unit's :func:`features` of its :func:`fact_text`, when the caller has them;
    ``covered``: each group's outlets that report it (their nearness is never shown: skipped)."""
    keys: dict[tuple[str, int], list[int]] = {}
    for i, unit in enumerate(units):
        keys.setdefault((unit.article_id, unit.sentence), []).append(i)
    sentences = list(keys.values())
    if len(sentences) > EXACT_UNITS:  # big stories: the unit graph's own similarities suffice
        return {}
    n = len(units)
    group_of = np.zeros(n, dtype=np.int64)
    for g, group in enumerate(groups):
        group_of[group] = g
    outlets = sorted({u.outlet for u in units})
    outlet_index = {o: k for k, o in enumerate(outlets)}
    unit_outlet = np.array([outlet_index[u.outlet] for u in units], dtype=np.int64)
    skip = np.zeros((len(groups), len(outlets)), dtype=bool)
    for g, reporting in enumerate(covered or []):
        skip[g, [outlet_index[o] for o in reporting if o in outlet_index]] = True
    # only a unit whose group some other outlet leaves out has a nearness to find (a row's partners do not
    # depend on the other rows); none: the index is not built
    open_to = ~skip[group_of]
    open_to[np.arange(n), unit_outlet] = False
    asking = np.flatnonzero(open_to.any(axis=1))
    if not len(asking):
        return {}
    if unit_features is None:
        unit_features = [features(fact_text(u.text)) for u in units]
    texts = unit_features + [features(" ".join(units[i].text for i in members)) for members in sentences]
    index = LexicalIndex(analysed=texts)
    # a row per unit, then per sentence: whose it is; a group's own outlets and the unit's outlet are skipped
    owner = np.concatenate([unit_outlet, unit_outlet[[members[0] for members in sentences]]])
    out: dict[int, dict[str, float]] = {}
    for rows, partners, _capped in index.candidate_pairs(asking, among=range(n, len(texts))):
        wanted = (owner[rows] != owner[partners]) & ~skip[group_of[rows], owner[partners]]
        rows, partners = rows[wanted], partners[wanted]
        sims = index.similarity(rows, partners)
        for i, j, sim in zip(rows.tolist(), partners.tolist(), sims.tolist(), strict=True):
            members = sentences[j - n]
            outlet = units[members[0]].outlet
            if not any(
                compatible(signatures[i], signatures[m]) and states_figures(signatures[i], signatures[m])
                for m in members
            ):
                continue
            near = out.setdefault(int(group_of[i]), {})
            near[outlet] = max(near.get(outlet, 0.0), sim)
    return out


def headline_points(
    lexical: LexicalIndex, units: list[Unit], key_points: list[KeyPoint], headlines: dict[str, str]
) -> dict[str, set[str]]:
    """Key points each article's headline reports: units at least HEADLINE_SIMILARITY similar to it,
    and within HEADLINE_NEAR_BEST of its closest unit (``lexical`` indexes the units, then the headlines)."""
    kp_of = {}
    for kp in key_points:
        for unit in kp.units:
            kp_of[(unit.article_id, unit.order)] = kp.id
    out: dict[str, set[str]] = {a: set() for a in headlines}
    n = len(units)
    rows = list(range(n, n + len(headlines)))
    found = [np.stack([u, h], axis=1) for h, u, _capped in lexical.candidate_pairs(rows, among=range(n))]
    if not found:
        return out
    pairs = np.concatenate(found)  # (unit, headline row)
    sims = lexical.similarity(pairs[:, 1], pairs[:, 0])
    best = np.zeros(len(headlines))
    np.maximum.at(best, pairs[:, 1] - n, sims)
    bar = np.maximum(HEADLINE_SIMILARITY, HEADLINE_NEAR_BEST * best)
    article_ids = list(headlines)
    for (unit_index, row), s in zip(pairs.tolist(), sims.tolist(), strict=True):
        if s >= bar[row - n]:
            unit = units[unit_index]
            out[article_ids[row - n]].add(kp_of[(unit.article_id, unit.order)])
    return out


def story_key_points(
    articles: list[tuple[str, str, str]],
    threshold: float | None = None,
    cover_threshold: float | None = None,
    backend: str | None = None,
) -> list[KeyPoint]:
    """Key points of one story from its articles [(article_id, outlet, text)], in story order."""
    return key_point_analysis(articles, None, threshold, cover_threshold, backend).points
