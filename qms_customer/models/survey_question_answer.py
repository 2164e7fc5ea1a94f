from odoo import fields, models

# The 4 levels of the rating (非常满意 / 满意 / 一般 / 较差) and the points of each on the 100-point
# scale of the satisfaction score: 60, "average", is the lowest acceptable score.
SATISFACTION_LEVELS = [
    ("very_satisfied", "Very Satisfied"),
    ("satisfied", "Satisfied"),
    ("average", "Average"),
    ("poor", "Poor"),
]
LEVEL_POINTS = {"very_satisfied": 100.0, "satisfied": 80.0, "average": 60.0, "poor": 0.0}
TOP_TWO = ("very_satisfied", "satisfied")


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    qms_level = fields.Selection(
        SATISFACTION_LEVELS,
        string="Satisfaction Level",
        help="The level this choice (or matrix column) stands for in the satisfaction score: very "
        "satisfied 100, satisfied 80, average 60, poor 0 points.",
    )
