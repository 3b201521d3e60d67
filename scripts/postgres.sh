#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and for trying queuectl on many "hosts" locally.
#
#   scripts/postgres.sh start   starts it (or finds it running) and prints its URL on stdout
#   scripts/postgres.sh url     prints the URL of the running server (exit 1 when none runs)
#   scripts/postgres.sh stop    stops it and deletes its data directory
#
# The server uses the machine's own binaries (/usr/lib/postgresql/<highest version>/bin; installs the
# `postgresql` package with apt-get when none is present and we are root), a data directory under
# $QUEUECTL_PG_DIR (default /tmp/queuectl-pg-<uid>), listens on 127.0.0.1 only, on a free port, with
# trust authentication and fsync off: it is for tests, never for data you want to keep.
# initdb refuses to run as root, so as root the server runs as the `postgres` user (via runuser).
set -euo pipefail

base=${QUEUECTL_PG_DIR:-/tmp/queuectl-pg-$(id -u)}
data=$base/data
sock=$base/sock
portfile=$base/port

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        if [ "$(id -u)" != 0 ]; then
            log "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin; install them with: sudo apt-get install postgresql"
            exit 1
        fi
        log "installing PostgreSQL (apt-get install postgresql)"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    echo "$dir"
}

# Runs a command as the server's owner: ourselves, or `postgres` when we are root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port
    for port in $(seq 54329 54629); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    log "no free port found in 54329-54629"
    exit 1
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$portfile")/postgres"; }

running() {
    [ -f "$portfile" ] && [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    mkdir -p "$base"
    exec 9>"$base.lock"
    flock 9
    if running; then url; return; fi
    mkdir -p "$data" "$sock"
    chmod 700 "$data"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$base"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-instructions >"$base/initdb.log" 2>&1 || {
            log "initdb failed:"; cat "$base/initdb.log" >&2; exit 1; }
    fi
    local port attempt
    for attempt in 1 2 3; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 30 -o \
            "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$sock -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" start >/dev/null 9>&-; then
            echo "$port" >"$portfile"
            url
            return
        fi
        log "start on port $port failed (attempt $attempt):"; tail -n 5 "$base/server.log" >&2 || true
    done
    exit 1
}

stop() {
    if [ -f "$data/PG_VERSION" ]; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$base" "$base.lock"
}

bin=$(find_bin)
case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) running && url || { log "no server is running (start one with: scripts/postgres.sh start)"; exit 1; } ;;
    *) echo "usage: scripts/postgres.sh start|stop|url" >&2; exit 2 ;;
esac
