# qms_customer: make setup · make test · make run · make lint · make bench · make compat
# ODOO_SRC (default /opt/odoo), DB (default qms_demo), HTTP_PORT (default 8069) may be overridden.
# make run WORKERS=4: multi-process server (websocket on HTTP_PORT+3); make run ARGS="...": extra odoo-bin options.
SHELL := /bin/bash
export ODOO_SRC ?= /opt/odoo
export DB ?= qms_demo
export HTTP_PORT ?= 8069

.PHONY: setup test run lint bench screenshots pot upgrade-check compat

setup:
	bash scripts/setup.sh

test:
	bash scripts/test.sh

run:
	WORKERS='$(WORKERS)' bash scripts/run.sh $(ARGS)

lint:
	.venv/bin/ruff check qms_customer test_qms_probe tests bench scripts
	.venv/bin/ruff format --check qms_customer test_qms_probe tests bench scripts
	.venv/bin/pylint --rcfile=.pylintrc qms_customer test_qms_probe

bench:
	bash scripts/bench.sh

pot:
	bash scripts/i18n.sh

screenshots:
	bash scripts/screenshots.sh

# make upgrade-check [OLD_COMMIT=dbc4d1b]: install that release with demo data, upgrade it with this
# tree, check nothing is lost. Its own database (UPGRADE_DB), never DB, which the script drops.
upgrade-check:
	DB='$(or $(UPGRADE_DB),qms_upgrade_check)' HTTP_PORT='$(or $(UPGRADE_HTTP_PORT),8569)' bash scripts/upgrade_check.sh $(OLD_COMMIT)

# make compat: Odoo's own post-install tests of sale, sale_stock, stock, survey, portal and calendar
# with qms_customer installed (no demo data) against the same tests without it (cached baseline);
# fails on any test that passes without the addon and not with it.
compat:
	bash scripts/odoo_compat.sh
