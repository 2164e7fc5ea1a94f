import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import deadline as dl
from .qms_deadline_step import UNIT_SELECTION

_logger = logging.getLogger(__name__)


class QmsDeadlineRule(models.Model):
    """How long a step may take: one rule per step and company (the default for its customers),
    and one per step and response profile (what such a customer demands instead)."""

    _name = "qms.deadline.rule"
    _description = "Deadline Rule"
    _order = "sequence, step_id, id"
    _check_company_auto = True

    step_id = fields.Many2one("qms.deadline.step", required=True, ondelete="cascade", index=True)
    # A selection, not the step's ir.model: group labels must read for users without access to
    # ir.model, in their language.
    family = fields.Selection(selection="_selection_family", compute="_compute_family", store=True)
    sequence = fields.Integer(related="step_id.sequence", store=True)
    description = fields.Char(related="step_id.description")
    number = fields.Float(
        string="Time Allowed",
        compute="_compute_from_step",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        digits=(16, 2),
        aggregator=None,  # hours and days do not add up
    )
    unit = fields.Selection(
        UNIT_SELECTION,
        compute="_compute_from_step",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    profile_id = fields.Many2one(
        "qms.response.profile",
        string="Response Profile",
        ondelete="cascade",
        index=True,
        check_company=True,
        help="Set: what customers with this profile demand. Empty: the company's rule.",
    )
    company_id = fields.Many2one(
        "res.company",
        ondelete="cascade",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="A profile's rules belong to the profile's company (none: shared).",
    )

    _sql_constraints = [
        ("step_unique", "UNIQUE(profile_id, step_id)", "Each step appears once per profile."),
        # A company rule has no profile, and NULLs are distinct in UNIQUE: hence the partial
        # exclusion (written as PostgreSQL prints it, so that Odoo does not rebuild it).
        (
            "company_step_unique",
            "EXCLUDE USING btree (step_id WITH =, company_id WITH =) WHERE ((profile_id IS NULL))",
            "Each step has one rule per company.",
        ),
    ]

    @api.model
    def _selection_family(self):
        families = self.env["qms.deadline.step"].sudo().search_fetch([], ["model_id"]).model_id
        return [(family.model, family.name) for family in families]

    @api.depends("step_id.model_id")
    def _compute_family(self):
        for rule in self:
            rule.family = rule.step_id.sudo().model_id.model

    @api.depends("step_id")
    def _compute_from_step(self):
        for rule in self:
            rule.number = rule.step_id.default_number
            rule.unit = rule.step_id.default_unit

    @api.depends("profile_id.company_id")
    def _compute_company_id(self):
        for rule in self:
            if rule.profile_id:
                rule.company_id = rule.profile_id.company_id
            elif not rule.company_id:
                rule.company_id = self.env.company

    @api.depends("step_id", "number", "unit")
    def _compute_display_name(self):
        units = dict(self._fields["unit"]._description_selection(self.env))
        for rule in self:
            rule.display_name = self.env._(
                "%(step)s: %(number)s %(unit)s",
                step=rule.step_id.name or "",
                number=rule.number,
                unit=units.get(rule.unit, ""),
            )

    # ------------------------------------------------------------------ validation
    @api.model
    def _qms_check_values(self, vals, number="number", unit="unit"):
        """Reject an unknown unit or a number ≤ 0 before anything is written, in the user's
        language (the selection field alone would raise an untranslated ValueError)."""
        if unit in vals and dl.check_rule(1, vals[unit]) == "unit":
            raise ValidationError(
                self.env._(
                    "'%(unit)s' is not a deadline unit. Use hours, working hours, days, "
                    "working days or months.",
                    unit=vals[unit],
                )
            )
        if number in vals and dl.check_rule(vals[number] or None, "hours") == "number":
            raise ValidationError(
                self.env._("Deadline settings must be greater than zero (got %(value)s).", value=vals[number])
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_values(vals)
        return super().write(vals)

    @api.constrains("company_id", "profile_id")
    def _check_company_rule_has_company(self):
        if any(not rule.company_id and not rule.profile_id for rule in self):
            raise ValidationError(self.env._("A deadline rule without a response profile needs a company."))

    # ------------------------------------------------------------------ lookup
    @api.model
    def _qms_rule_table(self, cache=None):
        """Every step's default and every rule, read once per batch (two queries) and kept in
        ``cache``: {"steps": {code: (number, unit)}, "company": {(code, company id): ...},
        "profile": {(code, profile id): ...}}. Rules are few (steps × companies + profiles)."""
        if cache is not None and "qms_deadline_rules" in cache:
            return cache["qms_deadline_rules"]
        steps = (
            self.env["qms.deadline.step"].sudo().search_fetch([], ["code", "default_number", "default_unit"])
        )
        table = {
            "steps": {step.code: (step.default_number, step.default_unit) for step in steps},
            "company": {},
            "profile": {},
        }
        rules = self.sudo().search_fetch([], ["step_id", "company_id", "profile_id", "number", "unit"])
        for rule in rules:
            code = rule.step_id.code
            if rule.profile_id:
                table["profile"][code, rule.profile_id.id] = (rule.number, rule.unit)
            else:
                table["company"][code, rule.company_id.id] = (rule.number, rule.unit)
        if cache is not None:
            cache["qms_deadline_rules"] = table
        return table

    # ------------------------------------------------------------------ settings
    @api.model
    def action_qms_company_rules(self):
        """The current company's rules, every family's steps, editable in one list."""
        company = self.env.company
        company.sudo()._qms_ensure_deadline_rules()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_deadline_rule")
        action["domain"] = [("profile_id", "=", False), ("company_id", "=", company.id)]
        action["context"] = {"group_by": ["family"], "default_company_id": company.id}
        return action

    # ------------------------------------------------------------------ migration
    @api.model
    def _qms_migrate_company_values(self, rows):
        """18.0.1.1.0: the company columns ``qms_<code>_number`` / ``qms_<code>_unit`` become
        company rules. ``rows``: one dict per company, ``id`` and the old column values."""
        steps = self.env["qms.deadline.step"].sudo().search_fetch([], ["code"])
        companies = self.env["res.company"].sudo().browse([row["id"] for row in rows])
        companies._qms_ensure_deadline_rules(steps)
        values = []
        for row in rows:
            for step in steps:
                number, unit = row.get(f"qms_{step.code}_number"), row.get(f"qms_{step.code}_unit")
                if number is not None or unit is not None:
                    values.append((step, row["id"], False, number, unit))
        return self._qms_migrate_values(values)

    @api.model
    def _qms_migrate_profile_lines(self, rows):
        """18.0.1.1.0: ``qms.response.profile.line`` rows (profile_id, step, number, unit) become
        profile rules."""
        steps = {step.code: step for step in self.env["qms.deadline.step"].sudo().search_fetch([], ["code"])}
        values = []
        for row in rows:
            if row["step"] not in steps:
                _logger.warning(
                    "Profile %s: unknown deadline step %s not migrated.", row["profile_id"], row["step"]
                )
                continue
            values.append((steps[row["step"]], False, row["profile_id"], row["number"], row["unit"]))
        return self._qms_migrate_values(values)

    @api.model
    def _qms_migrate_values(self, values):
        """Write (step, company id, profile id, number, unit) onto the matching rule, creating
        it when missing. An invalid old value keeps the default, with a warning."""
        Rule = self.sudo()
        existing = {
            (rule.step_id.id, rule.company_id.id if not rule.profile_id else False, rule.profile_id.id): rule
            for rule in Rule.search_fetch([], ["step_id", "company_id", "profile_id"])
        }
        result = Rule.browse()
        for step, company_id, profile_id, number, unit in values:
            if dl.check_rule(number, unit):
                _logger.warning(
                    "Deadline %s (company %s, profile %s): invalid old value %s %s kept at the default.",
                    step.code,
                    company_id,
                    profile_id,
                    number,
                    unit,
                )
                continue
            rule = existing.get((step.id, company_id, profile_id))
            if rule:
                rule.write({"number": number, "unit": unit})
            else:
                vals = {"step_id": step.id, "number": number, "unit": unit, "profile_id": profile_id}
                if company_id:
                    vals["company_id"] = company_id
                rule = Rule.create(vals)
            result |= rule
        return result
