#!/usr/bin/env python3
"""Worker speed (issue 3), each figure beside a baseline measured in the same run:
- drain 5,000 `true` jobs with 2 workers vs `xargs -P 2` running `sh -c true` 5,000 times, and task-spooler with 2 slots;
- pickup latency with idle workers (the job records its own start time) vs task-spooler;
- peak RSS of a worker daemon with 4 slots while draining;
- per-job drain cost with 1,000,000 jobs pending vs 1,000 pending (on PostgreSQL too, with BENCH_PG_BIG pending,
  default 200,000: a claim whose plan sorted the due jobs would cost more the longer the queue).

Drain and pickup are measured on SQLite and, in the same run, on PostgreSQL (a throwaway server from
scripts/postgres.sh; BENCH_POSTGRES=0 skips it), so the PostgreSQL figures come as ratios to SQLite's; the
drain ratio is the median of BENCH_PG_PAIRS (default 5) PostgreSQL drains, each against the SQLite drains
before and after it. A drain ends when its last job finished, by the jobs' own `finished_at`.

Run: python3 bench/drain_bench.py"""
import collections
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import (Home, Postgres, build_release, cpu_seconds, helper_pids, job_start_ns, machine_line, median,
                      percentile, timed, tsp_env, write_jsonl)

JOBS = int(os.environ.get("BENCH_JOBS", "5000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
TSP_JOBS = int(os.environ.get("BENCH_TSP_JOBS", "1000"))
# PostgreSQL drains set against SQLite drains around them (see `report`).
PG_PAIRS = int(os.environ.get("BENCH_PG_PAIRS", "5"))
# Seconds between `status` probes while a drain runs (see `queuectl_drain`).
PROBE_INTERVAL = 0.5


def xargs_baseline(count):
    seconds, _ = timed(lambda: subprocess.run(
        f"seq {count} | xargs -P 2 -n 1 sh -c true", shell=True, check=True))
    return count / seconds


def tsp_drain(count):
    """task-spooler with 2 slots, from the first `tsp true` to the end of the last job. Each queued job keeps a
    tsp process waiting, and queueing thousands behind a blocker slowed tsp to a crawl here (1,000 took over
    8 minutes), so the jobs are queued while it runs them: its figure includes its own enqueue cost."""
    tsp = shutil.which("tsp")
    if not tsp:
        return None
    scratch = tempfile.mkdtemp(prefix="qc-bench-tsp-")
    env = tsp_env(scratch)
    run = lambda *a: subprocess.run([tsp, *a], env=env, capture_output=True, text=True, check=True).stdout.strip()
    run("-S", "2")
    start = time.perf_counter()
    last = None
    for _ in range(count):
        last = run("true")
    subprocess.run([tsp, "-w", last], env=env, capture_output=True)
    seconds = time.perf_counter() - start
    subprocess.run([tsp, "-K"], env=env, capture_output=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return count / seconds


Drain = collections.namedtuple("Drain", "rate rss_kib resident_kib daemon_ms server_ms")
Drain.__doc__ = """jobs/s; the daemon's peak RSS; its resident memory at the end, as {"RssAnon": KiB, "RssFile": KiB}
(private allocations; pages of its executable and libraries, which other processes share); CPU per job of the worker daemon and its helper process (the
job guardian; not its jobs) and of the PostgreSQL server (its processes alive at the end; None without `server`)."""


def queuectl_drain(binary, count, workers=2, pending_extra=0, measure=None, db=None, server=None):
    """Enqueue first (no worker running), then start workers and time until `measure` jobs completed."""
    measure = measure or count
    with Home(binary, db=db) as home, tempfile.TemporaryDirectory() as scratch:
        if pending_extra:
            for chunk in range(0, pending_extra, 100_000):
                path = os.path.join(scratch, f"bulk{chunk}.jsonl")
                write_jsonl(path, min(100_000, pending_extra - chunk), prefix=f"bulk{chunk}-")
                home.run("enqueue", "--file", path)
        path = os.path.join(scratch, "jobs.jsonl")
        write_jsonl(path, count, priority=1)
        home.run("enqueue", "--file", path)
        home.run("config", "set", "poll_interval_ms", "50")
        server_before = server.cpu_seconds() if server else None
        # The end is when the `measure`-th job finished by its own `finished_at` (the same wall clock on
        # this machine, whether the worker or the PostgreSQL server stamps it), so the probe can poll
        # seldom: each `status` is a process of its own taking CPU from the two cores the drain runs on
        # (13 ms of CPU on SQLite, 18 ms and a server backend's start on PostgreSQL), and polling finely
        # near the end, as this script first did, took one core for itself and charged PostgreSQL more.
        start = time.time()
        home.run("worker", "start", "--count", str(workers))
        home.wait_until(lambda c: c["completed"] >= measure, interval=PROBE_INTERVAL)
        seconds = nth_finish(home, measure) - start
        daemons = daemon_pids(home.dir)
        daemon_seconds = sum(cpu_seconds(pid) for pid in daemons + [h for pid in daemons for h in helper_pids(pid)])
        server_ms = None
        if server:
            server_ms = sum(now - server_before.get(pid, 0) for pid, now in server.cpu_seconds().items()) * 1000 / measure
        return Drain(measure / seconds, peak_rss_kib(daemons), resident_kib(daemons), daemon_seconds * 1000 / measure, server_ms)


def nth_finish(home, n):
    """When the `n`-th job of `home` to finish did (epoch seconds), from the completed jobs' `finished_at`."""
    jobs = json.loads(home.run("list", "--state", "completed", "--json").stdout)
    finishes = sorted(datetime.datetime.fromisoformat(job["finished_at"].replace("Z", "+00:00")).timestamp()
                      for job in jobs)
    return finishes[n - 1]


def daemon_pids(home_dir):
    pids = []
    for pidfile in glob.glob(os.path.join(home_dir, "workers", "*.pid")):
        try:
            pids.append(int(open(pidfile).read().split()[0]))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def status_kib(pid, *fields):
    """The named memory fields (KiB) of /proc/<pid>/status; {} once the process is gone."""
    try:
        return {line.split(":")[0]: int(line.split()[1]) for line in open(f"/proc/{pid}/status")
                if line.split(":")[0] in fields}
    except OSError:
        return {}


def peak_rss_kib(pids):
    peaks = [status_kib(pid, "VmHWM").get("VmHWM") for pid in pids]
    peaks = [peak for peak in peaks if peak is not None]
    return max(peaks) if peaks else None


def resident_kib(pids):
    """RssAnon and RssFile of the daemon with the highest peak (the only one, in these drains)."""
    by_peak = sorted(pids, key=lambda pid: status_kib(pid, "VmHWM").get("VmHWM", 0))
    return status_kib(by_peak[-1], "RssAnon", "RssFile") if by_peak else {}


def pickup_latency_queuectl(binary, samples, db=None):
    """Milliseconds from `enqueue` returning to the job's first instruction (0 when it had started before
    the command returned), and from `enqueue` being spawned to the same instant."""
    with Home(binary, db=db) as home, tempfile.TemporaryDirectory() as scratch:
        home.run("worker", "start", "--count", "2")
        time.sleep(0.5)
        after_return, after_spawn = [], []
        for index in range(samples):
            marker = os.path.join(scratch, f"start{index}")
            spawned = time.time_ns()
            home.run("enqueue", "--command", f"date +%s%N > {marker}")
            returned = time.time_ns()
            started = job_start_ns(marker, timeout=10)
            after_return.append(max(0, started - returned) / 1e6)
            after_spawn.append((started - spawned) / 1e6)
            time.sleep(0.02)
        return after_return, after_spawn


def pickup_latency_tsp(samples):
    tsp = shutil.which("tsp")
    if not tsp:
        return None
    scratch = tempfile.mkdtemp(prefix="qc-bench-tsp-")
    env = tsp_env(scratch)
    subprocess.run([tsp, "-S", "2"], env=env, capture_output=True, check=True)
    delays = []
    for index in range(samples):
        marker = os.path.join(scratch, f"start{index}")
        subprocess.run([tsp, "sh", "-c", f"date +%s%N > {marker}"], env=env, capture_output=True, check=True)
        returned = time.time_ns()
        delays.append(max(0, job_start_ns(marker, timeout=10) - returned))
        time.sleep(0.02)
    subprocess.run([tsp, "-K"], env=env, capture_output=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return [d / 1e6 for d in delays]


def main():
    binary = build_release()
    postgres = Postgres.start()
    try:
        report(binary, postgres)
    finally:
        if postgres:
            postgres.stop()


def report(binary, postgres):
    print(f"# drain benchmark — {machine_line()}")
    xargs_rate = xargs_baseline(JOBS)
    ours = queuectl_drain(binary, JOBS).rate
    print(f"drain {JOBS} `true` jobs, 2 at a time: xargs -P 2 {xargs_rate:,.0f}/s; "
          f"queuectl 2 workers (SQLite) {ours:,.0f}/s = {ours / xargs_rate:.2f}x xargs")
    tsp_rate = tsp_drain(TSP_JOBS)
    if tsp_rate:
        xargs_small = xargs_baseline(TSP_JOBS)
        print(f"drain {TSP_JOBS} `true` jobs: task-spooler -S 2 {tsp_rate:,.0f}/s = {tsp_rate / xargs_small:.2f}x "
              f"xargs -P 2 ({xargs_small:,.0f}/s)")
    if postgres:
        # One pair swings from 0.6x to 1.1x on this shared machine, so the figure is the median of several,
        # each PostgreSQL drain set against the mean of the SQLite drains right before and after it.
        sqlite_rates, pg_rates = [ours], []
        for _ in range(PG_PAIRS):
            pg_rates.append(queuectl_drain(binary, JOBS, db=postgres.database()).rate)
            sqlite_rates.append(queuectl_drain(binary, JOBS).rate)
        ratios = [pg / ((before + after) / 2) for pg, before, after in zip(pg_rates, sqlite_rates, sqlite_rates[1:])]
        print(f"drain {JOBS} `true` jobs, 2 workers, {PG_PAIRS} rounds: PostgreSQL "
              f"{', '.join(f'{rate:,.0f}' for rate in pg_rates)}/s, SQLite {', '.join(f'{rate:,.0f}' for rate in sqlite_rates)}/s; "
              f"PostgreSQL = {', '.join(f'{ratio:.2f}' for ratio in ratios)}x SQLite (each against the SQLite runs "
              f"around it), median {median(ratios):.2f}x")

    after_return, after_spawn = pickup_latency_queuectl(binary, SAMPLES)
    line = (f"pickup latency, idle workers, {SAMPLES} jobs, after enqueue returns: SQLite p50 {median(after_return):.2f} ms, "
            f"p95 {percentile(after_return, .95):.2f} ms (from spawning enqueue: p50 {median(after_spawn):.2f} ms)")
    theirs = pickup_latency_tsp(SAMPLES)
    if theirs:
        line += f"; task-spooler p50 {median(theirs):.2f} ms, p95 {percentile(theirs, .95):.2f} ms"
    print(line)
    if postgres:
        after_return, after_spawn = pickup_latency_queuectl(binary, SAMPLES, db=postgres.database())
        print(f"pickup latency, idle workers, {SAMPLES} jobs, after enqueue returns: PostgreSQL p50 "
              f"{median(after_return):.2f} ms, p95 {percentile(after_return, .95):.2f} ms "
              f"(from spawning enqueue: p50 {median(after_spawn):.2f} ms)")

    rss = queuectl_drain(binary, JOBS, workers=4).rss_kib
    print(f"worker daemon with 4 slots, peak RSS while draining {JOBS} jobs: "
          + (f"{rss / 1024:.1f} MiB" if rss else "not measured (no pid file found)"))

    small = queuectl_drain(binary, 1000).rate
    big = queuectl_drain(binary, 1000, pending_extra=int(os.environ.get("BENCH_BIG", "1000000"))).rate
    print(f"per-job drain cost: 1,000 pending {1000 / small:.3f} ms/job; "
          f"first 1,000 of 1,001,000 pending {1000 / big:.3f} ms/job; ratio {small / big:.2f}x")
    if postgres:
        extra = int(os.environ.get("BENCH_PG_BIG", "200000"))
        small = queuectl_drain(binary, 1000, db=postgres.database()).rate
        big = queuectl_drain(binary, 1000, pending_extra=extra, db=postgres.database()).rate
        print(f"per-job drain cost on PostgreSQL: 1,000 pending {1000 / small:.3f} ms/job; "
              f"first 1,000 of {1000 + extra:,} pending {1000 / big:.3f} ms/job; ratio {small / big:.2f}x")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
