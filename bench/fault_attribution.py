#!/usr/bin/env python3
"""Who brings the executable's pages into a process: its page faults on the executable, by module.

usage: python3 bench/fault_attribution.py PERF_DATA EXECUTABLE PID

PERF_DATA is a `perf record -e page-faults -c 1 -d` of the process (every fault, with its address). Each
fault on the executable maps the 64 KiB window around it (the kernel's fault-around), so the windows those
faults hit are what the process holds resident of the executable. They are split in time at the first
job (the first fault of another process, a job's shell: before it is start-up, after it is the drain) and
attributed twice: by the module owning the faulting address (what was touched) and by the module of the
instruction that touched it (who touched it). Modules as in rss_attribution.py.
"""
import bisect
import subprocess
import sys
from collections import defaultdict

from rss_attribution import module_of, sections, symbols

WINDOW = 64 * 1024


def faults(perf_data):
    output = subprocess.run(["perf", "script", "-i", perf_data, "-F", "pid,time,ip,addr"],
                            capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 4:
            # perf prints the address before the instruction pointer, whatever the order of -F.
            yield int(parts[0]), float(parts[1].rstrip(":")), int(parts[3], 16), int(parts[2], 16)


def owner(address, starts, names, section_list):
    section = next((name for start, end, name in section_list if start <= address < end), None)
    if section is None:
        return None
    if section != ".text":
        return f"[{section}]"
    index = bisect.bisect_right(starts, address) - 1
    return module_of(names[index]) if index >= 0 else "[before first symbol]"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    perf_data, exe, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    starts, names = symbols(exe)
    section_list = sections(exe)
    low, high = section_list[0][0], section_list[-1][1]
    records = list(faults(perf_data))
    first_job = min((time for fault_pid, time, _, _ in records if fault_pid != pid), default=float("inf"))
    phases = {"start-up": (set(), defaultdict(set), defaultdict(int)), "drain": (set(), defaultdict(set), defaultdict(int))}
    seen = set()
    for fault_pid, time, ip, address in records:
        if fault_pid != pid or not low <= address < high:
            continue
        window = address // WINDOW
        if window in seen:
            continue  # a later fault in a window already mapped (a write to a data page, a page not cached)
        seen.add(window)
        windows, by_target, by_toucher = phases["start-up" if time < first_job else "drain"]
        windows.add(window)
        by_target[owner(address, starts, names, section_list) or "[other]"].add(window)
        by_toucher[owner(ip, starts, names, section_list) or "[outside the executable]"] += 1
    for phase, (windows, by_target, by_toucher) in phases.items():
        print(f"{phase}: {len(windows)} windows of 64 KiB first faulted ({len(windows) * WINDOW / 2**20:.1f} MiB at most)")
        print("  by the module owning the address:")
        for module, hits in sorted(by_target.items(), key=lambda item: -len(item[1]))[:25]:
            print(f"    {len(hits) * WINDOW / 2**20:6.2f} MiB  {module}")
        print("  by the module of the instruction that touched it (windows):")
        for module, count in sorted(by_toucher.items(), key=lambda item: -item[1])[:15]:
            print(f"    {count:6d}  {module}")


if __name__ == "__main__":
    main()
