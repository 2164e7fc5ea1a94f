from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
WAREHOUSE = "qms_customer.group_qms_warehouse"
QUALITY = "qms_customer.group_qms_quality"
TECHNICAL = "qms_customer.group_qms_technical"
# The deadline step (qms.deadline.step code) of the customer's answer to a problem report.
ANSWER_STEP = "property_incident_answer"
# What the customer was told in the problem report: fixed once it is reported.
REPORTED_FIELDS = ("kind", "date_incident", "description", "action_taken", "quantity")
# Property states in which it is not (or no longer) with us: nothing can happen to it here.
NOT_HELD_STATES = ("draft", "returned", "scrapped", "lost")


class QmsCustomerPropertyIncident(models.Model):
    """Loss, damage or unsuitability of customer property (顾客财产问题反馈单): recorded, reported to
    the customer with a PDF, and the customer's answer recorded (REQUIREMENTS §6)."""

    _name = "qms.customer.property.incident"
    _description = "Customer Property Incident"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_incident desc, id desc"
    _qms_sequence_code = "qms.customer.property.incident"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("closed", "cancelled")
    _qms_final_states = ("closed", "cancelled")
    _qms_all_customer_groups = (QUALITY, TECHNICAL, WAREHOUSE)
    _qms_file_fields = ("photo_ids",)
    _qms_deadline_specs = (DeadlineSpec("answer_deadline", "date_answered", "date_reported", "user_id"),)
    _qms_workflow_fields = (
        "state",
        "date_reported",
        "reported_by_id",
        "date_answered",
        "answered_by_id",
        "customer_answer",
        "date_closed",
        "closed_by_id",
        "cancel_reason",
    )
    _qms_fixed_fields = ("name", "property_id")
    _qms_role_fields = {(QUALITY,): ("conclusion",)}
    _qms_transitions = {
        "report": Transition(("draft",), (QUALITY, SALES), _lt("report to the customer")),
        "record_answer": Transition(("reported",), (SALES, QUALITY), _lt("record the customer's answer to")),
        "close": Transition(("answered",), (QUALITY,), _lt("close")),
        "cancel": Transition(("draft",), (QUALITY, SALES), _lt("cancel")),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    can_report = fields.Boolean(compute="_compute_qms_can")
    can_record_answer = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    property_id = fields.Many2one(
        "qms.customer.property",
        string="Customer Property",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('state', 'not in', ('draft', 'returned', 'scrapped', 'lost'))]",
    )
    company_id = fields.Many2one(related="property_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="property_id.partner_id", store=True, index=True, string="Customer")
    property_title = fields.Char(related="property_id.title")
    property_kind = fields.Selection(related="property_id.kind", string="Property Kind", store=True)
    identification = fields.Char(related="property_id.identification")
    # The order's number only: a quality engineer reads no sales orders.
    sale_order_name = fields.Char(related="property_id.sale_order_id.name", string="Sales Order")
    uom_id = fields.Many2one(related="property_id.uom_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Who reports it to the customer and obtains the answer: the salesperson of the property.",
    )
    kind = fields.Selection(
        [("loss", "Loss"), ("damage", "Damage"), ("unsuitable", "Unsuitable for Use")],
        required=True,
        default="damage",
        tracking=True,
    )
    date_incident = fields.Datetime(
        string="Happened On", required=True, default=fields.Datetime.now, tracking=True
    )
    quantity = fields.Float(
        string="Quantity Concerned",
        digits="Product Unit of Measure",
        help="How much of the property is lost, damaged or unsuitable (materials, containers).",
    )
    description = fields.Text(required=True, help="What happened, how it was found, and the extent.")
    action_taken = fields.Text(
        help="What was done at once: isolated, protected, repaired, searched for...",
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "qms_customer_property_incident_photo_rel",
        "incident_id",
        "attachment_id",
        string="Photos / Files",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("reported", "Reported"),
            ("answered", "Answered"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    date_reported = fields.Datetime(string="Reported On", readonly=True, copy=False, index=True)
    reported_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    answer_deadline = fields.Datetime(
        string="Customer's Answer",
        compute="_compute_answer_deadline",
        store=True,
        index=True,
        copy=False,
        help="When the customer's answer to the problem report is due (Settings › Deadline Rules).",
    )
    answer_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    date_answered = fields.Datetime(string="Answered On", readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", string="Answer Recorded By", readonly=True, copy=False)
    customer_answer = fields.Text(
        readonly=True, copy=False, help="What the customer answered: replace, repair, compensate, accept..."
    )
    conclusion = fields.Text(
        tracking=True, help="Quality's conclusion: what was agreed with the customer and done."
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("property_id")
    def _compute_user_id(self):
        for incident in self:
            prop = incident.property_id.sudo()
            incident.user_id = prop.user_id or prop.partner_id.user_id or incident.user_id or self.env.user

    @api.depends("date_reported", "partner_id", "company_id")
    def _compute_answer_deadline(self):
        cache = {}  # the rules and the calendar's working time, read once for the batch
        for incident in self:
            if incident.date_reported and incident.company_id:
                incident.answer_deadline = incident.company_id._qms_deadline(
                    ANSWER_STEP, incident.date_reported, incident.partner_id, cache
                )
            else:
                incident.answer_deadline = False

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        for incident in incidents:
            prop = incident.property_id
            if prop.state in NOT_HELD_STATES:
                states = dict(prop._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(property)s is %(state)s: it is not in our care, so no incident can be "
                        "recorded for it.",
                        property=prop.display_name,
                        state=states[prop.state],
                    )
                )
        incidents._qms_check_date()
        incidents._qms_ask_to_report()
        return incidents

    def write(self, vals):
        changed = not self.env.su and qms_changing(self, REPORTED_FIELDS, vals)
        if changed and any(incident.state != "draft" for incident in self):
            raise UserError(
                self.env._(
                    "%(incident)s was reported to the customer: %(fields)s can no longer change.",
                    incident=self.filtered(lambda i: i.state != "draft")[:1].display_name,
                    fields=self._qms_labels(changed),
                )
            )
        result = super().write(vals)
        if "date_incident" in vals:
            self._qms_check_date()
        return result

    def _qms_check_date(self):
        now = fields.Datetime.now()
        for incident in self:
            if incident.date_incident > now:
                raise UserError(
                    self.env._(
                        "%(incident)s cannot have happened in the future.", incident=incident.display_name
                    )
                )

    def _qms_ask_to_report(self):
        """Recorded by someone else (the warehouse): a system to-do for the responsible to report
        it to the customer."""
        todos = []
        for incident in self:
            user = incident.user_id
            if user and user != self.env.user:
                reader = incident._qms_reader(user)
                todos.append(
                    reader._qms_todo_vals(
                        user,
                        reader.env._(
                            "Report %(incident)s to %(customer)s",
                            incident=incident.name,
                            customer=incident.partner_id.name,
                        ),
                        note=incident.description,
                    )
                )
        if todos:
            self._qms_system_activities(todos)

    # ------------------------------------------------------------------ report to the customer
    def action_report(self):
        """Send the problem report (PDF) to the customer and start waiting for its answer; a loss
        also marks the property lost."""
        self._qms_ensure_can("report")
        for incident in self:
            if not incident.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(customer)s has no e-mail address: enter one on the customer before reporting "
                        "%(incident)s.",
                        customer=incident.partner_id.display_name,
                        incident=incident.name,
                    )
                )
        self._qms_ensure_sender()
        self._qms_workflow_write(
            {"state": "reported", "date_reported": fields.Datetime.now(), "reported_by_id": self.env.uid}
        )
        template = self.env.ref("qms_customer.mail_template_qms_property_incident")
        for incident in self:
            incident._qms_mail_customer(template)
        self._qms_done_system_todos(self.env._("Reported to the customer."))
        lost = self.filtered(lambda i: i.kind == "loss" and i.property_id.state not in NOT_HELD_STATES)
        for incident in lost:
            incident.property_id._qms_mark_lost(incident)
        return True

    # ------------------------------------------------------------------ the customer's answer
    def action_record_answer(self):
        self._qms_ensure_can("record_answer")
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer's Answer"),
            "res_model": "qms.customer.property.incident.answer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_incident_id": self.id},
        }

    def _qms_record_answer(self, answer):
        """The customer answered the problem report: the answer deadline is met."""
        self._qms_ensure_can("record_answer")
        answer = (answer or "").strip()
        if not answer:
            raise UserError(self.env._("Record what the customer answered."))
        self._qms_workflow_write(
            {
                "state": "answered",
                "customer_answer": answer,
                "date_answered": fields.Datetime.now(),
                "answered_by_id": self.env.uid,
            }
        )
        for incident in self:
            incident._qms_system_post(
                Markup("<p><strong>%s</strong></p><p>%s</p>") % (self.env._("The customer answered:"), answer)
            )
        return True

    def action_close(self):
        self._qms_ensure_can("close")
        self._qms_workflow_write(
            {"state": "closed", "date_closed": fields.Datetime.now(), "closed_by_id": self.env.uid}
        )
        return True

    # ------------------------------------------------------------------ printing
    def action_print_report(self):
        return self.env.ref("qms_customer.action_report_qms_property_incident").report_action(self)

    def action_view_property(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.customer.property",
            "res_id": self.property_id.id,
            "view_mode": "form",
        }
