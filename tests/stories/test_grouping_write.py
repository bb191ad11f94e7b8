"""processed/grouping.json is written streamed (issue 32): writing it whole held its JSON text and
that text's bytes at once, the peak memory of a one-page run at 6,000 pages (~11 MB)."""

from __future__ import annotations

import json
import tracemalloc

from presslens.building import save_membership
from presslens.stories.membership import STATE_FILE, Confidence, Membership, load_membership

ARTICLES = 20_000


def fictional_membership() -> Membership:
    """20,000 articles of a made-up outlet in 5,000 stories, every field filled (titles with an é)."""
    membership = Membership()
    for k in range(ARTICLES):
        story = f"harbour-bridge-vote-{k // 4:05d}"
        aid = f"riverside-gazette-{k:06d}-{k * 7919 % 100_000:05d}"
        membership.assignment[aid] = story
        membership.grouped[aid] = f"{k * 2_654_435_761 % 2**64:016x}"
        membership.how[aid] = "grouped"
        membership.titles[story] = f"Harbour bridge vote {k // 4}: the council's décision"
        membership.created[story] = "2026-12-05"
        membership.confidence[story] = Confidence(0.61, aid, 0.12, None)
    membership.retired = {f"old-story-{k}" for k in range(100)}
    return membership


def test_grouping_json_is_streamed_with_the_bytes_of_a_whole_write(tmp_path):
    membership = fictional_membership()
    tracemalloc.start()
    save_membership(tmp_path, membership)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    written = (tmp_path / STATE_FILE).read_bytes()
    # the file a whole write gave: one line of JSON, UTF-8, keys in order
    assert written == (json.dumps(membership.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")
    assert load_membership(tmp_path).assignment == membership.assignment
    # holding the text (and its bytes) took 1-2x the file; the pieces take a fraction of it
    assert peak < len(written) / 3, f"peak {peak / 2**20:.1f} MB for a {len(written) / 2**20:.1f} MB file"


def test_a_title_utf8_cannot_hold_is_written_escaped_as_before(tmp_path):
    """A lone surrogate (a broken page title) half-way through the stream: the file is written again
    with \\u escapes, whole (the one-shot writer's fallback), not cut where the encoding failed."""
    membership = fictional_membership()
    membership.titles["harbour-bridge-vote-02500"] = "Broken \udcff title"
    save_membership(tmp_path, membership)
    written = (tmp_path / STATE_FILE).read_bytes()
    assert written == (json.dumps(membership.to_dict(), ensure_ascii=True) + "\n").encode("ascii")
    assert load_membership(tmp_path).titles["harbour-bridge-vote-02500"] == "Broken \udcff title"
