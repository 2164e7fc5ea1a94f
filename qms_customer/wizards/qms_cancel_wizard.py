from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsCancelWizard(models.TransientModel):
    """Asks for the reason before a QMS document is cancelled (kept in its history)."""

    _name = "qms.cancel.wizard"
    _description = "Cancel with Reason"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        values.setdefault("res_model", context.get("active_model"))
        values.setdefault("res_ids", context.get("active_ids") or [])
        return values

    def action_confirm(self):
        self.ensure_one()
        # Only QMS documents are cancelled through here (they carry cancel_reason).
        if self.res_model not in self.env["qms.deadline.mixin"]._qms_overdue_models():
            raise UserError(self.env._("Only customer quality records can be cancelled here."))
        records = self.env[self.res_model].browse(self.res_ids)
        records.write({"cancel_reason": self.reason})
        records.action_cancel()
        return {"type": "ir.actions.act_window_close"}
