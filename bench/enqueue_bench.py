#!/usr/bin/env python3
"""Enqueue speed (issue 2): one `queuectl enqueue` vs task-spooler's `tsp`, batch enqueue of 100,000 JSON lines,
and `status` / `list --limit 20 --state pending` with 1,000,000 jobs in the store.

Run: python3 bench/enqueue_bench.py   (needs task-spooler: apt-get install task-spooler)"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import Home, build_release, machine_line, median, percentile, timed, write_jsonl

RUNS = int(os.environ.get("BENCH_RUNS", "300"))


def time_command(argv, env, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main():
    binary = build_release()
    tsp = shutil.which("tsp") or shutil.which("ts")
    print(f"# enqueue benchmark — {machine_line()}")
    with Home(binary) as home:
        home.run("status")  # creates the store, so the first sample is not a migration
        time_command([binary, "enqueue", "true"], home.env, 20)
        ours = time_command([binary, "enqueue", "true"], home.env, RUNS)
    socket_dir = tempfile.mkdtemp(prefix="qc-bench-tsp-")
    tsp_env = dict(os.environ, TS_SOCKET=os.path.join(socket_dir, "socket"), TS_MAXFINISHED="100000",
                   TMPDIR=socket_dir)
    theirs = []
    if tsp:
        subprocess.run([tsp, "-S", "1"], env=tsp_env, check=True, capture_output=True)
        time_command([tsp, "true"], tsp_env, 20)
        theirs = time_command([tsp, "true"], tsp_env, RUNS)
        subprocess.run([tsp, "-K"], env=tsp_env, capture_output=True)
    shutil.rmtree(socket_dir, ignore_errors=True)
    print(f"single enqueue, {RUNS} runs: queuectl median {median(ours):.2f} ms (p95 {percentile(ours, .95):.2f})", end="")
    if theirs:
        print(f"; tsp median {median(theirs):.2f} ms (p95 {percentile(theirs, .95):.2f}); "
              f"ratio queuectl/tsp = {median(ours) / median(theirs):.2f}x")
    else:
        print("; tsp not installed")

    with Home(binary) as home, tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "jobs.jsonl")
        write_jsonl(path, 100_000)
        seconds, _ = timed(lambda: home.run("enqueue", "--file", path, check=True))
        print(f"enqueue --file 100,000 JSON lines: {seconds:.2f} s = {100_000 / seconds:,.0f} jobs/s")

    with Home(binary) as home, tempfile.TemporaryDirectory() as scratch:
        for chunk in range(10):
            path = os.path.join(scratch, f"jobs{chunk}.jsonl")
            write_jsonl(path, 100_000, prefix=f"m{chunk}-")
            home.run("enqueue", "--file", path)
        counts = home.status()
        assert counts["pending"] == 1_000_000, counts
        for args in (["status"], ["status", "--json"], ["list", "--limit", "20", "--state", "pending"]):
            time_command([binary, *args], home.env, 5)
            samples = time_command([binary, *args], home.env, 50)
            print(f"with 1,000,000 jobs: `{' '.join(args)}` median {median(samples):.1f} ms, "
                  f"p95 {percentile(samples, .95):.1f} ms")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
