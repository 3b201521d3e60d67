#!/usr/bin/env bash
# A worker daemon's peak memory while one job floods its log (issue 16): one job prints
# $BENCH_FLOOD_BYTES bytes (default 200,000,000) as fast as `tr` can, and the daemon's VmHWM (peak
# resident set) is read from /proc/<pid>/status once the job has finished. Measured on PostgreSQL (a
# throwaway server from scripts/postgres.sh, or the one QUEUECTL_TEST_POSTGRES_URL names: the daemon
# copies the output into the database) and on SQLite (the output stays in the log file), each with a
# fresh data directory and database. Also prints the daemon's peak with a silent job, the baseline.
#
#   bash bench/log_flood.sh                         # the debug build in .build/debug (swift build first)
#   QUEUECTL_BIN=/path/to/queuectl bash bench/log_flood.sh
#   BENCH_FLOOD_BYTES=20000000 bash bench/log_flood.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${QUEUECTL_BIN:-$PWD/.build/debug/queuectl}
bytes=${BENCH_FLOOD_BYTES:-200000000}
[ -x "$bin" ] || { echo "log_flood.sh: no $bin; run swift build first" >&2; exit 1; }

server=${QUEUECTL_TEST_POSTGRES_URL:-}
started_server=
if [ -z "$server" ]; then
    server=$(bash scripts/postgres.sh start)
    started_server=1
fi
scratch=$(mktemp -d /tmp/qc-bench-flood-XXXXXX)
homes=()
cleanup() {
    for home in "${homes[@]}"; do
        "$bin" worker stop --timeout 5 --home "$home" >/dev/null 2>&1 || true
    done
    rm -rf "$scratch"
    if [ -n "$started_server" ]; then bash scripts/postgres.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# measure NAME DB COMMAND: one worker daemon on a fresh home and store runs COMMAND as job `flood`;
# prints the daemon's peak RSS (VmHWM, which /proc gives in KiB, shown in MiB) and how long the job took.
measure() {
    local name=$1 db=$2 command=$3
    local home=$scratch/$name
    homes+=("$home")
    export QUEUECTL_HOME=$home QUEUECTL_DB=$db
    "$bin" worker start --count 1 >/dev/null
    local pid
    pid=$("$bin" worker list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["pid"])')
    local before
    before=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    local start=$SECONDS
    "$bin" enqueue --id flood --command "$command" >/dev/null
    "$bin" wait flood --timeout 600 >/dev/null
    local peak
    peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    local stored notice
    stored=$("$bin" logs flood | wc -c)
    # The cap's notice, when the stored copy was cut (the line before the end line).
    notice=$("$bin" logs flood --tail 2 | head -n 1 | cut -c 1-60)
    "$bin" worker stop >/dev/null
    printf '%-34s daemon VmHWM %6.1f MiB (idle before the job %5.1f MiB), job %3ds, logs prints %d bytes\n' \
        "$name" "$(echo "$peak / 1024" | bc -l)" "$(echo "$before / 1024" | bc -l)" $((SECONDS - start)) "$stored"
    case $notice in "[queuectl:"*) echo "    stored log ends with: $notice…" ;; esac
    unset QUEUECTL_HOME QUEUECTL_DB
}

fresh_database() {
    local database="qcflood_$(date +%s)_$1"
    psql "$server" -qc "CREATE DATABASE $database" >/dev/null
    echo "${server%/*}/$database"
}

echo "# log flood — $bin ($(file -b "$bin" | grep -q 'not stripped' && echo 'debug or unstripped' || echo stripped)), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), flood $bytes bytes"
flood="head -c $bytes /dev/zero | tr '\\0' x"
measure "postgres, silent job" "$(fresh_database silent)" "true"
measure "postgres, $bytes-byte flood" "$(fresh_database flood)" "$flood"
measure "sqlite, $bytes-byte flood" "$scratch/flood.db" "$flood"
