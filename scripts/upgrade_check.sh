#!/usr/bin/env bash
# upgrade_check.sh [OLD_COMMIT]: install qms_customer with demo data from OLD_COMMIT (default
# dbc4d1b, 18.0.1.0.0), seed non-default company deadlines and an action's chatter, snapshot the
# data, upgrade with this working tree (-u qms_customer) and check that nothing was lost: counts,
# action/complaint names, chatter, attachments, followers and activities (renamed models included),
# and every company's/profile's deadline rule. Prints PASS/FAIL; exits non-zero on failure.
# VENV, ODOO_SRC, DB (default qms_upgrade_check: dropped first!), HTTP_PORT (8569), LOGDIR
# (/tmp/qms-upgrade-logs) and DATA_DIR may be overridden.
set -euo pipefail
DB=${DB:-qms_upgrade_check}
HTTP_PORT=${HTTP_PORT:-8569}
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
OLD_COMMIT=${1:-dbc4d1b}
LOGDIR=${LOGDIR:-/tmp/qms-upgrade-logs}
SNAPSHOT=$LOGDIR/snapshot.json
export SNAPSHOT
started=$(date +%s)

die() { echo "upgrade check: FAIL: $*"; exit 1; }
case $DB in qms_demo | qms_test | qms_tmpl_*) die "refusing to drop database $DB: set DB" ;; esac
have_odoo || die "no Odoo at $ODOO_SRC"
[ -x "$PY" ] || die "no $PY: run make setup first"
mkdir -p "$LOGDIR"
cd "$ROOT"
git rev-parse -q --verify "$OLD_COMMIT^{commit}" >/dev/null || die "unknown commit $OLD_COMMIT"

OLD_TREE=$(mktemp -d /tmp/qms-upgrade-old.XXXXXX)
trap 'rm -rf "$OLD_TREE"' EXIT
mapfile -t paths < <(git ls-tree --name-only "$OLD_COMMIT" qms_customer test_qms_probe)
git archive "$OLD_COMMIT" "${paths[@]}" | tar -x -C "$OLD_TREE"
old_version=$(grep -Eo '"version": *"[^"]+"' "$OLD_TREE/qms_customer/__manifest__.py" | cut -d'"' -f4)
new_version=$(grep -Eo '"version": *"[^"]+"' qms_customer/__manifest__.py | cut -d'"' -f4)

check_log() {  # check_log LOG STEP: fail on ERROR / CRITICAL / Traceback lines
    if grep -qE ' ERROR | CRITICAL |CRITICAL:|^Traceback|demo data failed to install' "$1"; then
        echo "---- $2: errors in $1 ----"
        grep -nE -A25 ' ERROR | CRITICAL |CRITICAL:|^Traceback|demo data failed to install' "$1" | head -200
        die "$2 logged errors (full log: $1)"
    fi
}

ensure_postgres
drop_db "$DB"
# test.sh's template (base modules and languages, with demo data) saves minutes when present.
stamp=$( (cd "$ODOO_SRC" && git rev-parse HEAD 2>/dev/null) || stat -c %Y "$ODOO_SRC/odoo/release.py")
TEMPLATE="qms_tmpl_$(printf '%s' "$stamp$BASE_MODULES$LANGS$DATA_DIR" | md5sum | cut -c1-10)"
if db_usable "$TEMPLATE" && copy_db "$TEMPLATE" "$DB" 2>/dev/null && db_usable "$DB"; then
    log "database $DB copied from template $TEMPLATE"
else
    drop_db "$DB"
fi

log "installing qms_customer $old_version ($OLD_COMMIT) with demo data into $DB"
ADDONS_PATH="$OLD_TREE,$ODOO_SRC/addons,$ODOO_SRC/odoo/addons"
# The demo data translates into zh_CN: the languages are loaded as for test.sh's template.
odoo_bin -d "$DB" -i qms_customer --without-demo= --load-language="$LANGS" --stop-after-init \
    --http-port="$HTTP_PORT" \
    >"$LOGDIR/install.log" 2>&1 || { check_log "$LOGDIR/install.log" install; die "install failed"; }
check_log "$LOGDIR/install.log" install

log "seeding and recording the snapshot ($SNAPSHOT)"
odoo_bin shell -d "$DB" --no-http >"$LOGDIR/snapshot.log" 2>&1 <<'EOF' || { cat "$LOGDIR/snapshot.log"; die "snapshot failed"; }
import json, os
cr = env.cr
def rows(query, params=None):
    cr.execute(query, params)
    return cr.fetchall()
exists = lambda table: rows("SELECT to_regclass(%s)", [table])[0][0] is not None
assert rows("SELECT demo FROM ir_module_module WHERE name = 'qms_customer'")[0][0], "no demo data"
cols = [c for (c,) in rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'res_company'"
        " AND (column_name LIKE 'qms\\_%%\\_number' OR column_name LIKE 'qms\\_%%\\_unit') ORDER BY 1")]
# Non-default values (demo data would recreate the defaults), so the conversion is really exercised.
for company in env["res.company"].with_context(active_test=False).search([]):
    vals = {c: company[c] + company.id for c in cols if c.endswith("_number")}
    vals.update({c: "working_days" for c in cols[-1:] if c.endswith("_unit")})
    company.write(vals)
if "qms.response.profile.line" in env:
    for line in env["qms.response.profile.line"].search([]):
        line.number += 1
if "qms.complaint.action" in env:
    act = env["qms.complaint.action"].search([], limit=1, order="id")
    act.message_subscribe(partner_ids=env.ref("base.partner_admin").ids)
    act.message_post(body="upgrade check", subtype_xmlid="mail.mt_note", attachments=[("check.txt", b"check")])
    act.activity_schedule("mail.mail_activity_data_todo", summary="upgrade check")
env.flush_all()
cr.commit()
snap = {"counts": {t: rows(f"SELECT count(*) FROM {t}")[0][0]
                   for t in ("qms_complaint", "qms_complaint_action", "qms_complaint_cost") if exists(t)},
        "refs": {}, "action_refs": {}}
for table, col in (("mail_message", "model"), ("ir_attachment", "res_model"),
                   ("mail_followers", "res_model"), ("mail_activity", "res_model")):
    snap["refs"][table] = dict(rows(f"SELECT {col}, count(*) FROM {table} WHERE {col} LIKE 'qms.%%' GROUP BY 1", []))
    snap["action_refs"][table] = {str(i): n for i, n in rows(
        f"SELECT res_id, count(*) FROM {table} WHERE {col} = 'qms.complaint.action' GROUP BY 1", [])}
snap["complaints"] = rows("SELECT id, name FROM qms_complaint ORDER BY id")
snap["actions"] = rows("SELECT id, name, complaint_id FROM qms_complaint_action ORDER BY id") \
    if exists("qms_complaint_action") else None
snap["companies"] = {str(r[0]): {c: float(v) if c.endswith("_number") else v for c, v in zip(cols, r[1:])}
                     for r in rows(f"SELECT id{''.join(', ' + c for c in cols)} FROM res_company ORDER BY id")}
partners = env["res.partner"].search([("qms_response_profile_id", "!=", False)]) \
    if "qms_response_profile_id" in env["res.partner"]._fields else env["res.partner"]
codes = sorted({c[4:-7] for c in cols if c.endswith("_number")})
snap["effective"] = [[company.id, code, partner.id or None, *company._qms_deadline_rule(code, partner or None)]
                     for company in env["res.company"].with_context(active_test=False).search([])
                     for code in codes for partner in [env["res.partner"], *partners]]
with open(os.environ["SNAPSHOT"], "w") as f:
    json.dump(snap, f, indent=1, ensure_ascii=False, default=str)
EOF
check_log "$LOGDIR/snapshot.log" snapshot

log "upgrading $DB to $new_version with the working tree (-u qms_customer)"
ADDONS_PATH="$ROOT,$ODOO_SRC/addons,$ODOO_SRC/odoo/addons"
upgrade_start=$(date +%s)
odoo_bin -d "$DB" -u qms_customer --stop-after-init --http-port="$HTTP_PORT" \
    >"$LOGDIR/upgrade.log" 2>&1 || { check_log "$LOGDIR/upgrade.log" upgrade; die "upgrade failed"; }
upgrade_secs=$(($(date +%s) - upgrade_start))
check_log "$LOGDIR/upgrade.log" upgrade
warnings=$(grep -c ' WARNING ' "$LOGDIR/upgrade.log" || true)

log "checking the upgraded data"
NEW_VERSION=$new_version odoo_bin shell -d "$DB" --no-http >"$LOGDIR/check.log" 2>&1 <<'EOF' || true
import json, os, sys
snap = json.load(open(os.environ["SNAPSHOT"]))
cr, failed = env.cr, []
def rows(query, params=None):
    cr.execute(query, params)
    return cr.fetchall()
def check(ok, what, detail=""):  # detail: printed on failure only
    print(("PASS  " if ok else "FAIL  ") + what + ("" if ok else f": {detail}"))
    ok or failed.append(what)
state = rows("SELECT state, latest_version FROM ir_module_module WHERE name = 'qms_customer'")[0]
check(state == ("installed", os.environ["NEW_VERSION"]), f"module installed at {os.environ['NEW_VERSION']}: {state}")
for table in ("qms_complaint", "qms_complaint_cost"):
    n = rows(f"SELECT count(*) FROM {table}")[0][0]
    check(n == snap["counts"][table], f"{table}: {snap['counts'][table]} rows before, {n} after")
names = sorted(env["qms.complaint"].with_context(active_test=False).search([]).mapped("name"))
check(names == sorted(n for _, n in snap["complaints"]), f"{len(names)} complaint names unchanged", names)
renamed = "qms.action" in env and "qms.complaint.action" not in env
model = "qms.action" if renamed else "qms.complaint.action"
if snap["actions"] is not None:
    Action = env[model].with_context(active_test=False)
    names, old = set(Action.search([]).mapped("name")), {a[1] for a in snap["actions"]}
    check(names == old, f"{len(old)} actions kept as {model}", f"lost {old - names}, new {names - old}")
    for table, col in (("mail_message", "model"), ("ir_attachment", "res_model"),
                       ("mail_followers", "res_model"), ("mail_activity", "res_model")):
        now = {str(i): n for i, n in rows(f"SELECT res_id, count(*) FROM {table} WHERE {col} = %s GROUP BY 1", [model])}
        old = snap["action_refs"][table]
        check(all(now.get(i, 0) == n for i, n in old.items()),
              f"{table}: the actions' {sum(old.values())} rows carry {col} {model!r}", f"{old} -> {now}")
    if renamed:
        def kept(action_id, complaint_id):
            r = Action.browse(action_id).exists()
            return r and r.complaint_id.id == complaint_id and (r.res_model, r.res_id) == ("qms.complaint", complaint_id)
        bad = [a[0] for a in snap["actions"] if a[2] and not kept(a[0], a[2])]
        check(not bad, "every action keeps its complaint_id, res_model and res_id", f"wrong: {bad}")
for table, col in (("mail_message", "model"), ("ir_attachment", "res_model"),
                   ("mail_followers", "res_model"), ("mail_activity", "res_model")):
    old = snap["refs"][table]
    now = dict(rows(f"SELECT {col}, count(*) FROM {table} WHERE {col} LIKE 'qms.%%' GROUP BY 1", []))
    check(sum(now.values()) == sum(old.values()), f"{table} qms.*: {sum(old.values())} before, "
          f"{sum(now.values())} after {'' if now == old else f'(by model {old} -> {now})'}")
if "qms.deadline.rule" in env:
    def wrong(cid, code, partner_id, number, unit):  # the rule now in force, when it differs
        got = env["res.company"].browse(int(cid))._qms_deadline_rule(
            code, env["res.partner"].browse(partner_id or []) or None)
        return None if abs(got[0] - number) < 1e-6 and got[1] == unit else (cid, code, partner_id, number, unit, got)
    old = [(cid, col[4:-7], None, number, values[col[:-7] + "_unit"])
           for cid, values in snap["companies"].items() for col, number in values.items() if col.endswith("_number")]
    bad = [w for w in (wrong(*o) for o in old) if w]
    check(old and not bad, f"{len(old)} company (number, unit) columns became equal rules", f"wrong: {bad}")
    bad = [w for w in (wrong(*e) for e in snap["effective"]) if w]
    check(not bad, f"{len(snap['effective'])} effective deadlines (company x step x profile) unchanged", bad)
print("UPGRADE CHECK:", "FAIL" if failed else "PASS")
sys.exit(1 if failed else 0)
EOF
grep -E '^(PASS|FAIL) |^UPGRADE CHECK|Traceback|Error' "$LOGDIR/check.log" || true
secs=$(($(date +%s) - started))
grep -q '^UPGRADE CHECK: PASS' "$LOGDIR/check.log" || { tail -n 30 "$LOGDIR/check.log"; die "see $LOGDIR/check.log"; }
log "upgrade check: PASS: $old_version ($OLD_COMMIT) -> $new_version in ${secs}s (upgrade ${upgrade_secs}s," \
    "$warnings warnings; logs in $LOGDIR)"
