"""Closed resets per second: salvage at --rps 50, 500 and 5000 against the dev
server's own limit, in one invocation on one dev server (the scenario harness, the lab's dynamic
config).

The server's limit is measured by a plain concurrent client (this file, `plain` below) doing per
closed run exactly the calls salvage makes (Sources/SalvageTemporal, RunbookRunner+ClosedResets):
DescribeWorkflowExecution of the workflow id's current run (checked: Failed, not reset), the first
page of GetWorkflowExecutionHistory (32 events) for the first WorkflowTaskCompleted event, then
ResetWorkflowExecution to it with the same request as salvage's: reason, identity, request id
`<identity>/<run id>`, Signals, Updates, Nexus and cancel requests excluded from reapply, and a
post-reset Versioning Override pinned to the good version. Raw `workflow_service` stubs of the
Python SDK, no retries but on RESOURCE_EXHAUSTED (backed off, counted), no gRPC compression (salvage
sends none), `PLAIN_CONNECTIONS` connections shared by `width` coroutines. It runs at several widths
(runs in flight); the best is the server's limit.

Every measurement resets its own fresh closed Failed runs (FailWorkflow on a bad build), made
before any is measured, each set on its own bad build id (bad-<label>) of the deployment `orders`
so that salvage's identification finds only its set. After they are made the good build is
Current again and no bad worker runs; the good worker runs what the resets start (for salvage and
the plain client alike). Order: the plain client at every width, salvage at --rps 50, 500, 5000,
then the plain client again at its best width (the server may slow down as its database grows:
both plain figures are printed, the limit is the larger).

salvage's rate comes from its journal (`salvage log --output jsonl`): the runs its ClosedRunsReset
events record as reset, over the time from the first reset-closed chunk's ActionStarted to the last
ClosedRunsReset (the freeze before it, which describes every run once, is not counted, nor are the
stop/drain/clean-up steps). The plain client's span is from its first call to its last answer.

Usage:  .venv/bin/python tools/benchmarks/resets.py SALVAGE [--json OUT]
        (or BENCH_ONLY=resets tools/bench, which calls it from run.py)
Size: BENCH_RESETS closed runs per measurement, default 1000: on this 2-core machine the dev
server's limit is a few dozen resets a second (about 30 ms of server CPU each; 15/s with the
server on 0.45 of a core while builds ran), so 1,000 runs take well over 10 s at any rate below
100/s, and the 6 plain and 3 salvage sets (9,000 runs) take minutes, not an hour, to make. A
measurement shorter than 10 s is flagged in the output: raise BENCH_RESETS then.

Environment: BENCH_RESETS (closed runs per measurement, default 1000), BENCH_RESETS_WIDTHS (plain
client widths, default 16,32,64,128,256), BENCH_RESETS_RPS (default 50,500,5000), BENCH_RESETS_RPS_SECONDS
(a salvage measurement whose --rps caps it gets only rps x this many runs, default 20, so --rps 50
takes 1,000 runs and about 20 s, not BENCH_RESETS / 50), PLAIN_CONNECTIONS (default 1), BENCH_DIR.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIO = str(ROOT / "tools/scenario.sh")
PYTHON = str(ROOT / ".venv/bin/python")
DEPLOYMENT = "orders"
GOOD = "good"
GOAL = 0.8  # salvage at --rps 5000 vs the server's limit


# -- the plain client ------------------------------------------------------------------------------

async def plain(address: str, namespace: str, ids: list[str], width: int, connections: int,
                good: str, identity: str) -> dict:
    from datetime import timedelta

    from google.protobuf.field_mask_pb2 import FieldMask
    from temporalio.api.common.v1 import WorkflowExecution
    from temporalio.api.deployment.v1 import WorkerDeploymentVersion
    from temporalio.api.enums.v1 import EventType, ResetReapplyExcludeType, WorkflowExecutionStatus
    from temporalio.api.workflow.v1 import PostResetOperation, VersioningOverride, WorkflowExecutionOptions
    from temporalio.api.workflowservice.v1 import (DescribeWorkflowExecutionRequest,
                                                   GetWorkflowExecutionHistoryRequest,
                                                   ResetWorkflowExecutionRequest)
    from temporalio.service import ConnectConfig, GrpcCompression, RPCError, RPCStatusCode, ServiceClient

    services = [(await ServiceClient.connect(ConnectConfig(
        target_host=address, identity=identity, grpc_compression=GrpcCompression.NONE))).workflow_service
        for _ in range(max(1, connections))]
    exclude = [ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL,
               ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE,
               ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_NEXUS,
               ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_CANCEL_REQUEST]
    pin = PostResetOperation(update_workflow_options=PostResetOperation.UpdateWorkflowOptions(
        workflow_execution_options=WorkflowExecutionOptions(versioning_override=VersioningOverride(
            pinned=VersioningOverride.PinnedOverride(
                behavior=VersioningOverride.PINNED_OVERRIDE_BEHAVIOR_PINNED,
                version=WorkerDeploymentVersion(deployment_name=DEPLOYMENT, build_id=good)))),
        update_mask=FieldMask(paths=["versioning_override"])))
    timeout = timedelta(seconds=30)
    errors: dict[str, int] = {}
    outcomes = {"reset": 0, "failed": 0, "skipped": 0}
    queue = list(reversed(ids))

    async def call(method, request):
        delay = 0.05
        while True:
            try:
                return await method(request, timeout=timeout)
            except RPCError as error:
                name = error.status.name if isinstance(error.status, RPCStatusCode) else str(error.status)
                errors[name] = errors.get(name, 0) + 1
                if error.status != RPCStatusCode.RESOURCE_EXHAUSTED or delay > 5:
                    raise
                await asyncio.sleep(delay)
                delay *= 2

    async def one(service, wid: str) -> str:
        described = await call(service.describe_workflow_execution, DescribeWorkflowExecutionRequest(
            namespace=namespace, execution=WorkflowExecution(workflow_id=wid)))
        info = described.workflow_execution_info
        if (info.status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED
                or described.workflow_extended_info.reset_run_id):
            return "skipped"
        run = info.execution.run_id
        request = GetWorkflowExecutionHistoryRequest(
            namespace=namespace, execution=WorkflowExecution(workflow_id=wid, run_id=run), maximum_page_size=32)
        event_id = 0
        while not event_id:
            page = await call(service.get_workflow_execution_history, request)
            event_id = next((e.event_id for e in page.history.events
                             if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED), 0)
            if not page.next_page_token:
                break
            request.next_page_token = page.next_page_token
        if not event_id:
            return "failed"
        await call(service.reset_workflow_execution, ResetWorkflowExecutionRequest(
            namespace=namespace, workflow_execution=WorkflowExecution(workflow_id=wid, run_id=run),
            reason="bench: plain client", workflow_task_finish_event_id=event_id,
            request_id=f"{identity}/{run}", reset_reapply_exclude_types=exclude, post_reset_operations=[pin],
            identity=identity))
        return "reset"

    async def worker(index: int) -> None:
        service = services[index % len(services)]
        while queue:
            wid = queue.pop()
            try:
                outcomes[await one(service, wid)] += 1
            except RPCError:
                outcomes["failed"] += 1

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    await asyncio.gather(*[worker(i) for i in range(width)])
    seconds = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_SELF)
    return {"width": width, "connections": len(services), "runs": len(ids), "seconds": seconds,
            "resets": outcomes["reset"], "failed": outcomes["failed"], "skipped": outcomes["skipped"],
            "per_second": outcomes["reset"] / seconds, "errors": errors,
            "client_cpu_s": (used.ru_utime + used.ru_stime) - (cpu.ru_utime + cpu.ru_stime)}


def plain_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="resets.py plain")
    parser.add_argument("--address", required=True)
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--connections", type=int, default=int(os.environ.get("PLAIN_CONNECTIONS", "1")))
    parser.add_argument("--good", default=GOOD)
    args = parser.parse_args(argv)
    ids = [f"{args.prefix}-{i}" for i in range(args.count)]
    result = asyncio.run(plain(args.address, args.namespace, ids, args.width, args.connections, args.good,
                               f"bench-plain/{args.prefix}"))
    print(json.dumps(result), flush=True)
    # temporalio 1.35 may abort during interpreter finalization (lab pitfall 15).
    os._exit(0)


# -- the harness -----------------------------------------------------------------------------------

class Sampler(threading.Thread):
    """Every 0.25 s: the machine's CPU (/proc/stat) and the CPU of the watched processes, so that
    any interval's cores in use can be read afterwards (others = the machine minus the watched)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.watched: dict[str, int] = {}
        self.samples: list[tuple[float, int, int, dict[str, int]]] = []
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.last: dict[str, int] = {}

    def watch(self, name: str, pid: int) -> None:
        self.watched = {**self.watched, name: pid}

    def sample(self) -> None:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:9]]
        for name, pid in self.watched.items():
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                self.last[name] = int(fields[11]) + int(fields[12])  # utime + stime
            except (OSError, IndexError, ValueError):
                pass  # gone: its last reading stands
        self.samples.append((time.time(), sum(values), values[3] + values[4], dict(self.last)))

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(0.25)

    def cores(self, start: float, end: float, names: dict[str, str]) -> dict[str, float]:
        """Cores in use from wall time `start` to `end`: the machine's, each of `names` (label: the
        watched name), and others (the machine minus them)."""
        self.sample()
        before = max((s for s in self.samples if s[0] <= start), key=lambda s: s[0], default=self.samples[0])
        after = min((s for s in self.samples if s[0] >= end), key=lambda s: s[0], default=self.samples[-1])
        seconds = max(after[0] - before[0], 1e-6)
        total = max(after[1] - before[1], 1)
        machine = (total - (after[2] - before[2])) / total * (os.cpu_count() or 1)
        out = {"machine": machine}
        for label, name in names.items():
            out[label] = (after[3].get(name, 0) - before[3].get(name, 0)) / self.tick / seconds
        out["others"] = max(0.0, machine - sum(out[label] for label in names))
        return out


class Bench:
    def __init__(self, salvage: str, work: Path, logs: Path) -> None:
        self.salvage, self.work, self.logs = salvage, work, logs
        self.sampler = Sampler()
        self.address = ""
        self.server_log = work / "logs" / "server.log"

    def scenario(self, *args: str, capture: bool = False) -> str:
        with open(self.logs / "scenario.log", "a") as log:
            result = subprocess.run([SCENARIO, args[0], "--dir", str(self.work), *args[1:]], check=True,
                                    stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=log, text=True)
        return result.stdout or ""

    def count(self, query: str) -> int:
        out = subprocess.run([str(ROOT / ".venv/bin/temporal"), "workflow", "count", "--query", query, "-o", "json",
                              "--address", self.address, "--namespace", "default", "--disable-config-file",
                              "--disable-config-env"], check=True, capture_output=True, text=True).stdout
        return int(json.loads(out or "{}").get("count", "0"))

    def wait_count(self, query: str, want: int, seconds: float, what: str) -> float:
        start = time.monotonic()
        while self.count(query) < want:
            if time.monotonic() - start > seconds:
                sys.exit(f"resets: timed out after {seconds:.0f} s waiting for {what}")
            time.sleep(0.5)
        return time.monotonic() - start

    def up(self) -> None:
        out = self.scenario("up", "--builds", GOOD, "--owner-pid", str(os.getpid()), capture=True)
        self.address = next(l.split("=", 1)[1] for l in out.splitlines() if l.startswith("SCENARIO_ADDRESS="))
        state = json.loads((self.work / "state.json").read_text())
        self.sampler.watch("server", state["pids"]["server"])
        self.sampler.watch("worker", state["pids"]["worker-good"])
        self.sampler.start()

    def make_closed(self, label: str, count: int) -> None:
        """`count` closed Failed FailWorkflow runs `<label>-<i>`, pinned to orders:bad-<label>."""
        started = time.monotonic()
        self.scenario("stop-worker", "--build", "bad")
        self.scenario("worker", "--build", "bad", "--build-id", f"bad-{label}")
        self.scenario("rollout", "--build", "bad")
        self.scenario("start", "--type", "FailWorkflow", "--count", str(count), "--prefix", label)
        self.wait_count(f"TemporalWorkerDeploymentVersion='{DEPLOYMENT}:bad-{label}' AND ExecutionStatus='Failed'",
                        count, 600, f"{count} Failed runs on bad-{label}")
        print(f"  {count:,} closed Failed runs on {DEPLOYMENT}:bad-{label} in {time.monotonic() - started:.1f} s",
              flush=True)

    def settle(self) -> float:
        """Waits until every run the resets started has finished on the good worker (so the next
        measurement does not share the server with them)."""
        return self.wait_count_zero("ExecutionStatus='Running'", 600)

    def wait_count_zero(self, query: str, seconds: float) -> float:
        start = time.monotonic()
        while self.count(query) > 0:
            if time.monotonic() - start > seconds:
                sys.exit(f"resets: timed out after {seconds:.0f} s waiting for nothing to match {query}")
            time.sleep(0.5)
        return time.monotonic() - start

    def server_lines(self) -> int:
        try:
            with open(self.server_log, "rb") as log:
                return sum(1 for _ in log)
        except OSError:
            return 0

    def server_messages(self, since: int) -> dict[str, int]:
        """The dev server's log lines (warn and above, logfmt) written since line `since`, by level,
        message and error."""
        counts: dict[str, int] = {}
        try:
            with open(self.server_log, errors="replace") as log:
                for index, line in enumerate(log):
                    if index < since:
                        continue
                    level = re.search(r"level=(\w+)", line)
                    msg = re.search(r'msg="((?:[^"\\]|\\.)*)"', line)
                    error = re.search(r'error="((?:[^"\\]|\\.)*)"', line)
                    key = (f"{level.group(1) if level else '?'} {msg.group(1) if msg else line.strip()[:100]}"
                           + (f": {error.group(1)[:120]}" if error else ""))
                    counts[key] = counts.get(key, 0) + 1
        except OSError:
            pass
        return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:8])

    def measure_plain(self, label: str, count: int, width: int) -> dict:
        lines = self.server_lines()
        argv = [PYTHON, __file__, "plain", "--address", self.address, "--prefix", label, "--count", str(count),
                "--width", str(width), "--good", GOOD]
        with open(self.logs / f"{label}.err", "w") as errors:
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, text=True)
            self.sampler.watch(label, process.pid)
            out = process.stdout.read()
            status = process.wait()
        if status != 0 or not out.strip():
            sys.exit(f"resets: the plain client failed ({status}); see {self.logs / (label + '.err')}")
        row = json.loads(out.strip().splitlines()[-1])
        end = time.time()
        row.update(label=label, kind="plain", cores=self.sampler.cores(
            end - row["seconds"], end, {"server": "server", "worker": "worker", "client": label}),
            server_log=self.server_messages(lines))
        row["settle_s"] = self.settle()
        return row

    def measure_salvage(self, label: str, count: int, rps: int) -> dict:
        lines = self.server_lines()
        journal = self.work / f"{label}.sqlite"
        env = dict(os.environ, SALVAGE_JOURNAL=str(journal), SALVAGE_OPERATOR="bench")
        subprocess.run([self.salvage, "open", "--deployment", DEPLOYMENT, "--bad-build", f"bad-{label}",
                        "--good-build", GOOD, "--incident", label], env=env, check=True, stdout=subprocess.DEVNULL)
        argv = [self.salvage, "run", "--yes", "--poller-wait", "0", "--address", self.address,
                "--disable-config-file", "--disable-config-env", "--rps", str(rps)]
        with open(self.logs / f"{label}.out", "w") as out:
            start = time.perf_counter()
            process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
            self.sampler.watch(label, process.pid)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        log = subprocess.run([self.salvage, "log", "--output", "jsonl"], env=env, check=True, capture_output=True,
                             text=True).stdout
        (self.logs / f"{label}.jsonl").write_text(log)
        events = [json.loads(line) for line in log.splitlines() if line.strip()]

        def at(event: dict) -> float:
            return datetime.fromisoformat(event["recordedAt"].replace("Z", "+00:00")).timestamp()
        starts = [at(e) for e in events if e["type"] == "ActionStarted" and e["payload"].get("step") == "reset-closed"]
        ends = [at(e) for e in events if e["type"] == "ClosedRunsReset"]
        outcomes: dict[str, int] = {}
        for event in events:
            if event["type"] == "ClosedRunsReset":
                for outcome in event["payload"]["outcomes"]:
                    outcomes[outcome["result"]] = outcomes.get(outcome["result"], 0) + 1
        if code != 0 or not starts or not ends:
            sys.exit(f"resets: salvage run exited {code} (closed resets started: {len(starts)}, recorded: "
                     f"{len(ends)}); see {self.logs / (label + '.out')}")
        first, last = min(starts), max(ends)
        resets = outcomes.get("reset", 0)
        row = {"label": label, "kind": "salvage", "rps": rps, "runs": count, "resets": resets,
               "outcomes": outcomes, "seconds": last - first, "per_second": resets / (last - first),
               "chunks": len(starts), "run_wall_s": wall, "exit": code,
               "salvage_cpu_s": usage.ru_utime + usage.ru_stime, "salvage_peak_bytes": usage.ru_maxrss * 1024,
               "cores": self.sampler.cores(first, last, {"server": "server", "worker": "worker", "client": label}),
               "server_log": self.server_messages(lines)}
        row["settle_s"] = self.settle()
        return row

    def down(self) -> None:
        self.sampler.done.set()
        subprocess.run([SCENARIO, "down", "--dir", str(self.work)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        for log in (self.work / "logs").glob("*.log"):
            shutil.copy(log, self.logs / log.name)


def describe(row: dict, limit: float | None) -> str:
    name = (f"plain client, {row['width']} in flight" + (" (again, last)" if row["label"] == "plain-again" else "")
            if row["kind"] == "plain" else f"salvage --rps {row['rps']}")
    cores = row["cores"]
    errors = row.get("errors") or {k: v for k, v in row.get("outcomes", {}).items() if k != "reset"}
    ratio = f"{row['per_second'] / limit:5.2f}x" if limit else "     "
    return (f"  {name:<36} {row['per_second']:8.1f} /s  {ratio}  {row['resets']:>6,} in {row['seconds']:6.1f} s"
            f"   cores: machine {cores['machine']:.2f} server {cores['server']:.2f} worker {cores['worker']:.2f}"
            f" client {cores['client']:.2f} others {cores['others']:.2f}"
            + (f"   not reset/errors: {errors}" if errors else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("salvage", help="the salvage binary (release)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_RESETS", "1000"))
    widths = [int(w) for w in os.environ.get("BENCH_RESETS_WIDTHS", "16,32,64,128,256").split(",") if w]
    rates = [int(r) for r in os.environ.get("BENCH_RESETS_RPS", "50,500,5000").split(",") if r]
    capped = float(os.environ.get("BENCH_RESETS_RPS_SECONDS", "20"))
    sizes = {f"plain-w{w}": count for w in widths}
    sizes.update({f"salvage-rps{r}": min(count, int(r * capped)) for r in rates})
    sizes["plain-again"] = count
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="salvage-resets-", dir=os.environ.get("BENCH_DIR")))
    logs = ROOT / ".tmp" / "resets"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    with open("/proc/loadavg") as load:
        print(f"(closed resets: {os.cpu_count()} cores, load average {' '.join(load.read().split()[:3])} before;"
              f" {sum(sizes.values()):,} closed runs to make; logs in {logs.relative_to(ROOT)})", flush=True)
    bench = Bench(args.salvage, work, logs)
    rows: list[dict] = []
    try:
        bench.up()
        made = time.perf_counter()
        for label, size in sizes.items():
            bench.make_closed(label, size)
        bench.scenario("rollout", "--build", "good")
        bench.scenario("stop-worker", "--build", "bad")
        time.sleep(6)  # the lab's PollerHistoryTTL is 5 s: the bad versions then have no pollers
        made = time.perf_counter() - made
        print(f"  made in {made:.1f} s; measuring", flush=True)
        for width in widths:
            rows.append(bench.measure_plain(f"plain-w{width}", sizes[f"plain-w{width}"], width))
            print(describe(rows[-1], None), flush=True)
        best = max(rows, key=lambda r: r["per_second"])
        for rps in rates:
            rows.append(bench.measure_salvage(f"salvage-rps{rps}", sizes[f"salvage-rps{rps}"], rps))
            print(describe(rows[-1], best["per_second"]), flush=True)
        rows.append(bench.measure_plain("plain-again", sizes["plain-again"], best["width"]))
        print(describe(rows[-1], None), flush=True)
    finally:
        bench.down()
        shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - began
    plain_rows = [r for r in rows if r["kind"] == "plain"]
    limit = max(r["per_second"] for r in plain_rows)
    top = max(plain_rows, key=lambda r: r["per_second"])
    at_top = next((r for r in rows if r["kind"] == "salvage" and r["rps"] == max(rates)), None)
    ratio = at_top["per_second"] / limit if at_top else 0.0
    print(f"closed resets per second, each measurement on its own fresh closed Failed runs ({count:,}; a --rps"
          f" measurement gets at most rps x {capped:g} s), one dev server (lab dynamic config), {os.cpu_count()} cores;"
          f" the server's limit is the plain client's best: {limit:.1f}/s ({top['width']} in flight)")
    for row in rows:
        print(describe(row, limit))
    for row in rows:
        if row["server_log"]:
            print(f"  server log during {row['label']}: " + "; ".join(f"{n} x {m}" for m, n in row["server_log"].items()))
    short = [row["label"] for row in rows if row["seconds"] < 10]
    if short:
        print(f"  SHORT: {', '.join(short)} took less than 10 s: raise BENCH_RESETS (now {count:,})")
    if at_top:
        print(f"  ratio    {ratio:.2f}x at --rps {at_top['rps']} (goal >= {GOAL}x: {'met' if ratio >= GOAL else 'MISSED'})")
    print(f"  the whole benchmark took {total:.0f} s ({made:.0f} s of it making the closed runs)", flush=True)
    result = {"figure": "resets", "name": "closed resets per second: salvage at --rps vs the dev server's limit "
              "(a plain concurrent client's best)", "runs_per_measurement": count, "limit_per_second": limit,
              "limit_width": top["width"], "ratio": ratio, "goal_ratio": GOAL, "met": ratio >= GOAL,
              "rows": rows, "total_s": total, "make_s": made, "cpus": os.cpu_count()}
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["plain"]:
        plain_main(sys.argv[2:])
    else:
        main()
