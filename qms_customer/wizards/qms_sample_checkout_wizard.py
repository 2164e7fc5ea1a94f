from odoo import api, fields, models


class QmsSampleCheckoutWizard(models.TransientModel):
    """Check a sample out of the sample room (who, for what, where) or back in (its condition)."""

    _name = "qms.sample.checkout.wizard"
    _description = "Check a Sample Out or In"

    mode = fields.Selection([("out", "Check Out"), ("in", "Check In")], required=True, default="out")
    sample_id = fields.Many2one("qms.sample", required=True, ondelete="cascade")
    stays_in_room = fields.Boolean(related="sample_id.stays_in_room")
    user_id = fields.Many2one(
        "res.users", string="Taken By", default=lambda s: s.env.user, domain=[("share", "=", False)]
    )
    purpose = fields.Selection(
        lambda s: s.env["qms.sample.checkout"]._fields["purpose"]._description_selection(s.env),
        default="first_article",
    )
    in_room = fields.Boolean(string="Used in the Sample Room", default=True)
    destination = fields.Char(string="Taken To")
    condition = fields.Selection(
        [("good", "Good"), ("damaged", "Damaged")], string="Condition on Return", default="good"
    )
    note = fields.Text(string="Details")

    @api.onchange("stays_in_room")
    def _onchange_stays_in_room(self):
        if self.stays_in_room:
            self.in_room = True

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "out":
            self.sample_id._qms_check_out(
                self.user_id or self.env.user,
                self.purpose or "other",
                in_room=self.in_room,
                destination=self.destination,
                note=self.note,
            )
        else:
            self.sample_id._qms_check_in(self.condition or "good", note=self.note)
        return {"type": "ir.actions.act_window_close"}
