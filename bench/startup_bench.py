#!/usr/bin/env python3
"""Start-up cost of the hot commands (issue 16): the lean `queuectl` against `queuectl-server`, the same program
with every library linked (what each command loaded before the split), and task-spooler's `tsp true` as the
baseline, all in one run. Commands are timed in turn (lean, server, tsp, lean, …) so a drifting machine
affects each alike; figures are medians of whole-process wall times, each also given as a ratio to `tsp true`.
The queue holds 1,000 jobs, so `list --limit 20` and `show` read real rows.

Run: python3 bench/startup_bench.py   (needs task-spooler: apt-get install task-spooler; BENCH_RUNS, default 200)"""
import os
import shutil
import subprocess
import sys
import tempfile

from benchlib import Home, build_release, machine_line, median, percentile, time_in_turn, tsp_env, write_jsonl

RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def main():
    lean = build_release()
    server = os.path.join(os.path.dirname(lean), "queuectl-server")
    tsp = shutil.which("tsp") or shutil.which("ts")
    print(f"# start-up benchmark, {RUNS} runs each — {machine_line()}")
    socket_dir = tempfile.mkdtemp(prefix="qc-bench-tsp-")
    spooler_env = tsp_env(socket_dir)
    if tsp:
        subprocess.run([tsp, "-S", "1"], env=spooler_env, check=True, capture_output=True)
    with Home(lean) as home, tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "jobs.jsonl")
        write_jsonl(path, 1000)
        home.run("enqueue", "--file", path)
        commands = [["version"], ["enqueue", "true"], ["status"], ["list", "--limit", "20"], ["show", "j500"]]
        for args in commands:
            programs = {"queuectl": ([lean, *args], home.env), "queuectl-server": ([server, *args], home.env)}
            if tsp:
                programs["tsp true"] = ([tsp, "true"], spooler_env)
            samples = time_in_turn(programs, RUNS)
            baseline = median(samples["tsp true"]) if tsp else None
            row = f"`{' '.join(args)}`:"
            for name in ("queuectl", "queuectl-server"):
                ratio = f" = {median(samples[name]) / baseline:.2f}x tsp" if baseline else ""
                row += (f" {name} median {median(samples[name]):.2f} ms (p95 "
                        f"{percentile(samples[name], .95):.2f}){ratio};")
            if baseline:
                row += f" tsp true median {baseline:.2f} ms"
            print(row)
    if tsp:
        subprocess.run([tsp, "-K"], env=spooler_env, capture_output=True)
    shutil.rmtree(socket_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
