"""Deadline settings move from res.company columns and qms.response.profile.line to
qms.deadline.rule records. Odoo drops the old columns and table only after this script (at the
end of the upgrade), so they are read here with SQL; the conversion itself is
``qms.deadline.rule._qms_migrate_company_values`` / ``_qms_migrate_profile_lines`` (tested)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Rule = env["qms.deadline.rule"]
    columns = []
    for code in env["qms.deadline.step"].search_fetch([], ["code"]).mapped("code"):
        for suffix in ("number", "unit"):
            name = f"qms_{code}_{suffix}"
            if column_exists(cr, "res_company", name):
                columns.append(name)
    if columns:
        cr.execute(
            SQL(
                "SELECT id, %s FROM res_company",
                SQL(", ").join(SQL.identifier(name) for name in columns),
            )
        )
        Rule._qms_migrate_company_values(cr.dictfetchall())
    else:
        env["res.company"].with_context(active_test=False).search_fetch(
            [], ["id"]
        )._qms_ensure_deadline_rules()
    if table_exists(cr, "qms_response_profile_line"):
        cr.execute("SELECT profile_id, step, number, unit FROM qms_response_profile_line ORDER BY id")
        Rule._qms_migrate_profile_lines(cr.dictfetchall())
