"""Writes N executions as `ListWorkflowExecutions` pages for the ingest figure, shaped as the dev
server sends them for a bad rollout (type, status, times, the versioning search attributes as
json/plain payloads, a memo), 1,000 a page, each page serialized and prefixed by its length (4 bytes,
big-endian). Usage (with the project's .venv python, which has temporalio): make_pages.py N OUT"""
from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsResponse

TYPES = ["OrderWorkflow", "PaymentWorkflow", "FailWorkflow", "TimeoutWorkflow"]
STATUS = {
    "OrderWorkflow": WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    "PaymentWorkflow": WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    "FailWorkflow": WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED,
    "TimeoutWorkflow": WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
}


def payload(value, kind: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain", "type": kind.encode()},
                   data=json.dumps(value, separators=(",", ":")).encode())


def execution(number: int) -> WorkflowExecutionInfo:
    kind = TYPES[number % len(TYPES)]
    info = WorkflowExecutionInfo(status=STATUS[kind], history_length=12, task_queue="orders-tq",
                                 state_transition_count=9, history_size_bytes=2048)
    info.execution.workflow_id = f"{kind.lower()}-{number}"
    info.execution.run_id = str(uuid.UUID(int=number + 1))
    info.type.name = kind
    info.start_time.FromSeconds(1_795_000_000 + number)
    info.execution_time.FromSeconds(1_795_000_000 + number)
    if STATUS[kind] != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING:
        info.close_time.FromSeconds(1_795_000_100 + number)
    fields = info.search_attributes.indexed_fields
    fields["TemporalWorkerDeploymentVersion"].CopyFrom(payload("orders:bad", "Keyword"))
    fields["TemporalWorkflowVersioningBehavior"].CopyFrom(payload("Pinned", "Keyword"))
    fields["TemporalWorkerDeployment"].CopyFrom(payload("orders", "Keyword"))
    fields["BuildIds"].CopyFrom(payload(["pinned:orders:bad"], "KeywordList"))
    if STATUS[kind] == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING:
        fields["TemporalReportedProblems"].CopyFrom(
            payload(["category=WorkflowTaskFailed", "cause=WorkflowTaskFailedCauseWorkflowWorkerUnhandledFailure"],
                    "KeywordList"))
    info.memo.fields["order"].CopyFrom(payload({"customer": f"c-{number}"}, "Json"))
    info.root_execution.CopyFrom(info.execution)
    info.first_run_id = info.execution.run_id
    info.worker_deployment_name = "orders"
    return info


def main() -> None:
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    with out.open("wb") as file:
        for start in range(0, count, 1000):
            page = ListWorkflowExecutionsResponse(
                executions=[execution(n) for n in range(start, min(start + 1000, count))])
            data = page.SerializeToString()
            file.write(len(data).to_bytes(4, "big") + data)


if __name__ == "__main__":
    main()
