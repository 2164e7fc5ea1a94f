from odoo import api, fields, models


class QmsReturnApprovalWizard(models.TransientModel):
    """The decision of one approval step of a return: approve or reject, with a comment."""

    _name = "qms.return.approval.wizard"
    _description = "Return Approval Decision"

    request_id = fields.Many2one("qms.return.request", required=True, ondelete="cascade")
    approval_id = fields.Many2one("qms.return.approval", string="Step", compute="_compute_approval_id")
    total_weight = fields.Float(related="request_id.total_weight", string="Total Weight (kg)")
    approval_tier = fields.Selection(related="request_id.approval_tier")
    decision = fields.Selection(
        [("approved", "Approve"), ("rejected", "Reject")], required=True, default="approved"
    )
    comment = fields.Text(help="Required when rejecting; kept in the approval record.")

    @api.depends("request_id")
    @api.depends_context("uid")
    def _compute_approval_id(self):
        for wizard in self:
            wizard.approval_id = wizard.request_id._qms_step_for_user()

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_decide(self.decision, self.comment)
        return {"type": "ir.actions.act_window_close"}
