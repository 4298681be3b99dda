#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (and CI): a temporary folder, 127.0.0.1, a free
# port, trust authentication, no durability (fsync off: a test server loses nothing of value).
#
#   scripts/pg-test-server.sh start   prints the URL to export as MESODESK_TEST_PG
#   scripts/pg-test-server.sh stop    stops it and removes its folder
#   scripts/pg-test-server.sh install installs Debian's postgresql when missing (root, CI)
#
# The server refuses to run as root: under root it runs as the `postgres` user (Debian's
# package creates it). Its folder is remembered in $PG_TEST_STATE (default /tmp/mesodesk-pg-test).
set -euo pipefail

STATE="${PG_TEST_STATE:-/tmp/mesodesk-pg-test}"
ROLE="mesodesk"

pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$found" ] && command -v pg_ctl >/dev/null; then found=$(dirname "$(command -v pg_ctl)"); fi
    if [ -z "$found" ]; then
        echo "PostgreSQL introuvable (paquet Debian « postgresql »)." >&2
        exit 1
    fi
    echo "$found"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bin dir port
    bin=$(pg_bin)
    if [ -f "$STATE/url" ] && as_owner "$bin/pg_ctl" -D "$(cat "$STATE/dir")" status >/dev/null 2>&1; then
        cat "$STATE/url"
        return
    fi
    mkdir -p "$STATE"
    dir=$(mktemp -d /tmp/mesodesk-pg-XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(free_port)
    # No durability for a test server (it loses nothing of value); PG_TEST_DURABLE=1 keeps
    # PostgreSQL's own (the bench measures commits as a practice server makes them).
    local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_TEST_DURABLE:-}" = 1 ] && speed=""
    as_owner "$bin/initdb" -D "$dir/data" -U "$ROLE" --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
        "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
         $speed -c max_connections=200 -c shared_buffers=64MB" >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "$dir" >"$STATE/dir"
    echo "postgresql://$ROLE@127.0.0.1:$port/postgres" >"$STATE/url"
    cat "$STATE/url"
}

stop() {
    [ -f "$STATE/dir" ] || return 0
    local dir
    dir=$(cat "$STATE/dir")
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$STATE"
}

install() {
    if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then return; fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "PostgreSQL manquant : installez le paquet « postgresql » (apt-get install postgresql)." >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    install) install ;;
    *) echo "usage: $0 start|stop|install" >&2; exit 2 ;;
esac
