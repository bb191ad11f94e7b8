"""Issue 2 acceptance on the two real seed pages (read from ../shared/seeds)."""

from __future__ import annotations

from presslens.cli import extract_record


def test_seed_000_sada_el_balad(seed_000):
    rec = extract_record(seed_000)
    assert rec["title"] == "N. Korea & Russia Sign Treaty for Strategic Stability and Cooperation"
    assert rec["published"].startswith("2024-06-23")
    assert rec["author"] == "H-Tayea"
    assert rec["outlet"] == "Sada El Balad"
    assert rec["language"] == "en"
    text = rec["text"]
    assert text.startswith("Kim Jong Un,")
    assert text.endswith("between the DPRK and Russia.")
    for junk in (
        "صدى البلد",
        "Supervisor",
        "Editor in Chief",
        "Elham AbolFateh",
        "Mohamed Wadie",
        "H-Tayea",
        "Sun 23 Jun 2024",
    ):
        assert junk not in text
    reasons = {r["text"]: r["reason"] for r in rec["removed"]}
    assert reasons["Supervisor Elham AbolFateh"] == "masthead"
    assert reasons["Editor in Chief Mohamed Wadie"] == "masthead"


def test_seed_001_syndicated_ndtv_on_bnc(seed_001):
    rec = extract_record(seed_001)
    assert rec["title"] == "Inside North Korea and Russia’s Major Defense Deal: Key Takeaways"
    assert rec["dateline"] == "Seoul"
    assert rec["original_source"] == "NDTV"
    assert rec["outlet"] == "BNC Global Media Group"
    text = rec["text"]
    assert text.startswith("North Korean state media on Thursday released")
    assert text.endswith("provocative propaganda activities.")
    source_points = [ln for ln in seed_001.read_text(encoding="utf-8").splitlines() if ln.startswith("–")]
    assert len(source_points) == 20
    for point in source_points:
        assert point.strip() in text
    for junk in (
        "Share on",
        "Donate",
        "billionaire",
        "Support us just once",
        "Related",
        "Don't Miss",
        "Danger!",
        "DANGER",
        "Detroit",
        "originally appeared",
        "syndicated feed",
        "(file)",
    ):
        assert junk not in text, junk
    removed = rec["removed"]

    def reason_of(fragment: str) -> str:
        hits = [r["reason"] for r in removed if fragment in r["text"]]
        assert hits, f"{fragment!r} not listed in removed"
        return hits[0]

    assert reason_of("Share on facebook") == "share"
    assert reason_of("Donate any amount") == "promo"
    assert reason_of("Related") == "related"
    assert reason_of("Don't Miss") == "related"
    assert reason_of("Danger! Contestant") in ("related", "off-topic")
    assert reason_of("Ford restores grandeur to Detroit") in ("related", "off-topic")
    assert reason_of("originally appeared on Ndtv.com") == "syndication"
    assert reason_of("The pact was signed by") == "caption"
    assert all(r["reason"] for r in removed)
