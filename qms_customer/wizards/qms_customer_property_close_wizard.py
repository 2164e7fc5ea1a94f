from odoo import fields, models


class QmsCustomerPropertyCloseWizard(models.TransientModel):
    """Customer property leaves us: returned to the customer (with a delivery of what is in stock),
    or scrapped with the customer's recorded consent."""

    _name = "qms.customer.property.close.wizard"
    _description = "Return or Scrap Customer Property"

    action = fields.Selection(
        [("return_customer", "Return to Customer"), ("scrap", "Scrap")],
        required=True,
        default="return_customer",
    )
    property_id = fields.Many2one("qms.customer.property", required=True, ondelete="cascade")
    note = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        pickings = self.property_id._qms_close(self.action, self.note)
        if pickings:
            return {
                "type": "ir.actions.act_window",
                "res_model": "stock.picking",
                "res_id": pickings[:1].id,
                "view_mode": "form",
            }
        return {"type": "ir.actions.act_window_close"}
