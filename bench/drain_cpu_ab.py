#!/usr/bin/env python3
"""The worker daemon's CPU per job, binaries compared pair by pair: each round drains 5,000 `true` jobs with 2 slots
on SQLite (`drain_bench.queuectl_drain`) with every binary in turn, the order reversed every other round, and the
summary gives each binary's CPU per job as the median of its ratios to the first binary's in the same rounds. On a
shared machine whose speed moves by ±10% from one drain to the next, a difference of a few percent shows only
over many pairs (30 pairs: about ±2% on the median).

    python3 bench/drain_cpu_ab.py BASE_BINARY OTHER_BINARY [...] ROUNDS
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drain_bench  # noqa: E402
from benchlib import machine_line  # noqa: E402


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__.strip())
    binaries, rounds = sys.argv[1:-1], int(sys.argv[-1])
    print(f"# drain CPU A/B — {machine_line()}")
    results = {binary: [] for binary in binaries}
    for round_number in range(rounds):
        order = binaries if round_number % 2 == 0 else binaries[::-1]
        line = []
        for binary in order:
            drain = drain_bench.queuectl_drain(binary, drain_bench.JOBS, workers=2)
            results[binary].append((drain.daemon_ms, drain.rate))
            line.append(f"{os.path.basename(binary)} {drain.daemon_ms:.3f} ms/job {drain.rate:,.0f}/s")
        print(" | ".join(line), flush=True)
    base = results[binaries[0]]
    for binary in binaries:
        mine = results[binary]
        cpu = [m[0] / b[0] for m, b in zip(mine, base)]
        rate = [m[1] / b[1] for m, b in zip(mine, base)]
        print(f"{os.path.basename(binary)}: CPU per job median {statistics.median(m[0] for m in mine):.3f} ms, "
              f"{statistics.median(cpu):.3f}x the first binary's pair by pair (lower in {sum(r < 1 for r in cpu)} "
              f"of {len(cpu)}), drain {statistics.median(rate):.3f}x")


if __name__ == "__main__":
    main()
