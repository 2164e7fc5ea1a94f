from odoo import api, fields, models

from .survey_question import SATISFACTION_ITEMS


class QmsSatisfactionScore(models.Model):
    """A score of a satisfaction campaign on the 100-point scale across its customers: of an item,
    or of a sub-item (a matrix row). Written only by the campaign's scoring, replaced each time it
    scores; each customer's own item scores are on its participant (``item_scores``)."""

    _name = "qms.satisfaction.score"
    _description = "Satisfaction Score"
    _order = "campaign_id, item, subitem"

    campaign_id = fields.Many2one(
        "qms.satisfaction.campaign", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    item = fields.Selection(SATISFACTION_ITEMS[:-1], required=True, readonly=True)
    subitem = fields.Char(string="Sub-item", readonly=True)
    score = fields.Float(readonly=True, digits=(16, 1), aggregator="avg")
    answer_count = fields.Integer(string="Ratings", readonly=True)
    score_previous = fields.Float(string="Previous", readonly=True, digits=(16, 1))
    trend = fields.Float(compute="_compute_trend", digits=(16, 1))
    acceptable = fields.Boolean(compute="_compute_trend")

    @api.depends("score", "score_previous", "campaign_id.company_id.qms_satisfaction_threshold")
    def _compute_trend(self):
        for line in self:
            line.trend = line.score - line.score_previous if line.score_previous else 0.0
            line.acceptable = line.score >= line.campaign_id.company_id.qms_satisfaction_threshold
