from odoo import api, fields, models
from odoo.exceptions import ValidationError

COST_TYPES = [
    ("replacement", "Replacement"),
    ("freight", "Freight"),
    ("premium_freight", "Premium Freight"),
    ("onsite_labour", "On-site Labour"),
    ("sorting", "Sorting"),
    ("claim", "Claim"),
    ("penalty", "Penalty"),
    ("scrap_rework", "Scrap / Rework"),
    ("other", "Other"),
]


class QmsComplaintCost(models.Model):
    """A quality cost caused by a complaint, charged to the responsible department."""

    _name = "qms.complaint.cost"
    _description = "Complaint Quality Cost"
    _order = "date desc, id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "qms.complaint", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id", string="Customer", store=True, index=True)
    product_id = fields.Many2one(related="complaint_id.product_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    cost_type = fields.Selection(COST_TYPES, string="Type", required=True, default="replacement")
    description = fields.Char()
    amount = fields.Monetary(required=True, currency_field="currency_id")
    department_id = fields.Many2one(
        "hr.department",
        string="Charged Department",
        check_company=True,
        help="The department the cost is transferred to.",
    )

    @api.constrains("amount")
    def _check_amount(self):
        for cost in self:
            if cost.amount < 0:
                raise ValidationError(
                    self.env._("A quality cost cannot be negative (%(amount)s).", amount=cost.amount)
                )
