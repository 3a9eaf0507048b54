"""Runs the benchmark figures, each against its baseline in the same run, alternating the two, and
prints medians of N runs with min and max and the ratio (baseline time / salvage time: 1.0 means as
fast). Writes every run's numbers to .tmp/bench.json.

Environment: BENCH_RUNS (default 5), BENCH_ONLY (comma-separated figure keys: durable, batched,
ingest, rebuild, status, e2e, scale, resets, tenk; resets and tenk only when named), BENCH_DIR (the disk for journals; default the system temp dir),
BENCH_DURABLE_EVENTS, BENCH_BATCHED_EVENTS, BENCH_INGEST_EXECUTIONS, BENCH_REBUILD_EVENTS, BENCH_SCALE_RUNS
(default 3), BENCH_SCALE_STUCK (default 100), BENCH_SCALE_FAILED (default 1500), BENCH_RESETS and the
other BENCH_RESETS_* (closed resets per second, one run of tools/benchmarks/resets.py: see there), and
TENK_* (ten thousand runs, tools/benchmarks/tenk.py: see there)."""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ONLY = {key for key in os.environ.get("BENCH_ONLY", "").split(",") if key}
WORK = os.environ.get("BENCH_DIR")


def wanted(key: str) -> bool:
    return not ONLY or key in ONLY


def measure(argv: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> tuple[float, int, str]:
    """Runs argv; returns its wall seconds, its peak resident memory in bytes, and its stdout."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=stdout, stderr=errors, env=env, text=True)
        out = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(f"bench: {' '.join(argv)} failed:\n{errors.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss * 1024, out or ""


def reported(argv: list[str]) -> float:
    """Runs argv and returns the seconds it printed on its last line (time measured inside it)."""
    return float(measure(argv, stdout=subprocess.PIPE)[2].strip().splitlines()[-1])


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "all": values}


def figure(key: str, name: str, goal: float, salvage, baseline, count: int, unit: str, runs: int = RUNS) -> dict:
    """Alternates salvage and its baseline `runs` times; ratio = baseline median / salvage median."""
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(salvage())
        theirs.append(baseline())
    a, b = statistics.median(ours), statistics.median(theirs)
    ratio = b / a
    print(f"{name}\n  salvage  {a:8.3f} s median (min {min(ours):.3f}, max {max(ours):.3f})  {count / a:12,.0f} {unit}/s"
          f"\n  baseline {b:8.3f} s median (min {min(theirs):.3f}, max {max(theirs):.3f})  {count / b:12,.0f} {unit}/s"
          f"\n  ratio    {ratio:.2f}x (goal >= {goal}x: {'met' if ratio >= goal else 'MISSED'})", flush=True)
    return {"figure": key, "name": name, "unit": unit, "count": count, "runs": runs, "salvage_s": spread(ours),
            "baseline_s": spread(theirs), "ratio": ratio, "goal_ratio": goal, "met": ratio >= goal}


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="salvage-bench-", dir=WORK))


def main() -> None:
    bench, salvage, c_append, c_scan = sys.argv[1:5]
    figures = []

    def append_figure(key: str, name: str, goal: float, events: int, batch: int) -> dict:
        schema = str(ROOT / "schema" / "0001_create_events.sql")

        def run(argv_for) -> float:
            work = scratch()
            try:
                return reported(argv_for(work))
            finally:
                shutil.rmtree(work)
        return figure(
            key, name, goal,
            lambda: run(lambda w: [bench, "append", "--journal", str(w / "s.sqlite"), "--events", str(events), "--batch", str(batch)]),
            lambda: run(lambda w: [c_append, str(w / "c.sqlite"), str(events), str(batch), schema]),
            events, "events")

    if wanted("durable"):
        events = int(os.environ.get("BENCH_DURABLE_EVENTS", "2000"))
        figures.append(append_figure("durable", "durable append, 1 event per transaction, synchronous=FULL", 0.9, events, 1))
    if wanted("batched"):
        events = int(os.environ.get("BENCH_BATCHED_EVENTS", "100000"))
        figures.append(append_figure("batched", "batched append, 10,000 events per transaction", 0.8, events, 10_000))

    if wanted("ingest"):
        count = int(os.environ.get("BENCH_INGEST_EXECUTIONS", "200000"))
        work = scratch()
        pages = work / "pages.bin"
        python = str(ROOT / ".venv/bin/python")
        subprocess.run([python, str(ROOT / "tools/benchmarks/make_pages.py"), str(count), str(pages)], check=True)
        peaks: list[int] = []

        def ingest() -> float:
            journal = work / "ingest.sqlite"
            for leftover in work.glob("ingest.sqlite*"):
                leftover.unlink()
            seconds, peak, _ = measure([bench, "ingest", "--journal", str(journal), "--pages", str(pages)])
            peaks.append(peak)
            return seconds

        row = figure("ingest", f"ingest of {count:,} executions in ListWorkflowExecutions pages into a journaled "
                     "identification (process wall time) vs parsing the pages with Python's protobuf (upb)", 1.0,
                     ingest, lambda: measure([python, str(ROOT / "tools/benchmarks/read_pages.py"), str(pages)])[0],
                     count, "executions")
        row["salvage_peak_bytes"] = spread([float(p) for p in peaks])
        print(f"  peak     {statistics.median(peaks) / 2**20:.0f} MB median (max {max(peaks) / 2**20:.0f} MB; goal <= 200 MB:"
              f" {'met' if max(peaks) <= 200 * 2**20 else 'MISSED'})", flush=True)
        row["met"] = row["met"] and max(peaks) <= 200 * 2**20
        figures.append(row)
        shutil.rmtree(work)

    if wanted("rebuild") or wanted("status"):
        events = int(os.environ.get("BENCH_REBUILD_EVENTS", "1000000"))
        work = scratch()
        journal = str(work / "million.sqlite")
        print(f"(writing a journal of {events:,} events over 10 incidents)", flush=True)
        subprocess.run([bench, "generate", "--journal", journal, "--events", str(events), "--incidents", "10"], check=True)
        if wanted("rebuild"):
            figures.append(figure(
                "rebuild", f"projection rebuild of {events:,} events vs a raw SQLite scan of the same rows", 0.5,
                lambda: reported([bench, "rebuild", "--journal", journal]), lambda: reported([c_scan, journal]),
                events, "events"))
        if wanted("status"):
            env = dict(os.environ, SALVAGE_JOURNAL=journal)
            samples = [measure([salvage, "status", "--incident", "bench-10"], env=env) for _ in range(RUNS)]
            walls, peaks = [s[0] for s in samples], [float(s[1]) for s in samples]
            met = statistics.median(walls) <= 0.050 and max(peaks) <= 50 * 2**20
            print(f"salvage status on a journal of {events:,} events (goal <= 50 ms, <= 50 MB)\n"
                  f"  wall     {statistics.median(walls) * 1000:8.1f} ms median (min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f})"
                  f"\n  peak     {statistics.median(peaks) / 2**20:8.1f} MB median (max {max(peaks) / 2**20:.1f})  {'met' if met else 'MISSED'}",
                  flush=True)
            figures.append({"figure": "status", "runs": RUNS, "wall_s": spread(walls), "peak_bytes": spread(peaks),
                            "goal": "<= 50 ms, <= 50 MB", "met": met})
        shutil.rmtree(work)

    if wanted("e2e"):
        figures.append(end_to_end(
            salvage, "e2e", "salvage run on the standard scenario vs the runbook typed as a script "
            "(goal: at most 1.15x the script's time)", round(1 / 1.15, 3), stuck=6, failed=3, timed_out=2))
    if wanted("scale"):
        stuck = int(os.environ.get("BENCH_SCALE_STUCK", "100"))
        failed = int(os.environ.get("BENCH_SCALE_FAILED", "1500"))
        runs = int(os.environ.get("BENCH_SCALE_RUNS", "3"))
        for rps in (None, 600):
            figures.append(end_to_end(
                salvage, "scale" if rps is None else f"scale-rps{rps}",
                f"salvage run at scale ({stuck} stuck of two types, {failed} closed Failed"
                + (f", --rps {rps}" if rps else ", the default --rps 150") + ") vs the runbook typed as a script "
                "(goal: at most 1.0x the script's time at the default --rps)", 1.0,
                stuck=stuck, failed=failed, timed_out=0, runs=runs, flags=["--rps", str(rps)] if rps else []))

    # The slow figures, each its own script printing its own figures, only when named in BENCH_ONLY:
    # tenk (10,000 Running, 3,500 unmatchable by name, and 10,000 closed, recovered end to end:
    # phases, peak memory, exactly once) and resets (closed resets per second at --rps 50, 500 and
    # 5000 against the dev server's own limit, a plain concurrent client; about 40 min on 2 cores,
    # most of it making 9,000 closed runs).
    for key in ("tenk", "resets"):
        if ONLY and wanted(key):
            figures.append(scripted_figure(salvage, key))

    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "figures": figures,
    }
    out = ROOT / ".tmp" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"figures written to {out.relative_to(ROOT)}")


def scripted_figure(salvage: str, key: str) -> dict:
    """Runs tools/benchmarks/KEY.py against `salvage` and returns the figure it writes."""
    out = scratch()
    try:
        subprocess.run([str(ROOT / ".venv/bin/python"), str(ROOT / f"tools/benchmarks/{key}.py"), salvage,
                        "--json", str(out / f"{key}.json")], check=True)
        return json.loads((out / f"{key}.json").read_text())
    finally:
        shutil.rmtree(out, ignore_errors=True)


def end_to_end(salvage: str, key: str, name: str, goal: float, stuck: int, failed: int, timed_out: int,
               runs: int = RUNS, flags: list[str] | None = None) -> dict:
    """A bad rollout (stuck runs of two types, closed Failed and TimedOut runs, a fixed build),
    fresh for every run, recovered by `salvage open` + `salvage run` or by the runbook typed as a
    script. Only the recovery is timed, not the scenario's set-up."""
    scenario = str(ROOT / "tools/scenario.sh")
    env = dict(os.environ, PATH=f"{ROOT / '.venv/bin'}:{os.environ['PATH']}")

    def once(recover) -> float:
        work = scratch()
        try:
            subprocess.run([scenario, "up", "--dir", str(work), "--owner-pid", str(os.getpid())], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run([scenario, "bad-rollout", "--dir", str(work), "--stuck", str(stuck), "--stuck-types",
                            "OrderWorkflow,PaymentWorkflow", "--failed", str(failed), "--timed-out", str(timed_out)],
                           check=True, stdout=subprocess.DEVNULL)
            subprocess.run([scenario, "worker", "--dir", str(work), "--build", "fixed"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([scenario, "stop-worker", "--dir", str(work), "--build", "bad"], check=True, stdout=subprocess.DEVNULL)
            time.sleep(6)  # the scenario's PollerHistoryTTL is 5 s: after it the bad version has no pollers
            address = next(line.split("=", 1)[1] for line in subprocess.run(
                [scenario, "env", "--dir", str(work)], check=True, capture_output=True, text=True).stdout.splitlines()
                if line.startswith("SCENARIO_ADDRESS="))
            return recover(work, address)
        finally:
            subprocess.run([scenario, "down", "--dir", str(work)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.rmtree(work, ignore_errors=True)

    def by_salvage(work: Path, address: str) -> float:
        (work / "policy.json").write_text(json.dumps({"workflowTypes": {
            "OrderWorkflow": {"restartable": True, "rationale": "idempotent"},
            "PaymentWorkflow": {"restartable": False, "targetBuild": "fixed", "rationale": "must not re-charge"}}}))
        run_env = dict(env, SALVAGE_JOURNAL=str(work / "incident.sqlite"), SALVAGE_OPERATOR="bench")
        start = time.perf_counter()
        subprocess.run([salvage, "open", "--deployment", "orders", "--bad-build", "bad", "--good-build", "good",
                        "--incident", "bench"], env=run_env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([salvage, "run", "--yes", "--policy", str(work / "policy.json"), "--poller-wait", "0",
                        "--address", address, "--disable-config-file", "--disable-config-env"] + (flags or []),
                       env=run_env, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        events = [json.loads(line) for line in subprocess.run(
            [salvage, "log", "--output", "jsonl"], env=run_env, check=True, capture_output=True, text=True).stdout.splitlines()]
        def at(kind: str) -> float:
            stamp = next(e["recordedAt"] for e in reversed(events) if e["type"] == kind)
            return time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) + int(stamp[20:23]) / 1000
        confirm_waits.append(at("VersionDeleted") - at("ActionSucceeded"))
        reset_spans.append(at("ClosedRunsReset") - at("ClosedTargetsFrozen") if failed + timed_out else 0.0)
        return seconds

    def by_script(work: Path, address: str) -> float:
        start = time.perf_counter()
        subprocess.run(["bash", str(ROOT / "tools/benchmarks/runbook.sh"), address], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    confirm_waits: list[float] = []
    reset_spans: list[float] = []
    row = figure(key, name, goal, lambda: once(by_salvage), lambda: once(by_script), 1, "recoveries", runs)
    print(f"  salvage takes {1 / row['ratio']:.2f}x the script's time; the deletion was confirmed (no version, no poller"
          f" on its task queues) {statistics.median(confirm_waits):.2f} s after it (median); the last chunk of closed"
          f" resets was recorded {statistics.median(reset_spans):.2f} s after the freeze (median)", flush=True)
    row["salvage_delete_confirmation_s"] = spread(confirm_waits)
    row["salvage_freeze_to_last_reset_s"] = spread(reset_spans)
    return row


if __name__ == "__main__":
    main()
