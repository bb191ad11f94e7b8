"""Policy frames per sentence: the 15 dimensions of the Policy Frames Codebook, by lexicon.

Boydstun et al. (2014), Card et al. (2015). Each frame has weighted cue terms in
``presslens/data/frames.json`` (prefix terms like ``econom*`` and phrases like
``interest rate*``), words and phrases that are not its cues though a cue matches them
(``not``: "investigation" for ``invest*``, "national emergency" for ``emergency``), and cues
that are names when capitalised inside a sentence (``names``: "Bill Clinton", "Tom Price"). A
sentence's frame is the frame with the highest cue weight when that weight reaches
:data:`MIN_SCORE`, else none. Ties go to the frame listed first. English only: other
languages get no frame and a reason.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

FRAMES = (
    "Economic",
    "Capacity and resources",
    "Morality",
    "Fairness and equality",
    "Legality, constitutionality and jurisprudence",
    "Policy prescription and evaluation",
    "Crime and punishment",
    "Security and defense",
    "Health and safety",
    "Quality of life",
    "Cultural identity",
    "Public opinion",
    "Political",
    "External regulation and reputation",
    "Other",
)
FRAME_CODES = {name: i + 1 for i, name in enumerate(FRAMES)}
MIN_SCORE = 2.0
SUPPORTED_LANGUAGES = frozenset({"en"})
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*", re.I | re.A)


@dataclass(frozen=True)
class FrameResult:
    frame: str | None
    confidence: float
    scores: dict[str, float]


_Entry = tuple[str, tuple[str, ...], bool, float]


class FrameLexicon:
    """Cue terms indexed for matching in one pass over a sentence's tokens."""

    def __init__(self, data: dict):
        self.exact: dict[str, list[_Entry]] = {}
        self.prefix: dict[str, list[_Entry]] = {}
        self.not_exact: dict[str, list[_Entry]] = {}  # words and phrases that are not a frame's cues
        self.not_prefix: dict[str, list[_Entry]] = {}
        self.names: set[tuple[str, tuple[str, ...]]] = set()  # (frame, cue) that is a name when capitalised
        for frame, spec in data.items():
            if frame.startswith("_"):
                continue
            if frame not in FRAME_CODES:
                raise ValueError(f"frames.json: unknown frame {frame!r}")
            for term, weight in spec["terms"].items():
                if weight:
                    self._index(frame, term, float(weight), self.exact, self.prefix)
            for term in spec.get("not", ()):
                self._index(frame, term, 0.0, self.not_exact, self.not_prefix)
            for term in spec.get("names", ()):
                if term not in spec["terms"]:
                    raise ValueError(f"frames.json: {frame} names {term!r}, which is not one of its terms")
                self.names.add((frame, _words(term)))

    @staticmethod
    def _index(frame: str, term: str, weight: float, exact: dict, prefix: dict) -> None:
        is_prefix = term.endswith("*")
        tokens = _words(term)
        entry = (frame, tokens, is_prefix, weight)
        if len(tokens) == 1 and is_prefix:
            prefix.setdefault(tokens[0], []).append(entry)
        else:
            exact.setdefault(tokens[0], []).append(entry)

    def scores(self, sentence: str) -> dict[str, float]:
        cased = _TOKEN.findall(sentence.replace("’", "'"))
        tokens = [t.lower() for t in cased]
        blocked = self._not_cues(tokens)
        # a headline in Title Case capitalises every word: there a capital says nothing about names
        title_case = sum(t[:1].isupper() for t in cased) * 2 > len(cased)
        totals: dict[str, float] = {}
        for i, token in enumerate(tokens):
            matched: set[tuple[str, tuple[str, ...]]] = set()
            for frame, words, is_prefix, weight in self._candidates(token, self.exact, self.prefix):
                if (frame, words) in matched or not self._matches(tokens, i, words, is_prefix):
                    continue
                if blocked and all((frame, k) in blocked for k in range(i, i + len(words))):
                    continue  # the cue lies inside a word or phrase that is not the frame's ("investigation")
                if (frame, words) in self.names and not title_case and self._is_name(cased, i):
                    continue  # "Bill Clinton", "Tom Price": a name, not a cue
                matched.add((frame, words))
                totals[frame] = totals.get(frame, 0.0) + weight
        return totals

    def _not_cues(self, tokens: list[str]) -> set[tuple[str, int]]:
        """(frame, position) of every token inside a word or phrase that is not that frame's cue."""
        blocked: set[tuple[str, int]] = set()
        if not self.not_exact and not self.not_prefix:
            return blocked
        for i, token in enumerate(tokens):
            for frame, words, is_prefix, _weight in self._candidates(token, self.not_exact, self.not_prefix):
                if self._matches(tokens, i, words, is_prefix):
                    blocked.update((frame, k) for k in range(i, i + len(words)))
        return blocked

    @staticmethod
    def _is_name(cased: list[str], i: int) -> bool:
        """Capitalised inside the sentence, or opening it before another capitalised word ("Bill Calloway said")."""
        if not cased[i][:1].isupper():
            return False
        return i > 0 or (len(cased) > 1 and cased[1][:1].isupper())

    @staticmethod
    def _candidates(token: str, exact: dict, prefix: dict) -> list[_Entry]:
        candidates = list(exact.get(token, ()))
        for cut in range(3, len(token) + 1):
            candidates += prefix.get(token[:cut], ())
        return candidates

    @staticmethod
    def _matches(tokens: list[str], i: int, words: tuple[str, ...], is_prefix: bool) -> bool:
        if i + len(words) > len(tokens):
            return False
        for k, word in enumerate(words):
            token = tokens[i + k]
            last = k == len(words) - 1
            if not (token == word or (last and is_prefix and token.startswith(word))):
                return False
        return True


def _words(term: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN.findall(term.rstrip("*").replace("’", "'")))


@functools.lru_cache(maxsize=1)
def default_lexicon() -> FrameLexicon:
    text = resources.files("presslens.data").joinpath("frames.json").read_text(encoding="utf-8")
    return FrameLexicon(json.loads(text))


def classify_sentence(sentence: str, lexicon: FrameLexicon | None = None) -> FrameResult:
    """The sentence's frame and a 0–1 confidence (its share of all cue weight), or no frame."""
    scores = (lexicon or default_lexicon()).scores(sentence)
    if not scores:
        return FrameResult(None, 0.0, {})
    best = max(scores.values())
    if best < MIN_SCORE:
        return FrameResult(None, 0.0, scores)
    tied = [f for f, s in scores.items() if s == best]
    frame = min(tied, key=FRAMES.index) if len(tied) > 1 else tied[0]
    confidence = best / (sum(scores.values()) + 1.0)
    return FrameResult(frame, round(confidence, 3), scores)


def frame_shares(frames: list[str | float | None]) -> dict[str, float]:
    """Share of framed sentences per frame (sentences with no frame are left out).

    Frames read back from a table mark "no frame" as NaN, not None: only strings count.
    """
    framed = [f for f in frames if isinstance(f, str) and f]
    if not framed:
        return {}
    return {f: round(framed.count(f) / len(framed), 4) for f in FRAMES if f in framed}


def primary_frame(frames: list[str | None]) -> str | None:
    shares = frame_shares(frames)
    return max(shares, key=lambda f: (shares[f], -FRAMES.index(f))) if shares else None
