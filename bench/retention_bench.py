#!/usr/bin/env python3
"""Retention (issue 14): while workers prune a large backlog of finished jobs, a new job is still picked up fast.

A store gets BENCH_FINISHED (default 1,000,000) completed jobs that finished two days ago, written straight into
its tables (running a million jobs first would take hours); then `retention_completed` is set to one hour and
2 workers start, so the first of them prunes the whole backlog at once (in batches of 1,000 jobs, one
transaction each). Meanwhile a job is enqueued every BENCH_INTERVAL_MS (default 100) and its pickup latency
measured: from `enqueue` returning to the job's first instruction (the job records its own start time), as
drain_bench.py measures it with idle workers. The same pickup latency is measured before the backlog exists, in
the same run, as the baseline. Reports p50 / p95 / max while pruning, how long the prune took, and the baseline.

SQLite always; PostgreSQL too on a throwaway server (scripts/postgres.sh; BENCH_POSTGRES=0 skips it).
The binary: QUEUECTL_BENCH_BIN, else the release build (bench/build-release.sh).

Run: python3 bench/retention_bench.py"""
import os
import sqlite3
import subprocess
import tempfile
import time

from benchlib import Home, build_release, job_start_ns, machine_line, median, on_each_store, percentile

FINISHED = int(os.environ.get("BENCH_FINISHED", "1000000"))
INTERVAL = int(os.environ.get("BENCH_INTERVAL_MS", "100")) / 1000
BASELINE_SAMPLES = int(os.environ.get("BENCH_BASELINE_SAMPLES", "50"))

COLUMNS = ("id, command, max_retries, priority, run_at, timeout, queue, state, attempts, exit_code, last_error, "
           "created_at, updated_at, started_at, finished_at, worker")


def fill_sqlite(path, count, finished_ms):
    """`count` completed jobs finished at `finished_ms`, and the per-state count table kept in step."""
    db = sqlite3.connect(path)
    rows = ((f"old-{i}", "true", 0, 0, finished_ms, 0, "default", "completed", 1, 0, None,
             finished_ms - 1000, finished_ms, finished_ms - 500, finished_ms, None) for i in range(count))
    db.executemany(f"INSERT INTO queuectl_job ({COLUMNS}) VALUES ({', '.join('?' * 16)})", rows)
    db.execute("UPDATE queuectl_state_count SET count = count + ? WHERE state = 'completed'", (count,))
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def fill_postgres(url, count, finished_ms):
    sql = (f"INSERT INTO queuectl_job ({COLUMNS}) SELECT 'old-' || g, 'true', 0, 0, {finished_ms}, 0, 'default', "
           f"'completed', 1, 0, NULL, {finished_ms - 1000}, {finished_ms}, {finished_ms - 500}, {finished_ms}, NULL "
           f"FROM generate_series(1, {count}) AS g; ANALYZE queuectl_job;")
    subprocess.run(["psql", url, "-qc", sql], check=True, capture_output=True)


def pickup(home, scratch, index):
    """Milliseconds from `enqueue` returning to the job's first instruction (0 if it started before)."""
    marker = os.path.join(scratch, f"start{index}")
    home.run("enqueue", "--command", f"date +%s%N > {marker}")
    returned = time.time_ns()
    return max(0, job_start_ns(marker) - returned) / 1e6


def measure(binary, db=None, label="SQLite"):
    with Home(binary, db=db) as home, tempfile.TemporaryDirectory() as scratch:
        # Creates the store; nothing is pruned while the backlog is written.
        home.run("config", "set", "retention_completed", "0")
        home.run("worker", "start", "--count", "2")
        time.sleep(0.5)
        baseline = [pickup(home, scratch, f"b{i}") for i in range(BASELINE_SAMPLES)]
        home.run("worker", "stop")

        finished_ms = int(time.time() * 1000) - 2 * 86_400_000
        started = time.monotonic()
        if db:
            fill_postgres(db, FINISHED, finished_ms)
        else:
            fill_sqlite(os.path.join(home.dir, "queue.db"), FINISHED, finished_ms)
        fill_seconds = time.monotonic() - started

        home.run("config", "set", "retention_completed", "3600")
        home.run("worker", "start", "--count", "2")
        prune_started = time.monotonic()
        during = []
        index = 0
        while home.status()["completed"] > len(baseline) + index:
            during.append(pickup(home, scratch, index))
            index += 1
            time.sleep(INTERVAL)
        prune_seconds = time.monotonic() - prune_started
        left = home.status()["completed"]

    print(f"## {label}: {FINISHED:,} completed jobs to prune (written in {fill_seconds:.0f} s)")
    print(f"- pruned in {prune_seconds:.1f} s ({FINISHED / prune_seconds:,.0f} jobs/s); {left} completed left "
          f"(the jobs enqueued meanwhile are young)")
    print(f"- pickup while pruning, {len(during)} jobs: p50 {median(during):.1f} ms, "
          f"p95 {percentile(during, 0.95):.1f} ms, max {max(during):.1f} ms")
    print(f"- pickup before (idle, no backlog), {len(baseline)} jobs: p50 {median(baseline):.1f} ms, "
          f"p95 {percentile(baseline, 0.95):.1f} ms, max {max(baseline):.1f} ms")


def main():
    binary = build_release()
    print(f"# retention benchmark — {machine_line()}; binary {binary}")
    on_each_store(binary, measure)


if __name__ == "__main__":
    main()
