#!/usr/bin/env bash
# make bench: the complaint register against Odoo itself, on a copy of the demo database (BENCH_N complaints).
set -euo pipefail
. "$(dirname "$0")/common.sh"
have_odoo || { echo "no Odoo at $ODOO_SRC: run make setup"; exit 1; }
ensure_postgres
BENCH_DB=${BENCH_DB:-qms_bench}
copy_db "$DB" "$BENCH_DB"
export BENCH_STATE=${BENCH_STATE:-$ROOT/.test-logs/bench-state.json}
mkdir -p "$(dirname "$BENCH_STATE")"
trap 'drop_db "$BENCH_DB"; rm -f "$BENCH_STATE"' EXIT
# Two processes: the data and the scheduled action, then the reports and lists in a fresh worker.
BENCH_PHASE=data odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_complaints.py"
BENCH_PHASE=reports odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_complaints.py"
# The returns: a return request of 500 delivered lines against Odoo's own return, in a third process.
odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_returns.py"
# The sealed samples: the expiry / verification cron in a room of 2,000 and of 50,000 samples.
odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_samples.py"
# Satisfaction: scoring a campaign of 5,000 responses x 20 questions against one SQL aggregate.
odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_satisfaction.py"
# Key accounts: the half-year evaluation over 20,000 customers and 500,000 order lines against one SQL statement.
odoo_bin shell -d "$BENCH_DB" --log-level=warn --no-http < "$ROOT/bench/bench_key_accounts.py"
