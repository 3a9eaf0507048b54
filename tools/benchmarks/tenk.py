"""Ten thousand: one `salvage run` over a bad rollout of 10,000 Running
executions (3,500 of them of a type visibility cannot match by name, `Ledger "main"`, restarted
run by run; the rest reset or moved by batches) and 10,000 closed Failed runs, on one dev server
started by the scenario harness (the lab's dynamic config). Prints the time of each phase from the
journal, salvage's peak memory, and checks the outcome on the server: every Running execution
recovered, every closed run reset exactly once (each closed workflow id has exactly two runs).

Usage:  .venv/bin/python tools/benchmarks/tenk.py SALVAGE [--json OUT]
        (or BENCH_ONLY=tenk tools/bench)
Environment: TENK_RUNNING (default 10000), TENK_UNMATCHABLE (default 3500), TENK_CLOSED (default
10000), TENK_RPS (salvage's --rps, default its own), BENCH_DIR.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIO = str(ROOT / "tools/scenario.sh")
UNMATCHABLE = 'Ledger "main"'
GOAL_MB = 200


def stamp(event: dict) -> float:
    return datetime.fromisoformat(event["recordedAt"].replace("Z", "+00:00")).timestamp()


def phases(events: list[dict]) -> list[tuple[str, float]]:
    """Seconds per phase, from the journal's own event times."""
    def first(predicate) -> float | None:
        return next((stamp(e) for e in events if predicate(e)), None)

    def last(predicate) -> float | None:
        return next((stamp(e) for e in reversed(events) if predicate(e)), None)

    def payload(e: dict) -> dict:
        return json.loads(e["payload"]) if isinstance(e.get("payload"), str) else e.get("payload", {})

    def action_of(e: dict, step: str) -> bool:
        return e["type"] in ("ActionStarted",) and payload(e).get("step") == step

    start = stamp(events[0])
    identified = first(lambda e: e["type"] == "AffectedExecutionsIdentified")
    recover_start = first(lambda e: action_of(e, "recover"))
    recover_end = last(lambda e: e["type"] in ("ActionSucceeded", "ActionReconciled")
                       and str(payload(e).get("action", "")).startswith("recover-"))
    drained = first(lambda e: e["type"] == "DrainageObserved" and payload(e).get("drainage") == "drained")
    frozen = first(lambda e: e["type"] == "ClosedTargetsFrozen")
    resets_start = first(lambda e: action_of(e, "reset-closed"))
    resets_end = last(lambda e: e["type"] == "ClosedRunsReset")
    deleted = last(lambda e: e["type"] == "VersionDeleted")
    rows = []
    def row(name, a, b):
        if a is not None and b is not None:
            rows.append((name, round(b - a, 1)))
    row("stop and identify", start, identified)
    row("recover (batches by name, by run id, restart rounds)", recover_start, recover_end)
    row("wait for drainage (after the last recovery)", recover_end, drained)
    row("freeze the closed runs", drained, frozen)
    row("reset the closed runs", resets_start, resets_end)
    row("clean-up", resets_end, deleted)
    row("total", start, deleted or stamp(events[-1]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("salvage")
    parser.add_argument("--json")
    args = parser.parse_args()
    running = int(os.environ.get("TENK_RUNNING", "10000"))
    unmatchable = int(os.environ.get("TENK_UNMATCHABLE", "3500"))
    closed = int(os.environ.get("TENK_CLOSED", "10000"))
    matchable = running - unmatchable
    env = dict(os.environ, PATH=f"{ROOT / '.venv/bin'}:{os.environ['PATH']}")
    work = Path(tempfile.mkdtemp(prefix="salvage-tenk-", dir=os.environ.get("BENCH_DIR")))
    try:
        def scenario(*argv: str, capture: bool = False) -> str:
            done = subprocess.run([SCENARIO, *argv, "--dir", str(work)], env=env, check=True,
                                  stdout=subprocess.PIPE if capture else subprocess.DEVNULL, text=True)
            return done.stdout or ""

        print(f"== tenk: {running} Running ({unmatchable} {UNMATCHABLE}) + {closed} closed Failed", flush=True)
        began = time.monotonic()
        # The server's database in memory: 20,000 runs set up in about half the time.
        scenario("up", "--in-memory", "--owner-pid", str(os.getpid()))
        types = f"OrderWorkflow={matchable // 2},PaymentWorkflow={matchable - matchable // 2},{UNMATCHABLE}={unmatchable}"
        scenario("bad-rollout", "--stuck", str(running), "--stuck-types", types, "--failed", str(closed))
        scenario("worker", "--build", "fixed")
        scenario("stop-worker", "--build", "bad")
        time.sleep(6)  # the lab's PollerHistoryTTL is 5 s
        address = next(line.split("=", 1)[1] for line in scenario("env", capture=True).splitlines()
                       if line.startswith("SCENARIO_ADDRESS="))
        print(f"   scenario ready in {time.monotonic() - began:.0f} s", flush=True)
        (work / "policy.json").write_text(json.dumps({"workflowTypes": {
            "OrderWorkflow": {"restartable": True, "rationale": "idempotent"},
            "PaymentWorkflow": {"restartable": False, "targetBuild": "fixed", "rationale": "must not re-charge"}}}))
        run_env = dict(env, SALVAGE_JOURNAL=str(work / "incident.sqlite"), SALVAGE_OPERATOR="bench")
        connect = ["--address", address, "--disable-config-file", "--disable-config-env"]
        def salvage(*argv: str) -> subprocess.CompletedProcess:
            return subprocess.run([args.salvage, *argv], env=run_env, check=True, capture_output=True, text=True)
        salvage("open", "--deployment", "orders", "--bad-build", "bad", "--good-build", "good", "--incident", "tenk")
        # The unmatchable type restarts run by run (terminate, then start again on the good build).
        salvage("decide", "--type", UNMATCHABLE, "--restart", "--rationale", "stateless")
        rps = os.environ.get("TENK_RPS")
        started = time.monotonic()
        out, err = work / "run.out", work / "run.err"
        with out.open("w") as stdout, err.open("w") as stderr:
            child = subprocess.Popen([args.salvage, "run", "--yes", "--policy", str(work / "policy.json"),
                                      "--poller-wait", "0", *connect] + (["--rps", rps] if rps else []),
                                     env=run_env, stdout=stdout, stderr=stderr)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, nobody else's
        seconds = time.monotonic() - started
        peak_mb = usage.ru_maxrss / 1024
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            print(out.read_text()[-3000:], err.read_text()[-3000:], sep="\n")
            raise SystemExit(f"salvage run exited {code}")
        events = [json.loads(line) for line in salvage("log", "--output", "jsonl").stdout.splitlines()]
        # On the server: nothing Running on the bad build, every closed workflow id reset once.
        def count(query: str) -> int:
            out = subprocess.run(["temporal", "workflow", "count", "--query", query, "--address", address,
                                  "-o", "json"], env=env, check=True, capture_output=True, text=True).stdout
            return int(json.loads(out).get("count", 0) or 0)
        still_running = count("TemporalWorkerDeploymentVersion = 'orders:bad' AND ExecutionStatus = 'Running'")
        failed_runs = count("WorkflowType = 'FailWorkflow'")
        rows = phases(events)
        print(f"   salvage run: {seconds:.1f} s, peak memory {peak_mb:.0f} MB (goal <= {GOAL_MB} MB)")
        for name, value in rows:
            print(f"   {name:55s} {value:8.1f} s")
        print(f"   Running left on the bad build: {still_running}; FailWorkflow runs: {failed_runs} "
              f"(exactly once: {2 * closed})")
        result = {"key": "tenk", "running": running, "unmatchable": unmatchable, "closed": closed,
                  "seconds": round(seconds, 1), "peak_mb": round(peak_mb, 1), "phases": dict(rows),
                  "running_left": still_running, "failed_runs": failed_runs,
                  "exactly_once": failed_runs == 2 * closed and still_running == 0}
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2))
        if not result["exactly_once"]:
            raise SystemExit("tenk: not every run was recovered exactly once")
    finally:
        subprocess.run([SCENARIO, "down", "--dir", str(work)], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
