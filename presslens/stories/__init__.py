"""Stage 5 — stories: which articles report the same event, decided by the run.

Takes: each article's ``features.EventFeatures`` (computed per page by page processing, kept between runs
in the grouping store), the pins and ``stories.yaml``'s decisions. Hands on: a ``membership.Membership``
(article -> story id, each story's title and how sure its grouping is), which the build writes to
processed/grouping.json and uses to hand each story its records. Never: reads a page's text again (only
its features), compares outlets (that is compare's), or writes ``stories.yaml`` except to record a
person's decision (:mod:`.decisions`).

Pages the user filed (a folder under raw/, a sidecar ``story``, ``presslens add --story``, a
source with a fixed story) are *pinned*; every other page is grouped with the articles it
reports the same event as, over everything processed so far. Decisions a person makes later
(``presslens stories merge / move / rename / split``) live in ``stories.yaml`` and apply on every run.

- :mod:`.features` — what of an article tells one event from another (terms, names, streets, ages, dates, outlet)
- :mod:`.grouping` — candidate retrieval, the pair model and average-linkage clustering with pins
- :mod:`.grouping_store` — every article's term counts kept between runs: a run reads only the states that changed
- :mod:`.membership` — the grouping state in processed/, stable story ids and titles, how sure each story is
- :mod:`.overrides` — ``stories.yaml``: read, validate, record a decision
- :mod:`.decisions` — the ``presslens stories`` commands: list, merge, move, rename, split
"""
