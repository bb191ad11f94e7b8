"""Growth benchmark: what a run that adds 10 pages costs as the corpus grows (issue 33).

The corpus is synthetic, written here, so that its size costs nothing to fetch: stories of five
short plain-text pages (about 120 words each) by five made-up outlets about a made-up event
(a name, a town, a number and a day of its own per story), each story pinned by its folder. Their
processing is real (``presslens run --local``); only their text is made up. Cost, not quality, is
measured here.

For each corpus size N it builds the corpus and runs once (not timed: that is the whole corpus'
first run), runs again with nothing new (the no-op), then adds two stories of five pages (10 pages)
and times that run in a child process, with the library's step timings. The aim: the 10-page run at
5,000 pages costs at most 1.5x the one at 500.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.scale import measure_run

OUTLETS = ("Calder Courier", "Valley Wire", "Northshore Daily", "Harbourline Radio", "Ridge Gazette")
SYLLABLES = ("mar", "ten", "vo", "ril", "sa", "dun", "ke", "lo", "bra", "ni", "tor", "el", "wyn", "pa", "gor", "is")
EVENTS = (
    ("bridge", "closed the {place} bridge after inspectors found corroded cables"),
    ("fire", "ordered {number} residents of {place} to leave as a grass fire spread"),
    ("council", "voted to cut the {place} library budget by {number} thousand"),
    ("flood", "opened a shelter in {place} after the river rose {number} centimetres overnight"),
    ("strike", "said {number} drivers in {place} would stop work over unpaid overtime"),
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
PAGES_PER_STORY = 5
ADDED_STORIES = 2  # 10 pages added by the timed run


def made_up_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def story_pages(k: int) -> list[tuple[str, str, str]]:
    """Story ``k``'s five pages: (story folder, file name, text), the same for the same ``k``."""
    rng = random.Random(k)
    person = f"{made_up_word(rng, 2)} {made_up_word(rng, 3)}"
    place, number, day = made_up_word(rng, 3), rng.randint(12, 990), rng.choice(DAYS)
    kind, what = EVENTS[k % len(EVENTS)]
    action = what.format(place=place, number=number)
    story = f"{kind}-{place.lower()}-{k:05d}"
    pages = []
    for i, outlet in enumerate(OUTLETS):
        quote = made_up_word(rng, 2).lower()
        lines = [
            f"{outlet}",
            "Home | Local | Weather",
            "",
            f"{place} officials {action}",
            "",
            f"{place.upper()} — Officials {action} on {day}, {person} of the regional office said.",
            "",
            f"\"We had no other choice,\" {person.split()[-1]} told reporters, adding that a review of the "
            f"{quote} plan would follow within {rng.randint(2, 9)} weeks.",
            "",
            f"Residents of {place} said they first heard of it on {day} morning. Some {number} people "
            f"are affected, according to the {place} town hall, which set up a help line.",
            "",
            f"The {outlet} asked the regional office for the inspection report; a spokesperson said it "
            f"would be published once the {quote} review was complete. Another update is expected {day}.",
            "",
            "Share this story",
            f"© {outlet}",
        ]
        pages.append((story, f"{outlet.lower().replace(' ', '-')}-{i}.txt", "\n".join(lines) + "\n"))
    return pages


def write_stories(raw: Path, first: int, count: int) -> int:
    """Write stories ``first`` … ``first + count - 1`` under ``raw``; returns the pages written."""
    written = 0
    for k in range(first, first + count):
        for story, name, text in story_pages(k):
            folder = raw / story
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
            written += 1
    return written


@dataclass
class GrowthResult:
    pages: int
    first_run_s: float  # the whole corpus' first run (wall)
    noop_s: float  # a run with nothing new (wall)
    add10_s: float  # the run that adds 10 pages (wall)
    add10_steps: dict  # its library steps (seconds)


def run_growth(n: int, work: Path) -> GrowthResult:
    raw, out = work / f"raw{n}", work / f"processed{n}"
    for folder in (raw, out):
        shutil.rmtree(folder, ignore_errors=True)
    stories = n // PAGES_PER_STORY
    write_stories(raw, 0, stories)
    first = measure_run(raw, out, local=True, entities="rules")
    if first.returncode != 0:
        raise RuntimeError(f"presslens run failed:\n{first.output}")
    noop = measure_run(raw, out, local=True, entities="rules")
    write_stories(raw, stories, ADDED_STORIES)
    added = measure_run(raw, out, local=True, entities="rules")
    if added.returncode != 0:
        raise RuntimeError(f"presslens run (10 pages added) failed:\n{added.output}")
    return GrowthResult(n, first.wall_s, noop.wall_s, added.wall_s, added.steps or {})


def format_results(results: list[GrowthResult]) -> str:
    base = results[0]
    lines = [
        "growth: a run that adds 10 pages (two stories of five) to a corpus of N synthetic pages "
        "(presslens run --local, rules entity reader)",
        "  N        first run   no-op run   add 10 pages   vs smallest   build_tables  plan_run  group_stories",
    ]
    for r in results:
        s = r.add10_steps
        lines.append(
            f"  {r.pages:<8} {r.first_run_s:8.1f} s  {r.noop_s:8.1f} s  {r.add10_s:10.2f} s   "
            f"{r.add10_s / base.add10_s:8.2f}x   {s.get('build_tables', 0):9.2f} s  {s.get('plan_run', 0):6.2f} s  "
            f"{s.get('group_stories', 0):8.2f} s"
        )
    lines.append("  aim: the 10-page run at 5,000 pages <= 1.5x the one at 500")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks growth")
    add_arguments(parser)
    return run_series(parser.parse_args(argv))


def add_arguments(parser) -> None:
    parser.add_argument("--pages", default="500,5000", help="corpus sizes, smallest first (default: 500,5000)")
    parser.add_argument("--work", help="keep the corpora and processed/ folders here")
    parser.add_argument("--json", help="also write the results to this JSON file")


def run_series(args) -> int:
    with tempfile.TemporaryDirectory(prefix="presslens-growth-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = []
        for n in [int(x) for x in args.pages.split(",")]:
            results.append(run_growth(n, work))
            print(format_results(results), flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
