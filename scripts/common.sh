# Shared settings for the qms_customer scripts (sourced, not run).
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
DB=${DB:-qms_demo}
HTTP_PORT=${HTTP_PORT:-8069}
PGHOST=${PGHOST:-/var/run/postgresql}
export PGHOST
ADDONS_PATH="$ODOO_SRC/addons,$ROOT"
# Odoo's files (attachments, asset bundles) per database: kept in the project, git-ignored.
DATA_DIR=${DATA_DIR:-$ROOT/.odoo-data}
# Odoo modules qms_customer depends on (kept in step with __manifest__.py).
BASE_MODULES=sale_management,sale_stock,mail,resource,hr,survey,calendar
# Chinese users first; English stays active for the README screenshots and English users.
LANGS=zh_CN,en_US

log() { printf '==> %s\n' "$*"; }
have_odoo() { [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/addons/sale_stock" ]; }

# Start PostgreSQL and give the current OS user a superuser role when no server answers.
ensure_postgres() {
    if ! pg_isready -q -h "$PGHOST" 2>/dev/null; then
        log "starting PostgreSQL"
        pg_ctlcluster 15 main start 2>/dev/null || service postgresql start
        for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" && break; sleep 1; done
    fi
    local me; me=$(id -un)
    if ! psql -h "$PGHOST" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        log "creating PostgreSQL superuser role $me"
        runuser -u postgres -- createuser -s "$me"
    fi
}

odoo_bin() {  # odoo_bin [shell] OPTIONS...: the subcommand has to come first
    local cmd=()
    [ "${1:-}" = shell ] && { cmd=(shell); shift; }
    "$PY" "$ODOO_SRC/odoo-bin" "${cmd[@]}" --db_host="$PGHOST" --addons-path="$ADDONS_PATH" \
        --data-dir="$DATA_DIR" "$@"
}

# copy_db SOURCE TARGET: a database and its filestore (createdb -T copies only the database).
copy_db() {
    dropdb --if-exists "$2"
    rm -rf "$DATA_DIR/filestore/$2"
    createdb -T "$1" "$2"
    if [ -d "$DATA_DIR/filestore/$1" ]; then
        mkdir -p "$DATA_DIR/filestore"
        cp -a "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"
    fi
}

# db_usable NAME: the database exists and so does its filestore in $DATA_DIR.
db_usable() {
    psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1 \
        && [ -d "$DATA_DIR/filestore/$1" ]
}

drop_db() {
    dropdb --if-exists "$1"
    rm -rf "$DATA_DIR/filestore/$1"
}
