"""qms.complaint.action becomes qms.action, the action model of every family: the table, the
model's name wherever Odoo stores it (messages, followers, activities, attachments, actions,
filters...) and the addon's XML ids are renamed before the registry loads, so that nothing is
dropped and recreated. The new source columns (res_model, res_id) are filled here too, from the
complaint each action belonged to. Checked end to end by ``scripts/upgrade_check.sh``."""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

OLD, NEW = "qms.complaint.action", "qms.action"
OLD_TABLE, NEW_TABLE = "qms_complaint_action", "qms_action"

# Columns holding a model's technical name (Odoo 18 Community and the addons qms_customer uses).
MODEL_COLUMNS = [
    ("ir_model", "model"),
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_model_data", "model"),
    ("ir_act_window", "res_model"),
    ("ir_act_server", "model_name"),
    ("ir_act_report_xml", "model"),
    ("ir_ui_view", "model"),
    ("ir_filters", "model_id"),
    ("ir_attachment", "res_model"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
    ("mail_activity_type", "res_model"),
    ("mail_template", "model"),
    ("mail_message_subtype", "res_model"),
    ("rating_rating", "res_model"),
]


def migrate(cr, version):
    if not version or not table_exists(cr, OLD_TABLE) or table_exists(cr, NEW_TABLE):
        return
    rename_table(cr)
    rename_model_references(cr)
    rename_xmlids(cr)
    fill_sources(cr)
    _logger.info("qms_customer: %s renamed to %s", OLD, NEW)


def rename_table(cr):
    cr.execute(SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(OLD_TABLE), SQL.identifier(NEW_TABLE)))
    cr.execute(
        SQL(
            "ALTER SEQUENCE IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{OLD_TABLE}_id_seq"),
            SQL.identifier(f"{NEW_TABLE}_id_seq"),
        )
    )
    # Indexes and constraints keep Odoo's names (<table>__<column>_index, <table>_<column>_fkey):
    # without this Odoo would add a second index beside each old one.
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        [NEW_TABLE, f"{OLD_TABLE}%"],
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(name),
                SQL.identifier(NEW_TABLE + name[len(OLD_TABLE) :]),
            )
        )
    cr.execute(
        "SELECT conname FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype != 'p' AND conname LIKE %s",
        [NEW_TABLE, f"{OLD_TABLE}%"],
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                SQL.identifier(NEW_TABLE),
                SQL.identifier(name),
                SQL.identifier(NEW_TABLE + name[len(OLD_TABLE) :]),
            )
        )


def rename_model_references(cr):
    for table, column in MODEL_COLUMNS:
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s"
            " AND data_type = 'character varying'",
            [table, column],
        )
        if cr.rowcount:
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    NEW,
                    SQL.identifier(column),
                    OLD,
                )
            )


def rename_xmlids(cr):
    """The addon's XML ids follow the model's name; Odoo deletes records whose XML id a module no
    longer declares, so they are renamed, not left behind (the model's, its fields', the views',
    rules', the sequence's and the cron's)."""
    for old, new in (("qms_my_complaint_action", "qms_my_action"), ("qms_complaint_action", "qms_action")):
        cr.execute(
            "UPDATE ir_model_data SET name = replace(name, %s, %s)"
            " WHERE module = 'qms_customer' AND name LIKE %s",
            [old, new, f"%{old}%"],
        )
    cr.execute("UPDATE ir_sequence SET code = %s WHERE code = %s", [NEW, OLD])


def fill_sources(cr):
    """Every existing action was a complaint's."""
    for column, kind in (("res_model", "varchar"), ("res_id", "int4")):
        if not column_exists(cr, NEW_TABLE, column):
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN %s %s",
                    SQL.identifier(NEW_TABLE),
                    SQL.identifier(column),
                    SQL(kind),
                )
            )
    cr.execute(
        SQL(
            "UPDATE %s SET res_model = 'qms.complaint', res_id = complaint_id WHERE complaint_id IS NOT NULL",
            SQL.identifier(NEW_TABLE),
        )
    )
