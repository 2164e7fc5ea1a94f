import logging
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition, qms_changing

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

SALES = "qms_customer.group_qms_sales"
QUALITY = "qms_customer.group_qms_quality"
MREP = "qms_customer.group_qms_management_rep"
GM = "qms_customer.group_qms_general_manager"
VISITORS = (SALES, QUALITY, MREP, GM)
# Deadline steps (qms.deadline.step codes): a dissatisfied customer is visited within a month,
# the visit record is filed within 2 days of the visit (REQUIREMENTS §8, §9).
DISSATISFACTION_STEP = "visit_dissatisfaction"
RECORD_STEP = "visit_record"
DEFAULT_INTERVAL_MONTHS = 6

VISIT_TYPES = [
    ("routine", "Routine Visit"),
    ("dissatisfaction", "Dissatisfaction Follow-up"),
    ("complaint", "Complaint Visit"),
    ("audit", "Customer Audit of Our Plant"),
]


def period_end(day, months):
    """The first day after the planning period of ``months`` months holding ``day``: periods
    start on 1 January (6 months: the half-years, 3: the quarters)."""
    months = max(1, min(int(months or DEFAULT_INTERVAL_MONTHS), 12))
    first_month = ((day.month - 1) // months) * months + 1
    return day.replace(month=1, day=1) + relativedelta(months=first_month - 1 + months)


class QmsVisit(models.Model):
    """A visit to a customer, or a customer's audit of our plant (走访 / 客户访厂): planned, made,
    recorded within two days with a copy to the general manager; the customer's questions are
    answered within five working days with the reply letter (REQUIREMENTS §9)."""

    _name = "qms.visit"
    _description = "Customer Visit"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _qms_sequence_code = "qms.visit"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("closed", "cancelled")
    _qms_final_states = ("closed", "cancelled")
    _qms_all_customer_groups = (QUALITY, MREP, GM)
    _qms_deadline_specs = (
        DeadlineSpec("plan_deadline", "date_visit", "create_date", "user_id"),
        DeadlineSpec("record_deadline", "date_recorded", "date_visit", "user_id"),
    )
    _qms_workflow_fields = (
        "state",
        "plan_deadline",
        "date_recorded",
        "recorded_by_id",
        "date_closed",
        "closed_by_id",
        "cancel_reason",
    )
    _qms_fixed_fields = ("name",)
    _qms_role_fields = {(GM,): ("gm_comment",)}
    _qms_transitions = {
        "visit": Transition(("planned",), VISITORS, _lt("mark as visited")),
        "record": Transition(("visited",), VISITORS, _lt("file the record of")),
        "send_reply": Transition(
            ("recorded",), (SALES, QUALITY, MREP), _lt("send the reply to the customer of")
        ),
        "close": Transition(("recorded",), VISITORS, _lt("close")),
        "cancel": Transition(("planned", "visited"), VISITORS, _lt("cancel")),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    can_visit = fields.Boolean(compute="_compute_qms_can")
    can_record = fields.Boolean(compute="_compute_qms_can")
    can_send_reply = fields.Boolean(compute="_compute_qms_can")
    can_close = fields.Boolean(compute="_compute_qms_can")
    can_cancel = fields.Boolean(compute="_compute_qms_can")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company, readonly=True
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
        string="Responsible",
        index=True,
        tracking=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Who visits the customer and files the record: by default the customer's salesperson.",
    )
    visit_type = fields.Selection(VISIT_TYPES, required=True, default="routine", tracking=True)
    reason = fields.Text(
        help="Why the visit is planned: routine contact, a low satisfaction score, a complaint..."
    )
    complaint_id = fields.Many2one(
        "qms.complaint",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    date_planned = fields.Date(
        string="Planned On", tracking=True, help="Set by the meeting scheduled with Schedule Meeting."
    )
    meeting_ids = fields.One2many(
        "calendar.event",
        "res_id",
        string="Meetings",
        domain=lambda self: [("res_model", "=", self._name)],
        help="The calendar meetings scheduled for this visit.",
    )
    meeting_count = fields.Integer(compute="_compute_meeting_count", string="Meetings Scheduled")
    plan_deadline = fields.Datetime(
        string="Visit Due By",
        readonly=True,
        copy=False,
        index=True,
        help="By when the visit must take place: a dissatisfied customer within a month, a routine "
        "visit within its planning period.",
    )
    plan_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    date_visit = fields.Datetime(string="Visited On", copy=False, tracking=True)
    location = fields.Char(help="Where the visit took place: the customer's plant, our plant...")
    our_participant_ids = fields.Many2many(
        "res.users",
        "qms_visit_participant_rel",
        "visit_id",
        "user_id",
        string="Our Participants",
    )
    customer_participants = fields.Text(
        string="Customer's Participants", help="Names and positions of the customer's people."
    )
    summary = fields.Text(help="What was discussed and seen.")
    customer_opinion = fields.Text(
        string="Customer's Opinions", help="The customer's opinions on our products, quality and service."
    )
    findings = fields.Text(string="Audit Findings", help="What the customer's auditors found in our plant.")
    suggestions = fields.Text(help="The customer's suggestions for improvement.")
    record_deadline = fields.Datetime(
        string="Record Due By",
        compute="_compute_record_deadline",
        store=True,
        index=True,
        copy=False,
        help="The visit record is filed within 2 days after the visit (Settings › Deadline Rules).",
    )
    record_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")
    date_recorded = fields.Datetime(string="Recorded On", readonly=True, copy=False, index=True)
    recorded_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    gm_comment = fields.Text(
        string="General Manager's Comment", tracking=True, help="The general manager's review of the visit."
    )
    question_ids = fields.One2many("qms.visit.question", "visit_id", string="Customer's Questions")
    question_count = fields.Integer(compute="_compute_question_count", string="Questions")
    reply_pending = fields.Boolean(
        compute="_compute_question_count", help="Answered questions wait to be sent to the customer."
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("visited", "Visited"),
            ("recorded", "Recorded"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id")
    def _compute_user_id(self):
        for visit in self:
            visit.user_id = visit.partner_id.sudo().user_id or visit.user_id or self.env.user

    @api.depends("date_visit", "partner_id", "company_id")
    def _compute_record_deadline(self):
        cache = {}
        for visit in self:
            if visit.date_visit and visit.company_id:
                visit.record_deadline = visit.company_id._qms_deadline(
                    RECORD_STEP, visit.date_visit, visit.partner_id, cache
                )
            else:
                visit.record_deadline = False

    @api.depends("question_ids")
    def _compute_question_count(self):
        counts, pending = {}, set()
        for visit, state, count in self.env["qms.visit.question"]._read_group(
            [("visit_id", "in", self.ids)], ["visit_id", "state"], ["__count"]
        ):
            counts[visit] = counts.get(visit, 0) + count
            if state == "answered":
                pending.add(visit)
        for visit in self:
            visit.question_count = counts.get(visit, 0)
            visit.reply_pending = visit in pending

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        for visit in self:
            visit.meeting_count = len(visit.meeting_ids)

    # ------------------------------------------------------------------ create / write guards
    @api.model_create_multi
    def create(self, vals_list):
        cache = {}
        now = fields.Datetime.now()
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        # Only the system sets the planning deadline; one given by the caller stays refused below.
        granted = [] if any(vals.get("plan_deadline") for vals in vals_list) else ["plan_deadline"]
        given = Partner.browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        commercial = {partner.id: partner.commercial_partner_id for partner in given}
        for vals in vals_list:
            self._qms_check_visit_date(vals.get("date_visit"))
            partner = commercial.get(vals.get("partner_id"), Partner)
            if partner:
                vals["partner_id"] = partner.id
            if granted and vals.get("visit_type") == "dissatisfaction":
                # Planned within a month of now (the step's rule), computed before the record exists.
                company = Company.browse(vals.get("company_id")) or self.env.company
                vals["plan_deadline"] = company._qms_deadline(DISSATISFACTION_STEP, now, partner, cache)
        with self._qms_granted(granted):
            visits = super().create(vals_list)
        visits._qms_ask_to_visit()
        return visits

    def write(self, vals):
        if "date_visit" in vals:
            self._qms_check_visit_date(vals["date_visit"])
        if not self.env.su:
            happened = qms_changing(self, ("partner_id",), vals) and self.filtered(
                lambda v: v.state != "planned" or v.question_ids
            )
            if happened:
                raise UserError(
                    self.env._(
                        "%(visit)s took place: its customer can no longer change.",
                        visit=happened[:1].display_name,
                    )
                )
            record_fields = {"date_visit", "summary", "customer_opinion", "findings", "suggestions"}
            locked = self.filtered(lambda v: v.state in ("closed", "cancelled"))
            if "date_visit" in vals:
                locked |= self.filtered(lambda v: v.state == "recorded")
            if record_fields & set(vals) and locked:
                raise UserError(
                    self.env._(
                        "%(visit)s is filed: %(fields)s can no longer change.",
                        visit=locked[:1].display_name,
                        fields=self._qms_labels(record_fields & set(vals)),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        used = self.filtered(lambda v: v.state != "planned" or v.question_ids)
        if used:
            raise UserError(
                self.env._(
                    "%(visit)s has a history: cancel it instead of deleting it.", visit=used[:1].display_name
                )
            )

    @api.model
    def _qms_check_visit_date(self, value):
        """A visit is entered once it took place: refused in the future, before anything is written."""
        if value and fields.Datetime.to_datetime(value) > fields.Datetime.now():
            raise UserError(
                self.env._(
                    "A visit cannot have taken place in the future: plan it with the planned date instead."
                )
            )

    def _qms_ask_to_visit(self):
        """A system to-do for the responsible: visit the customer (by its deadline)."""
        todos = []
        for visit in self.filtered("user_id"):
            user = visit.user_id
            reader = visit._qms_reader(user)
            due = visit.date_planned or (
                visit.plan_deadline and visit._qms_local_date(visit.plan_deadline, user)
            )
            todos.append(
                reader._qms_todo_vals(
                    user,
                    reader.env._(
                        "Visit %(customer)s (%(visit)s)",
                        customer=visit.partner_id.name,
                        visit=visit.name,
                    ),
                    date_deadline=due or None,
                    note=visit.reason,
                )
            )
        if todos:
            self._qms_system_activities(todos)

    # ------------------------------------------------------------------ calendar
    def action_schedule_meeting(self):
        """The visit's meetings in the calendar; while it is planned, a new one is a meeting of the
        responsible with the customer, linked to the visit (its day plans the visit)."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("calendar.action_calendar_event")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        if self.state != "planned":
            action["context"] = {"create": False}
            return action
        organizer = self.user_id or self.env.user
        address = (self.partner_id.contact_address or "").replace("\n", " ").strip()
        action["context"] = {
            "default_res_model": self._name,
            "default_res_id": self.id,
            "default_name": self.env._(
                "Visit %(customer)s (%(visit)s)", customer=self.partner_id.name, visit=self.name
            ),
            "default_partner_ids": (organizer.partner_id | self.partner_id).ids,
            "default_user_id": organizer.id,
            "default_location": self.location or address,
            "initial_date": fields.Date.to_string(self.date_planned) if self.date_planned else False,
            # Calendar invites the attendees from the organizer's address: without one the
            # invitation could not be sent (nor answered); the meeting stays in our calendars.
            "no_mail_to_attendees": not organizer.email,
        }
        return action

    # ------------------------------------------------------------------ workflow
    def action_visit(self):
        """The visit took place (when it is not entered: now); the record is due 2 days later."""
        self._qms_ensure_can("visit")
        for visit in self:
            if not visit.date_visit:
                visit.date_visit = fields.Datetime.now()
        self._qms_workflow_write({"state": "visited"})
        self._qms_done_system_todos(self.env._("Visited."))
        return True

    def action_record(self):
        """File the visit record: refused before the visit; a copy goes to the general manager."""
        self._qms_ensure_can("record")
        now = fields.Datetime.now()
        for visit in self:
            if not visit.date_visit or visit.date_visit > now:
                raise UserError(
                    self.env._(
                        "%(visit)s: a visit record cannot be dated before the visit. Enter when the visit "
                        "took place.",
                        visit=visit.display_name,
                    )
                )
            if not (visit.summary or "").strip():
                raise UserError(
                    self.env._("%(visit)s: write the summary of the visit first.", visit=visit.name)
                )
            if visit.visit_type == "audit" and not (visit.findings or "").strip():
                raise UserError(
                    self.env._("%(visit)s: record the findings of the customer's audit.", visit=visit.name)
                )
        self._qms_workflow_write({"state": "recorded", "date_recorded": now, "recorded_by_id": self.env.uid})
        self._qms_done_system_todos(self.env._("Visit record filed."))
        self._qms_copy_to_general_manager()
        self.question_ids.filtered(lambda q: q.state == "open")._qms_ask_to_answer()
        return True

    def _qms_general_managers(self):
        self.ensure_one()
        return self.company_id._qms_users_in(GM)

    def _qms_copy_to_general_manager(self):
        """One copy of the record to the general managers of the company: they follow the visit and
        are notified (in Odoo when they have no e-mail address)."""
        for visit in self:
            managers = visit._qms_general_managers()
            if not managers:
                continue
            partners = managers.partner_id
            visit.sudo().message_subscribe(partner_ids=partners.ids)
            lang = managers[:1].lang or self.env.lang
            reader = visit.with_context(lang=lang)
            env = reader.env
            rows = [
                (env._("Customer"), visit.partner_id.display_name),
                (
                    env._("Visit Type"),
                    dict(visit._fields["visit_type"]._description_selection(env))[visit.visit_type],
                ),
                (env._("Summary"), visit.summary),
                (env._("Customer's Opinions"), visit.customer_opinion),
                (env._("Audit Findings"), visit.findings),
                (env._("Suggestions"), visit.suggestions),
            ]
            body = Markup("<p><strong>%s</strong></p>") % env._(
                "Visit record %(visit)s filed: a copy for the general manager.", visit=visit.name
            )
            body += Markup("").join(
                Markup("<p><strong>%s</strong>: %s</p>") % (label, value) for label, value in rows if value
            )
            if visit.question_ids:
                items = Markup("").join(Markup("<li>%s</li>") % q.question for q in visit.question_ids)
                body += Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (
                    env._("Customer's Questions"),
                    items,
                )
            visit._qms_system_post(body, partner_ids=partners.ids)

    def action_close(self):
        self._qms_ensure_can("close")
        pending = self.question_ids.filtered(lambda q: q.state in ("open", "answered"))
        if pending:
            raise UserError(
                self.env._(
                    "%(visit)s: the customer's questions must be answered and the reply sent before closing.",
                    visit=pending[:1].visit_id.display_name,
                )
            )
        self._qms_workflow_write(
            {"state": "closed", "date_closed": fields.Datetime.now(), "closed_by_id": self.env.uid}
        )
        return True

    # ------------------------------------------------------------------ reply letter
    def action_send_reply(self):
        """E-mail the customer opinion reply (客户意见答复单) with the answered questions; they are sent."""
        self._qms_ensure_can("send_reply")
        for visit in self:
            answered = visit.question_ids.filtered(lambda q: q.state == "answered")
            if not answered:
                raise UserError(
                    self.env._(
                        "%(visit)s has no answered question to send to the customer.", visit=visit.name
                    )
                )
            if not visit.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(customer)s has no e-mail address: enter one on the customer before sending the "
                        "reply of %(visit)s.",
                        customer=visit.partner_id.display_name,
                        visit=visit.name,
                    )
                )
        self._qms_ensure_sender()
        template = self.env.ref("qms_customer.mail_template_qms_visit_reply")
        for visit in self:
            answered = visit.question_ids.filtered(lambda q: q.state == "answered")
            visit._qms_mail_customer(template)
            answered._qms_workflow_write(
                {"state": "sent", "date_sent": fields.Datetime.now(), "sent_by_id": self.env.uid}
            )
        return True

    def action_print_reply(self):
        return self.env.ref("qms_customer.action_report_qms_visit_reply").report_action(self)

    def action_view_questions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_visit_question")
        action["domain"] = [("visit_id", "=", self.id)]
        action["context"] = {"default_visit_id": self.id}
        return action

    # ------------------------------------------------------------------ half-year plan
    @api.model
    def _cron_qms_visits(self):
        """Propose the routine visits of the period, then chase the visit deadlines."""
        self._cron_qms_plan_visits()
        self._qms_cron_deadlines()
        return self.env["qms.visit.question"]._qms_cron_deadlines()

    @api.model
    def _cron_qms_plan_visits(self):
        """For each company, a planned routine visit for every active customer with a salesperson
        that was neither visited nor has a visit planned within its interval (default half a
        year). Running it twice proposes nothing more; one company failing spares the others."""
        created = self.browse()
        for company in self.env["res.company"].sudo().search_fetch([], ["name"]):
            try:
                with self.env.cr.savepoint():
                    created |= self.sudo()._qms_plan_company_visits(company)
            except Exception:
                _logger.exception("QMS visit plan failed for company %s", company.name)
        return created

    @api.model
    def _qms_plan_company_visits(self, company):
        partners = self.env["res.partner"].search(
            [
                ("customer_rank", ">", 0),
                ("parent_id", "=", False),
                ("user_id", "!=", False),
                ("company_id", "in", [company.id, False]),
            ]
        )
        if not partners:
            return self.browse()
        today = company._qms_local_today()
        domain = [("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        planned = {
            partner for (partner,) in self._read_group(domain + [("state", "=", "planned")], ["partner_id"])
        }
        last_visits = dict(
            self._read_group(
                domain + [("state", "not in", ("planned", "cancelled")), ("date_visit", "!=", False)],
                ["partner_id"],
                ["date_visit:max"],
            )
        )
        vals_list = []
        for partner in partners - self.env["res.partner"].union(*planned):
            if partner.user_id.company_ids and company not in partner.user_id.company_ids:
                continue
            months = partner.qms_visit_interval_months or DEFAULT_INTERVAL_MONTHS
            last = last_visits.get(partner)
            if last and last.date() > today - relativedelta(months=months):
                continue
            end = period_end(today, months)
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": partner.user_id.id,
                    "visit_type": "routine",
                    "reason": self.with_context(lang=partner.user_id.lang).env._(
                        "Routine visit: every %(months)s months.", months=months
                    ),
                    "plan_deadline": company._qms_local_to_utc(end) - relativedelta(seconds=1),
                }
            )
        if not vals_list:
            return self.browse()
        with self._qms_granted(["plan_deadline"]):
            return self.with_company(company).create(vals_list)

    # ------------------------------------------------------------------ demo
    def action_qms_new_service_rating(self):
        """Record how the customer rated the service of the visit's responsible."""
        self.ensure_one()
        return self.env["qms.service.rating"]._qms_new_rating_action(self, self.user_id)

    @api.model
    def _qms_demo_visits(self):
        """Demo visits (post-install hook, as the demo users): Huadong visited yesterday, recorded,
        its question answered on time and the reply sent; Jiangnan's audit of our plant with its
        findings; a routine visit planned for 星河机电."""
        ref = self.env.ref
        now = fields.Datetime.now()
        sales = ref("qms_customer.user_qms_sales")
        quality = ref("qms_customer.user_qms_quality")
        technical = ref("qms_customer.user_qms_technical")
        company = sales.company_id

        def as_user(records, user):
            return records.with_user(user).with_context(lang=user.lang).with_company(company)

        visit = as_user(self, sales).create(
            {
                "partner_id": ref("qms_customer.partner_huadong").id,
                "visit_type": "routine",
                "reason": "半年度例行走访 (half-year routine visit)",
                "date_planned": (now - relativedelta(days=1)).date(),
                "location": "华东汽车零部件 嘉定工厂 (Jiading plant)",
            }
        )
        visit = as_user(visit, sales)
        visit.write(
            {
                "date_visit": datetime.combine((now - relativedelta(days=1)).date(), time(2, 0)),
                "our_participant_ids": [(6, 0, (sales | quality).ids)],
                "customer_participants": "采购经理 钱军、SQE 马晓东 (purchasing manager, SQE)",
                "summary": "交付及时，卡钳质量稳定；客户计划明年增加 20% 订量。"
                "(Deliveries on time, caliper quality stable; 20 % more volume planned next year.)",
                "customer_opinion": "希望包装改为可回收周转箱。(Would like returnable containers.)",
            }
        )
        visit.action_visit()
        visit.write(
            {
                "question_ids": [
                    (
                        0,
                        0,
                        {
                            "question": "能否提供卡钳活塞的盐雾试验报告？"
                            "(Can you provide the salt-spray test report of the caliper piston?)",
                            "user_id": quality.id,
                        },
                    )
                ],
            }
        )
        visit.action_record()
        question = as_user(visit.question_ids, quality)
        question.write(
            {"answer": "已附 2025 年度盐雾试验报告，480 小时无红锈。(Report attached: 480 h, no red rust.)"}
        )
        question.action_answer()
        if visit.partner_id.email and (company.email or sales.email):
            visit.action_send_reply()
        audit = as_user(self, quality).create(
            {
                "partner_id": ref("qms_customer.partner_jiangnan").id,
                "user_id": quality.id,
                "visit_type": "audit",
                "reason": "客户年度过程审核 (annual process audit)",
                "date_planned": (now - relativedelta(days=1)).date(),
            }
        )
        audit = as_user(audit, quality)
        audit.write(
            {
                "date_visit": now - relativedelta(days=1),
                "location": "我司 2 号车间 (our workshop 2)",
                "our_participant_ids": [(6, 0, (quality | technical).ids)],
                "customer_participants": "江南家电 SQE 孙婷 (SQE)",
                "summary": "审核注塑及装配过程。(Moulding and assembly processes audited.)",
                "findings": "1. 注塑机 3 号温控记录缺 2 天；2. 防错装置点检表未签字。"
                "(Missing temperature records on press 3; poka-yoke checklist unsigned.)",
                "suggestions": "建议引入 MES 自动采集工艺参数。(Collect process data automatically.)",
            }
        )
        audit.action_visit()
        audit.action_record()
        as_user(self, sales).create(
            {
                "partner_id": ref("qms_customer.partner_xinghe").id,
                "visit_type": "routine",
                "reason": "半年度例行走访 (half-year routine visit)",
                "date_planned": (now + relativedelta(days=14)).date(),
            }
        )
