"""Writes N lines of `temporal workflow list -o jsonl` for the ingest figure, made from the lines
the real dev server printed (Tests/SalvageTemporalTests/Fixtures/list-bad.jsonl, captured by
tools/capture-fixtures.sh): each line is one of those, with a new workflow id and run id.
Usage: make_list.py N OUT"""
from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    templates = [json.loads(line) for line in
                 (ROOT / "Tests/SalvageTemporalTests/Fixtures/list-bad.jsonl").read_text().splitlines() if line]
    with out.open("w") as file:
        for number in range(count):
            entry = dict(templates[number % len(templates)])
            run_id = str(uuid.UUID(int=number + 1))
            workflow_id = f"{templates[number % len(templates)]['execution']['workflowId']}-{number}"
            entry["execution"] = {"workflowId": workflow_id, "runId": run_id}
            if "rootExecution" in entry:
                entry["rootExecution"] = {"workflowId": workflow_id, "runId": run_id}
            file.write(json.dumps(entry, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
