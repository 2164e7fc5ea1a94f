#!/usr/bin/env bash
# make run: serve the demo database at http://localhost:$HTTP_PORT (admin/admin, one login per role).
# WORKERS=N (N > 0): Odoo's multi-process server, N HTTP workers + 1 cron worker + the gevent
# (websocket) worker on GEVENT_PORT (default HTTP_PORT + 3, i.e. 8072 next to 8069).
# Any arguments are passed on to odoo-bin (make run ARGS="--log-level=debug").
set -euo pipefail
. "$(dirname "$0")/common.sh"
have_odoo || { echo "no Odoo at $ODOO_SRC: run make setup"; exit 1; }
ensure_postgres
psql -d "$DB" -tAc 'select 1' >/dev/null 2>&1 || { echo "no database $DB: run make setup"; exit 1; }
# wkhtmltopdf fetches the reports' styles and images from this server: on another port than
# 8069 web.base.url would point it nowhere (ConnectionRefusedError, PDFs without header and footer).
psql -d "$DB" -qc "INSERT INTO ir_config_parameter (key, value, create_date, write_date)
    VALUES ('report.url', 'http://127.0.0.1:$HTTP_PORT', now() at time zone 'utc', now() at time zone 'utc')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date"
WORKERS=${WORKERS:-0}
[[ "$WORKERS" =~ ^[0-9]+$ ]] || { echo "WORKERS must be a number (got '$WORKERS')"; exit 1; }
mode=(--max-cron-threads=1)
if [ "$WORKERS" -gt 0 ]; then
    GEVENT_PORT=${GEVENT_PORT:-$((HTTP_PORT + 3))}
    # Odoo's default limits (60 s CPU, 120 s real per request) are short for the PDF reports
    # and the overdue report on a big database.
    mode=(--workers="$WORKERS" --max-cron-threads=1 --gevent-port="$GEVENT_PORT"
        --limit-time-cpu=600 --limit-time-real=1200)
    log "serving $DB on http://localhost:$HTTP_PORT with $WORKERS workers, websocket on port $GEVENT_PORT (Ctrl-C to stop)"
else
    log "serving $DB on http://localhost:$HTTP_PORT (Ctrl-C to stop)"
fi
exec "$PY" "$ODOO_SRC/odoo-bin" --db_host="$PGHOST" --addons-path="$ADDONS_PATH" --data-dir="$DATA_DIR" -d "$DB" \
    --db-filter="^$DB\$" --http-port="$HTTP_PORT" --http-interface=127.0.0.1 "${mode[@]}" "$@"
