#!/usr/bin/env python3
"""What one worker transaction costs SQLite on a store a given queuectl binary created and migrated: the end of
a `true` run (`completed`, as the run-end UPDATE writes it), its run counters (one upsert: of seven counter rows
before migration 025, of its one `queuectl_run_tally` row from 025 on), and the claim
of the next job (the claim UPDATE with its RETURNING), committed, over BENCH_JOBS jobs (default 3,000).

Two figures, both independent of the machine's speed:
- the user-space instructions of one transaction, counted by valgrind (cachegrind, no cache simulation): two
  runs, of BENCH_JOBS and of 600 jobs, and their difference divided by the jobs between them, so set-up and
  Python's start are not counted (Python's own share of each transaction is in both figures alike);
- the WAL written per commit (frames of whole pages and KiB), from the WAL's growth over 200 commits.

Beside the binary's own store, `--page-size N` rebuilds the store with N-byte pages first (VACUUM), to compare
page sizes on one schema. It needs valgrind and Python's sqlite3, and no worker runs: the statements are the
worker's, run from Python.

With `--mark-bytes N` each end also appends an N-byte mark to the row, as a silent run's end does (153 bytes when
the lines were kept as text, 61 by their parts).

Run: python3 bench/worker_transaction_bench.py BINARY [--page-size N] [--mark-bytes N]"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

JOBS = int(os.environ.get("BENCH_JOBS", "3000"))
SHORT = 600
COUNTERS = ["runs_completed_total", "run_duration_seconds_sum", "run_duration_seconds_count",
            "run_duration_seconds_bin:0.001", "pickup_delay_seconds_sum", "pickup_delay_seconds_count",
            "pickup_delay_seconds_bin:0.5"]
ADD_COUNTERS = ("INSERT INTO queuectl_counter (name, value) VALUES " + ", ".join(["(?, ?)"] * len(COUNTERS))
                + " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")
# From migration 025 on, the binary counts a run in one row of `queuectl_run_tally` instead (the same cell each time:
# a completed run of under 1 ms picked up within 0.5 s).
ADD_RUN_TALLY = ("INSERT INTO queuectl_run_tally (outcome, run_bin, pickup_bin, runs, run_seconds, pickup_seconds) "
                 "VALUES (?1, ?2, ?3, 1, ?4, ?5) ON CONFLICT (outcome, run_bin, pickup_bin) DO UPDATE SET "
                 "runs = runs + 1, run_seconds = run_seconds + excluded.run_seconds, "
                 "pickup_seconds = pickup_seconds + excluded.pickup_seconds")
END = ("UPDATE queuectl_job SET state = 'completed', exit_code = 0, last_error = NULL, finished_at = ?1, "
       "updated_at = ?1, worker = NULL WHERE id = ?2 AND state = 'processing' AND attempts = 1 AND worker = 'w'")
# With `--mark-bytes N`, the end appends an N-byte mark to the row's `log_marks`, as a silent run's end does: 153 bytes
# before 00d6e36 (the lines as text), 61 from it (the lines by their parts, `PackedLogMarks`).
END_WITH_MARK = END.replace("worker = NULL WHERE", "worker = NULL, log_marks = CAST(coalesce(log_marks, X'') || ?3 AS BLOB) WHERE")
CLAIM = ("UPDATE queuectl_job SET state = 'processing', attempts = attempts + 1, started_at = ?1, updated_at = ?1, "
         "finished_at = NULL, worker = 'w', last_worker = 'w' "
         "WHERE seq = (SELECT seq FROM queuectl_job INDEXED BY queuectl_job_claim "
         "WHERE state IN ('pending', 'failed') AND waiting_on = 0 AND run_at <= ?1 "
         "ORDER BY priority DESC, run_at, seq LIMIT 1) "
         "AND EXISTS (SELECT 1 FROM queuectl_worker w WHERE w.id = 'w' AND w.command = 'run') RETURNING *")


def transactions(binary, jobs, page_size, mark_bytes=0):
    """Creates a store with `binary`, then ends and claims `jobs` jobs in turn, one transaction each.
    Returns (frames, KiB) of WAL per commit."""
    home = tempfile.mkdtemp(prefix="qc-tx-")
    try:
        with open(os.path.join(home, "jobs.jsonl"), "w") as batch:
            for index in range(jobs + 10):
                batch.write(json.dumps({"id": f"j{index:06d}", "command": "true"}) + "\n")
        env = dict(os.environ, QUEUECTL_HOME=home)
        env.pop("QUEUECTL_DB", None)
        subprocess.run([binary, "enqueue", "--file", os.path.join(home, "jobs.jsonl")], env=env, check=True,
                       capture_output=True)
        path = os.path.join(home, "queue.db")
        db = sqlite3.connect(path, isolation_level=None)
        if page_size:
            db.execute("PRAGMA journal_mode = DELETE")
            db.execute(f"PRAGMA page_size = {page_size}")
            db.execute("VACUUM")
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -32768")
        size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("INSERT OR REPLACE INTO queuectl_worker (id, pid, host, host_id, process_start, queues, started_at, "
                   "heartbeat_at, command) VALUES ('w', 1, 'h', 'h', 1, '*', 1, 1, 'run')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        now = int(time.time() * 1000) + 10 ** 7
        db.execute("BEGIN IMMEDIATE")
        running = db.execute(CLAIM, (now,)).fetchall()[0][1]
        db.execute("COMMIT")
        tallied = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'queuectl_run_tally'").fetchone() is not None
        count, amounts = ((ADD_RUN_TALLY, ("completed", 0, 5, 0.0004, 0.3)) if tallied
                          else (ADD_COUNTERS, [value for name in COUNTERS for value in (name, 1.0)]))
        frames = 0.0
        mark = b"m" * mark_bytes
        for index in range(jobs):
            now += 1
            db.execute("BEGIN IMMEDIATE")
            if mark:
                db.execute(END_WITH_MARK, (now, running, mark))
            else:
                db.execute(END, (now, running))
            db.execute(count, amounts)
            running = db.execute(CLAIM, (now,)).fetchall()[0][1]
            db.execute("COMMIT")
            if index == 200:
                wal_at_200 = os.path.getsize(path + "-wal")
            if index == 400:
                frames = (os.path.getsize(path + "-wal") - wal_at_200) / (size + 24) / 200
                db.execute("PRAGMA wal_autocheckpoint = 1000")
        db.close()
        return frames, frames * size / 1024
    finally:
        shutil.rmtree(home, ignore_errors=True)


def instructions(jobs):
    """User-space instructions of this script measuring `jobs` transactions (valgrind)."""
    run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          "--trace-children=no", sys.executable, os.path.abspath(__file__), *sys.argv[1:]],
                         env=dict(os.environ, BENCH_INNER=str(jobs)), capture_output=True, text=True, check=True)
    for line in run.stderr.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.split()[-1].replace(",", ""))
    raise SystemExit("worker_transaction_bench.py: valgrind printed no instruction count:\n" + run.stderr[-2000:])


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__.strip())
    binary = sys.argv[1]
    page_size = int(sys.argv[sys.argv.index("--page-size") + 1]) if "--page-size" in sys.argv else None
    mark_bytes = int(sys.argv[sys.argv.index("--mark-bytes") + 1]) if "--mark-bytes" in sys.argv else 0
    if "BENCH_INNER" in os.environ:
        transactions(binary, int(os.environ["BENCH_INNER"]), page_size, mark_bytes)
        return
    frames, kib = transactions(binary, SHORT, page_size, mark_bytes)
    per_transaction = (instructions(JOBS) - instructions(SHORT)) / (JOBS - SHORT)
    label = (f"{binary}" + (f" (rebuilt with {page_size}-byte pages)" if page_size else "")
             + (f" (a {mark_bytes}-byte mark per end)" if mark_bytes else ""))
    print(f"{label}: {per_transaction:,.0f} instructions per worker transaction, WAL {frames:.1f} frames "
          f"= {kib:.1f} KiB per commit")


if __name__ == "__main__":
    main()
