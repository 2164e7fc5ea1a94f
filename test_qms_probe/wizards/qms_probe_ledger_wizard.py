from odoo import models
from odoo.addons.qms_customer.tools.xlsx import Column


class QmsProbeLedgerWizard(models.TransientModel):
    """The probe family's ledger: the model it lists, the date of its period and its columns."""

    _name = "qms.probe.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Probe Ledger"

    _qms_ledger_model = "qms.probe.document"
    _qms_ledger_date_field = "opened_on"

    def _qms_ledger_columns(self):
        return [
            Column("name", width=16),
            Column("opened_on", width=17),
            Column("due_on", width=17),
            Column("done_on", width=17),
            Column("owner_id", width=20),
            Column("qms_next_deadline", width=17),
        ]
