"""Scale benchmark: N pages through the whole pipeline, beside bare trafilatura on the same pages.

For each N it builds a corpus (:mod:`benchmarks.scale_corpus`), then measures, in this run:

1. bare ``trafilatura.extract`` over every page in one process (the reference the target is
   stated against: timed before the run and again after it, the mean of the two, since this
   machine's speed drifts by tens of per cent within minutes), and over a process pool as wide
   as the pipeline's, for context;
2. ``presslens run`` on the corpus in a child process — the Prefect flow, or ``--local`` —
   sampling the resident memory of the child and its worker processes every 0.1 s (the
   Prefect API server is measured apart); the child appends the intervals of library work to
   a timings file (:mod:`presslens.timing`), so the wall time splits into Prefect start-up
   (process start to flow body), pipeline work and orchestration; the same sampler reads every
   process's CPU seconds, for a CPU-time ratio beside the wall ratio (bare trafilatura's CPU
   seconds against the run's, spread over its cores): what the run would reach with every core
   busy from start to end, so the gap between the two is start-up and idle cores (the CPU ratio
   drifts with the machine as much as the wall ratio does: docs/benchmarks.md, stop 50);
3. one page added to the processed corpus and the run repeated: its pipeline time (wall
   beyond start-up) is what a user adding an article waits for.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.scale_corpus import build_scale_corpus
from presslens.settings import TIMINGS_ENV, default_workers
from presslens.timing import read_intervals, union_seconds

SERVER_MARKERS = ("uvicorn", "prefect.server", "prefect server")


def page_input(path: Path) -> bytes:
    """What a bare trafilatura user would pass: the page's bytes, gunzipped if saved as .gz."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _extract_many(paths: list[str]) -> int:
    import trafilatura

    found = 0
    for p in paths:
        if trafilatura.extract(page_input(Path(p))):
            found += 1
    return found


def bare_trafilatura(paths: list[Path], workers: int = 1) -> tuple[float, int, float]:
    """Seconds for ``trafilatura.extract`` (defaults) on every page, how many gave text, and the CPU seconds it
    took (in one process; 0.0 over a pool)."""
    names = [str(p) for p in paths]
    if workers <= 1:
        _extract_many(names[:3])  # imports and lxml warm-up are not per-page costs
        start, cpu = time.perf_counter(), time.process_time()
        found = _extract_many(names)
        return time.perf_counter() - start, found, time.process_time() - cpu
    chunks = [names[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract_many, [c[:2] for c in chunks]))
        start = time.perf_counter()
        found = sum(pool.map(_extract_many, chunks))
    return time.perf_counter() - start, found, 0.0


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_table() -> tuple[dict[int, list[int]], dict[int, float]]:
    """Every process's children and CPU seconds so far (user + system), from one pass over /proc (per sample, not
    per process of the tree: scanning /proc once per process took ~9% of a core, taken from the run measured)."""
    kids: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            parent, used = int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(parent, []).append(int(entry.name))
        cpu[int(entry.name)] = used
    return kids, cpu


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _is_server(pid: int) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return any(m in cmd for m in SERVER_MARKERS)


class MemorySampler:
    """Peak summed RSS of a process tree, the Prefect API server's subtree counted apart; and the CPU seconds of
    every process of the tree as last sampled (a process's last tenth of a second before it exits is missed)."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.peak_pipeline = self.peak_server = 0.0
        self.cpu_seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pipeline = server = 0.0
            children, cpu = _process_table()
            stack = [(self.pid, False)]
            while stack:
                pid, in_server = stack.pop()
                if pid in cpu:
                    self.cpu_seen[pid] = cpu[pid]
                in_server = in_server or _is_server(pid)
                rss = _rss_mb(pid)
                if in_server:
                    server += rss
                else:
                    pipeline += rss
                stack += [(kid, in_server) for kid in children.get(pid, [])]
            self.peak_pipeline = max(self.peak_pipeline, pipeline)
            self.peak_server = max(self.peak_server, server)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_s(self) -> float:
        """CPU seconds of every process of the tree, as last sampled."""
        return sum(self.cpu_seen.values())


@dataclass
class RunMeasure:
    wall_s: float
    startup_s: float  # process start to the flow body (imports, API server, flow run creation)
    library_s: float  # union of the pipeline's own intervals
    flow_s: float  # the flow body
    peak_rss_mb: float  # child + its pool workers
    server_rss_mb: float  # the temporary Prefect API server, when there is one
    returncode: int
    output: str
    steps: dict | None = None  # seconds per named step of the library (plan_run, build_tables, …)
    cpu_s: float = 0.0  # CPU seconds of the run's every process (server and workers included), as sampled


def measure_run(
    raw: Path, out: Path, local: bool = False, extra_env: dict | None = None, entities: str | None = None
) -> RunMeasure:
    """``presslens run`` in a child process, timed and memory-sampled."""
    timings = Path(tempfile.mkstemp(prefix="presslens-timings-", suffix=".jsonl")[1])
    timings.write_text("")
    env = {**os.environ, TIMINGS_ENV: str(timings), **(extra_env or {})}
    cmd = [sys.executable, "-m", "presslens.cli", "run", "--raw", str(raw), "--out", str(out)]
    if local:
        cmd.append("--local")
    if entities:
        cmd += ["--entities", entities]
    start = time.time()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = MemorySampler(child.pid)
    output, _ = child.communicate()
    end = time.time()
    sampler.stop()
    intervals = read_intervals(timings)
    timings.unlink()
    flows = [i for i in intervals if i["name"] == "flow"]
    first_work = min((i["start"] for i in intervals), default=end)
    flow_start = flows[0]["start"] if flows else first_work
    # work done before the flow body (presslens run plans and loads models while Prefect starts) is start-up time
    library = union_seconds(
        [(max(i["start"], flow_start), i["end"]) for i in intervals if i["name"] != "flow" and i["end"] > flow_start]
    )
    flow_s = sum(i["end"] - i["start"] for i in flows) if flows else library
    steps: dict[str, float] = {}
    for i in intervals:
        steps[i["name"]] = round(steps.get(i["name"], 0.0) + i["end"] - i["start"], 2)
    return RunMeasure(
        round(end - start, 2),
        round(flow_start - start, 2),
        round(library, 2),
        round(flow_s, 2),
        round(sampler.peak_pipeline, 1),
        round(sampler.peak_server, 1),
        child.returncode,
        output[-2000:],
        steps,
        round(sampler.cpu_s, 1),
    )


@dataclass
class ScaleResult:
    pages: int
    engine: str
    workers: int
    pipeline_pages_per_s: float  # pages / wall of the flow body (start-up excluded)
    pipeline_pages_per_s_with_startup: float
    trafilatura_pages_per_s: float  # bare trafilatura.extract, one process
    trafilatura_pool_pages_per_s: float  # the same over a pool as wide as the pipeline's
    ratio: float  # pipeline (flow body) / bare trafilatura (one process)
    ratio_with_startup: float  # the whole run, start-up included / bare trafilatura (one process)
    ratio_same_cores: float
    peak_rss_mb: float
    server_rss_mb: float
    wall_s: float
    startup_s: float
    library_s: float
    prefect_share: float  # (wall - library) / wall: start-up, imports, task and state overhead
    prefect_share_in_flow: float  # (flow body - library) / flow body
    add_one_wall_s: float
    add_one_startup_s: float
    add_one_beyond_startup_s: float  # wall minus start-up: includes stopping the temporary API server
    add_one_flow_s: float  # the flow body: plan, process, rebuild, artifacts (tables written at its end)
    add_one_library_s: float
    noop_wall_s: float  # a rerun with nothing new
    noop_flow_s: float
    add_one_beyond_noop_s: float  # what one new page costs beyond that: flow bodies (start-up varies by seconds)
    failed_pages: int
    corpus: str = "mix"
    entities: str = "auto"
    trafilatura_before_pages_per_s: float = 0.0  # bare trafilatura just before the run and just after it: the
    trafilatura_after_pages_per_s: float = 0.0  # machine's speed drifts by tens of per cent within minutes here
    run_cpu_s: float = 0.0  # CPU seconds of the whole run, every process (server and workers included)
    trafilatura_cpu_pages_per_s: float = 0.0  # bare trafilatura per CPU second, before and after the run
    # the run's pages per CPU second, times the cores it had, against bare trafilatura's per CPU second: what the
    # whole-run ratio would be with every core busy throughout; the gap to it is start-up and idle cores
    ratio_cpu: float = 0.0


def run_scale(
    shared: str | Path,
    n: int,
    work: str | Path | None = None,
    local: bool = False,
    corpus: str = "mix",
    entities: str | None = None,
) -> ScaleResult:
    workers = default_workers()
    with tempfile.TemporaryDirectory(prefix="presslens-scale-") as tmp:
        root = Path(work) if work else Path(tmp)
        raw, out = root / f"raw{n}", root / f"processed{n}"
        if out.exists():
            import shutil

            shutil.rmtree(out)
        paths = build_scale_corpus(shared, raw, n + 1, corpus)
        extra = paths.pop()  # the page added after the first run
        extra_bytes = extra.read_bytes()
        extra_sidecar = Path(f"{extra}.meta.json")
        sidecar_bytes = extra_sidecar.read_bytes() if extra_sidecar.exists() else None
        extra.unlink()
        if sidecar_bytes is not None:
            extra_sidecar.unlink()

        traf_s, _, traf_cpu = bare_trafilatura(paths)
        traf_pool_s, _, _ = bare_trafilatura(paths, workers)

        first = measure_run(raw, out, local, entities=entities)
        if first.returncode != 0:
            raise RuntimeError(f"presslens run failed (exit {first.returncode}):\n{first.output}")
        failed = sum(1 for _ in _failed_states(out))
        # the reference timed on both sides of the run it is set against
        traf_after_s, _, traf_after_cpu = bare_trafilatura(paths)
        noop = measure_run(raw, out, local, entities=entities)  # nothing new: what any run costs

        extra.write_bytes(extra_bytes)
        if sidecar_bytes is not None:
            extra_sidecar.write_bytes(sidecar_bytes)
        second = measure_run(raw, out, local, entities=entities)
        if second.returncode != 0:
            raise RuntimeError(f"presslens run (one page added) failed:\n{second.output}")

    traf_rate = n / ((traf_s + traf_after_s) / 2)
    pipe_rate = n / first.flow_s if first.flow_s else 0.0
    traf_cpu_rate = n / ((traf_cpu + traf_after_cpu) / 2) if traf_cpu + traf_after_cpu else 0.0
    pipe_cpu_rate = n * workers / first.cpu_s if first.cpu_s else 0.0
    return ScaleResult(
        pages=n,
        engine="local" if local else prefect_engine(),
        workers=workers,
        pipeline_pages_per_s=round(pipe_rate, 2),
        pipeline_pages_per_s_with_startup=round(n / first.wall_s, 2),
        trafilatura_pages_per_s=round(traf_rate, 2),
        trafilatura_pool_pages_per_s=round(n / traf_pool_s, 2),
        ratio=round(pipe_rate / traf_rate, 3),
        ratio_with_startup=round((n / first.wall_s) / traf_rate, 3),
        ratio_same_cores=round(pipe_rate / (n / traf_pool_s), 3),
        peak_rss_mb=first.peak_rss_mb,
        server_rss_mb=first.server_rss_mb,
        wall_s=first.wall_s,
        startup_s=first.startup_s,
        library_s=first.library_s,
        prefect_share=round((first.wall_s - first.library_s) / first.wall_s, 3),
        prefect_share_in_flow=round((first.flow_s - first.library_s) / first.flow_s, 3) if first.flow_s else 0.0,
        add_one_wall_s=second.wall_s,
        add_one_startup_s=second.startup_s,
        add_one_beyond_startup_s=round(second.wall_s - second.startup_s, 2),
        add_one_flow_s=second.flow_s,
        add_one_library_s=second.library_s,
        noop_wall_s=noop.wall_s,
        noop_flow_s=noop.flow_s,
        add_one_beyond_noop_s=round(second.flow_s - noop.flow_s, 2),
        failed_pages=failed,
        corpus=corpus,
        entities=entities or "auto",
        trafilatura_before_pages_per_s=round(n / traf_s, 2),
        trafilatura_after_pages_per_s=round(n / traf_after_s, 2),
        run_cpu_s=first.cpu_s,
        trafilatura_cpu_pages_per_s=round(traf_cpu_rate, 2),
        ratio_cpu=round(pipe_cpu_rate / traf_cpu_rate, 3) if traf_cpu_rate else 0.0,
    )


def _failed_states(out: Path):
    for path in (out / "state").glob("*.json"):
        try:
            if not json.loads(path.read_text(encoding="utf-8")).get("ok"):
                yield path.stem
        except (OSError, ValueError):
            yield path.stem


def prefect_engine() -> str:
    """Which Prefect API the runs talk to: the temporary server each run starts (``presslens run`` alone), or a
    running server (PREFECT_API_URL set: what scheduled runs use, a server started once and not timed here)."""
    url = os.environ.get("PREFECT_API_URL")
    return f"prefect (running server {url})" if url else "prefect (temporary server, started by each run)"


# issue 33's re-based aims for the whole run on 1,000 Zyte pages, by entity reader (spaCy does more per page)
WHOLE_RUN_AIMS = {"rules": 0.33, "spacy": 0.21}


def whole_run_aim(entities: str) -> float:
    """The whole-run ratio aimed at with this entity reader ('auto' reads with spaCy when it is installed)."""
    return WHOLE_RUN_AIMS["rules" if entities == "rules" else "spacy"]


def format_result(r: ScaleResult) -> str:
    lines = [
        f"scale benchmark: {r.pages} pages ({r.corpus}), engine {r.engine}, {r.workers} worker processes, "
        f"entity reader {r.entities}",
        f"  pipeline end to end   {r.pipeline_pages_per_s:8.2f} pages/s  (flow body; "
        f"{r.pipeline_pages_per_s_with_startup:.2f} pages/s counting start-up)",
        f"  bare trafilatura      {r.trafilatura_pages_per_s:8.2f} pages/s  (one process, timed before and after the "
        f"run: {r.trafilatura_before_pages_per_s:.2f} and {r.trafilatura_after_pages_per_s:.2f}; "
        f"{r.trafilatura_pool_pages_per_s:.2f} pages/s over {r.workers} processes)",
        f"  ratio, whole run      {r.ratio_with_startup:8.3f}          (start-up included, against bare trafilatura "
        f"in one process; aim >= {whole_run_aim(r.entities):.2f})",
        f"  ratio, flow body      {r.ratio:8.3f}          ({r.ratio_same_cores:.3f} against trafilatura "
        f"on as many cores)",
        f"  ratio, CPU time       {r.ratio_cpu:8.3f}          (the run's {r.run_cpu_s:.0f} CPU s over all its "
        f"processes on {r.workers} cores, against bare trafilatura's {r.trafilatura_cpu_pages_per_s:.2f} pages per "
        f"CPU s: the whole run with every core busy throughout; the aim is the whole-run ratio)",
        f"  peak memory           {r.peak_rss_mb:8.1f} MB      (run + worker processes; Prefect API server "
        f"{r.server_rss_mb:.1f} MB apart)",
        f"  wall {r.wall_s:.1f} s = start-up {r.startup_s:.1f} s + pipeline work {r.library_s:.1f} s + "
        f"orchestration {max(0.0, r.wall_s - r.startup_s - r.library_s):.1f} s",
        f"  Prefect's share       {r.prefect_share:8.1%}          of the wall time (start-up included; "
        f"{r.prefect_share_in_flow:.1%} of the flow body)",
        f"  add one page, re-run  {r.add_one_flow_s:8.2f} s flow body (target <= 5 s beyond start-up; "
        f"pipeline work {r.add_one_library_s:.2f} s; start-up {r.add_one_startup_s:.1f} s; "
        f"{r.add_one_beyond_startup_s:.1f} s to process exit; wall {r.add_one_wall_s:.1f} s)",
        f"  add one page vs no-op {r.add_one_beyond_noop_s:8.2f} s          (flow bodies; aim <= 5 s; a rerun with "
        f"nothing new: {r.noop_flow_s:.2f} s flow body, {r.noop_wall_s:.1f} s wall)",
        f"  pages that failed     {r.failed_pages:8d}",
    ]
    return "\n".join(lines)


def run_big_story(shared: str | Path, n: int, work: str | Path | None = None) -> str:
    """N pages of the scale corpus filed in one story folder: the story's tables and key points at that size."""
    import shutil

    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="presslens-big-story-") as tmp:
        root = Path(work) if work else Path(tmp)
        spread, raw, out = root / f"spread{n}", root / f"big-raw{n}", root / f"big-processed{n}"
        for folder in (raw, out):
            shutil.rmtree(folder, ignore_errors=True)
        story = raw / "one-big-story"
        story.mkdir(parents=True)
        for k, path in enumerate(build_scale_corpus(shared, spread, n)):
            shutil.copy(path, story / f"{k:05d}-{path.name}")
            sidecar = Path(f"{path}.meta.json")
            if sidecar.exists():
                meta = json.loads(sidecar.read_text(encoding="utf-8"))
                meta.pop("story", None)
                (story / f"{k:05d}-{path.name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(spread, ignore_errors=True)
        run = measure_run(raw, out, local=True)
        if run.returncode != 0:
            raise RuntimeError(f"presslens run failed (exit {run.returncode}):\n{run.output}")
        row = pd.read_parquet(out / "stories.parquet").iloc[0]
    steps = run.steps or {}
    return "\n".join(
        [
            f"one big story: {n} pages filed in one story folder (presslens run --local)",
            f"  {int(row['articles'])} articles, {int(row['kp_units']):,} clauses compared, "
            f"{int(row['key_points']):,} key points; {int(row['kp_articles_truncated'])} article(s) over the clause "
            f"limit, {int(row['kp_units_capped']):,} clauses with partners cut to the strongest",
            f"  pages processed in {steps.get('process_pages', 0):.1f} s; the story's tables (key points, coverage, "
            f"terms, actors, report) in {steps.get('build_tables', 0):.1f} s; wall {run.wall_s:.1f} s",
            f"  peak memory {run.peak_rss_mb:,.0f} MB (run + worker processes)",
        ]
    )


def add_arguments(parser) -> None:
    """The scale benchmark's options (shared by ``python -m benchmarks.scale`` and ``presslens bench scale``)."""
    parser.add_argument("--shared", default="../shared", help="the shared material (default: ../shared)")
    parser.add_argument("--pages", default="1000", help="N, or a series such as 250,1000,4000 (default: 1000)")
    parser.add_argument("--local", action="store_true", help="run the pipeline without Prefect")
    parser.add_argument("--work", help="keep the generated corpus and processed/ in this folder")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument(
        "--big-story", type=int, metavar="N", help="also file N pages in one story and time its tables (e.g. 1000)"
    )
    parser.add_argument(
        "--corpus",
        choices=["mix", "zyte-html", "zyte-text", "basil"],
        default="mix",
        help="the pages: the Zyte HTML pages, their text dumps, BASIL renders, or all mixed (default)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only the CPU per page by stage on the Zyte HTML pages, their text dumps and BASIL pages",
    )
    parser.add_argument(
        "--entities",
        choices=["spacy", "rules"],
        help="the entity reader (default: presslens run's own, auto; rules when profiling)",
    )


def run_series(args) -> int:
    """Run the benchmark at each N of ``args.pages`` and print (and optionally save) the results."""
    if args.profile:
        from benchmarks.profile import run_profile

        print(run_profile(args.shared, entities=args.entities or "rules"), flush=True)
        return 0
    results = []
    for n in [int(x) for x in args.pages.split(",")]:
        result = run_scale(args.shared, n, args.work, args.local, args.corpus, args.entities)
        print(format_result(result), flush=True)
        results.append(asdict(result))
    if len(results) > 1:
        print("\n  N      pages/s  ratio  peak MB  MB/page-marginal")
        for prev, cur in zip([None, *results[:-1]], results, strict=True):
            marginal = (
                f"{(cur['peak_rss_mb'] - prev['peak_rss_mb']) / (cur['pages'] - prev['pages']):.3f}" if prev else "–"
            )
            print(
                f"  {cur['pages']:<6} {cur['pipeline_pages_per_s']:7.2f}  {cur['ratio']:.3f}  "
                f"{cur['peak_rss_mb']:7.1f}  {marginal}"
            )
    if args.big_story:
        print(run_big_story(args.shared, args.big_story, args.work), flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="presslens bench scale")
    add_arguments(parser)
    return run_series(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
