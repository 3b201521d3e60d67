#!/usr/bin/env python3
"""Pickup latency behind jobs that cannot run (issue 15): 1,000,000 jobs waiting on a dependency and 10 paused
queues with a backlog must not slow the claim of a due job.

Two homes per store, measured in the same run with the same binary and idle workers (2 slots):
- "none": an empty store;
- "backlog": BENCH_WAITING (default 1,000,000) jobs enqueued with `"after": ["gate"]`, where `gate` is a
  job due in a year (so they wait, not claimable), and BENCH_PAUSED_QUEUES (default 10) paused queues holding
  BENCH_PAUSED_JOBS (default 1,000) due jobs each, at a higher priority than the probe jobs, so they sit ahead
  of them in the claim's order.
Then, in each home, a `date` job is enqueued every BENCH_INTERVAL_MS (default 50) and its pickup measured, from
`enqueue` returning to the job's first instruction (the job records its own start time), as drain_bench.py and
retention_bench.py measure it. The homes alternate in rounds, so a noisy minute hits both. Reports p50 / p95 and
the ratio of the p50s (target: backlog within 1.2x of none).

SQLite always; PostgreSQL too on a throwaway server (scripts/postgres.sh; BENCH_POSTGRES=0 skips it).
The binary: QUEUECTL_BENCH_BIN, else the release build (bench/build-release.sh).

Run: python3 bench/backlog_pickup_bench.py"""
import json
import os
import tempfile
import time

from benchlib import Home, Postgres, build_release, machine_line, median, percentile

WAITING = int(os.environ.get("BENCH_WAITING", "1000000"))
PAUSED_QUEUES = int(os.environ.get("BENCH_PAUSED_QUEUES", "10"))
PAUSED_JOBS = int(os.environ.get("BENCH_PAUSED_JOBS", "1000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
INTERVAL = int(os.environ.get("BENCH_INTERVAL_MS", "50")) / 1000
CHUNK = 100_000


def pickup(home, scratch, index):
    """Milliseconds from `enqueue` returning to the job's first instruction (0 if it started before)."""
    marker = os.path.join(scratch, f"start{index}")
    home.run("enqueue", "--command", f"date +%s%N > {marker}")
    returned = time.time_ns()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            text = open(marker).read().strip()
            if text:
                return max(0, int(text) - returned) / 1e6
        except OSError:
            pass
        time.sleep(0.0005)
    raise SystemExit(f"a job was not picked up within 60 s ({marker})")


def fill_backlog(home, scratch):
    """The waiting jobs and the paused queues' backlog, through the CLI (enqueue --file in chunks)."""
    started = time.monotonic()
    home.run("enqueue", json.dumps({"id": "gate", "command": "true", "delay": 365 * 86400}))
    for first in range(0, WAITING, CHUNK):
        path = os.path.join(scratch, "waiting.jsonl")
        with open(path, "w") as handle:
            for index in range(first, min(WAITING, first + CHUNK)):
                handle.write(json.dumps({"id": f"w{index}", "command": "true", "after": ["gate"]}) + "\n")
        home.run("enqueue", "--file", path)
    queues = [f"paused{n}" for n in range(PAUSED_QUEUES)]
    if queues:
        home.run("queue", "pause", *queues)
        path = os.path.join(scratch, "paused.jsonl")
        with open(path, "w") as handle:
            for queue in queues:
                for index in range(PAUSED_JOBS):
                    handle.write(json.dumps({"id": f"{queue}-{index}", "command": "true", "queue": queue,
                                             "priority": 5}) + "\n")
        if PAUSED_JOBS:
            home.run("enqueue", "--file", path)
    return time.monotonic() - started


def measure(binary, databases, label):
    with Home(binary, db=databases[0]) as none, Home(binary, db=databases[1]) as backlog, \
            tempfile.TemporaryDirectory() as scratch:
        none.run("status")
        fill_seconds = fill_backlog(backlog, scratch)
        counts = backlog.status()
        for home in (none, backlog):
            home.run("worker", "start", "--count", "2")
        time.sleep(1)
        samples = {"none": [], "backlog": []}
        per_round = max(1, SAMPLES // ROUNDS)
        for round_index in range(ROUNDS):
            for name, home in (("none", none), ("backlog", backlog)):
                for index in range(per_round):
                    samples[name].append(pickup(home, scratch, f"{name}{round_index}-{index}"))
                    time.sleep(INTERVAL)
        after = backlog.status()
    none_p50, backlog_p50 = median(samples["none"]), median(samples["backlog"])
    print(f"## {label}: {WAITING:,} waiting jobs, {PAUSED_QUEUES} paused queues x {PAUSED_JOBS:,} jobs "
          f"(written in {fill_seconds:.0f} s; pending {counts['pending']:,} before, {after['pending']:,} after)")
    for name in ("none", "backlog"):
        values = samples[name]
        print(f"- {name}: {len(values)} pickups, p50 {median(values):.2f} ms, p95 {percentile(values, 0.95):.2f} ms, "
              f"max {max(values):.2f} ms")
    ratio = backlog_p50 / none_p50 if none_p50 > 0 else float("nan")
    print(f"- p50 backlog / none: {ratio:.2f}x (target <= 1.2x)")


def main():
    binary = build_release()
    print(f"# backlog pickup benchmark — {machine_line()}; binary {binary}")
    measure(binary, (None, None), "SQLite")
    postgres = Postgres.start()
    if postgres:
        try:
            measure(binary, (postgres.database(), postgres.database()), "PostgreSQL")
        finally:
            postgres.stop()


if __name__ == "__main__":
    main()
