"""The bad-rollout scenario harness: a real Temporal dev server, real workers, a real bad rollout.

Everything lives in one state directory (--dir): state.json (address, pids, ...), logs/, dev.db (none with --in-memory).
Every process is started in its own session and stopped by recorded PID, never by name.

  harness.py up        --dir D [--deployment orders] [--builds good,bad] [--owner-pid PID] [--in-memory] [--ui]
  harness.py worker    --dir D --build fixed [--build-id ID]
  harness.py stop-worker --dir D --build bad
  harness.py rollout   --dir D --mode current|ramp [--build bad] [--percentage 100]
  harness.py start     --dir D --type OrderWorkflow --count N [--prefix P] [--run-timeout S]
                       [--bool-attribute NAME=true|false]
  harness.py search-attribute --dir D --name Restartable     (a Bool search attribute)
  harness.py bad-rollout --dir D --stuck 20 --failed 10 [--timed-out N] [--completed N]
                       [--stuck-types OrderWorkflow,PaymentWorkflow] [--mode current|ramp]
  harness.py env       --dir D        (KEY=VALUE lines for shells and tests)
  harness.py down      --dir D

With --owner-pid, a watchdog tears everything down when that process dies (a test runner killed
mid-test leaves nothing behind).
"""

from __future__ import annotations

import argparse
import re
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
TEMPORAL = str(VENV_BIN / "temporal")
PYTHON = str(VENV_BIN / "python")

# The lab's dynamic config: drainage in seconds, problems after one failure, short poller memory.
FAST_CONFIG = [
    'matching.wv.VersionDrainageStatusRefreshInterval="2s"',
    'matching.wv.VersionDrainageStatusVisibilityGracePeriod="2s"',
    "system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=1",
    'matching.longPollExpirationInterval="2s"',
    'matching.PollerHistoryTTL="5s"',
]
# By workflow id, not by type: a type name with quotes cannot be matched by equality.
STUCK_QUERY = (
    "TemporalWorkerDeploymentVersion='{version}' AND ExecutionStatus='Running' AND WorkflowId STARTS_WITH '{prefix}-'"
    " AND TemporalReportedProblems IN ('category=WorkflowTaskFailed', 'category=WorkflowTaskTimedOut')"
)


def log(message: str) -> None:
    print(f"scenario: {message}", file=sys.stderr, flush=True)


class Scenario:
    def __init__(self, directory: str):
        self.dir = Path(directory).resolve()
        self.state_path = self.dir / "state.json"
        self.state: dict = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}

    def save(self) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=2, sort_keys=True))
        tmp.replace(self.state_path)

    # -- processes ------------------------------------------------------------------------------

    def spawn(self, name: str, argv: list[str], env: dict | None = None) -> int:
        logs = self.dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / f"{name}.log", "ab") as out:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **(env or {})},
                cwd=self.dir,
                preexec_fn=clean_signals,
            )
        self.state.setdefault("pids", {})[name] = process.pid
        self.save()
        return process.pid

    def stop(self, name: str, grace: float = 5.0) -> None:
        pid = self.state.get("pids", {}).pop(name, None)
        self.save()
        if pid is not None:
            terminate(pid, grace)

    # -- temporal CLI -----------------------------------------------------------------------------

    def temporal(self, *args: str, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess:
        argv = [TEMPORAL, *args, "--address", self.state["address"], "--namespace",
                self.state["namespace"], "--disable-config-file", "--disable-config-env"]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise SystemExit(f"scenario: {' '.join(args[:3])} failed: {result.stderr.strip()}")
        return result

    def count(self, query: str) -> int:
        out = self.temporal("workflow", "count", "--query", query, "-o", "json").stdout
        return int(json.loads(out or "{}").get("count", "0"))

    def version(self, build: str) -> str:
        return f"{self.state['deployment']}:{self.build_id(build)}"

    def build_id(self, build: str) -> str:
        return self.state.get("build_ids", {}).get(build, build)

    # -- steps ------------------------------------------------------------------------------------

    def up(self, args) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.state.get("pids", {}).get("server"):
            raise SystemExit(f"scenario: {self.dir} already has a server; run down first")
        port = free_port()
        self.state.update(
            address=f"127.0.0.1:{port}", port=port, namespace=args.namespace,
            deployment=args.deployment, task_queue=args.task_queue,
            temporal=TEMPORAL, python=PYTHON, build_ids={},
        )
        self.state.pop("db", None)
        if not args.in_memory:
            self.state["db"] = str(self.dir / "dev.db")
        self.save()
        started = time.monotonic()
        argv = [TEMPORAL, "server", "start-dev", "--ip", "127.0.0.1", "--port", str(port), "--log-level", "warn"]
        if args.ui:
            ui_port = free_port()
            while ui_port == port:
                ui_port = free_port()
            self.state["ui_address"] = f"http://127.0.0.1:{ui_port}"
            argv += ["--ui-port", str(ui_port)]
        else:
            argv += ["--headless"]
        if "db" in self.state:
            argv += ["--db-filename", self.state["db"]]
        if args.namespace != "default":
            argv += ["--namespace", args.namespace]
        self.state["server_defaults"] = bool(getattr(args, "server_defaults", False))
        fast = [] if self.state["server_defaults"] else FAST_CONFIG
        for value in fast + (args.dynamic_config or []):
            argv += ["--dynamic-config-value", value]
        self.spawn("server", argv)
        if args.owner_pid:
            self.spawn("watchdog", [sys.executable, str(HERE / "harness.py"), "watchdog",
                                    "--dir", str(self.dir), "--owner-pid", str(args.owner_pid)])
        wait_for(lambda: self.temporal("operator", "namespace", "describe", "--namespace",
                                       args.namespace, check=False).returncode == 0,
                 60, "the dev server to answer")
        if args.ui:
            wait_for(lambda: http_answers(self.state["ui_address"]), 30, "the Web UI to answer")
        log(f"server up at {self.state['address']} in {time.monotonic() - started:.1f}s")
        builds = [b for b in args.builds.split(",") if b]
        for build in builds:
            self.start_worker(build, None, wait=False)
        for build in builds:
            self.wait_worker(build)
        if builds and args.current:
            self.temporal("worker", "deployment", "set-current-version", "--deployment-name",
                          self.state["deployment"], "--build-id", self.build_id(args.current), "--yes")
        self.state["up_seconds"] = round(time.monotonic() - started, 2)
        self.save()
        log(f"up in {self.state['up_seconds']}s: workers {builds}, current {args.current}")

    def start_worker(self, build: str, build_id: str | None, wait: bool = True) -> None:
        build_id = build_id or build
        self.state.setdefault("build_ids", {})[build] = build_id
        self.save()
        self.spawn(f"worker-{build}", [PYTHON, str(HERE / "worker.py"), "--build", build, "--build-id", build_id],
                   env={"SCENARIO_ADDRESS": self.state["address"], "SCENARIO_NAMESPACE": self.state["namespace"],
                        "SCENARIO_DEPLOYMENT": self.state["deployment"],
                        "SCENARIO_TASK_QUEUE": self.state["task_queue"]})
        if wait:
            self.wait_worker(build)

    def wait_worker(self, build: str) -> None:
        pid = self.state["pids"][f"worker-{build}"]

        def registered() -> bool:
            if not alive(pid):
                tail = (self.dir / "logs" / f"worker-{build}.log").read_text().strip().splitlines()[-3:]
                raise SystemExit(f"scenario: worker {build} exited: {' | '.join(tail)}")
            return self.temporal("worker", "deployment", "describe-version", "--deployment-name",
                                 self.state["deployment"], "--build-id", self.build_id(build),
                                 "-o", "json", check=False).returncode == 0

        wait_for(registered, 60, f"worker {build} to register its version")

    def rollout(self, args) -> None:
        deployment, build_id = self.state["deployment"], self.build_id(args.build)
        if args.mode == "current":
            self.temporal("worker", "deployment", "set-current-version", "--deployment-name", deployment,
                          "--build-id", build_id, "--yes")
        else:
            self.temporal("worker", "deployment", "set-ramping-version", "--deployment-name", deployment,
                          "--build-id", build_id, "--percentage", str(args.percentage), "--yes")
        log(f"rolled out {build_id} as {args.mode}")

    def start(self, workflow_type: str, count: int, prefix: str, run_timeout: float | None,
              bool_attribute: str | None = None) -> list[str]:
        return asyncio.run(start_workflows(self.state, workflow_type, count, prefix, run_timeout, bool_attribute))

    def create_bool_attribute(self, name: str) -> None:
        self.temporal("operator", "search-attribute", "create", "--name", name, "--type", "Bool")
        wait_for(lambda: name in self.temporal("operator", "search-attribute", "list", "-o", "json").stdout,
                 30, f"search attribute {name}")

    def bad_rollout(self, args) -> None:
        started = time.monotonic()
        self.rollout(argparse.Namespace(build=args.build, mode=args.mode, percentage=100))
        bad = self.version(args.build)
        # TYPE or TYPE=COUNT: a type without a count shares what the counted ones leave of --stuck.
        entries = [t.rsplit("=", 1) if re.fullmatch(r".+=\d+", t) else [t] for t in args.stuck_types.split(",") if t]
        types = [entry[0] for entry in entries]
        counted = {entry[0]: int(entry[1]) for entry in entries if len(entry) == 2}
        shared = [t for t in types if t not in counted]
        rest = max(args.stuck - sum(counted.values()), 0)
        plan = []  # (type, count, prefix, run_timeout, query)
        for workflow_type in types:
            index = shared.index(workflow_type) if workflow_type in shared else 0
            count = counted.get(workflow_type, rest // max(len(shared), 1) + (1 if index < rest % max(len(shared), 1) else 0))
            prefix = "stuck-" + re.sub(r"[^a-z0-9]+", "-", workflow_type.lower()).strip("-")
            plan.append((workflow_type, count, prefix, None, STUCK_QUERY.format(version=bad, prefix=prefix)))
        plan.append(("FailWorkflow", args.failed, "failed", None,
                     f"TemporalWorkerDeploymentVersion='{bad}' AND ExecutionStatus='Failed'"))
        plan.append(("TimeoutWorkflow", args.timed_out, "timedout", 2.0,
                     f"TemporalWorkerDeploymentVersion='{bad}' AND ExecutionStatus='TimedOut'"))
        plan.append(("QuickWorkflow", args.completed, "completed", None,
                     f"TemporalWorkerDeploymentVersion='{bad}' AND ExecutionStatus='Completed'"))
        for workflow_type, count, prefix, run_timeout, _ in plan:
            if count:
                self.start(workflow_type, count, prefix, run_timeout)
        # On the server's defaults a run is flagged only after 5 failed Workflow Tasks. Thousands
        # take longer to start and fail on a busy machine: 100 ms more a run, of every type (they
        # share one server and one worker), as one deadline for all the types' waits.
        total = sum(count for _, count, _, _, _ in plan)
        deadline = time.monotonic() + (600 if self.state.get("server_defaults") else 90) + total * 0.1
        for workflow_type, count, _, _, query in plan:
            if count:
                wait_for(lambda: self.count(query) >= count, max(deadline - time.monotonic(), 1),
                         f"{count} {workflow_type} to reach their state on {bad}")
        seconds = round(time.monotonic() - started, 2)
        self.state["bad_rollout_seconds"] = seconds
        self.save()
        log(f"bad rollout of {bad} ({args.mode}) ready in {seconds}s: {args.stuck} stuck "
            f"({','.join(types)}), {args.failed} failed, {args.timed_out} timed out, {args.completed} completed")

    def down(self) -> None:
        pids = dict(self.state.get("pids", {}))
        # Workers first (they talk to the server), then the server, the watchdog last.
        order = sorted(pids, key=lambda n: (n == "watchdog", n == "server"))
        for name in order:
            if name == "watchdog" and pids[name] == os.getpid():
                continue
            self.stop(name)
        log(f"down: stopped {', '.join(order) or 'nothing'}")

    def env_lines(self) -> str:
        keys = ["address", "namespace", "deployment", "task_queue", "db", "temporal", "python", "ui_address"]
        lines = [f"SCENARIO_{k.upper()}={self.state[k]}" for k in keys if k in self.state]
        for build, build_id in sorted(self.state.get("build_ids", {}).items()):
            lines.append(f"SCENARIO_BUILD_{build.upper()}={build_id}")
        return "\n".join(lines)


async def start_workflows(state: dict, workflow_type: str, count: int, prefix: str,
                          run_timeout: float | None, bool_attribute: str | None = None) -> list[str]:
    from datetime import timedelta

    from temporalio.client import Client
    from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

    client = await Client.connect(state["address"], namespace=state["namespace"])
    ids = [f"{prefix}-{i}" for i in range(count)]
    timeout = timedelta(seconds=run_timeout) if run_timeout else None
    attributes = None
    if bool_attribute:
        name, _, value = bool_attribute.partition("=")
        attributes = TypedSearchAttributes([SearchAttributePair(SearchAttributeKey.for_bool(name), value == "true")])
    # At most 32 starts in flight: thousands at once overload a dev server on two cores (the starts
    # time out), and a bounded pipeline is as fast.
    gate = asyncio.Semaphore(32)

    async def start(wid: str) -> None:
        async with gate:
            await client.start_workflow(workflow_type, wid, id=wid, task_queue=state["task_queue"],
                                        run_timeout=timeout, search_attributes=attributes,
                                        rpc_timeout=timedelta(seconds=60))

    await asyncio.gather(*[start(wid) for wid in ids])
    return ids


def http_answers(url: str) -> bool:
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except Exception:
        return False


def clean_signals() -> None:
    """Gives a child default signal handling and an empty mask.

    A caller's blocked or ignored signals are inherited across exec: started from a test runner's
    worker thread (which blocks signals), a server would never see SIGTERM and every teardown
    would wait for SIGKILL."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)


def terminate(pid: int, grace: float) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): read its state.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, seconds: float, what: str, interval: float = 0.25) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise SystemExit(f"scenario: timed out after {seconds:.0f}s waiting for {what}")


def watchdog(directory: str, owner_pid: int) -> None:
    scenario_dir = Path(directory)
    while True:
        time.sleep(0.5)
        if not alive(owner_pid) or not scenario_dir.exists():
            break
    if scenario_dir.exists():
        Scenario(directory).down()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("up")
    p.add_argument("--dir", required=True)
    p.add_argument("--deployment", default="orders")
    p.add_argument("--task-queue", default="orders-tq")
    p.add_argument("--namespace", default="default")
    p.add_argument("--builds", default="good,bad")
    p.add_argument("--current", default="good", help="build made Current once workers are up ('' for none)")
    p.add_argument("--owner-pid", type=int)
    p.add_argument("--server-defaults", action="store_true",
                   help="start the dev server with its own default dynamic config (production's clocks), not the lab's")
    p.add_argument("--dynamic-config", action="append",
                   help="KEY=VALUE added to the lab's dynamic config (repeatable), e.g. frontend.namespaceRPS=20")
    p.add_argument("--ui", action="store_true", help="serve the Web UI too (its address: SCENARIO_UI_ADDRESS)")
    p.add_argument("--in-memory", action="store_true",
                   help="keep the server's database in memory: thousands of runs set up faster, and nothing survives it")
    p = sub.add_parser("worker")
    p.add_argument("--dir", required=True)
    p.add_argument("--build", choices=["good", "bad", "fixed"], required=True)
    p.add_argument("--build-id")
    p = sub.add_parser("stop-worker")
    p.add_argument("--dir", required=True)
    p.add_argument("--build", required=True)
    p = sub.add_parser("rollout")
    p.add_argument("--dir", required=True)
    p.add_argument("--build", default="bad")
    p.add_argument("--mode", choices=["current", "ramp"], default="current")
    p.add_argument("--percentage", type=float, default=100)
    p = sub.add_parser("start")
    p.add_argument("--dir", required=True)
    p.add_argument("--type", required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--prefix")
    p.add_argument("--run-timeout", type=float)
    p.add_argument("--bool-attribute", help="NAME=true|false, a Bool search attribute to set")
    p = sub.add_parser("manage", help="a controller takes the deployment: its manager identity, set as that identity")
    p.add_argument("--dir", required=True)
    p.add_argument("--identity", required=True)
    p = sub.add_parser("search-attribute")
    p.add_argument("--dir", required=True)
    p.add_argument("--name", required=True)
    p = sub.add_parser("bad-rollout")
    p.add_argument("--dir", required=True)
    p.add_argument("--build", default="bad")
    p.add_argument("--mode", choices=["current", "ramp"], default="current")
    p.add_argument("--stuck", type=int, default=0)
    p.add_argument("--stuck-types", default="OrderWorkflow")
    p.add_argument("--failed", type=int, default=0)
    p.add_argument("--timed-out", type=int, default=0)
    p.add_argument("--completed", type=int, default=0)
    for name in ("env", "down"):
        p = sub.add_parser(name)
        p.add_argument("--dir", required=True)
    p = sub.add_parser("watchdog")
    p.add_argument("--dir", required=True)
    p.add_argument("--owner-pid", type=int, required=True)
    args = parser.parse_args()

    if args.command == "watchdog":
        watchdog(args.dir, args.owner_pid)
        return
    scenario = Scenario(args.dir)
    if args.command == "up":
        try:
            scenario.up(args)
        except BaseException:
            scenario.down()
            raise
        print(scenario.env_lines())
    elif args.command == "worker":
        scenario.start_worker(args.build, args.build_id)
    elif args.command == "stop-worker":
        scenario.stop(f"worker-{args.build}")
    elif args.command == "rollout":
        scenario.rollout(args)
    elif args.command == "start":
        for wid in scenario.start(args.type, args.count, args.prefix or args.type.lower(), args.run_timeout,
                                  args.bool_attribute):
            print(wid)
    elif args.command == "manage":
        scenario.temporal("worker", "deployment", "manager-identity", "set", "--deployment-name",
                          scenario.state["deployment"], "--manager-identity", args.identity,
                          "--identity", args.identity, "--yes")
    elif args.command == "search-attribute":
        scenario.create_bool_attribute(args.name)
    elif args.command == "bad-rollout":
        scenario.bad_rollout(args)
    elif args.command == "env":
        print(scenario.env_lines())
    elif args.command == "down":
        scenario.down()
    # temporalio 1.35 may abort during interpreter finalization (lab pitfall 15) once it has been
    # imported, which would turn a finished command into a failed one: end here instead.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
