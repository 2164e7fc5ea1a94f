import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing
from .res_partner import FILE_OWNER

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

GM = "qms_customer.group_qms_general_manager"
# The deadline step of a review: how long the file owner has once the review is due (seed 001).
REVIEW_STEP = "customer_file_review"
DEFAULT_REVIEW_MONTHS = 6
RESULTS = [
    ("unchanged", "Unchanged"),
    ("updated", "Updated"),
    ("credit_changed", "Credit Status Changed"),
    ("inactive", "Customer No Longer Active"),
]


class QmsCustomerFileReview(models.Model):
    """The half-year review of a confidential customer file (客户档案半年评审, seed 001): due when
    the file was not reviewed within the company's interval (6 months), chased by the deadline
    engine, completed by a customer file owner with its result and the changes made. Readable only
    by the file owners and the general manager, like the file itself."""

    _name = "qms.customer.file.review"
    _description = "Customer File Review"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "review_deadline desc, id desc"
    _qms_sequence_code = "qms.customer.file.review"
    _check_company_auto = True
    _qms_closed_states = ("done", "cancelled")
    _qms_final_states = ("done", "cancelled")
    _qms_deadline_specs = (DeadlineSpec("review_deadline", "date_reviewed", "date_start", "user_id"),)
    _qms_workflow_fields = ("state", "date_start", "date_reviewed", "reviewer_id", "cancel_reason")
    _qms_fixed_fields = ("name", "partner_id")
    _qms_role_fields = {(FILE_OWNER, GM): ("user_id", "result", "changes")}
    _qms_transitions = {
        "complete": Transition(("pending",), (FILE_OWNER, GM), _lt("complete")),
        "cancel": Transition(("pending",), (FILE_OWNER,), _lt("cancel")),
    }
    _qms_review_batch = 500

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    can_complete = fields.Boolean(compute="_compute_qms_can")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="The customer file owner who reviews the file (the file is confidential: not the "
        "customer's salesperson).",
    )
    date_start = fields.Datetime(
        string="Due Since",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        help="When the review fell due: the file had not been reviewed within the review interval.",
    )
    review_deadline = fields.Datetime(
        string="Review Due By",
        compute="_compute_review_deadline",
        store=True,
        index=True,
        copy=False,
        help="The file owner completes the review within this time (Settings › Deadline Rules).",
    )
    review_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    result = fields.Selection(RESULTS, tracking=True)
    changes = fields.Text(help="What was checked and what changed in the file (credit, scale, contacts...).")
    date_reviewed = fields.Datetime(string="Reviewed On", readonly=True, copy=False, tracking=True)
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        [("pending", "To Review"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="pending",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    cancel_reason = fields.Text(readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    _sql_constraints = [
        (
            "one_pending_review",
            "EXCLUDE (partner_id WITH =) WHERE (state = 'pending')",
            "A customer file has one pending review at a time.",
        ),
    ]

    @api.depends("date_start", "partner_id", "company_id")
    def _compute_review_deadline(self):
        cache = {}
        for review in self:
            if review.date_start and review.company_id:
                review.review_deadline = review.company_id._qms_deadline(
                    REVIEW_STEP, review.date_start, review.partner_id, cache
                )
            else:
                review.review_deadline = False

    def _qms_escalation_users(self):
        """An overdue review goes to the general manager: the file is not the quality managers'."""
        return self._qms_company()._qms_users_in(GM) or super()._qms_escalation_users()

    @api.model
    def _qms_overdue_rows(self, company, now):
        """Only what the reader may read: the overdue report as a quality manager leaves them out."""
        if not self.has_access("read"):
            return []
        return super()._qms_overdue_rows(company, now)

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse({v["partner_id"] for v in vals_list if v.get("partner_id")})
        for vals in vals_list:
            partner = partners.browse(vals.get("partner_id"))
            if partner and partner.commercial_partner_id != partner:
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)

    def write(self, vals):
        locked = qms_changing(self, ("result", "changes", "user_id"), vals) and self.filtered(
            lambda r: r.state != "pending"
        )
        if locked and not self.env.su:
            self._qms_check_access_first(False)
            raise UserError(
                self.env._(
                    "%(review)s is no longer pending: %(fields)s can no longer change.",
                    review=locked[:1].display_name,
                    fields=self._qms_labels(set(vals) & {"result", "changes", "user_id"}),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Customer file reviews are kept: cancel a review with a reason instead."))

    # ------------------------------------------------------------------ workflow
    def action_complete(self):
        """The file owner reviewed the file: date, reviewer, result and changes are recorded, and
        the customer's file is marked reviewed that day."""
        self._qms_ensure_can("complete")
        for review in self:
            if not review.result:
                raise UserError(self.env._("Choose the result of the review %s first.", review.name))
            if review.result != "unchanged" and not (review.changes or "").strip():
                raise UserError(
                    self.env._("Describe what changed in the customer file in %s first.", review.name)
                )
        now = fields.Datetime.now()
        self._qms_workflow_write({"state": "done", "date_reviewed": now, "reviewer_id": self.env.uid})
        for review in self:
            review.partner_id._qms_file_reviewed(review.company_id._qms_local_today())
        self._qms_done_system_todos(self.env._("Reviewed."))
        return True

    def action_cancel(self):
        result = super().action_cancel()
        self._qms_done_system_todos(self.env._("Cancelled."))
        return result

    # ------------------------------------------------------------------ scheduled action
    @api.model
    def _cron_qms_file_reviews(self):
        """Open the half-year reviews that fell due, then chase the review deadlines."""
        self._cron_qms_plan_file_reviews()
        return self._qms_cron_deadlines()

    @api.model
    def _cron_qms_plan_file_reviews(self):
        """For each company, one pending review for every active customer whose file was not
        reviewed within the company's interval (a file never reviewed counts from the customer's
        creation) and has no pending review: set-based, in batches. Running it twice opens
        nothing more; a customer that fails is logged and retried by the next run."""
        created = self.browse()
        for company in self.env["res.company"].sudo().search_fetch([], ["qms_file_review_months"]):
            try:
                with self.env.cr.savepoint():
                    created |= self.sudo()._qms_plan_company_file_reviews(company)
            except Exception:
                _logger.exception("QMS customer file reviews failed for company %s", company.name)
        return created

    @api.model
    def _qms_due_file_domain(self, company, failed=()):
        today = company._qms_local_today()
        cutoff = today - relativedelta(months=company.qms_file_review_months or DEFAULT_REVIEW_MONTHS)
        return [
            ("customer_rank", ">", 0),
            ("parent_id", "=", False),
            ("company_id", "in", [company.id, False]),
            ("id", "not in", list(failed)),
            "|",
            ("qms_file_date_reviewed", "<", cutoff),
            "&",
            ("qms_file_date_reviewed", "=", False),
            ("create_date", "<", company._qms_local_to_utc(cutoff)),
            ("qms_file_review_ids", "not any", [("state", "=", "pending")]),
        ]

    @api.model
    def _qms_plan_company_file_reviews(self, company):
        partners_model = self.env["res.partner"].sudo()
        owner = company._qms_users_in(FILE_OWNER).sorted("id")[:1]
        created, failed = self.browse(), set()
        while True:
            partners = partners_model.search(
                self._qms_due_file_domain(company, failed), order="id", limit=self._qms_review_batch
            )
            if not partners:
                return created
            vals_list = [
                {"partner_id": partner.id, "company_id": company.id, "user_id": owner.id}
                for partner in partners
            ]
            try:
                with self.env.cr.savepoint():
                    batch = self.with_company(company).create(vals_list)
            except Exception:
                _logger.warning(
                    "QMS customer file reviews: a batch failed in %s; retried one by one", company.name
                )
                batch = self.browse()
                for vals in vals_list:
                    try:
                        with self.env.cr.savepoint():
                            batch |= self.with_company(company).create(vals)
                    except Exception:
                        _logger.exception(
                            "QMS customer file review failed for customer %s", vals["partner_id"]
                        )
                        failed.add(vals["partner_id"])
            batch._qms_ask_to_review()
            created |= batch

    def _qms_ask_to_review(self):
        """A to-do for the responsible file owner of each new review, due on its deadline's day."""
        todos = []
        for review in self.filtered("user_id"):
            user = review.user_id
            reader = review._qms_reader(user)
            todos.append(
                reader._qms_todo_vals(
                    user,
                    reader.env._("Half-year review of the customer file of %s", review.partner_id.name),
                    date_deadline=review.review_deadline
                    and review._qms_local_date(review.review_deadline, user),
                )
            )
        if todos:
            self._qms_system_activities(todos)

    # ------------------------------------------------------------------ demo
    @api.model
    def _qms_demo_customer_files(self):
        """Demo files (post-install hook, as the file owner): 华东汽车零部件's approved, 江南家电's
        changed by the general manager and waiting for approval again, and 星河机电's half-year
        review pending."""
        ref = self.env.ref
        keeper = ref("qms_customer.user_qms_customer_file")
        company = keeper.company_id
        partners = (
            self.env["res.partner"].with_user(keeper).with_context(lang=keeper.lang).with_company(company)
        )
        huadong = partners.browse(ref("qms_customer.partner_huadong").id)
        huadong.write(
            {
                "qms_file_credit_status": "good",
                "qms_file_credit_notes": "信用额度 500 万元，月结 60 天。(Credit limit CNY 5 M, 60 days.)",
                "qms_file_production_process": "冲压、机加工、总装、路试。(Stamping, machining, assembly.)",
                "qms_file_scale": "员工 3200 人，年产整车 30 万辆。(3,200 staff, 300k cars/year.)",
                "qms_file_materials": "铸铁制动钳、铝合金支架。(Cast-iron calipers, aluminium brackets.)",
                "qms_file_investment": "2024 年新建总装二线，投资 8 亿元。(New line, CNY 800 M.)",
                "qms_file_transaction_notes": "2019 年起合作，年采购 1200 万元。(Since 2019, 12 M/yr.)",
            }
        )
        huadong.action_qms_file_approve()
        jiangnan = partners.browse(ref("qms_customer.partner_jiangnan").id)
        jiangnan.write(
            {
                "qms_file_credit_status": "good",
                "qms_file_scale": "员工 1800 人，年产冰箱 200 万台。(1,800 staff, 2 M fridges/year.)",
                "qms_file_materials": "橡胶密封圈、冲压支架。(Rubber seals, stamped brackets.)",
            }
        )
        jiangnan.action_qms_file_approve()
        # The general manager notes late payments: the file waits for the file owner's approval again.
        gm = ref("qms_customer.user_qms_general_manager")
        jiangnan.with_user(gm).with_context(lang=gm.lang).write(
            {
                "qms_file_credit_status": "watch",
                "qms_file_credit_notes": "上季度两笔货款逾期 30 天。(Two payments 30 days late.)",
            }
        )
        xinghe = ref("qms_customer.partner_xinghe")
        self.sudo().with_company(company).create(
            {
                "partner_id": xinghe.id,
                "company_id": company.id,
                "user_id": keeper.id,
                "date_start": fields.Datetime.now() - relativedelta(days=3),
            }
        )._qms_ask_to_review()
