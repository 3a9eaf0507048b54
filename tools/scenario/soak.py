"""One `salvage run --yes` on a dev server with the server's default dynamic config (tools/soak).

Follows the run's JSON Lines, stops the bad workers when salvage asks (as an operator would), and
prints each phase's time beside the server's own lower bound: drainage is checked every 3 minutes
after a 3-minute grace, and a stopped worker is listed (and the version's delete refused) for 5
minutes after its last poll. What salvage adds is the time between the server's answer and
salvage acting on it.
"""
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
POLLER_MEMORY = 300.0

POLICY = {
    "workflowTypes": {
        "OrderWorkflow": {"restartable": True, "rationale": "orders are idempotent from their first step"},
        "PaymentWorkflow": {"restartable": False, "targetBuild": "fixed",
                            "rationale": "payments must not re-charge; fixed replays the bad build"},
    }
}


async def last_poll(address: str, task_queue: str, identities: list[str]) -> float | None:
    """The latest poll the server records for `identities` on the task queue (workflow and activity)."""
    from temporalio.api.taskqueue.v1 import TaskQueue
    from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
    from temporalio.client import Client

    client = await Client.connect(address)
    latest = None
    for queue_type in (1, 2):
        response = await client.workflow_service.describe_task_queue(DescribeTaskQueueRequest(
            namespace="default", task_queue=TaskQueue(name=task_queue), task_queue_type=queue_type))
        for poller in response.pollers:
            if poller.identity in identities and poller.HasField("last_access_time"):
                at = poller.last_access_time.ToMicroseconds() / 1e6
                latest = at if latest is None else max(latest, at)
    return latest


def seconds(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main() -> int:
    salvage, directory = sys.argv[1], Path(sys.argv[2])
    state = json.loads((directory / "state.json").read_text())
    env = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
               SALVAGE_JOURNAL=str(directory / "incident.sqlite"), SALVAGE_OPERATOR="soak-oncall")
    flags = ["--address", state["address"], "--disable-config-file", "--disable-config-env"]
    (directory / "policy.json").write_text(json.dumps(POLICY))
    subprocess.run([salvage, "open", "--deployment", "orders", "--bad-build", "bad", "--good-build", "good",
                    "--incident", "orders-soak", "--title", "orders: bad fails Workflow Tasks (soak)"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    print("== salvage run --yes --output json (the bad workers are stopped when it asks)", flush=True)
    started = time.time()
    run = subprocess.Popen([salvage, "run", "--yes", "--policy", str(directory / "policy.json"),
                            "--output", "json"] + flags, env=env, stdout=subprocess.PIPE, text=True)
    events, stopped_at, polled_at, outcome = [], None, None, None
    assert run.stdout is not None
    for line in run.stdout:
        item = json.loads(line)
        at = time.time() - started
        kind = item["kind"]
        if kind == "event":
            events.append(item)
            print(f"{at:7.1f} s  {item['summary']}", flush=True)
        elif kind == "outcome":
            outcome = item
            print(f"{at:7.1f} s  outcome: {item['message']} (exit {item['exit']})", flush=True)
        else:
            print(f"{at:7.1f} s  {kind}: {item['message']}", flush=True)
        if kind == "report" and item["message"].startswith("stop the workers of") and stopped_at is None:
            subprocess.run([str(ROOT / "tools" / "scenario.sh"), "stop-worker", "--dir", str(directory),
                            "--build", "bad"], check=True)
            stopped_at = time.time()
            named = item["message"].split(": ", 1)[1].split(" still poll")[0].split(", ")
            polled_at = asyncio.run(last_poll(state["address"], state["task_queue"], named))
            print(f"{stopped_at - started:7.1f} s  (the operator stopped the bad workers; the server "
                  f"has their last poll at {(polled_at or 0) - started:.1f} s)", flush=True)
    code = run.wait()
    total = time.time() - started
    if outcome is None or code != 0:
        print(f"soak: salvage run exited {code}, not cleaned in one run", file=sys.stderr)
        return 1
    report(events, started, stopped_at, polled_at, total)
    return 0


def report(events: list, started: float, stopped_at: float | None, polled_at: float | None,
           total: float) -> None:
    def first(kind: str, test=lambda payload: True):
        return next((e for e in events if e["type"] == kind and test(e["payload"])), None)

    def last(kind: str, test=lambda payload: True):
        return next((e for e in reversed(events) if e["type"] == kind and test(e["payload"])), None)

    def at(event) -> float:
        return seconds(event["recordedAt"]) - started

    recovered = last("ActionSucceeded", lambda p: p["action"].startswith("recover-"))
    drained = first("DrainageObserved", lambda p: p["drainage"] == "drained")
    resets = last("ActionSucceeded", lambda p: p["action"].startswith("reset-closed-"))
    deleted = first("VersionDeleted")
    rows = []
    rows.append(("stop, identify, recover", at(recovered), "-", "-"))
    server_drained = seconds(drained["payload"]["checkedAt"]) - started
    rows.append(("drained (after recover)", at(drained) - at(recovered),
                 f"server checked drained {server_drained - at(recovered):.1f} s after (every 180 s, the first 180 s after the version left routing)",
                 f"{at(drained) - server_drained:.1f} s"))
    rows.append(("reset closed", at(resets) - at(drained), "-", "-"))
    if stopped_at is not None and polled_at is not None:
        forgotten = polled_at - started + POLLER_MEMORY
        rows.append(("clean-up (after resets)", at(deleted) - at(resets),
                     f"worker stopped at {stopped_at - started:.1f} s, last polled at "
                     f"{polled_at - started:.1f} s, forgotten at {forgotten:.1f} s (300 s later)",
                     f"{at(deleted) - forgotten:.1f} s"))
    else:
        rows.append(("clean-up (after resets)", at(deleted) - at(resets), "no worker to stop", "-"))
    print("\n== phases (seconds from the run's start; 'added' = salvage's act after the server's answer)")
    print(f"{'phase':26} {'took':>8}  {'server lower bound':90} {'added':>8}")
    for name, took, bound, added in rows:
        print(f"{name:26} {took:8.1f}  {bound:90} {added:>8}")
    print(f"{'total':26} {total:8.1f}")


if __name__ == "__main__":
    sys.exit(main())
