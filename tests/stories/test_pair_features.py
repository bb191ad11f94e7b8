"""The pair features the grouping model weighs, on own-written articles' event features."""

from __future__ import annotations

import math

import numpy as np

from presslens.stories import grouping
from presslens.stories.features import EventFeatures, office_holder
from presslens.stories.grouping import PAIR_FEATURES


def article(aid: str, *runs: str, day: str | None = None, dates=(), outlet: str = "", words=("bridge", "vote")):
    terms = {w: 1.0 for w in words} | {f"P:{run}": 1.0 for run in runs}
    return EventFeatures(aid, terms, day, aid, None, {}, list(dates), outlet)


def pair(left: EventFeatures, right: EventFeatures) -> dict[str, float]:
    """The pair's features in a corpus where they are rows 2 and 4 of five, weighed after other rows were (so that
    corpus rows, weighed rows and vocabulary ids differ), as a run that scores pairs in chunks does; the other rows
    name other interior secretaries, so a row mixed up with another shows."""
    names = ("ada xu", "bo yoon", "cy zed")
    others = [article(f"other{k}", f"interior secretary {name}", words=("ferry",)) for k, name in enumerate(names)]
    corpus = grouping.build_corpus([others[0], others[1], left, others[2], right])
    grouping.pair_features(corpus, np.array([0]), np.array([3]))
    row = grouping.pair_features(corpus, np.array([2, 1]), np.array([4, 3]))[0]
    return dict(zip(PAIR_FEATURES, row.tolist(), strict=True))


def test_reports_months_apart_that_name_one_old_day_are_not_close():
    """BASIL's Benghazi stories: Clinton's testimony (January 2013) and the talking-points e-mails (May 2013) both
    name the attack's day, 11 September 2012, and were 0 days apart — with two other continuing controversies, the
    merges a refitted model made. When both are dated, one of the two days compared is a publication date."""
    testimony = article("a", day="2013-01-23", dates=["2012-09-11"])
    emails = article("b", day="2013-05-15", dates=["2012-09-11"])
    assert math.isclose(pair(testimony, emails)["days_apart"], math.log1p(112))
    follow_up = article("c", day="2013-02-20", dates=["2013-01-23"])  # names the testimony's day: close
    assert pair(testimony, follow_up)["days_apart"] == 0.0


def test_two_undated_texts_that_name_one_day_are_that_day_apart():
    """Without publication dates the days the texts name are all there is (a text dump saved without its date)."""
    left, right = article("a", dates=["2026-03-01"]), article("b", dates=["2026-03-01"])
    features = pair(left, right)
    assert features["days_apart"] == 0.0 and features["undated"] == 0.0


def test_an_office_title_before_a_name_reads_the_office_and_the_surname():
    assert office_holder("P:interior secretary ken salazar") == ("interior secretary", "salazar")
    assert office_holder("P:vice president joe biden's") == ("vice president", "biden")
    assert office_holder("P:mayor ada quist jr") == ("mayor", "quist")
    assert office_holder("P:attorney general eric holder") is None  # an office several hold in one story
    assert office_holder("P:secretary general ban") is None  # an office's title, no holder
    assert office_holder("P:port calder") is None


def test_reports_naming_different_holders_of_one_office_are_told():
    """ECB+ topic 9: a rule change under Interior Secretary Dirk Kempthorne and its reversal under Interior Secretary
    Ken Salazar share their words, names and verbs; only the office's holder tells them apart."""
    kempthorne = article("a", "interior secretary dirk kempthorne")
    salazar = article("b", "interior secretary ken salazar", "president barack obama")
    salazar_again = article("c", "secretary ken salazar's")
    assert pair(kempthorne, salazar)["other_holders"] == 1.0
    assert pair(salazar, salazar_again)["other_holders"] == 0.0
    assert pair(kempthorne, article("d", "fire chief ines varga"))["other_holders"] == 0.0  # no office in common
    # one fire, its fire chief in one report and the police chief in the other: two offices, not two holders of one
    fire_chief, police_chief = article("e", "fire chief ines varga"), article("f", "police chief delmar quist")
    assert pair(fire_chief, police_chief)["other_holders"] == 0.0


def test_one_outlets_reports_of_other_days_or_streets_are_marked():
    """GVA dev: 3,137 candidate pairs from one outlet that name other days and other streets, none one incident."""
    monday = article("a", day="2026-03-02", dates=["2026-03-01"], outlet="wire.example")
    friday = article("b", day="2026-03-06", dates=["2026-03-05"], outlet="wire.example")
    features = pair(monday, friday)
    assert features["outlet_other_days"] == 1.0 and features["other_days"] == 1.0
    friday_elsewhere = article("c", day="2026-03-06", dates=["2026-03-05"], outlet="ledger.example")
    assert pair(monday, friday_elsewhere)["outlet_other_days"] == 0.0
    ostrow = EventFeatures("g", {"shot": 1.0, "S:ostrow avenue": 1.0}, "2026-03-02", "g", None, {}, [], "wire.example")
    fenwick = EventFeatures("h", {"shot": 1.0, "S:fenwick road": 1.0}, "2026-03-02", "h", None, {}, [], "wire.example")
    assert pair(ostrow, fenwick)["outlet_other_streets"] == 1.0
