#!/usr/bin/env bash
# smoke_workers.sh DB: start Odoo's multi-process server (2 HTTP workers, 1 cron worker and the
# gevent websocket worker) on DB, which must have qms_customer installed, on a free port; request
# /web/login, /websocket/health and a websocket handshake on the gevent port; stop the server and
# fail on any Traceback / DistributionNotFound / ERROR / CRITICAL in its log.
# Prints "workers smoke: ok (Ns)" or the offending log lines. The database is only read.
# SMOKE_PORT (default HTTP_PORT + 200) is where the search for a free port starts; the gevent port
# is the HTTP port + 3. The log is kept in $LOGDIR/workers-smoke-odoo.log.
set -uo pipefail
. "$(dirname "$0")/common.sh"
SMOKE_DB=${1:?usage: smoke_workers.sh DATABASE}
LOGDIR=${LOGDIR:-$ROOT/.test-logs}; mkdir -p "$LOGDIR"
LOG=$LOGDIR/workers-smoke-odoo.log
START_TIMEOUT=${START_TIMEOUT:-90}
started=$(date +%s)

fail() { echo "workers smoke: FAILED: $*"; exit 1; }

have_odoo || fail "no Odoo at $ODOO_SRC"
psql -d "$SMOKE_DB" -tAc "select 1 from ir_module_module where name='qms_customer' and state='installed'" \
    2>/dev/null | grep -q 1 || fail "database $SMOKE_DB does not exist or has no qms_customer installed"

# The first port P from SMOKE_PORT on where both P (HTTP) and P+3 (gevent) are free.
port=$("$PY" - "${SMOKE_PORT:-$((HTTP_PORT + 200))}" <<'EOF'
import socket, sys
def free(p):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Odoo does: TIME_WAIT is fine
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
    return True
p = int(sys.argv[1])
while not (free(p) and free(p + 3)):
    p += 1
print(p)
EOF
) || fail "no free port"
gport=$((port + 3))

# setsid: the server and its workers get a process group of their own, stopped as one below.
setsid "$PY" "$ODOO_SRC/odoo-bin" --db_host="$PGHOST" --addons-path="$ADDONS_PATH" --data-dir="$DATA_DIR" \
    -d "$SMOKE_DB" --db-filter="^$SMOKE_DB\$" --http-interface=127.0.0.1 --http-port="$port" \
    --gevent-port="$gport" --workers=2 --max-cron-threads=1 --limit-time-real=300 > "$LOG" 2>&1 &
pid=$!

stop_server() {
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null  # the master stops its workers and the gevent worker
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -TERM -- "-$pid" 2>/dev/null; sleep 1
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}
trap stop_server EXIT

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1"; }

# Wait for the HTTP workers, then for the gevent worker (the master spawns it after them);
# a worker crashing in a loop (a traceback in the log) ends the wait at once.
crashed() { grep -q '^Traceback' "$LOG"; }
deadline=$((started + START_TIMEOUT))
code=000
while [ "$(date +%s)" -lt $deadline ] && ! crashed; do
    kill -0 "$pid" 2>/dev/null || { cat "$LOG"; fail "the server exited"; }
    code=$(status "http://127.0.0.1:$port/web/login")
    [ "$code" = 200 ] && break
    sleep 1
done
problems=()
if [ "$code" = 200 ]; then
    code=$(status "http://127.0.0.1:$port/web/login")
    [ "$code" = 200 ] || problems+=("/web/login answered $code the second time")
else
    problems+=("/web/login answered $code within $(($(date +%s) - started))s")
fi
code=000
while [ "$(date +%s)" -lt $deadline ] && ! crashed; do
    code=$(status "http://127.0.0.1:$gport/websocket/health")
    [ "$code" = 200 ] && break
    sleep 1
done
[ "$code" = 200 ] || problems+=("gevent port $gport: /websocket/health answered $code")
if [ "$code" = 200 ]; then
    # A real handshake (a plain GET is refused with 400): the gevent worker serves the bus.
    ws=$("$PY" - "$gport" 2>&1 <<'EOF'
import sys
import websocket

url = f"ws://127.0.0.1:{sys.argv[1]}/websocket"
conn = websocket.create_connection(url, origin=f"http://127.0.0.1:{sys.argv[1]}", timeout=10)
print(conn.getstatus())
conn.close()
EOF
    )
    [ "$ws" = 101 ] || problems+=("websocket handshake on port $gport: $(tail -n 1 <<<"$ws")")
fi
sleep 5  # the crash loop of the gevent worker showed within a second or two
grep -q "Evented Service (longpolling) running on" "$LOG" || problems+=("no 'Evented Service' line in the log")
stop_server
trap - EXIT

bad=$(grep -nE 'Traceback|DistributionNotFound| (ERROR|CRITICAL) ' "$LOG")
if [ -n "$bad" ] || [ ${#problems[@]} -gt 0 ]; then
    [ ${#problems[@]} -gt 0 ] && printf '%s\n' "${problems[@]}"
    [ -n "$bad" ] && { echo "$(grep -cE 'Traceback' "$LOG") traceback(s) in $LOG:"; head -n 60 <<<"$bad"; \
        grep -m1 -A25 '^Traceback' "$LOG"; }
    fail "see $LOG"
fi
echo "workers smoke: ok ($(($(date +%s) - started))s, $SMOKE_DB on ports $port/$gport)"
