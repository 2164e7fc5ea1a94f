from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from .qms_workflow_mixin import Transition

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
GM = "qms_customer.group_qms_general_manager"


class QmsKeyAccountPlan(models.Model):
    """The yearly key account development and maintenance plan of a business unit (重要客户开发计划,
    seed 001 §3.1-3.4): sales screen candidate customers on credit, performance and attitude, name
    the development team, targets and actions, and submit; the general manager decides each
    candidate and approves, which makes the accepted candidates key accounts; the plan is closed
    at the end of its year."""

    _name = "qms.key.account.plan"
    _description = "Key Account Plan"
    _inherit = ["qms.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"
    _check_company_auto = True
    # The management representative, who reads the plans, comments on them as everyone who reads.
    _mail_post_access = "read"
    _qms_final_states = ("closed",)
    _qms_workflow_fields = (
        "state",
        "date_submitted",
        "submitted_by_id",
        "date_approved",
        "approved_by_id",
        "date_closed",
    )
    _qms_role_fields = {(SALES, GM): ("name", "year", "department_id", "user_id", "team_ids", "note")}
    _qms_transitions = {
        "submit": Transition(("draft",), (SALES,), _lt("submit")),
        "approve": Transition(("submitted",), (GM,), _lt("approve")),
        "reset": Transition(("submitted",), (GM,), _lt("send back")),
        "close": Transition(("approved",), (SALES, GM), _lt("close")),
    }

    name = fields.Char(string="Plan", required=True, tracking=True)
    year = fields.Integer(
        required=True, tracking=True, default=lambda s: fields.Date.context_today(s).year, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    department_id = fields.Many2one(
        "hr.department",
        string="Business Unit",
        check_company=True,
        tracking=True,
        help="The business unit whose plan this is; empty for the whole company.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda s: s.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    team_ids = fields.Many2many(
        "res.users",
        string="Development Team",
        check_company=True,
        domain="[('share', '=', False)]",
        help="The key account development team (重要客户开发管理团队).",
    )
    note = fields.Html(
        string="Development, Maintenance and Improvement",
        help="How the business unit develops potential customers and maintains and improves the relation "
        "with its key accounts this year.",
    )
    line_ids = fields.One2many("qms.key.account.plan.line", "plan_id", string="Candidates", copy=True)
    accepted_count = fields.Integer(compute="_compute_totals", string="Accepted")
    target_revenue = fields.Monetary(compute="_compute_totals")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("closed", "Closed")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    can_submit = fields.Boolean(compute="_compute_qms_can")
    can_approve = fields.Boolean(compute="_compute_qms_can")
    can_reset = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)

    @api.depends("line_ids.decision", "line_ids.target_revenue")
    def _compute_totals(self):
        for plan in self:
            kept = plan.line_ids.filtered(lambda line: line.decision != "refused")
            plan.accepted_count = len(kept.filtered(lambda line: line.decision == "accepted"))
            plan.target_revenue = sum(kept.mapped("target_revenue"))

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(self.env._("%(year)s is not a plan year.", year=plan.year))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(
                self.env._("A submitted key account plan is kept: close it instead of deleting it.")
            )

    # ------------------------------------------------------------------ workflow
    def action_submit(self):
        self._qms_ensure_can("submit")
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._("%(plan)s: add the candidate customers first.", plan=plan.display_name)
                )
        self._qms_workflow_write(
            {"state": "submitted", "date_submitted": fields.Datetime.now(), "submitted_by_id": self.env.uid}
        )
        for plan in self:
            managers = plan.company_id._qms_users_in(GM)
            plan._qms_system_activities(
                [
                    plan._qms_todo_vals(
                        manager,
                        plan._qms_reader(manager).env._(
                            "Approve the key account plan %(plan)s", plan=plan.name
                        ),
                    )
                    for manager in managers
                ]
            )
        return True

    def action_approve(self):
        """Approve: candidates still proposed are accepted with the plan, and every accepted
        candidate becomes a key account (written by the system, tracked on the customer)."""
        self._qms_ensure_can("approve")
        lines = self.line_ids.filtered(lambda line: line.decision == "proposed")
        lines.sudo().write({"decision": "accepted"})
        self._qms_workflow_write(
            {"state": "approved", "date_approved": fields.Datetime.now(), "approved_by_id": self.env.uid}
        )
        accepted = self.line_ids.filtered(lambda line: line.decision == "accepted").partner_id
        accepted.filtered(lambda partner: not partner.qms_key_account).sudo().write({"qms_key_account": True})
        self._qms_done_system_todos(self.env._("Approved"))
        return True

    def action_reset(self):
        """Send the plan back to sales to rework it."""
        self._qms_ensure_can("reset")
        self._qms_workflow_write({"state": "draft"})
        self._qms_done_system_todos(self.env._("Sent back"))
        return True

    def action_close(self):
        self._qms_ensure_can("close")
        self._qms_workflow_write({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------ demo
    @api.model
    def _qms_demo_key_accounts(self):
        """Demo (post-install hook): customers classified (one lost with its reason), confirmed
        orders over the two half years before the current one, this year's plan approved by the
        general manager and the evaluation of the half year that just ended computed."""
        ref = self.env.ref
        sales, gm = ref("qms_customer.user_qms_sales"), ref("qms_customer.user_qms_general_manager")
        company = sales.company_id
        evaluations = self.env["qms.key.account.evaluation"]
        today = company._qms_local_today()
        year, half = evaluations._qms_half_ended(today)
        start = date(year, 1 if half == "1" else 7, 1)
        previous = start - relativedelta(months=6)
        partner = {
            key: ref(f"qms_customer.partner_{key}")
            for key in ("huadong", "jiangnan", "xinghe", "pearl", "ningbo", "huaguang", "hengda")
        }
        bracket, housing = ref("qms_customer.product_bracket"), ref("qms_customer.product_housing")
        # (customer, product, quantity, unit price, day of the period): the previous half, then this one.
        orders = [
            ("huadong", bracket, 10000, 10.0, previous + timedelta(days=20)),
            ("jiangnan", housing, 20000, 4.0, previous + timedelta(days=45)),
            ("xinghe", bracket, 5000, 10.0, previous + timedelta(days=70)),
            ("pearl", housing, 5000, 4.0, previous + timedelta(days=90)),
            ("ningbo", bracket, 3000, 10.0, previous + timedelta(days=100)),
            ("huadong", bracket, 12000, 10.0, start + timedelta(days=15)),
            ("jiangnan", housing, 17500, 4.0, start + timedelta(days=40)),
            ("xinghe", bracket, 6500, 10.0, start + timedelta(days=60)),
            ("huaguang", housing, 2500, 4.0, start + timedelta(days=120)),
        ]
        created = self.env["sale.order"]
        for key, product, qty, price, day in orders:
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": partner[key].id,
                        "company_id": company.id,
                        "user_id": sales.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": qty, "price_unit": price}
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
            # Orders of the past: their date, no delivery left open in the warehouse.
            order.picking_ids.action_cancel()
            order.date_order = datetime.combine(day, time(2, 0))
            created |= order
        first = {}
        for order in created.sorted("date_order"):
            first.setdefault(order.partner_id, order.date_order.date())
        for customer, day in first.items():
            customer.qms_date_active = day
        for key, tier in (
            ("huadong", "a"),
            ("jiangnan", "a"),
            ("xinghe", "b"),
            ("pearl", "c"),
            ("ningbo", "c"),
        ):
            partner[key].qms_tier = tier
        (partner["huadong"] | partner["jiangnan"] | partner["xinghe"]).write({"qms_long_term": True})
        partner["ningbo"].write(
            {
                "qms_lifecycle": "lost",
                "qms_date_lost": start + timedelta(days=75),
                "qms_lost_reason": "转向低价供应商，年度招标未中标。"
                "(Moved to a cheaper supplier after the yearly tender.)",
            }
        )
        partner["hengda"].write({"qms_lifecycle": "intention", "qms_tier": "d"})

        plan = (
            self.with_user(sales)
            .with_company(company)
            .create(
                {
                    "name": f"{today.year} 重要客户开发计划 (key accounts)",
                    "year": today.year,
                    "team_ids": [Command.set([sales.id, ref("qms_customer.user_qms_sales2").id])],
                    "note": "<p>维护华东、江南两家 A 类客户，开发星河机电成为重点客户。"
                    "(Keep the two A customers, develop Xinghe into a key account.)</p>",
                    "line_ids": [
                        Command.create(
                            {
                                "partner_id": partner["huadong"].id,
                                "target_revenue": 260000,
                                "user_id": sales.id,
                                "actions": "每季度走访一次 (visit every quarter)",
                            }
                        ),
                        Command.create(
                            {
                                "partner_id": partner["jiangnan"].id,
                                "target_revenue": 150000,
                                "user_id": sales.id,
                                "actions": "新品 SH-10 送样 (sample the new SH-10)",
                            }
                        ),
                        Command.create(
                            {
                                "partner_id": partner["xinghe"].id,
                                "performance": "fair",
                                "target_revenue": 130000,
                                "user_id": sales.id,
                                "screening_note": "信用良好，业绩增长中 (good credit, growing)",
                            }
                        ),
                        Command.create(
                            {
                                "partner_id": partner["hengda"].id,
                                "credit": "poor",
                                "screening_note": "付款常延期 (pays late)",
                            }
                        ),
                    ],
                }
            )
        )
        plan.action_submit()
        plan = plan.with_user(gm)
        plan.line_ids.filtered(lambda line: line.partner_id == partner["hengda"]).write(
            {"decision": "refused", "decision_note": "信用不足 (credit too weak)"}
        )
        plan.action_approve()
        evaluation = (
            evaluations.with_user(ref("qms_customer.user_qms_management_rep"))
            .with_company(company)
            .create({"company_id": company.id, "year": year, "half": half})
        )
        evaluation.action_compute()
