#!/usr/bin/env bash
# make screenshots: the main screens as each role sees them, into docs/screenshots/.
set -euo pipefail
. "$(dirname "$0")/common.sh"
PORT=${SHOT_PORT:-8070}
OUT=${OUT:-$ROOT/docs/screenshots}
ensure_postgres
# Each login's language and time zone, set before the server starts (the server caches them).
odoo_bin shell -d "$DB" --no-http --log-level=warn <<'PY'
langs = {"admin": "en_US", "quality": "zh_CN", "qmanager": "zh_CN", "sales": "zh_CN", "gm": "zh_CN"}
for user in env["res.users"].search([("login", "in", list(langs))]):
    user.write({"lang": langs[user.login], "tz": "Asia/Shanghai"})
env.cr.commit()
PY
"$PY" "$ODOO_SRC/odoo-bin" --db_host="$PGHOST" --addons-path="$ADDONS_PATH" --data-dir="$DATA_DIR" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" --http-interface=127.0.0.1 --max-cron-threads=0 --log-level=warn > "$ROOT/.test-logs/screenshots-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" && break; sleep 1; done
"$PY" "$ROOT/scripts/screenshots.py" "$OUT" "http://127.0.0.1:$PORT"
