"""What a story's report claims about its facts: "every outlet reports", "only X reports", blindspots.

Each claim is one key point with the sentence every covering outlet reports it with (the first,
strongest evidence its coverage row cites). Coverage needs evidence: an outlet whose coverage row
cites no sentence does not count as reporting the point, and a claim is made only when each reporting
outlet's sentence holds the point's distinguishing words (its content words weighted by rarity in the
story), and one of its words in lower case: a sentence sharing only whom the fact names is no evidence.
No "only X" or "left out" claim is made about an outlet that may say it in other words: its
articles hold most of those words, or some of them and its closest sentence is UNSURE-similar. An
outlet that published before the point happened is "published before", not "left out".
A sentence shown under "every outlet reports" (or a blindspot) is never shown again under "only X":
an "only X" claim shows the clause of it that is X's alone, and one that restates another of X's is not listed
twice. Claims are ranked by importance (how
high the covering outlets put it, headline, how many outlets, numbers and quotes) so the report
can show the first few of each list and say how many more the tables hold.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from presslens.compare.keypoints import (
    LOWER_WORD,
    compatible,
    fact_signature,
    fact_text,
    quotable_label,
    quotation_words,
    readable,
    word_stems,
)
from presslens.compare.tables import column_values
from presslens.text import STOPWORDS

UNSURE = 0.1  # an outlet whose closest sentence is this similar to a point it does not cover may report it
# in other words: no "only X" or "left out" claim is made about it (chosen on BASIL 2010-2011, docs/benchmarks.md)
UNSURE_BY_BACKEND = {"lexical": UNSURE, "semantic": 0.5}  # embedding cosines run higher (BASIL 2010-2011)
# A point's distinguishing words (its content words, each weighted by how rare it is among the story's sentences)
# found anywhere in an outlet's articles: under DISTINCT_ABSENT of their weight the outlet is taken not to report
# the point however close its nearest sentence comes (the point's own names, figures and verbs are missing); at
# DISTINCT_PRESENT or more it may report it in words and sentences of its own: no claim (BASIL 2010-2011).
DISTINCT_ABSENT = 0.4
DISTINCT_PRESENT = 0.6
# the sentence shown for each reporting outlet must hold this share of the point's distinguishing words: a sentence
# that shares only the topic is no evidence of the fact, and the claim is not made (BASIL 2010-2011)
EVIDENCE_SHARE = 0.4
RESTATED_SHARE = 0.8  # an outlet's two "only X" clauses sharing this share of the shorter's words are one fact
# an outlet's two "only X" sentences, one's quotation of this many words (any words) running whole inside one of the
# other's: one statement; keypoints.same_statement, which joins outlets, counts content words of a common run instead
FOLDED_QUOTE_WORDS = 5
DEED_WORDS = 2  # a point with this many content words in lower case needs one of them in each outlet's sentence
FACT_WORDS = 3  # a claim's clause with fewer content words needs a name or a figure to state a fact
NAMED = re.compile(r"(?<=\S\s)[A-Z][a-z]\w*")  # a capitalised word inside a label (its speaker too): a name
# No "only X" claim when a missing outlet's sentences naming the people and things the point names (and their
# neighbours) hold this share of its distinguishing words: there the outlet tells the same words' fact in its own
# (a quote paraphrased, "It was a prank" / "a hacker or a prankster"; BASIL 2010-2011, docs/benchmarks.md)
NEAR_NAMES_PRESENT = 0.55
NEAR_SENTENCES = 1  # ... the sentences naming them and this many on each side
NAME_WORD = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")
NUMBER = re.compile(r"\d")
QUOTE = re.compile(r"[\"“”]")
COMMON_WORD = re.compile(r"\b[a-z]{3,}\b")  # a clause has a word in lower case (a verb, a noun); a dateline has none
KINDS = ("every", "only", "blindspot", "later")


@dataclass
class Claim:
    """One fact the report states about the story's outlets.

    kind: "every" (every outlet reports it), "only" (one outlet does; the others do not, or published
    before any outlet reported it), "blindspot" (some do, ``missing`` do not), "later" (the outlets without
    it all published before any outlet reported it; :func:`presslens.compare.coverage.published_before`).
    """

    kind: str
    key_point: str
    label: str
    outlets: list[str]  # the outlets that report it
    missing: list[str]  # the outlets that leave it out
    evidence: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # outlet -> (article, index, sentence)
    earlier: list[str] = field(default_factory=list)  # outlets that published before any outlet reported it
    importance: float = 0.0
    in_headline: bool = False
    clause: str = ""  # what to show: the label, or for "only X" whose sentence another list shows, X's own clause
    unit: str = ""  # the label's clause as cut from its sentence (coverage.clause)
    folded: list[Claim] = field(default_factory=list)  # less important claims of the same outlets told by a sentence
    # this one shows too: parts of one statement ("the president believes … but if … step aside" as three points);
    # for "only X", X's sentences quoting the same words

    @property
    def folded_why(self) -> str:
        """Why the folded claims are one entry with this one, as the report says it."""
        return "the same quote" if self.kind == "only" else "one outlet's sentence tells them all"


def _listed(names: list[str], last: str = "and") -> str:
    """ "Fox", "Fox and NYT", "Fox, NYT and HuffPost" ("or" for those that do not)."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def claim_lead(claim: Claim) -> str:
    """Who reports a claim, as a reader would say it: "Only Fox", "Fox and NYT, not HuffPost" ("" for every outlet)."""
    if claim.kind == "every":
        return ""
    if claim.kind == "only":
        return f"Only {claim.outlets[0]}"
    if claim.missing:
        return f"{_listed(claim.outlets)}, not {_listed(claim.missing, 'or')}"
    return f"{_listed(claim.outlets)} (published after {_listed(claim.earlier)})"


def evidence_cells(coverage: pd.DataFrame, articles_of: dict[str, list[str]]) -> dict[tuple[str, str], tuple[str, int]]:
    """(key point, outlet) -> (article id, sentence index) of the first sentence its coverage row cites."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for kp, outlet, cited in zip(
        column_values(coverage["key_point"]),
        column_values(coverage["outlet"].astype(str)),
        column_values(coverage["sentences"]),
        strict=True,
    ):
        if cited is None or isinstance(cited, float) or not len(cited):  # no sentence cited
            continue
        article, _, index = str(cited[0]).rpartition(":")
        out[(kp, outlet)] = (article or articles_of.get(outlet, [""])[0], int(index))
    return out


def importance(label_text: str, positions: list[float], in_headline: bool, reach: int, outlets: int) -> float:
    """How much a fact matters to a reader: near the top of the articles that report it, in a headline,
    reported by more outlets, carrying a number or a quote (0-4)."""
    top = 1.0 - min(positions) if positions else 0.0
    return round(
        top
        + (1.0 if in_headline else 0.0)
        + reach / max(outlets, 1)
        + 0.5 * bool(NUMBER.search(label_text))
        + 0.5 * bool(QUOTE.search(label_text)),
        4,
    )


def names_in(text: str) -> set[str]:
    """The capitalised words of a text that are not stop words ("Weiner", "Jealous", "NAACP"): who and what it names."""
    return {w for w in NAME_WORD.findall(text) if w.lower() not in STOPWORDS}


class StoryWords:
    """Which content words each outlet's articles hold, and how rare each word is among the story's sentences."""

    def __init__(self, sentences: pd.DataFrame):
        self.of_outlet: dict[str, set[str]] = {}
        self._words: dict[str, set[str]] = {}  # each body sentence's words: read again as claims' evidence
        # outlet -> its body sentences in order: (article id, content words, capitalised names)
        self.sentences_of: dict[str, list[tuple[str, set[str], set[str]]]] = {}
        frequency: dict[str, int] = {}
        body = sentences[~sentences["is_headline"].astype(bool)] if "is_headline" in sentences else sentences
        articles = body["article_id"].astype(str) if "article_id" in body else body["outlet"].astype(str)
        for outlet, article, text in zip(
            column_values(body["outlet"].astype(str)),
            column_values(articles),
            column_values(body["sentence"].astype(str)),
            strict=True,
        ):
            words = self._words.get(text)
            if words is None:
                words = self._words[text] = set(word_stems(text))
            self.of_outlet.setdefault(outlet, set()).update(words)
            self.sentences_of.setdefault(outlet, []).append((article, words, names_in(text)))
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        self.frequency = frequency
        self.sentences = len(body)
        self.lower_words = {w for text in self._words for w in LOWER_WORD.findall(text)}

    def common_stems(self, text: str) -> set[str]:
        """The stems of ``text``'s words in lower case, and of its first word when the story writes it in lower
        case somewhere ("Officials in Hawaii …": "officials" is no name): what it says, not whom it names."""
        stems = set(word_stems(" ".join(LOWER_WORD.findall(text))))
        first = LOWER_WORD.match(text.lstrip("“\"‘'([ ").lower())
        if first and first.group() in self.lower_words:
            stems.update(word_stems(first.group()))
        return stems

    def words(self, text: str) -> set[str]:
        """The content words of ``text`` (``set(word_stems(text))``), a story's sentence's as first read."""
        found = self._words.get(text)
        return set(word_stems(text)) if found is None else found

    def weights(self, text: str) -> dict[str, float]:
        """``text``'s content words, each weighted by its rarity among the story's sentences (smoothed idf)."""
        return {w: math.log((1 + self.sentences) / (1 + self.frequency.get(w, 0))) + 1 for w in word_stems(text)}

    @staticmethod
    def share(weights: dict[str, float], words: set[str]) -> float:
        """The weighted share of a text's words (:meth:`weights`) found in ``words``, 0-1 (1 for a text without
        content words: nothing tells it apart)."""
        total = sum(weights.values())
        return sum(v for w, v in weights.items() if w in words) / total if total else 1.0

    def share_in(self, weights: dict[str, float], outlet: str) -> float:
        """:meth:`share` of a text's words found anywhere in ``outlet``'s articles."""
        return self.share(weights, self.of_outlet.get(outlet, set()))

    def share_near(self, weights: dict[str, float], names: set[str], outlet: str) -> float:
        """:meth:`share` of a text's words found in ``outlet``'s sentences naming one of ``names`` and the sentence
        before and after each (where a quote or paraphrase of that person's words sits); 0 when none names them."""
        rows = self.sentences_of.get(outlet, [])
        words: set[str] = set()
        for k, (article, _words, named) in enumerate(rows):
            if names & named:
                for near in rows[max(k - NEAR_SENTENCES, 0) : k + NEAR_SENTENCES + 1]:
                    if near[0] == article:
                        words |= near[1]
        return self.share(weights, words) if words else 0.0


def _flagged(coverage: pd.DataFrame, column: str, test) -> dict[str, set[str]]:
    """key point -> outlets not covering it whose ``column`` passes ``test`` (a column -> boolean mask function;
    a missing value passes no test)."""
    out: dict[str, set[str]] = {}
    if column not in coverage:
        return out
    values = coverage[column]
    rows = coverage[~coverage["covered"].astype(bool) & values.notna() & test(values)]
    for kp, outlet in zip(column_values(rows["key_point"]), column_values(rows["outlet"].astype(str)), strict=True):
        out.setdefault(kp, set()).add(outlet)
    return out


def story_claims(
    story: str, coverage: pd.DataFrame, sentences: pd.DataFrame, backend: str = "lexical"
) -> dict[str, list[Claim]]:
    """The story's claims by kind (:data:`KINDS`), each list most important first.

    ``coverage`` and ``sentences`` are the corpus tables (or the story's rows of them); ``backend`` the
    key-point similarity the coverage was computed with (its ``nearest`` is on that backend's scale).
    """
    bar = UNSURE_BY_BACKEND.get(backend, UNSURE) if backend != "lexical" else UNSURE
    out: dict[str, list[Claim]] = {kind: [] for kind in KINDS}
    if coverage.empty or sentences.empty:
        return out
    coverage = coverage[coverage["story"] == story]
    mine = sentences[sentences["story"] == story]
    outlets = sorted(mine["outlet"].astype(str).unique())
    if len(outlets) < 2 or coverage.empty:
        return out
    text_of = {
        (str(a), int(i)): str(t)
        for a, i, t in zip(
            column_values(mine["article_id"]),
            column_values(mine["index"]),
            column_values(mine["sentence"]),
            strict=True,
        )
    }
    articles_of: dict[str, list[str]] = {}
    for a, o in zip(
        column_values(mine["article_id"].astype(str)), column_values(mine["outlet"].astype(str)), strict=True
    ):
        if a not in articles_of.setdefault(o, []):
            articles_of[o].append(a)
    covered = coverage[coverage["covered"].astype(bool)]
    cells = evidence_cells(covered, articles_of)
    unsure = _flagged(coverage, "nearest", lambda v: v.astype(float).fillna(0.0) >= bar)
    earlier = _flagged(coverage, "published_before", lambda v: v.fillna(False).astype(bool))
    by_point: dict[str, dict] = {}
    for row in covered.itertuples(index=False):
        point = by_point.setdefault(
            row.key_point,
            {
                "label": str(row.label),
                "unit": str(getattr(row, "clause", row.label) or row.label),
                "outlets": [],
                "positions": [],
                "headline": False,
            },
        )
        cell = cells.get((row.key_point, str(row.outlet)))
        if cell is None or cell not in text_of:  # no sentence to show: the outlet does not count as covering
            continue
        point["outlets"].append(str(row.outlet))
        if pd.notna(row.first_position):
            point["positions"].append(float(row.first_position))
        point["headline"] = point["headline"] or bool(row.in_headline)
    story_words = StoryWords(mine)
    for kp, point in by_point.items():
        reporting = sorted(point["outlets"])
        if not reporting:
            continue
        before = sorted(set(earlier.get(kp, set())) - set(reporting))
        missing = [o for o in outlets if o not in reporting and o not in before]
        first = cells[(kp, reporting[0])]
        if not COMMON_WORD.search(point["label"]) and point["label"].strip(" .") != text_of[first].strip(" ."):
            continue  # a dateline or a list of names ("ORRIN, Nov. 8 (Valley Wire)") is no fact of its own
        if point["label"].rstrip().endswith(":") and all(w in STOPWORDS for w in LOWER_WORD.findall(point["label"])):
            continue  # "Arrangement for Parker Hess from the Fire Company:" heads what follows; "Rennie wrote:" tells
        # the point's words, who said it left out (a fragment label: its first sentence's)
        fact = fact_text(point["unit"] if readable(point["unit"]) else text_of[first])
        told = story_words.weights(fact)
        if len(told) < FACT_WORDS and not NAMED.search(point["label"]) and not NUMBER.search(point["label"]):
            continue  # "No one else was hurt.": a sentence naming no one and nothing is no fact worth listing
        if any(story_words.share(told, story_words.words(text_of[cells[(kp, o)]])) < EVIDENCE_SHARE for o in reporting):
            continue  # an outlet's sentence shares the topic, not the fact: it is no evidence
        deed = told.keys() & story_words.common_stems(fact)  # the point's words in lower case: what was done or said
        if len(deed) >= DEED_WORDS and any(not deed & story_words.words(text_of[cells[(kp, o)]]) for o in reporting):
            continue  # it shares whom the fact names, not one word of what they did or said
        if missing:
            shares = ((o, story_words.share_in(told, o)) for o in missing)  # lazily: the first doubt decides
            if any(
                share >= DISTINCT_PRESENT or (share >= DISTINCT_ABSENT and o in unsure.get(kp, set()))
                for o, share in shares
            ):
                continue
            named = names_in(point["label"])
            if named and any(story_words.share_near(told, named, o) >= NEAR_NAMES_PRESENT for o in missing):
                continue  # an outlet may report it in other words: neither "only" nor "left out" can be claimed
        if not missing and not before:
            kind = "every"
        elif len(reporting) == 1:
            kind = "only"
        elif missing:
            kind = "blindspot"
        else:
            kind = "later"
        evidence = {o: (*cells[(kp, o)], text_of[cells[(kp, o)]]) for o in reporting}
        claim = Claim(kind, kp, point["label"], reporting, missing, evidence, before, in_headline=point["headline"])
        sentence = evidence[reporting[0]][2]
        claim.unit = point["unit"]
        claim.clause = point["label"] if readable(point["label"]) else sentence  # a fragment reads as its sentence
        claim.importance = importance(
            point["label"], point["positions"], point["headline"], len(reporting), len(outlets)
        )
        out[kind].append(claim)
    shown_shared = {
        (o, e[0], e[1]) for kind in ("every", "blindspot", "later") for c in out[kind] for o, e in c.evidence.items()
    }
    # sentences that are an outlet's evidence of a point others report too, shown or not: an "only X" claim on one
    # shows its own clause ("Christie declared an uphill candidacy …, vowing …": only the vow is NYT's alone)
    shared_cells = {
        (o, *cells[(kp, o)]) for kp, point in by_point.items() if len(point["outlets"]) > 1 for o in point["outlets"]
    }
    kept = []
    for claim in out["only"]:
        (outlet,) = claim.outlets
        article, index, sentence = claim.evidence[outlet]
        cell = (outlet, article, index)
        if cell in shown_shared or cell in shared_cells:
            # the clause is the whole sentence (its speaker maybe named where the sentence says "she")
            if cell in shown_shared and set(word_stems(sentence)) <= set(word_stems(claim.unit or claim.label)):
                continue  # the whole sentence already stands for a fact others report too
            claim.clause = quotable_label(claim.unit, "")  # the clause of it that is X's alone
            relative = _RELATIVE.match(claim.clause)
            at = sentence.find(claim.clause[relative.end() :]) if relative else -1
            if at > 0:  # "… which is less than 10 miles from Aventura" says nothing without what it is about
                claim.clause = sentence[: at + len(claim.clause) - relative.end()].rstrip(" ,;")
            elif not readable(claim.clause):  # "before the first presidential primaries": a part of the sentence
                part = claim.clause.strip(" ,;–—-")
                opens = sentence.lstrip("“\"‘' ").startswith(part.lstrip("“\"‘' "))
                claim.clause = f"{part} …" if opens else f"… {part}"
        kept.append(claim)
    out["only"] = kept
    for kind, claims in out.items():
        claims.sort(key=lambda c: (-c.importance, c.key_point))
        seen, unique = set(), []
        kept_of: dict[str, list[tuple[set[str], list[tuple[str, ...]], Claim]]] = {}  # outlet -> its kept "only"
        # claims, each with its clause's words and its sentence's long quotes
        shown_by: dict[tuple, Claim] = {}  # (outlets, missing, outlet, sentence) -> the kept claim showing it
        for claim in claims:  # two key points told by the same sentences are one fact for the reader
            told = tuple(sorted((o, e[2]) for o, e in claim.evidence.items()))  # an update repeats a sentence
            if told in seen:
                continue
            if kind != "only":  # one outlet's sentence under several points of the same outlets: one entry
                sides = (tuple(claim.outlets), tuple(claim.missing), tuple(claim.earlier))
                holder = next((shown_by[(*sides, *cell)] for cell in told if (*sides, *cell) in shown_by), None)
                if holder is not None:
                    holder.folded.append(claim)
                    continue
                shown_by.update(((*sides, *cell), claim) for cell in told)
            if kind == "only":
                mine = kept_of.setdefault(claim.outlets[0], [])
                quoted = _long_quotes(claim.evidence[claim.outlets[0]][2])
                holder = next((c for _w, q, c in mine if _same_quote(quoted, q)), None)
                if holder is not None:  # "… labeling it the 'wrong move at the wrong time'" and "Royce said … 'this
                    holder.folded.append(claim)  # is the wrong move at the wrong time'": one statement, one entry
                    continue
                words = set(word_stems(claim.clause or claim.label))
                if _restated(claim, words, mine):
                    continue
                mine.append((words, quoted, claim))
            seen.add(told)
            unique.append(claim)
        out[kind] = unique
    return out


def _long_quotes(sentence: str) -> list[tuple[str, ...]]:
    """The sentence's quotations of at least FOLDED_QUOTE_WORDS words, each as its lower-case words."""
    return [words for words in quotation_words(sentence) if len(words) >= FOLDED_QUOTE_WORDS]


def _same_quote(ours: list[tuple[str, ...]], theirs: list[tuple[str, ...]]) -> bool:
    """Whether a quotation of one sentence runs, word for word, inside a quotation of the other ("wrong move at the
    wrong time" in "that said, this is the wrong move at the wrong time")."""
    for a in ours:
        for b in theirs:
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1)):
                return True
    return False


_RELATIVE = re.compile(r"(?:which|who|whom|whose|where)\s")  # a clause about the words before it


def _restated(claim: Claim, words: set[str], kept: list[tuple[set[str], list[tuple[str, ...]], Claim]]) -> bool:
    """Whether an outlet's "only X" claim (its clause's ``words``) says again what one of its ``kept`` claims says:
    an outlet's units are never one key point, so a quote and the tweet it quotes ("… is 100 percent false!" and
    "… is 100% FALSE!!!") were two points, listed twice. Near the same words (RESTATED_SHARE of the shorter's) with
    compatible figures. ``kept``: the outlet's kept claims with their words, read once each."""
    if len(words) < FACT_WORDS:
        return False
    signature = None  # read once, when a kept claim shares the words
    for theirs, _quoted, other in kept:
        shorter = min(len(words), len(theirs))
        if shorter >= FACT_WORDS and len(words & theirs) >= RESTATED_SHARE * shorter:
            if signature is None:  # a FactSignature without figures is falsy: test for None
                signature = fact_signature(claim.clause or claim.label)
            if compatible(signature, fact_signature(other.clause or other.label)):
                return True
    return False
