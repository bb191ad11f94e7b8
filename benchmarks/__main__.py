"""The benchmarks: ``python -m benchmarks NAME ...`` (``presslens bench NAME ...`` is an alias).

Each benchmark scores one stage on the material in ../shared/bench (scoring in its README) and prints
its reference or chance band beside the score. Benchmarks and training run from a checkout: they are
not installed with presslens (like trafilatura's evaluation), and the ``presslens`` command imports
them only when asked to benchmark.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from benchmarks import (
    claims,
    coverage,
    coverage_ecbplus,
    entities,
    extraction,
    framing,
    growth,
    render_text,
    scale,
    sourcing,
    stories,
    tone,
    traf_eval,
    zyte,
)
from presslens.cli import add_similarity_argument


def cmd_traf_eval(args: argparse.Namespace) -> int:
    """trafilatura's evaluation corpus: presslens, trafilatura's default ``extract()`` and all
    visible text, scored with trafilatura's own snippet metric in one run, whole and by half."""
    pages = traf_eval.load_pages(args.dir)
    if not pages:
        print(f"benchmarks: no pages found in {args.dir}", file=sys.stderr)
        return 2
    if args.render_text:
        return cmd_traf_eval_as_text(args, pages)
    ours, texts = traf_eval.run("presslens, shipped model", extraction.presslens_extract, pages)
    theirs, _ = traf_eval.run("trafilatura default extract()", traf_eval.trafilatura_default, pages)
    visible, _ = traf_eval.run("all visible text", traf_eval.visible_text, pages)
    visible.seconds = 0.0  # the rendering presslens does anyway: no rate worth printing
    print(f"extraction benchmark: {args.dir} (trafilatura's evaluation corpus, {len(pages)} pages)")
    print(traf_eval.report([ours, theirs, visible]))
    if args.save:
        saved = {f: {"text": texts[f], **vars(c), "half": ours.halves[f]} for f, c in sorted(ours.per_page.items())}
        Path(args.save).write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def cmd_traf_eval_as_text(args: argparse.Namespace, pages: list[traf_eval.EvalPage]) -> int:
    """trafilatura's evaluation pages rendered to full-page text as text-dev was (pages no plain-text
    rule was tuned on): presslens' plain-text cleaning beside trafilatura on the same text and every line."""
    rendered = [dataclasses.replace(page, html=render_text.render_text(page.html)) for page in pages]
    ours, cleaned = traf_eval.run("presslens, plain text", render_text.presslens_on_text, rendered)
    theirs, _ = traf_eval.run("trafilatura default on text", render_text.trafilatura_on_text, rendered)
    every, _ = traf_eval.run("every line of the text", render_text.every_line, rendered)
    every.seconds = 0.0
    print(f"extraction benchmark: {args.dir} rendered to text (inscriptis, as text-dev; {len(pages)} pages)")
    print(traf_eval.report([ours, theirs, every]))
    if args.save:
        saved = {f: {"text": cleaned[f], **vars(c), "half": ours.halves[f]} for f, c in sorted(ours.per_page.items())}
        Path(args.save).write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def cmd_extraction(args: argparse.Namespace) -> int:
    if traf_eval.is_traf_eval(args.dir):
        return cmd_traf_eval(args)
    if args.render_text:
        print(f"benchmarks: --render-text needs a traf-eval folder (evaldata.json): {args.dir}", file=sys.stderr)
        return 2
    from presslens.pages import looks_like_html

    dataset = zyte.load_dataset(args.dir)
    if not dataset:
        print(f"benchmarks: no pages found in {args.dir}", file=sys.stderr)
        return 2
    kind = "html" if looks_like_html(dataset[0][1]) else "text"
    results = []
    try:
        if not args.no_cross_validation:
            results.append(
                extraction.cross_validated(
                    "presslens, cross-validated", dataset, kind, folds=args.folds, repeats=args.repeats
                )
            )
    except ImportError as exc:  # a core dependency: only a broken environment lacks it
        print(f"(no cross-validated score: {exc})", file=sys.stderr)
    results.append(extraction.run("presslens, shipped model", extraction.presslens_extract, dataset))
    if kind == "html":
        results.append(extraction.run("trafilatura (bare)", extraction.trafilatura_extract, dataset))
    else:
        results.append(extraction.run("whole page text", extraction.whole_page, dataset))
    print(f"extraction benchmark: {args.dir} ({kind}, {len(dataset)} pages)")
    if len(results) > 2:
        print(
            f"  cross-validated = {args.folds} folds of pages, the line model trained without the scored page's fold:"
            f" the score on unseen pages (mean of {args.repeats} fold splits).\n"
            "  shipped model = trained on all of these pages (in-sample, an upper bound)."
        )
    print(extraction.report(results))
    if args.save:
        saved = {r.name: {p.page_id: {"precision": p.precision, "recall": p.recall} for p in r.pages} for r in results}
        Path(args.save).write_text(json.dumps(saved, indent=1), encoding="utf-8")
    return 0


def similarity_problem(name: str | None) -> str | None:
    """Why the chosen key-point backend cannot run (unknown name, semantic extra missing), before any work."""
    from presslens.settings import usable_similarity

    try:
        usable_similarity(name)
    except (ValueError, RuntimeError, OSError) as exc:
        return str(exc)
    return None


def cmd_coverage(args: argparse.Namespace) -> int:
    problem = similarity_problem(args.similarity)
    if problem:
        print(f"presslens: {problem}", file=sys.stderr)
        return 2
    if (Path(args.dir) / "docs.jsonl").exists():  # ECB+: key points against cross-document action clusters
        print(coverage_ecbplus.run(args.dir, backend=args.similarity, references=args.references))
    else:  # NewsWCL50: a printed reference (its aim was retired; see docs/benchmarks.md)
        print(coverage.run(args.dir, backend=args.similarity))
    return 0


def cmd_framing(args: argparse.Namespace) -> int:
    print(framing.run(args.csv))
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    print(stories.run(args))
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    print(entities.run(args.shared))
    return 0


def cmd_sourcing(args: argparse.Namespace) -> int:
    print(sourcing.run(args.shared))
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    problem = similarity_problem(args.similarity)
    if problem:
        print(f"presslens: {problem}", file=sys.stderr)
        return 2
    print(claims.run(args.shared, backend=args.similarity))
    return 0


def cmd_tone(args: argparse.Namespace) -> int:
    print(tone.run(args.shared))
    return 0


def cmd_scale(args: argparse.Namespace) -> int:
    return scale.run_series(args)


def cmd_growth(args: argparse.Namespace) -> int:
    return growth.run_series(args)


def build_parser(prog: str = "python -m benchmarks") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="presslens benchmarks on ../shared/bench")
    sub = parser.add_subparsers(dest="bench", required=True)
    bext = sub.add_parser(
        "extraction",
        help="score extraction on an html-dev or text-dev folder (Zyte metric) or a traf-eval folder "
        "(trafilatura's snippet metric, trafilatura default beside presslens)",
    )
    bext.add_argument("dir")
    bext.add_argument(
        "--no-cross-validation", action="store_true", help="the shipped model and the baseline only (minutes faster)"
    )
    bext.add_argument("--save", help="write each page's scores (traf-eval: and presslens' text) to this JSON file")
    bext.add_argument(
        "--render-text",
        action="store_true",
        help="traf-eval folder: render each page to full-page text as text-dev was (inscriptis) and score "
        "presslens' plain-text cleaning, trafilatura on the text and every line",
    )
    bext.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    bext.add_argument(
        "--repeats", type=int, default=3, help="fold splits to average (default: 3; one split is noisy on ~100 pages)"
    )
    bext.set_defaults(func=cmd_extraction)
    bfr = sub.add_parser("framing", help="accuracy and macro-F1 on a FrAC-style CSV (sentence, frame_code)")
    bfr.add_argument("csv")
    bfr.set_defaults(func=cmd_framing)
    bcov = sub.add_parser(
        "coverage",
        help="key points against ECB+'s shared action clusters (a folder with docs.jsonl), "
        "or key-point overlap against NewsWCL50's concept overlap",
    )
    bcov.add_argument("dir")
    add_similarity_argument(bcov)
    bcov.add_argument(
        "--references",
        action="store_true",
        help="ECB+: also score outputs that read no word and oracles made from presslens' key points and the gold",
    )
    bcov.set_defaults(func=cmd_coverage)
    bstories = sub.add_parser(
        "stories", help="B-cubed F1 of story grouping on ECB+ and BASIL pages dropped into raw/ unsorted"
    )
    stories.add_arguments(bstories)
    bstories.set_defaults(func=cmd_stories)
    bent = sub.add_parser("entities", help="recall of BASIL's main entities among each article's top names")
    bent.add_argument("--shared", default="../shared", help="the shared material (default: ../shared)")
    bent.set_defaults(func=cmd_entities)
    bsrc = sub.add_parser(
        "sourcing", help="quote precision, recall and speaker accuracy on BASIL articles read by hand"
    )
    bsrc.add_argument("--shared", default="../shared", help="the shared material (default: ../shared)")
    bsrc.set_defaults(func=cmd_sourcing)
    bclaims = sub.add_parser(
        "claims", help="precision of 'every outlet'/'only X reports' claims, unique-fact recall (BASIL read by hand)"
    )
    bclaims.add_argument("--shared", default="../shared", help="the shared material (default: ../shared)")
    add_similarity_argument(bclaims)
    bclaims.set_defaults(func=cmd_claims)
    btone = sub.add_parser("tone", help="tone against BASIL's annotated author feeling")
    btone.add_argument("--shared", default="../shared", help="the shared material (default: ../shared)")
    btone.set_defaults(func=cmd_tone)
    bscale = sub.add_parser(
        "scale", help="N pages through the whole pipeline beside bare trafilatura: pages/s, memory, Prefect's share"
    )
    scale.add_arguments(bscale)
    bscale.set_defaults(func=cmd_scale)
    bgrowth = sub.add_parser(
        "growth", help="a run adding 10 pages to synthetic corpora of N pages: what one run costs as the corpus grows"
    )
    growth.add_arguments(bgrowth)
    bgrowth.set_defaults(func=cmd_growth)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m benchmarks") -> int:
    args = build_parser(prog).parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
