#!/usr/bin/env bash
# Dashboard speed (issue 5): with 100,000 jobs in the store, GET /api/status and GET /metrics under
# `wrk -c 50 -d 10s` on loopback. Target: p99 <= 50 ms, no errors. Prints a Markdown table for bench/RESULTS.md.
#
#   bench/dashboard.sh                       builds the release binary (as benchlib.py does) and runs
#   QUEUECTL_BENCH_BIN=path bench/dashboard.sh   uses that binary instead (e.g. .build/debug/queuectl)
#   BENCH_JOBS=N BENCH_DURATION=10s BENCH_CONNECTIONS=50   change the load
#
# Needs wrk (apt-get install wrk) and curl.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${BENCH_JOBS:-100000}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-50}

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "dashboard.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

bin=${QUEUECTL_BENCH_BIN:-}
if [ -z "$bin" ]; then
    echo "building release binary (static Swift stdlib) into .build-release ..." >&2
    (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-release --product queuectl >/dev/null)
    bin=$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)/queuectl
fi

home=$(mktemp -d /tmp/qc-bench-dashboard-XXXXXX)
dashboard_pid=
cleanup() {
    if [ -n "$dashboard_pid" ]; then kill -TERM "$dashboard_pid" 2>/dev/null || true; wait "$dashboard_pid" 2>/dev/null || true; fi
    rm -rf "$home"
}
trap cleanup EXIT
export QUEUECTL_HOME=$home
unset QUEUECTL_DB

echo "enqueueing $jobs jobs ..." >&2
seq 1 "$jobs" | awk '{ printf "{\"command\":\"echo %d\",\"priority\":%d}\n", $1, $1 % 5 }' > "$home/jobs.jsonl"
"$bin" enqueue --file "$home/jobs.jsonl" > /dev/null
rm -f "$home/jobs.jsonl"
status=$("$bin" status --json)
echo "store: $status" >&2

"$bin" dashboard --port 0 > "$home/dashboard.out" 2>&1 &
dashboard_pid=$!
url=
for _ in $(seq 1 600); do
    url=$(sed -n 's/^Dashboard: \(http[^ ]*\)$/\1/p' "$home/dashboard.out")
    [ -n "$url" ] && break
    kill -0 "$dashboard_pid" 2>/dev/null || { cat "$home/dashboard.out" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "dashboard.sh: the dashboard did not start" >&2; exit 1; }
url=${url%/}

echo "| route | jobs | connections | duration | requests/s | p50 | p99 | max | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
for path in /api/status /metrics; do
    curl -fsS "$url$path" > /dev/null    # warm up, and fail early on an error answer
    out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$url$path")
    p50=$(awk '$1 == "50%" { print $2 }' <<< "$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<< "$out")
    max=$(awk '$1 == "Latency" { print $4 }' <<< "$out")
    rps=$(awk '$1 == "Requests/sec:" { print $2 }' <<< "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<< "$out")
    socket=$(sed -n 's/.*Socket errors: \(.*\)$/\1/p' <<< "$out")
    errors="${non2xx:-0} non-2xx${socket:+; socket errors: $socket}"
    echo "| GET $path | $jobs | $connections | $duration | $rps | $p50 | $p99 | $max | $errors |"
done
echo >&2
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); binary: $bin" >&2
