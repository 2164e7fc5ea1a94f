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
    requires_onsite = fields.Boolean(
        string="Starts On-site Deadline",
        help="Demanding this starts the on-site support deadline of the complaint.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [("code_unique", "UNIQUE(code)", "The code of a customer demand must be unique.")]
