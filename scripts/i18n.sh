#!/usr/bin/env bash
# make pot: export qms_customer.pot from a fresh database and merge it into zh_CN.po
# (existing translations are kept; new terms arrive with an empty msgstr to fill in).
set -euo pipefail
. "$(dirname "$0")/common.sh"
have_odoo || { echo "no Odoo at $ODOO_SRC"; exit 1; }
ensure_postgres
I18N_DB=${I18N_DB:-qms_i18n}
drop_db "$I18N_DB"
mkdir -p "$ROOT/.test-logs"
odoo_bin -d "$I18N_DB" -i qms_customer --without-demo=all --stop-after-init --log-level=warn
odoo_bin -d "$I18N_DB" --i18n-export="$ROOT/qms_customer/i18n/qms_customer.pot" --modules=qms_customer \
    --stop-after-init --log-level=warn 2>&1 | tee "$ROOT/.test-logs/i18n-export.log"
# A file Babel cannot parse loses all its terms with a mere log line: make it an error.
if grep -q "Failed to extract terms" "$ROOT/.test-logs/i18n-export.log"; then
    drop_db "$I18N_DB"; echo "term extraction failed (see .test-logs/i18n-export.log)"; exit 1
fi
drop_db "$I18N_DB"
"$PY" "$ROOT/scripts/po_merge.py" "$ROOT/qms_customer/i18n/qms_customer.pot" "$ROOT/qms_customer/i18n/zh_CN.po"
