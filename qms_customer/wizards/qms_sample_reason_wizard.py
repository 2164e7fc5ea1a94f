from odoo import fields, models


class QmsSampleReasonWizard(models.TransientModel):
    """Why a sample must not be used, or how it was destroyed: both are kept on the sample."""

    _name = "qms.sample.reason.wizard"
    _description = "Take a Sample out of Use"

    action = fields.Selection(
        [("do_not_use", "Do Not Use"), ("destroy", "Destroy")], required=True, default="do_not_use"
    )
    sample_id = fields.Many2one("qms.sample", required=True, ondelete="cascade")
    reason = fields.Text(
        required=True, help="Why it must not be used, or how, where and by whom it was destroyed."
    )

    def action_confirm(self):
        self.ensure_one()
        if self.action == "destroy":
            self.sample_id._qms_destroy(self.reason)
        else:
            self.sample_id._qms_mark_do_not_use(self.reason)
        return {"type": "ir.actions.act_window_close"}
