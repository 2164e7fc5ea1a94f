#!/usr/bin/env bash
# odoo_compat.sh: Odoo's own post-install tests of sale, sale_stock, stock, survey, portal and
# calendar, in a database with qms_customer installed, against the same tests in the same database
# without it. Any test that passes without qms_customer and fails, errors or does not run with it
# is a regression: printed with its first error line; exits non-zero if any.
# Both runs start from a template like Odoo's own test databases: the dependencies with demo data,
# English only, the company as Odoo creates it. The baseline depends only on Odoo and is cached in
# $COMPAT_CACHE (default ~/.cache/qms_customer). qms_customer is installed without its demo data
# (which makes the company Chinese), and its own tests are not run.
# QMS_ADDON_ROOT (default: this checkout) is the folder holding the qms_customer to test;
# COMPAT_BASE_DB / COMPAT_QMS_DB (qms_compat_base / qms_compat_qms) are dropped and recreated;
# COMPAT_REBASE=1 reruns the baseline; KEEP_DBS=1 keeps both databases; LOGDIR, HTTP_PORT, DATA_DIR.
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
ADDON_ROOT=$(cd "${QMS_ADDON_ROOT:-$ROOT}" && pwd)
ADDONS_PATH="$ODOO_SRC/addons,$ADDON_ROOT"
LOGDIR=${LOGDIR:-$ROOT/.test-logs/compat}
BASE_DB=${COMPAT_BASE_DB:-qms_compat_base}
QMS_DB=${COMPAT_QMS_DB:-qms_compat_qms}
COMPAT_MODULES=sale,sale_stock,stock,survey,portal,calendar
# Without -i/-u, Odoo 18 runs the at_install tests too, each while its module loads into a registry
# that lacks the modules loaded after it (a res.partner without account's required columns):
# -at_install keeps the post-install tests only (none of these modules tags a test both ways).
TAGS="$(sed -E 's#(^|,)#\1/#g' <<<"$COMPAT_MODULES"),-at_install,-/qms_customer,-/test_qms_probe"
# The addon's dependencies, and portal and stock, which Odoo's tests of them need anyway.
TEMPLATE_MODULES="$BASE_MODULES,portal,stock"
CACHE_DIR=${COMPAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qms_customer}
COMPARE="$ROOT/scripts/odoo_compat_compare.py"
started=$(date +%s)

die() {  # after the baseline run, if one is under way (and cached if it finished)
    echo "odoo-compat: FAIL: $*"
    [ -n "${base_pid:-}" ] && { log "waiting for the baseline run"; finish_baseline; }
    exit 1
}
for db in "$BASE_DB" "$QMS_DB"; do
    case $db in qms_demo | qms_test | qms_upgrade_check | qms_tmpl_* | qms_compat_tmpl_*)
        die "refusing to drop database $db: set COMPAT_BASE_DB / COMPAT_QMS_DB" ;;
    esac
done
have_odoo || die "no Odoo at $ODOO_SRC"
[ -x "$PY" ] || die "no $PY: run make setup first"
[ -f "$ADDON_ROOT/qms_customer/__manifest__.py" ] || die "no qms_customer in $ADDON_ROOT"
mkdir -p "$LOGDIR" "$CACHE_DIR"
ensure_postgres

odoo_stamp=$( (cd "$ODOO_SRC" && git rev-parse HEAD 2>/dev/null) || stat -c %Y "$ODOO_SRC/odoo/release.py")
TEMPLATE="qms_compat_tmpl_$(printf '%s' "$odoo_stamp$TEMPLATE_MODULES$DATA_DIR" | md5sum | cut -c1-10)"
# What the baseline depends on: Odoo, the modules installed, the tags and this parser.
base_stamp=$(printf '%s' "$odoo_stamp$TEMPLATE_MODULES$TAGS$(md5sum <"$COMPARE")" | md5sum | cut -c1-12)
BASELINE="$CACHE_DIR/compat-baseline-$base_stamp.txt"

# run_tests DB LOG PORT [TAGS]: Odoo's post-install tests of the installed modules (nothing is
# installed), logged between "Starting post tests" and "N post-tests in Xs".
run_tests() {
    odoo_bin -d "$1" --test-tags "${4:-$TAGS}" --stop-after-init --log-level=test --http-port="$3" >"$2" 2>&1
}

if ! db_usable "$TEMPLATE"; then
    drop_db "$TEMPLATE"; drop_db "$TEMPLATE.tmp"
    log "building template database $TEMPLATE ($TEMPLATE_MODULES, demo data, English)"
    t=$(date +%s)
    if ! odoo_bin -d "$TEMPLATE.tmp" -i "$TEMPLATE_MODULES" --stop-after-init --log-level=warn \
            --http-port=$((HTTP_PORT + 300)) >"$LOGDIR/template.log" 2>&1; then
        tail -n 80 "$LOGDIR/template.log"; drop_db "$TEMPLATE.tmp"; die "template build failed"
    fi
    psql -d postgres -qc "ALTER DATABASE \"$TEMPLATE.tmp\" RENAME TO \"$TEMPLATE\""
    rm -rf "$DATA_DIR/filestore/$TEMPLATE"
    [ -d "$DATA_DIR/filestore/$TEMPLATE.tmp" ] && mv "$DATA_DIR/filestore/$TEMPLATE.tmp" "$DATA_DIR/filestore/$TEMPLATE"
    log "template built in $(( $(date +%s) - t ))s"
fi

# finish_baseline: wait for the baseline run, parse its log and cache the result.
finish_baseline() {
    [ -n "${base_pid:-}" ] || return 0
    wait "$base_pid"; base_pid=
    base_secs=$(cat "$LOGDIR/baseline.secs" 2>/dev/null || echo 0)
    [ "${KEEP_DBS:-}" = 1 ] || drop_db "$BASE_DB"
    if "$PY" "$COMPARE" parse "$LOGDIR/baseline.log" "$BASELINE.tmp" "seconds=$base_secs" \
            "odoo=$odoo_stamp" "modules=$TEMPLATE_MODULES" "tags=$TAGS" "date=$(date -Is)"; then
        mv "$BASELINE.tmp" "$BASELINE"
        log "baseline ran in ${base_secs}s, cached as $BASELINE"
    else
        tail -n 60 "$LOGDIR/baseline.log"; rm -f "$BASELINE.tmp"
        die "baseline run did not finish (log: $LOGDIR/baseline.log)"
    fi
}

# ---- baseline: Odoo alone (while qms_customer installs and runs, when not cached) ---------
base_pid=
if [ -s "$BASELINE" ] && [ "${COMPAT_REBASE:-}" != 1 ]; then
    log "baseline cached: $BASELINE ($(grep -m1 '^# seconds=' "$BASELINE" | cut -d= -f2)s when it ran)"
    base_secs=cached
else
    log "baseline: Odoo's post-install tests ($TAGS) without qms_customer in $BASE_DB"
    copy_db "$TEMPLATE" "$BASE_DB"
    rm -f "$LOGDIR/baseline.secs"
    (t=$(date +%s); run_tests "$BASE_DB" "$LOGDIR/baseline.log" $((HTTP_PORT + 300))
     echo $(( $(date +%s) - t )) >"$LOGDIR/baseline.secs") &
    base_pid=$!
    # COMPAT_PARALLEL=0: one run after the other (slower, but each has the machine to itself).
    [ "${COMPAT_PARALLEL:-1}" = 1 ] || finish_baseline
fi

# ---- with qms_customer (no demo data) ---------------------------------------------------
log "installing qms_customer from $ADDON_ROOT without demo data in $QMS_DB"
copy_db "$TEMPLATE" "$QMS_DB"
t=$(date +%s)
# Odoo 18 gives a module the demo flag of the modules it depends on when it is marked for
# installation (ir.module.module._state_update), and --without-demo only empties the "demo"
# option: mark it without demo first, then install it with --without-demo so nothing sets it back.
odoo_bin shell -d "$QMS_DB" --no-http --log-level=warn >"$LOGDIR/install.log" 2>&1 <<'PY' \
    || { cat "$LOGDIR/install.log"; die "marking qms_customer for installation failed"; }
Module = env["ir.module.module"]
Module.update_list()
qms = Module.search([("name", "=", "qms_customer")])
qms.button_install()
qms.write({"demo": False})
others = Module.search([("state", "=", "to install"), ("name", "!=", "qms_customer")])
print("also to install (with demo data):", ", ".join(others.mapped("name")) or "nothing")
env.cr.commit()
PY
odoo_bin -d "$QMS_DB" -i qms_customer --without-demo=all --stop-after-init --log-level=warn \
    --http-port=$((HTTP_PORT + 301)) >>"$LOGDIR/install.log" 2>&1 \
    || { tail -n 80 "$LOGDIR/install.log"; die "installing qms_customer failed (log: $LOGDIR/install.log)"; }
if grep -qE ' (ERROR|CRITICAL) |^Traceback' "$LOGDIR/install.log"; then
    grep -E -A20 ' (ERROR|CRITICAL) |^Traceback' "$LOGDIR/install.log" | head -80
    die "installing qms_customer logged errors (log: $LOGDIR/install.log)"
fi
state=$(psql -d "$QMS_DB" -tAc "select state || ',' || demo from ir_module_module where name='qms_customer'")
[ "$state" = "installed,false" ] || die "qms_customer is '$state' after its install, not 'installed,false'"
install_secs=$(( $(date +%s) - t ))
log "qms_customer installed in ${install_secs}s; running the same tests"
t=$(date +%s)
run_tests "$QMS_DB" "$LOGDIR/with_qms.log" $((HTTP_PORT + 301))
qms_secs=$(( $(date +%s) - t ))
"$PY" "$COMPARE" parse "$LOGDIR/with_qms.log" "$LOGDIR/with_qms.txt" "seconds=$qms_secs" \
    "addon=$ADDON_ROOT" "date=$(date -Is)" \
    || { tail -n 60 "$LOGDIR/with_qms.log"; die "the run with qms_customer did not finish (log: $LOGDIR/with_qms.log)"; }

finish_baseline

# A test failing on its own (not through its class's setUpClass) runs once more with
# qms_customer: one that passes then is only reported as flaky (tours time out under load).
rerun=() rerun_secs=0
tags=$("$PY" "$COMPARE" rerun-tags "$BASELINE" "$LOGDIR/with_qms.txt")
if [ -n "$tags" ] && [ "$(tr ',' '\n' <<<"$tags" | wc -l)" -le "${COMPAT_RERUN_MAX:-40}" ]; then
    log "running again with qms_customer: $tags"
    t=$(date +%s)
    run_tests "$QMS_DB" "$LOGDIR/rerun.log" $((HTTP_PORT + 301)) "$tags,-at_install"
    rerun_secs=$(( $(date +%s) - t ))
    "$PY" "$COMPARE" parse "$LOGDIR/rerun.log" "$LOGDIR/rerun.txt" >/dev/null && rerun=("$LOGDIR/rerun.txt")
fi
[ "${KEEP_DBS:-}" = 1 ] || drop_db "$QMS_DB"

echo
"$PY" "$COMPARE" compare "$BASELINE" "$LOGDIR/with_qms.txt" "${rerun[@]}"
rc=$?
echo
echo "times: baseline ${base_secs}$([ "$base_secs" = cached ] || echo s), install ${install_secs}s," \
    "tests with qms_customer ${qms_secs}s, rerun ${rerun_secs}s, total $(( $(date +%s) - started ))s" \
    "(logs: $LOGDIR; baseline: $BASELINE)"
[ $rc = 0 ] && echo "odoo-compat: PASS" || echo "odoo-compat: FAIL"
exit $rc
