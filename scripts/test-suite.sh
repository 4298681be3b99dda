#!/usr/bin/env bash
# make test: the whole suite, headless, on both engines. The PostgreSQL tests need a server:
# the one named by MESODESK_TEST_PG when set, else a throw-away local one started here
# (Debian's postgresql, installed when missing and possible) and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export MESODESK_TEST_PG_REQUIRED=1  # a run without the server fails instead of passing on SQLite
if [ -z "${MESODESK_TEST_PG:-}" ]; then
    bash scripts/pg-test-server.sh install
    PG_TEST_STATE=$(mktemp -d /tmp/mesodesk-test-pg-XXXXXX)
    export PG_TEST_STATE
    trap 'bash scripts/pg-test-server.sh stop' EXIT
    MESODESK_TEST_PG=$(bash scripts/pg-test-server.sh start)
    export MESODESK_TEST_PG
fi
.venv/bin/python -m pytest "$@"
