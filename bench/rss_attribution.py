#!/usr/bin/env python3
"""Which code a running process holds resident: its executable's present pages, by module.

usage: sudo python3 bench/rss_attribution.py PID [--before SNAPSHOT.json] [--save SNAPSHOT.json]

Reads /proc/PID/maps and /proc/PID/pagemap (root only: pagemap hides frames from others, but the present
bit is what is used here), keeps the present pages of the mappings of the executable, and splits each page's
4 KiB between the symbols of `nm -n` that overlap it. A symbol's module comes from its name: a Swift
mangled name `$s<len><Module>` names its module (`$sS…`/`$ss…` the standard library), `swift_`/`_ZN5swift`
the runtime, `_ZN6icu_`/`u_`… ICU, `sqlite3` SQLite, `_ZNSt`… libstdc++, the rest C (glibc and our C
targets). Pages outside any symbol (sections without symbols: .eh_frame, swift5_* metadata, .rodata) are
counted per section. With --before, only the pages present now and not in that earlier snapshot are
counted (e.g. the pages a drain added to an idle daemon).

The kernel maps up to 64 KiB of already-cached pages around each fault ("fault-around"), so a module's
figure is what it holds resident, not only what it executed: a touched function brings its neighbours.
"""
import bisect
import json
import os
import re
import struct
import subprocess
import sys
from collections import defaultdict

PAGE = 4096


def executable_mappings(pid):
    exe = os.path.realpath(f"/proc/{pid}/exe")
    ranges = []
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and fields[5] == exe:
                start, end = (int(x, 16) for x in fields[0].split("-"))
                ranges.append((start, end, fields[1]))
    return exe, ranges


def present_pages(pid, ranges):
    pages = set()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for start, end, _ in ranges:
            pagemap.seek(start // PAGE * 8)
            data = pagemap.read((end - start) // PAGE * 8)
            for index, (entry,) in enumerate(struct.iter_unpack("<Q", data)):
                if entry >> 63 & 1:
                    pages.add(start + index * PAGE)
    return pages


def symbols(exe, kinds="tTwWrRdDbB"):
    """The addresses and names of `exe`'s defined symbols of the `nm` kinds given, in address order."""
    output = subprocess.run(["nm", "-n", "--defined-only", exe], capture_output=True, text=True, check=True).stdout
    starts, names = [], []
    for line in output.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in kinds:
            starts.append(int(parts[0], 16))
            names.append(parts[2])
    return starts, names


def sections(exe):
    output = subprocess.run(["readelf", "-SW", exe], capture_output=True, text=True, check=True).stdout
    found = []
    for match in re.finditer(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]{16})\s+[0-9a-f]+\s+([0-9a-f]+)", output):
        name, address, size = match.group(1), int(match.group(2), 16), int(match.group(3), 16)
        if address and size:
            found.append((address, address + size, name))
    return sorted(found)


SWIFT_MODULE = re.compile(r"^_?\$s(\d+)")


def module_of(name):
    match = SWIFT_MODULE.match(name)
    if match:
        length = int(match.group(1))
        rest = name[match.end():]
        module = rest[:length]
        return module if module else "Swift"
    if name.startswith(("$sS", "$ss", "_$sS", "_$ss")):
        return "Swift stdlib"
    if name.startswith(("$s", "_$s")):
        return "Swift (other mangling)"
    if name.startswith(("swift_", "_swift_", "__swift", "_ZN5swift", "_ZNK5swift", "_ZL", "swift::")):
        return "Swift runtime"
    if "icu_" in name[:12] or re.match(r"^_?(u_|ucol_|ucnv_|ures_|udata_|uloc_|ubrk_|unum_|udat_|utrie|uhash_|ustr)", name):
        return "ICU"
    if name.startswith("sqlite3") or name.startswith("_sqlite"):
        return "SQLite"
    if name.startswith(("_ZNSt", "_ZNKSt", "_ZSt", "_ZNSs", "_ZN9__gnu_cxx", "_ZNK9__gnu", "__cxa", "_ZN10__cxxabiv1")):
        return "libstdc++"
    if name.startswith(("CF", "__CF", "_CF", "_NS", "__NS")):
        return "CoreFoundation"
    if name.startswith("_Z"):
        return "C++ (other)"
    return "C (glibc, our C targets)"


def attribute(pages, starts, names, section_list):
    owners = defaultdict(int)
    text_end = max((end for start, end, name in section_list if name == ".text"), default=0)
    for page in pages:
        # Symbols only cover code in .text; other sections are counted by name.
        section = next((name for start, end, name in section_list if start <= page < end), None)
        if section is not None and section != ".text":
            owners[f"[{section}]"] += PAGE
            continue
        if section is None and page >= text_end:
            owners["[no section]"] += PAGE
            continue
        index = max(bisect.bisect_right(starts, page) - 1, 0)
        position = page
        while position < page + PAGE:
            next_start = starts[index + 1] if index + 1 < len(starts) else page + PAGE
            end = min(max(next_start, position + 1), page + PAGE)
            owners[module_of(names[index]) if starts[index] <= position else "[before first symbol]"] += end - position
            position = end
            index += 1
    return owners


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    pid = int(args[0])
    before = save = None
    if "--before" in args:
        before = set(json.load(open(args[args.index("--before") + 1])))
    if "--save" in args:
        save = args[args.index("--save") + 1]
    exe, ranges = executable_mappings(pid)
    pages = present_pages(pid, ranges)
    if save:
        json.dump(sorted(pages), open(save, "w"))
    if before is not None:
        pages -= before
    starts, names = symbols(exe)
    owners = attribute(pages, starts, names, sections(exe))
    total = sum(owners.values())
    label = "added since the snapshot" if before is not None else "present"
    print(f"{exe}: {len(pages)} pages {label} ({total / 2**20:.1f} MiB)")
    for start, end, perms in ranges:
        inside = sum(1 for page in pages if start <= page < end)
        print(f"  mapping {start:#x}-{end:#x} {perms}: {inside * PAGE / 2**20:.1f} MiB of {(end - start) / 2**20:.1f}")
    for owner, size in sorted(owners.items(), key=lambda item: -item[1]):
        if size >= 16 * 1024:
            print(f"  {size / 2**20:6.2f} MiB  {size * 100 / total:5.1f}%  {owner}")


if __name__ == "__main__":
    main()
