#!/usr/bin/env bash
# queuectl in one minute: jobs that succeed, fail and retry into the DLQ, run slowly or jump the
# queue; background workers; status, DLQ retry, logs and a graceful stop. Everything happens in a
# fresh temporary data directory, which is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${QUEUECTL_BIN:-}" ]; then
    Q="$QUEUECTL_BIN"
else
    # The demo uses the embedded store only, which the lean queuectl serves alone; queuectl-server (the
    # dashboard, PostgreSQL) is built too so that the binary left in .build/debug does everything.
    echo "==> building queuectl and queuectl-server (debug build; the first build takes a few minutes)"
    swift build --product queuectl 2>&1 | tail -n 1
    swift build --product queuectl-server 2>&1 | tail -n 1
    Q="$PWD/.build/debug/queuectl"
fi

QUEUECTL_HOME="$(mktemp -d "${TMPDIR:-/tmp}/queuectl-demo.XXXXXX")"
export QUEUECTL_HOME
unset QUEUECTL_DB
cleanup() {
    "$Q" worker stop --timeout 5 >/dev/null 2>&1 || true
    rm -rf "$QUEUECTL_HOME"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }
run() { printf '$ queuectl'; printf ' %q' "$@"; printf '\n'; "$Q" "$@"; }

step "Data lives in $QUEUECTL_HOME (SQLite store queue.db, job logs in logs/)."
step "Enqueue a job that succeeds."
run enqueue --id hello --command 'echo hello from queuectl'
step "Enqueue a job that always fails (exit 3) with max_retries 2: retried after 2 s, then 4 s, then dead."
run enqueue --id flaky --max-retries 2 --command 'echo "attempt $QUEUECTL_ATTEMPT failing"; exit 3'
step "Enqueue a slow job (3 s) and a high-priority job, which is claimed before the others."
run enqueue --id slow --command 'sleep 3; echo slow job done'
run enqueue --id urgent --priority 10 --command 'echo urgent job ran first'
step "Start 2 background workers; the command returns once they are registered."
run worker start --count 2
step "The counts per state and the live workers."
run status
run worker list
step "Wait until the good jobs completed (exit 0)."
run wait hello urgent slow
step "Wait for the failing job: after 3 runs (~6 s of backoff) it lands in the DLQ, so wait exits 1."
if run wait flaky; then echo "unexpected: flaky completed"; exit 1; else echo "(wait exited $?: flaky is dead)"; fi
step "The dead letter queue."
run dlq list
step "Its captured output: each attempt between a header and an end line saying how it ended."
run logs flaky
step "Retry it from the DLQ: back to pending with attempts 0; an idle worker runs it at once (and it fails again)."
run dlq retry flaky
run show flaky
step "Stop the workers gracefully: no new jobs, running ones finish, then they exit."
run worker stop
run status
step "Done. The demo's data directory is removed on exit."
