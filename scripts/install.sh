#!/usr/bin/env bash
# Installs queuectl for one user, without sudo:
#   PREFIX/bin/queuectl (and its sibling queuectl-server when the build has one, beside it),
#   completions for bash, zsh and fish, written by the installed binary itself (`queuectl completions`),
#   man pages in PREFIX/share/man/man1: queuectl.1 with every command, and one page per command
#   (queuectl.enqueue.1, ...), made from the commands' help by swift-argument-parser's generate-manual.
# By default it builds the static release of bench/build-release.sh first (the build bench/RESULTS.md
# measures; ~10 minutes the first time); --from installs binaries that are already built instead.
# Every file is written beside its destination and renamed over it, so running it twice is fine and a
# worker daemon running the old binary keeps running.
set -euo pipefail

usage="usage: scripts/install.sh [--prefix DIR] [--from BUILD_BIN_DIR]"
help="$usage
  --prefix DIR          install under DIR (default: ~/.local): DIR/bin, DIR/share/man, DIR/share/<shell>
  --from BUILD_BIN_DIR  install the queuectl already built there (e.g. .build/debug) instead of
                        building the static release with bench/build-release.sh"

fail_usage() {
    echo "install.sh: $1 ($usage)" >&2
    exit 2
}

prefix="${HOME:-}/.local"
from=""
while (($# > 0)); do
    case "$1" in
        --prefix | --from)
            (($# >= 2)) && [[ -n "$2" ]] || fail_usage "$1 needs a directory"
            if [[ "$1" == --prefix ]]; then prefix=$2; else from=$2; fi
            shift 2
            ;;
        --prefix=* | --from=*)
            value=${1#*=}
            [[ -n "$value" ]] || fail_usage "${1%%=*} needs a directory"
            if [[ "$1" == --prefix=* ]]; then prefix=$value; else from=$value; fi
            shift
            ;;
        -h | --help)
            echo "$help"
            exit 0
            ;;
        *) fail_usage "unknown option '$1'" ;;
    esac
done
[[ "$prefix" != /.local ]] || fail_usage "HOME is not set: give --prefix"
if [[ -n "$from" && ! -x "$from/queuectl" ]]; then
    fail_usage "no queuectl executable in '$from'"
fi

repo=$(cd "$(dirname "$0")/.." && pwd)

# 1. The binaries: the static release (built once, incrementally after that), or the ones named.
if [[ -n "$from" ]]; then
    bin_dir=$(cd "$from" && pwd)
else
    bin_dir=$(bash "$repo/bench/build-release.sh" | tail -n 1)
fi

# 2. The man page generator: generate-manual, the tool swift-argument-parser's GenerateManual plugin runs,
# built from the checkout the package build resolved (it has no dependencies, so this works offline;
# ~30 s once). The plugin itself (`swift package plugin generate-manual`) would rebuild every product of
# the package in its own configuration before generating, and cannot be pointed at binaries already built.
argument_parser=""
for scratch in "$(dirname "$(dirname "$(realpath "$bin_dir")")")" "$repo/.build-release" "$repo/.build"; do
    if [[ -f "$scratch/checkouts/swift-argument-parser/Package.swift" ]]; then
        argument_parser="$scratch/checkouts/swift-argument-parser"
        break
    fi
done
if [[ -z "$argument_parser" ]]; then
    swift package --package-path "$repo" --scratch-path "$repo/.build-release" resolve >&2
    argument_parser="$repo/.build-release/checkouts/swift-argument-parser"
fi
echo "building the man page generator (swift-argument-parser's generate-manual) ..." >&2
tool_flags=(--package-path "$argument_parser" --scratch-path "$repo/.build-tools")
swift build "${tool_flags[@]}" --product generate-manual >&2
generate_manual="$(swift build "${tool_flags[@]}" --show-bin-path)/generate-manual"

# Moves the staged file $1 to $2 with mode $3: renamed over the old file, never written in place.
put() {
    local temporary="$2.install-$$"
    cp "$1" "$temporary"
    chmod "$3" "$temporary"
    mv -f "$temporary" "$2"
    echo "installed $2"
}

# 3. Install. Only queuectl and its sibling: queuectl-store-bench is a benchmark tool, not for users.
"$bin_dir/queuectl" version >/dev/null
mkdir -p "$prefix/bin"
prefix=$(cd "$prefix" && pwd)
for executable in queuectl queuectl-server; do
    if [[ -x "$bin_dir/$executable" ]]; then
        put "$bin_dir/$executable" "$prefix/bin/$executable" 755
    fi
done
queuectl="$prefix/bin/queuectl"

# 4. Completions and man pages, made by the installed binary and staged first, so a failure leaves the
# previous ones in place.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
completions=(
    "bash:share/bash-completion/completions/queuectl"
    "zsh:share/zsh/site-functions/_queuectl"
    "fish:share/fish/vendor_completions.d/queuectl.fish"
)
for entry in "${completions[@]}"; do
    "$queuectl" completions "${entry%%:*}" >"$staging/${entry%%:*}"
done
mkdir "$staging/man1"
"$generate_manual" "$queuectl" --multi-page --output-directory "$staging/man1"
# queuectl.1 as one page with every command (what `man queuectl` should show), instead of the overview.
"$generate_manual" "$queuectl" --output-directory - >"$staging/man1/queuectl.1"
# The commands' discussions separate paragraphs with blank lines, which mdoc warns about on every `man`
# run ("mdoc warning: Empty input line"); .Pp is the paragraph break mdoc wants.
for page in "$staging"/man1/*.1; do
    sed 's/^$/.Pp/' "$page" >"$page.paragraphs"
    mv -f "$page.paragraphs" "$page"
done

for entry in "${completions[@]}"; do
    path="$prefix/${entry#*:}"
    mkdir -p "$(dirname "$path")"
    put "$staging/${entry%%:*}" "$path" 644
done
man1="$prefix/share/man/man1"
mkdir -p "$man1"
rm -f "$man1"/queuectl.*.1 # pages of commands that no longer exist
for page in "$staging"/man1/*.1; do
    put "$page" "$man1/$(basename "$page")" 644
done

echo "$("$queuectl" version) is installed in $prefix"
case ":${PATH:-}:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\" in your shell's rc file" ;;
esac
case "$prefix" in
    /usr | /usr/local) ;;
    *) echo "note: zsh finds the completion once $prefix/share/zsh/site-functions is in fpath (before compinit)" ;;
esac
