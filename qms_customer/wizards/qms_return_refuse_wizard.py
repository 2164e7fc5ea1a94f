from odoo import fields, models


class QmsReturnRefuseWizard(models.TransientModel):
    """Why the warehouse refuses returned goods: the receipt is cancelled, nothing enters stock."""

    _name = "qms.return.refuse.wizard"
    _description = "Refuse Returned Goods"

    picking_id = fields.Many2one("stock.picking", string="Receipt", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Kept on the receipt and the return request; quality is told.")

    def action_confirm(self):
        self.ensure_one()
        self.picking_id._qms_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
