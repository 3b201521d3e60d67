#!/usr/bin/env bash
# Store throughput A/B (issue 15): two builds of `queuectl-store-bench` (claim + complete through the JobStore
# API, 8 claimers, no process spawning; see bench/store_throughput.sh) measured in alternating rounds on the same
# machine, so load that comes and goes hits both alike. Each round runs OLD then NEW (even rounds NEW first), each
# on a fresh SQLite file and on a fresh PostgreSQL database. Prints every run, then per store the median jobs/s of
# each build, the ratio NEW/OLD and the load average at the start and the end.
#
#   bash bench/store_throughput_ab.sh OLD NEW [ROUNDS]
#   bash bench/store_throughput_ab.sh /work/bench-bins/main-8da1b43 .build-release 5
#
# OLD and NEW are either a `queuectl-store-bench` binary or a folder holding one. BENCH_JOBS (default 5000) and
# BENCH_CLAIMERS (default 8) as in store_throughput.sh; BENCH_STORES="sqlite" (or "postgres") measures one store.
# PostgreSQL: the server QUEUECTL_TEST_POSTGRES_URL names, else a throwaway one from scripts/postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: bash bench/store_throughput_ab.sh OLD NEW [ROUNDS]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
rounds=${3:-5}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "store_throughput_ab.sh: ROUNDS must be a positive integer, not '$rounds'" >&2; exit 2; }
jobs=${BENCH_JOBS:-5000}
claimers=${BENCH_CLAIMERS:-8}
stores=${BENCH_STORES:-sqlite postgres}

binary() {
    local path=$1
    [ -d "$path" ] && path=$path/queuectl-store-bench
    [ -x "$path" ] || { echo "store_throughput_ab.sh: no queuectl-store-bench at '$1'" >&2; exit 2; }
    echo "$path"
}
old=$(binary "$1")
new=$(binary "$2")

server=
started_server=
if [[ " $stores " == *" postgres "* ]]; then
    server=${QUEUECTL_TEST_POSTGRES_URL:-}
    if [ -z "$server" ]; then
        server=$(bash scripts/postgres.sh start)
        started_server=1
    fi
fi
scratch=$(mktemp -d /tmp/qc-bench-store-ab-XXXXXX)
cleanup() {
    rm -rf "$scratch"
    if [ -n "$started_server" ]; then bash scripts/postgres.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# One run of build $1 ("old" or "new") on store $2; appends its jobs/s to $scratch/$2.$1.
run() {
    local which=$1 store=$2 bench line rate
    if [ "$which" = old ]; then bench=$old; else bench=$new; fi
    if [ "$store" = sqlite ]; then
        rm -f "$scratch"/run.db*
        line=$("$bench" "$scratch/run.db" "$jobs" "$claimers")
    else
        local database="qcbench_ab_$$_$RANDOM"
        psql "$server" -qc "CREATE DATABASE $database" >/dev/null
        line=$("$bench" "${server%/*}/$database" "$jobs" "$claimers")
        psql "$server" -qc "DROP DATABASE $database WITH (FORCE)" >/dev/null
    fi
    rate=$(sed -E 's/.* ([0-9]+) jobs\/s.*/\1/' <<<"$line")
    echo "$rate" >>"$scratch/$store.$which"
    echo "round $round $store $which: $line"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start_load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# store throughput A/B — $(nproc) cores, load $start_load, $jobs jobs, $claimers claimers, $rounds rounds"
echo "# old: $old"
echo "# new: $new"
for round in $(seq 1 "$rounds"); do
    order="old new"
    [ $((round % 2)) -eq 0 ] && order="new old"
    for store in $stores; do
        for which in $order; do run "$which" "$store"; done
    done
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for store in $stores; do
    o=$(median "$scratch/$store.old")
    n=$(median "$scratch/$store.new")
    echo "$store: old $(paste -sd, "$scratch/$store.old") median $o; new $(paste -sd, "$scratch/$store.new") median $n; new/old $(awk -v a="$n" -v b="$o" 'BEGIN { printf "%.2f", a / b }')x"
done
