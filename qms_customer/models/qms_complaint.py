from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition

# Class-level declarations have no env yet: their verbs are lazy, translated when refused.
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SEVERITIES = [
    ("minor", "Minor"),
    ("general", "General"),
    ("important", "Important"),
    ("critical", "Critical"),
]
SERIOUS = ("important", "critical")
SIGNOFF_GROUPS = {
    "quality_manager": "qms_customer.group_qms_quality_manager",
    "general_manager": "qms_customer.group_qms_general_manager",
}
QUALITY = "qms_customer.group_qms_quality"
SALES = "qms_customer.group_qms_sales"
SALES_QUALITY = (SALES, QUALITY)
OPEN_STATES = ("draft", "confirmed", "in_progress", "replied", "verifying")
ANSWERING_STATES = ("in_progress", "replied", "verifying")
SIGNOFF_FIELDS = {
    "quality_manager": ("qm_signed_by_id", "qm_signed_on"),
    "general_manager": ("gm_signed_by_id", "gm_signed_on"),
}


class QmsComplaint(models.Model):
    """A customer complaint: registered by sales, analysed by quality, chased by deadlines."""

    _name = "qms.complaint"
    _description = "Customer Complaint"
    _inherit = [
        "qms.deadline.mixin",
        "qms.action.source",
        "qms.return.source",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_received desc, id desc"
    _qms_sequence_code = "qms.complaint"
    _check_company_auto = True
    _mail_post_access = "read"

    _qms_deadline_specs = (
        DeadlineSpec("first_reply_deadline", "date_first_reply", "date_received", "user_id"),
        DeadlineSpec("onsite_deadline", "date_onsite", "date_received", "user_id"),
        DeadlineSpec("forward_deadline", "date_forwarded", "date_received", "user_id"),
        DeadlineSpec("written_reply_deadline", "date_written_reply", "date_received", "user_id"),
        DeadlineSpec("closure_deadline", "date_closed", "date_received", "quality_user_id"),
    )
    _qms_workflow_fields = (
        "state",
        "date_forwarded",
        "date_first_reply",
        "date_onsite",
        "date_written_reply",
        "date_closed",
        "qm_signed_by_id",
        "qm_signed_on",
        "gm_signed_by_id",
        "gm_signed_on",
        "cancel_reason",
    )
    _qms_fixed_fields = ("name",)
    # The quality gates and the analysis are quality's to decide.
    _qms_role_fields = {
        (QUALITY,): (
            "requires_8d",
            "corrective_action_required",
            "responsibility",
            "responsible_department_id",
            "supplier_id",
            "supplier_reply",
        )
    }
    _qms_file_fields = ("photo_ids",)
    _qms_transitions = {
        "confirm": Transition(("draft",), SALES_QUALITY, _lt("confirm")),
        "request_information": Transition(
            ("draft", "confirmed"), SALES_QUALITY, _lt("ask the customer about")
        ),
        "log_event": Transition(OPEN_STATES, SALES_QUALITY, _lt("update")),
        "start": Transition(("confirmed",), (QUALITY,), _lt("start the analysis of")),
        "send_reply": Transition(ANSWERING_STATES, SALES_QUALITY, _lt("reply to")),
        "reply": Transition(("in_progress",), SALES_QUALITY, _lt("reply to")),
        "verify": Transition(("replied",), (QUALITY,), _lt("verify")),
        "sign_quality_manager": Transition(
            ANSWERING_STATES, (SIGNOFF_GROUPS["quality_manager"],), _lt("sign off")
        ),
        "sign_general_manager": Transition(
            ANSWERING_STATES, (SIGNOFF_GROUPS["general_manager"],), _lt("sign off")
        ),
        "close": Transition(("replied", "verifying"), tuple(SIGNOFF_GROUPS.values()), _lt("close")),
        "cancel": Transition(OPEN_STATES, SALES_QUALITY, _lt("cancel")),
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    # What the current user may do now: drives the header buttons (see _qms_transitions).
    can_confirm = fields.Boolean(compute="_compute_qms_can")
    can_request_information = fields.Boolean(compute="_compute_qms_can")
    can_log_event = fields.Boolean(compute="_compute_qms_can")
    can_start = fields.Boolean(compute="_compute_qms_can")
    can_send_reply = fields.Boolean(compute="_compute_qms_can")
    can_reply = fields.Boolean(compute="_compute_qms_can")
    can_verify = fields.Boolean(compute="_compute_qms_can")
    can_sign_quality_manager = fields.Boolean(compute="_compute_qms_can")
    can_sign_general_manager = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda s: s.env.company)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    customer_reference = fields.Char(help="The customer's own number for this complaint.")
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
        help="Defaults to the quality engineer of the customer's last complaint, else the "
        "company's default quality engineer.",
    )
    channel = fields.Selection(
        [
            ("letter", "Letter"),
            ("phone", "Phone"),
            ("fax", "Fax"),
            ("visit", "Visit"),
            ("email", "E-mail"),
            ("on_site", "On-site Service"),
            ("portal", "Portal"),
        ],
        required=True,
        default="phone",
        tracking=True,
    )
    date_received = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now, tracking=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id), ('state', '=', 'sale')]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        compute="_compute_picking_id",
        store=True,
        readonly=False,
        domain="[('partner_id.commercial_partner_id', '=', partner_id),"
        " ('picking_type_code', '=', 'outgoing'), ('state', '=', 'done')]",
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Lots / Serial Numbers",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    delivery_date = fields.Date(compute="_compute_delivery", store=True, readonly=False)
    qty_delivered = fields.Float(
        string="Delivered Quantity",
        digits="Product Unit of Measure",
        compute="_compute_delivery",
        store=True,
        readonly=False,
    )
    qty_defect = fields.Float(string="Defective Quantity", digits="Product Unit of Measure")
    description = fields.Html(string="Problem Description", sanitize_style=True)
    photo_ids = fields.Many2many(
        "ir.attachment",
        "qms_complaint_photo_rel",
        "complaint_id",
        "attachment_id",
        string="Photos",
    )
    customer_demand_ids = fields.Many2many(
        "qms.customer.demand", string="Customer Demands", check_company=True
    )
    onsite_required = fields.Boolean(
        string="On-site Support Demanded", compute="_compute_onsite_required", store=True
    )
    severity = fields.Selection(SEVERITIES, required=True, default="general", tracking=True)
    urgency = fields.Selection(
        [("normal", "Normal"), ("urgent", "Urgent")], required=True, default="normal", tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("in_progress", "In Progress"),
            ("replied", "Replied"),
            ("verifying", "Verifying"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_qms_group_expand_states",
    )
    requires_8d = fields.Boolean(
        compute="_compute_requires_8d",
        store=True,
        readonly=False,
        tracking=True,
    )
    corrective_action_required = fields.Boolean(
        compute="_compute_corrective_action_required",
        store=True,
        readonly=False,
        tracking=True,
        help="Minor complaints and customer misuse need no corrective action.",
    )
    reply_note = fields.Html(string="Written Reply", sanitize_style=True)
    qm_signed_by_id = fields.Many2one(
        "res.users", string="Signed by Quality Manager", readonly=True, copy=False
    )
    qm_signed_on = fields.Datetime(
        string="Quality Manager Signed On", readonly=True, copy=False, tracking=True
    )
    gm_signed_by_id = fields.Many2one(
        "res.users", string="Signed by General Manager", readonly=True, copy=False
    )
    gm_signed_on = fields.Datetime(
        string="General Manager Signed On", readonly=True, copy=False, tracking=True
    )
    action_ids = fields.One2many("qms.action", "complaint_id", string="Actions")
    responsibility = fields.Selection(
        [
            ("customer", "Customer Misuse"),
            ("ours", "Our Product"),
            ("supplier", "Supplier (Purchased Part)"),
            ("not_confirmed", "Not Confirmed / No Trouble Found"),
        ],
        tracking=True,
        help="Customer misuse needs no corrective action (explain it in the reply); our product "
        "needs corrective action; a purchased part goes back to its supplier.",
    )
    cause_category = fields.Selection(
        [
            ("man", "Man"),
            ("machine", "Machine"),
            ("material", "Material"),
            ("method", "Method"),
            ("environment", "Environment"),
            ("measurement", "Measurement"),
            ("other", "Other"),
        ],
        string="Cause Category (5M1E)",
        tracking=True,
    )
    responsible_department_id = fields.Many2one("hr.department", check_company=True, tracking=True)
    supplier_id = fields.Many2one("res.partner", check_company=True, tracking=True)
    supplier_reply = fields.Text()
    cost_ids = fields.One2many("qms.complaint.cost", "complaint_id", string="Quality Costs")
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_total = fields.Monetary(
        string="Quality Cost", compute="_compute_cost_total", store=True, currency_field="currency_id"
    )
    open_action_count = fields.Integer(compute="_compute_open_action_count", string="Open Actions")
    missing_before_confirm = fields.Char(
        string="Missing Before Confirmation",
        compute="_compute_missing_before_confirm",
        help="What Confirm will ask for, shown on the draft form while it is being filled in.",
    )
    cancel_reason = fields.Text(tracking=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # Deadlines (stored, computed from their start event) and the moments they were met.
    first_reply_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    date_first_reply = fields.Datetime(string="First Reply On", copy=False, tracking=True)
    onsite_deadline = fields.Datetime(string="On-site Deadline", compute="_compute_deadlines", store=True)
    date_onsite = fields.Datetime(string="On Site On", copy=False, tracking=True)
    forward_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    date_forwarded = fields.Datetime(string="Forwarded On", copy=False, tracking=True)
    written_reply_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    date_written_reply = fields.Datetime(string="Written Reply On", copy=False, tracking=True)
    closure_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    date_closed = fields.Datetime(string="Closed On", copy=False, tracking=True)
    first_reply_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    onsite_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    forward_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    written_reply_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    closure_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")

    _sql_constraints = [
        ("qty_defect_positive", "CHECK(qty_defect >= 0)", "The defective quantity cannot be negative."),
    ]

    # ------------------------------------------------------------------ computes
    # Prefill from the order / delivery; every compute assigns (keeping what the user entered
    # when the source says nothing), as an unassigned compute would blank the field.
    @api.depends("sale_order_id", "picking_id")
    def _compute_partner_id(self):
        for complaint in self:
            source = complaint.sale_order_id or complaint.picking_id
            complaint.partner_id = complaint.partner_id or source.partner_id.commercial_partner_id

    @api.depends("partner_id", "company_id")
    def _compute_user_id(self):
        for complaint in self:
            user = complaint.partner_id.user_id or complaint.user_id or self.env.user
            # A salesperson of another company cannot own it: leave it to be assigned.
            complaint.user_id = user if complaint.company_id in user.company_ids else False

    @api.depends("partner_id", "company_id")
    def _compute_quality_user_id(self):
        """Keep the engineer given; once the customer is known, the engineer of its last complaint,
        else the company's default (one search per customer and company of the batch)."""
        todo = self.filtered(lambda c: not c.quality_user_id and c.company_id and c.partner_id)
        last = {}
        for partner_id, company_id in {(c.partner_id._origin.id, c.company_id._origin.id) for c in todo}:
            previous = self.sudo().search(
                [
                    ("partner_id", "=", partner_id),
                    ("company_id", "=", company_id),
                    ("quality_user_id", "!=", False),
                    ("id", "not in", todo._origin.ids),
                ],
                order="date_received desc, id desc",
                limit=1,
            )
            user = previous.quality_user_id
            if user.active and company_id in user.company_ids.ids:
                last[partner_id, company_id] = user
        for complaint in todo:
            key = (complaint.partner_id._origin.id, complaint.company_id._origin.id)
            complaint.quality_user_id = last.get(key) or complaint.company_id.qms_default_quality_user_id

    @api.depends("sale_order_id")
    def _compute_picking_id(self):
        for complaint in self:
            deliveries = complaint.sale_order_id.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state == "done"
            )
            complaint.picking_id = deliveries if len(deliveries) == 1 else complaint.picking_id

    @api.depends("sale_order_id", "picking_id")
    def _compute_product_id(self):
        for complaint in self:
            products = complaint.picking_id.move_ids.product_id or (
                complaint.sale_order_id.order_line.product_id.filtered(lambda p: p.type == "consu")
            )
            single = products if len(products) == 1 else products.browse()
            complaint.product_id = complaint.product_id or single

    @api.depends("picking_id", "product_id")
    def _compute_delivery(self):
        for complaint in self:
            picking = complaint.picking_id
            moves = picking.move_ids.filtered(
                lambda m, product=complaint.product_id: m.product_id == product and m.state == "done"
            )
            complaint.delivery_date = (
                picking.date_done.date() if picking.date_done else complaint.delivery_date
            )
            complaint.qty_delivered = sum(moves.mapped("quantity")) if moves else complaint.qty_delivered

    @api.depends("customer_demand_ids.requires_onsite")
    def _compute_onsite_required(self):
        for complaint in self:
            complaint.onsite_required = any(complaint.customer_demand_ids.mapped("requires_onsite"))

    @api.depends("partner_id")
    def _compute_requires_8d(self):
        for complaint in self:
            profile = complaint.partner_id.commercial_partner_id.sudo().qms_response_profile_id
            complaint.requires_8d = profile.requires_8d

    @api.depends("severity", "responsibility")
    def _compute_corrective_action_required(self):
        for complaint in self:
            complaint.corrective_action_required = (
                complaint.severity != "minor"
                and complaint.responsibility
                not in (
                    "customer",
                    "not_confirmed",
                )
            )

    @api.depends("date_received", "urgency", "onsite_required", "partner_id", "company_id")
    def _compute_deadlines(self):
        cache = {}  # the calendars' working time, read once for the whole batch
        for complaint in self:
            start, company = complaint.date_received, complaint.company_id
            if not start or not company:
                continue
            partner = complaint.partner_id

            def deadline(step, start=start, company=company, partner=partner):
                return company._qms_deadline(step, start, partner, cache)

            complaint.first_reply_deadline = deadline("complaint_first_reply")
            complaint.onsite_deadline = complaint.onsite_required and deadline("complaint_onsite")
            complaint.forward_deadline = deadline("complaint_forward")
            complaint.written_reply_deadline = deadline("complaint_written_reply")
            complaint.closure_deadline = deadline(
                "complaint_closure_urgent" if complaint.urgency == "urgent" else "complaint_closure_normal"
            )

    @api.depends("cost_ids.amount")
    def _compute_cost_total(self):
        for complaint in self:
            complaint.cost_total = sum(complaint.cost_ids.mapped("amount"))

    @api.depends("action_ids.state")
    def _compute_open_action_count(self):
        counts = dict(
            self.env["qms.action"]._read_group(
                [("complaint_id", "in", self.ids), ("state", "=", "open")], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.open_action_count = counts.get(complaint, 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains("qty_defect", "qty_delivered")
    def _check_quantities(self):
        for complaint in self:
            if complaint.qty_defect < 0:
                raise ValidationError(self.env._("The defective quantity cannot be negative."))
            if complaint.qty_delivered and complaint.qty_defect > complaint.qty_delivered:
                raise ValidationError(
                    self.env._(
                        "The defective quantity (%(defect)s) cannot exceed the delivered quantity "
                        "(%(delivered)s).",
                        defect=complaint.qty_defect,
                        delivered=complaint.qty_delivered,
                    )
                )

    @api.constrains("responsibility", "supplier_id")
    def _check_supplier(self):
        for complaint in self:
            if complaint.responsibility == "supplier" and not complaint.supplier_id:
                raise ValidationError(
                    self.env._(
                        "Name the supplier of the purchased part that caused %s.", complaint.display_name
                    )
                )

    @api.constrains("date_received")
    def _check_date_received(self):
        now = fields.Datetime.now()
        for complaint in self:
            if complaint.date_received and complaint.date_received > now:
                raise ValidationError(
                    self.env._("The date a complaint was received cannot be in the future.")
                )

    @api.constrains("delivery_date", "date_received")
    def _check_delivery_date(self):
        for complaint in self:
            received = complaint.date_received and complaint.date_received.date()
            if complaint.delivery_date and received and complaint.delivery_date > received:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s: the goods cannot have been delivered on %(delivery)s, after the "
                        "complaint was received (%(received)s).",
                        complaint=complaint.display_name,
                        delivery=complaint.delivery_date,
                        received=received,
                    )
                )

    @api.constrains("partner_id", "sale_order_id", "picking_id")
    def _check_sources_customer(self):
        for complaint in self:
            for source in (complaint.sale_order_id, complaint.picking_id):
                if source and source.sudo().partner_id.commercial_partner_id != complaint.partner_id:
                    raise ValidationError(
                        self.env._(
                            "%(document)s belongs to %(other)s, not to %(customer)s.",
                            document=source.sudo().display_name,
                            other=source.sudo().partner_id.commercial_partner_id.display_name,
                            customer=complaint.partner_id.display_name,
                        )
                    )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = self._qms_commercial_id(vals["partner_id"], vals)
        complaints = super().create(vals_list)
        complaints.filtered(lambda c: c.severity in SERIOUS)._qms_notify_management()
        return complaints

    def write(self, vals):
        if vals.get("partner_id"):
            vals["partner_id"] = self._qms_commercial_id(vals["partner_id"], vals)
        newly_serious = self.env["qms.complaint"]
        if vals.get("severity") in SERIOUS:
            newly_serious = self.filtered(lambda c: c.severity not in SERIOUS)
        result = super().write(vals)
        newly_serious._qms_notify_management()
        return result

    @api.model
    def _qms_commercial_id(self, partner_id, vals):
        """Complaints belong to the commercial customer; a contact given as customer is kept."""
        partner = self.env["res.partner"].browse(partner_id)
        if partner.commercial_partner_id != partner and not vals.get("contact_id"):
            vals["contact_id"] = partner.id
        return partner.commercial_partner_id.id

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(c.state != "draft" for c in self):
            raise UserError(
                self.env._(
                    "A complaint with history cannot be deleted. Cancel it with a reason or "
                    "archive it instead."
                )
            )

    # ------------------------------------------------------------------ notifications
    def _qms_notify_management(self):
        """Important and critical complaints go to the general managers at once."""
        if not self:
            return
        group = self.env.ref("qms_customer.group_qms_general_manager")
        for complaint in self:
            managers = group.sudo().users.filtered(lambda u, c=complaint: c.company_id in u.company_ids)
            if not managers:
                continue
            complaint.sudo().message_subscribe(partner_ids=managers.partner_id.ids)
            local = complaint.with_context(lang=complaint.company_id.partner_id.lang or self.env.lang)
            local._qms_system_post(
                local.env._(
                    "%(severity)s complaint from %(customer)s registered: %(product)s.",
                    severity=dict(self._fields["severity"]._description_selection(local.env))[
                        complaint.severity
                    ],
                    customer=complaint.partner_id.display_name,
                    product=complaint.product_id.with_env(local.env).display_name or "-",
                ),
                partner_ids=managers.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    # ------------------------------------------------------------------ workflow
    def _qms_missing_information(self):
        """Labels of the data REQUIREMENTS §4 needs before analysis that this complaint lacks."""
        self.ensure_one()
        checks = [
            ("product_id", not self.product_id),
            ("delivery_date", not self.delivery_date),
            ("description", not (self.description and self.description.striptags().strip())),
            ("qty_defect", not self.qty_defect),
            ("lot_ids", self.product_id.tracking not in (False, "none") and not self.lot_ids),
            ("photo_ids", not self.photo_ids),
            ("customer_demand_ids", not self.customer_demand_ids),
        ]
        return [self._fields[name]._description_string(self.env) for name, missing in checks if missing]

    def _qms_missing_before_confirm(self):
        """Everything Confirm needs, in one list: the customer's data and our quality engineer."""
        self.ensure_one()
        missing = self._qms_missing_information()
        if not self.quality_user_id:
            missing.append(self._fields["quality_user_id"]._description_string(self.env))
        return missing

    @api.depends(
        "state",
        "product_id",
        "delivery_date",
        "description",
        "qty_defect",
        "lot_ids",
        "photo_ids",
        "customer_demand_ids",
        "quality_user_id",
    )
    def _compute_missing_before_confirm(self):
        for complaint in self:
            missing = complaint._qms_missing_before_confirm() if complaint.state == "draft" else []
            complaint.missing_before_confirm = ", ".join(missing)

    def action_confirm(self):
        """Check completeness, then forward the complaint to quality and technical."""
        self._qms_ensure_can("confirm")
        for complaint in self:
            missing = complaint._qms_missing_before_confirm()
            if missing:
                raise UserError(
                    self.env._(
                        "%(complaint)s is incomplete. Missing: %(missing)s.\n"
                        "Use 'Request Missing Information' to ask the customer.",
                        complaint=complaint.display_name,
                        missing=", ".join(missing),
                    )
                )
        now = fields.Datetime.now()
        for complaint in self:
            complaint._qms_workflow_write(
                {"state": "confirmed", "date_forwarded": complaint.date_forwarded or now}
            )
            complaint.message_subscribe(partner_ids=complaint._qms_forward_users().partner_id.ids)
        self._qms_forward_activities()
        return True

    def _qms_forward_users(self):
        """Who a confirmed complaint is forwarded to: its quality engineer (and the technical
        person, where a family names one)."""
        self.ensure_one()
        return self.quality_user_id

    def _qms_forward_deadline(self):
        """The earliest deadline still open once the complaint is forwarded (else now)."""
        self.ensure_one()
        open_deadlines = [
            self[spec.deadline]
            for spec in self._qms_specs()
            if spec.deadline != "forward_deadline" and self[spec.deadline] and not self[spec.done]
        ]
        return min(open_deadlines, default=fields.Datetime.now())

    def _qms_forward_activities(self):
        """One to-do per complaint and person it is forwarded to, by the system (no e-mail), due
        on the day (in their time zone) of the complaint's next open deadline."""
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        existing = {
            (activity.res_id, activity.user_id.id, activity.summary)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", todo_type.id),
                ]
            )
        }
        vals_list = []
        for complaint in self:
            deadline = complaint._qms_forward_deadline()
            for user in complaint._qms_forward_users():
                local = complaint.with_context(lang=user.lang or self.env.lang, tz=user.tz or "UTC")
                summary = local.env._("Complaint %s forwarded to you", complaint.name)
                if (complaint.id, user.id, summary) in existing:
                    continue  # confirmed again (after a reopen): the first to-do stands
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": complaint.id,
                        "activity_type_id": todo_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "date_deadline": fields.Datetime.context_timestamp(local, deadline).date(),
                    }
                )
        if vals_list:
            self._qms_system_activities(vals_list)

    def action_start(self):
        self._qms_ensure_can("start")
        self._qms_workflow_write({"state": "in_progress"})
        return True

    def action_reply(self):
        """The written reply has been sent to the customer."""
        self._qms_ensure_can("reply")
        if any(not (c.reply_note and c.reply_note.striptags().strip()) for c in self):
            raise UserError(
                self.env._("Write the reply to the customer before marking the complaint replied.")
            )
        now = fields.Datetime.now()
        for complaint in self:
            complaint._qms_workflow_write(
                {"state": "replied", "date_written_reply": complaint.date_written_reply or now}
            )
        return True

    def action_verify(self):
        self._qms_ensure_can("verify")
        self._qms_workflow_write({"state": "verifying"})
        return True

    def action_close(self):
        """Close after the reply, with every action finished and the required sign-off."""
        self._qms_ensure_role("close")
        if any(not c.date_written_reply for c in self):
            raise UserError(
                self.env._("A complaint cannot be closed before the customer has a written reply.")
            )
        self._qms_ensure_state("close")
        self._qms_check_closable()
        # General managers read complaints only; closing is their one write, checked above.
        self.check_access("read")
        self.sudo()._qms_workflow_write({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    def _qms_check_closable(self):
        """Gates a complaint must pass before it is closed (extended by the 8D)."""
        if any(c.open_action_count for c in self):
            raise UserError(self.env._("A complaint with open actions cannot be closed."))
        for complaint in self:
            corrective = complaint.action_ids.filtered(
                lambda a: a.action_type == "corrective"
                and a.state == "done"
                and a.effectiveness == "effective"
            )
            if complaint.corrective_action_required and not corrective:
                raise UserError(
                    self.env._(
                        "%s needs corrective action: close it once a corrective action is done and "
                        "verified effective, or untick 'Corrective Action Required'.",
                        complaint.display_name,
                    )
                )
            role = complaint.company_id.qms_complaint_signoff
            if not complaint[SIGNOFF_FIELDS[role][1]]:
                roles = dict(
                    self.env["res.company"]._fields["qms_complaint_signoff"]._description_selection(self.env)
                )
                raise UserError(
                    self.env._(
                        "%(complaint)s needs the sign-off of the %(role)s before it is closed.",
                        complaint=complaint.display_name,
                        role=roles[role],
                    )
                )

    def action_sign_quality_manager(self):
        return self._qms_sign("quality_manager")

    def action_sign_general_manager(self):
        return self._qms_sign("general_manager")

    def _qms_sign(self, role):
        """Record the quality / general manager's signature on the complaint report."""
        self._qms_ensure_can(f"sign_{role}")
        self.check_access("read")
        by_field, on_field = SIGNOFF_FIELDS[role]
        signed = self.filtered(on_field)
        if signed:
            raise UserError(
                self.env._(
                    "%(complaint)s is already signed by %(user)s on %(date)s: a signature is never "
                    "replaced.",
                    complaint=signed[0].display_name,
                    user=signed[0][by_field].name,
                    date=format_datetime(self.env, signed[0][on_field], tz=self.env.user.tz),
                )
            )
        self.sudo()._qms_workflow_write({by_field: self.env.user.id, on_field: fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------ returns
    def _qms_return_field(self):
        return "complaint_id"

    def _qms_return_customer(self):
        return self.partner_id

    def _qms_return_move_lines(self):
        """The complained product as delivered on the complaint's delivery, its lots only when
        the complaint names them."""
        # Quality engineers have no stock rights: the delivery's lines are read for them.
        lines = self._qms_returnable(self.sudo().picking_id.move_line_ids).sudo(False)
        lines = lines.filtered(lambda ml: ml.product_id == self.product_id) if self.product_id else lines
        return lines.filtered(lambda ml: ml.lot_id in self.lot_ids) if self.lot_ids else lines

    def _qms_return_defaults(self):
        return {
            "default_kind": "batch",
            "default_complaint_id": self.id,
            "default_quality_user_id": self.quality_user_id.id,
            "default_reason": (self.description and self.description.striptags().strip()) or False,
        }

    def _qms_action_owner(self):
        """A corrective action that did not work goes back to the quality engineer."""
        return self.quality_user_id

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_action")
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    def action_log_first_reply(self):
        self._qms_log_event("date_first_reply")
        return True

    def action_log_onsite(self):
        self._qms_log_event("date_onsite")
        return True

    def _qms_log_event(self, field):
        self._qms_ensure_can("log_event")
        self.filtered(lambda c: not c[field])._qms_workflow_write({field: fields.Datetime.now()})
