from odoo import fields, models


class QmsCustomerPropertyVerifyWizard(models.TransientModel):
    """Quality's verification of customer property on arrival: conforming, or nonconforming with
    what was found (the salesperson then contacts the customer)."""

    _name = "qms.customer.property.verify.wizard"
    _description = "Verify Customer Property"

    property_id = fields.Many2one("qms.customer.property", required=True, ondelete="cascade")
    result = fields.Selection(
        [("conforming", "Conforming"), ("nonconforming", "Nonconforming")],
        required=True,
        default="conforming",
    )
    note = fields.Text(string="Findings")

    def action_confirm(self):
        self.ensure_one()
        self.property_id._qms_verify(self.result, self.note)
        return {"type": "ir.actions.act_window_close"}
