from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
PRODUCTION = "qms_customer.group_qms_production"
PURCHASING = "qms_customer.group_qms_purchasing"
GM = "qms_customer.group_qms_general_manager"

REVIEW_TYPES = [("regular", "Regular Contract"), ("special", "Special Contract")]
RESULTS = [("approved", "Approved"), ("rejected", "Rejected")]
OPEN_STATES = ("review", "to_approve")
# What the customer asked for, stated or implied, and the checks before we commit (seed 000 §4.1, §4.3).
STATED = ("req_product_spec", "req_quantity", "req_order_date", "req_delivery_date", "req_after_sales")
IMPLIED = ("req_laws", "req_standards", "req_special_characteristics")
CHECKLIST = (
    *STATED,
    "stated_notes",
    *IMPLIED,
    "implied_notes",
    "oral_order",
    "oral_confirmed",
    "capability_confirmed",
    "differences_resolved",
    "differences_notes",
)
# The departments reviewing a special contract: (prefix of their fields, group).
DEPARTMENTS = {"production": PRODUCTION, "purchasing": PURCHASING}


class QmsOrderReview(models.Model):
    """One review round of a sales order (合同评审, seed 000 §4.2-4.3): the customer's stated and
    implied requirements, production's review of capacity and delivery date, purchasing and
    administration's review of materials and after-sales, and the general manager's approval.
    A regular contract is recorded as reviewed when it is confirmed; a special one needs both
    reviews and the approval first; a confirmed order whose quantity, product, price or delivery
    date changes gets a new round."""

    _name = "qms.order.review"
    _description = "Order Review"
    _inherit = ["qms.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_requested desc, id desc"
    _qms_sequence_code = "qms.order.review"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_final_states = ("approved", "rejected", "superseded")
    _qms_workflow_fields = (
        "state",
        "review_type",
        "order_snapshot",
        "change_summary",
        "requested_by_id",
        "date_requested",
        "production_result",
        "production_by_id",
        "production_date",
        "purchasing_result",
        "purchasing_by_id",
        "purchasing_date",
        "gm_result",
        "gm_by_id",
        "gm_date",
        "date_done",
        "reject_reason",
    )
    _qms_fixed_fields = ("name", "order_id")
    _qms_role_fields = {
        (SALES,): CHECKLIST,
        (PRODUCTION,): ("production_comment",),
        (PURCHASING,): ("purchasing_comment",),
        (GM,): ("gm_comment",),
    }
    _qms_transitions = {
        "production_review": Transition(("review",), (PRODUCTION,), _lt("give the production review of")),
        "purchasing_review": Transition(("review",), (PURCHASING,), _lt("give the purchasing review of")),
        "approve": Transition(("to_approve",), (GM,), _lt("approve or reject")),
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    order_id = fields.Many2one(
        "sale.order", string="Sales Order", required=True, readonly=True, index=True, ondelete="restrict"
    )
    # The order's essentials, read through the review: reviewers have no sales rights.
    order_name = fields.Char(related="order_id.name", string="Order Reference", store=True, index="trigram")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="order_id.partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True, index=True)
    date_order = fields.Datetime(related="order_id.date_order", string="Order Date")
    commitment_date = fields.Datetime(related="order_id.commitment_date", string="Delivery Date")
    client_order_ref = fields.Char(related="order_id.client_order_ref", string="Customer Reference")
    payment_term_id = fields.Many2one(related="order_id.payment_term_id")
    amount_total = fields.Monetary(related="order_id.amount_total", string="Order Total")
    currency_id = fields.Many2one(related="order_id.currency_id")
    order_state = fields.Selection(related="order_id.state", string="Order Status")
    review_type = fields.Selection(
        REVIEW_TYPES, string="Contract Type", required=True, default="special", readonly=True, tracking=True
    )
    order_snapshot = fields.Html(
        string="Order Lines Reviewed",
        readonly=True,
        sanitize_style=True,
        help="The order's lines as they were when the review was requested.",
    )
    change_summary = fields.Text(
        string="Changes Reviewed", readonly=True, help="What changed on the order since the last round."
    )
    requested_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_requested = fields.Datetime(string="Requested On", readonly=True, index=True, copy=False)

    # Stated requirements (顾客明示的要求)
    req_product_spec = fields.Boolean(string="Product Specification / Model Clear")
    req_quantity = fields.Boolean(string="Quantity Clear")
    req_order_date = fields.Boolean(string="Order Date Clear")
    req_delivery_date = fields.Boolean(string="Delivery Date Clear")
    req_after_sales = fields.Boolean(string="After-sales Requirements Clear")
    stated_notes = fields.Text(string="Stated Requirements")
    # Implied requirements (顾客隐含的要求)
    req_laws = fields.Boolean(string="Laws and Regulations Identified")
    req_standards = fields.Boolean(string="Product Standards Identified")
    req_special_characteristics = fields.Boolean(string="Special Characteristics Identified")
    implied_notes = fields.Text(string="Implied Requirements")
    oral_order = fields.Boolean(help="The customer ordered by phone or in person.")
    oral_confirmed = fields.Boolean(
        string="Oral Order Confirmed in Writing", help="The customer confirmed the oral order in writing."
    )
    capability_confirmed = fields.Boolean(help="We can meet every requirement.")
    differences_resolved = fields.Boolean(help="Differences between the enquiry and the order are resolved.")
    differences_notes = fields.Text(string="Differences and Agreements")
    checklist_complete = fields.Boolean(compute="_compute_checklist_complete")

    production_result = fields.Selection(RESULTS, string="Production Review", readonly=True, tracking=True)
    production_comment = fields.Text(help="Capacity and delivery date.")
    production_by_id = fields.Many2one("res.users", string="Production Reviewer", readonly=True)
    production_date = fields.Datetime(string="Production Reviewed On", readonly=True)
    purchasing_result = fields.Selection(RESULTS, string="Purchasing Review", readonly=True, tracking=True)
    purchasing_comment = fields.Text(help="Materials and after-sales service.")
    purchasing_by_id = fields.Many2one("res.users", string="Purchasing Reviewer", readonly=True)
    purchasing_date = fields.Datetime(string="Purchasing Reviewed On", readonly=True)
    gm_result = fields.Selection(RESULTS, string="General Manager's Approval", readonly=True, tracking=True)
    gm_comment = fields.Text(string="General Manager's Comment")
    gm_by_id = fields.Many2one("res.users", string="Approved By", readonly=True)
    gm_date = fields.Datetime(string="Approved On", readonly=True)

    state = fields.Selection(
        [
            ("review", "Department Review"),
            ("to_approve", "Waiting for Approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
        ],
        default="review",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    date_done = fields.Datetime(string="Decided On", readonly=True, copy=False)
    reject_reason = fields.Text(string="Reason for Rejection", readonly=True, copy=False)
    cycle_days = fields.Float(
        string="Cycle Time (Days)", compute="_compute_cycle_days", help="From the request to the decision."
    )
    waiting_for_me = fields.Boolean(compute="_compute_waiting_for_me", search="_search_waiting_for_me")
    can_production_review = fields.Boolean(compute="_compute_can_review")
    can_purchasing_review = fields.Boolean(compute="_compute_can_review")
    can_approve = fields.Boolean(compute="_compute_qms_can")

    # ------------------------------------------------------------------ computes
    @api.depends(
        *STATED, *IMPLIED, "oral_order", "oral_confirmed", "capability_confirmed", "differences_resolved"
    )
    def _compute_checklist_complete(self):
        for review in self:
            review.checklist_complete = not review._qms_checklist_missing()

    def _qms_checklist_missing(self):
        """Labels of the checks still open: the requirements are clear, an oral order is confirmed
        in writing, we can meet them and the differences are resolved (seed 000 §4.3 a-d)."""
        names = [*STATED, *IMPLIED, "capability_confirmed", "differences_resolved"]
        if self.oral_order:
            names.append("oral_confirmed")
        return [self._fields[name]._description_string(self.env) for name in names if not self[name]]

    @api.depends("date_requested", "date_done")
    def _compute_cycle_days(self):
        for review in self:
            if review.date_requested and review.date_done:
                review.cycle_days = round(
                    (review.date_done - review.date_requested).total_seconds() / 86400, 2
                )
            else:
                review.cycle_days = 0.0

    @api.depends("state", "production_result", "purchasing_result")
    @api.depends_context("uid")
    def _compute_can_review(self):
        for department in DEPARTMENTS:
            allowed = self._qms_may(f"{department}_review")
            for review in self:
                review[f"can_{department}_review"] = (
                    allowed and review.state == "review" and not review[f"{department}_result"]
                )

    @api.depends_context("uid")
    def _compute_waiting_for_me(self):
        mine = self.filtered_domain(self._search_waiting_for_me("=", True))
        mine.waiting_for_me = True
        (self - mine).waiting_for_me = False

    def _search_waiting_for_me(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search “Waiting for Me” with = or != and a yes/no value only."))
        user = self.env.user
        parts = []
        for department, group in DEPARTMENTS.items():
            if user.has_group(group):
                parts.append(["&", ("state", "=", "review"), (f"{department}_result", "=", False)])
        if user.has_group(GM):
            parts.append([("state", "=", "to_approve")])
        domain = (
            ["|"] * (len(parts) - 1) + [term for part in parts for term in part] if parts else [(0, "=", 1)]
        )
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------ guards
    def write(self, vals):
        if not self.env.su and qms_changing(self, CHECKLIST, vals):
            closed = self.filtered(lambda r: r.state not in OPEN_STATES)
            if closed:
                self._qms_check_access_first(False)
                raise UserError(
                    self.env._(
                        "%(review)s is decided: its checklist can no longer change.",
                        review=closed[:1].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Order reviews are the record of the contract review: they are never deleted.")
        )

    # ------------------------------------------------------------------ rounds
    @api.model
    def _qms_snapshot(self, order):
        """The order's lines as a table: what this round reviews."""
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s %s</td><td class='text-end'>%s</td></tr>")
            % (
                line.product_id.display_name or line.name,
                line.product_uom_qty,
                line.product_uom.name,
                line.price_unit,
            )
            for line in order.order_line
            if not line.display_type and not line.is_downpayment
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Product"), self.env._("Quantity"), self.env._("Unit Price"), rows)

    @api.model
    def _qms_open_round(self, orders, change_summary=None):
        """A new review round for each order, with its checklist filled from what the order says;
        the open round it replaces is superseded. The reviewers get a to-do each."""
        if not orders:
            return self.browse()
        current = orders.sudo().qms_review_ids.filtered(lambda r: r.state in OPEN_STATES)
        current.sudo()._qms_supersede()
        now = fields.Datetime.now()
        vals_list = [
            {
                "order_id": order.id,
                "review_type": order.qms_review_type,
                "order_snapshot": self._qms_snapshot(order),
                "change_summary": change_summary and change_summary.get(order.id),
                "requested_by_id": self.env.uid,
                "date_requested": now,
                "req_product_spec": all(
                    order.order_line.filtered(lambda line: not line.display_type).product_id
                ),
                "req_quantity": bool(order.order_line)
                and all(line.product_uom_qty > 0 for line in order.order_line if not line.display_type),
                "req_order_date": bool(order.date_order),
                "req_delivery_date": bool(order.commitment_date),
            }
            for order in orders
        ]
        reviews = self.sudo().create(vals_list).sudo(self.env.su)
        reviews._qms_ask_departments()
        return reviews

    @api.model
    def _qms_record_regular(self, orders):
        """A regular contract confirmed: its round is recorded as reviewed by its data (seed 000
        §4.2: a standard product in stock or in plan, price and payment stated)."""
        if not orders:
            return self.browse()
        now = fields.Datetime.now()
        return (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(
                [
                    {
                        "order_id": order.id,
                        "review_type": "regular",
                        "order_snapshot": self._qms_snapshot(order),
                        "requested_by_id": self.env.uid,
                        "date_requested": now,
                        "date_done": now,
                        "state": "approved",
                    }
                    for order in orders
                ]
            )
        )

    def _qms_supersede(self):
        self._qms_workflow_write({"state": "superseded"})
        self._qms_done_system_todos(self.env._("The order changed: a new review round replaces this one."))

    def _qms_ask_departments(self):
        """One to-do per reviewer of each department still to review, in the reviewer's language."""
        todos = []
        for review in self:
            for department, group in DEPARTMENTS.items():
                if review[f"{department}_result"]:
                    continue
                for user in review.company_id._qms_users_in(group):
                    reader = review._qms_reader(user)
                    todos.append(
                        reader._qms_todo_vals(
                            user,
                            reader.env._(
                                "Review order %(order)s of %(customer)s",
                                order=review.sudo().order_id.name,
                                customer=review.partner_id.name,
                            ),
                        )
                    )
        self._qms_system_activities(todos)

    def _qms_ask_approval(self):
        todos = []
        for review in self:
            for user in review.company_id._qms_users_in(GM):
                reader = review._qms_reader(user)
                todos.append(
                    reader._qms_todo_vals(
                        user,
                        reader.env._(
                            "Approve the contract review of order %(order)s",
                            order=review.sudo().order_id.name,
                        ),
                    )
                )
        self._qms_system_activities(todos)

    # ------------------------------------------------------------------ department reviews
    def _qms_department_review(self, department, result):
        self.ensure_one()
        name, result_field, comment_field = (
            f"{department}_{suffix}" for suffix in ("review", "result", "comment")
        )
        self._qms_ensure_role(name)
        if self.state == "review" and self[result_field]:
            label = self._fields[result_field]._description_string(self.env)
            raise UserError(
                self.env._(
                    "%(review)s already has its %(department)s: it cannot be given twice.",
                    review=self.display_name,
                    department=label,
                )
            )
        self._qms_ensure_state(name)
        comment = (self[comment_field] or "").strip()
        if result == "rejected" and not comment:
            label = self._fields[comment_field]._description_string(self.env)
            raise UserError(
                self.env._(
                    "Write in %(field)s why %(review)s is rejected: sales tell the customer.",
                    field=label,
                    review=self.display_name,
                )
            )
        self._qms_workflow_write(
            {
                f"{department}_result": result,
                f"{department}_by_id": self.env.uid,
                f"{department}_date": fields.Datetime.now(),
            }
        )
        group_users = self.company_id._qms_users_in(DEPARTMENTS[department])
        self._qms_done_system_todos(self.env._("Reviewed."), users=group_users)
        if result == "rejected":
            self._qms_reject(comment)
        elif self.production_result == "approved" and self.purchasing_result == "approved":
            self._qms_workflow_write({"state": "to_approve"})
            self._qms_ask_approval()
        return True

    def action_production_approve(self):
        return self._qms_department_review("production", "approved")

    def action_production_reject(self):
        return self._qms_department_review("production", "rejected")

    def action_purchasing_approve(self):
        return self._qms_department_review("purchasing", "approved")

    def action_purchasing_reject(self):
        return self._qms_department_review("purchasing", "rejected")

    # ------------------------------------------------------------------ approval
    def _qms_gm_decide(self, result):
        self.ensure_one()
        self._qms_ensure_role("approve")
        if self.state == "review":
            raise UserError(
                self.env._(
                    "%(review)s waits for the reviews of production and of purchasing and administration: "
                    "it can be approved once both departments approved it.",
                    review=self.display_name,
                )
            )
        self._qms_ensure_state("approve")
        comment = (self.gm_comment or "").strip()
        if result == "approved":
            missing = self._qms_checklist_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "The checklist of %(review)s is not complete: %(missing)s.",
                        review=self.display_name,
                        missing=self._qms_join(missing),
                    )
                )
        elif not comment:
            raise UserError(
                self.env._(
                    "Write in %(field)s why %(review)s is rejected: sales tell the customer.",
                    field=self._fields["gm_comment"]._description_string(self.env),
                    review=self.display_name,
                )
            )
        now = fields.Datetime.now()
        self._qms_workflow_write({"gm_result": result, "gm_by_id": self.env.uid, "gm_date": now})
        self._qms_done_system_todos(self.env._("Decided."))
        if result == "rejected":
            return self._qms_reject(comment)
        self._qms_workflow_write({"state": "approved", "date_done": now})
        message = self.env._(
            "Contract review %(review)s approved by %(user)s.", review=self.name, user=self.env.user.name
        )
        self._qms_system_post(message)
        self.order_id._qms_system_post(message)
        return True

    def action_approve(self):
        return self._qms_gm_decide("approved")

    def action_reject(self):
        return self._qms_gm_decide("rejected")

    def _qms_reject(self, reason):
        """The round ends rejected; the order shows it with the reason, its salesperson is told."""
        self._qms_workflow_write(
            {"state": "rejected", "date_done": fields.Datetime.now(), "reject_reason": reason}
        )
        self._qms_done_system_todos(self.env._("The review was rejected."))
        message = self.env._(
            "Contract review %(review)s rejected by %(user)s: %(reason)s",
            review=self.name,
            user=self.env.user.name,
            reason=reason,
        )
        self._qms_system_post(message)
        self.order_id._qms_system_post(message)
        salesperson = self.user_id
        if salesperson and salesperson.active and not salesperson.share:
            reader = self._qms_reader(salesperson)
            self._qms_system_activities(
                [
                    reader._qms_todo_vals(
                        salesperson,
                        reader.env._(
                            "Order %(order)s rejected in review: tell the customer",
                            order=self.sudo().order_id.name,
                        ),
                        note=reason,
                    )
                ]
            )
        return True

    # ------------------------------------------------------------------ navigation
    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ demo
    @api.model
    def _qms_demo_order_reviews(self):
        """Demo contract reviews (post-install hook, as the demo users): a regular order confirmed
        as usual, a special order both departments approved waiting for the general manager, one
        production rejected, and a confirmed order whose quantity changed, reviewed again."""
        ref = self.env.ref
        sales = ref("qms_customer.user_qms_sales")
        production = ref("qms_customer.user_qms_production")
        purchasing = ref("qms_customer.user_qms_purchasing")
        company = sales.company_id
        thirty_days = ref("account.account_payment_term_30days")

        def as_user(records, user):
            return records.with_user(user).with_context(lang=user.lang).with_company(company)

        def order(partner, product, qty, days):
            return as_user(self.env["sale.order"], sales).create(
                {
                    "partner_id": ref(partner).id,
                    "user_id": sales.id,
                    "payment_term_id": thirty_days.id,
                    "commitment_date": fields.Datetime.now() + timedelta(days=days),
                    "order_line": [Command.create({"product_id": ref(product).id, "product_uom_qty": qty})],
                }
            )

        regular = order("qms_customer.partner_huadong", "qms_customer.product_caliper", 200, 20)
        regular.action_confirm()

        special = order("qms_customer.partner_huadong", "qms_customer.product_caliper_custom", 300, 45)
        review = self.browse(special.action_qms_request_review()["res_id"])
        review = as_user(review, sales)
        review.write(
            {
                **dict.fromkeys(STATED + IMPLIED + ("capability_confirmed", "differences_resolved"), True),
                "stated_notes": "锌镍镀层 8-12 µm，盐雾 720 h；按客户图纸 BC-200-Z 版本 B。"
                "(Zinc-nickel 8-12 µm, 720 h salt spray, customer drawing rev. B.)",
                "implied_notes": "符合 GB 12981 及 RoHS。(GB 12981 and RoHS.)",
            }
        )
        as_user(review, production).write(
            {"production_comment": "产能可满足，45 天交货。(Capacity OK, 45 days.)"}
        )
        as_user(review, production).action_production_approve()
        as_user(review, purchasing).write(
            {"purchasing_comment": "镀层外协已询价。(Coating subcontractor quoted.)"}
        )
        as_user(review, purchasing).action_purchasing_approve()

        rejected = order("qms_customer.partner_xinghe", "qms_customer.product_caliper_custom", 5000, 10)
        review = self.browse(rejected.action_qms_request_review()["res_id"])
        as_user(review, production).write(
            {
                "production_comment": "10 天内无法完成 5000 件镀层件。"
                "(5 000 coated parts cannot be made in 10 days.)"
            }
        )
        as_user(review, production).action_production_reject()

        changed = order("qms_customer.partner_jiangnan", "qms_customer.product_seal", 5000, 15)
        changed.action_confirm()
        as_user(changed, sales).order_line.product_uom_qty = 8000
