from odoo import api, fields, models

from .survey_question import SATISFACTION_ITEMS


class QmsSatisfactionScore(models.Model):
    """A score of a satisfaction campaign on the 100-point scale: of one customer's item (with its
    participant), or across customers of an item or of a sub-item (without). Written only by the
    campaign's scoring, replaced each time it scores."""

    _name = "qms.satisfaction.score"
    _description = "Satisfaction Score"
    _order = "campaign_id, participant_id, item, subitem"

    campaign_id = fields.Many2one(
        "qms.satisfaction.campaign", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    participant_id = fields.Many2one(
        "qms.satisfaction.participant", index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
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
