from odoo import fields, models


class QmsKeyAccountEvaluationLine(models.Model):
    """The revenue of one key account in a half-year evaluation, written by the computation."""

    _name = "qms.key.account.evaluation.line"
    _description = "Key Account Evaluation Line"
    _order = "revenue_current desc, id"

    evaluation_id = fields.Many2one(
        "qms.key.account.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="evaluation_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    tier = fields.Selection(related="partner_id.qms_tier", string="Tier")
    revenue_current = fields.Monetary(string="Revenue", readonly=True)
    revenue_previous = fields.Monetary(string="Previous Half", readonly=True)
    has_previous = fields.Boolean(string="Ordered in the Previous Half", readonly=True)
    growth = fields.Float(string="Growth (%)", readonly=True, digits=(16, 1))
