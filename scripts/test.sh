#!/usr/bin/env bash
# Builds queuectl with its tests and runs every test, on both stores.
# Installs what the tests need when it is missing (SQLite headers, Chromium for the dashboard's
# browser test, a PostgreSQL server), starts a throwaway PostgreSQL on 127.0.0.1 and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=0
need_package() { # need_package COMMAND_OR_FILE PACKAGE...
    local probe=$1; shift
    if [ -e "$probe" ] || command -v "$probe" >/dev/null 2>&1; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        echo "test.sh: missing $* (install with apt-get install $*)" >&2
        exit 1
    fi
    if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
need_package /usr/include/sqlite3.h libsqlite3-dev
need_package chromium chromium
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need_package /nonexistent postgresql; fi

# A server of this run's own (not the default one a developer may be using), removed when the run ends,
# also when a test fails or the run is interrupted.
export QUEUECTL_PG_DIR QUEUECTL_TEST_POSTGRES_URL
QUEUECTL_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/queuectl-test-pg.XXXXXX")
trap 'bash scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT
QUEUECTL_TEST_POSTGRES_URL=$(bash scripts/postgres.sh start)

# Swift Testing starts every async test at once by default: on 2 cores the black-box tests then spawn
# hundreds of processes together (load average above 40 was measured), PostgreSQL logins time out and
# timing checks fail. Four tests at a time keep the machine responsive and finish sooner.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-4}

swift build --build-tests
swift test --skip-build "$@"
