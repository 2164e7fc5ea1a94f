#!/usr/bin/env bash
# make run: serve the demo database at http://localhost:$HTTP_PORT (admin/admin, one login per role).
set -euo pipefail
. "$(dirname "$0")/common.sh"
have_odoo || { echo "no Odoo at $ODOO_SRC: run make setup"; exit 1; }
ensure_postgres
psql -d "$DB" -tAc 'select 1' >/dev/null 2>&1 || { echo "no database $DB: run make setup"; exit 1; }
log "serving $DB on http://localhost:$HTTP_PORT (Ctrl-C to stop)"
exec "$PY" "$ODOO_SRC/odoo-bin" --db_host="$PGHOST" --addons-path="$ADDONS_PATH" --data-dir="$DATA_DIR" -d "$DB" \
    --db-filter="^$DB\$" --http-port="$HTTP_PORT" --http-interface=127.0.0.1 --max-cron-threads=1 "$@"
