#!/usr/bin/env python3
"""Dependencies (issue 15): what migration 16's triggers cost a run's end, which every job goes through.

The issue asks that store throughput (claim + complete) stay within 10% of the binary before it. The triggers
fire on every write of a job's state; this measures their share directly, A/B on the same schema: a fresh
store (migrated by the binary under test) gets BENCH_ROWS (default 20,000) processing jobs, and each is ended
`completed` by its own UPDATE (as a run's end does), timed in the database, with migration 16's triggers in
place (B) and with them disabled (A: what the schema had before). No job waits for another, as in a drain.
Runs A and B BENCH_ROUNDS times (default 6), alternating which goes first, and prints microseconds per end for each.

SQLite always (the UPDATEs in one transaction, so the WAL's fsync does not drown the difference); PostgreSQL too
on a throwaway server (BENCH_POSTGRES=0 skips it; each UPDATE its own statement inside one DO block).
The binary: QUEUECTL_BENCH_BIN, else the release build.

Run: python3 bench/dependency_trigger_bench.py"""
import os
import sqlite3
import subprocess
import time

from benchlib import Home, build_release, machine_line, median, on_each_store

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
TRIGGERS = ("queuectl_job_dependency_wait", "queuectl_job_dependency_change", "queuectl_job_dependency_rewait",
            "queuectl_job_dependency_completed", "queuectl_job_dependency_ended", "queuectl_job_dependency_removed")
PG_TRIGGERS = ("queuectl_job_wait", "queuectl_job_dependency_changed", "queuectl_job_dependency_removed")
COLUMNS = "id, command, max_retries, priority, run_at, timeout, queue, state, attempts, created_at, updated_at, worker"


def sqlite_round(path, tag, with_triggers):
    """Microseconds per `processing -> completed` UPDATE over ROWS fresh jobs."""
    db = sqlite3.connect(path, isolation_level=None)
    if not with_triggers:
        db.execute("BEGIN")
        saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                           f"({', '.join('?' * len(TRIGGERS))})", TRIGGERS).fetchall()
        for name, _ in saved:
            db.execute(f"DROP TRIGGER {name}")
        db.execute("COMMIT")
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO queuectl_job ({COLUMNS}) VALUES (?, 'true', 0, 0, 0, 0, 'default', 'processing', 1, 0, 0, 'w')",
                   ((f"{tag}-{i}",) for i in range(ROWS)))
    db.execute("UPDATE queuectl_state_count SET count = count + ? WHERE state = 'processing'", (ROWS,))
    db.execute("COMMIT")
    seqs = [row[0] for row in db.execute("SELECT seq FROM queuectl_job WHERE id LIKE ?", (f"{tag}-%",))]
    db.execute("BEGIN")
    started = time.perf_counter()
    for seq in seqs:
        db.execute("UPDATE queuectl_job SET state = 'completed', worker = NULL, finished_at = 1, updated_at = 1 "
                   "WHERE seq = ?", (seq,))
    elapsed = time.perf_counter() - started
    db.execute("COMMIT")
    if not with_triggers:
        db.execute("BEGIN")
        for _, sql in saved:
            db.execute(sql)
        db.execute("COMMIT")
    db.close()
    return elapsed * 1e6 / len(seqs)


def postgres_round(url, tag, with_triggers):
    toggle = "ENABLE" if with_triggers else "DISABLE"
    setup = "; ".join(f"ALTER TABLE queuectl_job {toggle} TRIGGER {name}" for name in PG_TRIGGERS)
    fill = (f"INSERT INTO queuectl_job ({COLUMNS}) SELECT '{tag}-' || g, 'true', 0, 0, 0, 0, 'default', "
            f"'processing', 1, 0, 0, 'w' FROM generate_series(1, {ROWS}) AS g")
    timing = (f"DO $$ DECLARE t0 timestamptz; s bigint; BEGIN t0 := clock_timestamp(); "
              f"FOR s IN SELECT seq FROM queuectl_job WHERE id LIKE '{tag}-%' ORDER BY seq LOOP "
              f"UPDATE queuectl_job SET state = 'completed', worker = NULL, finished_at = 1, updated_at = 1 "
              f"WHERE seq = s; END LOOP; "
              f"RAISE NOTICE 'per_end_us %', extract(epoch FROM clock_timestamp() - t0) * 1e6 / {ROWS}; END $$")
    for sql in (setup, fill, "VACUUM ANALYZE queuectl_job"):
        subprocess.run(["psql", url, "-qc", sql], check=True, capture_output=True)
    notice = subprocess.run(["psql", url, "-qc", timing], check=True, capture_output=True, text=True).stderr
    return float(notice.split("per_end_us")[1].split()[0])


def measure(binary, db=None, label="SQLite"):
    with Home(binary, db=db) as home:
        home.run("config", "set", "max_retries", "3")  # creates and migrates the store
        path = os.path.join(home.dir, "queue.db")
        before, after = [], []
        for round_ in range(ROUNDS):
            order = ((False, before), (True, after))
            # Each round's second half runs on a larger table: alternate which goes first.
            for with_triggers, results in order if round_ % 2 == 0 else reversed(order):
                tag = f"r{round_}{'b' if with_triggers else 'a'}"
                results.append(postgres_round(db, tag, with_triggers) if db else sqlite_round(path, tag, with_triggers))
    print(f"## {label}: {ROWS:,} run ends per round, {ROUNDS} rounds (µs per end)")
    print(f"- A, without migration 16's triggers: {', '.join(f'{v:.1f}' for v in before)}")
    print(f"- B, with them: {', '.join(f'{v:.1f}' for v in after)}")
    print(f"- B/A, medians: {median(after) / median(before):.2f}x")


def main():
    binary = build_release()
    print(f"# dependency trigger cost — {machine_line()}; binary {binary}")
    on_each_store(binary, measure)


if __name__ == "__main__":
    main()
