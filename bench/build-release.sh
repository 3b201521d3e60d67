#!/usr/bin/env bash
# Builds the release binaries the benchmarks measure and scripts/install.sh installs (every executable product
# of the package: queuectl, its sibling queuectl-server for the dashboard and the PostgreSQL store, and
# queuectl-store-bench) into .build-release and prints the folder they are in. The Swift runtime is linked
# statically and the executable is not
# position-independent: both cut process start-up, which is most of what one `queuectl enqueue` costs
# (measured: `queuectl version` 11.2 ms as a PIE, 8.0 ms without; 135,000 relocations fewer at start).
# A release `queuectl` is moreover one static executable (Package.swift: glibc, libstdc++ and SQLite linked in,
# no dynamic loader at start: half the CPU of a `status`), so it runs on another Linux host of the same
# architecture as it is; `queuectl-server` stays dynamic (it needs libsqlite3 and libstdc++ there).
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib -Xlinker -no-pie --scratch-path .build-release)
# The executable products as the manifest declares them, so a new sibling is built without editing this file.
products=$(swift package --scratch-path .build-release describe | awk '
    /^Products:/ { inside = 1; next }
    /^[^ ]/      { inside = 0 }
    inside && $1 == "Name:" { name = $2 }
    inside && $1 == "Executable:" { print name }')
[[ -n "$products" ]] || { echo "build-release.sh: the package declares no executable product" >&2; exit 1; }
echo "building release binaries into .build-release (the first build takes ~10 minutes) ..." >&2
for product in $products; do
    swift build "${flags[@]}" --product "$product" >&2
done
swift build "${flags[@]}" --show-bin-path
