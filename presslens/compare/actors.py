"""How each outlet labels the story's main actors: the words before a name and its appositive.

"North Korean leader Kim Jong Un" labels Kim as *North Korean leader*; "Kim Jong Un,
President of the Democratic People's Republic of Korea (DPRK), signed" as *President of …*.
Actors are names of two or more capitalised words that occur in at least two outlets of
the story.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from presslens.compare.tables import column_rows
from presslens.names import ROLE_WORDS
from presslens.table_registry import columns_of

_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:[ ]+(?:(?:bin|al|de|van|von|der|da|di|le|la)[ ]+)?[A-Z][a-z’'-]+){1,3}\b")
STOP_BEFORE = frozenset("the a an by of with and or to from for on in at as that which who said says told".split())
_APPOSITIVE = re.compile(r"^\s*,\s+(?P<label>(?:the\s+|a\s+|an\s+)?[A-Za-z][^,;:]{2,120}?)\s*(?:,|$)")
_GENERIC_NAMES = frozenset(
    {
        "United States",
        "United Nations",
        "European Union",
        "Russian Federation",
        "Supreme Court",
        "White House",
        "Prime Minister",
    }
)


def candidate_names(text: str) -> Counter:
    names = Counter()
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        roles = [i for i, w in enumerate(words) if w.lower() in ROLE_WORDS]
        if roles:  # "Russian President Vladimir Putin" -> "Vladimir Putin"
            words = words[roles[-1] + 1 :]
        if len(words) < 2 or words[0] in ("The", "A", "An", "In", "On", "At", "But", "And", "For", "If", "When"):
            continue
        following = text[m.end() : m.end() + 2]
        if words[-1].endswith(("an", "ese", "ish", "ic")) and following[:1] == " " and following[1:2].islower():
            continue  # a demonym used as an adjective: "North Korean leader"
        names[" ".join(words)] += 1
    return names


def label_before(text: str, start: int) -> str | None:
    """Role and nationality words right before a name ("North Korean leader")."""
    tokens = re.findall(r"[\w’'-]+|[^\w\s]", text[max(0, start - 120) : start])
    label: list[str] = []
    for token in reversed(tokens):
        lowered = token.lower()
        if not re.match(r"\w", token) or lowered in STOP_BEFORE:
            break
        if token[0].isupper() or lowered in ROLE_WORDS:
            label.insert(0, token)
        else:
            break
    if not label or not any(t.lower() in ROLE_WORDS for t in label):
        return None
    return " ".join(label)


def label_after(text: str, end: int) -> str | None:
    """An appositive right after a name (", President of the Russian Federation,")."""
    m = _APPOSITIVE.match(text[end : end + 160])
    if not m:
        return None
    label = m.group("label").strip()
    words = [w.lower().strip("'’s") for w in label.split()]
    if not (label[0].isupper() or any(w in ROLE_WORDS for w in words)) or words[0] in ("who", "which", "said"):
        return None
    if re.search(r"\b(?:said|says|told|signed|is|was|has|had|will|would)\b", label):
        return None
    return label


def actor_labels(articles: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """story, actor, outlet, label, form (before/appositive), mentions."""
    rows = []
    for story, group in articles.groupby("story", sort=True):
        outlets_by_name: dict[str, set[str]] = {}
        articles_of_story = column_rows(group, ["article_id", "outlet"])
        for row in articles_of_story:
            for name in candidate_names(texts.get(row.article_id, "")):
                outlets_by_name.setdefault(name, set()).add(row.outlet)
        actors = sorted(n for n, o in outlets_by_name.items() if len(o) >= 2 and n not in _GENERIC_NAMES)
        counts: Counter = Counter()
        if actors:
            # one pattern for all actors, longest first, so a text is scanned once (not once per actor)
            names = "|".join(re.escape(a) for a in sorted(actors, key=len, reverse=True))
            pattern = re.compile(rf"\b(?:{names})\b")
            for row in articles_of_story:
                text = texts.get(row.article_id, "")
                for m in pattern.finditer(text):
                    for form, label in (
                        ("before", label_before(text, m.start())),
                        ("appositive", label_after(text, m.end())),
                    ):
                        if label:
                            counts[(story, m.group(0), row.outlet, label, form)] += 1
        rows += [(*key, n) for key, n in counts.items()]
    df = pd.DataFrame(rows, columns=columns_of("actor_labels"))
    return df.sort_values(
        ["story", "actor", "outlet", "mentions"], ascending=[True, True, True, False], kind="stable"
    ).reset_index(drop=True)
