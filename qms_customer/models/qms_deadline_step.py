from odoo import api, fields, models

UNIT_SELECTION = [
    ("hours", "Hours"),
    ("working_hours", "Working hours"),
    ("days", "Days"),
    ("working_days", "Working days"),
    ("months", "Months"),
]


class QmsDeadlineStep(models.Model):
    """A configurable deadline, declared by its family as one XML record. The code is what the
    family's Python names (``company._qms_deadline(code, start, partner)``); every company gets a
    ``qms.deadline.rule`` for it at the default, which the quality manager may change."""

    _name = "qms.deadline.step"
    _description = "Deadline Step"
    _order = "sequence, id"

    code = fields.Char(required=True, index=True, help="Technical name the family's code uses.")
    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True, help="What must happen by the deadline.")
    model_id = fields.Many2one(
        "ir.model",
        string="Family",
        required=True,
        ondelete="cascade",
        help="The document whose deadline this is.",
    )
    model = fields.Char(related="model_id.model", string="Family Model")
    sequence = fields.Integer(default=10)
    default_number = fields.Float(required=True, digits=(16, 2))
    default_unit = fields.Selection(UNIT_SELECTION, required=True, default="hours")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A deadline step with this code already exists."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        Rule = self.env["qms.deadline.rule"]
        for vals in vals_list:
            Rule._qms_check_values(vals, number="default_number", unit="default_unit")
        steps = super().create(vals_list)
        # Every company gets its rule at once, whichever addon declared the step, on install
        # and on upgrade alike (a post-init hook would miss steps added by an upgrade).
        companies = self.env["res.company"].sudo().with_context(active_test=False).search_fetch([], ["id"])
        companies._qms_ensure_deadline_rules(steps)
        return steps

    def write(self, vals):
        self.env["qms.deadline.rule"]._qms_check_values(vals, number="default_number", unit="default_unit")
        return super().write(vals)
