#!/usr/bin/env bash
# make screenshots: the main screens as each role sees them, into docs/screenshots/.
set -euo pipefail
. "$(dirname "$0")/common.sh"
PORT=${SHOT_PORT:-8070}
OUT=${OUT:-$ROOT/docs/screenshots}
ensure_postgres
# Each login's language and time zone, set before the server starts (the server caches them).
odoo_bin shell -d "$DB" --no-http --log-level=warn <<'PY'
langs = {"admin": "en_US", "quality": "zh_CN", "qmanager": "zh_CN", "sales": "zh_CN", "sales2": "zh_CN",
         "gm": "zh_CN", "warehouse": "zh_CN", "mrep": "zh_CN", "filekeeper": "zh_CN",
         "production": "zh_CN", "purchasing": "zh_CN"}
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
# The reply letter and 8D report of the demo 8D complaint, as printed (in the customer's Chinese).
odoo_bin shell -d "$DB" --no-http --log-level=warn <<PY
# wkhtmltopdf fetches the report styles from the running server (not committed).
env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:$PORT")
complaint = env.ref("qms_customer.complaint_8d_closed")
for xmlid, name in (("action_report_qms_complaint_reply", "report_reply_zh"), ("action_report_qms_complaint_8d", "report_8d_zh")):
    report = env.ref("qms_customer." + xmlid)
    pdf, _type = report._render_qweb_pdf(report.report_name, complaint.ids)
    open("$ROOT/.test-logs/" + name + ".pdf", "wb").write(pdf)
# The label of the demo's sealed housing sample, as printed on the label printer.
report = env.ref("qms_customer.action_report_qms_sample_label")
pdf, _type = report._render_qweb_pdf(report.report_name, env.ref("qms_customer.sample_jiangnan_housing").ids)
open("$ROOT/.test-logs/report_sample_label_zh.pdf", "wb").write(pdf)
# The half-year key account evaluation the general manager receives.
report = env.ref("qms_customer.action_report_qms_key_account_evaluation")
evaluation = env["qms.key.account.evaluation"].search([("state", "!=", "draft")], limit=1)
pdf, _type = report.with_context(lang="zh_CN")._render_qweb_pdf(report.report_name, evaluation.ids)
open("$ROOT/.test-logs/report_key_account_evaluation_zh.pdf", "wb").write(pdf)
env.cr.rollback()
PY
for name in report_reply_zh report_8d_zh report_sample_label_zh report_key_account_evaluation_zh; do
    pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$ROOT/.test-logs/$name.pdf" "$OUT/$name"
    echo "wrote $OUT/$name.png"
done