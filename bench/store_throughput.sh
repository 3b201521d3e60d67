#!/usr/bin/env bash
# Store throughput without process spawning (issue 4): 8 concurrent claimers claim + complete 5,000 jobs
# through the JobStore API (bench/StoreBenchmark), on SQLite and on PostgreSQL (a throwaway server from
# scripts/postgres.sh, or the one QUEUECTL_TEST_POSTGRES_URL names). Each store is measured alone, in a
# fresh database, three times; prints one "store throughput <store>: … jobs/s" line per run.
#
#   bash bench/store_throughput.sh                  # release build in .build-release (as the other benchmarks)
#   BENCH_JOBS=20000 BENCH_CLAIMERS=8 bash bench/store_throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${BENCH_JOBS:-5000}
claimers=${BENCH_CLAIMERS:-8}
runs=${BENCH_RUNS:-3}

bench=$(bash bench/build-release.sh | tail -n 1)/queuectl-store-bench

server=${QUEUECTL_TEST_POSTGRES_URL:-}
started_server=
if [ -z "$server" ]; then
    server=$(bash scripts/postgres.sh start)
    started_server=1
fi
scratch=$(mktemp -d /tmp/qc-bench-store-XXXXXX)
cleanup() {
    rm -rf "$scratch"
    if [ -n "$started_server" ]; then bash scripts/postgres.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "# store throughput — $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL $(psql "$server" -Atc 'show server_version' 2>/dev/null || echo '?')"
for run in $(seq 1 "$runs"); do
    "$bench" "$scratch/run$run.db" "$jobs" "$claimers"
    database="qcbench_$(date +%s)_$run"
    psql "$server" -qc "CREATE DATABASE $database" >/dev/null
    "$bench" "${server%/*}/$database" "$jobs" "$claimers"
    psql "$server" -qc "DROP DATABASE $database WITH (FORCE)" >/dev/null
done
