from odoo import api, fields, models

from .res_company import DEADLINE_STEPS, UNIT_SELECTION


class QmsResponseProfileLine(models.Model):
    _name = "qms.response.profile.line"
    _description = "Customer Response Profile Deadline"
    _order = "profile_id, step"

    profile_id = fields.Many2one("qms.response.profile", required=True, ondelete="cascade", index=True)
    step = fields.Selection(DEADLINE_STEPS, required=True)
    number = fields.Float(required=True, digits=(16, 2))
    unit = fields.Selection(UNIT_SELECTION, required=True, default="hours")

    _sql_constraints = [
        ("step_unique", "UNIQUE(profile_id, step)", "Each step appears once per profile."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["res.company"]._qms_check_rule_values(self._qms_rule_vals(vals))
        return super().create(vals_list)

    def write(self, vals):
        self.env["res.company"]._qms_check_rule_values(self._qms_rule_vals(vals))
        return super().write(vals)

    @api.model
    def _qms_rule_vals(self, vals):
        # Reuse the company's checks: number > 0 and a known unit.
        return {f"qms_line_{key}": vals[key] for key in ("number", "unit") if key in vals}

    @api.depends("step", "number", "unit")
    def _compute_display_name(self):
        units = dict(self._fields["unit"]._description_selection(self.env))
        steps = dict(self._fields["step"]._description_selection(self.env))
        for line in self:
            line.display_name = self.env._(
                "%(step)s: %(number)s %(unit)s",
                step=steps.get(line.step, ""),
                number=line.number,
                unit=units.get(line.unit, ""),
            )
