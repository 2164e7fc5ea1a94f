from odoo import fields, models


class QmsComplaintLedgerWizard(models.TransientModel):
    """Complaint ledger XLSX: every complaint of a period with its KPIs."""

    _name = "qms.complaint.ledger.wizard"
    _description = "Complaint Ledger Export"

    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
