#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the test suite and print its URL (and only that) on stdout.
#
#   export AIDTRACKER_TEST_PG_URL="$(scripts/pg-start.sh)"
#   scripts/pg-start.sh stop
#
# Safe to run again: an existing cluster is reused, a stopped one restarted. It lives in its
# own directory on its own port (55432), so it never touches a PostgreSQL already on the
# machine. On Debian as root it installs PostgreSQL first if need be. Settings trade
# durability for speed (fsync off): never keep anything in it.
set -euo pipefail

PORT="${AIDTRACKER_PG_PORT:-55432}"
DIR="${AIDTRACKER_PG_DIR:-/tmp/aidtracker-pg-$PORT}"
DB=aidtracker_test
PASSWORD=aidtracker # the server listens on 127.0.0.1 only
OWNER=postgres      # initdb refuses to run as root, so root runs the cluster as this user

log() { echo "pg-start: $*" >&2; }

bindir() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$found" && -x "$found/initdb" ]]; then
        echo "$found"
    elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v pg_ctl)"
    else
        return 1
    fi
}

as_owner() {
    # cd / first: the owner may not be allowed into the caller's working directory.
    if [[ "$(id -u)" == 0 ]]; then
        (cd / && runuser -u "$OWNER" -- "$@")
    else
        "$@"
    fi
}

if ! BIN="$(bindir)"; then
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        log "PostgreSQL is not installed; install it (or run this as root on Debian)"
        exit 1
    fi
    log "installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN="$(bindir)"
fi

if [[ "${1:-}" == "stop" ]]; then
    if [[ -s "$DIR/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
        as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >&2
    fi
    exit 0
fi

if [[ ! -s "$DIR/PG_VERSION" ]]; then
    log "creating a cluster in $DIR"
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    pwfile="$(mktemp)"
    echo "$PASSWORD" >"$pwfile"
    if [[ "$(id -u)" == 0 ]]; then
        chown "$OWNER" "$DIR" "$pwfile"
    fi
    as_owner "$BIN/initdb" -D "$DIR" -U postgres --pwfile="$pwfile" -E UTF8 --no-locale --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 >&2
    rm -f "$pwfile"
    cat >>"$DIR/postgresql.conf" <<CONF
# aidtracker test cluster
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF
fi

if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PORT"
    if ! as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >&2; then
        tail -n 20 "$DIR/server.log" >&2 || true
        exit 1
    fi
fi

psql() { as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ "$(psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
    log "creating database $DB"
    psql -d postgres -c "CREATE DATABASE $DB" >&2
fi

echo "postgresql+psycopg://postgres:$PASSWORD@127.0.0.1:$PORT/$DB"
