"""Policy frames per sentence: the 15 dimensions of the Policy Frames Codebook, by lexicon.

Boydstun et al. (2014), Card et al. (2015). Each frame has weighted cue terms in
``presslens/data/frames.json`` (prefix terms like ``econom*`` and phrases like
``interest rate*``). A sentence's frame is the frame with the highest cue weight when that
weight reaches :data:`MIN_SCORE`, else none. Ties go to the frame whose cues are more
specific (more strong cues). English only: other languages get no frame and a reason.
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
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


@dataclass(frozen=True)
class FrameResult:
    frame: str | None
    confidence: float
    scores: dict[str, float]


class FrameLexicon:
    """Cue terms indexed for matching in one pass over a sentence's tokens."""

    def __init__(self, data: dict):
        self.exact: dict[str, list[tuple[str, tuple[str, ...], bool, float]]] = {}
        self.prefix: dict[str, list[tuple[str, tuple[str, ...], bool, float]]] = {}
        for frame, spec in data.items():
            if frame.startswith("_"):
                continue
            if frame not in FRAME_CODES:
                raise ValueError(f"frames.json: unknown frame {frame!r}")
            for term, weight in spec["terms"].items():
                if not weight:
                    continue
                is_prefix = term.endswith("*")
                tokens = tuple(_TOKEN.findall(term.rstrip("*").lower().replace("’", "'")))
                entry = (frame, tokens, is_prefix, float(weight))
                if len(tokens) == 1 and is_prefix:
                    self.prefix.setdefault(tokens[0], []).append(entry)
                else:
                    self.exact.setdefault(tokens[0], []).append(entry)

    def scores(self, sentence: str) -> dict[str, float]:
        tokens = _TOKEN.findall(sentence.lower().replace("’", "'"))
        totals: dict[str, float] = {}
        for i, token in enumerate(tokens):
            matched: set[tuple[str, tuple[str, ...]]] = set()
            candidates = list(self.exact.get(token, ()))
            for cut in range(3, len(token) + 1):
                candidates += self.prefix.get(token[:cut], ())
            for frame, words, is_prefix, weight in candidates:
                if (frame, words) in matched or not self._matches(tokens, i, words, is_prefix):
                    continue
                matched.add((frame, words))
                totals[frame] = totals.get(frame, 0.0) + weight
        return totals

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
