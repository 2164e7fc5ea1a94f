#!/usr/bin/env bash
# make bench: time the complaint register on a copy of the demo database (BENCH_N complaints).
set -euo pipefail
. "$(dirname "$0")/common.sh"
have_odoo || { echo "no Odoo at $ODOO_SRC: run make setup"; exit 1; }
ensure_postgres
BENCH_DB=${BENCH_DB:-qms_bench}
copy_db "$DB" "$BENCH_DB"
odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_complaints.py"
drop_db "$BENCH_DB"
