from odoo import fields, models

# The items of the satisfaction questionnaire (顾客满意度调查表). A rating question of an item is a
# simple choice (one rating) or a matrix (one rating per sub-item, its rows); "comment" is the free
# text of complaints or suggestions.
SATISFACTION_ITEMS = [
    ("quality", "Product Quality"),
    ("delivery", "Delivery Performance"),
    ("service", "Service"),
    ("price", "Price"),
    ("communication", "Communication"),
    ("overall", "Overall"),
    ("comment", "Complaints or Suggestions"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    qms_item = fields.Selection(
        SATISFACTION_ITEMS,
        string="Satisfaction Item",
        help="The item of customer satisfaction this question rates (its rows are the sub-items of a "
        "matrix): the campaign scores it. Questions without an item are not scored.",
    )
    qms_weight = fields.Float(
        string="Item Weight",
        default=1.0,
        help="Weight of this item in a customer's score (1 = as much as any other item).",
    )
