from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_return_approval import ROLE_GROUPS
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
WAREHOUSE = "qms_customer.group_qms_warehouse"
QUALITY = "qms_customer.group_qms_quality"
QUALITY_MANAGER = "qms_customer.group_qms_quality_manager"
CHIEF = "qms_customer.group_qms_chief_engineer"
SALES_QUALITY = (SALES, QUALITY)
DECIDING_STATES = ("quality_check", "approval")
TIERS = [
    ("quality_manager", "Quality Manager"),
    ("chief_engineer", "Chief Engineer"),
    ("review", "Review with Technical"),
]


class QmsReturnRequest(models.Model):
    """Goods a customer sends back (REQUIREMENTS §5): requested by sales from what was
    delivered, confirmed by quality, approved by the role its total weight calls for."""

    _name = "qms.return.request"
    _description = "Return Request"
    _inherit = ["qms.deadline.mixin", "qms.action.source", "mail.thread", "mail.activity.mixin"]
    _order = "date_requested desc, id desc"
    _qms_sequence_code = "qms.return.request"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("rejected", "refused", "done", "cancelled")
    _qms_final_states = ("rejected", "refused", "done", "cancelled")

    _qms_deadline_specs = (
        DeadlineSpec("approval_deadline", "date_decided", "date_step_start", "approval_user_id"),
        DeadlineSpec("disposition_deadline", "date_disposed", "date_received", "quality_user_id"),
        DeadlineSpec("supplier_deadline", "date_supplier_replaced", "date_disposed", "quality_user_id"),
    )
    _qms_workflow_fields = (
        "state",
        "requested_by_id",
        "date_submitted",
        "date_step_start",
        "approval_deadline",
        "date_decided",
        "new_customer",
        "new_product",
        "date_received",
        "inspection_result",
        "inspected_by_id",
        "date_inspected",
        "disposition_deadline",
        "date_disposed",
        "concession_approved_by_id",
        "date_concession_approved",
        "supplier_deadline",
        "date_supplier_replaced",
        "replacement_order_id",
        "credit_note_id",
        "cancel_reason",
    )
    _qms_fixed_fields = ("name", "date_requested")
    _qms_role_fields = {(QUALITY,): ("quality_note", "inspection_note")}
    _qms_transitions = {
        "submit": Transition(("draft",), SALES_QUALITY, _lt("submit")),
        "decide": Transition(DECIDING_STATES, (), _lt("decide on")),
        "ask_general_manager": Transition(
            DECIDING_STATES, (SALES, QUALITY, CHIEF), _lt("ask the general manager about")
        ),
        "create_receipt": Transition(("approved",), (SALES, QUALITY, WAREHOUSE), _lt("receive")),
        "inspect": Transition(("received",), (QUALITY,), _lt("inspect")),
        "approve_concession": Transition(
            ("inspected",), (QUALITY_MANAGER,), _lt("approve the concession of")
        ),
        "dispose": Transition(("inspected",), (QUALITY,), _lt("dispose of")),
        "supplier_replaced": Transition(
            ("disposed",), (QUALITY,), _lt("record the supplier's replacement of")
        ),
        "close": Transition(("disposed",), (QUALITY,), _lt("close")),
        "replace": Transition(("received", "inspected", "disposed", "done"), SALES_QUALITY, _lt("replace")),
        "cancel": Transition(
            ("draft", "quality_check", "approval", "approved"), SALES_QUALITY, _lt("cancel")
        ),
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    can_submit = fields.Boolean(compute="_compute_qms_can")
    can_decide = fields.Boolean(compute="_compute_can_decide")
    can_ask_general_manager = fields.Boolean(compute="_compute_qms_can")
    can_create_receipt = fields.Boolean(compute="_compute_qms_can")
    can_inspect = fields.Boolean(compute="_compute_qms_can")
    can_approve_concession = fields.Boolean(compute="_compute_qms_can")
    can_dispose = fields.Boolean(compute="_compute_qms_can")
    can_supplier_replaced = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    can_replace = fields.Boolean(compute="_compute_qms_can")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("quality_check", "Quality Check"),
            ("approval", "Approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("receiving", "Receiving"),
            ("received", "Goods Received"),
            ("refused", "Receipt Refused"),
            ("inspected", "Inspected"),
            ("disposed", "Disposed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda s: s.env.company)
    date_requested = fields.Datetime(
        string="Requested On", required=True, index=True, default=fields.Datetime.now, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Responsible",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
    )
    quality_user_id = fields.Many2one(
        "res.users",
        string="Quality Engineer",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_quality_user_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        help="Confirms the anomaly of a batch return; defaults to the complaint's quality engineer.",
    )
    kind = fields.Selection(
        [("exchange", "Exchange of a Few Units"), ("batch", "Batch Return")],
        required=True,
        default="batch",
        tracking=True,
        help="Exchange: a few nonconforming units swapped after agreeing with the customer, without "
        "weight review. Batch: the whole batch comes back; quality confirms the anomaly and the "
        "weight decides who approves.",
    )
    complaint_id = fields.Many2one(
        "qms.complaint",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    reason = fields.Text(string="Reason for Return")
    quality_note = fields.Text(
        string="Quality's Finding", help="What quality found when confirming the anomaly."
    )
    line_ids = fields.One2many("qms.return.request.line", "request_id", string="Lines", copy=True)
    # Shown to who may read deliveries and orders (quality reads deliveries, not orders).
    picking_ids = fields.Many2many(
        "stock.picking",
        "qms_return_request_picking_rel",
        string="Deliveries",
        compute="_compute_origins",
        store=True,
        groups="sales_team.group_sale_salesman,stock.group_stock_user,qms_customer.group_qms_quality",
    )
    sale_order_ids = fields.Many2many(
        "sale.order",
        "qms_return_request_sale_order_rel",
        string="Sales Orders",
        compute="_compute_origins",
        store=True,
        groups="sales_team.group_sale_salesman,stock.group_stock_user",
    )
    total_weight = fields.Float(
        string="Total Weight (kg)", compute="_compute_total_weight", store=True, digits=(16, 3)
    )
    approval_tier = fields.Selection(
        TIERS,
        compute="_compute_approval_tier",
        store=True,
        index=True,
        help="Who approves, by total weight (Settings › Customer Quality › Returns).",
    )
    new_customer = fields.Boolean(
        readonly=True, help="The customer's first delivery falls within the new-customer window."
    )
    new_product = fields.Boolean(
        readonly=True, help="A returned product was first delivered within the new-product window."
    )
    approval_ids = fields.One2many("qms.return.approval", "request_id", string="Approvals", readonly=True)
    pending_approval_id = fields.Many2one(
        "qms.return.approval", string="Pending Step", compute="_compute_pending_approval", store=True
    )
    approval_user_id = fields.Many2one(
        related="pending_approval_id.user_id", string="Pending Approver", store=True, index=True
    )
    requested_by_id = fields.Many2one("res.users", readonly=True)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True)
    date_step_start = fields.Datetime(string="Current Step Since", readonly=True)
    approval_deadline = fields.Datetime(string="Approval Step Deadline", readonly=True, index=True)
    approval_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    date_decided = fields.Datetime(string="Decided On", readonly=True)
    receipt_ids = fields.One2many("stock.picking", "qms_return_request_id", string="Receipts", readonly=True)
    receipt_count = fields.Integer(compute="_compute_receipt_count")
    disposition_count = fields.Integer(compute="_compute_receipt_count")
    scrap_count = fields.Integer(compute="_compute_receipt_count")
    date_received = fields.Datetime(string="Received On", readonly=True)
    inspection_result = fields.Selection(
        [("defect", "Defect Confirmed"), ("no_trouble", "No Trouble Found")],
        readonly=True,
        help="Quality's conclusion on the returned goods.",
    )
    inspection_note = fields.Text(help="What quality found; where the analysis samples went.")
    inspected_by_id = fields.Many2one("res.users", readonly=True)
    date_inspected = fields.Datetime(string="Inspected On", readonly=True)
    disposition_deadline = fields.Datetime(readonly=True, index=True, help="One month after receipt.")
    disposition_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    date_disposed = fields.Datetime(string="Disposed On", readonly=True)
    concession_approved_by_id = fields.Many2one("res.users", readonly=True)
    date_concession_approved = fields.Datetime(string="Concession Approved On", readonly=True)
    supplier_deadline = fields.Datetime(
        string="Supplier Replacement Deadline", readonly=True, index=True, help="One month after disposition."
    )
    supplier_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    date_supplier_replaced = fields.Datetime(string="Supplier Replaced On", readonly=True)
    disposition_picking_ids = fields.One2many(
        "stock.picking",
        "qms_disposition_request_id",
        string="Disposition Transfers",
        readonly=True,
        groups="stock.group_stock_user,sales_team.group_sale_salesman,qms_customer.group_qms_quality",
    )
    scrap_ids = fields.One2many(
        "stock.scrap",
        "qms_return_request_id",
        string="Scrap Orders",
        readonly=True,
        groups="stock.group_stock_user,qms_customer.group_qms_quality",
    )
    replacement_order_id = fields.Many2one("sale.order", readonly=True, copy=False)
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    days_to_dispose = fields.Float(
        string="Days to Dispose", compute="_compute_days_to_dispose", digits=(16, 1)
    )
    cancel_reason = fields.Text(readonly=True)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id")
    def _compute_user_id(self):
        for request in self:
            if not request.user_id:
                request.user_id = request.partner_id.sudo().user_id or self.env.user

    @api.depends("complaint_id")
    def _compute_quality_user_id(self):
        for request in self:
            if not request.quality_user_id:
                request.quality_user_id = (
                    request.complaint_id.quality_user_id or request.company_id.qms_default_quality_user_id
                )

    @api.depends("line_ids.picking_id", "line_ids.sale_order_id")
    def _compute_origins(self):
        for request in self:
            request.picking_ids = [Command.set(request.line_ids.picking_id.ids)]
            request.sale_order_ids = [Command.set(request.line_ids.sale_order_id.ids)]

    @api.depends("line_ids.line_weight")
    def _compute_total_weight(self):
        for request in self:
            request.total_weight = sum(request.line_ids.mapped("line_weight"))

    @api.depends("total_weight", "kind")
    def _compute_approval_tier(self):
        for request in self:
            request.approval_tier = request.company_id._qms_return_tier(request.total_weight)

    @api.depends("approval_ids.decision", "approval_ids.sequence")
    def _compute_pending_approval(self):
        for request in self:
            pending = request.approval_ids.filtered(lambda a: a.decision == "pending")
            request.pending_approval_id = pending.sorted(lambda a: (a.sequence, a.id))[:1]

    @api.depends("state", "pending_approval_id")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        for request in self:
            request.can_decide = bool(request._qms_step_for_user())

    def _compute_receipt_count(self):
        """The stock documents of each request, counted as the system: a salesperson or the general
        manager reads the request, not always its transfers."""

        def count(model, field):
            return dict(self.env[model].sudo()._read_group([(field, "in", self.ids)], [field], ["__count"]))

        receipts = count("stock.picking", "qms_return_request_id")
        transfers = count("stock.picking", "qms_disposition_request_id")
        scraps = count("stock.scrap", "qms_return_request_id")
        for request in self:
            request.receipt_count = receipts.get(request, 0)
            request.disposition_count = transfers.get(request, 0)
            request.scrap_count = scraps.get(request, 0)

    def action_view_disposition_transfers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action.update(domain=[("qms_disposition_request_id", "=", self.id)], context={"create": False})
        return action

    def action_view_scraps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_stock_scrap")
        action.update(domain=[("qms_return_request_id", "=", self.id)], context={"create": False})
        return action

    @api.depends("date_received", "date_disposed")
    def _compute_days_to_dispose(self):
        for request in self:
            if request.date_received and request.date_disposed:
                request.days_to_dispose = (
                    request.date_disposed - request.date_received
                ).total_seconds() / 86400
            else:
                request.days_to_dispose = 0.0

    # ------------------------------------------------------------------ submission
    def action_submit(self):
        """Sales hand the request over: an exchange is settled at once, a batch return goes to
        quality to confirm the anomaly, then to the approvers its weight calls for."""
        self._qms_ensure_can("submit")
        self.check_access("write")
        for request in self:
            request._qms_check_complete()
        now = fields.Datetime.now()
        for request in self:
            vals = {"requested_by_id": self.env.uid, "date_submitted": now}
            if request.kind == "exchange":
                vals.update(state="approved", date_decided=now)
                request.sudo()._qms_workflow_write(vals)
                request._qms_system_post(
                    request.env._(
                        "Exchange of a few units agreed with the customer: no weight review needed."
                    )
                )
                continue
            vals.update(request._qms_newness())
            vals["state"] = "quality_check"
            request.sudo()._qms_workflow_write(vals)
            request.sudo().write({"approval_ids": [Command.create(v) for v in request._qms_approval_plan()]})
            request._qms_start_step()
        return True

    def _qms_check_complete(self):
        """Everything the procedure needs before anyone decides, listed in one message."""
        self.ensure_one()
        problems = []
        if not self.line_ids:
            problems.append(self.env._("Add the delivered lines the customer returns."))
        if self.kind == "batch":
            if not (self.reason or "").strip():
                problems.append(self.env._("Give the reason for the batch return."))
            if not self.complaint_id:
                problems.append(self.env._("Link the complaint this batch return comes from."))
        unweighed = self.line_ids.filtered(lambda line: not line.unit_weight).product_id
        if unweighed:
            problems.append(
                self.env._(
                    "Set the weight of %(products)s (product form, Inventory tab): the approval depends "
                    "on the total weight.",
                    products=self._qms_join(unweighed.mapped("display_name")),
                )
            )
        if problems:
            raise UserError(
                self.env._("%(request)s cannot be submitted yet:", request=self.display_name)
                + "\n- "
                + "\n- ".join(problems)
            )
        # Quantities may have been taken by another request meanwhile.
        self.line_ids._check_qty_delivered()

    def _qms_newness(self):
        """Whether the customer, or a returned product, was first delivered within the company's
        window (months): the chief engineer's tier then asks the technical department to review."""
        self.ensure_one()
        since = fields.Datetime.now() - relativedelta(months=self.company_id.qms_return_new_months)
        MoveLine = self.env["stock.move.line"].sudo()
        base = [
            ("state", "=", "done"),
            ("picking_code", "=", "outgoing"),
            ("company_id", "=", self.company_id.id),
        ]
        first_customer = MoveLine._read_group(
            base + [("picking_partner_id", "child_of", self.partner_id.id)], [], ["date:min"]
        )[0][0]
        products = self.line_ids.product_id
        first_products = MoveLine._read_group(
            base + [("product_id", "in", products.ids)], ["product_id"], ["date:min"]
        )
        return {
            "new_customer": bool(first_customer and first_customer >= since),
            "new_product": any(first >= since for _product, first in first_products if first),
        }

    def _qms_approval_plan(self):
        """The steps of this batch return, in order (REQUIREMENTS §5)."""
        self.ensure_one()
        weight = self.env._("Total weight %(weight)s kg", weight=round(self.total_weight, 3))
        steps = [("quality", "anomaly", self.env._("Batch return: quality confirms the anomaly"))]
        if self.approval_tier == "quality_manager":
            steps.append(("quality_manager", "approval", weight))
        elif self.approval_tier == "chief_engineer":
            steps.append(("quality_manager", "review", weight))
            newness = [
                label
                for flag, label in (
                    (self.new_customer, self.env._("new customer")),
                    (self.new_product, self.env._("new product")),
                )
                if flag
            ]
            if newness:
                steps.append(("technical", "review", self._qms_join(newness)))
            steps.append(("chief_engineer", "approval", weight))
        else:
            steps.append(("quality", "review", self.env._("%s: quality organises the review", weight)))
            steps.append(("technical", "review", weight))
            steps.append(("chief_engineer", "approval", weight))
        return [
            {
                "sequence": 10 * (index + 1),
                "role": role,
                "purpose": purpose,
                "reason": reason,
                "user_id": False,
            }
            for index, (role, purpose, reason) in enumerate(steps)
        ]

    # ------------------------------------------------------------------ steps
    def _qms_role_users(self, role):
        """Who holds ``role`` in the request's company, the requester excepted: those for whom it
        is their own role first (a chief engineer is technical too, a quality manager is quality),
        the administrator last."""
        self.ensure_one()
        users = (
            self.env.ref(ROLE_GROUPS[role])
            .sudo()
            .users.filtered(
                lambda u: self.company_id in u.company_ids
                and u.active
                and not u.share
                and u not in self._qms_requesters()
            )
        )
        above = {"technical": CHIEF, "quality": "qms_customer.group_qms_quality_manager"}.get(role)
        plain = users.filtered(lambda u: not u.has_group(above)) if above else users
        admin = self.env.ref("base.user_admin")
        return (plain - admin) or (users - admin) or users

    def _qms_requesters(self):
        return self.requested_by_id | self.user_id

    def _qms_start_step(self):
        """Give the pending step its approver, deadline and to-do."""
        self.ensure_one()
        self.invalidate_recordset(["pending_approval_id"])
        step = self.pending_approval_id
        if not step:
            return
        if not step.user_id:
            engineer = self.quality_user_id if self.quality_user_id not in self._qms_requesters() else False
            user = (step.role == "quality" and engineer) or self._qms_role_users(step.role)[:1]
            if not user:
                raise UserError(
                    self.env._(
                        "Nobody in %(company)s holds the role %(role)s: ask the administrator to give it "
                        "to someone before submitting %(request)s.",
                        company=self.company_id.display_name,
                        role=dict(step._fields["role"]._description_selection(self.env))[step.role],
                        request=self.display_name,
                    )
                )
            step.sudo().user_id = user
        now = fields.Datetime.now()
        deadline = self.company_id._qms_deadline("return_approval_step", now, self.partner_id)
        self.sudo()._qms_workflow_write({"date_step_start": now, "approval_deadline": deadline})
        if step.role != "general_manager":  # asked earlier: their to-do already stands
            self._qms_step_activity(step, deadline)

    def _qms_step_activity(self, step, deadline):
        user = step.user_id
        local = self._qms_reader(user)
        purpose = dict(step._fields["purpose"]._description_selection(local.env))[step.purpose]
        self._qms_system_activities(
            [
                self._qms_todo_vals(
                    user,
                    local.env._("%(purpose)s of return %(request)s", purpose=purpose, request=self.name),
                    date_deadline=fields.Datetime.context_timestamp(local, deadline).date(),
                    note=Markup("<p>%s</p>") % (step.reason or ""),
                    activity_type=self.env.ref("qms_customer.mail_activity_qms_return_approval"),
                )
            ]
        )

    def _qms_step_for_user(self, user=None):
        """The step the user may decide now: the general manager's once asked (the last word),
        else the pending step when the user holds its role; never on one's own request."""
        self.ensure_one()
        user = user or self.env.user
        if self.state not in DECIDING_STATES or user in self._qms_requesters():
            return self.env["qms.return.approval"]
        pending = self.approval_ids.filtered(lambda a: a.decision == "pending")
        general = pending.filtered(lambda a: a.role == "general_manager")
        if general and user.has_group(ROLE_GROUPS["general_manager"]):
            return general[:1]
        step = self.pending_approval_id
        decided = self.approval_ids.decided_by_id
        if (
            step
            and step.role != "general_manager"
            and user.has_group(ROLE_GROUPS[step.role])
            and user not in decided
        ):
            return step
        return self.env["qms.return.approval"]

    def action_open_decision(self):
        self.ensure_one()
        self._qms_ensure_decider()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide on %s", self.name),
            "res_model": "qms.return.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def _qms_ensure_decider(self):
        self._qms_ensure_can("decide")
        self.check_access("read")
        if self.env.user in self._qms_requesters() and not self.env.su:
            raise UserError(
                self.env._("%s is your own request: somebody else decides on it.", self.display_name)
            )
        step = self._qms_step_for_user()
        if not step and self.env.user in self.approval_ids.decided_by_id:
            raise UserError(
                self.env._(
                    "You already decided a step of %s: the next step is somebody else's.", self.display_name
                )
            )
        if not step:
            pending = self.pending_approval_id
            roles = dict(pending._fields["role"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(request)s waits for the %(role)s: you cannot decide this step.",
                    request=self.display_name,
                    role=roles.get(pending.role, "-"),
                )
            )
        return step

    def action_decide(self, decision, comment=""):
        """Record the user's decision on the step they may decide, then move on."""
        self.ensure_one()
        step = self._qms_ensure_decider()
        comment = (comment or "").strip()
        if decision not in ("approved", "rejected"):
            raise UserError(self.env._("Approve or reject."))
        if decision == "rejected" and not comment:
            raise UserError(self.env._("Say why you reject %s.", self.display_name))
        now = fields.Datetime.now()
        step.sudo().write(
            {"decision": decision, "decided_by_id": self.env.uid, "date_decided": now, "comment": comment}
        )
        self._qms_close_step_activities(step, comment)
        labels = dict(step._fields["decision"]._description_selection(self.env))
        self._qms_system_post(
            self.env._(
                "%(step)s: %(decision)s by %(user)s. %(comment)s",
                step=step.reason or step.role,
                decision=labels[decision],
                user=self.env.user.name,
                comment=comment,
            )
        )
        self._qms_after_decision(step)
        return True

    def _qms_after_decision(self, step):
        pending = self.approval_ids.filtered(lambda a: a.decision == "pending")
        general_waits = pending.filtered(lambda a: a.role == "general_manager")
        if step.decision == "rejected" and general_waits and pending - general_waits:
            # Rejected, but the general manager was asked: only their word is still awaited.
            (pending - general_waits).sudo().write({"decision": "superseded"})
            self._qms_close_step_activities(pending - general_waits, "")
        final = step.role == "general_manager" or (step.decision == "rejected" and not general_waits)
        if final or not pending:
            if pending:
                pending.sudo().write({"decision": "superseded"})
                self._qms_close_step_activities(pending, "")
            state = "approved" if step.decision == "approved" else "rejected"
            self.sudo()._qms_workflow_write({"state": state, "date_decided": fields.Datetime.now()})
            self._qms_announce_decision(state)
            return
        if self.state == "quality_check" and step.purpose == "anomaly":
            self.sudo()._qms_workflow_write({"state": "approval"})
        self._qms_start_step()

    def _qms_close_step_activities(self, steps, feedback):
        activities = self.activity_ids.sudo().filtered(
            lambda a: a.activity_type_id == self.env.ref("qms_customer.mail_activity_qms_return_approval")
            and a.user_id in steps.user_id
        )
        if activities:
            activities.action_feedback(feedback=feedback or None)

    def _qms_announce_decision(self, state):
        """The requester learns the outcome in their inbox (no e-mail address needed)."""
        partners = self._qms_requesters().partner_id
        labels = dict(self._fields["state"]._description_selection(self.env))
        self._qms_system_post(
            self.env._("Return %(request)s is %(state)s.", request=self.name, state=labels[state]),
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def action_ask_general_manager(self):
        """The general manager is asked to decide: their decision settles the request."""
        self._qms_ensure_can("ask_general_manager")
        self.check_access("read")
        for request in self:
            if request.approval_ids.filtered(
                lambda a: a.role == "general_manager" and a.decision == "pending"
            ):
                raise UserError(
                    self.env._("The general manager is already asked to decide on %s.", request.display_name)
                )
            manager = request._qms_role_users("general_manager")[:1]
            if not manager:
                raise UserError(
                    self.env._("Nobody in %s is general manager.", request.company_id.display_name)
                )
            reason = self.env._("Asked by %s", self.env.user.name)
            step = request.approval_ids.sudo().create(
                {
                    "request_id": request.id,
                    "sequence": 1000,
                    "role": "general_manager",
                    "purpose": "decision",
                    "reason": reason,
                    "user_id": manager.id,
                }
            )
            deadline = request.company_id._qms_deadline(
                "return_approval_step", fields.Datetime.now(), request.partner_id
            )
            request._qms_step_activity(step, deadline)
        return True

    # ------------------------------------------------------------------ receipt
    def action_create_receipt(self):
        """Odoo's own return of each delivery, for the listed quantities and lots, into the
        warehouse's returns location; the warehouse checks it before validating."""
        self._qms_ensure_can("create_receipt")
        self.check_access("read")
        for request in self:
            receipts = request.sudo()._qms_create_receipts()
            request.sudo()._qms_workflow_write({"state": "receiving"})
            request._qms_receipt_activity(receipts)
        if len(self) == 1:
            return self.action_view_receipts()
        return True

    def _qms_create_receipts(self):
        self.ensure_one()
        receipts = self.env["stock.picking"]
        for picking in self.line_ids.picking_id:
            lines = self.line_ids.filtered(lambda line, p=picking: line.picking_id == p)
            wizard = (
                self.env["stock.return.picking"]
                .with_context(
                    active_id=picking.id, active_model="stock.picking", qms_return_request_id=self.id
                )
                .create({"picking_id": picking.id})
            )
            for return_line in wizard.product_return_moves:
                mine = lines.filtered(lambda line, m=return_line.move_id: line.move_line_id.move_id == m)
                return_line.quantity = sum(mine.mapped("qty_return"))
            receipt = wizard._create_return()
            receipt._qms_set_listed_lots(lines)
            receipts |= receipt
        return receipts

    def _qms_receipt_activity(self, receipts):
        user = self._qms_role_users("warehouse")[:1]
        if user:
            summary = self._qms_reader(user).env._("Check and receive return %s", self.name)
            self._qms_system_activities([self._qms_todo_vals(user, summary, record=r) for r in receipts])

    def action_view_receipts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("qms_return_request_id", "=", self.id)]
        action["context"] = {"create": False}
        receipts = self.sudo().receipt_ids
        if len(receipts) == 1:
            action.update(views=[(False, "form")], res_id=receipts.id, view_mode="form")
        return action

    def _qms_receipt_refused(self, picking, reason):
        """The warehouse refused the goods: the request ends refused and quality is told."""
        self.ensure_one()
        self.receipt_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        self._qms_workflow_write({"state": "refused"})
        self._qms_system_post(
            self.env._(
                "Receipt %(receipt)s refused by the warehouse: %(reason)s",
                receipt=picking.name,
                reason=reason,
            )
        )
        user = self.quality_user_id or self._qms_role_users("quality")[:1]
        if user:
            summary = self._qms_reader(user).env._("Return %s refused at receipt", self.name)
            self._qms_system_activities(
                [self._qms_todo_vals(user, summary, note=Markup("<p>%s</p>") % reason)]
            )

    def _qms_receipts_done(self):
        """Every receipt validated: the goods wait in the returns location, to be processed."""
        for request in self.filtered(lambda r: r.state == "receiving"):
            if all(p.state in ("done", "cancel") for p in request.receipt_ids) and any(
                p.state == "done" for p in request.receipt_ids
            ):
                now = fields.Datetime.now()
                deadline = request.company_id._qms_deadline("return_disposition", now, request.partner_id)
                request._qms_workflow_write(
                    {"state": "received", "date_received": now, "disposition_deadline": deadline}
                )

    # ------------------------------------------------------------------ inspection
    def action_inspect(self):
        """Quality's conclusion on the received goods, from the quantities on the lines."""
        self._qms_ensure_can("inspect")
        self.check_access("write")
        for request in self:
            result = self.env.context.get("qms_inspection_result") or request.inspection_result
            if result not in ("defect", "no_trouble"):
                raise UserError(
                    self.env._("Choose the result of the inspection: defect confirmed or no trouble found.")
                )
            request._qms_check_inspection(result)
            request.sudo()._qms_workflow_write(
                {
                    "state": "inspected",
                    "inspection_result": result,
                    "inspected_by_id": self.env.uid,
                    "date_inspected": fields.Datetime.now(),
                }
            )
            request._qms_samples_to_complaint()
        return True

    def action_inspect_defect(self):
        return self.with_context(qms_inspection_result="defect").action_inspect()

    def action_inspect_no_trouble(self):
        return self.with_context(qms_inspection_result="no_trouble").action_inspect()

    def _qms_check_inspection(self, result):
        problems = []
        for line in self.line_ids:
            rounding = line.product_uom_id.rounding or 0.01
            for name in ("qty_defect", "qty_sample"):
                value = line[name]
                if (
                    float_compare(value, 0.0, precision_rounding=rounding) < 0
                    or float_compare(value, line.qty_received, precision_rounding=rounding) > 0
                ):
                    problems.append(
                        self.env._(
                            "%(product)s: %(field)s must be between 0 and the %(received)s received.",
                            product=line.product_id.display_name,
                            field=line._fields[name]._description_string(self.env),
                            received=line.qty_received,
                        )
                    )
        if result == "defect" and not any(self.line_ids.mapped("qty_defect")):
            problems.append(self.env._("Enter the defective quantity confirmed on at least one line."))
        if problems:
            raise UserError("\n".join(problems))

    def _qms_samples_to_complaint(self):
        """The analysis samples are recorded on the complaint the return comes from."""
        sampled = self.line_ids.filtered("qty_sample")
        if self.complaint_id and sampled:
            local = self.complaint_id.with_context(lang=self.company_id.partner_id.lang or self.env.lang)
            local._qms_system_post(
                local.env._(
                    "Samples for analysis taken from return %(request)s: %(samples)s.",
                    request=self.name,
                    samples=self._qms_join(
                        [
                            f"{line.product_id.display_name} {line.lot_id.name or ''} × {line.qty_sample:g}"
                            for line in sampled
                        ]
                    ),
                )
            )

    # ------------------------------------------------------------------ disposition
    def action_approve_concession(self):
        """The quality manager approves using the concession quantities as they are."""
        self._qms_ensure_can("approve_concession")
        self.check_access("read")
        for request in self:
            if not any(request.line_ids.mapped("qty_concession")):
                raise UserError(
                    self.env._("%s has no quantity to use under concession.", request.display_name)
                )
            if self.env.user in request._qms_requesters():
                raise UserError(
                    self.env._("%s is your own request: somebody else decides on it.", request.display_name)
                )
            request.sudo()._qms_workflow_write(
                {"concession_approved_by_id": self.env.uid, "date_concession_approved": fields.Datetime.now()}
            )
        return True

    def action_dispose(self):
        """Each disposition becomes its stock operation, started from the request: rework (an
        internal transfer back to stock once re-inspected, and a corrective action), scrap, the
        approved concession, and the supplier's return with its replacement deadline."""
        self._qms_ensure_can("dispose")
        self.check_access("write")
        for request in self:
            request._qms_check_disposition()
            request.sudo()._qms_dispose()
        return True

    def _qms_check_disposition(self):
        self.ensure_one()
        problems = []
        for line in self.line_ids:
            rounding = line.product_uom_id.rounding or 0.01
            parts = [line.qty_rework, line.qty_scrap, line.qty_concession, line.qty_supplier]
            label = line.product_id.display_name + (f" ({line.lot_id.name})" if line.lot_id else "")
            if any(float_compare(part, 0.0, precision_rounding=rounding) < 0 for part in parts):
                problems.append(self.env._("%s: a disposed quantity cannot be negative.", label))
            if float_compare(line.qty_scrap, line.qty_received, precision_rounding=rounding) > 0:
                problems.append(
                    self.env._(
                        "%(line)s: %(scrap)s to scrap, but only %(received)s received.",
                        line=label,
                        scrap=line.qty_scrap,
                        received=line.qty_received,
                    )
                )
            if float_compare(sum(parts), line.qty_received, precision_rounding=rounding):
                problems.append(
                    self.env._(
                        "%(line)s: rework, scrap, concession and supplier make %(total)s, not the "
                        "%(received)s received.",
                        line=label,
                        total=sum(parts),
                        received=line.qty_received,
                    )
                )
            if line.qty_supplier and not line.supplier_id:
                problems.append(self.env._("%s: name the supplier who takes the parts back.", label))
        if any(self.line_ids.mapped("qty_concession")) and not self.date_concession_approved:
            problems.append(self.env._("The concession needs the quality manager's approval first."))
        if problems:
            raise UserError("\n".join(problems))

    def _qms_dispose(self):
        self.ensure_one()
        warehouse = self.receipt_ids.picking_type_id.warehouse_id[:1]
        returns = warehouse.qms_return_location_id
        now = fields.Datetime.now()
        rework = self._qms_transfer("qty_rework", warehouse.int_type_id, returns, warehouse.lot_stock_id)
        concession = self._qms_transfer(
            "qty_concession", warehouse.int_type_id, returns, warehouse.lot_stock_id
        )
        if concession:
            concession._qms_validate_all()
        self._qms_scrap(returns)
        suppliers = self.env["stock.picking"]
        vendor = self.env.ref("stock.stock_location_suppliers")
        for supplier in self.line_ids.filtered("qty_supplier").supplier_id:
            suppliers |= self._qms_transfer(
                "qty_supplier", warehouse.out_type_id, returns, vendor, supplier=supplier
            )
        vals = {"state": "disposed", "date_disposed": now}
        if suppliers:
            vals["supplier_deadline"] = self.company_id._qms_deadline(
                "return_supplier_replacement", now, self.partner_id
            )
        self._qms_workflow_write(vals)
        self._qms_disposition_actions(rework, suppliers, vals.get("supplier_deadline"))

    def _qms_transfer(self, quantity_field, picking_type, source, destination, supplier=None):
        """A transfer of the lines' ``quantity_field`` from ``source`` to ``destination``."""
        lines = self.line_ids.filtered(
            lambda line: line[quantity_field] and (not supplier or line.supplier_id == supplier)
        )
        if not lines:
            return self.env["stock.picking"]
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": (supplier or self.partner_id).id,
                "origin": self.name,
                "company_id": self.company_id.id,
                "qms_disposition_request_id": self.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": line.product_id.display_name,
                            "product_id": line.product_id.id,
                            "product_uom_qty": line[quantity_field],
                            "product_uom": line.product_id.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "company_id": self.company_id.id,
                        }
                    )
                    for line in lines
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _qms_scrap(self, returns):
        lines = self.line_ids.filtered("qty_scrap")
        if not lines:
            return
        scraps = self.env["stock.scrap"].create(
            [
                {
                    "product_id": line.product_id.id,
                    "product_uom_id": line.product_id.uom_id.id,
                    "lot_id": line.lot_id.id,
                    "scrap_qty": line.qty_scrap,
                    "location_id": returns.id,
                    "company_id": self.company_id.id,
                    "origin": self.name,
                    "qms_return_request_id": self.id,
                }
                for line in lines
            ]
        )
        for scrap in scraps:
            scrap.action_validate()

    def _qms_disposition_actions(self, rework, suppliers, supplier_deadline):
        """Rework and the supplier's replacement are followed as corrective actions."""
        user = self.quality_user_id or self.env.user
        local = self.with_context(lang=user.lang or self.env.lang, tz=user.tz or "UTC")
        vals_list = []
        if rework:
            vals_list.append(
                {
                    "description": local.env._(
                        "Rework and re-inspect %(goods)s; validate %(transfer)s back to stock once they "
                        "pass.",
                        goods=self._qms_join(
                            rework.move_ids.mapped(
                                lambda m: f"{m.product_id.display_name} × {m.product_uom_qty:g}"
                            )
                        ),
                        transfer=rework.name,
                    ),
                    "date_deadline": fields.Datetime.context_timestamp(
                        local, self.disposition_deadline
                    ).date(),
                }
            )
        for picking in suppliers:
            vals_list.append(
                {
                    "description": local.env._(
                        "%(supplier)s replaces the parts returned with %(transfer)s.",
                        supplier=picking.partner_id.display_name,
                        transfer=picking.name,
                    ),
                    "date_deadline": fields.Datetime.context_timestamp(local, supplier_deadline).date(),
                }
            )
        if vals_list:
            self.env["qms.action"].create(
                [
                    {
                        **vals,
                        "res_model": self._name,
                        "res_id": self.id,
                        "action_type": "corrective",
                        "user_id": user.id,
                    }
                    for vals in vals_list
                ]
            )

    def action_supplier_replaced(self):
        self._qms_ensure_can("supplier_replaced")
        self.check_access("write")
        for request in self.filtered("supplier_deadline"):
            request.sudo()._qms_workflow_write({"date_supplier_replaced": fields.Datetime.now()})
        return True

    def action_close(self):
        """Done once every stock operation of the disposition is finished and the supplier, if
        any, has replaced its parts."""
        self._qms_ensure_can("close")
        self.check_access("write")
        for request in self:
            waiting = request.sudo().disposition_picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            if waiting:
                raise UserError(
                    self.env._(
                        "%(request)s still has transfers to finish: %(transfers)s.",
                        request=request.display_name,
                        transfers=", ".join(waiting.mapped("name")),
                    )
                )
            if request.supplier_deadline and not request.date_supplier_replaced:
                raise UserError(
                    self.env._("The supplier has not replaced the parts of %s yet.", request.display_name)
                )
            request.sudo()._qms_workflow_write({"state": "done"})
        return True

    # ------------------------------------------------------------------ customer side
    def action_create_replacement(self):
        """A quotation replacing the returned goods for the customer (from the original prices)."""
        self._qms_ensure_can("replace")
        self.check_access("read")
        self.ensure_one()
        if self.replacement_order_id:
            raise UserError(self.env._("%s already has its replacement order.", self.display_name))
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.qty_received or line.qty_return,
                            "price_unit": line.move_line_id.move_id.sale_line_id.price_unit,
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )
        self.sudo()._qms_workflow_write({"replacement_order_id": order.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def action_create_credit_note(self):
        """A draft credit note for the returned goods, at the prices they were sold for."""
        self._qms_ensure_can("replace")
        self.check_access("read")
        self.ensure_one()
        if self.credit_note_id:
            raise UserError(self.env._("%s already has its credit note.", self.display_name))
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "quantity": line.qty_received or line.qty_return,
                                "price_unit": line.move_line_id.move_id.sale_line_id.price_unit,
                            }
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        self.sudo()._qms_workflow_write({"credit_note_id": move.id})
        return True

    # ------------------------------------------------------------------ demo data
    @api.model
    def _qms_demo_returns(self):
        """Demo returns, made by the post-install hook once the translations are loaded (their
        steps, to-dos and notes are written in each user's language): a few seals exchanged for
        Jiangnan, whose receipt waits for the warehouse's check, and 520 kg of calipers coming back
        from Huadong, confirmed by quality and waiting for the quality manager's review."""
        ref = self.env.ref
        self._qms_demo_request(
            "qms_customer.return_jiangnan_exchange",
            "qms_customer.user_qms_sales2",
            ref("qms_customer.so_jiangnan"),
            {ref("qms_customer.product_seal").id: 20},
            {
                "kind": "exchange",
                "reason": "20 件密封圈漏气，经客户采购同意随下批货调换。(Twenty leaking seals swapped.)",
            },
            receive=True,
        )
        self._qms_demo_request(
            "qms_customer.return_huadong_batch",
            "qms_customer.user_qms_sales",
            ref("qms_customer.so_huadong"),
            {ref("qms_customer.product_caliper").id: 200},
            {
                "kind": "batch",
                "complaint_id": ref("qms_customer.complaint_progress_overdue").id,
                "quality_user_id": ref("qms_customer.user_qms_quality").id,
                "reason": "批次 BC-200-2409A 制动 200 次后活塞卡死，客户退回其库存中剩余的 200 件卡钳。"
                "(Pistons seize after 200 braking cycles; 200 calipers come back.)",
            },
            steps=[
                (
                    "qms_customer.user_qms_quality",
                    "客户退回的 5 件中 3 件复现卡死。(Seizure reproduced on 3 of 5.)",
                )
            ],
        )

    @api.model
    def _qms_demo_request(self, xmlid, user_xmlid, order, quantities, vals, steps=(), receive=False):
        """Demo: the user's request for ``quantities`` ({product id: qty}) of the order's
        deliveries, named ``xmlid``, submitted and decided by ``steps`` ((user xmlid, comment)),
        its receipt created for the warehouse when ``receive``."""

        def as_user(records, xml):
            user = self.env.ref(xml)
            return records.with_user(user).with_context(lang=user.lang)

        lines, seen = [], set()
        for move_line in order.picking_ids.move_line_ids:
            product = move_line.product_id.id
            if move_line.state == "done" and product in quantities and product not in seen:
                seen.add(product)
                lines.append(
                    Command.create({"move_line_id": move_line.id, "qty_return": quantities[product]})
                )
        request = as_user(self, user_xmlid).create(
            {**vals, "partner_id": order.partner_id.commercial_partner_id.id, "line_ids": lines}
        )
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": request, "noupdate": True}])
        request.action_submit()
        for step_user, comment in steps:
            as_user(request, step_user).action_decide("approved", comment)
        if receive:
            as_user(request, "qms_customer.user_qms_warehouse").action_create_receipt()
        return request

    # ------------------------------------------------------------------ other documents
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        return super().create(vals_list)

    # What was submitted and approved: changing it afterwards would bypass the approval.
    _QMS_SUBMITTED_FIELDS = ("partner_id", "kind", "complaint_id", "reason")

    def write(self, vals):
        submitted_fields = not self.env.su and qms_changing(self, self._QMS_SUBMITTED_FIELDS, vals)
        if submitted_fields:
            submitted = self.filtered(lambda r: r.state != "draft")
            if submitted:
                raise UserError(
                    self.env._(
                        "%(request)s is submitted: %(fields)s can no longer change. Cancel it and request "
                        "again.",
                        request=submitted[0].display_name,
                        fields=self._qms_labels(submitted_fields),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(r.state != "draft" or r.date_submitted for r in self):
            raise UserError(
                self.env._(
                    "A return request with history cannot be deleted. Cancel it with a reason or archive it."
                )
            )

    def _qms_action_owner(self):
        return self.quality_user_id or self.user_id

    def action_view_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.complaint",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
        }
