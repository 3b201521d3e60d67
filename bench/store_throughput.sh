#!/usr/bin/env bash
# Store throughput without process spawning (issue 4): 8 concurrent claimers claim + complete 5,000 jobs
# through the JobStore API, on SQLite and on PostgreSQL (a throwaway server from scripts/postgres.sh).
# Prints one "store throughput <store>: … jobs/s" line per store.
#
#   bash bench/store_throughput.sh            # release build in .build-release (slow the first time)
#   BENCH_DEBUG=1 bash bench/store_throughput.sh   # reuse the debug test build (numbers ~2-3x lower)
#   BENCH_JOBS=20000 bash bench/store_throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export QUEUECTL_TEST_POSTGRES_URL
QUEUECTL_TEST_POSTGRES_URL=${QUEUECTL_TEST_POSTGRES_URL:-$(bash scripts/postgres.sh start)}
export QUEUECTL_BENCH_STORE=1 BENCH_JOBS=${BENCH_JOBS:-5000}

if [ -n "${BENCH_DEBUG:-}" ]; then
    swift build --build-tests >/dev/null
    args=(--skip-build)
else
    args=(-c release --scratch-path .build-release)
fi
echo "$(nproc) cores, $(uname -sr), PostgreSQL $(psql "$QUEUECTL_TEST_POSTGRES_URL" -Atc 'show server_version' 2>/dev/null || echo '?')" >&2
for store in sqlite postgresql; do
    BENCH_STORE=$store swift test "${args[@]}" --filter PostgresThroughputTests 2>&1 | grep -E "^store throughput|✘|error:" || true
done
