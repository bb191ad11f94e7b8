"""A headline without its site's name (issue 32: a station's name in every headline joined stories)."""

from __future__ import annotations

import json

from presslens.extract import extract_article
from presslens.pages import RawFile, read_page
from presslens.pipeline import run_pipeline
from tests.conftest import GVA_DOCS, gva_docs, need_shared, write_gva_page

EXPECTED = {
    "0d4fd26e": "Sylvester Shooting reveals 8th victim",  # "- WALB.com, South Georgia News, Weather, Sports"
    "9ee26711": "Five teens shot after midnight basketball tournament",  # "- WMC Action News 5 - Memphis, Tennes"
    "65d37ad0": "Weapon identified in 7-year-old's fatal shooting",  # "- wistv.com - Columbia, South Carolina |"
    "b795ff57": "Five Injured in Nightclub Shooting",  # "WJTV News Channel 12 - " before it
    "3dd520b9": "Oakland birthday shooting - 2 gunmen, 7 victims",  # a dash of the headline's own
    "0abdfdc4": "2 people - a man and a boy - are shot in Santa Ana, police say",
    # stop 46: a call sign, a network's channel and a spaced colon before the site's name
    "5d5d3848": "10-Year-Old Gilmer County Boy Fatally Shot in Head While Playing",  # "- WBOY - Clarksburg, …"
    "df3bdea0": "2 teens shot in Phoenix, 1 killed",  # "- CBS 5 - KPHO" on cbs5az.com
    "3e398046": "Flomaton Man Charged With Weekend Shooting Death",  # " : NorthEscambia.com"
}


def test_a_headline_a_page_ran_into_itself_is_kept_once(tmp_path):
    """DoingItLocal's page titles itself "Trumbull News: Man Accidentally Shoots HimselfTrumbull News: Man
    Accidentally Shoots Himself - DoingItLocal": the story list named the story with the headline twice."""
    lines = need_shared(GVA_DOCS).read_text(encoding="utf-8").splitlines()
    (doc,) = [d for d in map(json.loads, lines) if d["title"].startswith("Trumbull News: Man Accidentally Shoots")]
    page = write_gva_page(doc, tmp_path)
    article = extract_article(read_page(RawFile(page, page.name, None)))
    assert article.extraction.title == "Trumbull News: Man Accidentally Shoots Himself"


def test_a_sites_name_before_or_after_the_headline_is_cut_and_the_headlines_own_dashes_stay(tmp_path):
    for key, doc in gva_docs(set(EXPECTED)).items():
        page = write_gva_page(doc, tmp_path)
        article = extract_article(read_page(RawFile(page, page.name, None)))
        assert article.extraction.title == EXPECTED[key], doc["title"]


def test_a_stations_name_in_a_headline_joins_no_stories(tmp_path):
    """WTVM's "Birmingham police investigate after teen injured in drive-by sho - WTVM.com-Columbus, GA News Weather
    & Sports" and ksl.com's page of only its title, "Utah News, Sports, Weather and Classifieds", met in one story
    on the words News, Weather and Sports: GVA dev's 26 pages of 28-30 January 2017, dropped unsorted."""
    docs = [json.loads(line) for line in need_shared(GVA_DOCS).read_text(encoding="utf-8").splitlines()]
    docs = [doc for doc in docs if doc["published"][:10] in ("2017-01-28", "2017-01-29", "2017-01-30")]
    for doc in docs:
        write_gva_page(doc, tmp_path / "raw")
    run_pipeline(tmp_path / "raw", tmp_path / "out")
    from presslens.pages import article_id_for
    from presslens.stories.membership import load_membership

    assignment = load_membership(tmp_path / "out").assignment
    story = {doc["doc"][:8]: assignment[article_id_for(f"{doc['doc']}.html")] for doc in docs}
    assert len(docs) == 26
    assert story["fa0ba300"] != story["5a9420ac"]
