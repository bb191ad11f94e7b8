"""``presslens init``: a project folder ready for ``presslens add``, ``collect`` and ``run``.

A project is a folder holding ``raw/`` (the captured pages, never modified by presslens), the three
files a user edits (``sources.yaml``: what ``collect`` fetches; ``outlets.yaml``: the outlets
followed, with their leans; ``stories.yaml``: story decisions) and ``prefect.yaml`` (the scheduled
runs). Every file starts with commented examples, so a new user reads the format where it is used.
The rule every run checks first, that raw/ and the output folder stay apart, is here too
(:func:`check_folders`: a cheap import, so ``presslens run`` checks it before anything starts).
"""

from __future__ import annotations

import os
from pathlib import Path

from presslens.stories.overrides import HEADER as STORIES_HEADER

SOURCES_TEMPLATE = """\
# What `presslens collect` fetches into raw/ (README, "Collecting articles").
# Each outlet: a name (written into each page's sidecar), RSS/Atom feeds and/or plain URLs of
# articles, and optionally a story slug that pins its pages to one story; without one, pages go to
# raw/unsorted/ and each run groups them into stories. A URL is never fetched twice
# (raw/.collected.jsonl remembers them). A feed may also be a file on this machine
# (file:///home/me/feeds/courier.xml); its items may then name local pages too.
# A feed item's date, title and author are kept beside the page and used when the page gives none.
#
# outlets:
#   - name: The Calder Courier
#     feeds: [https://calder-courier.example/rss.xml]
#   - name: Valley Wire Service
#     urls: [https://valleywire.example/2026/10/14/port-calder-bridge]
#     story: port-calder-bridge-closure
allow_private: false      # true only for feeds on your own network (an intranet archive)
max_items_per_feed: 50    # the newest items read from each feed on each collect
outlets: []
"""

OUTLETS_TEMPLATE = """\
# The outlets you follow, with what only you can say of them: presslens never rates outlets.
# Read on every run (README, "Outlets you follow"). An article whose outlet name, alias or URL
# domain matches an entry is counted under the entry's name; a followed outlet that skips a
# story is listed among the story's blindspots.
#
# outlets:
#   - name: The Calder Courier
#     aliases: [Calder Courier]
#     domains: [calder-courier.example]
#     lean: centre          # a label you choose, used to group outlets in the report
#     country: XX
#     owner: Courier Media Group
#     follow: true          # false: listed, but never counted as missing from a story
outlets: []
"""

STORIES_TEMPLATE = (
    STORIES_HEADER
    + """\
# Each run groups the pages of raw/unsorted/ into stories; pages in raw/<story>/ are pinned.
# `presslens stories --check` lists the groupings worth a look; the commands below record here:
#
# merge:                     # presslens stories merge INTO STORY...
#   - into: port-calder-bridge-closure
#     stories: [calder-bridge-shut-for-repairs]
# move:                      # presslens stories move ARTICLE STORY
#   - article: unsorted--a1b2c3d4e5f6a7b8-txt-0c1d2e
#     story: port-calder-bridge-closure
# rename:                    # presslens stories rename STORY [NEW_ID] [--title TITLE]
#   - story: calder-bridge-shut-for-repairs
#     to: calder-bridge
#     title: Calder bridge closed for repairs
# split:                     # presslens stories split STORY ARTICLE... [--to NEW_ID]
#   - story: port-calder-bridge-closure
#     articles: [unsorted--c3d4e5f6a7b8c9d0-html-1a2b3c]
#     to: calder-ferry-strike
"""
)

PREFECT_TEMPLATE = """\
# Scheduled runs of this project (README, "Running on a schedule"). Schedules need a Prefect
# server and a worker; from this folder:
#   prefect server start                                   # in one terminal
#   prefect work-pool create presslens --type process      # once
#   prefect deploy --all && prefect worker start --pool presslens
# `prefect deploy` records this folder as the working directory of every run, so raw/,
# processed/ and the .yaml files beside this one are the ones used.
name: presslens-project

deployments:
  - name: collect-and-compare-hourly
    description: Fetch new items of the feeds in sources.yaml into raw/, then process what is new.
    entrypoint: flows.collect_articles:collect_articles
    parameters:
      sources: sources.yaml
      raw_dir: raw
      out_dir: processed
      then_compare: true
    work_pool:
      name: presslens
    schedules:
      - cron: "5 * * * *"
        timezone: UTC
"""

RAW_README = """\
# raw/ — captured pages

Input only: presslens never modifies anything here.

- `presslens add PAGE_OR_URL [--outlet NAME] [--url URL]` copies a page into `unsorted/`, and
  `presslens collect` fetches the feeds and URLs of `../sources.yaml` there; each run groups the
  pages of `unsorted/` into stories.
- A folder `raw/<story>/` pins its pages to that story (`presslens add --story SLUG`).
- A page may have a sidecar `<page>.meta.json` (`outlet`, `url`, `published`); add and collect write it.
"""

# What ``presslens init`` writes, relative to the project folder, in the order it reports them.
PROJECT_FILES: dict[str, str] = {
    "sources.yaml": SOURCES_TEMPLATE,
    "outlets.yaml": OUTLETS_TEMPLATE,
    "stories.yaml": STORIES_TEMPLATE,
    "prefect.yaml": PREFECT_TEMPLATE,
    "raw/README.md": RAW_README,
}


class ProjectExists(FileExistsError):
    """A file ``init`` would write is already there; ``paths`` names each one (nothing was written)."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        names = ", ".join(str(p) for p in paths)
        super().__init__(f"already there, not overwritten: {names}; nothing was written")


def init_project(folder: str | Path) -> list[Path]:
    """Create ``folder`` (if needed), ``raw/`` and every file of :data:`PROJECT_FILES`; the paths written.

    Refuses, writing nothing, when any of those files exists (a user's sources or story decisions
    must never be replaced by examples); an existing ``raw/`` folder and its pages are fine."""
    root = Path(folder)
    targets = [root / name for name in PROJECT_FILES]
    existing = [path for path in targets if os.path.lexists(path)]
    if existing:
        raise ProjectExists(existing)
    (root / "raw").mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in zip(targets, PROJECT_FILES.values(), strict=True):
        with open(path, "x", encoding="utf-8") as fh:  # "x": a file that appeared meanwhile is not replaced
            fh.write(text)
        written.append(path)
    return written


class FoldersOverlap(ValueError):
    """raw/ and processed/ overlap: a run would read its own outputs as pages, or write into raw/."""


def check_folders(raw_dir: str | Path, out_dir: str | Path) -> None:
    """Refuse an output folder inside the raw folder (the next run would read its tables and reports as
    pages, and every run would write into raw/, which the pipeline never modifies), the raw folder inside
    the output folder, or the two the same; links are followed."""
    raw, out = Path(raw_dir).resolve(), Path(out_dir).resolve()
    if out == raw or out.is_relative_to(raw):
        raise FoldersOverlap(
            f"the output folder {out_dir} is inside the raw folder {raw_dir}: a run would write into raw/ and "
            "the next one would read its own tables as pages; choose an output folder outside raw/"
        )
    if raw.is_relative_to(out):
        raise FoldersOverlap(
            f"the raw folder {raw_dir} is inside the output folder {out_dir}, which presslens rewrites; "
            "keep raw/ outside it"
        )
