#!/usr/bin/env bash
# The baseline for the end-to-end figure: the runbook "Recover pinned Workflows after a bad
# rollout" typed as a shell script, on the standard scenario (tools/bench sets it up): stop the
# rollout, list the affected executions, recover each Workflow Type with its strategy, wait for
# drainage, reset the closed runs once, delete the drained version. It polls every second, as
# salvage does, and does none of salvage's bookkeeping.
# Usage: runbook.sh ADDRESS          (`temporal` on PATH; the bad workers already stopped)
set -euo pipefail
address="$1"
t() { temporal "$@" --address "$address" --namespace default --disable-config-file --disable-config-env; }
wait_batch() {
  until [ "$(t batch describe --job-id "$1" -o json | jq -r '.state')" = BATCH_OPERATION_STATE_COMPLETED ]; do sleep 1; done
}
pinned="TemporalWorkerDeploymentVersion = 'orders:bad'"

# 1. Stop the rollout: the good build back to Current.
t worker deployment set-current-version --deployment-name orders --build-id good --yes -o json >/dev/null
t worker deployment describe --name orders -o json | jq -e '.routingConfig.currentVersionBuildID == "good"' >/dev/null

# 2. Identify the affected executions.
t workflow list --query "$pinned" -o jsonl >/dev/null
t workflow count --query "$pinned GROUP BY ExecutionStatus" -o json >/dev/null

# 3-4. Recover the Running ones: OrderWorkflow is restartable, PaymentWorkflow goes to the fixed build.
job=$(t workflow reset with-workflow-update-options \
  --query "$pinned AND ExecutionStatus = 'Running' AND WorkflowType = 'OrderWorkflow'" \
  --type FirstWorkflowTask --reapply-exclude All --reason "recover OrderWorkflow" \
  --versioning-override-behavior pinned --versioning-override-deployment-name orders \
  --versioning-override-build-id good --yes -o json | jq -r '.batchJobId')
wait_batch "$job"
job=$(t workflow update-options \
  --query "$pinned AND ExecutionStatus = 'Running' AND WorkflowType = 'PaymentWorkflow'" \
  --versioning-override-behavior pinned --versioning-override-deployment-name orders \
  --versioning-override-build-id fixed --reason "recover PaymentWorkflow" --yes -o json | jq -r '.batchJobId')
wait_batch "$job"

# 5. Wait until the bad version has drained and nothing Running is pinned to it.
until [ "$(t worker deployment describe-version --deployment-name orders --build-id bad -o json \
  | jq -r '.drainageInfo.drainageStatus')" = drained ]; do sleep 1; done
until [ "$(t workflow count --query "$pinned AND ExecutionStatus = 'Running'" -o json | jq -r '.count // "0"')" = 0 ]; do sleep 1; done

# 6. Reset the closed runs, once.
runs=$(t workflow list --query "$pinned AND ExecutionStatus != 'Running'" -o jsonl \
  | jq -r '.execution.runId' | sed "s/.*/'&'/" | paste -sd, -)
if [ -n "$runs" ]; then
  job=$(t workflow reset with-workflow-update-options --query "RunId IN ($runs)" \
    --type FirstWorkflowTask --reapply-exclude All --reason "reset closed" \
    --versioning-override-behavior pinned --versioning-override-deployment-name orders \
    --versioning-override-build-id good --yes -o json | jq -r '.batchJobId')
  wait_batch "$job"
fi

# 7. Delete the drained version (its workers are gone).
t worker deployment delete-version --deployment-name orders --build-id bad -o json >/dev/null
