"""Articles per second of extract_article over the PolNeAR dev texts, on one core and on the whole machine.

.venv/bin/python benchmarks/extraction_speed.py [--data DIR] [--passes N] [--cores N]

Each configuration (rules alone; rules and the learned layer) runs N passes over the 84 texts, the two taking
turns, so that both meet the same load; the median pass is the figure, with the fastest and slowest beside it, and
the machine's load average is printed, since figures taken while something else runs are not the machine's. What
the learned layer costs is given as a share of the rules' time, the median over the pairs of passes run back to
back: on a shared machine that ratio holds where the figures themselves move by half. One more pass under cProfile
says where the time goes inside a pass; profiling adds a cost to every Python call, so its shares overstate code of
many small calls (the rules) against numpy's and compiled code's (the layer's scoring and decoding). Each figure is
also given by CPU time, the process's own, which other work on the machine moves less than the wall clock. What a
fresh process pays before that rate holds (the import, the model, the first article) is printed first.

Last, the machine's rate: one process per core (as a server's workers or a batch import use them), each pinned to
its core and warmed, all starting each pass together; a pass's rate is every process's articles over the time until
the last of them finished, so a slow core counts against it.
"""

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import sys
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IMPORT_STARTED = time.perf_counter()
from claims.extraction import ALL, extract_article, tagger  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - IMPORT_STARTED  # numba's import is most of it

# The stages of extract_article, by the function that does each (file, function name), in pipeline order.
STAGES = [
    ("cleaning", "cleaning.py", "clean_text"),
    ("metadata", "metadata.py", "extract_metadata"),
    ("rules", "pipeline.py", "read_by_rules"),
    ("learned layer", "tagger.py", "tag"),
    ("  tokens", "tagger.py", "tokens"),
    ("  per-token arrays", "tagger.py", "token_context"),
    ("  scores", "tagger.py", "scores"),
    ("  Viterbi", "tagger.py", "viterbi"),
    ("  probabilities", "tagger.py", "marginals"),
    ("headline (read the same way)", "pipeline.py", "headline_candidates"),
]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def read_texts(text_dir: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(text_dir.glob("*.txt"))]


def one_pass(texts: list[str], model) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of a pass, and the candidates found."""
    started, cpu_started = time.perf_counter(), time.process_time()
    candidates = sum(len(extract_article(text=text, tagger=model, attributions=ALL).candidates) for text in texts)
    return time.perf_counter() - started, time.process_time() - cpu_started, candidates


def where_time_goes(texts: list[str], model) -> None:
    profile = cProfile.Profile()
    profile.enable()
    one_pass(texts, model)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = sum(timing[2] for timing in stats.values())  # own time of every function: the whole pass
    parts = []
    for label, filename, function in STAGES:
        cumulative = sum(
            timing[3]
            for (path, _, name), timing in stats.items()
            if name == function and path.endswith(os.sep + filename) and "extraction" in path
        )
        if cumulative:
            parts.append(f"{label} {100 * cumulative / total:.0f}%")
    print("   where the time goes (share of a pass): " + ", ".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="shared data directory")
    parser.add_argument("--passes", type=int, default=7, help="passes over the texts; the median is reported")
    parser.add_argument("--cores", type=int, default=0, help="cores for the machine's rate (default: all)")
    args = parser.parse_args()
    text_dir = args.data / "polnear-dev" / "text"
    if not text_dir.is_dir():
        print(f"{text_dir} is absent: the benchmark needs the shared PolNeAR dev texts.", file=sys.stderr)
        return 1
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else list(range(os.cpu_count() or 1))
    cores = cores[: args.cores or len(cores)]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cores[0]})  # one core: the per-core figures
    texts = read_texts(text_dir)
    characters = sum(len(text) for text in texts)
    print(f"{len(texts)} articles, {characters:,} characters; load average before: {os.getloadavg()[0]:.2f}")
    loading = time.perf_counter()
    model = tagger.configured()
    loaded = time.perf_counter() - loading
    if model is None:
        print(f"No learned model at {tagger.DEFAULT_MODEL} (`manage.py train_extraction` builds it): rules only.")
    else:
        # What a fresh process pays before the passes' rate holds: not in the passes below, which follow a warm-up.
        first = time.perf_counter()
        extract_article(text=texts[0], tagger=model, attributions=ALL)
        print(
            f"a fresh process: importing the extractor {IMPORT_SECONDS:.2f} s, loading the model {loaded:.2f} s, "
            f"the first article {time.perf_counter() - first:.2f} s (the compiled decoders loaded from numba's "
            "cache, or compiled when there is none; its words learnt)"
        )
    extractors = [("rules only", None)] + ([("rules + learned layer", model)] if model else [])
    for _, extractor in extractors:
        one_pass(texts[:10], extractor)  # warm the caches and the model's word memory
    passes: list[list[tuple[float, float, int]]] = [[] for _ in extractors]
    for _ in range(args.passes):
        for timings, (_, extractor) in zip(passes, extractors, strict=True):
            timings.append(one_pass(texts, extractor))
    for (name, extractor), timings in zip(extractors, passes, strict=True):
        seconds = [elapsed for elapsed, _, _ in timings]
        rates = [len(texts) / elapsed for elapsed in seconds]
        median = statistics.median(seconds)
        # CPU time is the process's own: on a shared machine it moves less than the wall clock.
        cpu = statistics.median(cpu for _, cpu, _ in timings)
        print(
            f"{name}: {len(texts) / median:.0f} articles/second median ({min(rates):.0f}-{max(rates):.0f} over "
            f"{args.passes} passes), {median * 1000 / len(texts):.2f} ms per article, {timings[0][2]} candidates; "
            f"by CPU time {len(texts) / cpu:.0f} articles/second"
        )
        where_time_goes(texts, extractor)
    if len(passes) == 2:
        rules, layer = ([elapsed for elapsed, _, _ in timings] for timings in passes)
        shares = [with_layer / alone - 1 for alone, with_layer in zip(rules, layer, strict=True)]
        added = (statistics.median(layer) - statistics.median(rules)) * 1000 / len(texts)
        cpu_shares = [with_layer[1] / alone[1] - 1 for alone, with_layer in zip(*passes, strict=True)]
        print(
            f"the learned layer adds {100 * statistics.median(shares):.0f}% to the rules' time (median of "
            f"{args.passes} pairs of passes, {100 * min(shares):.0f}-{100 * max(shares):.0f}%; by CPU time "
            f"{100 * statistics.median(cpu_shares):.0f}%): {added:.2f} ms per article to "
            f"{statistics.median(rules) * 1000 / len(texts):.2f} (medians)"
        )
    print(
        f"one core of {os.cpu_count()} ({cpu_model()}), Python {platform.python_version()}; "
        f"load average after: {os.getloadavg()[0]:.2f}"
    )
    machine_rate(text_dir, cores, args.passes, has_model=model is not None)
    return 0


def machine_rate(text_dir: Path, cores: list[int], passes: int, has_model: bool) -> None:
    """Every core extracting at once, one process each; the median pass and the range."""
    context = get_context("forkserver")  # a fresh interpreter per core, as a server's workers are
    barrier = context.Barrier(len(cores))
    results = context.Queue()
    workers = [
        context.Process(target=core_worker, args=(core, text_dir, passes, has_model, barrier, results))
        for core in cores
    ]
    for worker in workers:
        worker.start()
    timings: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for _ in range(len(cores) * passes * (1 + has_model)):
        name, index, started, finished = results.get()
        timings.setdefault((name, index), []).append((started, finished))
    for worker in workers:
        worker.join()
    texts = len(read_texts(text_dir))
    for name in ["rules only"] + (["rules + learned layer"] if has_model else []):
        rates = []
        for index in range(passes):
            starts, ends = zip(*timings[(name, index)], strict=True)
            rates.append(len(cores) * texts / (max(ends) - min(starts)))
        print(
            f"the machine, {len(cores)} processes on {len(cores)} cores, {name}: {statistics.median(rates):.0f} "
            f"articles/second median ({min(rates):.0f}-{max(rates):.0f} over {passes} passes)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def core_worker(core: int, text_dir: Path, passes: int, has_model: bool, barrier, results) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
    texts = read_texts(text_dir)
    extractors = [("rules only", None)] + ([("rules + learned layer", tagger.configured())] if has_model else [])
    for _, extractor in extractors:
        one_pass(texts[:10], extractor)
    for name, extractor in extractors:
        for index in range(passes):
            barrier.wait()
            started = time.perf_counter()  # CLOCK_MONOTONIC: the same clock in every process
            one_pass(texts, extractor)
            results.put((name, index, started, time.perf_counter()))


if __name__ == "__main__":
    sys.exit(main())
