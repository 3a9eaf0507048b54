"""A scenario worker: one build of the deployment, worker versioning on, PINNED by default.

Usage: worker.py --build good|bad|fixed [--build-id ID]   (settings from SCENARIO_* environment variables)

Every build registers the same Workflow Types on the same task queue:

  OrderWorkflow, PaymentWorkflow   the "stuck" types
      good : sleep STEP, return "done-by-good"
      bad  : sleep STEP, then raise RuntimeError: the Workflow *Task* fails and retries forever.
             The first task completes, so the run really is pinned to bad before it breaks.
      fixed: sleep STEP, return "done-by-fixed". Replay-safe: same first step as bad.
  FailWorkflow      bad raises ApplicationError (closed Failed); good and fixed return "ok-by-<build>"
  TimeoutWorkflow   bad sleeps far past the run timeout the starter sets (closed TimedOut);
                    good and fixed return "ok-by-<build>" at once
  QuickWorkflow     every build returns "quick-by-<build>" (closed Completed)
  any other type    behaves as the stuck types do (a dynamic Workflow)

Each build has its own module-level classes (the SDK refuses classes defined inside functions).
Workflows run outside the SDK's sandbox: this code is deterministic, and the sandbox's per-run cost
made thousands of runs set up 1.4x slower.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import Sequence
from datetime import timedelta

from temporalio import workflow
from temporalio.client import Client
from temporalio.common import RawValue, VersioningBehavior, WorkerDeploymentVersion
from temporalio.exceptions import ApplicationError
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkerDeploymentConfig

STEP_SECONDS = 1


async def stuck_step(name: str, arg: str, result: str | None) -> str:
    await workflow.sleep(timedelta(seconds=STEP_SECONDS))
    if result is None:
        # Not a Temporal failure type: fails the Workflow Task, which is retried forever.
        raise RuntimeError(f"{name} on the bad build cannot handle {arg}")
    return result


@workflow.defn(name="OrderWorkflow")
class OrderGood:
    @workflow.run
    async def run(self, arg: str) -> str:
        return await stuck_step("OrderWorkflow", arg, "done-by-good")


@workflow.defn(name="OrderWorkflow")
class OrderBad:
    @workflow.run
    async def run(self, arg: str) -> str:
        return await stuck_step("OrderWorkflow", arg, None)


@workflow.defn(name="OrderWorkflow")
class OrderFixed:
    @workflow.run
    async def run(self, arg: str) -> str:
        return await stuck_step("OrderWorkflow", arg, "done-by-fixed")


@workflow.defn(name="PaymentWorkflow")
class PaymentGood:
    @workflow.run
    async def run(self, arg: str) -> str:
        return await stuck_step("PaymentWorkflow", arg, "done-by-good")


@workflow.defn(name="PaymentWorkflow")
class PaymentBad:
    @workflow.run
    async def run(self, arg: str) -> str:
        return await stuck_step("PaymentWorkflow", arg, None)


@workflow.defn(name="PaymentWorkflow")
class PaymentFixed:
    @workflow.run
    async def run(self, arg: str) -> str:
        return await stuck_step("PaymentWorkflow", arg, "done-by-fixed")


@workflow.defn(name="FailWorkflow")
class FailBad:
    @workflow.run
    async def run(self, arg: str) -> str:
        raise ApplicationError(f"bad build failed {arg}", non_retryable=True)


@workflow.defn(name="FailWorkflow")
class FailGood:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "ok-by-good"


@workflow.defn(name="FailWorkflow")
class FailFixed:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "ok-by-fixed"


@workflow.defn(name="TimeoutWorkflow")
class TimeoutBad:
    @workflow.run
    async def run(self, arg: str) -> str:
        await workflow.sleep(timedelta(hours=1))
        return "never"


@workflow.defn(name="TimeoutWorkflow")
class TimeoutGood:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "ok-by-good"


@workflow.defn(name="TimeoutWorkflow")
class TimeoutFixed:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "ok-by-fixed"


@workflow.defn(name="QuickWorkflow")
class QuickBad:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "quick-by-bad"


@workflow.defn(name="QuickWorkflow")
class QuickGood:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "quick-by-good"


@workflow.defn(name="QuickWorkflow")
class QuickFixed:
    @workflow.run
    async def run(self, arg: str) -> str:
        return "quick-by-fixed"


# Any other Workflow Type (a name with quotes, say) is a stuck type too: the first task completes,
# so the run is pinned, then bad fails every task while good and fixed finish.
async def any_step(result: str | None) -> str:
    """A stuck type's step; a type named Long... then stays Running for an hour on good or fixed,
    so a Versioning Override salvage set on it is still there afterwards (salvage unpin)."""
    name = workflow.info().workflow_type
    done = await stuck_step(name, "its input", result)
    if name.startswith("Long"):
        await workflow.sleep(timedelta(hours=1))
    return done


@workflow.defn(dynamic=True)
class AnyGood:
    @workflow.run
    async def run(self, args: Sequence[RawValue]) -> str:
        return await any_step("done-by-good")


@workflow.defn(dynamic=True)
class AnyBad:
    @workflow.run
    async def run(self, args: Sequence[RawValue]) -> str:
        return await any_step(None)


@workflow.defn(dynamic=True)
class AnyFixed:
    @workflow.run
    async def run(self, args: Sequence[RawValue]) -> str:
        return await any_step("done-by-fixed")


WORKFLOWS = {
    "good": [OrderGood, PaymentGood, FailGood, TimeoutGood, QuickGood, AnyGood],
    "bad": [OrderBad, PaymentBad, FailBad, TimeoutBad, QuickBad, AnyBad],
    "fixed": [OrderFixed, PaymentFixed, FailFixed, TimeoutFixed, QuickFixed, AnyFixed],
}


async def run_worker(build: str, build_id: str) -> None:
    deployment = os.environ["SCENARIO_DEPLOYMENT"]
    task_queue = os.environ["SCENARIO_TASK_QUEUE"]
    client = await Client.connect(
        os.environ["SCENARIO_ADDRESS"],
        namespace=os.environ.get("SCENARIO_NAMESPACE", "default"),
        identity=f"scenario-worker-{build}@{os.getpid()}",
    )
    worker = Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS[build],
        workflow_runner=UnsandboxedWorkflowRunner(),
        deployment_config=WorkerDeploymentConfig(
            version=WorkerDeploymentVersion(deployment_name=deployment, build_id=build_id),
            use_worker_versioning=True,
            default_versioning_behavior=VersioningBehavior.PINNED,
        ),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        print(f"worker {deployment}:{build_id} ({build}) polling {task_queue}", flush=True)
        await stop.wait()
    print(f"worker {deployment}:{build_id} stopped", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", choices=["good", "bad", "fixed"], required=True)
    parser.add_argument("--build-id", help="the build id to register (default: the build's name)")
    args = parser.parse_args()
    asyncio.run(run_worker(args.build, args.build_id or args.build))
    # temporalio 1.35 may crash during interpreter finalization; skip it.
    os._exit(0)


if __name__ == "__main__":
    main()
