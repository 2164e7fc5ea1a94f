from odoo import api, fields, models
from odoo.exceptions import UserError

SALES = "qms_customer.group_qms_sales"
GM = "qms_customer.group_qms_general_manager"
RATINGS = [("good", "Sound"), ("fair", "Fair"), ("poor", "Poor")]
# The general manager decides the candidates of a submitted plan; sales propose in a draft.
DECISION_FIELDS = {"decision", "decision_note"}


class QmsKeyAccountPlanLine(models.Model):
    """A candidate customer of a key account plan, screened on credit, performance and attitude
    (信用状况、经营业绩、合作态度), with its target revenue for the year, owner and planned actions."""

    _name = "qms.key.account.plan.line"
    _description = "Key Account Plan Candidate"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one("qms.key.account.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    tier = fields.Selection(related="partner_id.qms_tier", string="Tier")
    lifecycle = fields.Selection(related="partner_id.qms_lifecycle", string="Status")
    credit = fields.Selection(RATINGS, required=True, default="good")
    performance = fields.Selection(RATINGS, string="Business Performance", required=True, default="good")
    attitude = fields.Selection(RATINGS, string="Attitude to Cooperation", required=True, default="good")
    screening_note = fields.Text(string="Screening Notes")
    target_revenue = fields.Monetary()
    user_id = fields.Many2one(
        "res.users", string="Owner", check_company=True, domain="[('share', '=', False)]"
    )
    actions = fields.Text(string="Planned Actions")
    decision = fields.Selection(
        [("proposed", "Proposed"), ("accepted", "Accepted"), ("refused", "Not Accepted")],
        default="proposed",
        required=True,
    )
    decision_note = fields.Char(string="Management's Remark")

    _sql_constraints = [
        ("partner_unique", "unique(plan_id, partner_id)", "A customer is a candidate of a plan once."),
    ]

    def _qms_check_plan_state(self, plans, names):
        """Sales edit the candidates of a draft plan; the general manager decides those of a
        submitted one; nothing changes afterwards."""
        if self.env.su:
            return
        user = self.env.user
        for plan in plans:
            if plan.state == "draft" and not names & DECISION_FIELDS:
                continue
            if plan.state == "submitted" and names <= DECISION_FIELDS and user.has_group(GM):
                continue
            states = dict(plan._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(plan)s is %(state)s: its candidates cannot change (sales edit them in a draft, "
                    "the general manager decides them once it is submitted).",
                    plan=plan.display_name,
                    state=states[plan.state],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            names = {name for name, value in vals.items() if value and name != "plan_id"}
            names -= {"decision"} if vals.get("decision", "proposed") == "proposed" else set()
            self._qms_check_plan_state(self.env["qms.key.account.plan"].browse(vals.get("plan_id")), names)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_plan_state(self.plan_id, set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._qms_check_plan_state(self.plan_id, {"partner_id"})
