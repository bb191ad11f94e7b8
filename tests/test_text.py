"""The shared text helpers (presslens/text.py): tokens of a line, remembered read-only and bounded."""

from __future__ import annotations


def test_a_lines_words_are_shared_read_only_and_bounded():
    """The rules and features ask for one line's words ~8 times, so they are remembered: the
    remembered value must be immutable (one caller changing it would change every later answer)
    and the memory bounded (a few pages of lines, not the corpus)."""
    from presslens.text import LINE_MEMO, script_tokens

    first = script_tokens("Share on Facebook: Orrin Valley flood")
    assert first == ("Share", "on", "Facebook", "Orrin", "Valley", "flood") and isinstance(first, tuple)
    assert script_tokens("Share on Facebook: Orrin Valley flood") is first
    assert script_tokens.cache_info().maxsize == LINE_MEMO <= 4096

