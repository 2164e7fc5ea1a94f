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
        # Only QMS documents are cancelled through here: their own action_cancel checks role and
        # state, and records the reason.
        model = self.env.get(self.res_model)
        if (
            model is None
            or not isinstance(model, self.env.registry["qms.workflow.mixin"])
            or "cancel_reason" not in model._fields
            or not hasattr(model, "action_cancel")
        ):
            raise UserError(self.env._("Only customer quality records can be cancelled here."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give a reason to cancel."))
        model.browse(self.res_ids).with_context(qms_cancel_reason=self.reason).action_cancel()
        return {"type": "ir.actions.act_window_close"}
