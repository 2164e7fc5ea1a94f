from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, format_datetime
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

QUALITY = "qms_customer.group_qms_quality"
QUALITY_MANAGER = "qms_customer.group_qms_quality_manager"
TECHNICAL = "qms_customer.group_qms_technical"
ROOM = (QUALITY, TECHNICAL)
# A customer who checks its samples quarterly verifies them every three months.
QUARTERLY_MONTHS = 3
# Where a sample is still the reference of its product: what a design change makes invalid.
VALID_STATES = ("draft", "review", "sealed", "expired")
SIGNATURES = {
    "quality": ("quality_signed_by_id", "quality_signed_on"),
    "technical": ("technical_signed_by_id", "technical_signed_on"),
}


class QmsSample(models.Model):
    """A sealed or standard sample (封样 / 标准样件, REQUIREMENTS §7): sealed after a joint review
    of quality and R&D (and the customer where it signs), valid for its category's months,
    verified on a cycle, checked out and back from the sample room, destroyed with a record."""

    _name = "qms.sample"
    _description = "Sealed Sample"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_registered desc, id desc"
    _qms_sequence_code = "qms.sample"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("replaced", "destroyed")
    _qms_final_states = ("replaced", "destroyed")
    _qms_all_customer_groups = (QUALITY, TECHNICAL)

    _qms_deadline_specs = (
        DeadlineSpec("expiry_deadline", None, None, "user_id", notice="qms_sample_expiry_notice_days"),
        DeadlineSpec(
            "verification_deadline", None, None, "user_id", notice="qms_sample_verification_notice_days"
        ),
    )
    _qms_workflow_fields = (
        "state",
        "date_applied",
        "applied_by_id",
        "quality_signed_by_id",
        "quality_signed_on",
        "technical_signed_by_id",
        "technical_signed_on",
        "customer_signed_on",
        "sealed_by_id",
        "date_sealed",
        "date_valid_until",
        "date_expired",
        "do_not_use_reason",
        "do_not_use_by_id",
        "date_do_not_use",
        "destroyed_by_id",
        "date_destroyed",
        "destruction_note",
        "replaces_id",
    )
    _qms_fixed_fields = ("name", "date_registered")
    _qms_role_fields = {(QUALITY,): ("customer_signer_name", "storage_location", "review_note")}
    _qms_transitions = {
        "submit_review": Transition(("draft",), ROOM, _lt("submit for the sealing review")),
        "reset_draft": Transition(("review",), ROOM, _lt("send back to draft")),
        "sign_quality": Transition(("review",), (QUALITY_MANAGER,), _lt("sign the sealing of")),
        "sign_technical": Transition(("review",), (TECHNICAL,), _lt("sign the sealing of")),
        "sign_customer": Transition(("review",), (QUALITY,), _lt("record the customer's signature on")),
        "seal": Transition(("review",), (QUALITY,), _lt("seal")),
        "check_out": Transition(("sealed",), ROOM, _lt("check out")),
        "check_in": Transition((), ROOM, _lt("check in")),
        "verify": Transition(("sealed",), (QUALITY,), _lt("verify")),
        "mark_do_not_use": Transition(("sealed", "expired"), (QUALITY,), _lt("mark as do not use")),
        "replace": Transition(("sealed", "expired", "do_not_use"), (QUALITY,), _lt("replace")),
        "destroy": Transition(("expired", "do_not_use", "replaced"), (QUALITY,), _lt("destroy")),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    can_submit_review = fields.Boolean(compute="_compute_qms_can")
    can_reset_draft = fields.Boolean(compute="_compute_qms_can")
    can_sign_quality = fields.Boolean(compute="_compute_qms_can")
    can_sign_technical = fields.Boolean(compute="_compute_qms_can")
    can_sign_customer = fields.Boolean(compute="_compute_qms_can")
    can_seal = fields.Boolean(compute="_compute_qms_can")
    can_check_out = fields.Boolean(compute="_compute_qms_can")
    can_check_in = fields.Boolean(compute="_compute_qms_can")
    can_verify = fields.Boolean(compute="_compute_qms_can")
    can_mark_do_not_use = fields.Boolean(compute="_compute_qms_can")
    can_replace = fields.Boolean(compute="_compute_qms_can")
    can_destroy = fields.Boolean(compute="_compute_qms_can")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "Under Review"),
            ("sealed", "Sealed"),
            ("expired", "Expired"),
            ("do_not_use", "Do Not Use"),
            ("replaced", "Replaced"),
            ("destroyed", "Destroyed"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda s: s.env.company)
    date_registered = fields.Datetime(
        string="Registered On", required=True, index=True, default=fields.Datetime.now, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False), ('is_company', '=', True)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        check_company=True,
        default=lambda s: s.env.user if s.env.user.has_group(QUALITY) else False,
        domain=lambda s: [("groups_id", "in", s.env.ref(QUALITY).ids)],
        help="The quality engineer who keeps the sample: reminded before it expires and before its "
        "verification is due.",
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, tracking=True, check_company=True
    )
    title = fields.Char(
        string="Sample Name",
        compute="_compute_title",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="The name printed on the label; the product's name unless you give another.",
    )
    drawing_revision = fields.Char(
        compute="_compute_drawing_revision",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        help="The customer drawing revision the sample represents. A new revision of the product's "
        "drawing makes the sample invalid.",
    )
    category_id = fields.Many2one(
        "qms.sample.category",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="Its material: decides the validity and the verification cycle.",
    )
    stays_in_room = fields.Boolean(related="category_id.stays_in_room")
    sample_type = fields.Selection(
        [("reference", "Reference Sample"), ("guidance", "Guidance Sample"), ("limit", "Limit Sample")],
        required=True,
        default="reference",
        tracking=True,
    )
    reference_purpose = fields.Selection(
        [
            ("development", "Development"),
            ("design_change", "Design Change"),
            ("tooling", "Tooling"),
            ("inspection", "Inspection Basis"),
            ("competitor", "Competitor Product"),
        ],
        string="Purpose",
    )
    guidance_aspect = fields.Selection(
        [
            ("colour", "Colour"),
            ("texture", "Texture"),
            ("function", "Function"),
            ("dimension", "Hard-to-measure Dimension"),
            ("look_alike", "Look-alike Part"),
        ],
        string="Shows",
    )
    quantity = fields.Integer(default=1, required=True)
    storage_location = fields.Char(string="Place in the Sample Room")
    image = fields.Image(max_width=1024, max_height=1024)
    note = fields.Html(string="Description")

    # Sealing review: the application and every signature (who, when).
    date_applied = fields.Datetime(string="Applied On", readonly=True, copy=False)
    applied_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_note = fields.Text(string="Review Conclusion")
    quality_signed_by_id = fields.Many2one(
        "res.users", string="Signed for Quality", readonly=True, copy=False
    )
    quality_signed_on = fields.Datetime(readonly=True, copy=False)
    technical_signed_by_id = fields.Many2one("res.users", string="Signed for R&D", readonly=True, copy=False)
    technical_signed_on = fields.Datetime(string="R&D Signed On", readonly=True, copy=False)
    customer_signs = fields.Boolean(
        tracking=True,
        help="The customer's quality representative signs the sealing too: it cannot be sealed before.",
    )
    customer_signer_name = fields.Char(string="Customer Representative", copy=False)
    customer_signed_on = fields.Datetime(readonly=True, copy=False)
    sealed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_sealed = fields.Date(string="Sealed On", readonly=True, copy=False, index=True)
    date_valid_until = fields.Date(string="Valid Until", readonly=True, copy=False, index=True)
    expiry_deadline = fields.Datetime(
        string="Expiry",
        compute="_compute_expiry_deadline",
        store=True,
        index=True,
        help="The end of the last valid day, in the company's time zone.",
    )
    date_expired = fields.Datetime(string="Expired On", readonly=True, copy=False)
    expiry_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")

    # Verification
    verification_ids = fields.One2many("qms.sample.verification", "sample_id", string="Verifications")
    verification_count = fields.Integer(compute="_compute_verification_count")
    date_last_verified = fields.Date(
        string="Last Verified On", compute="_compute_date_last_verified", store=True
    )
    verification_months = fields.Integer(
        string="Verification Cycle (Months)",
        compute="_compute_verification_months",
        help="The category's cycle, or three months for a customer who checks its samples quarterly.",
    )
    verification_deadline = fields.Datetime(
        string="Next Verification",
        compute="_compute_verification_deadline",
        store=True,
        index=True,
    )
    verification_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")

    # Check-out log
    checkout_ids = fields.One2many("qms.sample.checkout", "sample_id", string="Check-outs")
    checkout_count = fields.Integer(compute="_compute_checkout_count", string="Check-out Count")
    checked_out = fields.Boolean(
        compute="_compute_checked_out", store=True, index=True, help="Taken out of the sample room now."
    )
    current_checkout_id = fields.Many2one(
        "qms.sample.checkout", compute="_compute_current_checkout", string="Current Check-out"
    )

    # Invalid, replaced, destroyed
    do_not_use_reason = fields.Text(string="Why Not to Use", readonly=True, copy=False)
    do_not_use_by_id = fields.Many2one("res.users", string="Marked By", readonly=True, copy=False)
    date_do_not_use = fields.Datetime(string="Marked On", readonly=True, copy=False)
    replaces_id = fields.Many2one(
        "qms.sample", readonly=True, copy=False, index="btree_not_null", check_company=True
    )
    replacement_ids = fields.One2many("qms.sample", "replaces_id", string="Replacements")
    replaced_by_id = fields.Many2one("qms.sample", compute="_compute_replaced_by")
    destroyed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_destroyed = fields.Datetime(string="Destroyed On", readonly=True, copy=False, index=True)
    destruction_note = fields.Text(string="Destruction Record", readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("product_id")
    def _compute_title(self):
        for sample in self:
            sample.title = sample.product_id.name or sample.title

    @api.depends("product_id")
    def _compute_drawing_revision(self):
        for sample in self:
            sample.drawing_revision = sample.product_id.qms_drawing_revision or sample.drawing_revision

    @api.depends("date_valid_until", "state", "company_id.resource_calendar_id.tz")
    def _compute_expiry_deadline(self):
        for sample in self:
            if sample.date_valid_until and sample.state in ("sealed", "expired"):
                sample.expiry_deadline = sample.company_id._qms_local_to_utc(
                    sample.date_valid_until + timedelta(days=1)
                )
            else:
                sample.expiry_deadline = False

    @api.depends("verification_ids.date_verified")
    def _compute_date_last_verified(self):
        for sample in self:
            sample.date_last_verified = max(sample.verification_ids.mapped("date_verified"), default=False)

    @api.depends("category_id.verification_months", "partner_id.qms_sample_quarterly_check")
    def _compute_verification_months(self):
        for sample in self:
            quarterly = sample.partner_id.qms_sample_quarterly_check
            sample.verification_months = (
                QUARTERLY_MONTHS if quarterly else sample.category_id.verification_months
            )

    @api.depends(
        "state",
        "date_sealed",
        "date_last_verified",
        "category_id.verification_months",
        "partner_id.qms_sample_quarterly_check",
        "company_id.resource_calendar_id.tz",
    )
    def _compute_verification_deadline(self):
        for sample in self:
            base = sample.date_last_verified or sample.date_sealed
            if sample.state != "sealed" or not base or not sample.verification_months:
                sample.verification_deadline = False
                continue
            due = base + relativedelta(months=sample.verification_months)
            sample.verification_deadline = sample.company_id._qms_local_to_utc(due + timedelta(days=1))

    @api.depends("checkout_ids.date_in")
    def _compute_checked_out(self):
        for sample in self:
            sample.checked_out = any(not checkout.date_in for checkout in sample.checkout_ids)

    @api.depends("checkout_ids.date_in")
    def _compute_current_checkout(self):
        for sample in self:
            sample.current_checkout_id = sample.checkout_ids.filtered(lambda c: not c.date_in)[:1]

    def _compute_verification_count(self):
        counts = dict(
            self.env["qms.sample.verification"]._read_group(
                [("sample_id", "in", self.ids)], ["sample_id"], ["__count"]
            )
        )
        for sample in self:
            sample.verification_count = counts.get(sample, 0)

    def _compute_checkout_count(self):
        counts = dict(
            self.env["qms.sample.checkout"]._read_group(
                [("sample_id", "in", self.ids)], ["sample_id"], ["__count"]
            )
        )
        for sample in self:
            sample.checkout_count = counts.get(sample, 0)

    def _compute_replaced_by(self):
        for sample in self:
            sample.replaced_by_id = sample.replacement_ids.sorted("id")[-1:]

    def _compute_display_name(self):
        for sample in self:
            sample.display_name = f"{sample.name} {sample.title}" if sample.title else sample.name

    # ------------------------------------------------------------------ sealing
    def action_submit_review(self):
        """Apply for sealing: quality and R&D review the sample together."""
        self._qms_ensure_can("submit_review")
        now = fields.Datetime.now()
        self._qms_workflow_write({"state": "review", "date_applied": now, "applied_by_id": self.env.uid})
        return True

    def action_reset_draft(self):
        """Send the application back: the signatures given so far no longer hold."""
        self._qms_ensure_can("reset_draft")
        self._qms_workflow_write(
            {
                "state": "draft",
                "quality_signed_by_id": False,
                "quality_signed_on": False,
                "technical_signed_by_id": False,
                "technical_signed_on": False,
                "customer_signed_on": False,
            }
        )
        return True

    def action_sign_quality(self):
        return self._qms_sign("quality")

    def action_sign_technical(self):
        return self._qms_sign("technical")

    def _qms_sign(self, side):
        """Record the current user's signature for ``side`` of the joint review; quality and R&D
        sign as two different people."""
        self._qms_ensure_can(f"sign_{side}")
        by_field, on_field = SIGNATURES[side]
        other_by = SIGNATURES["technical" if side == "quality" else "quality"][0]
        for sample in self:
            if sample[on_field]:
                raise UserError(
                    self.env._(
                        "%(sample)s is already signed by %(user)s on %(date)s: a signature is never "
                        "replaced.",
                        sample=sample.display_name,
                        user=sample[by_field].name,
                        date=format_datetime(self.env, sample[on_field], tz=self.env.user.tz),
                    )
                )
            if sample[other_by] == self.env.user:
                raise UserError(
                    self.env._(
                        "You already signed %(sample)s for the other side: quality and R&D sign the sealing "
                        "as two different people.",
                        sample=sample.display_name,
                    )
                )
        self._qms_workflow_write({by_field: self.env.uid, on_field: fields.Datetime.now()})
        return True

    def action_sign_customer(self):
        """Record that the customer's representative named on the sample signed the review."""
        self._qms_ensure_can("sign_customer")
        for sample in self:
            if not sample.customer_signs:
                raise UserError(
                    self.env._("%(sample)s is not signed by the customer.", sample=sample.display_name)
                )
            if not (sample.customer_signer_name or "").strip():
                raise UserError(
                    self.env._(
                        "Enter the name of the customer's representative who signed %(sample)s.",
                        sample=sample.display_name,
                    )
                )
            if sample.customer_signed_on:
                raise UserError(
                    self.env._("The customer already signed %(sample)s.", sample=sample.display_name)
                )
        self._qms_workflow_write({"customer_signed_on": fields.Datetime.now()})
        return True

    def _qms_missing_signatures(self):
        """The labels of the signatures this sample still lacks before it may be sealed."""
        self.ensure_one()
        missing = [name for name in ("quality_signed_on", "technical_signed_on") if not self[name]]
        if self.customer_signs and not self.customer_signed_on:
            missing.append("customer_signed_on")
        return [self._fields[name]._description_string(self.env) for name in missing]

    def action_seal(self):
        """Seal the reviewed sample: valid from today for its category's months. A sample it
        replaces is replaced from now on."""
        self._qms_ensure_can("seal")
        for sample in self:
            missing = sample._qms_missing_signatures()
            if missing:
                raise UserError(
                    self.env._(
                        "%(sample)s cannot be sealed before it is signed: %(missing)s missing.",
                        sample=sample.display_name,
                        missing=self._qms_join(missing),
                    )
                )
        for sample in self:
            today = sample.company_id._qms_local_today()
            sample._qms_workflow_write(
                {
                    "state": "sealed",
                    "sealed_by_id": self.env.uid,
                    "date_sealed": today,
                    "date_valid_until": today + relativedelta(months=sample.category_id.validity_months),
                }
            )
        replaced = self.replaces_id.filtered(lambda s: s.state in ("sealed", "expired", "do_not_use"))
        if replaced:
            replaced.sudo()._qms_workflow_write({"state": "replaced"})
            for old in replaced:
                new = self.filtered(lambda s, old=old: s.replaces_id == old)
                old._qms_system_post(
                    Markup(self.env._("Replaced by the sample %(sample)s, sealed on %(date)s."))
                    % {"sample": new[:1].display_name, "date": format_date(self.env, new[:1].date_sealed)}
                )
        return True

    # ------------------------------------------------------------------ use
    def action_check_out(self):
        """Ask who takes the sample out and for what (the check-out log)."""
        self._qms_check_can_check_out()
        return self._qms_wizard(
            "qms.sample.checkout.wizard", self.env._("Check Out"), {"default_mode": "out"}
        )

    def action_check_in(self):
        """Ask in which condition the sample came back."""
        self._qms_check_can_check_in()
        return self._qms_wizard("qms.sample.checkout.wizard", self.env._("Check In"), {"default_mode": "in"})

    def _qms_wizard(self, model, name, context):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {**context, "default_sample_id": self.id},
        }

    def _qms_check_can_check_out(self, in_room=True):
        self._qms_ensure_role("check_out")
        for sample in self:
            if sample.checked_out:
                checkout = sample.current_checkout_id
                raise UserError(
                    self.env._(
                        "%(sample)s is already checked out by %(user)s since %(date)s.",
                        sample=sample.display_name,
                        user=checkout.user_id.name,
                        date=format_datetime(self.env, checkout.date_out, tz=self.env.user.tz),
                    )
                )
            if sample.state != "sealed":
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(sample)s is %(state)s: only a sealed, valid sample can be used.",
                        sample=sample.display_name,
                        state=states[sample.state],
                    )
                )
            if sample.stays_in_room and not in_room:
                raise UserError(
                    self.env._(
                        "%(sample)s is a %(category)s sample: it never leaves the sample room.",
                        sample=sample.display_name,
                        category=sample.category_id.display_name,
                    )
                )

    def _qms_check_can_check_in(self):
        self._qms_ensure_can("check_in")
        for sample in self:
            if not sample.checked_out:
                raise UserError(self.env._("%(sample)s is not checked out.", sample=sample.display_name))

    def _qms_check_out(self, user, purpose, in_room=True, destination=False, note=False):
        """Log the sample taken out by ``user`` for ``purpose``."""
        self._qms_check_can_check_out(in_room)
        self.env["qms.sample.checkout"].sudo().create(
            [
                {
                    "sample_id": sample.id,
                    "user_id": user.id,
                    "purpose": purpose,
                    "in_room": in_room,
                    "destination": destination,
                    "note": note,
                    "issued_by_id": self.env.uid,
                }
                for sample in self
            ]
        )
        return True

    def _qms_check_in(self, condition, note=False):
        """Log the sample back; a damaged one is marked *do not use* and the customer asked for a
        new one."""
        self._qms_check_can_check_in()
        now = fields.Datetime.now()
        for sample in self:
            sample.current_checkout_id.sudo().write(
                {"date_in": now, "condition": condition, "received_by_id": self.env.uid, "note_in": note}
            )
        damaged = self.filtered(lambda s: condition == "damaged" and s.state in ("sealed", "expired"))
        if damaged:
            damaged.sudo()._qms_do_not_use(
                self.env._("Damaged while checked out: %(note)s", note=note or self.env._("no details given"))
            )
        return True

    # ------------------------------------------------------------------ verification
    def action_verify(self):
        """Record a verification of the sample (opens the record, filled in by quality)."""
        self._qms_ensure_can("verify")
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Verify %s", self.display_name),
            "res_model": "qms.sample.verification",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sample_id": self.id, "qms_sample_verify": True},
        }

    def _qms_after_verification(self, verifications):
        """A verification moves the next one: close its reminder; an invalid result takes the
        sample out of use."""
        self._qms_sync_alert_activities(feedback=self.env._("Verified."))
        for verification in verifications.filtered(lambda v: v.result == "invalid"):
            sample = verification.sample_id
            if sample.state in ("sealed", "expired"):
                sample.sudo()._qms_do_not_use(
                    self.env._(
                        "Verification of %(date)s found it no longer valid: %(finding)s",
                        date=format_date(self.env, verification.date_verified),
                        finding=verification.finding or "",
                    )
                )

    # ------------------------------------------------------------------ do not use, replace, destroy
    def action_mark_do_not_use(self):
        self._qms_ensure_can("mark_do_not_use")
        return self._qms_wizard(
            "qms.sample.reason.wizard", self.env._("Do Not Use"), {"default_action": "do_not_use"}
        )

    def action_destroy(self):
        self._qms_check_can_destroy()
        return self._qms_wizard(
            "qms.sample.reason.wizard", self.env._("Destroy"), {"default_action": "destroy"}
        )

    def _qms_mark_do_not_use(self, reason):
        self._qms_ensure_can("mark_do_not_use")
        return self._qms_do_not_use(reason)

    def _qms_do_not_use(self, reason):
        """Take the samples out of use (damaged, found invalid, a design change): isolated, and the
        salesperson asked to have the customer confirm a new one."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the sample must not be used."))
        self._qms_workflow_write(
            {
                "state": "do_not_use",
                "do_not_use_reason": reason,
                "do_not_use_by_id": self.env.uid,
                "date_do_not_use": fields.Datetime.now(),
            }
        )
        todos = []
        for sample in self:
            sample._qms_system_post(
                Markup(self.env._("Marked <strong>do not use</strong> and isolated: %(reason)s"))
                % {"reason": reason}
            )
            contact = sample.partner_id.user_id or sample.user_id
            if contact:
                reader = sample._qms_reader(contact)
                todos.append(
                    reader._qms_todo_vals(
                        contact,
                        reader.env._(
                            "Ask %(customer)s to confirm a new sample", customer=sample.partner_id.name
                        ),
                        note=reason,
                    )
                )
        if todos:
            self._qms_system_activities(todos)
        self._qms_sync_alert_activities(feedback=self.env._("Taken out of use."))
        return True

    def action_replace(self):
        """A new sample in draft for the same customer, product and category, to be reviewed and
        sealed again (signed again with the customer); sealing it replaces this one."""
        self._qms_ensure_can("replace")
        self.ensure_one()
        if self.replacement_ids.filtered(lambda s: s.state in ("draft", "review")):
            raise UserError(
                self.env._(
                    "%(sample)s is already being replaced by %(new)s.",
                    sample=self.display_name,
                    new=self.replacement_ids.filtered(lambda s: s.state in ("draft", "review"))[
                        :1
                    ].display_name,
                )
            )
        # Only Replace links a sample to the one it replaces.
        with self._qms_granted({"replaces_id"}):
            new = self.create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "product_id": self.product_id.id,
                    "title": self.title,
                    "category_id": self.category_id.id,
                    "sample_type": self.sample_type,
                    "reference_purpose": self.reference_purpose,
                    "guidance_aspect": self.guidance_aspect,
                    "quantity": self.quantity,
                    "customer_signs": self.customer_signs,
                    "user_id": self.user_id.id,
                    "replaces_id": self.id,
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.sample",
            "res_id": new.id,
            "view_mode": "form",
        }

    def _qms_check_can_destroy(self):
        self._qms_ensure_can("destroy")
        for sample in self:
            if sample.checked_out:
                raise UserError(
                    self.env._(
                        "%(sample)s is checked out by %(user)s: it can only be destroyed once it is back.",
                        sample=sample.display_name,
                        user=sample.current_checkout_id.user_id.name,
                    )
                )

    def _qms_destroy(self, note):
        """Record the destruction of expired, invalid or replaced samples."""
        self._qms_check_can_destroy()
        if not (note or "").strip():
            raise UserError(self.env._("Record how and by whom the sample was destroyed."))
        self._qms_workflow_write(
            {
                "state": "destroyed",
                "destroyed_by_id": self.env.uid,
                "date_destroyed": fields.Datetime.now(),
                "destruction_note": note,
            }
        )
        return True

    # ------------------------------------------------------------------ design change
    @api.model
    def _qms_design_change(self, products, revision):
        """A new drawing revision of ``products`` makes their samples of another revision invalid
        at once; their keepers are told by the system."""
        samples = self.sudo().search(
            [
                ("product_id", "in", products.ids),
                ("state", "in", VALID_STATES),
                ("drawing_revision", "!=", revision),
            ]
        )
        for company, group in samples.grouped("company_id").items():
            lang = company.partner_id.lang or self.env.lang
            env_lang = group.with_context(lang=lang)
            env_lang._qms_do_not_use(
                env_lang.env._(
                    "Design change: the customer's drawing revision %(revision)s replaces this sample's.",
                    revision=revision or "-",
                )
            )
        return samples

    # ------------------------------------------------------------------ scheduled action
    _qms_expiry_batch = 1000

    @api.model
    def _cron_qms_samples(self):
        """Expire the sealed samples past their last valid day, then chase the expiry and
        verification deadlines (the engine's reminders 30 days before, escalation after)."""
        self._qms_expire_due()
        return self._qms_cron_deadlines()

    @api.model
    def _qms_expire_due(self):
        now = fields.Datetime.now()
        samples = self.sudo().search(
            [("state", "=", "sealed"), ("expiry_deadline", "<=", now)],
            order="expiry_deadline, id",
            limit=self._qms_expiry_batch,
        )
        samples = samples._qms_lock_for_update()
        if not samples:
            return samples
        samples._qms_workflow_write({"state": "expired", "date_expired": now})
        root = self.env.ref("base.partner_root")
        for company, group in samples.grouped("company_id").items():
            env = group.with_context(lang=company.partner_id.lang or self.env.lang).env
            body = Markup("<p>%s</p>") % env._(
                "Expired: no longer valid. Replace it, sign it again with the customer, and destroy it."
            )
            group._message_log_batch(
                dict.fromkeys(group.ids, body), author_id=root.id, email_from=root.email_formatted
            )
        return samples

    # ------------------------------------------------------------------ demo data
    @api.model
    def _qms_demo_samples(self):
        """Demo samples, made by the post-install hook as each user (their notes and to-dos in their
        language): Jiangnan's plastic switch housing sealed by quality and R&D five months and a
        half ago, labelled, checked out for a first-article comparison and back, verified, and
        expiring within the month; Huadong's caliper limit sample waiting for R&D's signature; an
        expired rubber seal sample waiting to be replaced."""
        ref = self.env.ref
        today = self.env.company._qms_local_today()

        def as_user(records, xml):
            user = ref(xml)
            return records.with_user(user).with_context(lang=user.lang)

        quality = "qms_customer.user_qms_quality"
        housing = self._qms_demo_sample(
            "qms_customer.sample_jiangnan_housing",
            {
                "partner_id": ref("qms_customer.partner_jiangnan").id,
                "product_id": ref("qms_customer.product_housing").id,
                "title": "开关外壳 SH-08 颜色限度样 (colour limit)",
                "category_id": ref("qms_customer.sample_category_plastic").id,
                "sample_type": "limit",
                "customer_signs": True,
                "customer_signer_name": "江南家电 IQC 孙婷",
                "storage_location": "样品室 A-03",
            },
            sealed_on=today - relativedelta(months=5, days=12),
        )
        as_user(housing, quality)._qms_check_out(
            ref("qms_customer.user_qms_technical"), "first_article", note="首件比对 / first article, lot 2409"
        )
        as_user(housing, quality)._qms_check_in("good", note="完好 / as issued")
        as_user(self.env["qms.sample.verification"], quality).create(
            {
                "sample_id": housing.id,
                "date_verified": today - relativedelta(months=2),
                "with_customer": True,
                "finding": "颜色、光泽与限度一致。(Colour and gloss within the limit.)",
            }
        )
        self._qms_demo_sample(
            "qms_customer.sample_huadong_caliper",
            {
                "partner_id": ref("qms_customer.partner_huadong").id,
                "product_id": ref("qms_customer.product_caliper").id,
                "category_id": ref("qms_customer.sample_category_other").id,
                "sample_type": "reference",
                "reference_purpose": "inspection",
                "storage_location": "样品室 B-01",
            },
            sign=("quality",),
        )
        self._qms_demo_sample(
            "qms_customer.sample_jiangnan_seal",
            {
                "partner_id": ref("qms_customer.partner_jiangnan").id,
                "product_id": ref("qms_customer.product_seal").id,
                "category_id": ref("qms_customer.sample_category_rubber").id,
                "sample_type": "reference",
                "reference_purpose": "inspection",
                "storage_location": "样品室 A-07",
            },
            sealed_on=today - relativedelta(months=3, days=5),
        )
        self._qms_expire_due()

    @api.model
    def _qms_demo_sample(self, xmlid, vals, sealed_on=None, sign=("quality", "technical")):
        """Demo: a sample registered by quality and signed by ``sign``; sealed (and dated back to
        ``sealed_on``) when that is given."""
        ref = self.env.ref

        def as_user(records, xml):
            user = ref(xml)
            return records.with_user(user).with_context(lang=user.lang)

        signers = {
            "quality": "qms_customer.user_qms_quality_manager",
            "technical": "qms_customer.user_qms_technical",
        }
        sample = as_user(self, "qms_customer.user_qms_quality").create(
            {**vals, "user_id": ref("qms_customer.user_qms_quality").id}
        )
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": sample, "noupdate": True}])
        sample.action_submit_review()
        for side in sign:
            as_user(sample, signers[side])._qms_sign(side)
        if sample.customer_signs:
            sample.action_sign_customer()
        if sealed_on:
            sample.action_seal()
            # Dated back: the demo shows a sample near the end of its validity.
            moment = sample.company_id._qms_local_to_utc(sealed_on) + timedelta(hours=2)
            sample.sudo()._qms_workflow_write(
                {
                    "date_sealed": sealed_on,
                    "date_valid_until": sealed_on + relativedelta(months=sample.category_id.validity_months),
                    "date_applied": moment - timedelta(hours=1),
                    "quality_signed_on": moment,
                    "technical_signed_on": moment,
                    "customer_signed_on": sample.customer_signed_on and moment,
                }
            )
        return sample

    # ------------------------------------------------------------------ guards
    # What the sealing review reviewed: changing it afterwards would bypass the signatures.
    _QMS_REVIEWED_FIELDS = (
        "partner_id",
        "product_id",
        "title",
        "drawing_revision",
        "category_id",
        "sample_type",
        "quantity",
        "customer_signs",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        return super().create(vals_list)

    def write(self, vals):
        reviewed = not self.env.su and qms_changing(self, self._QMS_REVIEWED_FIELDS, vals)
        if reviewed:
            locked = self.filtered(lambda s: s.state != "draft")
            if locked:
                raise UserError(
                    self.env._(
                        "%(sample)s is %(state)s: %(fields)s can no longer change. Replace the sample "
                        "instead.",
                        sample=locked[0].display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[locked[0].state],
                        fields=self._qms_labels(reviewed),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(s.state != "draft" or s.date_applied for s in self):
            raise UserError(
                self.env._(
                    "A sample with history cannot be deleted: destroy it with a record, or archive it."
                )
            )

    # ------------------------------------------------------------------ smart buttons
    def action_view_verifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_sample_verification")
        action["domain"] = [("sample_id", "=", self.id)]
        action["context"] = {"default_sample_id": self.id}
        return action

    def action_view_checkouts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_sample_checkout")
        action["domain"] = [("sample_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_print_label(self):
        return self.env.ref("qms_customer.action_report_qms_sample_label").report_action(self)
