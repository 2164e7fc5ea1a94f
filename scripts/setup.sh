#!/usr/bin/env bash
# make setup: everything a fresh Debian machine (as root) needs to lint, test and run qms_customer.
# Safe to run twice: every step checks before it acts.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# fonts-droid-fallback: Chinese face whose text copies right out of wkhtmltopdf PDFs (see report_qms_complaint_style).
APT_PACKAGES=(postgresql wkhtmltopdf fonts-noto-cjk fonts-droid-fallback chromium poppler-utils)

install_debian_packages() {
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        log "missing Debian packages (${missing[*]}); run as root or install them yourself"
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

fetch_odoo() {
    have_odoo && return 0
    log "no Odoo at $ODOO_SRC: trying a shallow clone of Odoo 18.0 (5 min limit)"
    if timeout 300 git clone -q --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" 2>/dev/null \
        && have_odoo; then
        return 0
    fi
    echo "ODOO SOURCE MISSING: put Odoo 18.0 Community at \$ODOO_SRC (now $ODOO_SRC) and run make setup again; setting up the light tier only."
    return 1
}

make_venv() {
    [ -x "$PY" ] || { log "creating $VENV"; python3 -m venv "$VENV"; }
    "$PY" -m pip install -q --upgrade pip wheel
    "$PY" -m pip install -q -r "$ROOT/requirements-dev.txt"
}

install_odoo_python() {
    local req; req=$(mktemp)
    # Pins that do not build on this Python: no python-ldap, binary psycopg2, a cbor2 that builds.
    sed -e '/^python-ldap/d' \
        -e 's/^psycopg2==/psycopg2-binary==/' \
        -e 's/^cbor2==5\.4\.2/cbor2==5.6.5/' \
        "$ODOO_SRC/requirements.txt" > "$req"
    if ! "$PY" -c 'import odoo.release' 2>/dev/null || [ "$ODOO_SRC/requirements.txt" -nt "$VENV/.odoo-req" ]; then
        log "installing Odoo's Python requirements"
        "$PY" -m pip install -q -r "$req"
        "$PY" -m pip install -q -e "$ODOO_SRC" --no-deps
        touch "$VENV/.odoo-req"
    fi
    rm -f "$req"
    # Includes the setuptools pin that the gevent (websocket) worker of the multi-process server needs.
    "$PY" -m pip install -q -r "$ROOT/requirements-odoo.txt"
    # What that worker does first (make run WORKERS=N): fail here, not in a crash loop there.
    if ! "$PY" -c 'import gevent.monkey; gevent.monkey.patch_all()'; then
        log "gevent.monkey.patch_all() fails in $VENV: the multi-process server's websocket worker would crash"
        exit 1
    fi
}

create_demo_db() {
    if db_usable "$DB" && psql -d "$DB" -tAc \
        "select 1 from ir_module_module where name='qms_customer' and state='installed'" 2>/dev/null | grep -q 1; then
        log "demo database $DB exists: updating qms_customer"
        odoo_bin -d "$DB" -u qms_customer --stop-after-init --log-level=warn
    else
        log "creating demo database $DB with qms_customer and its demo data"
        drop_db "$DB"
        mkdir -p "$ROOT/.test-logs"
        # A Chinese company keeps its books in yuan. Odoo refuses to change a company's currency
        # once journal items exist, and the accounting demo data posts some: a Chinese company
        # (yuan) before accounting is installed, which then gives it the Chinese chart of accounts.
        odoo_bin -d "$DB" -i base --load-language="$LANGS" --stop-after-init --log-level=warn \
            2>&1 | tee "$ROOT/.test-logs/setup-demo.log"
        odoo_bin shell -d "$DB" --no-http --log-level=warn <<'PY' 2>&1 | tee -a "$ROOT/.test-logs/setup-demo.log"
cny = env.ref("base.CNY")
cny.active = True
env.ref("base.main_company").write({"currency_id": cny.id, "country_id": env.ref("base.cn").id})
env.cr.commit()
PY
        odoo_bin -d "$DB" -i qms_customer --load-language="$LANGS" --stop-after-init --log-level=warn \
            2>&1 | tee -a "$ROOT/.test-logs/setup-demo.log"
        # Odoo installs "without demo data" on a demo error and only warns: treat it as a failure.
        if grep -q "demo data failed to install" "$ROOT/.test-logs/setup-demo.log"; then
            log "the demo data of qms_customer failed to load (see .test-logs/setup-demo.log)"
            exit 1
        fi
    fi
}

install_debian_packages
ensure_postgres
make_venv
if fetch_odoo; then
    install_odoo_python
    [ "${SKIP_DEMO:-}" = 1 ] || create_demo_db
    log "setup done: make test runs both tiers; make run serves $DB on http://localhost:$HTTP_PORT"
else
    log "setup done (light tier only)"
fi
