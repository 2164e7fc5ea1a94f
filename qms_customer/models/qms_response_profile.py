from odoo import fields, models


class QmsResponseProfile(models.Model):
    """Deadlines a customer demands, overriding the company defaults step by step."""

    _name = "qms.response.profile"
    _description = "Customer Response Profile"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the profile between companies.")
    requires_8d = fields.Boolean(
        tracking=True,
        help="Complaints of customers with this profile are analysed in 8D by default.",
    )
    note = fields.Text(string="Customer Requirements")
    rule_ids = fields.One2many("qms.deadline.rule", "profile_id", string="Deadlines", copy=True)
    partner_ids = fields.One2many("res.partner", "qms_response_profile_id", string="Customers", readonly=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customer Count")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("qms_response_profile_id", "in", self.ids)],
                ["qms_response_profile_id"],
                ["__count"],
            )
        )
        for profile in self:
            profile.partner_count = counts.get(profile, 0)
