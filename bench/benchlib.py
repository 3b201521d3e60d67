"""Shared helpers for queuectl's benchmarks: build the release binary, temp homes, timing, stats."""
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_release():
    """Builds the release binaries (bench/build-release.sh) and returns the path of queuectl."""
    bin_path = os.environ.get("QUEUECTL_BENCH_BIN")
    if bin_path:
        return bin_path
    folder = subprocess.run(["bash", os.path.join(ROOT, "bench", "build-release.sh")], check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return os.path.join(folder, "queuectl")


class Postgres:
    """A throwaway PostgreSQL server (scripts/postgres.sh) for the length of a benchmark; each `database()`
    is a fresh, empty database on it. Unavailable (None from `start`) when the machine has no server binaries."""

    def __init__(self, url, scratch):
        self.url = url
        self.scratch = scratch
        self.count = 0

    @staticmethod
    def start():
        if os.environ.get("BENCH_POSTGRES", "1") == "0":
            return None
        scratch = tempfile.mkdtemp(prefix="qc-bench-pg-")
        env = dict(os.environ, QUEUECTL_PG_DIR=scratch)
        result = subprocess.run(["bash", os.path.join(ROOT, "scripts", "postgres.sh"), "start"], env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(f"PostgreSQL not measured: {result.stderr.strip()}", file=sys.stderr)
            shutil.rmtree(scratch, ignore_errors=True)
            return None
        return Postgres(result.stdout.strip(), scratch)

    def database(self):
        self.count += 1
        name = f"qcbench_{os.getpid()}_{self.count}"
        subprocess.run(["psql", self.url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        return self.url.rsplit("/", 1)[0] + "/" + name

    def cpu_seconds(self):
        """CPU seconds (user + system) used so far by each live process of the server, by pid."""
        try:
            postmaster = int(open(os.path.join(self.scratch, "data", "postmaster.pid")).readline())
            children = open(f"/proc/{postmaster}/task/{postmaster}/children").read().split()
        except (OSError, ValueError):
            return {}
        return {pid: cpu_seconds(pid) for pid in [postmaster, *map(int, children)]}

    def stop(self):
        env = dict(os.environ, QUEUECTL_PG_DIR=self.scratch)
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "postgres.sh"), "stop"], env=env, capture_output=True)
        shutil.rmtree(self.scratch, ignore_errors=True)


def helper_pids(pid):
    """The processes `pid` forked that still run its own program (a worker daemon's job guardian), not the jobs
    it started (they exec /bin/sh): children of any of its threads whose executable is the daemon's."""
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    helpers = []
    for task in tasks:
        try:
            children = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        for child in map(int, children):
            try:
                if os.readlink(f"/proc/{child}/exe") == exe:
                    helpers.append(child)
            except OSError:
                continue
    return helpers


def cpu_seconds(pid):
    """CPU seconds (user + system) process `pid` has used, not counting its children; 0 once it is gone."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Home:
    """A throwaway QUEUECTL_HOME (with its SQLite store, or the PostgreSQL database `db`); workers started
    in it are stopped on exit."""

    def __init__(self, binary, prefix="qc-bench-", db=None):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.env = dict(os.environ, QUEUECTL_HOME=self.dir)
        self.env.pop("QUEUECTL_DB", None)
        if db:
            self.env["QUEUECTL_DB"] = db

    def run(self, *args, input=None, check=True):
        result = subprocess.run([self.binary, *args], env=self.env, input=input, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise SystemExit(f"queuectl {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result

    def status(self):
        return json.loads(self.run("status", "--json").stdout)

    def wait_until(self, predicate, timeout=600, interval=0.02):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            counts = self.status()
            if predicate(counts):
                return counts
            time.sleep(interval)
        raise SystemExit(f"timed out waiting; last status {self.status()}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        subprocess.run([self.binary, "worker", "stop", "--timeout", "10"], env=self.env, capture_output=True)
        _deferred_removals.append(self.dir)


# Homes are deleted when the benchmark ends, not after each run: every drain leaves thousands of log files,
# and on this ext4 without a journal a new inode is allocated past every inode deleted in the last 1-5
# minutes (`recently_deleted`), so deleting one run's files made each later run's file creation slower
# (up to a quarter of all CPU samples), in whichever order the binaries or stores happened to run.
_deferred_removals = []


@atexit.register
def _remove_homes():
    for path in _deferred_removals:
        shutil.rmtree(path, ignore_errors=True)


def job_start_ns(marker, timeout=60):
    """The instant (ns since 1970) a job wrote into `marker` (`date +%s%N > marker`, its first instruction), once
    it has; exits the benchmark if no job did within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            text = open(marker).read().strip()
            if text:
                return int(text)
        except OSError:
            pass
        time.sleep(0.0005)
    raise SystemExit(f"a job was not picked up within {timeout} s ({marker})")


def on_each_store(binary, measure):
    """Runs `measure(binary)` on SQLite, then `measure(binary, db=..., label="PostgreSQL")` on a throwaway server
    when one can be started (BENCH_POSTGRES=0 skips it)."""
    measure(binary)
    postgres = Postgres.start()
    if postgres:
        try:
            measure(binary, db=postgres.database(), label="PostgreSQL")
        finally:
            postgres.stop()


def write_jsonl(path, count, command="true", prefix="j", **extra):
    with open(path, "w") as handle:
        for index in range(count):
            job = {"id": f"{prefix}{index}", "command": command}
            job.update(extra)
            handle.write(json.dumps(job) + "\n")


def peak_rss_kib_of(argv, env=None):
    """The peak resident set (KiB) of one run of `argv`, as GNU time (/usr/bin/time, Debian package `time`) reports
    it. Not Python's own wait4: the kernel's figure for a child includes what the child held before its exec,
    a copy of this Python process (measured: 29 MiB for `queuectl version`, which peaks at 14 MiB); time's child
    is forked from a tiny process."""
    if not os.path.exists("/usr/bin/time"):
        raise SystemExit("peak RSS of a command needs GNU time: apt-get install time")
    with tempfile.NamedTemporaryFile(mode="r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *argv], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(report.read().split()[-1])


def tsp_env(scratch):
    """The environment of a task-spooler (`tsp`) server of its own in `scratch`, keeping every finished job."""
    return dict(os.environ, TS_SOCKET=os.path.join(scratch, "socket"), TS_MAXFINISHED="1000000",
                TMPDIR=scratch, TS_SAVELIST="")


def time_in_turn(programs, runs, warmup=10):
    """Wall times (ms) of whole runs of each program, taken in turn (a, b, c, a, b, c, …) so a drifting machine
    affects each alike; `programs` maps a name to (argv, env). The first `warmup` rounds warm the page cache
    and are dropped. Returns the samples by name."""
    samples = {name: [] for name in programs}
    for index in range(runs + warmup):
        for name, (argv, env) in programs.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            if index >= warmup:
                samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def median(values):
    return statistics.median(values)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def source_line(binary):
    """Which commit (and whether the checkout had changes) and which binary a run measured."""
    def git(*args):
        return subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"commit {commit}{dirty}, {binary}"


def machine_line():
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} at start"
