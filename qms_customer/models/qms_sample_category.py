from odoo import api, fields, models
from odoo.exceptions import ValidationError


class QmsSampleCategory(models.Model):
    """What a sample is made of decides how long it stays valid and how often it is verified
    (REQUIREMENTS §7): stamped and standard parts a year, plastic six months, rubber three."""

    _name = "qms.sample.category"
    _description = "Sample Category"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the category with every company."
    )
    validity_months = fields.Integer(
        string="Validity (Months)",
        default=12,
        required=True,
        help="A sealed sample of this category is valid this many months after sealing; it must then "
        "be replaced and signed again with the customer.",
    )
    verification_months = fields.Integer(
        string="Verification Cycle (Months)",
        default=12,
        required=True,
        help="A sealed sample is verified this often; customers who check their samples quarterly "
        "(a setting on the customer) verify every three months.",
    )
    stays_in_room = fields.Boolean(
        string="Never Leaves the Sample Room",
        help="Samples of this category may only be used inside the sample room, never taken away.",
    )
    note = fields.Text(string="Description")
    sample_count = fields.Integer(compute="_compute_sample_count", string="Samples")

    @api.constrains("validity_months", "verification_months")
    def _check_months(self):
        for category in self:
            if category.validity_months <= 0 or category.verification_months <= 0:
                raise ValidationError(
                    self.env._(
                        "%(category)s: the validity and the verification cycle must be at least one month.",
                        category=category.display_name,
                    )
                )

    def _compute_sample_count(self):
        counts = dict(
            self.env["qms.sample"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.sample_count = counts.get(category, 0)

    def action_view_samples(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_sample")
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_unused(self):
        if (
            self.env["qms.sample"]
            .with_context(active_test=False)
            .search_count([("category_id", "in", self.ids)], limit=1)
        ):
            raise ValidationError(
                self.env._("A sample category in use cannot be deleted: archive it instead.")
            )
