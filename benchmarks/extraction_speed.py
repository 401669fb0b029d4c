"""Articles per second of extract_article over the PolNeAR dev texts, on one core.

.venv/bin/python benchmarks/extraction_speed.py [--data DIR] [--repeat N]
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.extraction import extract_article, tagger  # noqa: E402


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="shared data directory")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the texts; the best pass is reported")
    args = parser.parse_args()
    text_dir = args.data / "polnear-dev" / "text"
    if not text_dir.is_dir():
        print(f"{text_dir} is absent: the benchmark needs the shared PolNeAR dev texts.", file=sys.stderr)
        return 1
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target is stated
    texts = [path.read_text(encoding="utf-8") for path in sorted(text_dir.glob("*.txt"))]
    characters = sum(len(text) for text in texts)
    print(f"{len(texts)} articles, {characters:,} characters")
    model = tagger.configured()
    if model is None:
        print(f"No learned model at {tagger.DEFAULT_MODEL} (`manage.py train_extraction` builds it): rules only.")
    for name, extractor in [("rules only", None)] + ([("rules + learned model", model)] if model else []):
        best = float("inf")
        candidates = 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            candidates = sum(len(extract_article(text=text, tagger=extractor).candidates) for text in texts)
            best = min(best, time.perf_counter() - started)
        per_article_ms = best * 1000 / len(texts)
        print(
            f"{name}: {len(texts) / best:.0f} articles/second ({per_article_ms:.2f} ms per article), "
            f"{candidates} candidates, best of {args.repeat}"
        )
    print(f"one core of {os.cpu_count()} ({cpu_model()}), Python {platform.python_version()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
