from odoo import models

from ..tools.xlsx import Column


class QmsCustomerPropertyLedgerWizard(models.TransientModel):
    """The customer property ledger as XLSX (REQUIREMENTS §6)."""

    _name = "qms.customer.property.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Customer Property Ledger"

    _qms_ledger_model = "qms.customer.property"
    _qms_ledger_date_field = "date_registered"

    def _qms_ledger_columns(self):
        return [
            Column("name", self.env._("Number"), width=16),
            Column("title", self.env._("Property Name"), width=24),
            Column("partner_id", self.env._("Customer"), width=24),
        ]
