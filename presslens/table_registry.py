"""Every table presslens writes to processed/, declared once: name, grain, kind, columns (type and
meaning), and which columns the Prefect UI shows.

Adding a table is one :class:`Table` entry here plus the function that builds its rows (called
from :func:`presslens.compare.story_tables.story_tables`). Everything else reads this registry: the
functions that build the rows take their column lists from it, :mod:`presslens.corpus_tables`
writes every table with these column types (so a table's Parquet types never depend on which rows
a run happened to hold), the CLI lists and exports the tables by these names, the flow publishes
the ``artifact`` columns, and every run writes the data dictionary (``processed/README.md`` and
``processed/schema.json``, :func:`data_dictionary`) from it.

This module imports nothing heavy (the CLI reads it while building its parser).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

STRING, INT, FLOAT, BOOL = "string", "int64", "float64", "bool"
STRING_LIST = "list<string>"  # a Parquet list column; the CSV joins it with the column's ``joined_by``


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # STRING, INT, FLOAT, BOOL or STRING_LIST
    meaning: str  # one line, for the data dictionary
    joined_by: str = " "  # how a list cell is joined in the CSV


@dataclass(frozen=True)
class Table:
    name: str
    grain: str  # what one row is
    kind: str  # "index": processed/<name>.csv + .parquet; "detail": processed/tables/<name>/ (Parquet
    # dataset by story); "run": processed/<name>.csv + .parquet rebuilt every run (not per story)
    about: str
    columns: tuple[Column, ...]
    artifact: tuple[str, ...] = ()  # the columns the flow publishes as a Prefect table artifact
    column_of: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_of", {c.name: c for c in self.columns})
        if len(self.column_of) != len(self.columns):
            raise ValueError(f"table {self.name} declares a column twice")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def list_columns(self) -> list[Column]:
        return [c for c in self.columns if c.type == STRING_LIST]

    def schema(self) -> pa.Schema:
        """The Arrow schema of the table's declared columns."""
        import pyarrow as pa

        return pa.schema([pa.field(c.name, arrow_type(c.type)) for c in self.columns])


def arrow_type(kind: str) -> pa.DataType:
    import pyarrow as pa

    return pa.list_(pa.string()) if kind == STRING_LIST else pa.type_for_alias(kind)


def _c(name: str, kind: str, meaning: str, joined_by: str = " ") -> Column:
    return Column(name, kind, meaning, joined_by)


STORY = _c("story", STRING, "the story's id (a slug; stories.yaml pins and renames refer to it)")
OUTLET = _c("outlet", STRING, "the outlet's name (outlets.yaml's canonical name when it lists the outlet)")
ARTICLE_ID = _c("article_id", STRING, "the article's id: a slug of its path under raw/ and a short hash of it")

SIZE = (
    _c("words", INT, "words in the article's cleaned text"),
    _c("sentences", INT, "sentences in the cleaned text"),
    _c("paragraphs", INT, "paragraphs in the cleaned text"),
    _c("reading_time_min", FLOAT, "minutes to read at 238 words a minute"),
)
READABILITY = (
    _c("flesch_reading_ease", FLOAT, "Flesch reading ease (textstat; higher is easier; languages textstat knows)"),
    _c("flesch_kincaid_grade", FLOAT, "Flesch-Kincaid grade level (textstat; English only)"),
    _c("gunning_fog", FLOAT, "Gunning fog index (textstat; English only)"),
    _c("smog_index", FLOAT, "SMOG index (textstat; English only)"),
    _c("coleman_liau_index", FLOAT, "Coleman-Liau index (textstat; English only)"),
    _c("dale_chall_readability_score", FLOAT, "Dale-Chall readability score (textstat; English only)"),
)
MEASURES = (  # the numeric measures of an article (presslens.metrics.NUMERIC_MEASURES), English cues
    _c("tone_mean", FLOAT, "mean sentence tone, -1 (negative) to 1 (positive)"),
    _c("tone_positive_share", FLOAT, "share of sentences with a positive tone"),
    _c("tone_negative_share", FLOAT, "share of sentences with a negative tone"),
    _c("headline_tone", FLOAT, "the headline's tone, -1 to 1"),
    _c("hedges_per_1000", FLOAT, "hedging words (may, reportedly, allegedly …) per 1,000 words"),
    _c("loaded_per_1000", FLOAT, "loaded words per 1,000 words"),
    _c("quotes", INT, "direct quotations"),
    _c("quote_word_share", FLOAT, "share of the words inside quotation marks"),
    _c("attributions", INT, "attributed statements (said, told, according to …)"),
    _c("named_sources", INT, "attributions to a named person"),
    _c("anonymous_sources", INT, "attributions to an unnamed source (officials said, a source …)"),
    _c("institutional_sources", INT, "attributions to an institution (the ministry said …)"),
    _c("distinct_speakers", INT, "distinct people or bodies quoted or cited"),
    _c("state_media_refs", INT, "references to state media"),
    _c("outlet_refs", INT, "references to other news outlets"),
)
MEANS_OF = (*SIZE, *READABILITY, *MEASURES)  # averaged per story x outlet in the outlets table

ARTICLES = Table(
    "articles",
    "one row per article (a processed page that gave text)",
    "index",
    "metadata, size, readability, framing, tone and sourcing of each article",
    (
        ARTICLE_ID,
        STORY,
        _c("story_by", STRING, "how the article came into its story: pinned, moved, merged (by the user) or grouped"),
        OUTLET,
        _c("lean", STRING, "the outlet's lean as the user labels it in outlets.yaml"),
        _c("url", STRING, "the page's address (from its sidecar or the page itself)"),
        _c("title", STRING, "the headline"),
        _c("title_source", STRING, "page, feed (the feed item's, when the page gives none) or none"),
        _c("published", STRING, "publication date or time, ISO 8601, from the page, its sidecar or its feed item"),
        _c("published_flag", STRING, "why the date is not trusted for 'first reported' (future, before 1990, …)"),
        _c(
            "date_source",
            STRING,
            "page, feed (the feed item's, when the page gives none), sidecar (the user's) or none",
        ),
        _c("author", STRING, "the byline's author(s)"),
        _c("author_source", STRING, "page, feed (the feed item's, when the page gives none) or none"),
        _c("dateline", STRING, "the dateline's place (WASHINGTON — …)"),
        _c("original_source", STRING, "the agency or outlet the article credits as its source (AP, Reuters …)"),
        _c("language", STRING, "the text's language (ISO 639-1)"),
        *SIZE,
        *READABILITY,
        _c("readability_note", STRING, "why readability scores are empty (language, too little text)"),
        _c("primary_frame", STRING, "the most frequent of the 15 Policy Frames over the body's sentences"),
        _c("headline_frame", STRING, "the headline's frame"),
        *MEASURES,
        _c("metrics_note", STRING, "why cue-based measures are empty (their cues are English)"),
        _c("kind", STRING, "what the page was: html or text"),
        _c("raw_path", STRING, "the page's path under raw/"),
        _c("copy_of", STRING, "the article (id) in the same story this one copies, when it is syndicated"),
        _c("copy_containment", FLOAT, "share of this article's word sequences found in the one it copies"),
    ),
)
OUTLETS = Table(
    "outlets",
    "one row per story x outlet",
    "index",
    "each outlet's coverage of each story: article counts, mean metrics, key-point coverage, syndication",
    (
        STORY,
        OUTLET,
        _c("articles", INT, "the outlet's articles in the story"),
        _c("primary_frame", STRING, "the most frequent frame over the outlet's body sentences in the story"),
        *(_c(f"mean_{c.name}", FLOAT, f"mean over the outlet's articles of articles.{c.name}") for c in MEANS_OF),
        _c("kp_covered", INT, "the story's key points the outlet reports"),
        _c("kp_share", FLOAT, "share of the story's key points the outlet reports"),
        _c("kp_unique", INT, "key points only this outlet reports"),
        _c("kp_omitted", INT, "key points every other outlet reports and this one does not"),
        _c("kp_mean_prominence", FLOAT, "mean prominence of the covered points (1 = at the top of the article)"),
        _c("words_per_kp", FLOAT, "the outlet's words per key point covered"),
        _c("lead_key_point", STRING, "of the key points its first sentence reports, the one most outlets report"),
        _c("copies_outlet", STRING, "outlets whose articles this outlet's articles copy, '; '-separated"),
        _c("original_source", STRING, "agencies or outlets credited as sources, '; '-separated"),
    ),
    artifact=(
        "story",
        "outlet",
        "articles",
        "primary_frame",
        "mean_words",
        "mean_flesch_reading_ease",
        "mean_tone_mean",
        "mean_quotes",
        "kp_covered",
        "kp_share",
        "kp_unique",
        "kp_omitted",
        "copies_outlet",
        "original_source",
    ),
)
STORIES = Table(
    "stories",
    "one row per story",
    "index",
    "each story's title, outlets, size, dates and key-point summary",
    (
        STORY,
        _c("title", STRING, "the story's most central headline (or the title stories.yaml gives it)"),
        _c("outlets", INT, "outlets with an article in the story"),
        _c("outlet_list", STRING, "those outlets, '; '-separated"),
        _c("articles", INT, "articles in the story"),
        _c("first_published", STRING, "the earliest publication day (YYYY-MM-DD) of its articles"),
        _c("last_published", STRING, "the latest publication day of its articles"),
        _c("first_reported_outlet", STRING, "the outlet with the earliest trusted date"),
        _c("first_reported_at", STRING, "that date"),
        _c("last_update", STRING, "the latest trusted date"),
        _c("dates_flagged", INT, "articles whose date is not trusted (see articles.published_flag)"),
        _c("leans", STRING, "articles by the lean of their outlet ('left 2; right 1'), from outlets.yaml"),
        _c("words", INT, "words over the story's articles"),
        _c("key_point_similarity", STRING, "the backend that matched the story's key points: lexical or semantic"),
        _c("key_points", INT, "key points (facts) found in the story"),
        _c("kp_units", INT, "clauses compared to find the key points"),
        _c("kp_articles_truncated", INT, "articles longer than the clause limit: their later clauses were not used"),
        _c("kp_units_capped", INT, "clauses whose similar partners were cut to the strongest (big stories)"),
        _c(
            "coverage_rows",
            STRING,
            "'every outlet', or 'covering outlets only' in a story too big for the full coverage matrix",
        ),
    ),
)
ATTENTION = Table(
    "attention",
    "one row per story x outlet x day",
    "index",
    "how much each outlet published on a story each day (trusted dates only)",
    (
        STORY,
        OUTLET,
        _c("day", STRING, "the publication day, YYYY-MM-DD"),
        _c("articles", INT, "the outlet's articles on the story that day"),
        _c("words", INT, "their words"),
    ),
)
BLINDSPOTS = Table(
    "blindspots",
    "one row per story, and one per key point some leans reported and others did not",
    "index",
    "followed outlets and leans that did not cover a story, and facts one side left out",
    (
        STORY,
        _c("level", STRING, "story, or key_point for a fact-level row"),
        _c("key_point", STRING, "the key point's id (key_point rows)"),
        _c("label", STRING, "the key point's label (key_point rows)"),
        _c("leans_reporting", STRING, "leans whose outlets report the story or point, '; '-separated"),
        _c("leans_missing", STRING, "leans followed (or present in the story) with no report, '; '-separated"),
        _c("outlets_missing", STRING, "followed outlets (outlets.yaml) that did not cover the story, '; '-separated"),
    ),
    artifact=("story", "level", "key_point", "label", "leans_reporting", "leans_missing", "outlets_missing"),
)
ERRORS = Table(
    "errors",
    "one row per problem met with a page",
    "run",
    "pages that could not be read or were read with a warning: the file, the stage and the reason",
    (
        _c("file", STRING, "the page's path under raw/"),
        _c("stage", STRING, "where it happened: read, sidecar, extract, metrics …"),
        _c("reason", STRING, "what went wrong, in words"),
        _c("article_id", STRING, "the page's article id"),
    ),
)
SENTENCES = Table(
    "sentences",
    "one row per sentence of an article (the headline is index -1)",
    "detail",
    "each sentence with its frame, tone and the key points it reports",
    (
        ARTICLE_ID,
        STORY,
        OUTLET,
        _c("index", INT, "the sentence's position in the article, from 0 (-1: the headline)"),
        _c("is_headline", BOOL, "whether the row is the headline"),
        _c("sentence", STRING, "the sentence's text"),
        _c("frame", STRING, "its Policy Frame (empty: no frame cue)"),
        _c("frame_confidence", FLOAT, "the frame classifier's confidence, 0-1"),
        _c("tone", FLOAT, "its tone, -1 to 1"),
        _c(
            "key_points",
            STRING_LIST,
            "ids of the story's key points it reports (coverage.key_point); CSV: space-joined",
        ),
    ),
)
MEASURE_ROWS = Table(
    "measures",
    "one row per article or story x outlet, and measure",
    "detail",
    "every numeric measure in long form, with frame shares as frame_share:<frame>",
    (
        _c("level", STRING, "article, or outlet (the mean over the outlet's articles in the story)"),
        STORY,
        OUTLET,
        _c("article_id", STRING, "the article (article rows; empty for outlet rows)"),
        _c("measure", STRING, "an articles column name, or frame_share:<frame>"),
        _c("value", FLOAT, "its value"),
    ),
)
TERMS = Table(
    "terms",
    "one row per story x outlet x term (the outlet's most distinctive terms)",
    "detail",
    "word choice: terms an outlet uses more than the story's other outlets (weighted log-odds)",
    (
        STORY,
        OUTLET,
        _c("term", STRING, "a word (lower-cased, 3+ letters, not a stop word)"),
        _c("count", INT, "its uses by the outlet in the story"),
        _c("z", FLOAT, "the weighted log-odds z-score against the story's pooled articles"),
        _c("rank", INT, "its rank among the outlet's terms, from 1"),
    ),
)
ACTOR_LABELS = Table(
    "actor_labels",
    "one row per story x actor x outlet x label x form",
    "detail",
    "how each outlet labels the people and bodies several outlets name ('the embattled minister …')",
    (
        STORY,
        _c("actor", STRING, "the name as written"),
        OUTLET,
        _c("label", STRING, "the words the outlet puts beside the name"),
        _c("form", STRING, "before (label before the name) or appositive (after it)"),
        _c("mentions", INT, "times the outlet uses that label for the actor"),
    ),
)
COVERAGE = Table(
    "coverage",
    "one row per story x key point x outlet (covering outlets only in very big stories)",
    "detail",
    "which facts (key points) each outlet reports, where, and which it leaves out",
    (
        STORY,
        _c("key_point", STRING, "the key point's id within the story"),
        _c("label", STRING, "the key point in words (its most central clause)"),
        OUTLET,
        _c("covered", BOOL, "whether the outlet reports the point"),
        _c("first_position", FLOAT, "where the outlet first reports it: 0 = top of the article, 1 = its end"),
        _c(
            "sentences",
            STRING_LIST,
            "the outlet's sentences that report it, strongest first, each 'article_id:index' "
            "(sentences.article_id and sentences.index); CSV: space-joined",
        ),
        _c("in_headline", BOOL, "whether an article's headline reports it"),
        _c("in_first_paragraph", BOOL, "whether an article's first paragraph reports it"),
        _c("nearest", FLOAT, "for an outlet not covering it: similarity of its closest candidate sentence"),
        _c("published_before", BOOL, "for an outlet not covering it: all its articles came out before the point"),
        _c("clause", STRING, "the label's clause as cut from its sentence (the label reads a fragment's sentence)"),
    ),
)
ENTITIES = Table(
    "entities",
    "one row per story x outlet x named entity (the outlet's most mentioned)",
    "detail",
    "who each outlet names: people, organisations, places and groups",
    (
        STORY,
        OUTLET,
        _c("entity", STRING, "the name (a surname alone counts for the full name the article used)"),
        _c("kind", STRING, "person, organisation, place, group (spaCy), or name (no clue either way)"),
        _c("mentions", INT, "mentions by the outlet in the story"),
        _c("articles", INT, "the outlet's articles that name it"),
        _c("first_position", FLOAT, "where the outlet first names it: 0 = top of an article, 1 = its end"),
        _c("in_headline", BOOL, "whether a headline names it"),
        _c("labels", STRING_LIST, "how the outlet labels it (actor_labels.label); CSV: '; '-joined", "; "),
        _c("reader", STRING, "what found the names: spaCy's model or the capitalisation rules"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        ARTICLES,
        OUTLETS,
        STORIES,
        ATTENTION,
        BLINDSPOTS,
        SENTENCES,
        MEASURE_ROWS,
        TERMS,
        ACTOR_LABELS,
        COVERAGE,
        ENTITIES,
        ERRORS,
    )
}
INDEX_TABLES = tuple(n for n, t in TABLES.items() if t.kind == "index")
DETAIL_TABLES = tuple(n for n, t in TABLES.items() if t.kind == "detail")
STORY_TABLES = (*INDEX_TABLES, *DETAIL_TABLES)  # the tables built story by story


def columns_of(name: str) -> list[str]:
    """The declared column names of table ``name``, in order."""
    return TABLES[name].names


def declared(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` with table ``name``'s declared columns in their order; a clear error naming any column
    missing or not declared (declare it in presslens.table_registry)."""
    table = TABLES[name]
    have, want = list(df.columns), table.names
    if have != want:
        extra, missing = [c for c in have if c not in table.column_of], [c for c in want if c not in have]
        if extra or missing:
            raise ValueError(
                f"table {name}: undeclared column(s) {extra}, declared but missing {missing} "
                "(a table's columns are declared once, in presslens.table_registry)"
            )
        df = df[want]
    return df


def arrow_table(df: pd.DataFrame, name: str) -> pa.Table:
    """``df`` as an Arrow table of table ``name``'s declared column types; a clear error otherwise."""
    import pyarrow as pa

    df = declared(df, name)
    try:
        table = pa.Table.from_pandas(df, schema=TABLES[name].schema(), preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise ValueError(f"table {name}: a value does not fit its declared column type: {exc}") from exc
    # without pandas' metadata: it records the frame's dtypes, which differ between a full and an incremental
    # build (object or str), while the declared Arrow types are what a reader needs
    return table.replace_schema_metadata(None)


def for_csv(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` with each list cell joined into one string (the column's ``joined_by``) for a CSV."""
    table = TABLES.get(name)
    if table is None:
        return df
    joined = {}
    for column in table.list_columns:
        if column.name in df.columns:
            joined[column.name] = [_joined(v, column.joined_by) for v in df[column.name]]
    return df.assign(**joined) if joined else df


def _joined(value, separator: str) -> str:
    if value is None or isinstance(value, float):  # a missing cell
        return ""
    return separator.join(str(v) for v in value)


def data_dictionary_json() -> str:
    """processed/schema.json: every table with its kind, grain, files and columns (name, type, meaning)."""
    return (
        json.dumps(
            {
                "tables": [
                    {
                        "name": t.name,
                        "kind": t.kind,
                        "grain": t.grain,
                        "about": t.about,
                        "files": table_files(t),
                        "columns": [{"name": c.name, "type": c.type, "meaning": c.meaning} for c in t.columns],
                    }
                    for t in TABLES.values()
                ]
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


def table_files(table: Table) -> str:
    if table.kind == "detail":
        return f"tables/{table.name}/ (a Parquet dataset, one file per shard of stories)"
    return f"{table.name}.csv, {table.name}.parquet"


LAYOUT_TEXT = """\
## Layout

- `<table>.csv` and `<table>.parquet`: the index tables (one row per article, story x outlet, story, day)
  and `errors`, whole; open them in a spreadsheet, pandas or DuckDB.
- `tables/<table>/part-NN.parquet`: the detail tables (a row per sentence, measure, term, key point x outlet,
  name …) as a Parquet dataset split by story, so a run rewrites only the parts holding the stories it
  rebuilt. Read one whole with `pandas.read_parquet("tables/coverage")`, DuckDB's
  `read_parquet('tables/coverage/*.parquet')`, or `presslens export coverage` (a CSV).
- `stories/<story>/report.html` and `coverage.csv`: one story's report and coverage matrix;
  `report.html` (and `report-N.html` past the first page): the index of stories.
- List columns (type `list<string>`) are Parquet lists; in a CSV (and `presslens export`) a list is one
  cell, joined as the column's meaning says.
- `state/`, `articles/`, `grouping*.{json,npz,log}`, `page-signatures.json`, `story_fingerprints.json`,
  `tables_manifest.json`: the run's bookkeeping. Everything here can be rebuilt from raw/: delete processed/
  and run again.
"""


def data_dictionary_markdown() -> str:
    """processed/README.md: what each table holds, its grain, and every column's type and meaning."""
    lines = [
        "# processed/: the data dictionary",
        "",
        "Written by every `presslens run` from the table registry (presslens/table_registry.py); "
        "the same in machine-readable form is `schema.json`.",
        "",
        LAYOUT_TEXT,
    ]
    for t in TABLES.values():
        lines += [
            f"## {t.name}",
            "",
            f"{t.about[:1].upper()}{t.about[1:]}. **One row per:** {t.grain.removeprefix('one row per ')}. "
            f"**Files:** {table_files(t)}.",
            "",
            "| column | type | meaning |",
            "|---|---|---|",
            *[f"| `{c.name}` | {c.type} | {c.meaning.replace('|', '/')} |" for c in t.columns],
            "",
        ]
    return "\n".join(lines)
