#!/usr/bin/env bash
# Run the project's pytest with the given arguments, counting "no tests collected" (exit 5)
# as success: an empty suite is not a failure, and a fresh checkout may have none yet.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/.venv/bin/pytest" "$@"
status=$?
if [[ $status -eq 5 ]]; then
    echo "pytest.sh: no tests were collected; treating that as success" >&2
    exit 0
fi
exit $status
