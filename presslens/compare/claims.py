"""What a story's report claims about its facts: "every outlet reports", "only X reports", blindspots.

Each claim is one key point with the sentence every covering outlet reports it with (the first,
strongest evidence its coverage row cites). Coverage needs evidence: an outlet whose coverage row
cites no sentence does not count as reporting the point. No "only X" or "left out" claim is made
about an outlet whose closest sentence is UNSURE-similar to the point (it may say it in other words),
and an outlet that published before the point happened is "published before", not "left out".
A sentence shown under "every outlet reports" (or a blindspot) is never shown again under "only X":
an "only X" claim shows the clause of it that is X's alone. Claims are ranked by importance (how
high the covering outlets put it, headline, how many outlets, numbers and quotes) so the report
can show the first few of each list and say how many more the tables hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from presslens.compare.keypoints import readable

UNSURE = 0.1  # an outlet whose closest sentence is this similar to a point it does not cover may report it
# in other words: no "only X" or "left out" claim is made about it (chosen on BASIL 2010-2011, docs/benchmarks.md)
UNSURE_BY_BACKEND = {"lexical": UNSURE, "semantic": 0.5}  # embedding cosines run higher (BASIL 2010-2011)
NUMBER = re.compile(r"\d")
QUOTE = re.compile(r"[\"“”]")
COMMON_WORD = re.compile(r"\b[a-z]{3,}\b")  # a clause has a word in lower case (a verb, a noun); a dateline has none
KINDS = ("every", "only", "blindspot", "later")


@dataclass
class Claim:
    """One fact the report states about the story's outlets.

    kind: "every" (every outlet reports it), "only" (one outlet does; the others do not, or published
    before it happened), "blindspot" (some do, ``missing`` do not), "later" (the outlets without it
    all published before it happened).
    """

    kind: str
    key_point: str
    label: str
    outlets: list[str]  # the outlets that report it
    missing: list[str]  # the outlets that leave it out
    evidence: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # outlet -> (article, index, sentence)
    earlier: list[str] = field(default_factory=list)  # outlets that published before it happened
    importance: float = 0.0
    in_headline: bool = False
    clause: str = ""  # what to show for an "only" claim: the outlet's own clause (the label), not its sentence


def evidence_cells(coverage: pd.DataFrame, articles_of: dict[str, list[str]]) -> dict[tuple[str, str], tuple[str, int]]:
    """(key point, outlet) -> (article id, sentence index) of the first sentence its coverage row cites."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for kp, outlet, cited in zip(
        coverage["key_point"], coverage["outlet"].astype(str), coverage["sentences"], strict=True
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


def _flagged(coverage: pd.DataFrame, column: str, test) -> dict[str, set[str]]:
    """key point -> outlets not covering it whose ``column`` passes ``test``."""
    out: dict[str, set[str]] = {}
    if column not in coverage:
        return out
    rows = coverage[~coverage["covered"].astype(bool)]
    for kp, outlet, value in zip(rows["key_point"], rows["outlet"].astype(str), rows[column], strict=True):
        if test(value):
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
        (str(a), int(i)): str(t) for a, i, t in zip(mine["article_id"], mine["index"], mine["sentence"], strict=True)
    }
    articles_of: dict[str, list[str]] = {}
    for a, o in zip(mine["article_id"].astype(str), mine["outlet"].astype(str), strict=True):
        if a not in articles_of.setdefault(o, []):
            articles_of[o].append(a)
    covered = coverage[coverage["covered"].astype(bool)]
    cells = evidence_cells(covered, articles_of)
    unsure = _flagged(coverage, "nearest", lambda v: pd.notna(v) and float(v) >= bar)
    earlier = _flagged(coverage, "published_before", lambda v: pd.notna(v) and bool(v))
    by_point: dict[str, dict] = {}
    for row in covered.itertuples(index=False):
        point = by_point.setdefault(
            row.key_point, {"label": str(row.label), "outlets": [], "positions": [], "headline": False}
        )
        cell = cells.get((row.key_point, str(row.outlet)))
        if cell is None or cell not in text_of:  # no sentence to show: the outlet does not count as covering
            continue
        point["outlets"].append(str(row.outlet))
        if pd.notna(row.first_position):
            point["positions"].append(float(row.first_position))
        point["headline"] = point["headline"] or bool(row.in_headline)
    for kp, point in by_point.items():
        reporting = sorted(point["outlets"])
        if not reporting:
            continue
        before = sorted(set(earlier.get(kp, set())) - set(reporting))
        missing = [o for o in outlets if o not in reporting and o not in before]
        if missing and unsure.get(kp, set()) & set(missing):
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
        if (
            kind == "only"
            and not COMMON_WORD.search(point["label"])
            and point["label"].strip(" .") != sentence.strip(" .")
        ):
            continue  # a dateline or a list of names ("ORRIN, Nov. 8 (Valley Wire)") is no fact of its own
        claim.clause = point["label"] if readable(point["label"]) else sentence  # a fragment reads as its sentence
        claim.importance = importance(
            point["label"], point["positions"], point["headline"], len(reporting), len(outlets)
        )
        out[kind].append(claim)
    shown_shared = {
        (o, e[0], e[1]) for kind in ("every", "blindspot", "later") for c in out[kind] for o, e in c.evidence.items()
    }
    kept = []
    for claim in out["only"]:
        (outlet,) = claim.outlets
        article, index, sentence = claim.evidence[outlet]
        if (outlet, article, index) in shown_shared and claim.label.strip(" .") == sentence.strip(' .”"'):
            continue  # the whole sentence already stands for a fact others report too
        kept.append(claim)
    out["only"] = kept
    for kind, claims in out.items():
        claims.sort(key=lambda c: (-c.importance, c.key_point))
        seen, unique = set(), []
        for claim in claims:  # two key points told by the same sentences are one fact for the reader
            told = tuple(sorted((o, e[0], e[1]) for o, e in claim.evidence.items()))
            if told not in seen:
                seen.add(told)
                unique.append(claim)
        out[kind] = unique
    return out
