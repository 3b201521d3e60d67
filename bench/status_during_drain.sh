#!/bin/bash
# `queuectl status --json` while a worker drains: 20,000 `true` jobs, 2 slots, 12 calls 0.4 s apart, for each
# binary given in turn. Prints the median and the slowest call, and the WAL's size during and after the drain.
# Usage: bash bench/status_during_drain.sh BINARY [BINARY ...]
set -euo pipefail
for binary in "$@"; do
    home=$(mktemp -d /tmp/qc-status-drain-XXXX)
    export QUEUECTL_HOME=$home
    python3 -c "
import json
with open('$home/jobs.jsonl', 'w') as batch:
    for index in range(20000): batch.write(json.dumps({'id': f'j{index}', 'command': 'true'}) + '\n')"
    "$binary" enqueue --file "$home/jobs.jsonl" >/dev/null
    "$binary" worker start --count 2 >/dev/null
    sleep 1
    python3 - "$binary" <<'PY'
import statistics, subprocess, sys, time
times = []
for _ in range(12):
    started = time.perf_counter()
    subprocess.run([sys.argv[1], "status", "--json"], capture_output=True, check=True)
    times.append((time.perf_counter() - started) * 1000)
    time.sleep(0.4)
print(f"{sys.argv[1]}: status during a drain: median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms")
PY
    echo "  WAL during the drain: $(stat -c %s "$home/queue.db-wal") bytes"
    "$binary" worker stop --timeout 10 >/dev/null
    echo "  WAL after the worker stopped: $(stat -c %s "$home/queue.db-wal") bytes"
    rm -rf "$home"
done
