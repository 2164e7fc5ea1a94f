from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsSampleCheckout(models.Model):
    """The check-out log of the sample room: who took a sample, when, for what, and in which
    condition it came back. Written only by the Check Out / Check In buttons."""

    _name = "qms.sample.checkout"
    _description = "Sample Check-out"
    _order = "date_out desc, id desc"
    _check_company_auto = True

    sample_id = fields.Many2one(
        "qms.sample", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="sample_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="sample_id.partner_id", store=True, index=True, string="Customer")
    user_id = fields.Many2one("res.users", string="Taken By", required=True, index=True)
    issued_by_id = fields.Many2one("res.users")
    date_out = fields.Datetime(string="Taken Out On", required=True, default=fields.Datetime.now)
    purpose = fields.Selection(
        [
            ("first_article", "First-article Comparison"),
            ("dispute", "Quality Dispute"),
            ("inspection", "Incoming / Final Inspection"),
            ("verification", "Verification"),
            ("other", "Other"),
        ],
        required=True,
    )
    in_room = fields.Boolean(string="Used in the Sample Room", default=True)
    destination = fields.Char(string="Taken To", help="Where the sample goes when it leaves the sample room.")
    note = fields.Text(string="Details")
    date_in = fields.Datetime(string="Returned On", index=True)
    received_by_id = fields.Many2one("res.users")
    condition = fields.Selection([("good", "Good"), ("damaged", "Damaged")], string="Condition on Return")
    note_in = fields.Text(string="Return Notes")
    duration_hours = fields.Float(string="Hours Out", compute="_compute_duration_hours")

    @api.depends("date_out", "date_in")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for checkout in self:
            end = checkout.date_in or now
            checkout.duration_hours = (
                (end - checkout.date_out).total_seconds() / 3600 if checkout.date_out else 0
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The check-out log is a record of history and cannot be deleted."))

    def _compute_display_name(self):
        for checkout in self:
            checkout.display_name = f"{checkout.sample_id.name} · {checkout.user_id.name or ''}"
