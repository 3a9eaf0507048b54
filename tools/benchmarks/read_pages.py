"""The ingest figure's baseline: the fastest plain reader of the same pages at hand, Python's
protobuf runtime (upb, in C), parsing every page and touching every execution's run id.
Usage: read_pages.py FILE"""
from __future__ import annotations

import sys

from temporalio.api.workflowservice.v1 import ListWorkflowExecutionsResponse


def main() -> None:
    data = open(sys.argv[1], "rb").read()
    offset, count = 0, 0
    while offset + 4 <= len(data):
        length = int.from_bytes(data[offset:offset + 4], "big")
        page = ListWorkflowExecutionsResponse.FromString(data[offset + 4:offset + 4 + length])
        count += sum(1 for execution in page.executions if execution.execution.run_id)
        offset += 4 + length
    print(count)


if __name__ == "__main__":
    main()
