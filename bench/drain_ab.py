#!/usr/bin/env python3
"""Drains 5,000 `true` jobs with 2 workers on SQLite and on PostgreSQL with two queuectl binaries in turn,
beside `xargs -P 2`, so a change to the run path is measured against the binary before it in one run. Beside
each rate: the CPU per job of the worker daemon (its jobs not counted) and, on PostgreSQL, of the server, and
the daemon's peak RSS. BENCH_WORKERS sets the daemon's slots (default 2; issue 16's memory target is for 4),
BENCH_POSTGRES=0 leaves PostgreSQL out.

    python3 bench/drain_ab.py OLD_BINARY NEW_BINARY [ROUNDS]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drain_bench  # noqa: E402
from benchlib import Postgres, machine_line  # noqa: E402


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__.strip())
    binaries = sys.argv[1:3]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    jobs = drain_bench.JOBS
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    print(f"# drain A/B — {machine_line()}")
    postgres = Postgres.start()
    try:
        for _ in range(rounds):
            xargs = drain_bench.xargs_baseline(jobs)
            line = f"xargs -P 2 {xargs:,.0f}/s"
            for binary in binaries:
                sqlite = drain_bench.queuectl_drain(binary, jobs, workers=workers)
                line += (f" | {binary}: SQLite {sqlite.rate:,.0f}/s = {sqlite.rate / xargs:.2f}x xargs"
                         f" (daemon {sqlite.daemon_ms:.2f} ms CPU/job, peak RSS {(sqlite.rss_kib or 0) / 1024:.1f} MiB)")
                if postgres:
                    pg = drain_bench.queuectl_drain(binary, jobs, workers=workers, db=postgres.database(), server=postgres)
                    line += (f", PostgreSQL {pg.rate:,.0f}/s = {pg.rate / sqlite.rate:.2f}x SQLite"
                             f" (daemon {pg.daemon_ms:.2f} + server {pg.server_ms:.2f} ms CPU/job,"
                             f" peak RSS {(pg.rss_kib or 0) / 1024:.1f} MiB)")
            print(line, flush=True)
    finally:
        if postgres:
            postgres.stop()


if __name__ == "__main__":
    main()
