"""Shared helpers for queuectl's benchmarks: build the release binary, temp homes, timing, stats."""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = os.path.join(ROOT, ".build-release")


def build_release():
    """Builds queuectl in release mode with the Swift runtime linked statically (faster process start)."""
    bin_path = os.environ.get("QUEUECTL_BENCH_BIN")
    if bin_path:
        return bin_path
    print("building release binary (static Swift stdlib) into .build-release ...", file=sys.stderr, flush=True)
    subprocess.run(
        ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", SCRATCH, "--product", "queuectl"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(
        ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", SCRATCH, "--show-bin-path"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "queuectl")


class Home:
    """A throwaway QUEUECTL_HOME; workers started in it are stopped on exit."""

    def __init__(self, binary, prefix="qc-bench-"):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.env = dict(os.environ, QUEUECTL_HOME=self.dir)
        self.env.pop("QUEUECTL_DB", None)

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
        shutil.rmtree(self.dir, ignore_errors=True)


def write_jsonl(path, count, command="true", prefix="j", **extra):
    with open(path, "w") as handle:
        for index in range(count):
            job = {"id": f"{prefix}{index}", "command": command}
            job.update(extra)
            handle.write(json.dumps(job) + "\n")


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


def machine_line():
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} at start"
