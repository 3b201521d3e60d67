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
retention_bench.py measure it, and from `enqueue` being spawned. The job is enqueued as a bare command argument,
which the start-up fast path serves. Even so the worker often starts the job before the enqueuing process has
exited (pickups read 0 from the return, and a p50 of 0 has no ratio), so the ratio is of the p50s from the spawn,
which count the enqueue too; the difference of the p50s from the return (signed, not cut at 0) is the time a
pickup costs more in the backlog home. The homes alternate in rounds, so a noisy minute hits both. Reports p50 /
p95 and the ratio of the p50s (target: backlog within 1.2x of none).

SQLite always; PostgreSQL too on a throwaway server (scripts/postgres.sh; BENCH_POSTGRES=0 skips it).
The binary: QUEUECTL_BENCH_BIN, else the release build (bench/build-release.sh). An A/B of several binaries in one
run: QUEUECTL_BENCH_BINS="label=path label=path ..." (SQLite only: the backlog is written once, by the first
binary, and each binary gets a copy of it, which it migrates on first use; every home's pickups alternate).
BENCH_BACKLOG_DB=PATH takes the backlog from an SQLite file written earlier the same way (no process may have
it open) instead of writing it.

Run: python3 bench/backlog_pickup_bench.py"""
import json
import os
import shutil
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
    """Milliseconds from `enqueue` being spawned, and from its return (negative when the job started before), to
    the job's first instruction."""
    marker = os.path.join(scratch, f"start{index}")
    spawned = time.time_ns()
    home.run("enqueue", f"date +%s%N > {marker}")
    returned = time.time_ns()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            text = open(marker).read().strip()
            if text:
                return (int(text) - spawned) / 1e6, (int(text) - returned) / 1e6
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
    print(f"## {label}: {WAITING:,} waiting jobs, {PAUSED_QUEUES} paused queues x {PAUSED_JOBS:,} jobs "
          f"(written in {fill_seconds:.0f} s; pending {counts['pending']:,} before, {after['pending']:,} after)")
    report(samples, "")


def report(samples, label):
    """p50 / p95 of each home of `label`, and the backlog home's against the empty one."""
    for name in ("none", "backlog"):
        spawn, back = [s for s, _ in samples[label + name]], [r for _, r in samples[label + name]]
        print(f"- {label}{name}: {len(spawn)} pickups; from the spawn p50 {median(spawn):.2f} ms, p95 "
              f"{percentile(spawn, 0.95):.2f} ms; from the return p50 {median(back):.2f} ms")
    def p50(name, which):
        return median([pair[which] for pair in samples[label + name]])
    from_return = f"{p50('backlog', 1) / p50('none', 1):.2f}x" if p50("none", 1) > 0 else "none (p50 <= 0)"
    print(f"- {label}p50 backlog / none (target <= 1.2x): from the spawn {p50('backlog', 0) / p50('none', 0):.2f}x, "
          f"from the return {from_return}; backlog - none from the return: {p50('backlog', 1) - p50('none', 1):+.2f} ms")


def compare(binaries):
    """SQLite's homes for each of `binaries` ((label, path) pairs), the backlog written once and copied."""
    with Home(binaries[0][1]) as template, tempfile.TemporaryDirectory() as scratch:
        prepared = os.environ.get("BENCH_BACKLOG_DB")
        if prepared:
            shutil.copy(prepared, os.path.join(template.dir, "queue.db"))
            fill_seconds = 0
        else:
            fill_seconds = fill_backlog(template, scratch)
        counts = template.status()
        homes = []
        for label, binary in binaries:
            none, backlog = Home(binary), Home(binary)
            for name in ("queue.db", "queue.db-wal"):
                if os.path.exists(os.path.join(template.dir, name)):
                    shutil.copy(os.path.join(template.dir, name), os.path.join(backlog.dir, name))
            none.run("status")
            backlog.run("status")
            homes += [(f"{label} none", none), (f"{label} backlog", backlog)]
        try:
            for _, home in homes:
                home.run("worker", "start", "--count", "2")
            time.sleep(1)
            daemons = {name: [w["pid"] for w in json.loads(home.run("worker", "list", "--json").stdout)]
                       for name, home in homes}
            cpu_before = {name: sum(map(cpu_nanoseconds, pids)) for name, pids in daemons.items()}
            samples = {name: [] for name, _ in homes}
            per_round = max(1, SAMPLES // ROUNDS)
            for round_index in range(ROUNDS):
                for name, home in homes:
                    for index in range(per_round):
                        samples[name].append(pickup(home, scratch, f"{name.replace(' ', '-')}{round_index}-{index}"))
                        time.sleep(INTERVAL)
            cpu = {name: (sum(map(cpu_nanoseconds, pids)) - cpu_before[name]) / 1e6 / len(samples[name])
                   for name, pids in daemons.items()}
        finally:
            for _, home in homes:
                home.__exit__(None, None, None)
    print(f"## SQLite: {WAITING:,} waiting jobs, {PAUSED_QUEUES} paused queues x {PAUSED_JOBS:,} jobs "
          f"(written once in {fill_seconds:.0f} s or taken from BENCH_BACKLOG_DB, pending {counts['pending']:,}); "
          f"load average at end "
          f"{os.getloadavg()[0]:.2f}")
    for label, _ in binaries:
        report(samples, f"{label} ")
        print(f"- {label} worker daemon CPU per pickup (idle polls included): none {cpu[label + ' none']:.3f} ms, "
              f"backlog {cpu[label + ' backlog']:.3f} ms")


def cpu_nanoseconds(pid):
    """CPU time process `pid` has used, summed over its threads (schedstat: nanoseconds); 0 once it is gone."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for task in tasks:
        try:
            total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def main():
    if os.environ.get("QUEUECTL_BENCH_BINS"):
        binaries = [tuple(item.split("=", 1)) for item in os.environ["QUEUECTL_BENCH_BINS"].split()]
        print(f"# backlog pickup A/B — {machine_line()}; binaries {' '.join(f'{l}={b}' for l, b in binaries)}")
        compare(binaries)
        return
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
