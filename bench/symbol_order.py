#!/usr/bin/env python3
"""Regenerates scripts/queuectl.order, the functions the worker daemon runs, which the release link of
`queuectl` places next to each other at the start of its code (Package.swift: lld's --symbol-ordering-file).

usage: python3 bench/symbol_order.py callgrind BINARY   # every function a daemon runs (valgrind; minutes)
       python3 bench/symbol_order.py faults BINARY      # add the functions it (and the fast path) faults on elsewhere

BINARY is a release `queuectl` (bench/build-release.sh). Both modes run a 4-slot daemon in a throwaway home:
start-up, then a drain of `true` jobs, then SIGTERM.
- `callgrind` runs it under valgrind's callgrind and writes every function it executed (start-up and jobs)
  as the new order: the base list. Valgrind does not know pidfd_open, so the job path it sees is partial.
- `faults` runs it, and then the fast path's commands, under `perf record -e page-faults` and appends to the
  existing order the functions (of the executable's code) that still fault outside the ordered block, in the
  order they first fault.
  Each fault maps the 64 KiB around it, so one round finds the first function of each window only: run
  it again after relinking (`rm .build-release/release/queuectl` then bench/build-release.sh; the order
  file is not a build input SwiftPM tracks) until it adds few.
Names that the code no longer has are ignored by the linker, so a stale order costs memory, not
correctness. bench/RESULTS.md ("Worker daemon memory") has the measurements.
"""
import bisect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from rss_attribution import sections, symbols

ORDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "queuectl.order")
JOBS = 2000


def run_daemon(binary, wrapper, jobs):
    """Runs `binary worker run --count 4` under `wrapper` (a list), drains `jobs` `true` jobs, stops it."""
    home = tempfile.mkdtemp(prefix="qc-order-")
    env = dict(os.environ, QUEUECTL_HOME=home)
    env.pop("QUEUECTL_DB", None)
    try:
        with open(os.path.join(home, "jobs.jsonl"), "w") as jobs_file:
            for index in range(jobs):
                jobs_file.write(json.dumps({"id": f"j{index}", "command": "true"}) + "\n")
        subprocess.run([binary, "config", "set", "poll_interval_ms", "50"], env=env, check=True, capture_output=True)
        daemon = subprocess.Popen(wrapper + [binary, "worker", "run", "--count", "4", "--home", home], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        workers = os.path.join(home, "workers")
        while not (os.path.isdir(workers) and any(name.endswith(".pid") for name in os.listdir(workers))):
            if daemon.poll() is not None or time.monotonic() > deadline:
                sys.exit("symbol_order.py: the daemon did not start")
            time.sleep(0.5)
        time.sleep(2)
        subprocess.run([binary, "enqueue", "--file", os.path.join(home, "jobs.jsonl")], env=env, check=True,
                       capture_output=True)
        while time.monotonic() < deadline:
            counts = json.loads(subprocess.run([binary, "status", "--json"], env=env, check=True,
                                               capture_output=True, text=True).stdout)
            if counts["completed"] + counts["dead"] >= jobs:
                break
            time.sleep(1)
        pid_file = next(name for name in os.listdir(workers) if name.endswith(".pid"))
        daemon_pid = int(open(os.path.join(workers, pid_file)).read().split()[0])
        os.kill(daemon_pid, signal.SIGTERM)
        daemon.wait(timeout=120)
        return daemon_pid
    finally:
        shutil.rmtree(home, ignore_errors=True)


def from_callgrind(binary):
    # valgrind cannot read the DWARF of these binaries; the symbol table is enough.
    with tempfile.TemporaryDirectory() as scratch:
        bare = os.path.join(scratch, "queuectl")
        subprocess.run(["strip", "--strip-debug", "-o", bare, binary], check=True)
        run_daemon(bare, ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/cg.%p", "--dump-instr=no",
                          "--compress-strings=no", "--compress-pos=no", "-q"], JOBS // 10)
        names = set()
        for name in os.listdir(scratch):
            if name.startswith("cg."):
                for line in open(os.path.join(scratch, name), errors="replace"):
                    match = re.match(r"^c?fn=(?:\(\d+\) )?(.+)$", line.rstrip("\n"))
                    if match and not match.group(1).startswith("0x"):
                        names.add(match.group(1))
    starts, known = symbols(binary, kinds="tTwW")
    return sorted(names & set(known))


def fast_path_commands(binary, wrapper):
    """Runs the fast path's commands (`enqueue`, `status`, `list`, `show`) under `wrapper` in a throwaway home."""
    home = tempfile.mkdtemp(prefix="qc-order-")
    env = dict(os.environ, QUEUECTL_HOME=home)
    env.pop("QUEUECTL_DB", None)
    try:
        subprocess.run([binary, "enqueue", "--id", "j1", "true"], env=env, check=True, capture_output=True)
        script = "; ".join(f"{binary} {arguments}" for arguments in
                           ("enqueue true", "status", "status --json", "list --limit 20", "list --json", "show j1"))
        subprocess.run(wrapper + ["sh", "-c", script], env=env, check=True, capture_output=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def faulted_functions(data, pids, starts, names, low, high, comm):
    """The functions of the executable's code that the processes `pids` (None: every process named `comm`)
    faulted on."""
    output = subprocess.run(["perf", "script", "-i", data, "-F", "comm,pid,addr,ip"], capture_output=True, text=True,
                            check=True).stdout
    for line in output.splitlines():
        # perf prints the command, then the pid, the address and the instruction pointer, whatever the order of -F.
        parts = line.split()
        if len(parts) != 4 or (int(parts[1]) not in pids if pids else parts[0] != comm):
            continue
        for address in (int(parts[2], 16), int(parts[3], 16)):
            if low <= address < high:
                yield names[bisect.bisect_right(starts, address) - 1]


def from_faults(binary, order):
    """`order` and then the functions the daemon, and the fast path's commands, fault on outside it. The fast
    path's are kept in the block too: left among the rest, its commands took 0.3 ms more CPU each."""
    starts, names = symbols(binary, kinds="tTwW")
    low, high = next((start, end) for start, end, name in sections(binary) if name == ".text")
    record = ["perf", "record", "-q", "-e", "page-faults", "-c", "1", "-d", "-o"]
    have, added = set(order), []
    with tempfile.TemporaryDirectory() as scratch:
        daemon_data, commands_data = os.path.join(scratch, "daemon.data"), os.path.join(scratch, "commands.data")
        daemon_pid = run_daemon(binary, record + [daemon_data], JOBS)
        fast_path_commands(binary, record + [commands_data])
        for data, pids in ((daemon_data, {daemon_pid}), (commands_data, None)):
            # The kernel keeps the first 15 bytes of a process's name.
            for name in faulted_functions(data, pids, starts, names, low, high, os.path.basename(binary)[:15]):
                if name not in have:
                    have.add(name)
                    added.append(name)
    return order + added, len(added)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("callgrind", "faults"):
        sys.exit(__doc__)
    mode, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    if mode == "callgrind":
        order = from_callgrind(binary)
        note = f"{len(order)} functions"
    else:
        order, added = from_faults(binary, [line.strip() for line in open(ORDER) if line.strip()])
        note = f"{added} functions added, {len(order)} in all"
    with open(ORDER, "w") as order_file:
        order_file.write("\n".join(order) + "\n")
    print(f"{os.path.relpath(ORDER)}: {note}")


if __name__ == "__main__":
    main()
