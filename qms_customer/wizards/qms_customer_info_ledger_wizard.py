from odoo import fields, models
from odoo.tools import html2plaintext

from ..tools.xlsx import Cell, Column

# What the column functions read, fetched with each chunk.
LEDGER_FIELDS = ["content", "reply_deadline", "date_replied", "qms_complaint_ids"]


class QmsCustomerInfoLedgerWizard(models.TransientModel):
    """The customer information register (顾客信息登记表) as a spreadsheet: every contact of a
    customer in a period, its type, content and reply, and whether it was replied in time
    (REQUIREMENTS §2, §10)."""

    _name = "qms.customer.info.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Customer Information Register Ledger"

    _qms_ledger_model = "qms.customer.info"
    _qms_ledger_date_field = "date_received"

    partner_ids = fields.Many2many(
        help="Only the information of these customers; leave empty for every customer."
    )
    row_count = fields.Integer(string="Entries Exported")

    def _qms_ledger_name(self):
        return self.env._("Customer Information Register")

    def _qms_ledger_filters(self):
        return self.env._(
            "Received from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env._("Customer Information")

    def _qms_ledger_fields(self):
        return super()._qms_ledger_fields() + LEDGER_FIELDS

    # ------------------------------------------------------------------ columns
    def _reply_result(self, info):
        if not info.reply_deadline:
            return None
        if info.date_replied:
            if info.date_replied <= info.reply_deadline:
                return Cell(self.env._("Met"), highlight="good")
            return Cell(self.env._("Missed"), highlight="overdue")
        if info.state in ("converted", "cancelled"):
            return None
        if info.reply_deadline < fields.Datetime.now():
            return Cell(self.env._("Missed"), highlight="overdue")
        return Cell(self.env._("Not Due Yet"))

    def _qms_ledger_columns(self):
        return [
            Column("name", width=16),
            Column("date_received", width=17),
            Column("partner_id", width=26),
            Column("contact_id", width=16),
            Column("channel", width=12),
            Column("info_type", width=22),
            Column("important", width=10),
            Column("subject", width=30),
            Column(
                lambda info: html2plaintext(info.content or "") or None,
                self.env._("Content"),
                kind="wrap",
                width=50,
            ),
            Column("registered_by_id", width=14),
            Column("user_id", width=14),
            Column("reply_deadline", width=17),
            Column("reply", width=40),
            Column("date_replied", width=17),
            Column(self._reply_result, self.env._("Replied in Time"), width=12),
            Column(
                lambda info: ", ".join(info.qms_complaint_ids.mapped("name")) or None,
                self.env._("Complaint"),
                width=16,
            ),
            Column("state", width=14),
        ]
