#!/usr/bin/env bash
# Dashboard speed: with 100,000 jobs in the store, GET /api/status and GET /metrics under
# `wrk -c 50 -d 10s` on loopback, on SQLite and on PostgreSQL, each twice: with the store at rest, and while a
# `worker run` drains jobs (so the store is being written while the dashboard reads it).
# Target: p99 <= 50 ms and no errors on every row. Prints a Markdown table for bench/RESULTS.md and exits 1 when
# any row misses the target or has errors (non-2xx answers, socket errors, timeouts), 0 when all pass.
#
#   bench/dashboard.sh                           builds the release binary (as benchlib.py does) and runs
#   QUEUECTL_BENCH_BIN=path bench/dashboard.sh   uses that binary instead (e.g. .build/debug/queuectl)
#   BENCH_JOBS=N BENCH_DURATION=10s BENCH_CONNECTIONS=50 BENCH_WORKERS=4   change the load
#   BENCH_STORES="sqlite postgres"               the stores to measure (default both)
#   BENCH_P99_MS=50                              the p99 target in milliseconds
#   QUEUECTL_PG_DIR=DIR                          where scripts/postgres.sh keeps the PostgreSQL server; one
#                                                started here is stopped at the end, one already running is not
#
# Needs wrk (apt-get install wrk), curl, and for PostgreSQL the server binaries and psql (scripts/postgres.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${BENCH_JOBS:-100000}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-50}
workers=${BENCH_WORKERS:-4}
stores=${BENCH_STORES:-sqlite postgres}
target_ms=${BENCH_P99_MS:-50}
export QUEUECTL_PG_DIR=${QUEUECTL_PG_DIR:-/tmp/qc-bench-pg-$(id -u)}

die() { echo "dashboard.sh: $*" >&2; exit 1; }

for tool in wrk curl; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install $tool)"
done
for store in $stores; do
    case $store in
        sqlite) ;;
        postgres) command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)" ;;
        *) die "unknown store '$store' in BENCH_STORES (sqlite, postgres)" ;;
    esac
done

bin=${QUEUECTL_BENCH_BIN:-}
if [ -z "$bin" ]; then
    bin=$(bash "$root/bench/build-release.sh" | tail -n 1)/queuectl
fi
[ -x "$bin" ] || die "no queuectl binary at $bin"

scratch=$(mktemp -d /tmp/qc-bench-dashboard-XXXXXX)
dashboard_pid=
worker_pid=
pg_started=0
pg_url=
pg_database=qc_bench_$$

stop_process() { # stop_process PID: SIGTERM, then wait for it to exit
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    stop_process "$worker_pid"
    stop_process "$dashboard_pid"
    if [ -n "$pg_url" ]; then psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_database" >/dev/null 2>&1 || true; fi
    if [ "$pg_started" = 1 ]; then bash "$root/scripts/postgres.sh" stop >/dev/null 2>&1 || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# A wrk latency figure ("830.00us", "12.34ms", "1.20s", "2.00m") in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u != "ms") n = -1
        printf "%.2f", n }'
}

failures=0
rows=()
# Every API read needs the token; a throwaway one for the benchmark (in wrk's and curl's arguments: fine here).
export QUEUECTL_DASHBOARD_TOKEN=bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
auth="Authorization: Bearer $QUEUECTL_DASHBOARD_TOKEN"

# measure STORE LOAD: one wrk run per route against the running dashboard, one table row each.
measure() {
    local store=$1 load=$2 path out p50 p99 p99_ms max rps requests non2xx socket errors verdict
    for path in /api/status /metrics; do
        curl -fsS -H "$auth" "$url$path" > /dev/null || die "GET $path failed before the run ($store, $load)"
        out=$(wrk -t2 -c"$connections" -d"$duration" --latency -H "$auth" "$url$path") || die "wrk failed on $path ($store, $load)"
        p50=$(awk '$1 == "50%" { print $2 }' <<< "$out")
        p99=$(awk '$1 == "99%" { print $2 }' <<< "$out")
        max=$(awk '$1 == "Latency" && $2 != "Distribution" { print $4 }' <<< "$out")
        rps=$(awk '$1 == "Requests/sec:" { print $2 }' <<< "$out")
        requests=$(awk '/requests in/ { print $1 }' <<< "$out")
        non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<< "$out")
        socket=$(sed -n 's/.*Socket errors: \(.*\)$/\1/p' <<< "$out")
        errors="${non2xx:-0} non-2xx${socket:+; socket errors: $socket}"
        p99_ms=$(to_ms "${p99:-?}")
        verdict=pass
        if [ "${requests:-0}" = 0 ] || [ -z "$p99" ] || [ "$p99_ms" = "-1.00" ]; then
            verdict="FAIL (no measurement)"
        elif [ "${non2xx:-0}" != 0 ] || [ -n "$socket" ]; then
            verdict="FAIL (errors)"
        elif awk -v p="$p99_ms" -v t="$target_ms" 'BEGIN { exit !(p > t) }'; then
            verdict="FAIL (p99 > $target_ms ms)"
        fi
        [ "$verdict" = pass ] || failures=$((failures + 1))
        rows+=("| $store | $load | GET $path | $jobs | $connections | $duration | $rps | $p50 | $p99 | $max | $errors | $verdict |")
        echo "${rows[-1]}" >&2
    done
}

# bench_store STORE: a fresh store with $jobs jobs, a dashboard over it, then both loads.
bench_store() {
    local store=$1 home=$scratch/$1 status before after
    mkdir -p "$home"
    export QUEUECTL_HOME=$home
    case $store in
        sqlite) export QUEUECTL_DB=$home/queue.db ;;
        postgres)
            if ! bash "$root/scripts/postgres.sh" url >/dev/null 2>&1; then pg_started=1; fi
            local server
            server=$(bash "$root/scripts/postgres.sh" start)
            pg_url=$server
            psql -q "$server" -c "CREATE DATABASE $pg_database" >/dev/null
            export QUEUECTL_DB=${server%/*}/$pg_database
            ;;
    esac

    echo "$store: enqueueing $jobs jobs ..." >&2
    seq 1 "$jobs" | awk '{ printf "{\"command\":\"echo %d\",\"priority\":%d}\n", $1, $1 % 5 }' > "$home/jobs.jsonl"
    "$bin" enqueue --file "$home/jobs.jsonl" > /dev/null
    rm -f "$home/jobs.jsonl"
    echo "$store: $("$bin" status --json)" >&2

    "$bin" dashboard --port 0 > "$home/dashboard.out" 2>&1 &
    dashboard_pid=$!
    url=
    for _ in $(seq 1 600); do
        url=$(sed -n 's/^Dashboard: \(http[^ ]*\)$/\1/p' "$home/dashboard.out")
        [ -n "$url" ] && break
        kill -0 "$dashboard_pid" 2>/dev/null || { cat "$home/dashboard.out" >&2; die "the dashboard exited ($store)"; }
        sleep 0.1
    done
    [ -n "$url" ] || die "the dashboard did not start ($store)"
    url=${url%/}

    measure "$store" "at rest"

    "$bin" worker run --count "$workers" > "$home/worker.out" 2>&1 &
    worker_pid=$!
    for _ in $(seq 1 600); do
        [ "$("$bin" status --json | sed -n 's/.*"workers":\([0-9]*\).*/\1/p')" -ge 1 ] && break
        kill -0 "$worker_pid" 2>/dev/null || { cat "$home/worker.out" >&2; die "worker run exited ($store)"; }
        sleep 0.1
    done
    before=$("$bin" status --json | sed -n 's/.*"completed":\([0-9]*\).*/\1/p')
    measure "$store" "$workers workers draining"
    after=$("$bin" status --json)
    stop_process "$worker_pid"
    worker_pid=
    local done_now
    done_now=$(sed -n 's/.*"completed":\([0-9]*\).*/\1/p' <<< "$after")
    echo "$store: the workers completed $((done_now - before)) jobs during the draining runs; now $after" >&2
    if [ "$((done_now - before))" -le 0 ]; then
        echo "$store: FAIL: the workers completed no job while the dashboard was measured" >&2
        failures=$((failures + 1))
    elif grep -q '"pending":0,' <<< "$after"; then
        echo "$store: note: the workers ran out of jobs before the end; raise BENCH_JOBS for a full draining run" >&2
    fi

    stop_process "$dashboard_pid"
    dashboard_pid=
    if [ "$store" = postgres ]; then
        psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_database" >/dev/null
    fi
}

for store in $stores; do bench_store "$store"; done

echo "| store | load | route | jobs | connections | duration | requests/s | p50 | p99 | max | errors | p99 <= $target_ms ms, no errors |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo >&2
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); binary: $bin" >&2
if [ "$failures" -gt 0 ]; then
    echo "dashboard.sh: $failures check(s) missed the target or had errors" >&2
    exit 1
fi
echo "dashboard.sh: every run met p99 <= $target_ms ms without errors" >&2
