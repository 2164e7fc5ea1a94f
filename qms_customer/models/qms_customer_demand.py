from odoo import fields, models


class QmsCustomerDemand(models.Model):
    """What the customer asks for with a complaint: on-site support, replacement, claim..."""

    _name = "qms.customer.demand"
    _description = "Customer Demand"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Technical code used by automations, e.g. 'onsite'.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the demand between companies (the standard ones are).",
    )
    requires_onsite = fields.Boolean(
        string="Starts On-site Deadline",
        help="Demanding this starts the on-site support deadline of the complaint.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [("code_unique", "UNIQUE(code)", "The code of a customer demand must be unique.")]
