#!/usr/bin/env python3
"""Dependencies (issue 15): a million jobs waiting for a dependency must not slow claims of due jobs.

A/B in one run, per store: the pickup latency of fresh jobs (from the job's `created_at`, stamped by `enqueue`
just before its insert, to the job's first instruction; from `enqueue` returning, as retention_bench.py
measures it, is 0 for most jobs with a debug build, whose process exits after the worker started the job)
with idle workers and no waiting jobs (A), then after
BENCH_WAITING (default 1,000,000) pending jobs waiting for one blocker job (due in a year) are written straight
into the tables (B). The waiting jobs have a higher priority and an earlier run_at than the fresh ones, so a
claim that still had them in its index would read all of them first; with migration 16 they are outside the
claim and due indexes (`waiting_on = 0`). They are written with the wait already recorded (`waiting_on` 1 and
one `queuectl_job_dependency` row each) and `after` left empty, as enqueueing a million jobs through the CLI
would take far longer than the measurement (the blocker is marked `has_dependents`). Reports p50 / p95 / max of both and the ratio of the p50s, and, as
pickup on a loaded machine is noisy, the claim's selection of due jobs timed alone on the database in A and
in B, with its plan.

SQLite always; PostgreSQL too on a throwaway server (scripts/postgres.sh; BENCH_POSTGRES=0 skips it).
The binary: QUEUECTL_BENCH_BIN (a debug build is fine for the ratio), else the release build.

Run: python3 bench/dependency_bench.py"""
import json
import os
import sqlite3
import subprocess
import tempfile
import time

from datetime import datetime

from benchlib import Home, build_release, job_start_ns, machine_line, median, on_each_store, percentile

WAITING = int(os.environ.get("BENCH_WAITING", "1000000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "100"))
INTERVAL = int(os.environ.get("BENCH_INTERVAL_MS", "20")) / 1000

COLUMNS = ("id, command, max_retries, priority, run_at, timeout, queue, state, attempts, created_at, updated_at, "
           "waiting_on, has_dependents")


def fill_sqlite(path, count, now_ms):
    """The blocker (due in a year) and `count` jobs waiting for it, with the per-state counts kept in step."""
    db = sqlite3.connect(path)
    year = now_ms + 365 * 86_400_000
    db.execute(f"INSERT INTO queuectl_job ({COLUMNS}) VALUES ('blocker', 'true', 0, 0, ?, 0, 'default', 'pending', "
               f"0, ?, ?, 0, 1)", (year, now_ms, now_ms))
    rows = ((f"waiting-{i}", "true", 0, 10, now_ms - 3_600_000, 0, "default", "pending", 0, now_ms, now_ms, 1, 0)
            for i in range(count))
    db.executemany(f"INSERT INTO queuectl_job ({COLUMNS}) VALUES ({', '.join('?' * 13)})", rows)
    db.executemany("INSERT INTO queuectl_job_dependency (job_id, dependency_id) VALUES (?, 'blocker')",
                   ((f"waiting-{i}",) for i in range(count)))
    db.execute("UPDATE queuectl_state_count SET count = count + ? WHERE state = 'pending'", (count + 1,))
    db.commit()
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def fill_postgres(url, count, now_ms):
    year = now_ms + 365 * 86_400_000
    sql = (f"INSERT INTO queuectl_job ({COLUMNS}) VALUES ('blocker', 'true', 0, 0, {year}, 0, 'default', 'pending', "
           f"0, {now_ms}, {now_ms}, 0, true); "
           f"INSERT INTO queuectl_job ({COLUMNS}) SELECT 'waiting-' || g, 'true', 0, 10, {now_ms - 3_600_000}, 0, "
           f"'default', 'pending', 0, {now_ms}, {now_ms}, 1, false FROM generate_series(1, {count}) AS g; "
           f"INSERT INTO queuectl_job_dependency (job_id, dependency_id) "
           f"SELECT 'waiting-' || g, 'blocker' FROM generate_series(1, {count}) AS g; "
           f"ANALYZE queuectl_job_dependency;")
    subprocess.run(["psql", url, "-qc", sql], check=True, capture_output=True)
    # Vacuumed now rather than by autovacuum in the middle of B (a million inserted rows cross its threshold).
    subprocess.run(["psql", url, "-qc", "VACUUM (ANALYZE) queuectl_job"], check=True, capture_output=True)


def pickup(home, scratch, name):
    """Milliseconds from the job's `created_at` to its first instruction."""
    marker = os.path.join(scratch, name)
    job = json.loads(home.run("enqueue", "--json", "--command", f"date +%s%N > {marker}").stdout)
    created = datetime.fromisoformat(job["created_at"].replace("Z", "+00:00")).timestamp() * 1e9
    return max(0, job_start_ns(marker) - created) / 1e6


CLAIM_ROUNDS = 2000
DUE_QUERY = ("SELECT seq FROM queuectl_job {hint} WHERE state IN ('pending', 'failed') AND waiting_on = 0 "
             "AND run_at <= {now} ORDER BY priority DESC, run_at, seq LIMIT 3")


def claim_query(home, db):
    """The claim's selection of due jobs (3 slots) as the store runs it, timed alone on the database: (mean ms over
    CLAIM_ROUNDS runs, its plan). SQLite: the `due` part of `claimJobs`; PostgreSQL: `queuectl_due_jobs`."""
    now = int(time.time() * 1000)
    if not db:
        connection = sqlite3.connect(os.path.join(home.dir, "queue.db"))
        query = DUE_QUERY.format(hint="INDEXED BY queuectl_job_claim", now=now)
        plan = " / ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + query))
        started = time.perf_counter()
        for _ in range(CLAIM_ROUNDS):
            connection.execute(query).fetchall()
        elapsed = time.perf_counter() - started
        connection.close()
        return elapsed * 1000 / CLAIM_ROUNDS, plan
    timing = (f"DO $$ DECLARE t0 timestamptz := clock_timestamp(); BEGIN FOR i IN 1..{CLAIM_ROUNDS} LOOP "
              f"PERFORM count(*) FROM queuectl_due_jobs({now}, '{{}}', 3); END LOOP; RAISE NOTICE 'claim_ms %', "
              f"extract(epoch FROM clock_timestamp() - t0) * 1000 / {CLAIM_ROUNDS}; END $$;")
    notice = subprocess.run(["psql", db, "-qc", timing], check=True, capture_output=True, text=True).stderr
    explain = ("SET enable_sort = off; SET enable_bitmapscan = off; SET enable_seqscan = off; EXPLAIN (COSTS OFF) "
               + DUE_QUERY.format(hint="", now=now))
    plan = subprocess.run(["psql", db, "-qAtc", explain], check=True, capture_output=True, text=True).stdout
    return float(notice.split("claim_ms")[1].split()[0]), " / ".join(line.strip() for line in plan.splitlines())


def samples(home, scratch, tag):
    values = []
    for index in range(SAMPLES):
        values.append(pickup(home, scratch, f"{tag}{index}"))
        time.sleep(INTERVAL)
    return values


def summary(values):
    return f"p50 {median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"


def measure(binary, db=None, label="SQLite"):
    with Home(binary, db=db) as home, tempfile.TemporaryDirectory() as scratch:
        home.run("status")  # creates the store
        home.run("worker", "start", "--count", "2")
        time.sleep(0.5)
        none = samples(home, scratch, "a")
        home.run("worker", "stop")
        for _ in range(5):
            home.run("enqueue", "true")  # due jobs for the claim query to find, in A and in B
        claim_none, _ = claim_query(home, db)

        started = time.monotonic()
        now_ms = int(time.time() * 1000)
        if db:
            fill_postgres(db, WAITING, now_ms)
        else:
            fill_sqlite(os.path.join(home.dir, "queue.db"), WAITING, now_ms)
        fill_seconds = time.monotonic() - started
        claim_waiting, plan = claim_query(home, db)

        home.run("worker", "start", "--count", "2")
        time.sleep(0.5)
        waiting = samples(home, scratch, "b")
        counts = home.status()
        home.run("worker", "stop")

    print(f"## {label}: {WAITING:,} jobs waiting for a dependency (written in {fill_seconds:.0f} s)")
    print(f"- A, none waiting, {len(none)} jobs: {summary(none)}")
    print(f"- B, {WAITING:,} waiting, {len(waiting)} jobs: {summary(waiting)}; still pending afterwards: "
          f"{counts['pending']:,}")
    print(f"- B/A p50: {median(waiting) / median(none):.2f}x")
    print(f"- the claim's selection of due jobs alone, mean of {CLAIM_ROUNDS:,}: A {claim_none:.3f} ms, "
          f"B {claim_waiting:.3f} ms ({claim_waiting / claim_none:.2f}x); plan: {plan}")


def main():
    binary = build_release()
    print(f"# dependency benchmark — {machine_line()}; binary {binary}")
    on_each_store(binary, measure)


if __name__ == "__main__":
    main()
