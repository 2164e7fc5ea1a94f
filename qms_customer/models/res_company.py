import logging
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..tools import deadline as dl

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    qms_complaint_signoff = fields.Selection(
        [("general_manager", "General Manager"), ("quality_manager", "Quality Manager")],
        string="Complaint Closure Sign-off",
        default="general_manager",
        required=True,
        help="Whose sign-off a complaint needs before it can be closed.",
    )
    qms_default_quality_user_id = fields.Many2one(
        "res.users",
        string="Default Quality Engineer",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Analyses a new complaint whose customer has no earlier complaint with a quality " "engineer.",
    )
    qms_defect_anomaly_permille = fields.Float(
        string="Market Quality Anomaly Above (‰)",
        default=3.0,
        help="A complaint whose defects exceed this share of the delivered quantity raises a market "
        "quality anomaly report.",
    )
    qms_defect_special_percent = fields.Float(
        string="Special Quality Report Above (%)",
        default=1.0,
        help="Above this defect rate, or for a recurrence, a special quality report is required.",
    )
    qms_recurrence_months = fields.Integer(
        string="Recurrence Window (Months)",
        default=12,
        help="A complaint of the same customer and product with the same cause category within this "
        "many months is a recurrence.",
    )
    qms_due_soon_percent = fields.Float(
        string="Due Soon Threshold (%)",
        default=25.0,
        help="A deadline is 'due soon' when this share of its window is left; the "
        "responsible person then gets a reminder activity.",
    )

    qms_sample_expiry_notice_days = fields.Integer(
        string="Sample Expiry Notice (Days)",
        default=30,
        help="This many days before a sealed sample expires, its keeper gets a reminder to have it "
        "replaced and signed again with the customer.",
    )
    qms_sample_verification_notice_days = fields.Integer(
        string="Sample Verification Notice (Days)",
        default=14,
        help="This many days before a sample's verification is due, its keeper gets a reminder.",
    )

    qms_property_maintenance_notice_days = fields.Integer(
        string="Property Maintenance Notice (Days)",
        default=14,
        help="This many days before a customer's mould, gauge or equipment is due for maintenance, its "
        "keeper gets a reminder.",
    )

    qms_return_qm_limit = fields.Float(
        string="Quality Manager Approves Up To (kg)",
        default=100.0,
        help="Batch returns up to this total weight are approved by the quality manager.",
    )
    qms_return_chief_limit = fields.Float(
        string="Chief Engineer Approves Up To (kg)",
        default=1000.0,
        help="Heavier returns, up to this weight, are reviewed by the quality manager and approved by "
        "the chief engineer; above it quality organises a review with the technical department first.",
    )
    qms_return_new_months = fields.Integer(
        string="New Customer / Product Window (Months)",
        default=12,
        help="A customer first delivered to, or a product first delivered, within this many months is "
        "new: the technical department then joins the review of a chief-engineer return.",
    )
    qms_return_weight_tolerance = fields.Float(
        string="Return Weight Tolerance (%)",
        default=2.0,
        help="How far the weighed weight of returned goods may differ from the return list.",
    )

    qms_satisfaction_period = fields.Selection(
        [("yearly", "Yearly (October)"), ("quarterly", "Quarterly")],
        string="Satisfaction Survey",
        default="yearly",
        required=True,
        help="How often a customer satisfaction campaign is prepared: every October, or every quarter.",
    )
    qms_satisfaction_sample_percent = fields.Float(
        string="Sampled Long-term Customers (%)",
        default=70.0,
        help="At least this share of the long-term customers that are not key accounts is surveyed "
        "(every long-term key account is).",
    )
    qms_satisfaction_threshold = fields.Float(
        string="Acceptable Satisfaction Score",
        default=60.0,
        help="A customer scoring below this (out of 100), or rating any item poor, is dissatisfied and "
        "is visited.",
    )
    qms_satisfaction_drop = fields.Float(
        string="Score Drop for Corrective Action",
        default=10.0,
        help="A customer's score falling by more than this many points against the previous campaign "
        "calls for a corrective action.",
    )
    qms_satisfaction_response_percent = fields.Float(
        string="Minimum Response Rate (%)",
        default=50.0,
        help="The campaign warns when fewer answers than this came back by its due date.",
    )

    # Off in a company until it adopts the procedure: Odoo's own sales flow (its salespeople, its
    # e-commerce, an integration) confirms orders as before in the companies that do not.
    qms_order_review = fields.Boolean(
        string="Contract Review",
        help="Special contracts (not a standard product, not in stock or planned, no price, payment terms "
        "or packaging) are confirmed only once production, purchasing and administration and the general "
        "manager approved their review; regular ones are recorded as reviewed at confirmation, and changes "
        "of confirmed orders are reviewed again.",
    )
    qms_file_review_months = fields.Integer(
        string="Customer File Review (Months)",
        default=6,
        help="A customer file not reviewed within this many months gets a half-year review for the "
        "customer file owners.",
    )

    _QMS_POSITIVE_SETTINGS = (
        "qms_return_qm_limit",
        "qms_return_chief_limit",
        "qms_return_new_months",
        "qms_defect_anomaly_permille",
        "qms_defect_special_percent",
        "qms_recurrence_months",
        "qms_sample_expiry_notice_days",
        "qms_sample_verification_notice_days",
        "qms_property_maintenance_notice_days",
        "qms_satisfaction_threshold",
    )

    @api.model
    def _qms_check_rule_values(self, vals):
        """Reject invalid QMS settings before anything is written, in the user's language.
        (Deadline numbers and units are ``qms.deadline.rule`` records, checked there.)"""
        for key, value in vals.items():
            if key in self._QMS_POSITIVE_SETTINGS and (not value or value <= 0):
                raise ValidationError(
                    self.env._("This setting must be greater than zero (got %(value)s).", value=value)
                )
            if key == "qms_due_soon_percent" and not 0 < (value or 0) < 100:
                raise ValidationError(self.env._("The due-soon threshold must be between 0 and 100 %."))
            if key == "qms_return_weight_tolerance" and not 0 <= (value or 0) < 100:
                raise ValidationError(self.env._("The weight tolerance must be between 0 and 100 %."))
            if key in ("qms_satisfaction_sample_percent", "qms_satisfaction_response_percent") and not (
                0 < (value or 0) <= 100
            ):
                raise ValidationError(self.env._("A share of customers must be above 0 and at most 100 %."))
            if key == "qms_satisfaction_drop" and (value or 0) < 0:
                raise ValidationError(self.env._("The score drop cannot be negative."))

    @api.constrains("qms_return_qm_limit", "qms_return_chief_limit")
    def _check_return_limits(self):
        for company in self:
            if company.qms_return_chief_limit <= company.qms_return_qm_limit:
                raise ValidationError(
                    self.env._(
                        "The chief engineer's return limit (%(chief)s kg) must be above the quality "
                        "manager's (%(qm)s kg).",
                        chief=company.qms_return_chief_limit,
                        qm=company.qms_return_qm_limit,
                    )
                )

    @api.constrains("qms_file_review_months")
    def _check_qms_file_review_months(self):
        for company in self:
            if not 1 <= company.qms_file_review_months <= 24:
                raise ValidationError(
                    self.env._(
                        "Customer files are reviewed every 1 to 24 months (got %(value)s).",
                        value=company.qms_file_review_months,
                    )
                )

    def _qms_return_tier(self, weight):
        """Who approves a batch return of ``weight`` kg: up to and including each limit."""
        self.ensure_one()
        rounding = 0.000001
        if tools.float_compare(weight, self.qms_return_qm_limit, precision_rounding=rounding) <= 0:
            return "quality_manager"
        if tools.float_compare(weight, self.qms_return_chief_limit, precision_rounding=rounding) <= 0:
            return "chief_engineer"
        return "review"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_rule_values(vals)
        companies = super().create(vals_list)
        companies.sudo()._qms_ensure_deadline_rules()
        return companies

    def write(self, vals):
        self._qms_check_rule_values(vals)
        return super().write(vals)

    def _qms_ensure_deadline_rules(self, steps=None):
        """Give each company a rule at the step's default for every step (all steps when
        ``steps`` is None) it has none for: on install, for a new company, from the settings."""
        if steps is None:
            steps = self.env["qms.deadline.step"].sudo().search_fetch([], ["default_number", "default_unit"])
        Rule = self.env["qms.deadline.rule"].sudo()
        if not self or not steps:
            return Rule
        existing = set(
            Rule._read_group(
                [("profile_id", "=", False), ("company_id", "in", self.ids), ("step_id", "in", steps.ids)],
                ["step_id", "company_id"],
            )
        )
        return Rule.create(
            [
                {
                    "step_id": step.id,
                    "company_id": company.id,
                    "number": step.default_number,
                    "unit": step.default_unit,
                }
                for company in self
                for step in steps
                if (step, company) not in existing
            ]
        )

    def _qms_deadline_rule(self, step, partner=None, cache=None):
        """(number, unit) for the step code ``step``: the customer's response profile wins over
        the company's rule, which wins over the step's default. ``cache`` (a dict) keeps every
        rule of the batch, read once."""
        self.ensure_one()
        table = self.env["qms.deadline.rule"]._qms_rule_table(cache)
        profile = partner and partner.commercial_partner_id.sudo().qms_response_profile_id
        rule = (profile and table["profile"].get((step, profile.id))) or table["company"].get((step, self.id))
        if rule:
            return rule
        if step not in table["steps"]:
            raise UserError(self.env._("No deadline step %(step)s is declared.", step=step))
        return table["steps"][step]

    def _qms_deadline(self, step, start, partner=None, cache=None):
        """Deadline (naive UTC) of ``step`` started at ``start`` (naive UTC) for ``partner``.
        ``cache`` (a dict) shares the rules and the calendar's working time between the calls
        of one batch."""
        self.ensure_one()
        number, unit = self._qms_deadline_rule(step, partner, cache)
        return self._qms_add_duration(start, number, unit, cache)

    def _qms_add_duration(self, start, number, unit, cache=None):
        self.ensure_one()
        if unit not in dl.WORKING_UNITS:
            return dl.add_period(start, number, unit)
        calendar = self.resource_calendar_id
        if not calendar:
            raise UserError(
                self.env._(
                    "Company %(company)s has no working-time calendar, so working-time "
                    "deadlines cannot be computed. Set one in its settings.",
                    company=self.name,
                )
            )
        # Working time runs in the calendar's own time zone, with its public holidays.
        tz = pytz.timezone(calendar.tz or "UTC")
        hours = dl.working_hours(number, unit, calendar.hours_per_day)
        end = self._qms_plan_hours(calendar, hours, pytz.utc.localize(start).astimezone(tz), cache)
        if not end:
            raise UserError(
                self.env._(
                    "Calendar %(calendar)s has no working time after %(start)s.",
                    calendar=calendar.name,
                    start=start,
                )
            )
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    _QMS_WINDOW_DAYS = 14

    @api.model
    def _qms_plan_hours(self, calendar, hours, start, cache=None):
        """``calendar.plan_hours(hours, start, compute_leaves=True)``, with the calendar's working
        intervals (public holidays deducted) read per 14-day window and kept in ``cache``: a batch
        of 2 000 complaints then reads each window once, not once per deadline."""
        if cache is None or hours < 0:
            return calendar.plan_hours(hours, start, compute_leaves=True)
        windows = cache.setdefault(("qms_work_intervals", calendar.id), {})
        tz = pytz.timezone(calendar.tz or "UTC")
        first = start.date().toordinal() // self._QMS_WINDOW_DAYS
        for index in range(first, first + 100):
            if index not in windows:
                day = date.fromordinal(index * self._QMS_WINDOW_DAYS)
                window_start = tz.localize(datetime.combine(day, time.min))
                window_end = tz.localize(
                    datetime.combine(day + timedelta(days=self._QMS_WINDOW_DAYS), time.min)
                )
                intervals = calendar._work_intervals_batch(window_start, window_end)[False]
                windows[index] = [(begin, stop) for begin, stop, _meta in intervals]
            for begin, stop in windows[index]:
                if stop <= start:
                    continue
                begin = max(begin, start)
                interval_hours = (stop - begin).total_seconds() / 3600
                if hours <= interval_hours:
                    return begin + timedelta(hours=hours)
                hours -= interval_hours
        return False

    def _qms_tz(self):
        return pytz.timezone(self.resource_calendar_id.tz or "UTC")

    def _qms_local_today(self):
        """Today in the company's working-time zone."""
        self.ensure_one()
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._qms_tz()).date()

    def _qms_local_to_utc(self, day):
        """Midnight of ``day`` in the company's zone, as naive UTC."""
        self.ensure_one()
        local = self._qms_tz().localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _qms_first_working_day(self, day):
        """The first day of ``day``'s month with working time in the company calendar (holidays
        excluded); the 1st when the company has no calendar."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        first = day.replace(day=1)
        if not calendar:
            return first
        tz = self._qms_tz()
        start = tz.localize(datetime.combine(first, time.min))
        end = tz.localize(datetime.combine(first + relativedelta(months=1), time.min))
        intervals = calendar._work_intervals_batch(start, end)[False]
        return min((begin.date() for begin, _end, _meta in intervals), default=first)

    def _qms_users_in(self, group_xmlid):
        """Active internal users of the group ``group_xmlid`` who work in this company (OdooBot
        never: it is the system)."""
        self.ensure_one()
        # ir.model.data lookups are cached (env.ref would query each time: this runs per record).
        ref = self.env["ir.model.data"]._xmlid_to_res_id
        group = self.env["res.groups"].browse(ref(group_xmlid))
        root = self.env["res.users"].browse(ref("base.user_root"))
        return group.sudo().users.filtered(
            lambda u: self in u.company_ids and not u.share and u.active and u != root
        )

    def _qms_quality_managers(self):
        """Active quality managers who work in this company (escalation recipients). The
        administrator holds the role by default: it receives them only when nobody else does."""
        self.ensure_one()
        admin = self.env["res.users"].browse(self.env["ir.model.data"]._xmlid_to_res_id("base.user_admin"))
        users = self._qms_users_in("qms_customer.group_qms_quality_manager")
        if users - admin:
            return users - admin
        _logger.warning(
            "Company %s has no quality manager: escalations and reports go to the administrator.",
            self.display_name,
        )
        return admin
