"""The story layer (issue 19): a roster of followed outlets, trusted dates, attention, blindspots."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from presslens.compare.attention import date_problem
from presslens.metrics.entities import ReaderMissing, entity_reader, read_entities, spacy_available
from presslens.pipeline import run_pipeline
from presslens.roster import RosterError, load_roster
from tests.conftest import EXAMPLE, REPO, table_csv

WILDFIRE = REPO / "raw" / "unsorted"
ROSTER = """outlets:
  - name: The Calder Courier
    aliases: [Calder Courier]
    domains: [calder-courier.example]
    lean: centre
  - name: Northshore Daily
    lean: left
  - name: Valley Wire Service
    lean: right
    country: XX
    owner: Valley Media
  - name: Harbourline Radio
    lean: left
  - name: Bayport Herald
    lean: right
"""


@pytest.fixture(scope="module")
def layered(tmp_path_factory):
    """The bundled stories with a roster; the Courier's wildfire page dated in the future by its sidecar."""
    root = tmp_path_factory.mktemp("layer")
    raw = root / "raw"
    shutil.copytree(EXAMPLE, raw / EXAMPLE.name)
    shutil.copytree(WILDFIRE, raw / "unsorted")
    (raw / "unsorted" / "courier-orrin-fire.html.meta.json").write_text(json.dumps({"published": "2099-01-01"}))
    (root / "outlets.yaml").write_text(ROSTER, encoding="utf-8")
    run_pipeline(raw, root / "out", roster=load_roster(root / "outlets.yaml"), entities=entity_reader("auto"))
    return root / "out"


def wildfire_report(out: Path) -> str:
    """The wildfire story's report: the story that is not the bridge closure (its name comes from its most central
    headline, which the pair model's weights decide)."""
    folder = next(f for f in (out / "stories").iterdir() if f.is_dir() and f.name != EXAMPLE.name)
    return (folder / "report.html").read_text(encoding="utf-8")


def test_an_outlet_that_skipped_a_story_is_its_blindspot(layered):
    blind = pd.read_csv(layered / "blindspots.csv", keep_default_na=False)
    stories = blind[blind.level == "story"].set_index("story")
    wildfire = next(s for s in stories.index if s != EXAMPLE.name)
    assert stories.loc[wildfire, "outlets_missing"] == "Bayport Herald; Harbourline Radio"
    assert stories.loc[EXAMPLE.name, "outlets_missing"] == "Bayport Herald"  # followed, but no page at all


def test_a_fact_one_side_reports_is_a_fact_level_blindspot(layered):
    """Only the Valley Wire (right, in this roster) reports the council's state of emergency."""
    blind = pd.read_csv(layered / "blindspots.csv", keep_default_na=False)
    facts = blind[(blind.level == "key_point") & blind.label.str.contains("state of emergency")]
    assert len(facts) >= 1
    assert set(facts.leans_reporting) == {"right"} and set(facts.leans_missing) == {"centre; left"}


def test_a_page_dated_in_the_future_is_flagged_and_never_first(layered):
    articles = pd.read_csv(layered / "articles.csv", keep_default_na=False).set_index("raw_path")
    flag = articles.loc["unsorted/courier-orrin-fire.html", "published_flag"]
    assert flag.startswith("in the future")
    stories = pd.read_csv(layered / "stories.csv", keep_default_na=False).set_index("story")
    wildfire = articles.loc["unsorted/courier-orrin-fire.html", "story"]
    # the Courier's page says 7 November, the earliest of all, but its sidecar's 2099 date is not trusted
    assert stories.loc[wildfire, "first_reported_outlet"] in {"Northshore Daily", "Valley Wire Service"}
    assert stories.loc[wildfire, "first_reported_at"].startswith("2026-11-08")
    assert stories.loc[wildfire, "dates_flagged"] == 1
    assert stories.loc[wildfire, "leans"] == "centre 1; left 1; right 1"
    attention = pd.read_csv(layered / "attention.csv")
    assert "2099-01-01" not in set(attention.day.astype(str))
    assert {"story", "outlet", "day", "articles", "words"} <= set(attention.columns)


def test_dates_are_checked_against_the_calendar_and_the_page():
    assert date_problem("2099-01-01").startswith("in the future")
    assert date_problem("1970-01-01").startswith("before 1990")
    assert date_problem("2026-11-08", "2026-11-01") == "the page itself says 2026-11-01"
    assert date_problem("2026-11-08T10:00", "2026-11-08") is None


def test_a_year_the_page_names_does_not_distrust_the_sidecars_date():
    """34 of 38 flagged dates in GVA's November 2016 stream were "the page itself says 2016-01-01": a year read off
    "Copyright WDAM 2016." or "the 2016 presidential election", as January 1; 13 of 107 stories lost their "first
    reported" outlet and their articles-per-day rows."""
    assert date_problem("2016-11-30", "2016-01-01") is None
    assert date_problem("2016-11-30", "2014-01-01") is None
    assert date_problem("2016-11-30", "2016-11-24") == "the page itself says 2016-11-24"


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("outlets:\n  - name: A\n    colour: red\n", 3, "unknown field 'colour'"),
        ("outlets:\n  - name: A\n    aliases: B\n", 3, "must be a list of texts"),
        ("outlets:\n  - name: A\n    follow: maybe\n", 3, "true or false"),
        ('outlets:\n  - name: A\n    follow: "maybe"\n', 3, "true or false"),
        ("outlets:\n  - lean: left\n", 2, "needs a `name`"),
        ("outlets:\n  - name: A\n  - name: a\n", 3, "listed twice"),
        ("sources:\n  - name: A\n", 1, "unknown key 'sources'"),
    ],
)
def test_a_broken_roster_is_an_error_naming_the_line(tmp_path, text, line, reason):
    path = tmp_path / "outlets.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=rf"outlets.yaml:{line}: .*{reason}"):
        load_roster(path)


def test_the_roster_names_articles_by_alias_and_domain():
    roster = load_roster_text(ROSTER)
    assert roster.canonical("calder courier").name == "The Calder Courier"
    assert roster.canonical("unknown", "https://www.calder-courier.example/x").name == "The Calder Courier"
    assert roster.canonical("Somebody Else") is None


def load_roster_text(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "outlets.yaml"
        path.write_text(text, encoding="utf-8")
        return load_roster(path)


def test_entities_say_who_each_outlet_names(layered):
    entities = table_csv(layered, "entities", keep_default_na=False)
    wildfire = entities[entities.entity == "Ines Varga"]
    assert set(wildfire.outlet) == {"The Calder Courier", "Northshore Daily", "Valley Wire Service"}
    assert set(wildfire.kind) == {"person"}
    # "Varga said" counts for Ines Varga in the Courier's article (the surname alone, after the full name)
    assert wildfire.set_index("outlet").loc["The Calder Courier", "mentions"] >= 2
    pemberton = entities[entities.entity == "Howard Pemberton"]
    assert set(pemberton.outlet) == {"Valley Wire Service"}
    assert not entities[entities.entity.isin(["Repairs", "Nov", "The"])].shape[0]  # sentence openers, dates
    places = set(entities[entities.kind == "place"].entity)
    assert {"Fallow Creek", "Merrow Street Bridge"} <= places
    report = wildfire_report(layered)
    assert "Who each outlet names" in report and "Ines Varga" in report


def test_the_entities_table_names_its_reader(layered):
    """`make test` installs the ner extra: the run's default reader is then spaCy's model, and says so."""
    entities = table_csv(layered, "entities", keep_default_na=False)
    expected = "spaCy en_core_web_sm 3.8.0" if spacy_available() else "capitalisation rules"
    assert set(entities.reader) == {expected}
    report = wildfire_report(layered)
    assert f"read by {expected}" in report


@pytest.mark.parametrize("reader", ["spacy", "rules"])
def test_both_readers_find_the_wildfire_people_places_and_organisations(reader):
    """The small model alone calls Fallow Creek a person and Ines Varga an organisation (unseen names):
    the name's own words and a title before it decide those kinds for both readers."""
    if reader == "spacy" and not spacy_available():
        pytest.skip("the ner extra is not installed (make install has it)")
    from presslens.extract import extract_article
    from presslens.pages import discover, read_page

    articles = [extract_article(read_page(raw)) for raw in discover(WILDFIRE)]
    read = read_entities([a.extraction.title or "" for a in articles], [a.text for a in articles], reader)
    kinds = {name: entry["kind"] for found in read for name, entry in found.items()}
    assert kinds["Ines Varga"] == "person" and kinds["Fallow Creek"] == "place"
    assert kinds["Calder State University"] == "organisation"
    courier = next(f for a, f in zip(articles, read, strict=True) if "Courier" in (a.extraction.sitename or ""))
    assert courier["Ines Varga"]["mentions"] >= 2  # "Varga said" counts for the full name
    for found in read:  # a dateline in capitals counts for the name in its usual case (len > 6: not an acronym)
        usual = {n.lower() for n in found if not n.isupper()}
        assert not [n for n in found if n.isupper() and len(n) > 6 and n.lower() in usual]


def test_spacy_reads_the_seed_pages_on_numpys_blas_with_the_names_blis_found(seed_000, seed_001):
    """The slow path: spaCy's matrix products ran on thinc's bundled BLIS, ~3x slower on one core than
    numpy's BLAS. The reader now uses numpy's, and finds on real pages exactly what BLIS found."""
    if not spacy_available():
        pytest.skip("the ner extra is not installed (make install has it)")
    import spacy

    from presslens.metrics import entities as name_readers

    texts = [seed.read_text(encoding="utf-8") for seed in (seed_000, seed_001)]
    ours = name_readers._spacy_pipeline()
    assert ours.get_pipe("ner").model.ops.use_blis is False
    on_blis = spacy.load(name_readers.SPACY_MODEL, exclude=name_readers.SPACY_EXCLUDE)
    assert on_blis.get_pipe("ner").model.ops.use_blis is True
    found = [[(e.text, e.label_, e.start_char) for e in doc.ents] for doc in ours.pipe(texts)]
    assert found == [[(e.text, e.label_, e.start_char) for e in doc.ents] for doc in on_blis.pipe(texts)]
    assert min(len(names) for names in found) >= 20


def test_asking_for_spacy_without_the_extra_is_a_clear_error(monkeypatch):
    import sys

    from presslens.metrics import entities as name_readers

    monkeypatch.setitem(sys.modules, "spacy", None)  # as on a machine without the ner extra
    name_readers._spacy_pipeline.cache_clear()
    try:
        with pytest.raises(ReaderMissing, match=r"presslens\[ner\]"):
            entity_reader("spacy")
        assert entity_reader("auto") == "rules"
        with pytest.raises(ValueError, match="unknown entity reader"):
            entity_reader("bert")
    finally:
        name_readers._spacy_pipeline.cache_clear()


def test_a_spacy_model_of_another_version_is_refused_by_name():
    from presslens.metrics import entities as name_readers

    name_readers._check_model_meta({"version": name_readers.SPACY_MODEL_VERSION, "lang": "en"})
    with pytest.raises(ReaderMissing, match=r"3\.7\.1 is installed; presslens is measured with 3\.8\.0"):
        name_readers._check_model_meta({"version": "3.7.1", "lang": "en"})


def test_article_entities_reads_titles_and_possessives():
    from presslens.metrics.entities import article_entities

    text = (
        "WASHINGTON — Michael Steele, chairman of the party, drew criticism on Friday. "
        "Mr. Steele said President Obama’s strategy had failed. Obama did not answer."
    )
    found = article_entities("Steele under fire", text)
    assert found["Michael Steele"]["mentions"] == 2 and found["Michael Steele"]["in_headline"]
    assert found["Obama"]["mentions"] == 2  # "President Obama’s" is Obama
    assert "Mr" not in found and "President Obama’s" not in found


@pytest.mark.slow
def test_a_surname_goes_to_the_same_full_name_whatever_the_hash_seed():
    """Two full names of equal length ending in the same surname: the surname went to whichever a
    set listed first, so the entities table changed from one run to the next (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    code = (
        "from presslens.metrics.entities import article_entities;"
        "t = 'Michele Bachmann spoke on Friday. Later, See the Bachmann cover ran. Aides said Bachmann left.';"
        "print(sorted((k, v['mentions']) for k, v in article_entities('', t).items()))"
    )
    seen = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        seen.add(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout)
    assert len(seen) == 1, seen
    assert "('Michele Bachmann', 2)" in seen.pop()  # the name the article used first


def test_names_are_read_once_per_page_and_again_when_the_reader_changes(tmp_path):
    """Names are read with the page (in the worker pool), not again for every story rebuild; the
    reader is part of each page's fingerprint, so choosing another reader reads every page again."""
    from presslens.store import Store

    raw = tmp_path / "raw"
    shutil.copytree(WILDFIRE, raw / "unsorted")
    first = run_pipeline(raw, tmp_path / "out", entities="rules")
    assert first.processed == 3
    record = next(r for r in map(Store(tmp_path / "out").load_article, _ids(tmp_path / "out")) if r)
    assert record.entities and all({"mentions", "kind"} <= set(e) for e in record.entities.values())
    assert run_pipeline(raw, tmp_path / "out", entities="rules").processed == 0
    if spacy_available():
        again = run_pipeline(raw, tmp_path / "out", entities="spacy")
        assert again.processed == 3
        entities = table_csv(tmp_path / "out", "entities")
        assert set(entities.reader) == {"spaCy en_core_web_sm 3.8.0"}


def _ids(out):
    return [p.stem for p in (out / "articles").glob("*.json")]


@pytest.mark.parametrize("reader", ["spacy", "rules"])
def test_a_surname_and_a_full_name_are_one_row_in_every_outlet(reader):
    """Issue 29: "Trump" and "Donald Trump" were separate rows (one outlet wrote "Trump", another "Donald
    Trump", a third "Donald J. Trump"), so who each outlet names did not line up. Names are now merged
    within the story first: surname, title + surname, middle initial and possessive go to the full name;
    a surname two persons of the story share stays alone, and a place never joins a person."""
    if reader == "spacy" and not spacy_available():
        pytest.skip("the ner extra is not installed (make install has it)")
    from presslens.compare.entities import entities_table

    texts = {
        "a": (
            "Varga signs flood bill",
            "Governor Varga signed the flood bill on Friday in Port Calder. Varga said the levees would be rebuilt. "
            "Farmers protested Varga’s plan outside the Capitol. Dana Holt and Rick Holt, two farmers, objected. "
            "Holt said the plan came late.",
        ),
        "b": (
            "Governor signs flood bill",
            "Governor Ines Varga signed the flood bill on Friday. Ines Varga said the levees would be rebuilt. "
            "Mayor Tomas Okafor welcomed the bill. Okafor said the town would apply for the money.",
        ),
        "c": (
            "Flood bill signed",
            "Gov. Ines M. Varga signed the flood bill on Friday, and Mr. Okafor thanked her. "
            "Ines M. Varga said the levees would be rebuilt by spring.",
        ),
    }
    ids = list(texts)
    read = read_entities([texts[i][0] for i in ids], [texts[i][1] for i in ids], reader)
    articles = pd.DataFrame(
        {"article_id": ids, "story": ["flood"] * 3, "outlet": ["Calder Courier", "Northshore Daily", "Bayport Herald"]}
    )
    table = entities_table(articles, dict(zip(ids, read, strict=True)), pd.DataFrame(), reader)
    varga = table[table.entity.str.contains("Varga")]
    assert len(set(varga.entity)) == 1 and set(varga.outlet) == set(articles.outlet)
    assert varga.entity.iloc[0] in ("Ines Varga", "Ines M. Varga") and set(varga.kind) == {"person"}
    assert len(set(table[table.entity.str.contains("Okafor")].entity)) == 1
    assert "Holt" not in set(table.entity) or {"Dana Holt", "Rick Holt"} <= set(table.entity)  # not guessed
