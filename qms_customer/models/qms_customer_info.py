from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import clean_context
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
QUALITY = "qms_customer.group_qms_quality"
TECHNICAL = "qms_customer.group_qms_technical"
CHIEF = "qms_customer.group_qms_chief_engineer"
GM = "qms_customer.group_qms_general_manager"
MREP = "qms_customer.group_qms_management_rep"
# The market department registers (顾客信息登记表); quality registers what reaches it too.
REGISTRARS = (SALES, QUALITY)
# Whoever registers replies; the chief engineer may answer the important information he receives.
REPLIERS = (SALES, QUALITY, CHIEF)
# The deadline step of the reply: 8 hours after the information came in (seed 002 4.2.1).
REPLY_STEP = "customer_info_reply"
# A key account's opinion or request is answered in full within 5 working days (seed 001: 关键客户
# 的意见在 5 个工作日内答复); a quality problem becomes a complaint with its own deadlines.
ANSWER_STEP = "customer_info_answer"
ANSWER_TYPES = ("commitment", "suggestion", "current_product", "future_product")

CHANNELS = [
    ("letter", "Letter"),
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("visit", "Visit"),
    ("email", "E-mail"),
    ("on_site", "On-site Service"),
    ("portal", "Portal"),
]
INFO_TYPES = [
    ("current_product", "Expectation on Current Products"),
    ("future_product", "Expectation on Future Products"),
    ("quality_problem", "Quality Problem"),
    ("commitment", "Opinion on Quality Commitments"),
    ("suggestion", "Suggestion"),
]
# Information that becomes a corrective / preventive action rather than a complaint.
ACTION_TYPES = ("suggestion", "commitment")
OPEN_STATES = ("registered", "replied")
FINAL_STATES = ("closed", "converted", "cancelled")
# What the customer told us and when: the register's record, fixed once the reply is given.
RECORD_FIELDS = ("partner_id", "contact_id", "channel", "date_received", "subject", "content", "reply")
# The classification and the responsible person may still be corrected until the record ends.
TRIAGE_FIELDS = ("info_type", "important", "user_id")


class QmsCustomerInfo(models.Model):
    """One contact with a customer in the customer information register (顾客信息登记表): who said
    what, through which channel, of which type; replied within 8 hours, important information
    reported to the chief engineer at once, a quality problem converted into a complaint and a
    suggestion into an action (REQUIREMENTS §2)."""

    _name = "qms.customer.info"
    _description = "Customer Information"
    _inherit = [
        "qms.deadline.mixin",
        "qms.action.source",
        "qms.complaint.source",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_received desc, id desc"
    _qms_sequence_code = "qms.customer.info"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = FINAL_STATES
    _qms_final_states = FINAL_STATES
    _qms_deadline_specs = (
        DeadlineSpec("reply_deadline", "date_replied", "date_received", "user_id"),
        DeadlineSpec("answer_deadline", "date_answered", "date_received", "user_id"),
    )
    _qms_workflow_fields = (
        "state",
        "registered_by_id",
        "date_replied",
        "replied_by_id",
        "date_answered",
        "answered_by_id",
        "date_answer_sent",
        "answer_sent_by_id",
        "date_closed",
        "closed_by_id",
        "date_converted",
        "cancel_reason",
    )
    _qms_fixed_fields = ("name",)
    # The chief engineer answers; what was registered stays the registrar's.
    _qms_role_fields = {REGISTRARS: RECORD_FIELDS[:-1] + TRIAGE_FIELDS}
    _qms_file_fields = ("attachment_ids",)
    _qms_transitions = {
        "reply": Transition(("registered",), REPLIERS, _lt("reply to")),
        "answer": Transition(OPEN_STATES, REPLIERS, _lt("answer")),
        "close": Transition(("replied",), REGISTRARS, _lt("close")),
        "convert": Transition(OPEN_STATES, REGISTRARS, _lt("convert into a complaint")),
        "new_action": Transition(OPEN_STATES + ("closed",), (QUALITY,), _lt("raise an action for")),
        "cancel": Transition(OPEN_STATES, REGISTRARS, _lt("cancel")),
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    can_reply = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    can_answer = fields.Boolean(compute="_compute_qms_can")
    can_convert = fields.Boolean(compute="_compute_qms_can")
    can_new_action = fields.Boolean(compute="_compute_qms_can")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
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
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('id', '!=', partner_id)]",
        help="Who at the customer gave the information.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    info_type = fields.Selection(
        INFO_TYPES,
        string="Information Type",
        required=True,
        default="current_product",
        index=True,
        tracking=True,
    )
    important = fields.Boolean(
        string="Important Information",
        index=True,
        tracking=True,
        help="Reported to the chief engineer at once (a to-do and a notification).",
    )
    subject = fields.Char(required=True, help="The information in a few words.")
    content = fields.Html(sanitize_style=True, help="What the customer said or wrote, in full.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "qms_customer_info_attachment_rel",
        "info_id",
        "attachment_id",
        string="Attachments",
        help="The letter, fax, e-mail or photos the customer sent.",
    )
    date_received = fields.Datetime(
        string="Received On",
        required=True,
        index=True,
        default=fields.Datetime.now,
        tracking=True,
        help="When the customer gave the information: the reply is due 8 hours later.",
    )
    registered_by_id = fields.Many2one("res.users", readonly=True, copy=False, default=lambda s: s.env.user)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('share', '=', False)]",
        help="Who replies to the customer: by default the customer's salesperson.",
    )
    reply_deadline = fields.Datetime(
        string="Reply Due By",
        compute="_compute_reply_deadline",
        store=True,
        index=True,
        copy=False,
        help="The customer gets a reply within 8 hours of the information (Settings › Deadline Rules).",
    )
    reply_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    reply = fields.Text(copy=False, help="What we answered the customer.")
    date_replied = fields.Datetime(string="Replied On", readonly=True, copy=False)
    replied_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    answer_required = fields.Boolean(
        string="Answer Due",
        compute="_compute_answer_required",
        store=True,
        precompute=True,
        copy=False,
        help="An opinion or request of a key account: answered in full within 5 working days of its "
        "registration (the customer's key-account status when it was registered counts).",
    )
    answer_deadline = fields.Datetime(
        string="Opinion Answer Due By",
        compute="_compute_answer_deadline",
        store=True,
        precompute=True,
        index=True,
        copy=False,
        help="A key account's opinion is answered within 5 working days (Settings › Deadline Rules).",
    )
    answer_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    answer = fields.Text(copy=False, help="Our full answer to the key account's opinion or request.")
    date_answered = fields.Datetime(string="Answered On", readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_answer_sent = fields.Datetime(string="Answer Sent On", readonly=True, copy=False)
    answer_sent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("registered", "Registered"),
            ("replied", "Replied"),
            ("closed", "Closed"),
            ("converted", "Converted to Complaint"),
            ("cancelled", "Cancelled"),
        ],
        default="registered",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_converted = fields.Datetime(string="Converted On", readonly=True, copy=False)
    qms_complaint_ids = fields.One2many("qms.complaint", "customer_info_id", string="Complaints")
    qms_complaint_count = fields.Integer(compute="_compute_qms_complaint_count", string="Complaint Count")
    complaint_id = fields.Many2one(
        "qms.complaint", compute="_compute_complaint_id", help="The complaint this information became."
    )
    cancel_reason = fields.Text(readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id")
    def _compute_user_id(self):
        for info in self:
            user = info.partner_id.sudo().user_id or info.user_id or self.env.user
            # A salesperson of another company cannot reply for this one: the registrar does.
            info.user_id = user if info.company_id in user.company_ids else self.env.user

    @api.depends("date_received", "partner_id", "company_id")
    def _compute_reply_deadline(self):
        cache = {}  # the rules and the calendar's working time, read once for the batch
        for info in self:
            if info.date_received and info.company_id:
                info.reply_deadline = info.company_id._qms_deadline(
                    REPLY_STEP, info.date_received, info.partner_id, cache
                )
            else:
                info.reply_deadline = False

    @api.depends("info_type", "partner_id")
    def _compute_answer_required(self):
        # Fixed by what the customer was when the opinion came in: the key-account flag is read
        # here (partner_id changes only while registered), not a dependency.
        for info in self:
            partner = info.partner_id.sudo().commercial_partner_id
            info.answer_required = bool(partner.qms_key_account) and info.info_type in ANSWER_TYPES

    @api.depends("answer_required", "date_received", "partner_id", "company_id")
    def _compute_answer_deadline(self):
        cache = {}
        for info in self:
            if info.answer_required and info.date_received and info.company_id:
                info.answer_deadline = info.company_id._qms_deadline(
                    ANSWER_STEP, info.date_received, info.partner_id, cache
                )
            else:
                info.answer_deadline = False

    @api.depends("qms_complaint_ids")
    def _compute_complaint_id(self):
        for info in self:
            info.complaint_id = info.qms_complaint_ids[:1]

    # ------------------------------------------------------------------ constraints
    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for info in self:
            if info.contact_id and info.contact_id.commercial_partner_id != info.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: choose one of the customer's own "
                        "contacts.",
                        contact=info.contact_id.sudo().display_name,
                        customer=info.partner_id.display_name,
                    )
                )

    @api.constrains("date_received", "date_replied")
    def _check_dates(self):
        now = fields.Datetime.now()
        for info in self:
            if info.date_received > now:
                raise ValidationError(
                    self.env._(
                        "%(info)s cannot have been received in the future: enter when the customer gave "
                        "the information.",
                        info=info.display_name,
                    )
                )
            if info.date_replied and info.date_received > info.date_replied:
                raise ValidationError(
                    self.env._(
                        "%(info)s was replied to before it was received: the date it was received must "
                        "come before the reply.",
                        info=info.display_name,
                    )
                )

    # ------------------------------------------------------------------ create / write guards
    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        for vals in vals_list:
            # Registered on a contact: the customer is its company, the contact the person.
            partner = partners.browse(vals.get("partner_id"))
            if partner and partner.commercial_partner_id != partner:
                vals.setdefault("contact_id", partner.id)
                vals["partner_id"] = partner.commercial_partner_id.id
        infos = super().create(vals_list)
        infos._qms_ask_to_reply()
        infos.filtered("important")._qms_notify_chief_engineer()
        return infos

    def write(self, vals):
        if not self.env.su:
            self._qms_check_locked(vals)
            answered = qms_changing(self, ("answer",), vals) and self.filtered("date_answered")
            if answered:
                raise UserError(
                    self.env._(
                        "%(info)s is answered: the answer can no longer change.",
                        info=answered[:1].display_name,
                    )
                )
        newly_important = self.browse()
        if vals.get("important"):
            newly_important = self.filtered(lambda i: not i.important)
        # Passed on before the reply: the to-do to reply follows the responsible.
        previous = {}
        if vals.get("user_id"):
            previous = {
                info: info.user_id
                for info in self
                if info.state == "registered" and info.user_id.id != vals["user_id"]
            }
        result = super().write(vals)
        for info, user in previous.items():
            info._qms_done_system_todos(self.env._("Passed on to another person."), users=user)
        self.browse([info.id for info in previous])._qms_ask_to_reply()
        newly_important._qms_notify_chief_engineer()
        return result

    def _qms_check_locked(self, vals):
        """The register keeps what the customer said and what we replied: fixed once replied; the
        classification and the responsible can be corrected until the record ends."""
        for names, states in ((RECORD_FIELDS, ("registered",)), (TRIAGE_FIELDS, OPEN_STATES)):
            changed = qms_changing(self, names, vals)
            locked = changed and self.filtered(lambda i, states=states: i.state not in states)
            if locked:
                self._qms_check_access_first(False)
                states_labels = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(info)s is %(state)s: %(fields)s can no longer change.",
                        info=locked[:1].display_name,
                        state=states_labels[locked[:1].state],
                        fields=self._qms_labels(changed),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "The customer information register keeps every record: cancel it with a reason or "
                "archive it instead."
            )
        )

    # ------------------------------------------------------------------ system to-dos
    def _qms_ask_to_reply(self):
        """Registered for someone else (quality for the salesperson's customer): a system to-do
        for the responsible to reply, due on the reply deadline's day."""
        todos = []
        for info in self:
            user = info.user_id
            if not user or user == self.env.user or info.state != "registered":
                continue
            reader = info._qms_reader(user)
            todos.append(
                reader._qms_todo_vals(
                    user,
                    reader.env._(
                        "Reply to %(customer)s: %(subject)s",
                        customer=info.partner_id.name,
                        subject=info.subject,
                    ),
                    date_deadline=info.reply_deadline and info._qms_local_date(info.reply_deadline, user),
                    note=info.content,
                )
            )
        if todos:
            self._qms_system_activities(todos)

    def _qms_notify_chief_engineer(self):
        """Important information goes to the chief engineers of the company at once (seed 002
        4.1.3): they follow the record, are notified by the system (in Odoo when they have no
        e-mail address) and get a to-do; one open to-do per record and chief engineer."""
        records = self.filtered(lambda i: i.state in OPEN_STATES)
        if not records:
            return
        chiefs_of = {company: company._qms_users_in(CHIEF) for company in records.company_id}
        todo_type = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        root = self.env["ir.model.data"]._xmlid_to_res_id("base.user_root")
        open_todos = {
            (activity.res_id, activity.user_id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", records.ids),
                    ("activity_type_id", "=", todo_type),
                    ("create_uid", "=", root),
                ]
            )
        }
        todos = []
        for info in records:
            chiefs = chiefs_of[info.company_id].filtered(lambda u, info=info: (info.id, u) not in open_todos)
            if not chiefs:
                continue
            info.sudo().message_subscribe(partner_ids=chiefs.partner_id.ids)
            reader = info.with_context(lang=chiefs[:1].lang or self.env.lang)
            info._qms_system_post(
                info._qms_important_body(reader.env),
                partner_ids=chiefs.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            for chief in chiefs:
                local = info._qms_reader(chief)
                todos.append(
                    local._qms_todo_vals(
                        chief,
                        local.env._(
                            "Important customer information from %(customer)s: %(subject)s",
                            customer=info.partner_id.name,
                            subject=info.subject,
                        ),
                        note=info.content,
                    )
                )
        if todos:
            self._qms_system_activities(todos)

    def _qms_important_body(self, env):
        """The notification of important information, in the language of ``env``."""
        self.ensure_one()
        types = dict(self._fields["info_type"]._description_selection(env))
        channels = dict(self._fields["channel"]._description_selection(env))
        body = Markup("<p><strong>%s</strong></p>") % env._(
            "Important customer information %(info)s from %(customer)s: for the chief engineer.",
            info=self.name,
            customer=self.partner_id.display_name,
        )
        rows = [
            (env._("Information Type"), types[self.info_type]),
            (env._("Channel"), channels[self.channel]),
            (env._("Subject"), self.subject),
        ]
        body += Markup("").join(Markup("<p><strong>%s</strong>: %s</p>") % row for row in rows)
        return body + (self.content or Markup(""))

    # ------------------------------------------------------------------ workflow
    def action_reply(self):
        """The customer got our reply (by phone, letter, e-mail...): the 8-hour deadline is met."""
        self._qms_ensure_can("reply")
        now = fields.Datetime.now()
        for info in self:
            if not (info.reply or "").strip():
                raise UserError(self.env._("Write what was replied to the customer in %s first.", info.name))
            if info.date_received > now:
                raise UserError(
                    self.env._(
                        "%(info)s is registered as received on a later date: it cannot be replied to "
                        "before it was received.",
                        info=info.display_name,
                    )
                )
        self._qms_workflow_write({"state": "replied", "date_replied": now, "replied_by_id": self.env.uid})
        for info in self:
            info._qms_done_system_todos(self.env._("Replied."), users=info.user_id)
        return True

    def action_answer(self):
        """The key account got our full answer to its opinion: the 5-working-day deadline is met.
        Answered at once, the answer is also the reply."""
        self._qms_ensure_can("answer")
        for info in self:
            if not info.answer_required:
                raise UserError(
                    self.env._(
                        "%(info)s needs no answer: only the opinions and requests of key accounts are "
                        "answered within 5 working days; use Replied.",
                        info=info.display_name,
                    )
                )
            if info.date_answered:
                raise UserError(self.env._("%(info)s is already answered.", info=info.display_name))
            if not (info.answer or "").strip():
                raise UserError(self.env._("Write the answer to the customer in %s first.", info.name))
        now = fields.Datetime.now()
        unreplied = self.filtered(lambda i: i.state == "registered")
        for info in unreplied.filtered(lambda i: not (i.reply or "").strip()):
            info.reply = info.answer
        unreplied._qms_workflow_write(
            {"state": "replied", "date_replied": now, "replied_by_id": self.env.uid}
        )
        self._qms_workflow_write({"date_answered": now, "answered_by_id": self.env.uid})
        for info in self:
            info._qms_done_system_todos(self.env._("Answered."), users=info.user_id)
            info._qms_system_post(self.env._("Answered: %(answer)s", answer=info.answer))
        return True

    def action_send_answer(self):
        """E-mail the customer opinion reply (客户意见答复单) with our answer, in the customer's
        language, from the user or the company when the user has no address."""
        for info in self:
            if not info.date_answered:
                raise UserError(
                    self.env._("%(info)s is not answered yet: answer it first.", info=info.display_name)
                )
            if not (info.contact_id.email or info.partner_id.email):
                raise UserError(
                    self.env._(
                        "%(customer)s has no e-mail address: enter one on the customer before sending the "
                        "answer of %(info)s.",
                        customer=info.partner_id.display_name,
                        info=info.name,
                    )
                )
        self.check_access("write")
        self._qms_ensure_sender()
        template = self.env.ref("qms_customer.mail_template_qms_customer_info_answer")
        for info in self:
            info._qms_mail_customer(template)
        self._qms_workflow_write(
            {"date_answer_sent": fields.Datetime.now(), "answer_sent_by_id": self.env.uid}
        )
        return True

    def action_print_answer(self):
        return self.env.ref("qms_customer.action_report_qms_customer_info_answer").report_action(self)

    def action_close(self):
        """The handling of the information is over (monthly follow-up of the register)."""
        self._qms_ensure_can("close")
        unanswered = self.filtered(lambda i: i.answer_required and not i.date_answered)
        if unanswered:
            raise UserError(
                self.env._(
                    "%(info)s is an opinion of a key account: answer it before closing it.",
                    info=unanswered[:1].display_name,
                )
            )
        self._qms_workflow_write(
            {"state": "closed", "date_closed": fields.Datetime.now(), "closed_by_id": self.env.uid}
        )
        self._qms_done_system_todos(self.env._("Closed."))
        return True

    def action_cancel(self):
        result = super().action_cancel()
        self._qms_done_system_todos(self.env._("Cancelled."))
        return result

    # ------------------------------------------------------------------ complaint
    def _qms_complaint_defaults(self):
        """The complaint prefilled from the information: its customer, contact, channel, the
        moment the customer called (the complaint's own 8-hour reply starts there) and the text."""
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.id,
            "default_contact_id": self.contact_id.id,
            "default_company_id": self.company_id.id,
            "default_customer_info_id": self.id,
            "default_channel": self.channel,
            "default_date_received": fields.Datetime.to_string(self.date_received),
            "default_description": self.content or Markup("<p>%s</p>") % self.subject,
        }

    def _qms_check_convertible(self, complaint=None):
        """Only an open quality problem becomes a complaint, once (``complaint``: the one being
        registered from it), by sales or quality."""
        for info in self:
            earlier = info.sudo().qms_complaint_ids - (complaint or self.env["qms.complaint"]).sudo()
            if earlier or info.state == "converted":
                raise UserError(
                    self.env._(
                        "%(info)s was already converted into complaint %(complaint)s.",
                        info=info.display_name,
                        complaint=earlier[:1].name or "-",
                    )
                )
            if info.info_type != "quality_problem":
                types = dict(self._fields["info_type"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(info)s is of type %(type)s: only a quality problem becomes a complaint.",
                        info=info.display_name,
                        type=types[info.info_type],
                    )
                )
        self._qms_ensure_can("convert")

    def action_convert_to_complaint(self):
        """One click: the complaint is registered with the prefill of *Register Complaint*, linked
        back to this information, which is then converted."""
        self.ensure_one()
        self._qms_check_convertible()
        vals = {key.removeprefix("default_"): value for key, value in self._qms_complaint_defaults().items()}
        # The form's own defaults (a partner's action) must not leak into the complaint.
        complaint = self.env(context=clean_context(self.env.context))["qms.complaint"].create(vals)
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _qms_converted(self, complaint):
        """``complaint`` was registered from this information (by the button or the complaint
        form): the information is converted and both records say so."""
        self.ensure_one()
        self._qms_check_convertible(complaint)
        if complaint.partner_id != self.partner_id:
            raise ValidationError(
                self.env._(
                    "%(complaint)s is for %(other)s, not for %(customer)s of %(info)s.",
                    complaint=complaint.display_name,
                    other=complaint.partner_id.display_name,
                    customer=self.partner_id.display_name,
                    info=self.display_name,
                )
            )
        self._qms_workflow_write({"state": "converted", "date_converted": fields.Datetime.now()})
        self._qms_done_system_todos(self.env._("Converted into complaint %s.", complaint.name))
        self._qms_system_post(self.env._("Converted into complaint %s.", complaint.name))
        complaint._qms_system_post(
            self.env._("Registered from customer information %(info)s.", info=self.name)
        )

    # ------------------------------------------------------------------ actions
    def action_qms_new_action(self):
        """A suggestion (or an opinion on our quality commitments) becomes a preventive or
        corrective action of this record: its form, prefilled with the customer's words."""
        self.ensure_one()
        self._qms_ensure_can("new_action")
        if self.info_type not in ACTION_TYPES:
            types = dict(self._fields["info_type"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(info)s is of type %(type)s: actions are raised from suggestions and opinions on our "
                    "quality commitments (a quality problem becomes a complaint).",
                    info=self.display_name,
                    type=types[self.info_type],
                )
            )
        text = (self.content and self.content.striptags().strip()) or self.subject
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Action"),
            "res_model": "qms.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_action_type": "preventive" if self.info_type == "suggestion" else "corrective",
                "default_description": text if text == self.subject else f"{self.subject}\n{text}",
            },
        }

    def action_qms_new_service_rating(self):
        """Record how the customer rated the on-site service or visit of this contact."""
        self.ensure_one()
        return self.env["qms.service.rating"]._qms_new_rating_action(self, self.user_id)

    # ------------------------------------------------------------------ demo
    @api.model
    def _qms_demo_customer_info(self):
        """Demo register (post-install hook, as the demo users): an important quality problem
        reported to the chief engineer and converted into a complaint, a suggestion that became a
        preventive action (a key account's, its full answer still due), a replied expectation, a key
        account's opinion answered within 5 working days, and a phone call left unanswered (overdue)."""
        ref = self.env.ref
        now = fields.Datetime.now()
        sales, sales2 = ref("qms_customer.user_qms_sales"), ref("qms_customer.user_qms_sales2")
        quality = ref("qms_customer.user_qms_quality")
        company = sales.company_id

        def as_user(records, user):
            return records.with_user(user).with_context(lang=user.lang).with_company(company)

        problem = as_user(self, sales).create(
            {
                "partner_id": ref("qms_customer.partner_huadong").id,
                "contact_id": ref("qms_customer.partner_huadong_contact").id,
                "channel": "phone",
                "info_type": "quality_problem",
                "important": True,
                "subject": "BC-200 制动钳装车后异响 (caliper noise after assembly)",
                "content": Markup(
                    "<p>客户 SQE 来电：总装线 3 台整车路试时制动钳异响，怀疑导向销润滑脂不足，"
                    "要求 24 小时内派人到现场。(3 vehicles squeal on the road test; guide-pin grease "
                    "suspected; on-site support asked within 24 h.)</p>"
                ),
                "date_received": now - timedelta(hours=2),
            }
        )
        problem = as_user(problem, sales)
        problem.write(
            {"reply": "已电话回复：今晚安排质量工程师王芳到现场。(Quality engineer on site tonight.)"}
        )
        problem.action_reply()
        problem.action_convert_to_complaint()

        suggestion = as_user(self, sales2).create(
            {
                "partner_id": ref("qms_customer.partner_jiangnan").id,
                "channel": "visit",
                "info_type": "suggestion",
                "subject": "建议改用可回收周转箱 (returnable containers)",
                "content": Markup(
                    "<p>客户采购来访时建议：密封圈改用可回收周转箱包装，减少纸箱破损和来料检验时间。"
                    "(Pack seals in returnable containers: fewer broken cartons, faster incoming "
                    "inspection.)</p>"
                ),
                "date_received": now - timedelta(days=3),
            }
        )
        suggestion = as_user(suggestion, sales2)
        suggestion.write(
            {"reply": "感谢建议，已转品质部评估包装方案。(Passed to quality for a packaging study.)"}
        )
        suggestion.action_reply()
        action = as_user(suggestion, quality).action_qms_new_action()
        as_user(self.env["qms.action"], quality).with_context(**action["context"]).create(
            {
                "user_id": quality.id,
                "date_deadline": (now + timedelta(days=30)).date(),
            }
        )

        expectation = as_user(self, sales).create(
            {
                "partner_id": ref("qms_customer.partner_xinghe").id,
                "channel": "email",
                "info_type": "future_product",
                "subject": "明年新平台需要轻量化支架 (lightweight bracket for the new platform)",
                "content": Markup(
                    "<p>客户邮件：2026 年新平台支架需减重 15%，希望我司提供铝合金方案。"
                    "(Brackets of the 2026 platform 15 % lighter: an aluminium proposal is asked.)</p>"
                ),
                "date_received": now - timedelta(days=5),
            }
        )
        expectation = as_user(expectation, sales)
        expectation.write({"reply": "已回复将在两周内提供铝合金支架方案。(Proposal within two weeks.)"})
        expectation.action_reply()
        expectation.action_close()

        # A key account's opinion on our commitments, answered in full within the 5 working days.
        opinion = as_user(self, sales).create(
            {
                "partner_id": ref("qms_customer.partner_huadong").id,
                "contact_id": ref("qms_customer.partner_huadong_contact").id,
                "channel": "letter",
                "info_type": "commitment",
                "subject": "PPAP 文件提交周期过长 (PPAP documents take too long)",
                "content": Markup(
                    "<p>客户来函：新零件 PPAP 文件承诺 10 天提交，实际 18 天，请说明改进措施。"
                    "(PPAP documents promised in 10 days took 18: the customer asks what we improve.)</p>"
                ),
                "date_received": now - timedelta(days=4),
            }
        )
        opinion = as_user(opinion, sales)
        opinion.write({"reply": "已收到来函，将在一周内正式答复。(Received: formal answer within a week.)"})
        opinion.action_reply()
        opinion.write(
            {
                "answer": "PPAP 文件改由技术部专人负责，提交周期缩短至 7 天，附改进计划。"
                "(A dedicated engineer now owns PPAP files: 7 days from now on, plan attached.)"
            }
        )
        opinion.action_answer()

        as_user(self, sales2).create(
            {
                "partner_id": ref("qms_customer.partner_pearl").id,
                "channel": "phone",
                "info_type": "commitment",
                "subject": "交期承诺未兑现 (delivery promise not kept)",
                "content": Markup(
                    "<p>客户来电：上月承诺 5 天交货，实际 9 天，要求说明原因。"
                    "(Delivery promised in 5 days took 9: the customer wants the reason.)</p>"
                ),
                "date_received": now - timedelta(days=1),
            }
        )
