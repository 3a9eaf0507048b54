#!/usr/bin/env bash
# Captures what the real `temporal` CLI prints, from a real bad rollout on a dev server, into
# Tests/SalvageTemporalTests/Fixtures/ (the JSON models' tests read them). Rerun after bumping pins.
# Usage: tools/capture-fixtures.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/Tests/SalvageTemporalTests/Fixtures"
scenario="$root/tools/scenario.sh"
dir="$(mktemp -d)"
trap '"$scenario" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
mkdir -p "$out"

"$scenario" up --dir "$dir" --owner-pid $$ >/dev/null
# shellcheck disable=SC1090
source <("$scenario" env --dir "$dir")
t() { "$SCENARIO_TEMPORAL" "$@" --address "$SCENARIO_ADDRESS" --disable-config-file --disable-config-env; }
save() { local name="$1"; shift; t "$@" >"$out/$name" 2>"$out/$name.stderr" || true; [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"; }
fail() { local name="$1"; shift; if t "$@" >/dev/null 2>"$out/$name"; then echo "capture: expected failure: $*" >&2; exit 1; fi; }
D=orders
BAD="TemporalWorkerDeploymentVersion='$D:bad'"
STUCK="$BAD AND ExecutionStatus='Running' AND TemporalReportedProblems IN ('category=WorkflowTaskFailed', 'category=WorkflowTaskTimedOut')"
wait_batch() { for _ in $(seq 100); do t batch describe --job-id "$1" -o json | grep -q COMPLETED && return 0; sleep 0.2; done; return 1; }

"$scenario" bad-rollout --dir "$dir" --stuck 4 --failed 3 --timed-out 2 --completed 2 >/dev/null
"$scenario" worker --dir "$dir" --build fixed >/dev/null
save describe-deployment-rolled-out.json worker deployment describe --name $D -o json
save describe-version-bad-current.json worker deployment describe-version --deployment-name $D --build-id bad -o json
save count-stuck.json workflow count --query "$STUCK" -o json
save count-zero.json workflow count --query "WorkflowType='NoSuchType'" -o json
save count-group-by-status.json workflow count --query "$BAD GROUP BY ExecutionStatus" -o json
save list-bad.jsonl workflow list --query "$BAD" -o jsonl
save list-bad-array.json workflow list --query "$BAD AND ExecutionStatus='Failed'" -o json
save describe-workflow-stuck.json workflow describe --workflow-id stuck-orderworkflow-0 -o json
save task-queue-legacy-workflow.json task-queue describe --task-queue orders-tq --task-queue-type-legacy workflow --legacy-mode -o json
save set-current-good.out worker deployment set-current-version --deployment-name $D --build-id good --yes -o json
save describe-deployment-stopped.json worker deployment describe --name $D -o json
save describe-version-bad-draining.json worker deployment describe-version --deployment-name $D --build-id bad -o json

t workflow update-options --query "$STUCK AND WorkflowType='OrderWorkflow'" --versioning-override-behavior pinned \
  --versioning-override-deployment-name $D --versioning-override-build-id fixed --reason "capture: move stuck" \
  --yes --identity salvage/capture/update-options -o json >"$out/batch-update-options.json"
job=$(sed -n 's/.*"batchJobId": *"\([^"]*\)".*/\1/p' "$out/batch-update-options.json")
wait_batch "$job"
save batch-describe-update-options.json batch describe --job-id "$job" -o json
save describe-workflow-overridden.json workflow describe --workflow-id stuck-orderworkflow-0 -o json
save find-batch-by-identity.jsonl workflow list --query "TemporalNamespaceDivision='TemporalBatcher' AND BatcherUser='salvage/capture/update-options'" -o jsonl
for _ in $(seq 50); do t worker deployment describe-version --deployment-name $D --build-id bad -o json | grep -q '"drained"' && break; sleep 0.3; done
save describe-version-bad-drained.json worker deployment describe-version --deployment-name $D --build-id bad -o json

t workflow reset with-workflow-update-options --query "$BAD AND ExecutionStatus='Failed'" --type FirstWorkflowTask \
  --reapply-exclude All --reason "capture: reset closed" --versioning-override-behavior pinned \
  --versioning-override-deployment-name $D --versioning-override-build-id good --yes \
  --identity salvage/capture/reset-closed -o json >"$out/batch-reset.json"
job=$(sed -n 's/.*"batchJobId": *"\([^"]*\)".*/\1/p' "$out/batch-reset.json")
wait_batch "$job"
save batch-describe-reset.json batch describe --job-id "$job" -o json
run=$(t workflow list --query "WorkflowId='failed-0' AND ExecutionStatus='Failed'" -o jsonl | sed -n 's/.*"runId":"\([^"]*\)".*/\1/p' | head -1)
save describe-workflow-reset-old-run.json workflow describe --workflow-id failed-0 --run-id "$run" -o json

# A batch that matches nothing still occupies the slot: the second launch is refused.
t workflow update-options --query "WorkflowType='NoSuchType'" --versioning-override-behavior pinned \
  --versioning-override-deployment-name $D --versioning-override-build-id good --reason capture --yes -o json >/dev/null
fail error-batch-limit.stderr workflow update-options --query "WorkflowType='NoSuchType'" --versioning-override-behavior pinned \
  --versioning-override-deployment-name $D --versioning-override-build-id good --reason capture --yes -o json
fail error-unknown-version.stderr worker deployment describe-version --deployment-name $D --build-id nope -o json
fail error-unknown-deployment.stderr worker deployment describe --name nope -o json
fail error-invalid-query.stderr workflow count --query "NoSuchAttribute='x'" -o json
fail error-unknown-batch.stderr batch describe --job-id does-not-exist -o json
fail error-delete-with-pollers.stderr worker deployment delete-version --deployment-name $D --build-id bad

# Ramp: stopped at 0 % it is still the ramping version; --delete without --build-id removes it.
"$scenario" rollout --dir "$dir" --build fixed --mode ramp --percentage 25 2>/dev/null
save describe-deployment-ramping.json worker deployment describe --name $D -o json
t worker deployment set-ramping-version --deployment-name $D --build-id fixed --percentage 0 --yes >/dev/null
save describe-deployment-ramp-zero.json worker deployment describe --name $D -o json
save describe-version-fixed-ramp-zero.json worker deployment describe-version --deployment-name $D --build-id fixed -o json
save remove-ramp.out worker deployment set-ramping-version --deployment-name $D --delete --yes -o json
save describe-deployment-ramp-removed.json worker deployment describe --name $D -o json

"$scenario" stop-worker --dir "$dir" --build bad 2>/dev/null
for _ in $(seq 60); do t worker deployment delete-version --deployment-name $D --build-id bad >/dev/null 2>&1 && break; sleep 0.5; done
save delete-version-missing.out worker deployment delete-version --deployment-name $D --build-id bad -o json
save describe-deployment-deleted.json worker deployment describe --name $D -o json
"$SCENARIO_TEMPORAL" --version >"$out/temporal-version.txt"
# Scrub this run's machine-specific values: loopback ports and temp paths stay out of the repo.
sed -i -e "s#$dir#/SCENARIO#g" -e "s#$SCENARIO_ADDRESS#127.0.0.1:PORT#g" "$out"/* 
echo "capture: wrote $(ls "$out" | wc -l) files to ${out#"$root"/}"
