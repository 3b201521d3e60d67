#!/usr/bin/env python3
"""Every figure of issue 16 in one run, each beside its baseline measured in the same run (SQLite store, the
embedded path; the PostgreSQL worker's memory under an output flood is bench/log_flood.sh):
- start-up: one `enqueue`, `status`, `list --limit 20` and `show` vs `tsp true` (task-spooler's client queueing
  a job), timed in turn, medians of BENCH_RUNS (default 200) whole-process wall times;
- drain: 5,000 `true` jobs with 2 workers vs `xargs -P 2` and task-spooler with 2 slots, BENCH_ROUNDS rounds
  (default 3) in turn; a drain ends when its last job finished, by the jobs' own `finished_at` (`status` is
  polled every 0.5 s only to know when to look, so it takes next to no CPU from the drain);
- the worker daemon's CPU per job during those drains, from /proc: the daemon and its helper process (the job
  guardian), not the jobs; also as a share of the wall time xargs -P 2 takes per job and slot in the same round,
  since the machine's speed moves the CPU per job from round to round (a shared, noisy machine);
- the worker daemon's peak RSS (VmHWM) with 4 slots while draining 5,000 jobs vs `queuectl version`'s own.

With --after-mass-deletion [N] it first creates and deletes N files (default 100,000) in the file system of the
temporary directory, where the homes are, so the drains are measured right after a mass deletion: on an ext4
without a journal a new inode is then allocated past every inode deleted in the last minutes (see the top of
bench/RESULTS.md). The deletion comes right before the drains; start-up is measured last.

Run: python3 bench/issue16_bench.py [--after-mass-deletion [N]]
     (needs task-spooler: apt-get install task-spooler; QUEUECTL_BENCH_BIN to measure a given binary;
     BENCH_JOBS, BENCH_TSP_JOBS, BENCH_ROUNDS, BENCH_RUNS)"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drain_bench  # noqa: E402
from benchlib import (Home, build_release, machine_line, median, peak_rss_kib_of, percentile, source_line,  # noqa: E402
                      time_in_turn, tsp_env, write_jsonl)

JOBS = int(os.environ.get("BENCH_JOBS", "5000"))
TSP_JOBS = int(os.environ.get("BENCH_TSP_JOBS", str(JOBS)))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def mass_deletion(count):
    """Creates `count` empty files in the temporary directory's file system and deletes them; returns seconds."""
    start = time.perf_counter()
    folder = tempfile.mkdtemp(prefix="qc-bench-deleted-")
    for index in range(count):
        os.close(os.open(os.path.join(folder, str(index)), os.O_CREAT | os.O_WRONLY, 0o600))
    shutil.rmtree(folder)
    return time.perf_counter() - start


def drains(binary):
    """ROUNDS rounds of xargs, queuectl and task-spooler in turn; prints each round and returns the medians."""
    rows = []
    for round_number in range(1, ROUNDS + 1):
        xargs = drain_bench.xargs_baseline(JOBS)
        ours = drain_bench.queuectl_drain(binary, JOBS)
        spooler = drain_bench.tsp_drain(TSP_JOBS)
        rows.append((xargs, ours.rate, spooler, ours.daemon_ms))
        print(f"  round {round_number}: xargs -P 2 {xargs:,.0f}/s, queuectl 2 workers {ours.rate:,.0f}/s "
              f"(daemon {ours.daemon_ms:.3f} ms CPU/job = {slot_share(ours.daemon_ms, xargs):.0%} of xargs' time "
              f"per job and slot), task-spooler -S 2 {spooler:,.0f}/s ({TSP_JOBS:,} jobs)", flush=True)
    to_xargs = median([ours / xargs for xargs, ours, _, _ in rows])
    to_tsp = median([ours / spooler for _, ours, spooler, _ in rows])
    share = median([slot_share(cpu, xargs) for xargs, *_, cpu in rows])
    return median([ours for _, ours, _, _ in rows]), to_xargs, to_tsp, median([cpu for *_, cpu in rows]), share


def slot_share(daemon_ms, xargs_rate):
    """The daemon's CPU per job as a share of the wall time one of xargs' two slots takes per `true` job in the
    same round (2 / its rate): a baseline from the same run for a figure that is otherwise absolute, since the
    machine's speed moves both alike (the CPU per job follows the machine's speed from round to round)."""
    return daemon_ms / (2 * 1000 / xargs_rate)


def daemon_peak(binary):
    """A 4-slot daemon draining JOBS jobs (its peak RSS and resident split in KiB), and `queuectl version`'s peak
    RSS (median of 5 runs)."""
    drain = drain_bench.queuectl_drain(binary, JOBS, workers=4)
    version = median([peak_rss_kib_of([binary, "version"]) for _ in range(5)])
    return drain.rss_kib, drain.resident_kib, version


def start_up(binary, tsp):
    """Median wall time (ms) of each hot command and of `tsp true`, timed in turn; a queue of 1,000 jobs."""
    socket_dir = tempfile.mkdtemp(prefix="qc-bench-tsp-")
    spooler_env = tsp_env(socket_dir)
    subprocess.run([tsp, "-S", "1"], env=spooler_env, check=True, capture_output=True)
    figures = {}
    with Home(binary) as home, tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "jobs.jsonl")
        write_jsonl(path, 1000)
        home.run("enqueue", "--file", path)
        for args in (["enqueue", "true"], ["status"], ["list", "--limit", "20"], ["show", "j500"]):
            samples = time_in_turn({"queuectl": ([binary, *args], home.env),
                                    "tsp true": ([tsp, "true"], spooler_env)}, RUNS)
            figures[" ".join(args)] = (median(samples["queuectl"]), percentile(samples["queuectl"], .95),
                                       median(samples["tsp true"]))
    subprocess.run([tsp, "-K"], env=spooler_env, capture_output=True)
    shutil.rmtree(socket_dir, ignore_errors=True)
    return figures


def verdict(met):
    return "met" if met else "NOT met"


def main():
    parser = argparse.ArgumentParser(description="issue 16's figures beside their baselines, in one run")
    parser.add_argument("--after-mass-deletion", nargs="?", type=int, const=100_000, default=0, metavar="N",
                        help="first create and delete N files (default 100,000) on the temporary directory's file system")
    options = parser.parse_args()
    tsp = shutil.which("tsp") or shutil.which("ts")
    if not tsp:
        raise SystemExit("issue16_bench.py: task-spooler is the baseline; install it (apt-get install task-spooler)")
    binary = build_release()
    print(f"# issue 16 benchmark — {machine_line()}; {source_line(binary)}")
    if options.after_mass_deletion:
        seconds = mass_deletion(options.after_mass_deletion)
        print(f"mass deletion first: {options.after_mass_deletion:,} files created and deleted in {seconds:.1f} s "
              f"in {tempfile.gettempdir()}")
    else:
        print("no mass deletion by this run (files deleted in the minutes before it still count; see RESULTS.md)")

    print(f"drain {JOBS:,} `true` jobs, {ROUNDS} rounds:")
    rate, to_xargs, to_tsp, cpu_ms, share = drains(binary)
    print(f"drain: queuectl median {rate:,.0f} jobs/s = {to_xargs:.2f}x xargs -P 2 (target >= 0.8x: "
          f"{verdict(to_xargs >= 0.8)}), {to_tsp:.2f}x task-spooler -S 2 (target >= 1.5x: {verdict(to_tsp >= 1.5)})")
    print(f"daemon CPU per `true` job (daemon + guardian, from /proc): median {cpu_ms:.3f} ms "
          f"(target <= 0.3 ms: {verdict(cpu_ms <= 0.3)}); {share:.0%} of xargs -P 2's time per job and slot, "
          f"so 0.3 ms or less wherever xargs -P 2 drains {share * 2000 / 0.3:,.0f} jobs/s or more")

    daemon, resident, version = daemon_peak(binary)
    if daemon:
        print(f"worker daemon, 4 slots, draining {JOBS:,} jobs: peak RSS {daemon * 1024 / 1e6:.1f} MB "
              f"({daemon / 1024:.1f} MiB); `queuectl version` {version * 1024 / 1e6:.1f} MB ({version / 1024:.1f} MiB) "
              f"(target <= 20 MB: {verdict(daemon * 1024 <= 20_000_000)}); resident at the end: "
              f"{resident.get('RssAnon', 0) / 1024:.1f} MiB allocated, {resident.get('RssFile', 0) / 1024:.1f} MiB of "
              f"executable and libraries")
    else:
        print("worker daemon peak RSS not measured (no pid file found)")

    print(f"start-up, {RUNS} runs each, in turn with `tsp true`:")
    for command, (ours, p95, theirs) in start_up(binary, tsp).items():
        print(f"  `{command}`: {ours:.2f} ms (p95 {p95:.2f}) vs `tsp true` {theirs:.2f} ms = {ours / theirs:.2f}x "
              f"(target <= 4x: {verdict(ours <= 4 * theirs)})")
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
