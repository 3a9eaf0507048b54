"""Runs the benchmark figures, each against its baseline in the same run, and prints medians of
N runs with min and max and the ratio (baseline time / salvage time: 1.0 means as fast)."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def seconds(argv: list[str]) -> float:
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    return float(out.splitlines()[-1])


def figure(name: str, goal: float, salvage, baseline, unit_count: int, unit: str) -> dict:
    ours, theirs = [], []
    for _ in range(RUNS):  # alternate, so drift on a shared machine hits both sides alike
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as work:
            ours.append(salvage(Path(work) / "salvage.sqlite"))
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as work:
            theirs.append(baseline(Path(work) / "baseline.sqlite"))
    median_ours, median_theirs = statistics.median(ours), statistics.median(theirs)
    ratio = median_theirs / median_ours
    row = {
        "figure": name, "unit": unit, "count": unit_count, "runs": RUNS,
        "salvage_s": {"median": median_ours, "min": min(ours), "max": max(ours)},
        "baseline_s": {"median": median_theirs, "min": min(theirs), "max": max(theirs)},
        "salvage_per_s": unit_count / median_ours, "baseline_per_s": unit_count / median_theirs,
        "ratio": ratio, "goal": goal, "met": ratio >= goal,
    }
    print(f"{name}\n  salvage  {median_ours:8.3f} s median (min {min(ours):.3f}, max {max(ours):.3f})"
          f"  {unit_count / median_ours:10.0f} {unit}/s\n  baseline {median_theirs:8.3f} s median"
          f" (min {min(theirs):.3f}, max {max(theirs):.3f})  {unit_count / median_theirs:10.0f} {unit}/s\n"
          f"  ratio    {ratio:.2f}x (goal >= {goal}x: {'met' if ratio >= goal else 'MISSED'})", flush=True)
    return row


def main() -> None:
    bench, c_append, schema = sys.argv[1], sys.argv[2], str(ROOT / "schema" / "0001_create_events.sql")

    def append(events: int, batch: int):
        return (
            lambda path: seconds([bench, "append", "--journal", str(path), "--events", str(events), "--batch", str(batch)]),
            lambda path: seconds([c_append, str(path), str(events), str(batch), schema]),
        )

    figures = []
    durable = int(os.environ.get("BENCH_DURABLE_EVENTS", "500"))
    figures.append(figure(
        "durable append, 1 event per transaction, synchronous=FULL", 0.9, *append(durable, 1), durable, "events"))
    batched = int(os.environ.get("BENCH_BATCHED_EVENTS", "100000"))
    figures.append(figure(
        "batched append, 10,000 events per transaction", 0.8, *append(batched, 10_000), batched, "events"))
    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "figures": figures,
    }
    out = ROOT / ".tmp" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"figures written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
