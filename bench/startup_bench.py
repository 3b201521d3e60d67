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
import time

from benchlib import Home, build_release, machine_line, median, percentile, write_jsonl

RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def once(argv, env):
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main():
    lean = build_release()
    server = os.path.join(os.path.dirname(lean), "queuectl-server")
    tsp = shutil.which("tsp") or shutil.which("ts")
    print(f"# start-up benchmark, {RUNS} runs each — {machine_line()}")
    socket_dir = tempfile.mkdtemp(prefix="qc-bench-tsp-")
    tsp_env = dict(os.environ, TS_SOCKET=os.path.join(socket_dir, "socket"), TS_MAXFINISHED="1000000",
                   TMPDIR=socket_dir, TS_SAVELIST="")
    if tsp:
        subprocess.run([tsp, "-S", "1"], env=tsp_env, check=True, capture_output=True)
    with Home(lean) as home, tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "jobs.jsonl")
        write_jsonl(path, 1000)
        home.run("enqueue", "--file", path)
        commands = [["version"], ["enqueue", "true"], ["status"], ["list", "--limit", "20"], ["show", "j500"]]
        for args in commands:
            samples = {"queuectl": [], "queuectl-server": [], "tsp true": []}
            for index in range(RUNS + 10):
                for name, argv, env in (("queuectl", [lean, *args], home.env),
                                        ("queuectl-server", [server, *args], home.env),
                                        ("tsp true", [tsp, "true"] if tsp else None, tsp_env)):
                    if argv is None:
                        continue
                    sample = once(argv, env)
                    if index >= 10:  # the first rounds warm the page cache
                        samples[name].append(sample)
            baseline = median(samples["tsp true"]) if samples["tsp true"] else None
            row = f"`{' '.join(args)}`:"
            for name in ("queuectl", "queuectl-server"):
                ratio = f" = {median(samples[name]) / baseline:.2f}x tsp" if baseline else ""
                row += (f" {name} median {median(samples[name]):.2f} ms (p95 "
                        f"{percentile(samples[name], .95):.2f}){ratio};")
            if baseline:
                row += f" tsp true median {baseline:.2f} ms"
            print(row)
    if tsp:
        subprocess.run([tsp, "-K"], env=tsp_env, capture_output=True)
    shutil.rmtree(socket_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
