#!/usr/bin/env bash
# The bad-rollout scenario harness (see tools/scenario/harness.py for its commands).
# Example:  D=$(mktemp -d); tools/scenario.sh up --dir "$D"; tools/scenario.sh bad-rollout --dir "$D" --stuck 20 --failed 10; tools/scenario.sh down --dir "$D"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/tools/setup" >/dev/null
exec "$root/.venv/bin/python" "$root/tools/scenario/harness.py" "$@"
